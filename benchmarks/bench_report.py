"""Report benchmark: the sample report against papermill's floor, and a 10-client batch.

Run:  .venv/bin/python benchmarks/bench_report.py [--clients 10] [--workers 2] [--repeat 2]

Goals (speed issue), measured in one run on a 2-core machine:

- one-notebook sample report (notebook 01) ≤ 2× papermill executing an empty notebook;
- five-notebook sample report (notebooks 01-05) ≤ 10 s;
- 10-client batch (each the five-notebook sample client) ≤ 3× one client.

The floor is ``python -m papermill`` on a notebook of one empty cell, in a fresh process, with
the same kernel (this Python): start-up, imports, a kernel started and stopped, the notebook
read and written. Each client is the sample client with its own output folder and history.
Times are wall-clock for the whole command, as a consultant waits for it; each round runs the
floor and the reports one after another, so a change in the machine's load shows in all.
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
    args = parser.parse_args()
    cxkit = [sys.executable, "-m", "cxkit.cli"]
    times: dict[str, list[float]] = {"floor": [], "one": [], "five": [], "batch": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        floor, env = floor_command(base)
        for r in range(args.repeat):
            times["floor"].append(timed(floor, env))
            one = client_config(base / f"one{r}", "Sample client", ["01_baseline_metrics"])
            times["one"].append(timed([*cxkit, "report", str(one)]))
            five = client_config(base / f"five{r}", "Sample client")
            times["five"].append(timed([*cxkit, "report", str(five)]))
            configs = [
                client_config(base / f"batch{r}" / f"client{i:02d}", f"Client {i:02d}")
                for i in range(args.clients)
            ]
            portfolio = base / f"batch{r}" / "portfolio.yml"
            portfolio.write_text(
                yaml.safe_dump({"clients": [str(c) for c in configs]}), encoding="utf-8"
            )
            command = [*cxkit, "batch", str(portfolio), "--workers", str(args.workers)]
            times["batch"].append(timed(command))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
    report(times, args)


def report(times: dict[str, list[float]], args: argparse.Namespace) -> None:
    med = {k: statistics.median(v) for k, v in times.items()}
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    print(f"load average at the end: {os.getloadavg()}")
    for key, label in [
        ("floor", "papermill, one empty cell (floor)"),
        ("one", "report, notebook 01"),
        ("five", "report, notebooks 01-05"),
        ("batch", f"batch of {args.clients} five-notebook clients, {args.workers} workers"),
    ]:
        runs = ", ".join(f"{t:.2f}" for t in times[key])
        print(f"{label}: {runs} s (median {med[key]:.2f} s)")
    print(f"one-notebook report / floor: {med['one'] / med['floor']:.2f}x (goal <= 2x)")
    print(f"five-notebook report: {med['five']:.2f} s (goal <= 10 s)")
    print(f"batch / one client: {med['batch'] / med['five']:.2f}x (goal <= 3x)")


if __name__ == "__main__":
    main()
