"""Run a client's report: execute notebooks, write client pages, metrics, history, manifest.

Output folder ``<output>/<client slug>/<period>/`` receives:

- ``notebooks/<name>.ipynb``: each executed notebook, for the analyst (a failing one keeps its
  outputs up to the failing cell, which papermill marks);
- ``<name>.html``: each completed notebook as a client page, without code;
- ``index.html``: headline indicators with their change since the previous period, and links;
- ``metrics.csv``: ``client, period, metric, group, value, ci_low, ci_high, n, se,
  small_sample``;
- ``manifest.json``: cxkit version, parameters, input file hashes, times, per-notebook status;
- ``report.pdf`` with ``pdf=True``: the index, then each section, printed by headless Chromium.

The report is built in a hidden folder beside ``<period>/`` and swapped in when complete
(:mod:`cxkit.reports.aside`), together with the history: an interrupted or crashed run
leaves the previous report and history exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from cxkit._version import __version__
from cxkit.errors import CxkitError
from cxkit.headline import COLUMNS
from cxkit.i18n import text
from cxkit.reports.aside import built_aside, relocate_file, relocated, signals_held, swap_in
from cxkit.reports.config import (
    ClientConfig,
    check_data,
    local_file,
    notebook_parameters,
    scan_folder,
)
from cxkit.reports.forked import zygote_for
from cxkit.reports.history import History
from cxkit.reports.hypotheses_line import hypothesis_lines
from cxkit.reports.kernel import private_kernel
from cxkit.reports.pages import Section, index_page, kpis, notebook_page
from cxkit.reports.pdf import find_chromium, print_pdf
from cxkit.reports.priorities import priority_lines
from cxkit.reports.rootcause_line import rootcause_lines
from cxkit.reports.voc_line import voc_lines
from cxkit.reports.warm import WarmKernel

__all__ = ["NotebookRun", "ReportResult", "run_report"]

_KERNEL_START_TRIES = 3
#: Columns of ``metrics.csv``: the issue's tidy columns, then the SE and small-base flag.
METRICS_FILE_COLUMNS = [
    "client",
    "period",
    "metric",
    "group",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "se",
    "small_sample",
]


@dataclass
class NotebookRun:
    """How one notebook's run went."""

    name: str
    status: str  # "ok" or "failed"
    seconds: float
    error: str | None = None
    executed: str | None = None
    page: str | None = None


@dataclass
class ReportResult:
    """What :func:`run_report` produced."""

    client: str
    period: str
    folder: Path
    notebooks: list[NotebookRun] = field(default_factory=list)
    metrics: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        """True when every notebook completed."""
        return all(n.status == "ok" for n in self.notebooks)

    @property
    def index(self) -> Path:
        """The report's front page."""
        return self.folder / "index.html"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _parameters(config: ClientConfig, name: str, metrics_path: Path) -> dict[str, object]:
    """Choose what to inject: the runner's values the notebook declares, then the config's.

    Every data path is injected: a kind the config does not give is ``None``, so a notebook's
    default (the sample client's files) can never stand in for a client's export. So are the
    client's own files: the touchpoint catalog, the 5-whys log, the hypothesis register, the
    theme taxonomy and the follow-up log (``None`` without their key in the config).
    """
    data = config.data
    offered: dict[str, object] = {
        "client": config.client,
        "period": str(config.period),
        "lang": config.language,
        "min_n": config.min_n,
        "redact": config.redact,
        "currency": config.currency,
        "timezone": config.timezone,
        "window": config.window,
        "metrics_path": str(metrics_path),
        "history_path": str(_history_path(config)),
    }
    for kind in ("responses", "tickets", "customers", "orders"):
        offered[f"{kind}_path"] = _data_path(config, kind)
    mapping = data.get("responses", {}).get("mapping")
    offered["mapping_path"] = str(mapping) if mapping else None
    offered["touchpoints_path"] = str(config.touchpoints) if config.touchpoints else None
    for key in ("five_whys", "hypotheses", "themes", "follow_up"):
        path = getattr(config, key)
        offered[f"{key}_path"] = str(path) if path else None
    declared = notebook_parameters(config.notebook_path(name))
    chosen = {k: v for k, v in offered.items() if k in declared}
    chosen.update(config.parameters.get(name, {}))
    return chosen


def _data_path(config: ClientConfig, kind: str) -> str | None:
    """Give export ``kind`` as a notebook reads it: its file, or its validated folder."""
    if kind not in config.data:
        return None
    path = config.data[kind]["path"]
    return str(path if local_file(path) else scan_folder(config, kind))


