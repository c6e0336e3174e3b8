"""The ``cxkit`` command line: validate, sample-data, report, new-client and batch.

Exit codes: 0 when every file could be read (quarantined rows included), 1 when a report's
notebook failed, 2 when a file could not be read or the command was used wrongly (the message
says why and how to fix it), 130 after Ctrl-C and 143 after SIGTERM (one line says so; an
unfinished report or client folder is never left behind).
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cxkit._version import __version__
from cxkit.errors import CxkitError
from cxkit.io.schemas import SCHEMAS, normalize_name

# Only what argument parsing needs is imported here, so that `cxkit --help` is quick; each
# command imports its own tools (pandas, SciPy, papermill ...) when it runs.
if TYPE_CHECKING:
    from cxkit.io.result import ReadResult
    from cxkit.power import SampleSize
    from cxkit.rootcause import RootCauseLog

__all__ = ["main"]

#: File-name words (English and Spanish) that tell a file's kind when ``--kind`` is not given.
KIND_WORDS = {
    "responses": ("responses", "response", "survey", "respuestas", "encuesta"),
    "tickets": ("tickets", "ticket", "cases", "casos"),
    "customers": ("customers", "customer", "clients", "clientes"),
    "orders": ("orders", "order", "pedidos", "compras"),
}


#: What an interrupted command says, in one line (the exit code is 128 + the signal's number).
INTERRUPTED = {
    "report": "cxkit: interrupted; the previous report is unchanged and nothing was stored",
    "batch": "cxkit: interrupted; reports not yet complete were left as they were",
    "new-client": "cxkit: interrupted; no client folder was created",
}


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` cleans up on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Exit codes: 0 done, 1 a report's notebook failed, 2 bad input or usage (with a message
    saying what to fix), 130 interrupted by Ctrl-C, 143 stopped by SIGTERM.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    with _sigterm_raises():
        try:
            return args.run(args)
        except CxkitError as err:
            print(f"cxkit: error: {err}", file=sys.stderr)
            return 2
        except OSError as err:  # a path that cannot be used: say which, never a traceback
            print(f"cxkit: error: {_os_error(err)}", file=sys.stderr)
            return 2
        except KeyboardInterrupt as err:
            print(INTERRUPTED.get(args.command, "cxkit: interrupted"), file=sys.stderr)
            return 128 + getattr(err, "signum", signal.SIGINT)


def _os_error(err: OSError) -> str:
    """One sentence for a file-system error: which path, what the system said, what to do."""
    where = f" {str(err.filename)!r}" if err.filename is not None else ""
    return (
        f"cannot use{where}: {err.strerror or err}. Check that the path exists, is a file or a "
        "folder as expected, and can be written to, or choose another path."
    )


def _not_a_folder(path: str, what: str, example: str) -> None:
    """Raise :class:`CxkitError` when ``path`` is a folder where a file is expected."""
    if Path(path).is_dir():
        raise CxkitError(f"{what} {path!r} is a folder; give a file, e.g. {example}.")


def _can_be_folder(path: str | Path, what: str, shown: str | Path | None = None) -> None:
    """Raise :class:`CxkitError` when folder ``path``, or a folder it would go in, is a file."""
    for place in (Path(path), *Path(path).parents):
        if not place.exists():
            continue
        if place.is_dir():
            return
        if place == Path(path) and shown is None:
            raise CxkitError(f"{what} {str(path)!r} is a file; give a folder.")
        raise CxkitError(
            f"{what} {str(shown or path)!r} would go in {str(place)!r}, which is a file, not a "
            "folder. Choose another path."
        )


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into :class:`Interrupted` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxkit",
        description="Customer-experience toolkit: validate client exports, make sample data.",
        epilog="Run 'cxkit COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"cxkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _validate_parser(sub)
    _sample_parser(sub)
    _report_parsers(sub)
    _rootcause_parser(sub)
    _hypotheses_parser(sub)
    return parser


def _validate_parser(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="read export files, report accepted and quarantined rows",
        description=(
            "Read each file as cxkit would (column mapping, label-to-score coercion, row rules) "
            "and print what was accepted and why rows were quarantined. Exits 0 when every file "
            "could be read, even with quarantined rows; 2 when a file could not be read."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="CSV, XLSX or Parquet file(s)")
    p.add_argument(
        "--kind",
        choices=sorted(SCHEMAS),
        help="what the file holds (default: told by the file name, e.g. responses_2025.csv)",
    )
    p.add_argument(
        "--mapping",
        metavar="FILE",
        help="column mapping YAML (default: <file>.mapping.yml beside the file, if any)",
    )
    p.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the client's time zone for timestamps with offsets, e.g. Europe/Madrid "
        "(default: the mapping's, else the first offset seen)",
    )
    p.add_argument(
        "--quarantine",
        metavar="OUT",
        help="write quarantined rows to this CSV (a folder when several files are given)",
    )
    p.add_argument(
        "--json", action="store_true", help="print a JSON object per file instead of text"
    )
    p.set_defaults(run=_run_validate)


def _sample_parser(sub) -> None:
    p = sub.add_parser(
        "sample-data",
        help="write a deterministic synthetic client (responses, tickets, customers, orders)",
        description=(
            "Write a realistic synthetic client with planted truths (driver weights, an NPS dip "
            "and recovery, churn) and a deliberately messy Qualtrics-style export. The same "
            "seed always gives the same files; see the README written beside them."
        ),
    )
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created)")
    p.add_argument(
        "--rows",
        type=int,
        default=12_000,
        metavar="N",
        help="survey responses to generate (default 12000); other files scale with it",
    )
    p.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (default 7)")
    p.add_argument(
        "--lang",
        choices=("en", "es"),
        default="en",
        help="language of labels and most comments (default en)",
    )
    p.set_defaults(run=_run_sample)


def infer_kind(path: str) -> str:
    """Tell a file's kind from words in its name, or raise :class:`CxkitError`."""
    words = set(normalize_name(Path(path).stem).split("_"))
    found = [kind for kind, names in KIND_WORDS.items() if words & set(names)]
    if len(found) != 1:
        raise CxkitError(
            f"{path!r}: cannot tell from the file name whether it holds responses, tickets, "
            "customers or orders. Pass --kind."
        )
    return found[0]


