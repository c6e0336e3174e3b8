"""The period's headline metrics as one tidy table, and their change since another period.

Columns of :func:`headline_metrics`: ``period, metric, group, value, se, ci_low, ci_high, n,
small_sample``. ``group`` is "all" or "<column>=<value>" (for example
``segment=Enterprise``). NPS is in points, CSAT, FCR and churn in percent, CES in scale units,
service times in hours. Reports, the metrics file and the period history share this table;
:func:`headline_changes` tests each indicator's change with the package's one comparison core.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxkit._estimates import Estimate, adjust, difference, significant_mask
from cxkit._grouping import check_columns, group_frame
from cxkit._onepass import survey_metrics
from cxkit._periods import as_period
from cxkit.retention import churn_rate
from cxkit.service import fcr, service_metrics

__all__ = [
    "COLUMNS",
    "FAMILIES",
    "HEADLINE",
    "headline_changes",
    "headline_metrics",
    "save_metrics",
]

COLUMNS = ["period", "metric", "group", "value", "se", "ci_low", "ci_high", "n", "small_sample"]
#: The headline indicators, in the order reports show them.
HEADLINE = (
    "nps",
    "csat",
    "ces",
    "first_response_median_h",
    "resolution_median_h",
    "fcr",
    "churn_rate",
)
_SURVEY = ("nps", "csat", "ces")
#: The export each headline indicator comes from: p-values are adjusted within each family, so
#: a survey indicator's verdict never depends on which other exports the client sent.
FAMILIES = {
    "nps": "responses",
    "csat": "responses",
    "ces": "responses",
    "first_response_median_h": "tickets",
    "resolution_median_h": "tickets",
    "fcr": "tickets",
    "churn_rate": "customers",
}


def _has_rows(frame: pd.DataFrame, date: str, period: pd.Period) -> bool:
    stamps = frame[date]
    return bool(((stamps >= period.start_time) & (stamps <= period.end_time)).any())


def _tidy(table: pd.DataFrame, metric: str, by: str | None) -> pd.DataFrame:
    """Put a metric table's rows in the headline shape (its value column becomes ``value``)."""
    out = table.reindex(columns=["n", metric, "se", "ci_low", "ci_high", "small_sample"])
    out = out.rename(columns={metric: "value"}).reset_index(drop=True)
    out.insert(0, "group", "all" if by is None else (by + "=" + table[by].astype(str)).to_numpy())
    out.insert(0, "metric", metric)
    return out


def _survey_rows(
    responses: pd.DataFrame,
    periods: list[pd.Period],
    by: str | None,
    weight: str | None,
    min_n: int,
) -> dict[pd.Period, list[pd.DataFrame]]:
    """Survey rows of each period that has responses, from one pass per grouping.

    One :func:`~cxkit.survey_metrics` call per grouping (overall, and per ``by``) covers
    every period at once (``freq`` of the report period); each period's rows are then the
    very rows ``cx.nps(responses, period=p, ...)`` (and CSAT, CES) would give, because the
    counts of a group in a period do not depend on the other periods' rows.
    """
    names = [m for m in _SURVEY if m in responses.columns and responses[m].notna().any()]
    stamps = responses["responded_at"]
    inside = (stamps >= periods[-1].start_time) & (stamps <= periods[0].end_time)
    if not names or not inside.any():
        return {}
    groupings, selected = (None, by) if by else (None,), responses[inside]
    parts = []
    for g in groupings:
        tables = survey_metrics(
            selected,
            metrics=names,
            by=g,
            freq=periods[0].freqstr,
            weight=weight,
            min_n=min_n,
        )
        parts += [(name, g, t) for name, t in tables.items()]
    parts.sort(key=lambda part: names.index(part[0]))  # metric by metric, as reports show them
    rows = pd.concat(
        [_tidy(t, name, g).assign(period=t["period"].to_numpy()) for name, g, t in parts],
        ignore_index=True,
    )
    return {
        p: [rows[rows["period"] == p]] for p in periods if _has_rows(responses, "responded_at", p)
    }


