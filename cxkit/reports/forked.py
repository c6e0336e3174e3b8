"""The runner's side of the kernel zygote (:mod:`cxkit.reports.zygote`): start it, ask it.

:func:`zygote_for` gives this process's zygote, started if need be. One zygote per process,
kept for the life of the process: ``cxkit report`` starts it before anything else, so that it
imports while the runner does; a batch worker forks every client's kernels from the one it
started. Each kernel gets its own environment with its request (the linear-algebra thread
counts included: the zygote applies them in the kernel).

Kernels are launched from it by :class:`cxkit.reports.provisioner.ForkedProvisioner`, and
started afresh instead when it cannot serve: forking is turned off (``CXKIT_ZYGOTE=0``), not
available (not Linux, or no pidfds), the zygote could not start or never became ready (then
forking is given up for the rest of the process, with one warning), or it has ended (a new
one is started for the next report).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping

__all__ = ["KernelStartCancelled", "Zygote", "ZygoteError", "supported", "zygote_for"]

#: Environment variable that turns the zygote off (``0``): every kernel then starts afresh.
SWITCH = "CXKIT_ZYGOTE"
#: Seconds a new kernel may take to be ready, the imports included: on a new machine,
#: matplotlib first builds its font cache.
START_TIMEOUT = 300
#: Seconds the zygote, once ready, may take to fork a kernel and say so.
FORK_TIMEOUT = 30
_ZYGOTE: Zygote | None = None
_GIVEN_UP: str | None = None  # why this process forks no more kernels
_LOCK = threading.Lock()
_log = logging.getLogger(__name__)


class ZygoteError(RuntimeError):
    """The zygote could not give a kernel (it ended, or did not answer in time)."""


class KernelStartCancelled(BaseException):  # like asyncio.CancelledError
    """The kernel's manager was stopped while the kernel was being started: nothing to retry.

    A :class:`BaseException`, as :class:`asyncio.CancelledError` is, so that the runner's
    retries (which catch :class:`Exception`) let it through.
    """

    def __init__(self, message: str = "the report stopped while a kernel was starting") -> None:
        super().__init__(message)


def supported() -> bool:
    """Whether kernels can be forked here: Linux with pidfds, not turned off, not given up."""
    if not sys.platform.startswith("linux") or os.environ.get(SWITCH, "1") == "0" or _GIVEN_UP:
        return False
    try:  # Linux 5.3 and later, and allowed by the container's system-call filter
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return False
    return True


def zygote_for() -> Zygote | None:
    """Give this process's zygote (started if need be, with this process's environment).

    ``None`` when forking is not supported (see :func:`supported`). The zygote starts
    importing at once, in its own process; asking it for a kernel waits until it is ready.
    """
    global _ZYGOTE
    if not supported():
        return None
    with _LOCK:
        if _ZYGOTE is None or not _ZYGOTE.usable():
            try:
                _ZYGOTE = Zygote(dict(os.environ))
            except OSError as err:
                give_up(f"the kernel zygote could not start ({err})")
                return None
        return _ZYGOTE


def give_up(reason: str) -> None:
    """Fork no more kernels in this process; say why, once."""
    global _GIVEN_UP
    if _GIVEN_UP is None:
        _GIVEN_UP = reason
        _log.warning("Kernels start afresh from now on: %s.", reason)


@atexit.register
def stop_zygote() -> None:
    """Stop this process's zygote, if any (its kernels are stopped by their runner)."""
    global _ZYGOTE
    with _LOCK:
        zygote, _ZYGOTE = _ZYGOTE, None
    if zygote is not None:
        zygote.stop()


