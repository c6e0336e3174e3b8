"""Survey-metrics benchmark: NPS + CSAT + CES with intervals for 4,800 groups, against a floor.

Run:  flock /tmp/cxkit-bench.lock .venv/bin/python benchmarks/bench_metrics.py \
          [--rows 3000000] [--repeat 5] [--no-apply]

Groups: 10 segments x 20 touchpoints x 24 months (3M rows by default; ``--rows 10000000`` for
the earlier size). Each approach runs in its own process on the same generated data (seeded):

- floor: bare numpy, the least work that yields the same three tables. One group key built
  once, the fastest way found: categorical codes combined in int32, months from a day-table
  lookup (nanoseconds // one day, then ``take`` from a table of the month of every day in the
  range); then per metric one ``bincount`` of ``key * width + score`` and its estimates with
  intervals, vectorised (NPS Wald, CSAT Wilson, CES mean with a normal interval).
- floor, months via datetime64[M]: the same with ``astype("datetime64[M]")`` for the months,
  the floor this benchmark used until 2026-11-24 (looser: slower than the day table).
- floor, bincount only: the three ``bincount``s over a key built beforehand (not timed).
- cxkit, three calls: ``cx.nps`` + ``cx.csat`` + ``cx.ces``, each building its own key.
- cxkit, one pass: ``cx.survey_metrics`` (one key, the same three tables).
- apply: the typical analyst code, ``groupby([...]).apply(lambda g: pd.Series({...}))``.

All but apply are timed in one process taking turns, round after round (the machine is shared:
turns give every approach the same load), best of ``--repeat`` rounds. Each approach then runs
once in a process of its own for its peak memory: the resident high-water mark (VmHWM) after
the data were built (reset through /proc/self/clear_refs), minus its resident size then. A
last child times the stages of the one-pass call (key, counts, tables): where the time goes.
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

Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
BY = ["segment", "touchpoint"]
SCALES = (("nps", 11, 0), ("csat", 5, 1), ("ces", 7, 1))  # column, width, lowest score


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


# ------------------------------------------------------------------------------ cxkit
def run_cxkit(df: pd.DataFrame):
    import cxkit as cx

    return (
        cx.nps(df, by=BY, freq="M", method="wald"),
        cx.csat(df, by=BY, freq="M"),
        cx.ces(df, by=BY, freq="M"),
    )


def run_onepass(df: pd.DataFrame):
    import cxkit as cx

    tables = cx.survey_metrics(
        df, metrics={"nps": {"method": "wald"}, "csat": {}, "ces": {}}, by=BY, freq="M"
    )
    return tables["nps"], tables["csat"], tables["ces"]


def onepass_stages(df: pd.DataFrame) -> dict[str, float]:
    """Time the one-pass call's stages, calling what ``cx.survey_metrics`` calls."""
    from cxkit._grouping import group_key
    from cxkit.survey import ces_counts, count_scores, csat_counts, nps_counts

    out, t0 = {}, time.perf_counter()
    key = group_key(df, by=BY, freq="M", date="responded_at")
    out["group key (by codes + months)"] = time.perf_counter() - t0
    tables = {
        "nps": (nps_counts, {"method": "wald"}),
        "csat": (csat_counts, {}),
        "ces": (ces_counts, {}),
    }
    for column, width, low in SCALES:
        t0 = time.perf_counter()
        counts = count_scores(df, key, score=column, low=low, high=low + width - 1)
        t1 = time.perf_counter()
        func, options = tables[column]
        func(counts, **options)
        t2 = time.perf_counter()
        out[f"{column}: check + count"] = t1 - t0
        out[f"{column}: estimates + table"] = t2 - t1
    return out


# ------------------------------------------------------------------------------ floor
def floor_key(df: pd.DataFrame, months: str = "day-table") -> tuple[np.ndarray, int]:
    """Group key segment x touchpoint x month (int32) and the number of groups."""
    if months == "day-table":
        stamps = df["responded_at"].to_numpy()  # datetime64[s] here; any unit works
        unit = np.timedelta64(1, np.datetime_data(stamps.dtype)[0])
        day = stamps.view("int64") // (np.timedelta64(1, "D") // unit)
        first = day.min()
        day -= first
        calendar = np.arange(first, first + day.max() + 1).astype("datetime64[D]")
        month_of_day = calendar.astype("datetime64[M]").astype("int64")
        month = (month_of_day - month_of_day[0]).astype("int32").take(day)
        n_months = int(month_of_day[-1] - month_of_day[0]) + 1
    else:  # the looser floor used until 2026-11-24
        m = df["responded_at"].to_numpy().astype("datetime64[M]").astype("int64")
        month = (m - m.min()).astype("int32")
        n_months = int(month.max()) + 1
    key = np.multiply(df["segment"].cat.codes.to_numpy(), 20, dtype="int32")
    key += df["touchpoint"].cat.codes.to_numpy()
    key *= n_months
    key += month
    return key, 200 * n_months


