"""Report benchmark: the sample report against papermill's floor, and a 10-client batch.

Run:  .venv/bin/python benchmarks/bench_report.py [--clients 10] [--workers 2] [--repeat 2]
          [--without-zygote]

Goals (speed issue), measured in one run on a 2-core machine:

- one-notebook sample report (notebook 01) ≤ 2× papermill executing an empty notebook;
- five-notebook sample report (notebooks 01-05) ≤ 10 s;
- 10-client batch (each the five-notebook sample client) ≤ 3× one client.

The floor is ``python -m papermill`` on a notebook of one empty cell, in a fresh process, with
the same kernel (this Python): start-up, imports, a kernel started and stopped, the notebook
read and written. Each client is the sample client with its own output folder and history.
Times are wall-clock for the whole command, as a consultant waits for it; each round runs the
floor and the reports one after another, so a change in the machine's load shows in all.
With ``--without-zygote``, each report and batch also runs with ``CXKIT_ZYGOTE=0`` (every
kernel started afresh), right after the same command with forked kernels, for a paired
comparison.
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
from pathlib import Path

import nbformat
import yaml

from cxkit.reports.kernel import ensure_kernel

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def client_config(folder: Path, name: str, notebooks: list[str] | None = None) -> Path:
    spec = yaml.safe_load((SAMPLES / "client.yml").read_text(encoding="utf-8"))
    spec["client"] = name
    spec["output"] = str(folder / "reports")
    spec["data"] = {
        kind: str(SAMPLES / f"{kind}.csv")
        for kind in ("responses", "tickets", "customers", "orders")
    }
    for key in ("touchpoints", "five_whys", "hypotheses", "themes", "follow_up"):
        if key in spec:  # the client's own files, where the sample config names them
            spec[key] = str(SAMPLES / spec[key])
    if notebooks:
        spec["notebooks"] = notebooks
    folder.mkdir(parents=True)
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - started


def floor_command(base: Path) -> tuple[list[str], dict[str, str]]:
    """papermill on a one-cell notebook, with a kernelspec for this Python."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nbformat.write(nb, base / "empty.ipynb")
    saved = dict(os.environ)
    name = ensure_kernel(base / "jupyter")  # puts its folder first on JUPYTER_PATH
    env = dict(os.environ)
    os.environ.clear()
    os.environ.update(saved)
    command = [sys.executable, "-m", "papermill", "-k", name, "--no-progress-bar"]
    return [*command, str(base / "empty.ipynb"), str(base / "out.ipynb")], env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--without-zygote", action="store_true", help="also time CXKIT_ZYGOTE=0")
    args = parser.parse_args()
    variants = {"": None}
    if args.without_zygote:
        variants["afresh "] = {**os.environ, "CXKIT_ZYGOTE": "0"}
    times: dict[str, list[float]] = {"floor": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        floor, env = floor_command(base)
        for r in range(args.repeat):
            times["floor"].append(timed(floor, env))
            for what, command in commands(base / f"round{r}", args):
                for prefix, variant_env in variants.items():
                    times.setdefault(prefix + what, []).append(timed(command, variant_env))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
    report(times, args)


def commands(folder: Path, args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """The one-notebook report, the five-notebook report and the batch, each in ``folder``.

    Each command may run more than once: a report of the same period replaces the last.
    """
    cxkit = [sys.executable, "-m", "cxkit.cli"]
    one = client_config(folder / "one", "Sample client", ["01_baseline_metrics"])
    five = client_config(folder / "five", "Sample client")
    configs = [
        client_config(folder / "batch" / f"client{i:02d}", f"Client {i:02d}")
        for i in range(args.clients)
    ]
    portfolio = folder / "batch" / "portfolio.yml"
    portfolio.write_text(yaml.safe_dump({"clients": [str(c) for c in configs]}), encoding="utf-8")
    return [
        ("one", [*cxkit, "report", str(one)]),
        ("five", [*cxkit, "report", str(five)]),
        ("batch", [*cxkit, "batch", str(portfolio), "--workers", str(args.workers)]),
    ]


def report(times: dict[str, list[float]], args: argparse.Namespace) -> None:
    med = {k: statistics.median(v) for k, v in times.items()}
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    print(f"load average at the end: {os.getloadavg()}")
    labels = {
        "floor": "papermill, one empty cell (floor)",
        "one": "report, notebook 01",
        "five": "report, notebooks 01-05",
        "batch": f"batch of {args.clients} five-notebook clients, {args.workers} workers",
    }
    for prefix in ("", "afresh ") if "afresh one" in times else ("",):
        for key, label in labels.items():
            if prefix + key in times:
                runs = ", ".join(f"{t:.2f}" for t in times[prefix + key])
                print(f"{prefix}{label}: {runs} s (median {med[prefix + key]:.2f} s)")
        one, five, batch = (med[prefix + k] for k in ("one", "five", "batch"))
        print(f"{prefix}one-notebook report / floor: {one / med['floor']:.2f}x (goal <= 2x)")
        print(f"{prefix}five-notebook report: {five:.2f} s (goal <= 10 s)")
        print(f"{prefix}batch / one client: {batch / five:.2f}x (goal <= 3x)")


if __name__ == "__main__":
    main()