class Zygote:
    """A zygote process and the two pipes to it: requests, and replies (JSON lines).

    Parameters
    ----------
    env : Mapping
        The zygote's environment (what the libraries read when imported; each kernel's own
        environment comes with its request).
    command : list of str, optional
        The program, given the two pipes' descriptors as its last two arguments; by default
        ``python -m cxkit.reports.zygote``.
    """

    def __init__(self, env: Mapping[str, str], command: list[str] | None = None) -> None:
        ours_to_read, theirs_to_write = os.pipe()
        theirs_to_read, ours_to_write = os.pipe()
        command = command or [sys.executable, "-m", "cxkit.reports.zygote"]
        try:
            self.process = subprocess.Popen(
                [*command, str(theirs_to_read), str(theirs_to_write)],
                pass_fds=(theirs_to_read, theirs_to_write),
                stdin=subprocess.DEVNULL,
                env=dict(env),
                start_new_session=True,  # Ctrl-C reaches the runner, which stops it
            )
        except OSError:
            for fd in (ours_to_read, theirs_to_write, theirs_to_read, ours_to_write):
                os.close(fd)
            raise
        os.close(theirs_to_read)
        os.close(theirs_to_write)
        self._requests, self._replies = ours_to_write, ours_to_read
        self._pending = b""  # what was read of the next reply
        self._lock = threading.Lock()
        self._broken = False
        self.pid: int | None = None  # known once it is ready

    def usable(self) -> bool:
        """Whether it can still be asked for kernels (running, and its pipes in step)."""
        return not self._broken and self.process.poll() is None

    def fork(
        self,
        argv: list[str],
        env: Mapping[str, str],
        cwd: str | None,
        timeout: float = START_TIMEOUT,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> int:
        """Fork a kernel with ``argv`` (ipykernel's arguments), ``env`` and ``cwd``; give its pid.

        Waits up to ``timeout`` seconds for the zygote to be ready (it imports first), then
        up to :data:`FORK_TIMEOUT` for the kernel. Raises :class:`ZygoteError` when it cannot
        (a zygote that never became ready also makes the process give up forking), and
        :class:`KernelStartCancelled` as soon as ``cancelled()`` is true. A zygote that failed
        or was cancelled after the request was sent is stopped: its replies would be out of step.
        """
        request = {"argv": list(argv), "env": dict(env), "cwd": None if cwd is None else str(cwd)}
        with self._lock:
            if not self.usable():
                raise ZygoteError("the kernel zygote has ended")
            if self.pid is None:
                try:
                    self.pid = self._reply(time.monotonic() + timeout, cancelled)["ready"]
                except ZygoteError as err:
                    self.stop()
                    give_up(str(err))
                    raise
            try:
                self._send(request)
                reply = self._reply(time.monotonic() + FORK_TIMEOUT, cancelled)
                if "pid" not in reply:
                    raise ZygoteError(f"the kernel zygote could not fork: {reply.get('error')}")
                return reply["pid"]
            except BaseException:
                self.stop()
                raise

    def _send(self, message: dict[str, object]) -> None:
        data = (json.dumps(message) + "\n").encode()
        try:
            while data:
                data = data[os.write(self._requests, data) :]
        except OSError as err:  # BrokenPipeError: it has ended
            raise ZygoteError(f"the kernel zygote has ended ({err})") from None

    def _reply(self, deadline: float, cancelled: Callable[[], bool]) -> dict[str, int]:
        """Read the zygote's next reply, until ``deadline``, looking at ``cancelled`` meanwhile."""
        waiting = select.poll()
        waiting.register(self._replies, select.POLLIN)
        while b"\n" not in self._pending:
            if cancelled():
                raise KernelStartCancelled()
            left = deadline - time.monotonic()
            if left <= 0:
                raise ZygoteError("the kernel zygote did not answer in time")
            try:
                ready = waiting.poll(min(left, 0.1) * 1e3)
                chunk = os.read(self._replies, 65536) if ready else None
            except OSError as err:  # closed under us: the process is stopping
                raise ZygoteError(f"the kernel zygote has ended ({err})") from None
            if chunk == b"":
                raise ZygoteError(f"the kernel zygote has ended (status {self.process.wait()})")
            self._pending += chunk or b""
        line, _, self._pending = self._pending.partition(b"\n")
        return json.loads(line)

    def stop(self) -> None:
        """End it at once (it holds nothing to save), collect it, close the pipes."""
        self._broken = True
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for fd in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._requests = self._replies = -1
