"""A client's notebooks on one warm kernel: started once, its state reset between notebooks.

Starting a kernel and importing pandas, SciPy, statsmodels, matplotlib and cxkit in it costs
about two seconds per notebook; a report of five notebooks paid it five times. A
:class:`WarmKernel` starts one kernel for a report and runs each notebook on it through
papermill with a small engine of our own (``cxkit-warm``): papermill still injects the
parameters, marks a failing cell and writes the executed notebook. Before each notebook the
kernel goes back to the state it started in (:mod:`cxkit.reports.kernelstate`): ``%reset -f``
for the namespace, then the working directory, environment, warning filters, matplotlib and
pandas settings, random seeds.

A notebook that kills its kernel (or a kernel that died) fails that notebook; the next one gets
a fresh kernel. Clients never share a kernel: each report (and each client of a batch) has its
own :class:`WarmKernel`, stopped with the report.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args
from traitlets import Unicode

from cxkit.reports.forked import START_TIMEOUT, KernelStartCancelled, zygote_for
from cxkit.reports.kernel import execute_notebook, stop_kernel
from cxkit.reports.zygote import PRELOAD

__all__ = ["ENGINE", "KernelStateError", "WarmKernel"]

ENGINE = "cxkit-warm"
_STATE = "from cxkit.reports import kernelstate as _state\n_state.{}()\ndel _state"
#: Run silently before a notebook, on a kernel that has run nothing yet.
FIRST = _STATE.format("remember")
#: Run silently before each later notebook on the same kernel.
AGAIN = 'get_ipython().run_line_magic("reset", "-f")\n' + _STATE.format("restore")


class KernelStateError(RuntimeError):
    """Setting up or resetting the warm kernel's state failed (the kernel is replaced)."""


class _Client(PapermillNotebookClient):
    """papermill's client, running ``prelude`` silently before the notebook's first cell."""

    prelude = Unicode("")

    def papermill_execute_cells(self) -> None:
        if self.prelude:
            reply = self.wait_for_reply(
                self.kc.execute(self.prelude, silent=True, store_history=False)
            )
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                raise KernelStateError(
                    f"resetting the kernel failed: {content.get('ename')}: {content.get('evalue')}"
                )
        super().papermill_execute_cells()


class WarmEngine(NBClientEngine):
    """A papermill engine that runs a notebook on a kernel manager it is given.

    The kernel is left running: only the engine's own client's channels are closed.
    """

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man,
        kernel_name: str,
        log_output: bool = False,
        stdout_file=None,
        stderr_file=None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        **kwargs,
    ):
        """Execute ``nb_man``'s notebook with ``km`` and ``prelude`` taken from ``kwargs``."""
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(
            kwargs,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        env = final.pop("kernel_env", None)
        client = _Client(nb_man, **final)
        try:  # the environment is used only if the kernel has to be started
            return client.execute(cleanup_kc=False, **({"env": env} if env else {}))
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, WarmEngine)


