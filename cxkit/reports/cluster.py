"""Many clients' reports on a Dask distributed cluster, each failure kept to its client.

``cxkit batch PORTFOLIO --scheduler ADDRESS`` sends each client's report (the process pool's
own :func:`~cxkit.reports.batch.run_one`) to the workers of a running scheduler
(``tcp://host:8786``), or, with ``local:N``, to N worker processes started here for the batch.
Dask is optional (``pip install -e ".[dask]"``): it is imported only when a batch uses it.

Workers read the configs, exports and notebooks at the paths the portfolio gives, and write the
reports there, so they must see the same files as the machine that submits the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxkit.errors import CxkitError
from cxkit.reports.aside import interrupt_thread
from cxkit.reports.batch import ClientOutcome, died, run_one

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["local_workers", "run_batch_on_cluster"]

#: Seconds to wait for a scheduler to answer, and for it to have a worker.
CONNECT_SECONDS = 10.0

#: Seconds a worker waits, after Ctrl-C, for its running reports to stop and clean up.
STOP_SECONDS = 60.0

_INSTALL = 'pip install -e ".[dask]" in the cxkit checkout (or conda install dask distributed)'


def local_workers(scheduler: str) -> int | None:
    """N for ``local:N`` (N worker processes here); ``None`` for a scheduler's address.

    Raises :class:`CxkitError` naming ``--scheduler`` when N is not a positive integer.
    """
    if not scheduler.startswith("local:"):
        return None
    count = scheduler.removeprefix("local:").strip()
    if not (count.isascii() and count.isdigit() and int(count) > 0):
        raise CxkitError(
            "--scheduler local:N needs N, the number of worker processes to start here, as a "
            f"positive integer, e.g. --scheduler local:2; got {scheduler!r}."
        )
    return int(count)


def run_batch_on_cluster(
    configs: list[Path],
    *,
    scheduler: str,
    overrides: dict[str, str | None] | None = None,
    pdf: bool = False,
) -> list[ClientOutcome]:
    """Run every client's report on a Dask cluster; outcomes in the portfolio's order.

    Parameters
    ----------
    configs : list of Path
        Client config files (absolute: the workers read them).
    scheduler : str
        A Dask scheduler's address (``tcp://host:8786``), or ``local:N`` to start a
        ``distributed.LocalCluster`` of N one-thread worker processes for this batch.
    overrides : dict, optional
        Config values for every client (``period``, ``language``).
    pdf : bool
        Also print each report to PDF.

    Returns
    -------
    list of ClientOutcome
        One per config, as :func:`~cxkit.reports.batch.run_batch` gives them. A client whose
        worker died is an ``"error"`` line; the others go on.

    Notes
    -----
    On Ctrl-C or SIGTERM, clients not yet started are cancelled and the running reports are
    stopped on their workers (each removes its unfinished folder and its kernel), the client
    and a local cluster are closed, and the interrupt is raised again.
    """
    workers = local_workers(scheduler)
    distributed = _import_distributed()
    with _connected(distributed, scheduler, workers) as client:
        return _run_on(client, configs, overrides or {}, pdf)


def _import_distributed() -> Any:
    """Import ``distributed``, or raise a one-line :class:`CxkitError` saying how to install it."""
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError as err:
        missing = err.name or "dask"
        raise CxkitError(
            f"--scheduler needs Dask, and {missing!r} is not installed; {_INSTALL}."
        ) from None
    return distributed


@contextmanager
def _connected(distributed: Any, scheduler: str, workers: int | None) -> Iterator[Client]:
    """Give a Dask client on the scheduler, or on a local cluster started (and closed) here."""
    cluster = None if workers is None else _local_cluster(distributed, workers)
    try:
        client = _client(distributed, cluster or scheduler, scheduler)
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _local_cluster(distributed: Any, workers: int) -> Any:
    """N one-thread worker processes, no dashboard; a worker that dies fails its one client."""
    import dask

    settings = {"distributed.scheduler.worker-saturation": 1.0}  # one report per worker at once
    on_main_thread = threading.current_thread() is threading.main_thread()
    # the workers inherit an ignored SIGINT: Ctrl-C is the batch's to handle, as in the pool
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if on_main_thread else None
    try:
        with dask.config.set(settings):
            return distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,  # errors only: a dead worker is the summary's to report
                # not run again on another worker; no dashboard, its HTTP port a free one
                scheduler_kwargs={"allowed_failures": 0, "dashboard_address": "127.0.0.1:0"},
            )
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _client(distributed: Any, target: Any, scheduler: str) -> Client:
    """Connect, and wait for a worker; an unreachable scheduler is an error naming the option."""
    if isinstance(target, str):
        _check_address(target)
    try:
        client = distributed.Client(target, timeout=CONNECT_SECONDS, set_as_default=False)
    except OSError as err:
        raise CxkitError(
            f"--scheduler {scheduler!r}: no Dask scheduler answered there within "
            f"{CONNECT_SECONDS:g} s ({_first_line(err)}). Check the address and port "
            "(e.g. tcp://host:8786) and that `dask scheduler` runs there, or use "
            "--scheduler local:N to start N workers on this machine."
        ) from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise CxkitError(
            f"--scheduler {scheduler!r}: the scheduler answered but has no worker. Start "
            f"some with `dask worker {scheduler}` on machines that see the clients' files."
        ) from None
    return client


def _check_address(scheduler: str) -> None:
    """Raise :class:`CxkitError` naming ``--scheduler`` when it is not a Dask address."""
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(scheduler)
        get_backend(scheme).get_address_host_port(location)  # a port that is a number
    except NotImplementedError:  # a scheme without host and port (inproc)
        pass
    except (ValueError, TypeError) as err:
        raise CxkitError(
            f"--scheduler {scheduler!r} is not a Dask scheduler's address ({_first_line(err)}); "
            "give one such as tcp://host:8786, or local:N to start N workers on this machine."
        ) from None


def _run_on(
    client: Client, configs: list[Path], overrides: dict[str, str | None], pdf: bool
) -> list[ClientOutcome]:
    """Submit one task per client; collect the outcomes; on an interrupt, stop them all."""
    sharing = _reports_at_once(client, len(configs))
    client.run(_warm_worker, on_error="ignore")  # the kernels' imports begin now, as in the pool
    batch = uuid.uuid4().hex
    futures = [
        client.submit(
            _run_client, batch, str(c), overrides, pdf, sharing,
            key=f"cxkit-report-{c.parent.name}-{uuid.uuid4().hex[:8]}", pure=False,
        )
        for c in configs
    ]  # fmt: skip
    started = time.perf_counter()
    try:
        return [_outcome(f, str(c), started) for f, c in zip(futures, configs, strict=True)]
    except KeyboardInterrupt:
        _stop(client, futures, batch)
        raise


def _reports_at_once(client: Client, clients: int) -> int:
    """Count reports that may run at once on a machine: its workers' threads (<= ``clients``)."""
    per_host: Counter[str] = Counter()
    for worker in client.scheduler_info(n_workers=-1)["workers"].values():
        per_host[worker["host"]] += worker["nthreads"]
    return max(1, min(max(per_host.values(), default=1), clients))


