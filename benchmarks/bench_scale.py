"""Scale benchmark: NPS, CSAT and CES by segment × month on generated Parquet, with cx.scan.

Run:  .venv/bin/python benchmarks/bench_scale.py --rows 30000000 [--pandas-rows 10000000]
          [--folder /tmp/cxkit-scale] [--stages floor validate scan dask pandas]

Goal (issue "Beyond one machine"): 300M rows in ≤ 60 s on the 2-core machine with peak memory
≤ 2 GB, and the counts ≤ 1.3× DuckDB's own SQL for the same counts (the floor).

Each stage runs in a fresh process, so its peak memory (``ru_maxrss``) is its own:

- ``floor``: DuckDB's SQL on the generated file, one ``GROUP BY segment, month, score`` per
  metric with the weight sums: the counts cx.scan needs, and nothing else;
- ``validate``: ``cx.scan(file).validate(folder)``, once per export: every row through the
  readers (a million rows at a time), canonical Parquet and quarantine written;
- ``scan``: ``cx.survey_metrics(cx.scan(folder), by="segment", freq="M", weight="weight")``
  on the validated folder: DuckDB's counts, then the estimators;
- ``dask``: the same on ``cx.scan(folder, engine="dask")``: each partition counted by the
  pandas path's code on dask's threaded scheduler (two cores), the counts summed;
- ``pandas``: ``cx.read_responses`` then ``cx.survey_metrics`` on ``--pandas-rows`` rows (the
  largest the machine holds comfortably as a frame), for the rate the pandas path reaches.

The generated responses (seeded): a string id, a timestamp over three years, a segment of
three, NPS (5 % unanswered), CSAT (30 %), CES (60 %), a weight in [0.5, 2].
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHUNK = 5_000_000
STAGES = ("floor", "validate", "scan", "dask", "pandas")
METRICS = {"nps": (0, 10, 0.05), "csat": (1, 5, 0.30), "ces": (1, 7, 0.60)}


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` generated responses to ``path`` in row groups of a million rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    segments = pa.array(["Consumer", "Enterprise", "Small business"])
    writer = None
    for first in range(0, rows, CHUNK):
        n = min(CHUNK, rows - first)
        columns = {
            "response_id": pa.array(np.char.add("R", np.arange(first, first + n).astype("U12"))),
            "responded_at": pa.array(start + rng.integers(0, 3 * 365 * 86400, n).astype("m8[s]")),
            "segment": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, 3, n).astype("int8")), segments
            ),
        }
        for name, (low, high, missing) in METRICS.items():
            values = rng.integers(low, high + 1, n).astype("int8")
            columns[name] = pa.array(values, mask=rng.random(n) < missing)
        columns["weight"] = pa.array(rng.uniform(0.5, 2.0, n))
        table = pa.table(columns)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=1_000_000)
    writer.close()


def _rows_in(path: Path) -> int | None:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows if path.is_file() else None


def stage_floor(path: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect()
    groups = 0
    for name in METRICS:
        groups += len(
            con.execute(
                f"SELECT segment, date_trunc('month', responded_at) AS month, {name}, count(*), "
                f"sum(weight), sum(weight * weight) FROM read_parquet('{path}') "
                f"WHERE {name} IS NOT NULL GROUP BY ALL"
            ).fetchall()
        )
    return {"count rows": groups}


def stage_validate(path: Path, folder: Path) -> dict[str, object]:
    import cxkit as cx

    shutil.rmtree(folder, ignore_errors=True)
    summary = cx.scan(path).validate(folder).summary
    return {k: summary[k] for k in ("rows_read", "rows_accepted", "rows_quarantined")}


def stage_scan(folder: Path) -> dict[str, object]:
    import cxkit as cx

    tables = cx.survey_metrics(cx.scan(folder), by="segment", freq="M", weight="weight")
    return {"table rows": sum(len(t) for t in tables.values())}


def stage_dask(folder: Path) -> dict[str, object]:
    import cxkit as cx

    scanned = cx.scan(folder, engine="dask")
    tables = cx.survey_metrics(scanned, by="segment", freq="M", weight="weight")
    return {"table rows": sum(len(t) for t in tables.values())}


def stage_pandas(path: Path) -> dict[str, object]:
    import cxkit as cx

    frame = cx.read_responses(path).data
    tables = cx.survey_metrics(frame, by="segment", freq="M", weight="weight")
    return {"table rows": sum(len(t) for t in tables.values())}


def run_stage(argv: list[str]) -> dict[str, object]:
    """Run one stage in a fresh process; its wall time, peak memory and what it returned."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--stage", *argv], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"stage {argv[0]} failed:\n{done.stderr}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": time.perf_counter() - started, **out}


def child(stage: str, path: Path, folder: Path) -> None:
    started = time.perf_counter()
    if stage == "floor":
        result = stage_floor(path)
    elif stage == "validate":
        result = stage_validate(path, folder)
    elif stage == "scan":
        result = stage_scan(folder)
    elif stage == "dask":
        result = stage_dask(folder)
    else:
        result = stage_pandas(path)
    print(json.dumps({"inside": time.perf_counter() - started, "peak_mb": _peak_mb(), **result}))


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would count the parent's, whose
    copy the child was until it ran Python anew)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000_000)
    parser.add_argument("--pandas-rows", type=int, default=10_000_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/cxkit-scale"))
    parser.add_argument(
        "--stages", nargs="+", default=list(STAGES), choices=STAGES,
        help="stages to run (validate first when the folder holds no validated rows)",
    )  # fmt: skip
    parser.add_argument("--stage", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        child(args.stage[0], Path(args.stage[1]), Path(args.stage[2]))
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    big, small = args.folder / "responses.parquet", args.folder / "pandas.parquet"
    for path, rows in ((big, args.rows), (small, args.pandas_rows)):
        if _rows_in(path) == rows:  # the same seed wrote it: generated once per size
            print(f"reusing {path} ({rows:,} rows)")
            continue
        started = time.perf_counter()
        generate(path, rows)
        print(f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s: {path}")
    validated = args.folder / "validated"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results = {
        stage: run_stage([stage, str(small if stage == "pandas" else big), str(validated)])
        for stage in STAGES
        if stage in args.stages
    }
    for stage, result in results.items():
        rows = args.pandas_rows if stage == "pandas" else args.rows
        rate = rows / result["seconds"] / 1e6
        extra = {k: v for k, v in result.items() if k not in ("seconds", "inside", "peak_mb")}
        print(
            f"{stage:>8}: {result['seconds']:7.2f} s ({result['inside']:.2f} s inside), "
            f"{rate:6.2f} M rows/s, peak {result['peak_mb']:,.0f} MB  {extra}"
        )
    if "scan" not in results or "floor" not in results:
        return
    ratio = results["scan"]["seconds"] / results["floor"]["seconds"]
    print(
        f"scan / floor: {ratio:.2f}x (goal <= 1.3x); scan: {results['scan']['seconds']:.1f} s "
        f"(goal <= 60 s at 300M rows), peak {results['scan']['peak_mb']:,.0f} MB (goal <= 2 GB)"
    )


if __name__ == "__main__":
    main()