def _read_one(path: str, args: argparse.Namespace) -> ReadResult:
    from cxkit.io.readers import read_table

    kind = args.kind or infer_kind(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return read_table(path, kind, mapping=args.mapping, timezone=args.timezone)
        finally:
            for w in caught:
                print(f"cxkit: warning: {path}: {w.message}", file=sys.stderr)


def _run_validate(args: argparse.Namespace) -> int:
    if args.quarantine:
        _check_quarantine_target(args.quarantine, several=len(args.paths) > 1)
    status = 0
    for path in args.paths:
        try:
            result = _read_one(path, args)
        except CxkitError as err:
            print(f"cxkit: error: {err}", file=sys.stderr)
            failed = getattr(err, "result", None)
            if failed is not None and args.quarantine:
                _write_quarantine(failed, path, args)
            status = 2
            continue
        if args.quarantine:
            _write_quarantine(result, path, args)
        if args.json:
            print(json.dumps(_json(result), ensure_ascii=False))
        else:
            print(result.details.to_text())
            if result.rows_quarantined and not args.quarantine:
                print(
                    "  (add --quarantine OUT.csv to write the quarantined rows with their reasons)"
                )
    return status


def _check_quarantine_target(out: str, *, several: bool) -> None:
    """Refuse a --quarantine path of the wrong kind before any file is read."""
    path = Path(out)
    if several:
        if path.exists() and not path.is_dir():
            raise CxkitError(
                f"--quarantine {out!r} is a file, but several files are read: give a folder "
                "(each file's rows go to <name>.quarantine.csv in it)."
            )
        _can_be_folder(path, "--quarantine")
        path.mkdir(parents=True, exist_ok=True)
    else:
        _not_a_folder(out, "--quarantine", str(path / "rejected.csv"))
        _can_be_folder(path.parent, "--quarantine", shown=out)


def _json(result: ReadResult) -> dict[str, object]:
    s = result.details
    return {
        "file": s.file,
        "kind": s.kind,
        "rows_read": s.rows_read,
        "rows_accepted": s.rows_accepted,
        "rows_quarantined": s.rows_quarantined,
        "reasons": s.reasons,
        "columns": s.columns,
        "columns_ignored": s.columns_ignored,
        "source": s.source,
    }


def _write_quarantine(result: ReadResult, path: str, args: argparse.Namespace) -> None:
    out = Path(args.quarantine)
    if len(args.paths) > 1:
        out = out / f"{Path(path).stem}.quarantine.csv"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        result.quarantine.to_csv(out, index=False, encoding="utf-8-sig")
    except OSError as err:
        raise CxkitError(
            f"cannot write the quarantined rows of {path} to {str(out)!r}: "
            f"{err.strerror or err}. Give a CSV file in a folder you can write to."
        ) from None
    print(
        f"cxkit: {result.rows_quarantined:,} quarantined row(s) of {path} written to {out}",
        file=sys.stderr,
    )


def _run_sample(args: argparse.Namespace) -> int:
    from cxkit.synthetic import write_sample_data

    if args.rows < 100:
        raise CxkitError(
            f"--rows must be at least 100 so every month has responses; got {args.rows}."
        )
    _can_be_folder(args.out, "--out")
    written = write_sample_data(args.out, rows=args.rows, seed=args.seed, lang=args.lang)
    for path in written:
        print(path)
    return 0


_PDF_HELP = (
    "also write report.pdf (the index, then each section), printed by headless Chromium "
    "(found on PATH, or named by CXKIT_CHROMIUM)"
)


def _report_parsers(sub) -> None:
    p = sub.add_parser(
        "report",
        help="make a client's report: run the notebooks, write HTML pages, metrics, history",
        description=(
            "Validate the client config, execute its notebooks with papermill, and write the "
            "client report (index.html and one page per notebook, without code), the executed "
            "notebooks, metrics.csv and manifest.json; store the period's metrics in the "
            "client's history. Exits 0 when every notebook completed, 1 when one failed (the "
            "rest of the report is still written), 2 when the config is invalid."
        ),
    )
    p.add_argument("config", metavar="CONFIG", help="the client's config YAML")
    p.add_argument("--period", help="report period, overriding the config (e.g. 2026-10, 2026Q4)")
    p.add_argument("--out", metavar="DIR", help="output folder, overriding the config")
    p.add_argument("--lang", choices=("en", "es"), help="report language, overriding the config")
    p.add_argument("--pdf", action="store_true", help=_PDF_HELP)
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="notebooks run side by side, each on its own warm kernel (default 2; 1 on one core)",
    )
    p.set_defaults(run=_run_report)
    p = sub.add_parser(
        "new-client",
        help="create a client folder from the templates",
        description=(
            "Create DIR/<name>/ with client.yml, mapping.yml, touchpoints.yml, five_whys.yml, "
            "hypotheses.yml, themes.yml, follow_up.yml and a data/ folder for the exports. Edit "
            "client.yml, drop the exports into data/, then run "
            "`cxkit report DIR/<name>/client.yml`."
        ),
    )
    p.add_argument("name", metavar="NAME", help="the client's name")
    p.add_argument("--dir", default=".", help="where to create the client folder (default .)")
    p.set_defaults(run=_run_new_client)
    _batch_parser(sub)