def _outcome(future: Future, config: str, started: float) -> ClientOutcome:
    """Give the task's outcome; one that could not finish (its worker died) is an error line."""
    try:
        return future.result()
    except Exception as err:  # run_one never raises: the worker, not the report, failed
        if type(err).__name__ == "KilledWorker":
            message = "its Dask worker died while running the report (out of memory?)"
        else:
            message = f"the Dask task failed: {type(err).__name__}: {_first_line(err)}"
        return died(Path(config), time.perf_counter() - started, message)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _stop(client: Client, futures: list[Future], batch: str) -> None:
    """Cancel the clients not started; stop the running reports and wait for their clean-up."""
    try:
        client.cancel(futures, force=True)
        client.run(_stop_reports, batch, STOP_SECONDS, on_error="ignore")
    except Exception:  # the batch is ending anyway: closing must go on
        pass


# ---------------------------------------------------------------------- on a Dask worker
#: Threads of this worker running a report, with their batch (a stop is aimed only at those).
_running: dict[int, str] = {}
_running_lock = threading.Lock()


def _warm_worker() -> None:
    """On a worker: start its kernel zygote (the kernels' imports), as a pool worker does."""
    from cxkit.reports.forked import zygote_for

    zygote_for()


def _run_client(
    batch: str, config_path: str, overrides: dict[str, str | None], pdf: bool, sharing: int
) -> ClientOutcome:
    """On a worker: :func:`run_one`, in a thread that :func:`_stop_reports` can interrupt."""
    ident = threading.get_ident()
    started = time.perf_counter()
    with _running_lock:
        _running[ident] = batch
    try:
        try:
            return run_one(config_path, overrides, pdf, sharing)
        finally:
            with _running_lock:
                _running.pop(ident, None)  # no stop can be aimed at this thread after this
    except KeyboardInterrupt:  # a stop that arrived just as the report ended
        client = Path(config_path).parent.name
        return ClientOutcome(config_path, client, "stopped", time.perf_counter() - started)


async def _stop_reports(batch: str, wait: float) -> int:
    """On a worker: raise KeyboardInterrupt in the batch's running reports; wait until they stop.

    A Dask task runs in a worker thread, where no signal arrives; the exception is raised in
    that thread as a signal would raise it, and :func:`run_one` cleans up as on Ctrl-C. A
    thread waiting for a notebook gets it when the notebook ends, so the worker's kernels are
    interrupted too (as Jupyter does, with SIGINT), unless another batch's reports run here.
    """
    with _running_lock:
        stopped = [ident for ident, of in _running.items() if of == batch]
        for ident in stopped:
            interrupt_thread(ident)  # not while it swaps its report in: that one finishes
        alone = len(stopped) == len(_running)
    if stopped and alone:
        _interrupt_kernels()
    deadline = time.monotonic() + wait
    while set(_running).intersection(stopped) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return len(stopped)


def _interrupt_kernels() -> None:
    """Send SIGINT to this worker's child processes: its kernels (its zygote ignores it)."""
    import psutil  # a dependency of distributed

    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error, ValueError):  # gone, or not on this system
            child.send_signal(signal.SIGINT)
