"""The period's headline metrics as one tidy table: what reports, files and history share.

Columns: ``metric, group, value, se, ci_low, ci_high, n, small_sample``. ``group`` is "all"
or "<column>=<value>" (for example ``segment=Enterprise``). Survey metrics are in points (NPS,
CSAT %) or scale units (CES); service times in hours; rates as percentages.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxkit.retention import churn_rate
from cxkit.service import service_metrics
from cxkit.survey import ces, csat, nps

__all__ = ["COLUMNS", "headline_metrics", "save_metrics"]

COLUMNS = ["period", "metric", "group", "value", "se", "ci_low", "ci_high", "n", "small_sample"]


def _in_period(frame: pd.DataFrame, date: str, period: pd.Period) -> pd.DataFrame:
    stamps = frame[date]
    return frame[(stamps >= period.start_time) & (stamps <= period.end_time)]


def _survey_rows(
    responses: pd.DataFrame, by: str | None, weight: str | None, min_n: int
) -> list[pd.DataFrame]:
    rows = []
    specs = (("nps", nps, "nps", "se"), ("csat", csat, "csat", "se"), ("ces", ces, "mean", "se"))
    for name, func, value, se in specs:
        if name not in responses.columns or responses[name].notna().sum() == 0:
            continue
        w = weight if weight in responses.columns else None
        for group_by in [None, by] if by in responses.columns else [None]:
            table = func(responses, by=group_by, weight=w, min_n=min_n)
            rows.append(_tidy(table, name, value, se, group_by))
    return rows


def _tidy(
    table: pd.DataFrame, metric: str, value: str, se: str | None, by: str | None
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": metric,
            "group": "all" if by is None else by + "=" + table[by].astype(str),
            "value": table[value].to_numpy(dtype="float64"),
            "se": table[se].to_numpy(dtype="float64") if se else np.nan,
            "ci_low": table["ci_low"].to_numpy(dtype="float64") if "ci_low" in table else np.nan,
            "ci_high": table["ci_high"].to_numpy(dtype="float64") if "ci_high" in table else np.nan,
            "n": table["n"].to_numpy(dtype="int64"),
            "small_sample": table["small_sample"].to_numpy(dtype=bool)
            if "small_sample" in table
            else False,
        }
    )


def _service_rows(tickets: pd.DataFrame) -> list[pd.DataFrame]:
    row = service_metrics(tickets).iloc[0]
    out = []
    for metric, value in (
        ("first_response_median_h", row["first_response_median_h"]),
        ("resolution_median_h", row["resolution_median_h"]),
        ("fcr_rate", 100 * row["fcr_rate"]),
    ):
        out.append(
            pd.DataFrame(
                {"metric": [metric], "group": ["all"], "value": [value], "n": [int(row["tickets"])]}
            )
        )
    return out


def _churn_rows(customers: pd.DataFrame, period: pd.Period) -> list[pd.DataFrame]:
    table = churn_rate(customers, period=period.freqstr, as_of=period.end_time)
    this = table[table["period"] == period]
    if this.empty:
        return []
    row = this.iloc[0]
    p, n = row["churn_rate"], int(row["customers_at_start"])
    se = float(np.sqrt(p * (1 - p) / n)) if n else np.nan
    return [
        pd.DataFrame(
            {
                "metric": ["churn_rate"],
                "group": ["all"],
                "value": [100 * p],
                "se": [100 * se],
                "n": [n],
            }
        )
    ]


def headline_metrics(
    *,
    period: str | pd.Period | None = None,
    responses: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    by: str | None = "segment",
    weight: str | None = "weight",
    min_n: int = 30,
    previous: bool = True,
) -> pd.DataFrame:
    """Compute the report period's headline metrics (and the previous period's) from frames.

    Parameters
    ----------
    period : str or pandas.Period, optional
        The report period, e.g. "2026-10" (a month) or "2026Q3" (a quarter); default the
        latest month in the data.
    responses, tickets, customers : DataFrame, optional
        Canonical frames; each contributes its metrics when given. Responses and tickets are
        restricted to the period; customers give the period's churn rate.
    by : str, optional
        Survey metrics are also given per value of this column.
    previous : bool
        Also compute the period before, when the data cover it (the report compares with it
        when the client's history does not have that period yet).

    Returns
    -------
    DataFrame
        ``period, metric, group, value, se, ci_low, ci_high, n, small_sample`` (see the module
        notes), the report period's rows first.
    """
    if period is None:
        source = responses if responses is not None else tickets
        column = "responded_at" if responses is not None else "opened_at"
        period = source[column].max().to_period("M")
    period = pd.Period(period)
    frames = [_one_period(period, responses, tickets, customers, by, weight, min_n)]
    if previous:
        frames.append(_one_period(period - 1, responses, tickets, customers, by, weight, min_n))
    return pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)


def _one_period(
    period: pd.Period, responses, tickets, customers, by, weight, min_n: int
) -> pd.DataFrame:
    parts: list[pd.DataFrame] = []
    if responses is not None:
        current = _in_period(responses, "responded_at", period)
        parts += _survey_rows(current, by, weight, min_n) if len(current) else []
    if tickets is not None:
        current = _in_period(tickets, "opened_at", period)
        parts += _service_rows(current) if len(current) else []
    if customers is not None:
        parts += _churn_rows(customers, period)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    out["period"] = str(period)
    out = out.reindex(columns=COLUMNS)
    out["small_sample"] = out["small_sample"].fillna(out["n"] < min_n).astype(bool)
    return out


def save_metrics(metrics: pd.DataFrame, path: str | Path | None) -> None:
    """Write ``metrics`` as CSV to ``path`` for the report runner (nothing when it is None)."""
    if path is None:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    metrics.reindex(columns=COLUMNS).to_csv(path, index=False)
