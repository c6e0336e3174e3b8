"""Kernels forked from a zygote (:mod:`cxkit.reports.zygote`), for the report runner.

:class:`Zygote` starts the zygote process and asks it for kernels; :class:`ForkedProvisioner`
is a jupyter_client provisioner that launches its kernel that way (and the usual way when
the zygote cannot: it died, or the command is not an IPython kernel of this Python);
:class:`ForkedProcess` stands in for the :class:`subprocess.Popen` of a kernel that is the
zygote's child, not ours, watched and signalled through a pidfd (Linux 5.3 and later).

One zygote per process and per thread setting (the linear-algebra libraries read their thread
counts when imported), kept for the life of the process: a batch worker forks every client's
kernel from the one it started for its first client.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping

from jupyter_client.provisioning import LocalProvisioner

__all__ = ["ForkedProcess", "ForkedProvisioner", "Zygote", "ZygoteError", "zygote_for"]

#: Environment variable that turns the zygote off (``0``): every kernel then starts afresh.
SWITCH = "CXKIT_ZYGOTE"
#: The linear-algebra libraries' thread counts (read when they are imported).
THREAD_SETTINGS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: Seconds a new kernel may take to be ready, the imports included: on a new machine,
#: matplotlib first builds its font cache.
START_TIMEOUT = 300
_ZYGOTES: dict[tuple[str | None, ...], Zygote] = {}
_LOCK = threading.Lock()
_log = logging.getLogger(__name__)


class ZygoteError(RuntimeError):
    """The zygote could not give a kernel (it ended, or did not answer in time)."""


def supported() -> bool:
    """Whether kernels can be forked here: Linux (fork, pidfds), and not turned off."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "pidfd_open")
        and os.environ.get(SWITCH, "1") != "0"
    )


def zygote_for(env: Mapping[str, str] | None) -> Zygote | None:
    """Give this process's zygote for kernels with ``env``'s thread settings (started if need be).

    ``None`` when forking is not supported (see :func:`supported`). The zygote starts
    importing at once, in its own process; asking it for a kernel waits until it is ready.
    """
    if not supported():
        return None
    env = dict(os.environ if env is None else env)
    key = tuple(env.get(name) for name in THREAD_SETTINGS)
    with _LOCK:
        zygote = _ZYGOTES.get(key)
        if zygote is None or not zygote.running():
            zygote = _ZYGOTES[key] = Zygote(env)
        return zygote


@atexit.register
def stop_zygotes() -> None:
    """Stop every zygote this process started (its kernels are stopped by their runner)."""
    with _LOCK:
        zygotes = list(_ZYGOTES.values())
        _ZYGOTES.clear()
    for zygote in zygotes:
        zygote.stop()


