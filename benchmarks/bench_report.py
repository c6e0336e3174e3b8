"""Report benchmark: one full sample report, and a 10-client batch.

Run:  .venv/bin/python benchmarks/bench_report.py [--clients 10] [--workers 2]

Goals (issue "Periodic client reports"): one client ≤ 15 s on a 2-core machine; the 10-client
batch ≤ 4× one client. Each client is the sample client (all notebooks, the sample data) with
its own output folder and history. Times are wall-clock for the whole command, as a consultant
waits for it.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def client_config(folder: Path, name: str) -> Path:
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
    folder.mkdir(parents=True)
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cxkit = [sys.executable, "-m", "cxkit.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        singles = [
            timed([*cxkit, "report", str(client_config(base / f"one{i}", "Sample client"))])
            for i in range(args.repeat)
        ]
        configs = [
            client_config(base / f"client{i:02d}", f"Client {i:02d}") for i in range(args.clients)
        ]
        portfolio = base / "portfolio.yml"
        portfolio.write_text(
            yaml.safe_dump({"clients": [str(c) for c in configs]}), encoding="utf-8"
        )
        batch = timed([*cxkit, "batch", str(portfolio), "--workers", str(args.workers)])
    one = min(singles)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"one client: {', '.join(f'{s:.1f}' for s in singles)} s (best {one:.1f} s; goal <= 15 s)"
    )
    print(
        f"{args.clients}-client batch, {args.workers} workers: {batch:.1f} s = "
        f"{batch / one:.2f}x one client (goal <= 4x)"
    )


if __name__ == "__main__":
    main()