def _batch_parser(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="make many clients' reports in parallel",
        description=(
            "Run the reports of every client config listed in PORTFOLIO (a YAML list) in "
            "worker processes, or on a Dask cluster with --scheduler. One client's failure "
            "never stops the others; a summary table ends the run, and the exit code is 1 if "
            "any client failed."
        ),
    )
    p.add_argument("portfolio", metavar="PORTFOLIO", help="YAML listing client config files")
    p.add_argument("--workers", type=int, help="parallel worker processes (default 2)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the reports on a Dask cluster instead: a scheduler's address "
        "(tcp://host:8786), or local:N to start N worker processes here for the batch; its "
        'workers must see the same file paths (needs: pip install -e ".[dask]")',
    )
    p.add_argument("--period", help="report period for every client, overriding the configs")
    p.add_argument("--lang", choices=("en", "es"), help="report language for every client")
    p.add_argument("--pdf", action="store_true", help=_PDF_HELP)
    p.set_defaults(run=_run_batch)


def _run_report(args: argparse.Namespace) -> int:
    _not_a_folder(args.config, "The client config", str(Path(args.config) / "client.yml"))
    if args.out:
        _can_be_folder(args.out, "--out")
    if args.jobs is not None and args.jobs < 1:
        raise CxkitError(f"--jobs must be at least 1 (one kernel); got {args.jobs}.")
    from cxkit.reports.forked import zygote_for

    zygote_for()  # the kernels' imports begin in a process of their own, while this one imports
    from cxkit.reports.config import load_config
    from cxkit.reports.run import run_report

    config = load_config(args.config).with_overrides(
        period=args.period, language=args.lang, output=args.out
    )
    result = run_report(
        config,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
        pdf=args.pdf,
        jobs=args.jobs,
    )
    for run in result.notebooks:
        if run.status != "ok":
            where = " at " if (run.error or "").startswith("cell ") else ": "
            print(
                f"cxkit: error: {run.name} failed{where}{run.error}; executed notebook: "
                f"{run.executed}",
                file=sys.stderr,
            )
    print(f"report: {result.index}")
    return 0 if result.ok else 1