def _execute(
    config: ClientConfig,
    name: str,
    folder: Path,
    kernel: WarmKernel,
    progress: Callable[[str], None],
) -> tuple[NotebookRun, dict[str, object]]:
    executed = folder / "notebooks" / f"{name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    params = _parameters(config, name, folder / "metrics" / f"{name}.csv")
    started = time.perf_counter()
    progress(f"{config.client} · {name}: running")
    error = _papermill(config, name, executed, params, kernel, progress)
    status = "ok" if error is None else "failed"
    run = NotebookRun(
        name,
        status,
        time.perf_counter() - started,
        error,
        str(executed) if executed.exists() else None,
    )
    progress(f"{config.client} · {name}: {run.status} in {run.seconds:.1f} s")
    _page(config, run, folder)  # here: beside kernels still running the next notebooks
    return run, params


def _jobs(jobs: int | None, config: ClientConfig) -> int:
    """How many kernels: ``jobs``, or two (one on a one-core machine); never more than notebooks."""
    wanted = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    return max(1, min(wanted, len(config.notebooks)))


def _threads(kernels: int) -> int | None:
    """Linear-algebra threads per kernel when ``kernels`` share the cores; None when alone."""
    return None if kernels <= 1 else max(1, (os.cpu_count() or 1) // kernels)


def _execute_all(
    config: ClientConfig,
    folder: Path,
    kernels: list[WarmKernel],
    progress: Callable[[str], None],
) -> list[tuple[NotebookRun, dict[str, object]]]:
    """Run the notebooks on the kernels, each free kernel taking the next; results in order.

    With one kernel they run in turn in this thread. With more, each runs in a thread of its
    own (notebooks are independent: each reads the exports and writes its own files); an
    interrupt reaches this thread, which leaves at once and lets the report's clean-up stop
    the kernels, which ends the threads.
    """
    if len(kernels) == 1:
        return [_execute(config, name, folder, kernels[0], progress) for name in config.notebooks]
    free: queue.SimpleQueue[WarmKernel] = queue.SimpleQueue()
    for kernel in kernels:
        free.put(kernel)
    abandoned = threading.Event()  # once set, the threads' notebooks fail silently

    def told(line: str) -> None:
        if not abandoned.is_set():
            progress(line)

    def run(name: str) -> tuple[NotebookRun, dict[str, object]]:
        kernel = free.get()
        try:
            return _execute(config, name, folder, kernel, told)
        finally:
            free.put(kernel)

    pool = ThreadPoolExecutor(len(kernels), thread_name_prefix="cxkit-kernel")
    try:
        futures = [pool.submit(run, name) for name in config.notebooks]
        return [future.result() for future in futures]
    except BaseException:  # an interrupt: the kernels are stopped next, failing the threads
        abandoned.set()
        for kernel in kernels:
            kernel.abandon()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _papermill(
    config: ClientConfig,
    name: str,
    executed: Path,
    params: dict[str, object],
    kernel: WarmKernel,
    progress: Callable[[str], None],
) -> str | None:
    """Execute one notebook on the report's warm kernel; return None, or what went wrong.

    A cell that raises is final (papermill saves the notebook with the failing cell marked).
    So is a kernel that dies under the notebook (the next notebook gets a fresh one). Anything
    else is the kernel failing to start or to reset: it is discarded and the notebook retried
    on a fresh one, with a short pause, up to ``_KERNEL_START_TRIES`` times.
    """
    import papermill as pm
    from nbclient.exceptions import DeadKernelError

    for attempt in range(1, _KERNEL_START_TRIES + 1):
        try:
            kernel.execute(
                str(config.notebook_path(name)),
                str(executed),
                parameters=params,
                progress_bar=False,
                log_output=False,
                # written once at the end (papermill still marks a failing cell), not after
                # every cell; the kernel stays for the next notebook (stopped with the report)
                request_save_on_cell_execute=False,
            )
            return None
        except pm.PapermillExecutionError as err:
            message = str(err.evalue).splitlines()[0] if err.evalue else ""
            # the cell's place in the executed notebook (saved with the report), not the
            # kernel's execution count, which runs on across the notebooks a warm kernel ran
            return f"cell {err.cell_index + 1}: {err.ename}: {message}"
        except DeadKernelError as err:  # the notebook stopped its kernel: not worth a retry
            kernel.discard()
            return f"the kernel died while the notebook ran ({err})"
        except Exception as err:  # the kernel failed: a fresh one, and again
            kernel.discard()
            if attempt == _KERNEL_START_TRIES:
                return f"kernel failed: {type(err).__name__}: {err}"
            progress(f"{config.client} · {name}: kernel failed ({err}); retrying on a fresh one")
            time.sleep(0.5 * attempt)
    return None


def _page(config: ClientConfig, run: NotebookRun, folder: Path) -> None:
    """Write a completed notebook's client page (``<name>.html``) and note it in ``run``."""
    if run.status != "ok":
        return
    html = notebook_page(
        Path(run.executed),
        lang=config.language,
        client=config.client,
        period=str(config.period),
        title=text(config.language).get(run.name, run.name),
    )
    (folder / f"{run.name}.html").write_text(html, encoding="utf-8")
    run.page = f"{run.name}.html"


def _sections(config: ClientConfig, runs: list[NotebookRun]) -> list[Section]:
    """List the sections for the front page: title, status, and the page when there is one."""
    strings = text(config.language)
    return [
        Section(strings.get(run.name, run.name), run.status, strings[run.status], run.page)
        for run in runs
    ]


def _metrics(folder: Path, runs: list[NotebookRun]) -> pd.DataFrame:
    parts = [
        pd.read_csv(folder / "metrics" / f"{r.name}.csv")
        for r in runs
        if r.status == "ok" and (folder / "metrics" / f"{r.name}.csv").exists()
    ]
    metrics = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    metrics["period"] = metrics["period"].astype(str)
    metrics = metrics.drop_duplicates(subset=["period", "metric", "group"], keep="first")
    return metrics.reindex(columns=COLUMNS)


def _history_path(config: ClientConfig) -> Path:
    base = config.source.parent if config.source else config.output
    return base / "history.sqlite"


def run_report(
    config: ClientConfig,
    *,
    progress: Callable[[str], None] = print,
    pdf: bool = False,
    jobs: int | None = None,
    sharing: int = 1,
) -> ReportResult:
    """Produce one client's report for its period (see the module notes for the files).

    The notebooks run on ``jobs`` warm kernels side by side (default: two, or one on a
    one-core machine), each kernel taking the next notebook when it is free; a batch runs
    each client on one, since its workers already keep the cores busy. When kernels share the
    cores (``jobs`` of them here, times ``sharing`` reports running at once in a batch), each
    kernel's linear algebra gets its share of the cores' threads.

    With ``pdf=True`` the report is also printed to ``report.pdf`` (the index, then each
    section) by headless Chromium, which must be installed (checked before anything runs).

    The report is built in a temporary folder beside its destination and swapped in only when
    complete, so an interrupted or crashed run leaves the previous report as it was. History is
    updated (at the swap) only when every notebook completed, so a failed run stores nothing;
    the previous period's metrics come from the history, so the new export may hold only the
    new period. Every export is read and checked against the period first (``check_data``):
    a problem there is a :class:`ConfigError` before any kernel starts.
    """
    zygote_for()  # the kernels' imports, while the exports are checked (if not started yet)
    check_data(config, progress)
    # absolute: the notebooks run in their own folder and write their metrics by this path
    final = (config.output / config.slug / str(config.period)).absolute()
    history = _StoreOnCommit(_open_history(_history_path(config)))
    chromium = find_chromium() if pdf else None
    with built_aside(final) as folder, private_kernel() as kernel:
        slots = range(_jobs(jobs, config))
        threads = _threads(len(slots) * sharing)
        kernels = [WarmKernel(kernel, config.notebooks_dir, s, threads) for s in slots]
        result = _build(config, folder, final, kernels, history, progress)
        if chromium:
            _print(result, chromium, progress)
        with signals_held():
            history.commit()
            swap_in(folder, final)
    result.folder = final
    return result


def _build(
    config: ClientConfig,
    folder: Path,
    final: Path,
    kernels: list[WarmKernel],
    history: _StoreOnCommit,
    progress: Callable[[str], None],
) -> ReportResult:
    """Write the whole report into ``folder``; paths written down point into ``final``."""
    started = pd.Timestamp.now("UTC")
    executed = _execute_all(config, folder, kernels, progress)
    runs = [run for run, _ in executed]
    result = ReportResult(config.client, str(config.period), folder, runs)
    sections = _sections(config, runs)
    _relocate_runs(runs, folder, final)
    collected = _metrics(folder, runs)
    result.metrics = collected[collected["period"] == str(config.period)].reset_index(drop=True)
    previous_period, previous = history.previous(config.client, config.period)
    if previous_period is None:  # nothing stored yet: the export's own previous period, if any
        earlier = collected[collected["period"] == str(config.period - 1)]
        previous_period, previous = (
            (str(config.period - 1), earlier) if len(earlier) else (None, earlier)
        )
    if result.ok:
        history.store(config.client, config.period, result.metrics, uuid.uuid4().hex)
    tidy = result.metrics.assign(client=config.client)
    tidy[METRICS_FILE_COLUMNS].to_csv(folder / "metrics.csv", index=False)
    page = index_page(
        lang=config.language,
        client=config.client,
        period=str(config.period),
        kpi_rows=kpis(
            result.metrics,
            previous,
            previous_period,
            config.language,
            period=config.period,
            history=_trend_history(history.load(config.client), collected, config.period),
        ),
        sections=sections,
        previous_period=previous_period,
        priorities=priority_lines(result.metrics, config.language),
        rootcause=rootcause_lines(result.metrics, config.language),
        hypotheses=hypothesis_lines(result.metrics, config.language),
        voc=voc_lines(result.metrics, config.language),
    )
    result.index.write_text(page, encoding="utf-8")
    params = [relocated(p, folder, final) for _, p in executed]
    _manifest(config, result, params, started, previous_period)
    return result


def _trend_history(stored: pd.DataFrame, collected: pd.DataFrame, period) -> pd.DataFrame:
    """Gather earlier periods for the front page's trends.

    The stored history comes first, then the export's own earlier periods that the notebooks
    computed, so a client without a history yet still gets trends.
    """
    earlier = collected[collected["period"] != str(period)]
    return pd.concat([stored, earlier], ignore_index=True)


def _print(result: ReportResult, chromium: str, progress: Callable[[str], None]) -> None:
    """Write ``report.pdf``: the index, then each section page that was written."""
    pages = [result.index] + [result.folder / r.page for r in result.notebooks if r.page]
    progress(f"{result.client} · printing {len(pages)} HTML page(s) to report.pdf")
    print_pdf(pages, result.folder / "report.pdf", chromium=chromium)


def _relocate_runs(runs: list[NotebookRun], folder: Path, final: Path) -> None:
    """Point each run's executed notebook (and the paths injected into it) at ``final``."""
    for run in runs:
        if run.executed is not None:
            relocate_file(Path(run.executed), folder, final)
            run.executed = relocated(run.executed, folder, final)


def _open_history(path: Path) -> History:
    """Open the client's history, or raise :class:`CxkitError` saying what to do with it."""
    try:
        return History(path)
    except sqlite3.Error as err:
        raise CxkitError(
            f"The history file {str(path)!r} cannot be used ({err}). If it is damaged or not "
            "a cxkit history, move it away: the next report starts a new history there."
        ) from None


class _StoreOnCommit:
    """A :class:`History` whose :meth:`store` waits for :meth:`commit` (the report's swap)."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.pending: list[tuple] = []

    def previous(self, client: str, period: pd.Period) -> tuple[str | None, pd.DataFrame]:
        return self.history.previous(client, period)

    def load(self, client: str) -> pd.DataFrame:
        return self.history.load(client)  # what is stored; this run's rows wait for commit

    def store(self, *args: object) -> None:
        self.pending.append(args)

    def commit(self) -> None:
        for args in self.pending:
            self.history.store(*args)
        self.pending.clear()


def _input(config: ClientConfig, kind: str, path: Path) -> dict[str, object]:
    """Record an input: a file's digest; a folder or glob's files and their validation.

    A large export's files are identified by size and modification time, as its validation
    records them (hashing every file of a data lake would cost more than the report).
    """
    if local_file(path):
        return {"path": str(path), "sha256": _digest(path)}
    from cxkit.scan._validate import recorded_stamps

    folder = scan_folder(config, kind)
    validated = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        "path": str(path),
        "validated": str(folder),
        "validation": validated["validation"],
        "files": recorded_stamps(validated),
    }


def _manifest(
    config: ClientConfig,
    result: ReportResult,
    params: list[dict[str, object]],
    started: pd.Timestamp,
    previous_period: str | None,
) -> None:
    inputs = {
        f"{kind}.{key}": _input(config, kind, path)
        for kind, files in config.data.items()
        for key, path in files.items()
        if path is not None
    }
    manifest = {
        "cxkit_version": __version__,
        "client": config.client,
        "period": str(config.period),
        "language": config.language,
        "config": str(config.source) if config.source else None,
        "started": started.isoformat(),
        "finished": pd.Timestamp.now("UTC").isoformat(),
        "status": "ok" if result.ok else "failed",
        "compared_with": previous_period,
        "inputs": inputs,
        "notebooks": [
            {**asdict(r), "parameters": p} for r, p in zip(result.notebooks, params, strict=True)
        ],
    }
    (result.folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, default=str), encoding="utf-8"
    )
