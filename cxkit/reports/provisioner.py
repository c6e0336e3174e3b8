"""A jupyter_client provisioner that launches its kernel from the zygote, and the kernel's handle.

:class:`ForkedProvisioner` asks the zygote (:mod:`cxkit.reports.forked`) for the kernel when
the command is this Python's ipykernel, and launches it the usual way otherwise or when the
zygote cannot serve. :class:`ForkedProcess` stands in for the :class:`subprocess.Popen` of a
kernel that is the zygote's child, not ours: it is watched through a pidfd (Linux 5.3 and
later), and signalled only while it runs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import subprocess
import sys
import threading

from jupyter_client.provisioning import LocalProvisioner

from cxkit.reports.forked import START_TIMEOUT, KernelStartCancelled, Zygote, ZygoteError

__all__ = ["ForkedProcess", "ForkedProvisioner"]

_log = logging.getLogger(__name__)


class ForkedProcess:
    """The part of :class:`subprocess.Popen` that jupyter_client and the runner use.

    The kernel is the zygote's child: the zygote collects its exit status, which is not
    passed on, so ``returncode`` is ``1`` once the kernel has ended, whatever its status
    was (a kernel ends when its runner stops it; an ending on its own is a failure).
    Signals go to the kernel's process group (it leads a session of its own) while the
    pidfd says the kernel runs; the zygote collects it only after it has ended, so until
    then its number is not another process's. Safe to use from several threads.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._lock = threading.Lock()
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # it ended and was collected already
            self._pidfd, self.returncode = None, 1

    def poll(self) -> int | None:
        """``None`` while the kernel runs, else its return code."""
        return self._check(0)

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has ended; :class:`subprocess.TimeoutExpired` after ``timeout``."""
        code = self._check(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return code

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel's process group, if the kernel still runs.

        A kernel forked a moment ago may not lead its group yet: then it alone is signalled.
        """
        with self._lock:
            if self._pidfd is None or self._ended(self._pidfd, 0):
                return
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

    def _check(self, timeout: float | None) -> int | None:
        """Wait up to ``timeout`` seconds (``None``: for good) for the end; give the return code."""
        with self._lock:
            fd = self._pidfd
        if fd is not None and self._ended(fd, timeout):
            with self._lock:
                if self._pidfd is not None:
                    os.close(self._pidfd)
                    self._pidfd, self.returncode = None, 1
        return self.returncode

    @staticmethod
    def _ended(fd: int, timeout: float | None) -> bool:
        waiting = select.poll()
        waiting.register(fd, select.POLLIN)
        try:
            return bool(waiting.poll(None if timeout is None else timeout * 1e3))
        except OSError:  # closed by another thread meanwhile: it has ended
            return True

    def __del__(self) -> None:
        if getattr(self, "_pidfd", None) is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching its kernel from a zygote when it can.

    ``zygote`` is set by the kernel manager that makes it
    (:class:`cxkit.reports.kernel.RunnerKernelManager`), whose ``stopping`` flag cancels a
    start under way.
    """

    zygote: Zygote | None = None
    start_timeout: float = START_TIMEOUT

    async def launch_kernel(self, cmd: list[str], **kwargs: object):
        """Launch the kernel: forked when ``cmd`` is this Python's ipykernel, else as usual."""
        argv = _ipykernel_arguments(cmd)
        if self.zygote is None or argv is None:
            return await super().launch_kernel(cmd, **kwargs)

        def cancelled() -> bool:
            return bool(getattr(self.parent, "stopping", False))

        env, cwd = kwargs.get("env") or os.environ, kwargs.get("cwd")
        try:
            pid = self.zygote.fork(argv, env, cwd, self.start_timeout, cancelled)
        except ZygoteError as err:
            if cancelled():  # the zygote was stopped with the report: start nothing
                raise KernelStartCancelled() from None
            _log.warning("Starting the kernel afresh: %s.", err)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)
        # no group id for LocalProvisioner to signal by itself: signals go through the
        # process, which checks that the kernel still runs
        self.pid, self.pgid = pid, None
        self.cwd = cwd or os.getcwd()
        if cancelled():  # stopped while it was forked, maybe before the runner could see it
            self.process.kill()
            raise KernelStartCancelled()
        return self.connection_info


def _ipykernel_arguments(cmd: list[str]) -> list[str] | None:
    """Give ipykernel's own arguments when ``cmd`` runs this Python's ipykernel, else ``None``."""
    if len(cmd) > 3 and cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]:
        return list(cmd[3:])
    return None
