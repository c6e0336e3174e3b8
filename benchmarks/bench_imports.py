"""Start-up benchmark: ``import cxkit``, a first metric access and ``cxkit --help``.

Run:  .venv/bin/python benchmarks/bench_imports.py [--runs 15] [--before REV] [--append]

Each command runs ``--runs`` times in a fresh Python process (round-robin, so that a burst of
load on the machine hits every command alike) and its wall-clock median is reported, with the
fastest and slowest run. Two floors put the numbers in context: ``python -c "pass"`` (the
interpreter alone) and ``python -c "import pandas"`` (what any DataFrame work pays first).

``--before REV`` also times the same cxkit commands on the package as it was at git revision
REV (extracted with ``git archive`` to a temporary folder and put first on ``PYTHONPATH``), in
the same run. ``--append`` adds the results, with the machine, date and commit, to
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

#: What is timed: a label and the command line.
FLOORS = {
    'python -c "pass"': [PYTHON, "-c", "pass"],
    'python -c "import pandas"': [PYTHON, "-c", "import pandas"],
}
CXKIT = {
    'python -c "import cxkit"': [PYTHON, "-c", "import cxkit"],
    'python -c "import cxkit; cxkit.nps"': [PYTHON, "-c", "import cxkit; cxkit.nps"],
}


def _help_command() -> list[str]:
    """``cxkit --help`` through the installed console script when there is one."""
    script = Path(PYTHON).with_name("cxkit")
    if script.exists():
        return [str(script), "--help"]
    return [PYTHON, "-m", "cxkit.cli", "--help"]


def time_once(command: list[str], env: dict[str, str]) -> float:
    """Seconds one fresh process takes to run ``command`` (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir()
    )
    return time.perf_counter() - start


def time_all(
    jobs: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, list[float]]:
    """Run every job ``runs`` times, round-robin; one warm-up run each is not counted."""
    for command, env in jobs.values():
        time_once(command, env)
    times: dict[str, list[float]] = {label: [] for label in jobs}
    for _ in range(runs):
        for label, (command, env) in jobs.items():
            times[label].append(time_once(command, env))
    return times


def _extract(rev: str, into: Path) -> None:
    """Write the ``cxkit`` package as it was at ``rev`` into folder ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "cxkit"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def _jobs(before: Path | None, rev: str | None) -> dict[str, tuple[list[str], dict[str, str]]]:
    env = dict(os.environ)
    commands = {**CXKIT, "cxkit --help": _help_command()}
    jobs = {label: (command, env) for label, command in FLOORS.items()}
    if before is not None:
        old = {
            **env,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(before), env.get("PYTHONPATH")])),
        }
        jobs |= {f"{label} at {rev}": (command, old) for label, command in commands.items()}
    jobs |= {label: (command, env) for label, command in commands.items()}
    return jobs


def _machine() -> str:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in lscpu.splitlines()
                if line.startswith("Model name")
            ),
            "",
        )
    except (OSError, subprocess.CalledProcessError):
        pass
    cores, usable = os.cpu_count(), len(os.sched_getaffinity(0))
    python = platform.python_version()
    return f"{platform.machine()} {model}, {cores} cores (`nproc` {usable}), Python {python}"


def _commit() -> str:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "cxkit"], capture_output=True, text=True
    )
    return head.stdout.strip() + (
        " (with uncommitted changes to cxkit/)" if dirty.stdout.strip() else ""
    )


def report(times: dict[str, list[float]], runs: int) -> str:
    """A Markdown table: median, fastest and slowest run of each command."""
    lines = [f"| command | median of {runs} | fastest | slowest |", "|---|---|---|---|"]
    for label, values in times.items():
        median, fastest, slowest = statistics.median(values), min(values), max(values)
        lines.append(f"| `{label}` | **{median:.3f} s** | {fastest:.3f} s | {slowest:.3f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=15, help="fresh processes per command (default 15)"
    )
    parser.add_argument(
        "--before", metavar="REV", help="also time cxkit as it was at this git revision"
    )
    parser.add_argument(
        "--append", action="store_true", help="append the results to benchmarks/RESULTS.md"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = None
        if args.before:
            before = Path(tmp)
            _extract(args.before, before)
        times = time_all(_jobs(before, args.before), args.runs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"\n## Start-up: `import cxkit` and `cxkit --help` (benchmarks/bench_imports.py)\n\n"
        f"### {when}: {_machine()}\n\n"
        f"At commit {_commit()}; load average at the end {load}. Each command ran in "
        f"{args.runs} fresh processes, round-robin, after one uncounted warm-up run.\n\n"
        f"{report(times, args.runs)}\n"
    )
    print(section)
    if args.append:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(section)


if __name__ == "__main__":
    main()
