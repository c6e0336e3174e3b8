"""Many clients' reports in parallel worker processes, each failure kept to its client."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import yaml

from cxkit.reports.config import ConfigError

__all__ = ["ClientOutcome", "died", "load_portfolio", "run_batch"]


@dataclass(frozen=True)
class ClientOutcome:
    """One client's line in the batch summary."""

    config: str
    client: str
    status: str  # "ok", "failed" (a notebook failed) or "error" (could not run at all)
    seconds: float
    message: str = ""
    index: str | None = None


def load_portfolio(path: str | Path) -> list[Path]:
    """Client config paths listed in a portfolio YAML (a list, or ``clients: [...]``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Portfolio {str(path)!r} does not exist.")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(
            f"Portfolio {str(path)!r} is not valid YAML: {err}\nFix that line; a portfolio "
            "lists client config files, e.g.\n  clients:\n    - acme/client.yml"
        ) from None
    entries = spec.get("clients") if isinstance(spec, Mapping) else spec
    if not isinstance(entries, list) or not entries or not all(isinstance(e, str) for e in entries):
        raise ConfigError(
            f"Portfolio {str(path)!r} must list client config files, e.g.\n"
            "  clients:\n    - acme/client.yml\n    - beta/client.yml"
        )
    return [(path.parent / e).resolve() for e in entries]


#: True while this worker runs a report: SIGTERM then unwinds it (cleanly) instead of exiting.
_busy = False


def _start_worker() -> None:
    """Worker set-up: the main process decides about interrupts and passes them on as SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    from cxkit.reports.forked import zygote_for

    zygote_for()  # imports the kernels' modules once; every client's kernels are forked from it


def _stop_worker(signum: int, _frame: object) -> None:
    if _busy:
        raise KeyboardInterrupt  # run_report removes its unfinished folder and its kernel
    sys.exit(128 + signum)  # idle: nothing to clean up


def run_one(
    config_path: str, overrides: dict[str, str | None], pdf: bool = False, sharing: int = 1
) -> ClientOutcome:
    """Run one client's report; never raises (the outcome says what went wrong)."""
    global _busy
    from cxkit.reports.config import load_config
    from cxkit.reports.run import run_report

    started = time.perf_counter()
    client = Path(config_path).parent.name
    try:
        _busy = True
        config = load_config(config_path).with_overrides(**overrides)
        client = config.client
        # one kernel per client: the batch's workers already keep the cores busy
        result = run_report(
            config,
            progress=lambda line: print(line, flush=True),
            pdf=pdf,
            jobs=1,
            sharing=sharing,  # reports running at once: each kernel's share of the cores
        )
    except KeyboardInterrupt:
        return ClientOutcome(config_path, client, "stopped", time.perf_counter() - started)
    except Exception as err:  # isolate the client: report it, let the others go on
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return ClientOutcome(config_path, client, "error", time.perf_counter() - started, first)
    finally:
        _busy = False
    failed = [f"{n.name}: {n.error}" for n in result.notebooks if n.status != "ok"]
    return ClientOutcome(
        config_path,
        client,
        "ok" if result.ok else "failed",
        time.perf_counter() - started,
        "; ".join(failed),
        str(result.index),
    )


def run_batch(
    configs: list[Path],
    *,
    workers: int = 2,
    overrides: dict[str, str | None] | None = None,
    pdf: bool = False,
) -> list[ClientOutcome]:
    """Run every client's report in ``workers`` processes; outcomes in the portfolio's order.

    On Ctrl-C or SIGTERM, clients not yet started are cancelled and the running ones are
    stopped (their previous reports stay as they were); the interrupt is then raised again.

    A worker process that dies (killed, or out of memory) breaks the pool: the clients that
    had started and not finished are run again one at a time, each alone in a fresh process,
    so the one that kills its process again is its own ``error`` line; the clients not yet
    started go on in a new pool.
    """
    overrides = overrides or {}
    outcomes: dict[int, ClientOutcome] = {}
    pending = list(range(len(configs)))
    while pending:
        done, started = _pool_round(configs, pending, workers, overrides, pdf)
        outcomes.update(done)
        for number in sorted(started - set(done)):  # running when the pool broke
            outcomes[number] = _alone(configs[number], overrides, pdf)
        left = [n for n in pending if n not in outcomes]
        if len(left) == len(pending):  # nothing ran: the workers cannot even start
            for number in left:
                outcomes[number] = died(configs[number], 0.0, "no worker process could start")
            left = []
        pending = left
    return [outcomes[n] for n in range(len(configs))]


def _pool_round(
    configs: list[Path], numbers: list[int], workers: int, overrides, pdf: bool
) -> tuple[dict[int, ClientOutcome], set[int]]:
    """Run clients ``numbers`` in a pool; give their outcomes and which ones started.

    Outcomes lack the clients a broken pool could not finish; a client counts as started
    when its worker marked it so (a file in a temporary folder, which outlives the worker).
    """
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no inherited state
    sharing = min(max(1, workers), len(numbers))  # reports running at once
    with (
        tempfile.TemporaryDirectory(prefix="cxkit-batch-") as marks,
        ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=context, initializer=_start_worker
        ) as pool,
    ):
        futures = {
            n: pool.submit(_marked, marks, n, str(configs[n]), overrides, pdf, sharing)
            for n in numbers
        }
        try:
            done = {}
            for number, future in futures.items():
                with contextlib.suppress(BrokenProcessPool):
                    done[number] = future.result()
        except KeyboardInterrupt:
            _stop_pool(pool, list(futures.values()))
            raise
        started = {int(p.name) for p in Path(marks).iterdir()}
    return done, started


def _marked(marks: str, number: int, *args) -> ClientOutcome:
    """In a worker: note that client ``number`` started, then run it (:func:`run_one`)."""
    (Path(marks) / str(number)).touch()
    return run_one(*args)


def _alone(config: Path, overrides, pdf: bool) -> ClientOutcome:
    """Run one client in a fresh process of its own; its death is its outcome."""
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker) as pool:
        future = pool.submit(run_one, str(config), overrides, pdf, 1)
        try:
            return future.result()
        except BrokenProcessPool:
            return died(config, time.perf_counter() - started)
        except KeyboardInterrupt:
            _stop_pool(pool, [future])
            raise


def died(config: Path, seconds: float, why: str = "") -> ClientOutcome:
    """Give the error line of a client whose worker died while running its report.

    The client is named as in its config (the folder's name when that cannot be read).
    """
    from cxkit.reports.config import load_config

    try:
        client = load_config(config).client
    except ConfigError:
        client = config.parent.name
    why = why or "its worker process died while running the report (killed, or out of memory)"
    return ClientOutcome(str(config), client, "error", seconds, why)


def _stop_pool(pool: ProcessPoolExecutor, futures: list) -> None:
    """Cancel what has not started, terminate the workers (their reports clean up)."""
    for future in futures:
        future.cancel()
    for process in list(pool._processes.values()):  # no public way to reach them
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def summary_table(outcomes: list[ClientOutcome]) -> str:
    """Format the closing table: client, status, seconds, first line of any error."""
    width = max([len(o.client) for o in outcomes] + [6])
    lines = [f"{'client':<{width}}  status  seconds  error / report"]
    for o in outcomes:
        detail = o.message or (o.index or "")
        lines.append(f"{o.client:<{width}}  {o.status:<6}  {o.seconds:7.1f}  {detail}")
    ok = sum(o.status == "ok" for o in outcomes)
    lines.append(f"{ok} of {len(outcomes)} client(s) completed")
    return "\n".join(lines)
