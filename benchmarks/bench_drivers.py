"""Key-driver benchmark: exact Shapley importance against refitting every subset, and the bootstrap.

Run:  .venv/bin/python benchmarks/bench_drivers.py [--rows 100000] [--repeat 3] [--budget 10]
      .venv/bin/python benchmarks/bench_drivers.py --only bootstrap --baseline DIR [--repeat 3]
      OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_drivers.py --clock cpu ...

Data (seeded): ``rows`` survey responses with ``k`` touchpoint ratings 1-5 that share a
respondent-level disposition (so they correlate as real ratings do), each touchpoint rated by
30-80% of respondents (sparse), and an NPS 0-10 driven by the ratings.

Timed, each the whole ``cx.DriverAnalysis(...).fit(data, ...)`` a user calls (checks, reading
the pairwise moments from the DataFrame, the all-subsets solve, the table), with cxkit's
per-k caches of subset indices emptied before every run, as in a fresh notebook:

- Shapley, 15 drivers, ``rows`` rows, ``n_boot=0``; the same with 20 drivers;
- the naive way: for each subset of drivers, least squares with an intercept on the data for
  its R² (numpy ``lstsq``; and statsmodels ``OLS`` as an analyst would write it). Subsets
  are drawn at random and timed for ``--budget`` seconds; the mean time per subset times
  2^k - 1 is the extrapolated cost of all of them. The naive way runs on the same ratings
  without gaps (every respondent rates every touchpoint): on the sparse data most large
  subsets have no respondent who rates all of their touchpoints, so refitting subset by
  subset cannot produce Shapley values there at all. cxkit is timed on both;
- the bootstrap: Shapley, 12 drivers, 10,000 rows, ``n_boot=1000`` (and its peak of traced
  memory, ``tracemalloc``, in a separate untimed run);
- the sample client's touchpoint prioritization as notebook 02 runs it: ``touchpoints.analyse``
  on October 2026 of ``data/samples`` (``n_boot=1000``: Shapley bootstrap and the expected
  gain's resampled fits) and the analyst's ``touchpoints.whole_export`` (``n_boot=200``).

``--only bootstrap`` times just the last two; with ``--baseline DIR`` (a checkout of older
code, e.g. ``git worktree add /tmp/before main``) each repeat runs them in a fresh process for
the old code and then for this one, alternately, so that both see the same machine load.

Check: on the same data without gaps (8 drivers), Shapley values from the naive refits equal
cxkit's (largest difference printed).

Goals (issue "Key-driver analysis"), on a 2-core machine: 15 drivers <= 1 s and >= 100x
faster than the naive way; 20 drivers <= 20 s; bootstrap of 1,000 resamples <= 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from itertools import combinations
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

import cxkit as cx
from cxkit import _importance


def make_data(rows: int, k: int, *, gaps: bool = True, seed: int = 42) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=(rows, 1))
    ratings = np.clip(np.round(3.6 + 0.8 * mood + rng.normal(size=(rows, k))), 1, 5)
    slopes = np.linspace(0.9, 0.0, k)
    latent = 7.5 + (ratings - 3.6) @ slopes * 0.6 + rng.normal(scale=1.6, size=rows)
    frame = pd.DataFrame(ratings, columns=[f"rating_{j:02d}" for j in range(k)])
    if gaps:
        frame = frame.mask(rng.random((rows, k)) > rng.uniform(0.3, 0.8, k))
    frame.insert(0, "nps", np.clip(np.round(latent), 0, 10))
    return frame


#: What cxkit's timings read: wall clock, or with ``--clock cpu`` this process's CPU time (with
#: ``OPENBLAS_NUM_THREADS=1``, a measure that other processes on the machine disturb less).
CLOCK = time.perf_counter


def fit(data: pd.DataFrame, n_boot: int = 0) -> tuple[float, cx.DriverAnalysis]:
    for cached in vars(_importance).values():  # per-k tables, whatever the version holds
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    t0 = CLOCK()
    model = cx.DriverAnalysis("shapley", n_boot=n_boot, random_state=1).fit(
        data, outcome="nps", drivers=list(data.columns[1:])
    )
    return CLOCK() - t0, model


def naive_r2(y: np.ndarray, x: np.ndarray, subset: list[int]) -> float:
    """R² of least squares with an intercept of ``y`` on the columns ``subset`` of ``x``."""
    design = np.column_stack([np.ones(len(y)), x[:, subset]])
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ beta
    return 1 - residual @ residual / ((y - y.mean()) ** 2).sum()


def statsmodels_r2(data: pd.DataFrame, subset: list[int]) -> float:
    columns = [data.columns[1 + j] for j in subset]
    return sm.OLS(data["nps"], sm.add_constant(data[columns])).fit().rsquared


def naive_seconds(data: pd.DataFrame, budget: float, way: str) -> tuple[float, int]:
    """Extrapolated seconds for all 2^k - 1 subsets, and how many subsets were timed."""
    k = data.shape[1] - 1
    y, x = data["nps"].to_numpy(), data.iloc[:, 1:].to_numpy()
    rng = np.random.default_rng(0)
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < budget:
        mask = int(rng.integers(1, 2**k))
        subset = [j for j in range(k) if mask >> j & 1]
        if way == "numpy":
            naive_r2(y, x, subset)
        else:
            statsmodels_r2(data, subset)
        done += 1
    return (time.perf_counter() - t0) / done * (2**k - 1), done


def naive_shapley_difference(rows: int) -> float:
    """Largest |cxkit − naive| Shapley value on dense data with 8 drivers (all 255 refits)."""
    data = make_data(rows, 8, gaps=False)
    y, x = data["nps"].to_numpy(), data.iloc[:, 1:].to_numpy()
    r2 = {(): 0.0}
    for size in range(1, 9):
        for subset in combinations(range(8), size):
            r2[subset] = naive_r2(y, x, list(subset))
    weight = [factorial(s) * factorial(7 - s) / factorial(8) for s in range(8)]
    naive = [
        sum(
            weight[len(s)] * (r2[tuple(sorted((*s, j)))] - r2[s])
            for size in range(8)
            for s in combinations([i for i in range(8) if i != j], size)
        )
        for j in range(8)
    ]
    return float(np.abs(fit(data)[1].importance_["importance"] - naive).max())


def machine() -> str:
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    names = [ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if "Model name" in ln]
    load = os.getloadavg()
    return (
        f"{platform.machine()} {names[0] if names else '?'}, {os.cpu_count()} cores, "
        f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, statsmodels {statsmodels.__version__}; "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )


def bootstrap_rows(repeat: int) -> list[tuple[str, list[float]]]:
    """Time the bootstrap cases; the last row is the traced peak (MB) of one 12 x 10k run."""
    from cxkit.sections import touchpoints

    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    client = cx.read_client(responses=samples / "responses.csv", period="2026-10")
    catalog = samples / "touchpoints.yml"

    def timed(call) -> float:
        t0 = CLOCK()
        call()
        return CLOCK() - t0

    boot = make_data(10_000, 12)
    rows = [
        ("Shapley + 1,000 bootstrap resamples, 12 drivers, 10,000 rows",
         [fit(boot, n_boot=1000)[0] for _ in range(repeat)]),
        ("sample: touchpoints.analyse, n_boot=1000 (notebook 02)",
         [timed(lambda: touchpoints.analyse(client, catalog=catalog, n_boot=1000, min_n=30))
          for _ in range(repeat)]),
        ("sample: touchpoints.whole_export, n_boot=200",
         [timed(lambda: touchpoints.whole_export(client, n_boot=200)) for _ in range(repeat)]),
    ]  # fmt: skip
    tracemalloc.start()
    fit(boot, n_boot=1000)
    rows.append(
        (
            "peak traced memory (MB), 12 drivers bootstrap",
            [tracemalloc.get_traced_memory()[1] / 2**20],
        )
    )
    tracemalloc.stop()
    return rows


def subsets_rows(args: argparse.Namespace) -> list[tuple[str, list[float]]]:
    """Time Shapley at 15 and 20 drivers against the naive refits (extrapolated)."""
    rows = []
    for k in (15, 20):
        sparse, dense = make_data(args.rows, k), make_data(args.rows, k, gaps=False)
        runs = [fit(sparse)[0] for _ in range(args.repeat)]
        dense_runs = [fit(dense)[0] for _ in range(args.repeat)]
        numpy_s, numpy_n = naive_seconds(dense, args.budget, "numpy")
        sm_s, sm_n = naive_seconds(dense, args.budget / 2, "statsmodels")
        rows.append((f"cxkit Shapley, {k} drivers, {args.rows:,} rows, sparse", runs))
        rows.append((f"cxkit Shapley, {k} drivers, {args.rows:,} rows, no gaps", dense_runs))
        rows.append((f"  naive numpy lstsq, no gaps ({numpy_n:,} timed, extrap.)", [numpy_s]))
        rows.append((f"  naive statsmodels OLS, no gaps ({sm_n:,} timed, extrap.)", [sm_s]))
        print(
            f"k={k}: cxkit best {min(runs):.3f} s sparse, {min(dense_runs):.3f} s no gaps; "
            f"naive numpy {numpy_s:,.1f} s ({numpy_s / min(dense_runs):,.0f}x), statsmodels "
            f"{sm_s:,.1f} s ({sm_s / min(dense_runs):,.0f}x)",
            flush=True,
        )
    return rows


def baseline_rows(baseline: str, repeat: int) -> list[tuple[str, list[float]]]:
    """The bootstrap cases for the code in ``baseline`` and this code, alternately, each run
    in a fresh process (``--only bootstrap --repeat 1 --json``)."""
    here = str(Path(__file__).resolve().parents[1])
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        for label, path in (("before", baseline), ("after", here)):
            command = [sys.executable, __file__, "--only", "bootstrap", "--repeat", "1", "--json"]
            command += ["--clock", "cpu"] if CLOCK is time.process_time else []
            env = {**os.environ, "PYTHONPATH": path}
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            for name, times in json.loads(out.stdout.splitlines()[-1]):
                runs.setdefault(f"{label}: {name}", []).extend(times)
    return sorted(runs.items(), key=lambda item: item[0].split(": ", 1)[::-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per naive timing")
    parser.add_argument("--only", choices=["all", "bootstrap"], default="all")
    parser.add_argument("--baseline", help="a checkout of older code to time beside this one")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON only")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    if args.json:
        fit(make_data(1000, 4))
        print(json.dumps(bootstrap_rows(args.repeat)))
        return
    print(machine(), flush=True)
    fit(make_data(1000, 4))  # imports and first-call warm-up, not timed
    rows = subsets_rows(args) if args.only == "all" else []
    if args.baseline:
        rows += baseline_rows(args.baseline, args.repeat)
    else:
        rows += bootstrap_rows(args.repeat)
    print(f"{'what':<70} {'best':>9}  runs")
    for name, times in rows:
        print(f"{name:<70} {min(times):>9.3f}  {', '.join(f'{t:.3f}' for t in times)}")
    if args.only == "all":
        difference = naive_shapley_difference(20_000)
        print(f"check, dense 8 drivers: max |cxkit - naive| = {difference:.1e}")


if __name__ == "__main__":
    main()