def _service_rows(
    tickets: pd.DataFrame, periods: list[pd.Period], min_n: int
) -> dict[pd.Period, list[pd.DataFrame]]:
    """Median times (``n``: the tickets whose time is known) and FCR of each period's tickets.

    One :func:`~cxkit.service_metrics` and one :func:`~cxkit.fcr` call cover every period
    (``freq`` of the report period), as for the survey rows: a period's medians and rate do
    not depend on the other periods' tickets, so each period's rows are the ones
    ``service_metrics(tickets, period=p)`` and ``fcr(tickets, period=p)`` give.
    """
    stamps = tickets["opened_at"]
    selected = tickets[(stamps >= periods[-1].start_time) & (stamps <= periods[0].end_time)]
    if selected.empty:
        return {}
    freq = periods[0].freqstr
    overview = service_metrics(selected, freq=freq).set_index("period")
    times = [
        (metric, end)
        for metric, end in (
            ("first_response_median_h", "first_response_at"),
            ("resolution_median_h", "resolved_at"),
        )
        if end in selected.columns
    ]
    keys = group_frame(selected, by=None, freq=freq, date="opened_at")["period"]
    known = selected[[end for _, end in times]].notna().groupby(keys, observed=True).sum()
    rates = fcr(selected, freq=freq, min_n=min_n) if "contacts" in tickets.columns else None
    out = {}
    for p in overview.index[overview["tickets"] > 0]:
        rows = [  # n: the period's tickets whose time is known (answered, or resolved)
            _time_row(metric, overview.at[p, metric], int(known.at[p, end]))
            for metric, end in times
            if known.at[p, end] > 0
        ]
        if rates is not None:
            rows.append(_tidy(rates[rates["period"] == p].drop(columns="period"), "fcr", None))
        out[p] = rows
    return out


def _time_row(metric: str, value: float, n: int) -> pd.DataFrame:
    return pd.DataFrame({"metric": [metric], "group": ["all"], "value": [value], "n": [n]})


def _churn_rows(customers: pd.DataFrame, period: pd.Period, min_n: int) -> list[pd.DataFrame]:
    first = customers["start_date"].min()
    if pd.isna(first) or period.end_time < first:
        return []
    as_of = max(customers["start_date"].max(), customers["end_date"].max())
    if period.start_time > as_of:
        return []
    table = churn_rate(customers, period=period, min_n=min_n)
    return [_tidy(table, "churn_rate", None)]