def _run_new_client(args: argparse.Namespace) -> int:
    from cxkit.reports.scaffold import new_client

    _can_be_folder(args.dir, "--dir")
    folder = new_client(args.name, Path(args.dir))
    print(f"created {folder}: edit {folder / 'client.yml'}, put the exports in {folder / 'data'}")
    return 0


def _run_batch(args: argparse.Namespace) -> int:
    from cxkit.reports.batch import load_portfolio, run_batch, summary_table

    if args.scheduler is not None and args.workers is not None:
        raise CxkitError(
            "--workers is for the local process pool; with --scheduler the cluster's workers "
            "run the reports (--scheduler local:N starts N of them). Give one of the two."
        )
    workers = 2 if args.workers is None else args.workers
    if workers < 1:
        raise CxkitError(f"--workers must be at least 1 (one process per client); got {workers}.")
    _not_a_folder(args.portfolio, "The portfolio", str(Path(args.portfolio) / "portfolio.yml"))
    configs = load_portfolio(args.portfolio)
    overrides = {"period": args.period, "language": args.lang}
    if args.scheduler is None:
        outcomes = run_batch(configs, workers=workers, overrides=overrides, pdf=args.pdf)
    else:  # Dask is optional: imported only here
        from cxkit.reports.cluster import run_batch_on_cluster

        outcomes = run_batch_on_cluster(
            configs, scheduler=args.scheduler, overrides=overrides, pdf=args.pdf
        )
    print(summary_table(outcomes))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


def _rootcause_parser(sub) -> None:
    p = sub.add_parser(
        "rootcause",
        help="work with a 5-whys root-cause log",
        description="Work with a client's 5-whys root-cause log (five_whys.yml).",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="list every problem of a 5-whys log",
        description=(
            "Check a 5-whys log and print every problem at once, each naming the file, the "
            "entry and the field. Exits 0 when the log is clean, 1 when it has problems "
            "(YAML syntax errors included, with their line and column), 2 when a file cannot "
            "be read."
        ),
    )
    check.add_argument("log", metavar="FILE", help="the 5-whys log (YAML)")
    check.add_argument(
        "--data",
        metavar="RESPONSES",
        help="survey responses export: touchpoints and metrics must then be ones it knows",
    )
    check.add_argument(
        "--mapping", metavar="FILE", help="column mapping YAML for the responses export"
    )
    check.add_argument(
        "--min-whys",
        type=int,
        default=3,
        metavar="N",
        help="whys needed before a root cause (default 3)",
    )
    check.set_defaults(run=_run_rootcause_check)


def _run_rootcause_check(args: argparse.Namespace) -> int:
    from cxkit.io.readers import read_table
    from cxkit.rootcause import check_log
    from cxkit.rootcause._yaml import read_text

    _not_a_folder(args.log, "The 5-whys log", str(Path(args.log) / "five_whys.yml"))
    read_text(Path(args.log))  # a missing or unreadable file is an error (exit 2), not a problem
    data = None
    if args.data:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = read_table(args.data, "responses", mapping=args.mapping).data
    problems = check_log(args.log, data, min_whys=args.min_whys)
    for problem in problems:
        print(problem)
    if problems:
        print(f"cxkit: {len(problems)} problem(s) in {args.log}", file=sys.stderr)
        return 1
    print(f"{args.log}: no problems")
    return 0


def _hypotheses_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cxkit hypotheses`` and its actions, ``check`` and ``size``."""
    p = sub.add_parser(
        "hypotheses",
        help="check a hypothesis register, size a test",
        description="Work with a client's hypothesis register (hypotheses.yml) and its tests.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    _hypotheses_check_parser(actions)
    _hypotheses_size_parser(actions)


def _hypotheses_check_parser(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``cxkit hypotheses check FILE [--data RESPONSES] [--mapping FILE] [--five-whys LOG]``."""
    check = actions.add_parser(
        "check",
        help="list every problem of a hypothesis register",
        description=(
            "Check a hypothesis register and print every problem at once, each naming the file, "
            "the hypothesis and the field. Exits 0 when the register is clean, 1 when it has "
            "problems (YAML syntax errors included, with their line and column), 2 when a file "
            "cannot be read."
        ),
    )
    check.add_argument("register", metavar="FILE", help="the hypothesis register (YAML)")
    check.add_argument(
        "--data",
        metavar="RESPONSES",
        help="survey responses export: the groups' columns and values must then be in it, and "
        "a running test short of its planned size is reported",
    )
    check.add_argument(
        "--mapping", metavar="FILE", help="column mapping YAML for the responses export"
    )
    check.add_argument(
        "--five-whys",
        metavar="LOG",
        help="the client's 5-whys log: every id in root_causes must then be one of its entries",
    )
    check.set_defaults(run=_run_hypotheses_check)


