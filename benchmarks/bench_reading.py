"""Reading benchmark: a generated N-row responses CSV read and validated by cx.read_responses.

Run:  .venv/bin/python benchmarks/bench_reading.py [--rows 5000000] [--repeat 3]
      .venv/bin/python benchmarks/bench_reading.py --format parquet [--rows 1000000] [--repeat 5]

The CSV is generated once into benchmarks/data/ (git-ignored). Each read runs in a fresh
subprocess so that its peak resident memory (VmHWM) is its own; the baseline is the
process's resident memory after imports, just before the read. Goal: peak memory growth below
3x the final frame's size. Results go into benchmarks/RESULTS.md by hand, with machine and date.

``--format parquet`` reads a Parquet file made from data/samples/responses.csv repeated to
about ``--rows`` rows (ids made unique, dates as timestamps, other columns typed as
``pd.read_csv`` types them), and times ``pd.read_parquet`` of the same file in the same run,
alternating with cx.read_responses, as the floor. Goals: median time <= 1.5x the floor, peak
memory growth <= 2x the final frame.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, time
import cxkit as cx
import pyarrow as pa
def status_mb(field):  # VmRSS now, VmHWM peak; unlike ru_maxrss, VmHWM is not inherited
    with open("/proc/self/status") as fh:
        line = next(ln for ln in fh if ln.startswith(field + ":"))
    return int(line.split()[1]) / 1024
read = cx.read_responses  # imported here (cxkit loads it on first use), as the floor's pandas
base = status_mb("VmRSS")
t0 = time.perf_counter()
res = read(sys.argv[1])
seconds = time.perf_counter() - t0
peak = status_mb("VmHWM")
frame = res.data.memory_usage(deep=True).sum() / 2**20
print(json.dumps({"seconds": seconds, "baseline_mb": base, "peak_mb": peak, "frame_mb": frame,
                  "rows_read": res.rows_read, "rows_accepted": res.rows_accepted,
                  "arrow_pool_peak_mb": pa.default_memory_pool().max_memory() / 2**20}))
"""


FLOOR = r"""
import json, sys, time
import pandas as pd
def status_mb(field):
    with open("/proc/self/status") as fh:
        line = next(ln for ln in fh if ln.startswith(field + ":"))
    return int(line.split()[1]) / 1024
base = status_mb("VmRSS")
t0 = time.perf_counter()
frame = pd.read_parquet(sys.argv[1])
seconds = time.perf_counter() - t0
peak = status_mb("VmHWM")
print(json.dumps({"seconds": seconds, "baseline_mb": base, "peak_mb": peak,
                  "frame_mb": frame.memory_usage(deep=True).sum() / 2**20}))
"""


def make_parquet(rows: int) -> Path:
    """Repeat the sample responses to about ``rows`` rows and write them as Parquet, once."""
    import pandas as pd

    path = HERE / "data" / f"responses_{rows}_from_sample.parquet"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        sample = pd.read_csv(HERE.parent / "data" / "samples" / "responses.csv")
        copies = -(-rows // len(sample))
        big = pd.concat([sample] * copies, ignore_index=True)
        copy = np.repeat(np.arange(copies), len(sample)).astype(str)
        big["response_id"] = big["response_id"] + "-" + copy  # unique, as an export's are
        big["responded_at"] = pd.to_datetime(big["responded_at"])
        big.to_parquet(path, index=False)
        print(f"generated {path.name} ({path.stat().st_size / 2**20:,.0f} MB, {len(big):,} rows)")
    return path


def run_child(code: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main_parquet(rows: int, repeat: int) -> None:
    """cx.read_responses of a Parquet file against pd.read_parquet of it, alternating."""
    path = make_parquet(rows)
    runs, floor = [], []
    for _ in range(repeat):
        runs.append(run_child(CHILD, path))
        floor.append(run_child(FLOOR, path))
    cx_s = float(np.median([r["seconds"] for r in runs]))
    pd_s = float(np.median([r["seconds"] for r in floor]))
    growth = float(np.median([r["peak_mb"] - r["baseline_mb"] for r in runs]))
    pd_growth = float(np.median([r["peak_mb"] - r["baseline_mb"] for r in floor]))
    frame = runs[0]["frame_mb"]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"file: {path.name}, {path.stat().st_size / 2**20:,.1f} MB, {runs[0]['rows_read']:,} rows"
    )
    print("cx.read_responses seconds: " + ", ".join(f"{r['seconds']:.3f}" for r in runs))
    print("pd.read_parquet seconds:   " + ", ".join(f"{r['seconds']:.3f}" for r in floor))
    print(f"median {cx_s:.3f} s vs {pd_s:.3f} s = {cx_s / pd_s:.2f}x the floor (goal <= 1.5x)")
    print(
        f"final frame {frame:,.0f} MB; peak RSS growth (median) {growth:,.0f} MB = "
        f"{growth / frame:.2f}x the frame (goal <= 2x); pd.read_parquet: {pd_growth:,.0f} MB "
        f"for its {floor[0]['frame_mb']:,.0f} MB frame; Arrow pool peak "
        f"{runs[0]['arrow_pool_peak_mb']:,.0f} MB"
    )


def make_csv(rows: int) -> Path:
    """Generate the responses file once (it is reused by later runs)."""
    from cxkit.synthetic import generate, write_csv

    path = HERE / "data" / f"responses_{rows}_random_ids.csv"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        responses = generate(rows, seed=1).responses
        # Ids in random order, as Qualtrics' random ResponseIds are: the duplicate check sorts
        # them, and sorted input would flatter it.
        shuffled = np.random.default_rng(1).permutation(len(responses))
        responses["response_id"] = responses["response_id"].to_numpy()[shuffled]
        write_csv(responses, path)
        print(
            f"generated {path.name} ({path.stat().st_size / 2**20:,.0f} MB) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--rows", type=int, default=None, help="5M for CSV, 1M for Parquet")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.format == "parquet":
        main_parquet(args.rows or 1_000_000, args.repeat)
        return
    args.rows = args.rows or 5_000_000
    path = make_csv(args.rows)
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    growth = best["peak_mb"] - best["baseline_mb"]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"file: {path.name}, {path.stat().st_size / 2**20:,.0f} MB, {best['rows_read']:,} rows")
    print("read + validate seconds: " + ", ".join(f"{r['seconds']:.2f}" for r in runs))
    print(
        f"final frame: {best['frame_mb']:,.0f} MB; baseline RSS {best['baseline_mb']:,.0f} MB; "
        f"peak RSS {best['peak_mb']:,.0f} MB; growth {growth:,.0f} MB = "
        f"{growth / best['frame_mb']:.2f}x the frame (goal < 3x); "
        f"Arrow pool peak {best['arrow_pool_peak_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
