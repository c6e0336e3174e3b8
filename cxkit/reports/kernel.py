"""A Jupyter kernel that is certainly this Python, private to one run, and stopped with it.

A user-level ``python3`` or ``cxkit`` kernelspec may point at another environment. The report
runner (and the tests) use a private kernelspec whose ``argv`` is ``sys.executable``, written
to a folder of its own that is put first on ``JUPYTER_PATH``.

:func:`private_kernel` makes that folder (``cxkit-jupyter-<pid>`` in the temporary directory)
for one report run, keeps the kernels' sockets in it, and removes it afterwards with each
kernel's connection file (even after an interrupt). On POSIX the kernel talks over Unix
sockets (IPC), not TCP ports, so no other local user can connect and batch workers never race
for ports. :func:`execute_notebook` runs
papermill away from the main thread: nbclient takes SIGINT and SIGTERM for itself when it runs
there, and then an interrupted report would carry on.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any, Bool, DottedObjectName, Type
from traitlets.config import Config

from cxkit.reports.processes import kill_group
from cxkit.reports.provisioner import ForkedProvisioner

__all__ = [
    "KERNEL_NAME",
    "ensure_kernel",
    "execute_notebook",
    "private_kernel",
    "stop_kernel",
    "stop_kernels",
]

KERNEL_NAME = "cxkit-runner"
_STARTED: weakref.WeakSet[AsyncKernelManager] = weakref.WeakSet()


class RunnerKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, waiting 10 ms instead of 200 ms for the last messages.

    ``wait_for_ready`` ends by reading IOPub until it has been quiet for 0.2 s, which a warm
    kernel pays before every notebook. nbclient ignores messages that do not answer its own
    requests, so a short drain is enough. The handshake before it is jupyter_client's own:
    kernel_info requests until a reply comes and IOPub delivers (its subscription is connected).
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while not await self._kernel_info_answered():
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        with contextlib.suppress(Empty):
            while True:
                await self.iopub_channel.get_msg(timeout=0.01)

    wait_for_ready = _async_wait_for_ready

    async def _kernel_info_answered(self) -> bool:
        """Ask for kernel_info: True when the reply came and IOPub delivered too."""
        self.kernel_info()
        try:
            msg = await self.shell_channel.get_msg(timeout=1)
            if msg["msg_type"] != "kernel_info_reply":
                return False
            await self.iopub_channel.get_msg(timeout=0.2)
        except Empty:
            return False
        self._handle_kernel_info_reply(msg)
        return True


class RunnerKernelManager(AsyncKernelManager):
    """A kernel manager that remembers itself, so that :func:`stop_kernels` can find it.

    Given a ``zygote`` (:func:`cxkit.reports.forked.zygote_for`), its kernel is forked from
    it (:class:`cxkit.reports.provisioner.ForkedProvisioner`) instead of started afresh.
    ``stopping`` is set by :func:`stop_kernel`: a kernel still being started then is not.
    """

    client_class = DottedObjectName("cxkit.reports.kernel.RunnerKernelClient")
    client_factory = Type(RunnerKernelClient, klass=AsyncKernelClient)
    zygote = Any(None, allow_none=True)
    stopping = Bool(False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        _STARTED.add(self)

    async def _async_pre_start_kernel(self, **kw: object) -> tuple[list[str], dict]:
        if self.provisioner is None and self.zygote is not None:
            self.kernel_id = self.kernel_id or str(kw.pop("kernel_id", None) or uuid.uuid4())
            self.provisioner = ForkedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            self.provisioner.zygote = self.zygote
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel


def ensure_kernel(root: Path | None = None) -> str:
    """Write the kernelspec (once per process) and put its folder first on JUPYTER_PATH.

    Returns the kernel name to pass to papermill.
    """
    root = Path(root or Path(tempfile.gettempdir()) / f"cxkit-jupyter-{os.getpid()}")
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "cxkit (this Python)", "language": "python"})
    )
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if str(root) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), *[p for p in paths if p]])
    return KERNEL_NAME


@contextmanager
def private_kernel() -> Iterator[dict[str, object]]:
    """Give papermill's keyword arguments for a private kernel; clean everything up after.

    Yields
    ------
    dict
        ``kernel_name``, ``kernel_manager_class`` and ``config`` for
        :func:`papermill.execute_notebook` (or :func:`execute_notebook`).

    Notes
    -----
    On leaving, normally or by an exception (an interrupt included), every kernel this process
    started is stopped (its connection file and sockets removed), ``JUPYTER_PATH`` is restored
    and the folder is removed.
    """
    root = Path(tempfile.gettempdir()) / f"cxkit-jupyter-{os.getpid()}"
    saved = os.environ.get("JUPYTER_PATH")
    try:
        name = ensure_kernel(root)
        manager: dict[str, object] = {}
        # sockets are named k<slot>-<port> (cxkit.reports.warm): short, as Unix allows 107 bytes
        sockets = str(root / "k")
        if os.name == "posix" and len(sockets.encode()) <= 96:  # + "<slot>-<port>" <= 107
            manager = {"transport": "ipc", "ip": sockets}
        yield {
            "kernel_name": name,
            "kernel_manager_class": RunnerKernelManager,
            "config": Config({"KernelManager": manager}),
        }
    finally:
        stop_kernels()
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved
        shutil.rmtree(root, ignore_errors=True)


def stop_kernels() -> None:
    """Kill every kernel this process started that is still running, reap it, remove its files."""
    for manager in list(_STARTED):
        stop_kernel(manager)


def stop_kernel(manager: AsyncKernelManager) -> None:
    """Kill ``manager``'s kernel at once if it is running, reap it and remove its files.

    A kernel that ``manager`` is still starting is stopped as it comes (forked kernels: see
    :class:`cxkit.reports.provisioner.ForkedProvisioner`).
    """
    manager.stopping = True
    process = getattr(manager.provisioner, "process", None)
    if process is not None and process.poll() is None:
        kill_group(process)
    manager.cleanup_connection_file()  # a name in the temporary directory
    manager.cleanup_ipc_files()


def execute_notebook(*args: object, **kwargs: object) -> object:
    """Run :func:`papermill.execute_notebook` in a worker thread and wait for it.

    The main thread keeps its signal handlers, so Ctrl-C or SIGTERM raise here at once; the
    caller's cleanup (:func:`private_kernel`) then stops the kernel, which ends the thread.
    """
    import papermill as pm

    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = pm.execute_notebook(*args, **kwargs)
        except BaseException as err:  # handed to the calling thread
            outcome["error"] = err

    worker = threading.Thread(target=target, name="cxkit-notebook", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