def _run_hypotheses_check(args: argparse.Namespace) -> int:
    """Print the register's problems; 0 when clean, 1 with problems, 2 for an unreadable file."""
    from cxkit.hypotheses import HypothesisError, HypothesisRegister
    from cxkit.hypotheses._yaml import read_text
    from cxkit.io.readers import read_table

    where = args.register
    _not_a_folder(where, "The hypothesis register", str(Path(where) / "hypotheses.yml"))
    read_text(Path(where))  # a missing or unreadable file is an error (exit 2), not a problem
    rootcause_log = _five_whys_log(args.five_whys) if args.five_whys else None
    data = None
    if args.data:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = read_table(args.data, "responses", mapping=args.mapping).data
    try:
        problems = HypothesisRegister.load(where).problems(data, rootcause_log=rootcause_log)
    except HypothesisError as err:  # YAML syntax or top-level shape: a problem of the file
        problems = [str(err)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"cxkit: {len(problems)} problem(s) in {where}", file=sys.stderr)
        return 1
    print(f"{where}: no problems")
    return 0


def _five_whys_log(path: str) -> RootCauseLog:
    """Load the ``--five-whys`` log; one that cannot be read is an error naming the file."""
    from cxkit.rootcause import RootCauseError, RootCauseLog

    _not_a_folder(path, "--five-whys", str(Path(path) / "five_whys.yml"))
    try:
        return RootCauseLog.load(path)
    except RootCauseError as err:
        raise CxkitError(f"--five-whys: {err}") from None


_METRICS_HELP = (
    "nps; a rate in percent: proportion, conversion, retention, churn, rate, fcr, csat (top-2 "
    "box); or a mean: mean, ces, handle_time, resolution_time, first_response_time"
)


