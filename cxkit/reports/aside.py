"""Build a folder aside, then swap it in whole: a reader sees the old folder or the new one.

:func:`built_aside` gives a hidden folder beside the destination (on the same file system,
so the swap is two renames); :func:`swap_in` puts it in place. :func:`signals_held` keeps
Ctrl-C and SIGTERM out of the few renames and writes that must happen together; in a worker
thread (a Dask task), where a stop comes as an exception raised by :func:`interrupt_thread`,
it keeps that out instead.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "built_aside",
    "interrupt_thread",
    "relocate_file",
    "relocated",
    "signals_held",
    "swap_in",
]

#: Threads other than the main one inside :func:`signals_held`, and the lock that orders
#: entering it against :func:`interrupt_thread`.
_held: set[int] = set()
_held_lock = threading.Lock()


@contextmanager
def built_aside(final: Path) -> Iterator[Path]:
    """Give an empty folder beside ``final`` (same file system); remove it if it is left over.

    Folders left by runs that were killed outright (SIGKILL, power cut) are removed first.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f".{final.name}.building-*"):
        pid = stale.name.rsplit("-", 2)[-2]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(stale, ignore_errors=True)
    folder = final.parent / f".{final.name}.building-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # already gone when it was swapped in


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process, or a platform that cannot tell: leave it
    return True


def swap_in(folder: Path, final: Path) -> None:
    """Put the finished ``folder`` in place of ``final`` (two renames on one file system)."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.replaced-{uuid.uuid4().hex[:8]}")
        final.rename(old)
    folder.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def signals_held() -> Iterator[None]:
    """Keep Ctrl-C and SIGTERM from interrupting the block (in another thread: a stop).

    A signal that arrives meanwhile is dropped: what it would have stopped is then done, and
    stopping half-way through would leave what nobody expects. (Masking the signal would not
    do: another thread, such as one of ZeroMQ's, may receive it and Python then runs the
    handler in the main thread all the same.)
    """
    if threading.current_thread() is not threading.main_thread():
        with _thread_held():
            yield
        return
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.getsignal(number) for number in held}
    for number in held:
        signal.signal(number, _dropped)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


@contextmanager
def _thread_held() -> Iterator[None]:
    """Keep :func:`interrupt_thread` out of this (non-main) thread for the block.

    A stop raised just before the block, and not yet delivered, is dropped too: Python
    delivers such an exception at its next check, which may fall inside the block.
    """
    ident = threading.get_ident()
    try:
        with _held_lock:
            _held.add(ident)
            _set_async(ident, None)
        yield
    finally:
        with _held_lock:
            _held.discard(ident)


def interrupt_thread(ident: int) -> bool:
    """Raise KeyboardInterrupt in thread ``ident``, as Ctrl-C would, unless it is held.

    Returns False (and does nothing) while that thread is inside :func:`signals_held`:
    what the stop would have cut short is then finished, as for a signal in the main thread.
    """
    with _held_lock:
        if ident in _held:
            return False
        _set_async(ident, KeyboardInterrupt)
        return True


def _set_async(ident: int, exception: type[BaseException] | None) -> None:
    """Set (or, with None, clear) the exception pending in thread ``ident``."""
    value = ctypes.py_object(exception) if exception is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), value)


def _dropped(_signum: int, _frame: object) -> None:
    """Ignore a signal that came while :func:`signals_held` was in force."""


def relocated(value: object, folder: Path, final: Path) -> object:
    """``value`` with paths inside ``folder`` rewritten to the same place inside ``final``."""
    if isinstance(value, str) and value.startswith(str(folder)):
        return str(final) + value[len(str(folder)) :]
    if isinstance(value, dict):
        return {k: relocated(v, folder, final) for k, v in value.items()}
    return value


def relocate_file(path: Path, folder: Path, final: Path) -> None:
    """Rewrite paths inside ``folder`` to ``final`` in text file ``path`` (plain and JSON)."""
    text = path.read_text(encoding="utf-8")
    for old, new in (
        (str(folder), str(final)),
        (json.dumps(str(folder))[1:-1], json.dumps(str(final))[1:-1]),
    ):
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
