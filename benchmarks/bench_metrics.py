"""Survey-metrics benchmark: NPS + CSAT + CES with intervals for 4,800 groups of 10M responses.

Run:  .venv/bin/python benchmarks/bench_metrics.py [--rows 10000000] [--repeat 3]

Groups: 10 segments x 20 touchpoints x 24 months. Three approaches, each in its own process
on the same generated data (seeded), timed side by side:

- cxkit: ``cx.nps``, ``cx.csat`` and ``cx.ces`` by segment, touchpoint and month, as a user
  calls them (three calls, each building its own group keys from the DataFrame).
- apply: the typical analyst code, ``groupby([...]).apply(lambda g: pd.Series({...}))``
  computing the same numbers (estimates, SEs and intervals) group by group.
- floor: bare numpy over the same keys, the least work that yields the same counts: one
  group key from integer codes (months via ``datetime64[M]``), then one ``bincount`` per
  metric. No intervals. Reported both with and without building the key.

Peak memory is each process's resident high-water mark (VmHWM) after the data were built
(reset through /proc/self/clear_refs), minus its resident size at that moment.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np
import pandas as pd

Z = 1.959963984540054


def make_data(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    at = np.datetime64("2024-11-01T00:00:00") + (rng.random(rows) * 730 * 86400).astype(
        "timedelta64[s]"
    )
    return pd.DataFrame(
        {
            "segment": pd.Categorical.from_codes(
                rng.integers(0, 10, rows), [f"S{i}" for i in range(10)]
            ),
            "touchpoint": pd.Categorical.from_codes(
                rng.integers(0, 20, rows), [f"T{i:02d}" for i in range(20)]
            ),
            "responded_at": at,
            "nps": pd.array(rng.integers(0, 11, rows), dtype="Int8"),
            "csat": pd.array(rng.integers(1, 6, rows), dtype="Int8"),
            "ces": pd.array(rng.integers(1, 8, rows), dtype="Int8"),
        }
    )


def run_cxkit(df: pd.DataFrame):
    import cxkit as cx

    by = ["segment", "touchpoint"]
    return (
        cx.nps(df, by=by, freq="M", method="wald"),
        cx.csat(df, by=by, freq="M"),
        cx.ces(df, by=by, freq="M"),
    )


def _group_stats(g: pd.DataFrame) -> pd.Series:
    nps, csat, ces = g["nps"].astype(float), g["csat"].astype(float), g["ces"].astype(float)
    p, d = (nps >= 9).mean(), (nps <= 6).mean()
    se = np.sqrt((p + d - (p - d) ** 2) / len(nps))
    sat = (csat >= 4).mean()
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint((csat >= 4).sum(), len(csat), method="wilson")
    from scipy import stats

    t = stats.t.ppf(0.975, len(ces) - 1)
    ces_se = ces.std(ddof=1) / np.sqrt(len(ces))
    return pd.Series(
        {
            "n": len(nps),
            "nps": 100 * (p - d),
            "nps_low": 100 * (p - d - Z * se),
            "nps_high": 100 * (p - d + Z * se),
            "csat": 100 * sat,
            "csat_low": 100 * low,
            "csat_high": 100 * high,
            "ces": ces.mean(),
            "ces_low": ces.mean() - t * ces_se,
            "ces_high": ces.mean() + t * ces_se,
        }
    )


def run_apply(df: pd.DataFrame):
    month = df["responded_at"].dt.to_period("M").rename("period")
    return df.groupby(["segment", "touchpoint", month], observed=True).apply(
        lambda g: _group_stats(g), include_groups=False
    )


def floor_keys(df: pd.DataFrame) -> np.ndarray:
    months = df["responded_at"].to_numpy().astype("datetime64[M]").astype("int64")
    months -= months.min()
    key = df["segment"].cat.codes.to_numpy().astype("int32") * 20
    key += df["touchpoint"].cat.codes.to_numpy()
    key *= 24
    key += months.astype("int32")
    return key


def floor_counts(df: pd.DataFrame, key: np.ndarray):
    out = []
    for column, width, low in (("nps", 11, 0), ("csat", 5, 1), ("ces", 7, 1)):
        k = key * width + (df[column].to_numpy(dtype="int32") - low)
        out.append(np.bincount(k, minlength=4800 * width).reshape(4800, width))
    return out


def status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        return int(next(ln for ln in fh if ln.startswith(field + ":")).split()[1]) / 1024


def child(approach: str, rows: int, repeat: int) -> None:
    df = make_data(rows)
    if approach == "cxkit":
        run_cxkit(df.head(1000))  # first call warms pandas' lazy paths up; timed runs follow
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # reset the peak (VmHWM) to the current size
    base = status_mb("VmRSS")
    times, result = [], None
    for _ in range(repeat if approach != "apply" else 1):
        t0 = time.perf_counter()
        if approach == "cxkit":
            result = run_cxkit(df)
        elif approach == "apply":
            result = run_apply(df)
        elif approach == "floor":
            result = floor_counts(df, floor_keys(df))
        else:  # floor without building the key
            key = floor_keys(df)
            t0 = time.perf_counter()
            result = floor_counts(df, key)
        times.append(time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "approach": approach,
                "seconds": times,
                "peak_mb": status_mb("VmHWM") - base,
                "check": _check(approach, result),
            }
        )
    )


def _check(approach: str, result) -> dict:
    """A few numbers to compare across approaches (same groups, same estimates)."""
    if approach == "cxkit":
        nps, csat, ces = result
        return {
            "groups": len(nps),
            "nps_sum": float(nps["nps"].sum()),
            "csat_high_sum": float(csat["ci_high"].sum()),
            "ces_low_sum": float(ces["ci_low"].sum()),
        }
    if approach == "apply":
        return {
            "groups": len(result),
            "nps_sum": float(result["nps"].sum()),
            "csat_high_sum": float(result["csat_high"].sum()),
            "ces_low_sum": float(result["ces_low"].sum()),
        }
    return {"groups": int((result[0].sum(axis=1) > 0).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.repeat)
        return
    results = {}
    for approach in ("floor_bincount", "floor", "cxkit", "apply"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                approach,
                "--rows",
                str(args.rows),
                "--repeat",
                str(args.repeat),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results[approach] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[approach]
        print(
            f"{approach:<15} best {min(r['seconds']):7.3f} s  "
            f"runs {[round(s, 3) for s in r['seconds']]}  "
            f"peak +{r['peak_mb']:,.0f} MB  {r['check']}",
            flush=True,
        )
    best = {k: min(v["seconds"]) for k, v in results.items()}
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"pandas {pd.__version__}, numpy {np.__version__}"
    )
    print(
        f"cxkit / floor (key + bincount): {best['cxkit'] / best['floor']:.2f}x; "
        f"cxkit / bincount only: {best['cxkit'] / best['floor_bincount']:.2f}x; "
        f"apply / cxkit: {best['apply'] / best['cxkit']:.0f}x"
    )


if __name__ == "__main__":
    main()