class Zygote:
    """A zygote process and the two pipes to it (requests, replies).

    Parameters
    ----------
    env : Mapping
        The zygote's environment: the thread settings its kernels will have.
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        ours_to_read, theirs_to_write = os.pipe()
        theirs_to_read, ours_to_write = os.pipe()
        command = [sys.executable, "-m", "cxkit.reports.zygote"]
        self.process = subprocess.Popen(
            [*command, str(theirs_to_read), str(theirs_to_write)],
            pass_fds=(theirs_to_read, theirs_to_write),
            stdin=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=True,  # Ctrl-C reaches the runner, which stops it
        )
        os.close(theirs_to_read)
        os.close(theirs_to_write)
        self._requests = os.fdopen(ours_to_write, "w")
        self._replies = os.fdopen(ours_to_read, "r")
        self._lock = threading.Lock()
        self.pid: int | None = None  # known once it is ready

    def running(self) -> bool:
        """Whether the zygote process is still there."""
        return self.process.poll() is None

    def fork(
        self, argv: list[str], env: Mapping[str, str], cwd: str | None, timeout: float
    ) -> ForkedProcess:
        """Start a kernel with ``argv`` (ipykernel's arguments), ``env`` and ``cwd``.

        Waits up to ``timeout`` seconds for the zygote to be ready (it imports first).
        Raises :class:`ZygoteError` when it cannot.
        """
        request = {"argv": list(argv), "env": dict(env), "cwd": None if cwd is None else str(cwd)}
        deadline = time.monotonic() + timeout
        with self._lock:
            if self.pid is None:
                self.pid = self._read(deadline)["ready"]
            try:
                self._requests.write(json.dumps(request) + "\n")
                self._requests.flush()
            except (BrokenPipeError, ValueError) as err:
                raise ZygoteError(f"the kernel zygote has ended ({err})") from None
            return ForkedProcess(self._read(deadline)["pid"])

    def _read(self, deadline: float) -> dict[str, int]:
        """Read the zygote's next reply, waiting until ``deadline`` at most."""
        wait = max(0.0, deadline - time.monotonic())
        if not select.select([self._replies], [], [], wait)[0]:
            raise ZygoteError(f"the kernel zygote did not answer in {wait:.0f} s")
        line = self._replies.readline()
        if not line:
            raise ZygoteError(f"the kernel zygote has ended (exit status {self.process.poll()})")
        return json.loads(line)

    def stop(self) -> None:
        """Close its pipes (it ends on its own), and kill it if it has not ended in 5 s."""
        for pipe in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ForkedProcess:
    """The part of :class:`subprocess.Popen` that jupyter_client and the runner use.

    The kernel is the zygote's child: the zygote collects its exit status, which is not
    passed on, so ``returncode`` is ``1`` once the kernel has ended, whatever its status
    was (a kernel ends when its runner stops it; an ending on its own is a failure).
    Signals go to the kernel's process group (it leads a session of its own), and only
    while the kernel runs, so a number the system has handed to another process is never
    signalled.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # it ended and was collected already
            self._pidfd, self.returncode = None, 1

    def poll(self) -> int | None:
        """``None`` while the kernel runs, else its return code."""
        if self.returncode is None and self._ended(0):
            self._close(1)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has ended; :class:`subprocess.TimeoutExpired` after ``timeout``."""
        if self.returncode is None:
            if not self._ended(timeout):
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            self._close(1)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel's process group, if the kernel still runs."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signum)

    def kill(self) -> None:
        """Kill the kernel's process group."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel's process group to end (SIGTERM)."""
        self.send_signal(signal.SIGTERM)

    def _ended(self, timeout: float | None) -> bool:
        return bool(select.select([self._pidfd], [], [], timeout)[0])

    def _close(self, code: int) -> None:
        os.close(self._pidfd)
        self._pidfd, self.returncode = None, code

    def __del__(self) -> None:
        if getattr(self, "_pidfd", None) is not None:
            os.close(self._pidfd)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching its kernel from a zygote when it can.

    ``zygote`` is set by the kernel manager that makes it
    (:class:`cxkit.reports.kernel.RunnerKernelManager`).
    """

    zygote: Zygote | None = None
    start_timeout: float = START_TIMEOUT

    async def launch_kernel(self, cmd: list[str], **kwargs: object):
        """Launch the kernel: forked when ``cmd`` is this Python's ipykernel, else as usual."""
        argv = _ipykernel_arguments(cmd)
        if self.zygote is None or argv is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = kwargs.get("env") or os.environ
        try:
            self.process = self.zygote.fork(argv, env, kwargs.get("cwd"), self.start_timeout)
        except ZygoteError as err:
            _log.warning("Starting the kernel afresh: %s.", err)
            return await super().launch_kernel(cmd, **kwargs)
        self.pid = self.pgid = self.process.pid
        self.cwd = kwargs.get("cwd") or os.getcwd()
        return self.connection_info


def _ipykernel_arguments(cmd: list[str]) -> list[str] | None:
    """Give ipykernel's own arguments when ``cmd`` runs this Python's ipykernel, else ``None``."""
    if len(cmd) > 3 and cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]:
        return list(cmd[3:])
    return None