def floor_counts(df: pd.DataFrame, key: np.ndarray, groups: int) -> list[np.ndarray]:
    out = []
    for column, width, low in SCALES:
        k = np.multiply(key, width, dtype="int32")
        k += df[column].to_numpy(dtype="int8")
        out.append(np.bincount(k, minlength=groups * width + low)[low:].reshape(groups, width))
    return out


def floor_estimates(counts: list[np.ndarray]) -> dict[str, np.ndarray]:
    """NPS (Wald), CSAT top-2 (Wilson) and CES mean (normal) with 95% intervals, vectorised."""
    nps, csat, ces = counts
    with np.errstate(invalid="ignore", divide="ignore"):
        n = nps.sum(axis=1)
        p, d = nps[:, 9:].sum(axis=1) / n, nps[:, :7].sum(axis=1) / n
        se = np.sqrt((p + d - (p - d) ** 2) / n)
        m = csat.sum(axis=1)
        q = csat[:, 3:].sum(axis=1) / m
        centre = (q + Z**2 / (2 * m)) / (1 + Z**2 / m)
        half = Z * np.sqrt(q * (1 - q) / m + Z**2 / (4 * m**2)) / (1 + Z**2 / m)
        k, values = ces.sum(axis=1), np.arange(1, 8)
        mean = ces @ values / k
        var = (ces * (values[None, :] - mean[:, None]) ** 2).sum(axis=1) / (k - 1)
        ces_se = np.sqrt(var / k)
    return {
        "nps": 100 * (p - d),
        "nps_low": 100 * (p - d - Z * se),
        "nps_high": 100 * (p - d + Z * se),
        "csat": 100 * q,
        "csat_low": 100 * (centre - half),
        "csat_high": 100 * (centre + half),
        "ces": mean,
        "ces_low": mean - Z * ces_se,
        "ces_high": mean + Z * ces_se,
    }


def run_floor(df: pd.DataFrame, months: str = "day-table") -> dict[str, np.ndarray]:
    key, groups = floor_key(df, months)
    return floor_estimates(floor_counts(df, key, groups))


# ------------------------------------------------------------------------------ apply
def _group_stats(g: pd.DataFrame) -> pd.Series:
    from scipy import stats
    from statsmodels.stats.proportion import proportion_confint

    nps, csat, ces = g["nps"].astype(float), g["csat"].astype(float), g["ces"].astype(float)
    p, d = (nps >= 9).mean(), (nps <= 6).mean()
    se = np.sqrt((p + d - (p - d) ** 2) / len(nps))
    low, high = proportion_confint((csat >= 4).sum(), len(csat), method="wilson")
    t = stats.t.ppf(0.975, len(ces) - 1)
    ces_se = ces.std(ddof=1) / np.sqrt(len(ces))
    return pd.Series(
        {
            "n": len(nps),
            "nps": 100 * (p - d),
            "nps_low": 100 * (p - d - Z * se),
            "nps_high": 100 * (p - d + Z * se),
            "csat": 100 * (csat >= 4).mean(),
            "csat_low": 100 * low,
            "csat_high": 100 * high,
            "ces": ces.mean(),
            "ces_low": ces.mean() - t * ces_se,
            "ces_high": ces.mean() + t * ces_se,
        }
    )


def run_apply(df: pd.DataFrame):
    month = df["responded_at"].dt.to_period("M").rename("period")
    return df.groupby([*BY, month], observed=True).apply(_group_stats, include_groups=False)


# ------------------------------------------------------------------------------ children
APPROACHES = {
    "floor": run_floor,
    "floor_loose": lambda df: run_floor(df, months="datetime64[M]"),
    "cxkit_three_calls": run_cxkit,
    "cxkit_one_pass": run_onepass,
    "apply": run_apply,
}
#: Timed in turns in one process (:func:`interleaved`); apply, far slower, runs once alone.
FAST = ["floor_bincount", "floor", "floor_loose", "cxkit_three_calls", "cxkit_one_pass"]
LABELS = {
    "floor": "floor (key once, day table, 3 bincounts, intervals)",
    "floor_loose": "floor, months via datetime64[M]",
    "floor_bincount": "floor, 3 bincounts only (key prebuilt)",
    "cxkit_three_calls": "cx.nps + cx.csat + cx.ces",
    "cxkit_one_pass": "cx.survey_metrics (one pass)",
    "apply": "groupby().apply(lambda ...)",
}