class WarmKernel:
    """One kernel for one client's notebooks, run in turn.

    Parameters
    ----------
    kernel : dict
        What :func:`cxkit.reports.kernel.private_kernel` yields: ``kernel_name``,
        ``kernel_manager_class`` and ``config``.
    cwd : Path
        The kernel's working directory (the notebooks' folder), given to the kernel when it
        starts: this process's own working directory is never changed, so several warm
        kernels can run notebooks side by side in threads.
    slot : int
        Which of the report's side-by-side kernels this is. Over Unix sockets, each slot names
        its sockets with its own prefix: jupyter_client numbers socket files by the first
        free number, and two kernels starting at once would both take the same ones.
    threads : int, optional
        Threads the kernel's linear algebra may use (``OMP_NUM_THREADS``,
        ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``, unless already set), for kernels that
        share the cores with others: two kernels each running two BLAS threads on two cores
        were slower than with one each (notebook 02's bootstrap: 0.86 s against 0.31 s).
        ``None`` leaves the libraries' default (all cores).
    """

    def __init__(
        self, kernel: dict[str, object], cwd: Path, slot: int = 0, threads: int | None = None
    ) -> None:
        self.kernel = kernel
        self.cwd = cwd
        self.env = _kernel_environment(threads)
        #: where new kernels are forked from (None: started afresh), see cxkit.reports.forked
        self.zygote = zygote_for()
        settings = kernel["config"].get("KernelManager", {})
        ipc = settings.get("transport") == "ipc"
        self.sockets = {"ip": f"{settings['ip']}{slot}"} if ipc else {}
        #: papermill's and nbclient's messages about this kernel (silenced by :meth:`silence`)
        self.log = logging.getLogger(f"cxkit.reports.warm.kernel{slot}")
        self.log.disabled = False  # (an abandoned report's kernel of the same slot silenced it)
        self.manager = None
        self.notebooks = 0  # notebooks run on the current kernel
        self.abandoned = False

    def execute(self, input_path: str, output_path: str, **papermill: object) -> None:
        """Run one notebook with :func:`papermill.execute_notebook` on the warm kernel.

        A fresh kernel is started when there is none or the last one died; papermill's
        errors (a failing cell: :class:`papermill.PapermillExecutionError`) pass through.
        """
        if self.manager is not None and not self.alive():
            self.discard()
        if self.manager is None:
            if self.abandoned:
                raise KernelStartCancelled()
            make, name = self.kernel["kernel_manager_class"], self.kernel["kernel_name"]
            self.manager = make(
                kernel_name=name, config=self.kernel["config"], zygote=self.zygote, **self.sockets
            )
            self.notebooks = 0
        prelude = FIRST if self.notebooks == 0 else AGAIN
        # the preload runs before the kernel is ready: on a new machine matplotlib first builds
        # its font cache there, so the start gets more than papermill's default 60 s
        papermill.setdefault("start_timeout", START_TIMEOUT)
        self.notebooks += 1
        execute_notebook(
            input_path,
            output_path,
            engine_name=ENGINE,
            km=self.manager,
            prelude=prelude,
            kernel_name=self.kernel["kernel_name"],
            resources={"metadata": {"path": str(self.cwd)}},  # nbclient: the kernel's cwd
            log=self.log,
            kernel_env=self.env,
            extra_arguments=list(KERNEL_ARGUMENTS),  # for a kernel nbclient starts
            **papermill,
        )

    def alive(self) -> bool:
        """Whether the current kernel's process is running."""
        process = getattr(getattr(self.manager, "provisioner", None), "process", None)
        return process is not None and process.poll() is None

    def abandon(self) -> None:
        """Say nothing more, and start no kernel any more: the report was abandoned.

        Its kernels are stopped under the notebooks they run; a notebook that then asks for a
        kernel (a retry) gets :class:`cxkit.reports.forked.KernelStartCancelled`.
        """
        self.abandoned = True
        self.log.disabled = True

    def discard(self) -> None:
        """Stop the current kernel at once (if any) and remove its files.

        The next notebook starts a fresh kernel.
        """
        if self.manager is not None:
            stop_kernel(self.manager)
            self.manager = None


#: A new kernel's arguments: the imports (:data:`cxkit.reports.zygote.PRELOAD`; already done in
#: a kernel forked from the zygote), as one of ipykernel's ``exec_lines`` (run after the
#: inline plot backend is set, so plots still show inline); nothing is left in the namespace.
#: (nbclient adds its own, no history file.) Then ``gc.freeze()``: the ~170,000 objects of
#: the modules, which live as long as the kernel, are left out of every later garbage
#: collection, and IPython's ``%reset`` (two full collections) between notebooks takes 4 ms
#: instead of 150 ms.
KERNEL_ARGUMENTS = (
    f"--IPKernelApp.exec_lines=for _m in {PRELOAD!r}: __import__(_m)\n"
    "del _m\n__import__('gc').freeze()",
)


#: The linear-algebra libraries' thread counts.
THREAD_SETTINGS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _kernel_environment(threads: int | None) -> dict[str, str] | None:
    """Give the kernels' environment: this process's, with ``threads`` linear-algebra threads.

    The thread counts are set only where the user left them unset; ``None`` (no limit) gives
    ``None``: the kernel inherits this process's environment.
    """
    if threads is None:
        return None
    env = dict(os.environ)
    for name in THREAD_SETTINGS:
        env.setdefault(name, str(max(1, threads)))
    return env
