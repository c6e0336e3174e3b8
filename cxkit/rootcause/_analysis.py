"""Analysis of a 5-whys log: Pareto of causes, overdue actions, verification against data.

:func:`verify` measures each entry's metric in its baseline period and in the latest period
of the same granularity up to ``as_of``, and tests the change with :func:`cxkit.metric_test`
(weights honoured). The verdict reads the test and the target:

- ``recovered``: a significant gain, and the latest value reaches the target;
- ``improving``: a significant gain, target not reached (or no target written);
- ``worse``: a significant loss;
- ``not yet``: no significant change;
- ``no data``: no verification, a metric not measured in survey responses, or no responses
  in the baseline or in a later period.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from cxkit.compare import metric_test
from cxkit.rootcause._entry import SURVEY_METRICS, Entry, as_date
from cxkit.survey import ces, csat, nps

__all__ = ["VERDICTS", "VERIFY_COLUMNS", "actions", "pareto", "verify"]

VERIFY_COLUMNS = [
    "id",
    "metric",
    "baseline_period",
    "baseline",
    "latest_period",
    "latest",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "target",
    "verdict",
    "n_baseline",
    "n_latest",
    "small_sample",
]
#: The verdicts of :func:`verify`, best first.
VERDICTS = ("recovered", "improving", "not yet", "worse", "no data")
ACTION_COLUMNS = ["id", "action", "owner", "due", "status", "overdue", "days_overdue"]
_FUNCTIONS = {"nps": nps, "csat": csat, "ces": ces}


def actions(entries: list[Entry], as_of: dt.date) -> pd.DataFrame:
    """One row per countermeasure: its entry, action, owner, due date, status and lateness.

    ``overdue`` is True for an action still open or in progress whose due date is before
    ``as_of``; ``days_overdue`` counts the days from the due date to ``as_of`` (0 otherwise).
    """
    rows = []
    for entry in entries:
        for c in entry.countermeasures:
            late = c.pending and c.due is not None and c.due < as_of
            days = (as_of - c.due).days if late else 0
            rows.append([entry.id, c.action, c.owner, c.due, c.status, late, days])
    return pd.DataFrame(rows, columns=ACTION_COLUMNS).astype({"overdue": bool, "days_overdue": int})


def pareto(entries: list[Entry], by: str) -> pd.DataFrame:
    """Count entries per category (or touchpoint), most first, with the cumulative share.

    Columns: ``by``, ``entries``, ``share`` and ``cumulative_share`` (percent of the entries
    that have a value for ``by``). Ties keep the alphabetical order.
    """
    values = [entry.category if by == "category" else _clean(entry.get(by)) for entry in entries]
    counts = pd.Series([v for v in values if v], dtype="object").value_counts()
    table = counts.rename_axis(by).reset_index(name="entries")
    table = table.sort_values(["entries", by], ascending=[False, True], kind="stable")
    total = table["entries"].sum()
    table["share"] = 100 * table["entries"] / total if total else np.nan
    table["cumulative_share"] = table["share"].cumsum()
    return table.reset_index(drop=True)


def _clean(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def as_of_date(as_of: object) -> dt.date | None:
    """Return ``as_of`` as a date: a date, an ISO date, or a period (its last day)."""
    if as_of is None:
        return None
    found = as_date(as_of)
    if found is not None:
        return found
    from cxkit._periods import as_period

    return as_period(as_of, name="as_of").end_time.date()


def verify(
    entries: list[Entry],
    responses: pd.DataFrame,
    *,
    as_of: object = None,
    weight: str | None = None,
    date: str = "responded_at",
    alpha: float = 0.05,
    min_n: int = 30,
) -> pd.DataFrame:
    """Check each entry with a verification against the responses (see the module notes).

    ``small_sample`` flags a comparison with fewer than ``min_n`` answers in either period: its
    verdict stands, but client pages do not show it.
    """
    stamps = pd.to_datetime(responses[date])
    end = as_of_date(as_of)
    if end is None:  # the last month in the data
        cutoff = pd.Period(stamps.max(), "M").end_time
    else:  # the end of the day
        cutoff = pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(1)
    rows = [
        _verify_one(entry, responses, stamps, cutoff, weight, alpha)
        for entry in entries
        if entry.verification
    ]
    table = pd.DataFrame(rows, columns=VERIFY_COLUMNS)
    has_data = table["verdict"] != "no data"
    small = table[["n_baseline", "n_latest"]].min(axis=1) < min_n
    table["small_sample"] = (has_data & small).astype(bool)
    return table


def _verify_one(
    entry: Entry,
    responses: pd.DataFrame,
    stamps: pd.Series,
    cutoff: pd.Timestamp,
    weight: str | None,
    alpha: float,
) -> dict[str, object]:
    check = entry.verification
    metric = str(check.get("metric") or entry.metric or "").strip().lower()
    baseline = entry.period("baseline_period")
    target = check.get("target")
    target = (
        float(target)
        if isinstance(target, (int, float)) and not isinstance(target, bool)
        else math.nan
    )
    row = dict.fromkeys(VERIFY_COLUMNS, math.nan)
    row.update(
        id=entry.id, metric=metric, baseline_period=baseline, latest_period=None, target=target
    )
    row.update(verdict="no data", n_baseline=0, n_latest=0)
    if metric not in SURVEY_METRICS or metric not in responses.columns or baseline is None:
        return row
    answered = responses[metric].notna().to_numpy()
    periods = stamps.dt.to_period(baseline.freqstr)
    base_rows = responses[answered & (periods == baseline).to_numpy()]
    later = [p for p in periods[answered].unique() if p > baseline and p.end_time <= cutoff]
    if base_rows.empty or not later:
        return row
    latest = max(later)
    late_rows = responses[answered & (periods == latest).to_numpy()]
    before, after = (_FUNCTIONS[metric](x, weight=weight) for x in (base_rows, late_rows))
    test = metric_test(base_rows, late_rows, metric=metric, weight=weight)
    row.update(
        latest_period=latest,
        baseline=float(before[metric].iloc[0]),
        latest=float(after[metric].iloc[0]),
        difference=test.difference,
        ci_low=test.ci_low,
        ci_high=test.ci_high,
        p_value=test.p_value,
        n_baseline=test.n_a,
        n_latest=test.n_b,
    )
    row["verdict"] = verdict(test.difference, test.p_value, row["latest"], target, alpha)
    return row


def verdict(difference: float, p_value: float, latest: float, target: float, alpha: float) -> str:
    """Read a change (later minus baseline, higher is better) against its target."""
    if math.isnan(p_value) or p_value >= alpha:
        return "not yet"
    if difference < 0:
        return "worse"
    reached = not math.isnan(target) and latest >= target
    return "recovered" if reached else "improving"
