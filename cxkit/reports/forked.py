"""Kernels forked from a zygote (:mod:`cxkit.reports.zygote`), for the report runner.

:class:`Zygote` starts the zygote process and asks it for kernels; :class:`ForkedProvisioner`
is a jupyter_client provisioner that launches its kernel that way (and the usual way when
the zygote cannot: it died, or the command is not an IPython kernel of this Python);
:class:`ForkedProcess` stands in for the :class:`subprocess.Popen` of a kernel that is the
zygote's child, not ours, watched and signalled through a pidfd (Linux 5.3 and later).

One zygote per process, kept for the life of the process: ``cxkit report`` starts it before
anything else, so that it imports while the runner does; a batch worker forks every client's
kernels from the one it started. Each kernel gets its own environment (the linear-algebra
thread counts included: the zygote applies them in the kernel, see
:mod:`cxkit.reports.zygote`).
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
#: Seconds a new kernel may take to be ready, the imports included: on a new machine,
#: matplotlib first builds its font cache.
START_TIMEOUT = 300
_ZYGOTE: Zygote | None = None
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


def zygote_for() -> Zygote | None:
    """Give this process's zygote (started if need be, with this process's environment).

    ``None`` when forking is not supported (see :func:`supported`). The zygote starts
    importing at once, in its own process; asking it for a kernel waits until it is ready.
    """
    global _ZYGOTE
    if not supported():
        return None
    with _LOCK:
        if _ZYGOTE is None or not _ZYGOTE.running():
            _ZYGOTE = Zygote(dict(os.environ))
        return _ZYGOTE


@atexit.register
def stop_zygote() -> None:
    """Stop this process's zygote, if any (its kernels are stopped by their runner)."""
    global _ZYGOTE
    with _LOCK:
        zygote, _ZYGOTE = _ZYGOTE, None
    if zygote is not None:
        zygote.stop()


class Zygote:
    """A zygote process and the two pipes to it (requests, replies).

    Parameters
    ----------
    env : Mapping
        The zygote's environment (what the libraries read when imported; each kernel's own
        environment comes with its request).
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
        """Close its pipes and end it at once (it holds nothing to save); collect it."""
        for pipe in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                pipe.close()
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
        """Send ``signum`` to the kernel's process group, if the kernel still runs.

        A kernel forked a moment ago may not lead its group yet: then it alone is signalled.
        """
        if self.poll() is None:
            try:
                os.killpg(self.pid, signum)
            except ProcessLookupError:
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(self._pidfd, signum)

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