def _hypotheses_size_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cxkit hypotheses size --metric M --baseline B --effect E [...]``."""
    size = actions.add_parser(
        "size",
        help="responses per group a test needs to detect an effect",
        description=(
            "Say how many responses each group of a two-group test needs to detect the "
            "smallest effect worth detecting (cxkit.sample_size: Cohen's h for rates, Cohen's "
            "d for means, the NPS effect over the SD of its -1/0/+1 codes for NPS)."
        ),
    )
    size.add_argument("--metric", required=True, metavar="M", help=_METRICS_HELP)
    size.add_argument(
        "--baseline",
        required=True,
        metavar="B",
        help="the control group's expected value: a rate in percent (62 for 62 %%), a mean, or "
        "for NPS the answer mix in percent, promoters/passives/detractors (45/35/20, or "
        "promoters=45,passives=35,detractors=20)",
    )
    size.add_argument(
        "--effect",
        required=True,
        type=float,
        metavar="E",
        help="smallest change worth detecting, treatment minus control: percentage points, "
        "NPS points or units of the mean",
    )
    size.add_argument("--alpha", type=float, default=0.05, help="significance (default 0.05)")
    size.add_argument("--power", type=float, default=0.8, help="wanted power (default 0.8)")
    size.add_argument(
        "--alternative", choices=("two-sided", "larger", "smaller"), default="two-sided",
        help="the alternative hypothesis (default two-sided)",
    )  # fmt: skip
    size.add_argument("--sd", type=float, help="SD of one response; needed for means")
    size.add_argument(
        "--ratio", type=float, default=1.0, help="treatment n / control n (default 1)"
    )
    size.add_argument("--json", action="store_true", help="print a JSON object instead of text")
    size.set_defaults(run=_run_hypotheses_size)


def _run_hypotheses_size(args: argparse.Namespace) -> int:
    """Print the responses per group the test needs (text, or JSON with ``--json``)."""
    from dataclasses import asdict

    from cxkit.power import family, sample_size

    metric = args.metric.strip().lower()
    try:
        kind = family(metric)
        baseline = _size_baseline(args.baseline, metric, kind)
        if kind == "mean" and args.sd is None:
            raise CxkitError(
                f"--sd is needed for a mean such as {metric!r}: the standard deviation of one "
                "response, from past data (e.g. --sd 1.5)."
            )
        result = sample_size(
            metric=metric, baseline=baseline, minimum_effect=args.effect, alpha=args.alpha,
            power=args.power, alternative=args.alternative, sd=args.sd, ratio=args.ratio,
        )  # fmt: skip
    except CxkitError as err:
        raise CxkitError(_as_options(str(err))) from None
    if args.json:
        total = result.n_required + result.n_treatment_required
        payload = {**asdict(result), "baseline": baseline, "sd": args.sd, "n_total": total}
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(_size_text(result, baseline, args.sd))
    return 0


#: sample_size's parameter names as the command line spells them.
_OPTION_NAMES = {
    "`baseline + minimum_effect`": "--baseline + --effect",
    "`minimum_effect`": "--effect",
    "alternative='two-sided'": "--alternative two-sided",
    **{f"`{name}`": f"--{name}" for name in ("metric", "baseline", "alpha", "power", "sd")},
    **{f"`{name}`": f"--{name}" for name in ("alternative", "ratio")},
}


def _as_options(message: str) -> str:
    """Write sample_size's parameter names in a message as the command's options."""
    for name, option in _OPTION_NAMES.items():
        message = message.replace(name, option)
    return message


_NPS_EXAMPLE = "e.g. --baseline 45/35/20 or --baseline promoters=45,passives=35,detractors=20"


def _size_baseline(text: str, metric: str, kind: str) -> float | dict[str, float]:
    """Read ``--baseline``: a number, or for NPS the promoters/passives/detractors mix."""
    if kind == "nps":
        mix = _nps_mix(text)
        if mix is None:
            raise CxkitError(
                "--baseline for NPS must be the answer mix in percent, promoters/passives/"
                f"detractors, {_NPS_EXAMPLE}; got {text!r}."
            )
        return mix
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value):
        what = "a rate in percent, e.g. --baseline 62" if kind == "proportion" else "the mean"
        raise CxkitError(f"--baseline for {metric} must be a number ({what}); got {text!r}.")
    return value


def _nps_mix(text: str) -> dict[str, float] | None:
    """Read "45/35/20" or "promoters=45,passives=35,detractors=20"; None when it is neither."""
    keys = ("promoters", "passives", "detractors")
    if "=" in text:
        pairs = [part.split("=", 1) for part in text.split(",")]
        if any(len(pair) != 2 for pair in pairs):
            return None
        named = {k.strip().lower(): v.strip() for k, v in pairs}
        if sorted(named) != sorted(keys) or len(pairs) != 3:
            return None
        values = [named[k] for k in keys]
    else:
        values = [v.strip() for v in text.split("/")]
    try:
        numbers = [float(v) for v in values]
    except ValueError:
        return None
    if len(numbers) != 3 or not all(math.isfinite(v) for v in numbers):
        return None
    return dict(zip(keys, numbers, strict=True))


_EFFECT_SIZES = {
    "proportion": "Cohen's h",
    "mean": "Cohen's d = effect / sd",
    "nps": "NPS effect / SD of the -1/0/+1 codes",
}


def _size_text(result: SampleSize, baseline: float | dict[str, float], sd: float | None) -> str:
    """Write the plan and the answer as a short block of text."""
    from cxkit.power import family

    kind = family(result.metric)
    if kind == "nps":
        p, n, d = (baseline[k] for k in ("promoters", "passives", "detractors"))
        shown = f"promoters {p:g} %, passives {n:g} %, detractors {d:g} % (NPS {p - d:g})"
        unit = "NPS points"
    elif kind == "proportion":
        shown, unit = f"{baseline:g} %", "percentage points"
    else:
        shown, unit = f"{baseline:g} (sd {sd:g})", "units of the mean"
    total = result.n_required + result.n_treatment_required
    lines = [
        f"metric:          {result.metric}",
        f"baseline:        {shown}",
        f"minimum effect:  {result.minimum_effect:+g} {unit}",
        f"alpha:           {result.alpha:g}",
        f"power:           {result.power:g}",
        f"alternative:     {result.alternative}",
        f"effect size:     {result.effect_size:.4f} ({_EFFECT_SIZES[kind]})",
    ]
    if result.ratio != 1:
        lines.append(f"ratio:           {result.ratio:g} (treatment n / control n)")
    lines.append(
        f"n per group: control {result.n_required:,}, treatment "
        f"{result.n_treatment_required:,} (total {total:,})"
    )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