def headline_metrics(
    *,
    period: str | pd.Period | None = None,
    responses: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    by: str | None = None,
    weight: str | None = None,
    min_n: int = 30,
    previous: int = 1,
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
        Survey metrics are also given per value of this column (an error when it is not a
        column of ``responses``).
    weight : str, optional
        Survey weights column of ``responses`` (an error when it is not a column).
    min_n : int
        Bases below this are flagged ``small_sample``.
    previous : int
        Also compute this many periods before the report period, where the data cover them:
        the report compares with the one before when the client's history does not have it
        yet, and draws the indicators' trends from them (``True`` is 1, ``False`` 0).

    Returns
    -------
    DataFrame
        ``period, metric, group, value, se, ci_low, ci_high, n, small_sample`` (see the module
        notes), the report period's rows first. A source with no rows in a period adds no
        rows for it: an empty period is never a zero.
    """
    if responses is not None:
        check_columns(responses, [c for c in (by, weight) if c], parameter="by/weight")
    if period is None:
        source = responses if responses is not None else tickets
        column = "responded_at" if responses is not None else "opened_at"
        period = source[column].max().to_period("M")
    period = as_period(period)
    periods = [period - k for k in range(int(previous) + 1)]
    survey = {} if responses is None else _survey_rows(responses, periods, by, weight, min_n)
    service = {} if tickets is None else _service_rows(tickets, periods, min_n)
    frames = [
        _one_period(p, survey.get(p, []), service.get(p, []), customers, min_n) for p in periods
    ]
    return pd.concat(frames, ignore_index=True).reindex(columns=COLUMNS)


def _one_period(
    period: pd.Period, survey: list[pd.DataFrame], service: list[pd.DataFrame], customers, min_n
) -> pd.DataFrame:
    parts = [*survey, *service]
    if customers is not None:
        parts += _churn_rows(customers, period, min_n)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    out["period"] = str(period)
    out = out.reindex(columns=COLUMNS)
    out["small_sample"] = out["small_sample"].fillna(out["n"] < min_n).astype(bool)
    return out


def headline_changes(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    *,
    metrics: tuple[str, ...] = HEADLINE,
    group: str = "all",
    alpha: float = 0.05,
    method: str = "holm",
) -> pd.DataFrame:
    """Test each indicator's change between two periods' headline tables.

    Parameters
    ----------
    current, previous : DataFrame
        :func:`headline_metrics` rows of two periods (``previous`` may be empty).
    metrics : tuple of str
        The indicators, in the order wanted; those missing from ``current`` are left out.
    group : str
        The group compared ("all": the whole period).
    alpha : float
        Significance level, applied to the adjusted p-values.
    method : str
        Multiple-comparison adjustment over the indicators tested from the same export
        (:data:`FAMILIES`; statsmodels ``multipletests`` method).

    Returns
    -------
    DataFrame
        ``metric, value, se, n, small_sample, previous_value, difference, se_difference,
        p_value, p_adjusted, significant`` (``None`` where it was not tested: no previous
        value, or no standard error, as for median times).

    Notes
    -----
    z = (v₁ - v₀) / sqrt(se₁² + se₀²), two-sided normal p-value (the two periods are taken as
    independent samples); Holm-adjusted over the indicators tested within each export's
    family (:data:`FAMILIES`), so that sending tickets too does not change a survey verdict
    (:func:`cxkit._estimates.difference` and :func:`cxkit._estimates.adjust`).
    """
    now = current[current["group"] == group].set_index("metric")
    before = previous[previous["group"] == group].set_index("metric")
    rows = [m for m in metrics if m in now.index]
    now = now.loc[rows]
    old = before.reindex(rows)

    def estimate(frame: pd.DataFrame) -> Estimate:
        values = frame["value"].to_numpy(dtype="float64")
        return Estimate(
            frame["n"].to_numpy(dtype="float64"),
            values,
            frame["se"].to_numpy(dtype="float64"),
            values,
        )

    diff = difference(estimate(old), estimate(now))
    families = pd.Series([FAMILIES.get(m, m) for m in rows])
    adjusted = np.full(len(rows), np.nan)
    for family in families.unique():
        members = (families == family).to_numpy()
        adjusted[members] = adjust(diff.p_value[members], method)
    tested = ~np.isnan(diff.p_value)
    significant = significant_mask(adjusted, alpha)
    return pd.DataFrame(
        {
            "metric": rows,
            "value": now["value"].to_numpy(dtype="float64"),
            "se": now["se"].to_numpy(dtype="float64"),
            "n": now["n"].to_numpy(),
            "small_sample": now["small_sample"].astype(bool).to_numpy(),
            "previous_value": old["value"].to_numpy(dtype="float64"),
            "difference": diff.difference,
            "se_difference": diff.se,
            "p_value": diff.p_value,
            "p_adjusted": adjusted,
            "significant": [
                bool(s) if t else None for s, t in zip(significant, tested, strict=True)
            ],
        }
    )


def save_metrics(metrics: pd.DataFrame, path: str | Path | None) -> None:
    """Write ``metrics`` as CSV to ``path`` for the report runner (nothing when it is None)."""
    if path is None:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    metrics.reindex(columns=COLUMNS).to_csv(path, index=False)