def status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        return int(next(ln for ln in fh if ln.startswith(field + ":")).split()[1]) / 1024


def child(approach: str, rows: int, repeat: int) -> None:
    df = make_data(rows)
    if approach in ("cxkit_three_calls", "cxkit_one_pass", "stages", "interleaved"):
        run_onepass(df.head(1000))  # imports and pandas' lazy paths; timed runs follow
        run_cxkit(df.head(1000))
    if approach == "stages":
        runs = [onepass_stages(df) for _ in range(repeat)]
        print(json.dumps({k: min(r[k] for r in runs) for k in runs[0]}))
        return
    if approach == "interleaved":
        print(json.dumps(interleaved(df, repeat)))
        return
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # reset the peak (VmHWM) to the current size
    base = status_mb("VmRSS")
    t0 = time.perf_counter()
    if approach == "floor_bincount":
        key, groups = floor_key(df)
        t0 = time.perf_counter()
        result = floor_counts(df, key, groups)
    else:
        result = APPROACHES[approach](df)
    seconds = time.perf_counter() - t0
    peak = status_mb("VmHWM") - base
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "check": _check(approach, result)}))


def interleaved(df: pd.DataFrame, repeat: int) -> dict[str, list[float]]:
    """Time the fast approaches in turn, round after round, in one process.

    On a shared machine the load changes from second to second; taking turns gives each
    approach the same conditions, so their ratios hold even when the absolute times move.
    """
    key, groups = floor_key(df)
    turns = {name: APPROACHES[name] for name in FAST if name != "floor_bincount"}
    turns["floor_bincount"] = lambda frame: floor_counts(frame, key, groups)
    times: dict[str, list[float]] = {name: [] for name in FAST}
    for _ in range(repeat):
        for name in FAST:
            t0 = time.perf_counter()
            turns[name](df)
            times[name].append(time.perf_counter() - t0)
    return times


def _check(approach: str, result) -> dict:
    """Sums to compare across approaches (same groups, same estimates)."""
    if approach.startswith("cxkit"):
        nps, csat, ces = result
        frame = {
            "nps": nps["nps"],
            "nps_high": nps["ci_high"],
            "csat_low": csat["ci_low"],
            "ces": ces["ces"],
            "groups": nps["n"],
        }
    elif approach == "floor_bincount":
        return {"groups": int((result[0].sum(axis=1) > 0).sum())}
    else:
        frame = {k: result[k] for k in ("nps", "nps_high", "csat_low", "ces")}
        frame["groups"] = result["nps"]
    out = {k: round(float(np.nansum(v)), 6) for k, v in frame.items() if k != "groups"}
    out["groups"] = int(np.isfinite(np.asarray(frame["groups"], dtype="float64")).sum())
    return out


def spawn(approach: str, rows: int, repeat: int) -> dict:
    command = [sys.executable, __file__, "--child", approach, "--rows", str(rows)]
    done = subprocess.run(
        [*command, "--repeat", str(repeat)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-apply", action="store_true", help="skip the slow apply code")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.repeat)
        return
    times = spawn("interleaved", args.rows, args.repeat)
    best = {name: min(values) for name, values in times.items()}
    for approach in FAST + ([] if args.no_apply else ["apply"]):
        r = spawn(approach, args.rows, 1)  # peak memory and the check, one run on its own
        runs = ", ".join(f"{s:.3f}" for s in times.get(approach, [r["seconds"]]))
        runs += f"; median {np.median(times.get(approach, [r['seconds']])):.3f}"
        best.setdefault(approach, r["seconds"])
        print(
            f"{LABELS[approach]:<54} best {best[approach]:.3f} s  runs {runs}  "
            f"peak +{r['peak_mb']:,.0f} MB  {r['check']}",
            flush=True,
        )
    stages = spawn("stages", args.rows, args.repeat)
    print(
        "one pass, by stage (best of runs): "
        + ", ".join(f"{k} {1000 * v:.1f} ms" for k, v in stages.items())
    )
    print(
        f"{args.rows:,} rows; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}"
    )
    print("ratios, best to best (median of the ratios within each round):")
    for a, b in (
        ("cxkit_one_pass", "floor"),
        ("cxkit_three_calls", "floor"),
        ("cxkit_three_calls", "cxkit_one_pass"),
        ("floor_loose", "floor"),
    ):
        paired = np.median(np.array(times[a]) / np.array(times[b]))
        print(f"  {a} / {b}: {best[a] / best[b]:.2f}x ({paired:.2f}x)")


if __name__ == "__main__":
    main()
