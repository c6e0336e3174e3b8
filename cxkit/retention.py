"""Churn, retention curves, signup-cohort retention and customer lifetime value.

A customer is active from ``start_date`` until ``end_date`` (empty while active). ``as_of``,
the day the data describe, defaults to the latest date in either column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit._checks import check_option, dask_frame_of, is_scan
from cxkit._estimates import rate_columns, z_value
from cxkit._grouping import group_frame, observed_group_codes, to_period
from cxkit._periods import resolve, wall_time
from cxkit._results import SummaryRepr, metric_table
from cxkit.errors import CxkitError
from cxkit.survey import By

__all__ = ["RetentionCurve", "churn_rate", "cohort_retention", "retention_curve"]

_UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}


def check_dates(columns: list[str], start: str, end: str) -> None:
    """Raise naming the ``start`` or ``end`` column that is not among ``columns``."""
    for name in (start, end):
        if name not in columns:
            raise CxkitError(
                f"column {name!r} not found; columns are {columns}. Read customers with "
                "cx.read_customers, or pass start=/end= with your names."
            )


def _dates(
    customers: pd.DataFrame, start: str, end: str, as_of
) -> tuple[pd.Series, pd.Series, pd.Timestamp]:
    check_dates(list(customers.columns), start, end)
    first, last = wall_time(customers[start]), wall_time(customers[end])
    for column in (first, last):
        if not pd.api.types.is_datetime64_any_dtype(column.dtype):
            raise CxkitError(
                f"column {column.name!r} holds {column.dtype}, not dates. Read customers with "
                "cx.read_customers, or convert the column with pandas.to_datetime."
            )
    as_of = pd.Timestamp(as_of) if as_of is not None else max(first.max(), last.max())
    return first, last, as_of


def churn_rate(
    data: pd.DataFrame,
    *,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    start: str = "start_date",
    end: str = "end_date",
    as_of=None,
    ci: float = 0.95,
    min_n: int = 30,
) -> pd.DataFrame:
    """Compute churn per calendar period (and group), with Wilson intervals.

    Parameters
    ----------
    data : DataFrame
        Customers with ``start`` and ``end`` dates (``end`` empty while active).
        Or a :func:`cxkit.scan` of customer exports: DuckDB counts the customers per group
        and start and end period (memory for groups × periods², not customers), with the
        same results. Or a ``dask.dataframe.DataFrame`` (or a scan with ``engine="dask"``):
        each partition is counted so (:func:`count_customers`) and the counts summed; any
        pandas frequency.
    freq : str, optional
        Granularity of the periods ("M", "Q", "Y"); default "M".
    period : str, optional
        Only this one period ("2026-10"; its granularity replaces ``freq``). An error when it
        lies outside the history, naming the range covered.
    by : str or list of str, optional
        Grouping columns.
    as_of : date, optional
        The day the data describe (default: the latest start or end date).
    ci, min_n
        Confidence level; bases below ``min_n`` customers are flagged ``small_sample``.

    Returns
    -------
    DataFrame
        Group columns, ``period``, then ``n`` (customers at the start of the period),
        ``churn_rate`` (percent), ``se``, ``ci_low``, ``ci_high``, ``small_sample``,
        ``churned``, ``retention_rate`` (percent), for every period from the first start up
        to ``as_of`` (the last period may be partial).

    Notes
    -----
    For a period [a, b): n counts those who started before a and had not ended before a;
    churned are those of them who ended in [a, b); churn = churned / n, retention = 1 - churn,
    as percentages. se = sqrt(p (1 - p) / n) and the Wilson interval (statsmodels
    ``proportion_confint(method="wilson")``). Customers who start and end within one period
    count in neither.
    """
    freq, period = resolve(freq, period, function="churn_rate")
    freq = period.freqstr if period is not None else freq or "M"
    data, weights = _counted(data, by=by, freq=freq, start=start, end=end)
    first, last, as_of = _dates(data, start, end, as_of)
    periods = pd.period_range(first.min(), as_of, freq=freq)
    if period is not None:
        _check_inside(period, periods)
        periods = pd.PeriodIndex([period])
    keys = group_frame(data, by=by, freq=None, date=start)
    codes, table = observed_group_codes(keys)
    rows = []
    for p in periods:  # one vectorised pass per calendar period (tens, not rows)
        a, b = p.start_time, (p + 1).start_time
        at_start = (first < a) & ~(last < a)
        churned = at_start & (last >= a) & (last < b)
        rows.append(_per_group(codes, len(table), at_start, churned, p, weights))
    counts = pd.concat(rows, ignore_index=True)
    groups = pd.concat(
        [table.loc[counts["_group"]].reset_index(drop=True), counts[["period"]]], axis=1
    )
    churned = counts["churned"].to_numpy()
    columns = rate_columns(churned, counts["customers_at_start"].to_numpy(), ci)
    out = metric_table(groups, "churn_rate", columns, min_n, {"churned": churned})
    out["retention_rate"] = 100 - out["churn_rate"]
    return out


def _counted(
    data, *, by: By, freq: str, start: str, end: str
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Give the rows :func:`churn_rate` counts, and how many customers each stands for.

    A pandas frame's customers, one each (``None``); for a dask frame (or a scan on the dask
    engine) and a DuckDB scan, their customers counted per group, start and end period
    (:func:`count_customers`) and the counts as weights.
    """
    rows = dask_frame_of(data)
    if rows is not None:  # counted per partition by count_customers, then summed
        from cxkit.scan._dask_customers import churn_counts as dask_counts

        table = dask_counts(rows, by=by, freq=freq, start=start, end=end)
    elif is_scan(data):  # a cx.scan: DuckDB counts customers per group, start and end period
        from cxkit.scan._customers import churn_counts

        table = churn_counts(data, by=by, freq=freq, start=start, end=end)
    else:
        return data, None
    return table, table.pop("_customers").to_numpy(dtype="float64")


def count_customers(data: pd.DataFrame, *, by: By, freq: str, start: str, end: str) -> pd.DataFrame:
    """Count customers per ``by`` group and ``freq`` period of their ``start`` and ``end``.

    Returns
    -------
    DataFrame
        The group columns, ``start`` and ``end`` (the first instant of the date's period;
        empty where the date is), and ``_customers``, in no set order.

    Notes
    -----
    :func:`churn_rate` compares dates with period boundaries only (``start < a``,
    ``a <= end < b``), which give the same answers on dates truncated to their period's
    start: the customers of one row here are interchangeable, and :func:`churn_rate` weights
    the row by their count. Counts are additive: a dask frame's partitions are counted by
    this function and summed.
    """
    check_dates(list(data.columns), start, end)
    table = group_frame(data, by=by, freq=None, date=start).assign(
        **{start: _period_start(data[start], freq), end: _period_start(data[end], freq)}
    )
    grouped = table.groupby(list(table.columns), dropna=False, observed=True, sort=False)
    return grouped.size().reset_index(name="_customers")


def _period_start(dates: pd.Series, freq: str) -> pd.Series:
    """Give the first instant of each date's ``freq`` period (missing dates stay missing)."""
    return to_period(dates, freq).dt.start_time


def _check_inside(period: pd.Period, periods: pd.PeriodIndex) -> None:
    if period not in periods:
        raise CxkitError(
            f"period {period} is outside the customer history, which covers {periods[0]} to "
            f"{periods[-1]}. Choose a period inside that range."
        )


def _per_group(
    codes: np.ndarray,
    groups: int,
    at_start: pd.Series,
    churned: pd.Series,
    period: pd.Period,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Count customers at the period's start and churned in it, per group.

    ``weights`` are the customers each row stands for (a scan's rows are counts); one each
    when None.
    """
    at_start, churned = at_start.to_numpy(dtype="float64"), churned.to_numpy(dtype="float64")
    if weights is not None:
        at_start, churned = at_start * weights, churned * weights
    return pd.DataFrame(
        {
            "_group": np.arange(groups),
            "period": period,
            "customers_at_start": np.bincount(codes, at_start, minlength=groups).astype("int64"),
            "churned": np.bincount(codes, churned, minlength=groups).astype("int64"),
        }
    )


@dataclass(frozen=True, repr=False)
class RetentionCurve(SummaryRepr):
    """Kaplan-Meier retention per group: ``table`` (one row per event time) and ``summary``.

    ``summary`` has the group columns, then ``n, events, median`` (in ``unit``).
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    unit: str

    @property
    def medians(self) -> pd.DataFrame:
        """The pre-0.2 name of :attr:`summary`."""
        return self.summary

    def plot(self, ax=None, **kwargs):
        """Draw the curves with their intervals (see :func:`cxkit.plots.retention_curves`)."""
        from cxkit.plots import retention_curves

        return retention_curves(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return f"RetentionCurve(unit={self.unit!r})\n{self.summary.to_string(index=False)}"


def retention_curve(
    data: pd.DataFrame,
    *,
    start: str = "start_date",
    end: str = "end_date",
    as_of=None,
    by: By = None,
    unit: str = "D",
    duration: str | None = None,
    event: str | None = None,
    ci: float = 0.95,
) -> RetentionCurve:
    """Estimate Kaplan-Meier retention curves (statsmodels ``SurvfuncRight``).

    Parameters
    ----------
    data : DataFrame
        Customers with ``start``/``end`` dates, or any table with ``duration`` and ``event``
        columns (then ``start``, ``end``, ``as_of`` and ``unit`` are not used).
    unit : {"D", "W", "M", "Y"}
        Unit of time for durations from dates (a month is 365.25/12 days).
    by : str or list of str, optional
        One curve per group.

    Returns
    -------
    RetentionCurve
        ``table``: group columns, then ``time, at_risk, events, retention, se, ci_low,
        ci_high`` (retention as a share, 0-1, as survival curves are drawn); ``summary``:
        group columns, then ``n, events, median`` (NaN while retention stays above one half).

    Notes
    -----
    Retention S(t) = Π_{t_i ≤ t} (1 - d_i / n_i); ``se`` is Greenwood's,
    se² = S² Σ d_i / (n_i (n_i - d_i)); the interval is log-transformed, S·exp(±z·se/S), the
    default of R's ``survfit``. The median is the first time at which S(t) ≤ 0.5.
    """
    frame = _durations(data, start, end, as_of, unit, duration, event)
    keys = group_frame(data, by=by, freq=None, date=start)
    codes, groups = observed_group_codes(keys)
    z = z_value(ci)
    tables, medians = [], []
    for g in range(len(groups)):  # one statsmodels fit per group
        sel = codes == g
        table, median = _km(frame["duration"].to_numpy()[sel], frame["event"].to_numpy()[sel], z)
        tables.append(_with_group(groups, g, table))
        medians.append(_with_group(groups, g, median))
    return RetentionCurve(
        pd.concat(tables, ignore_index=True), pd.concat(medians, ignore_index=True), unit
    )


def _with_group(groups: pd.DataFrame, g: int, frame: pd.DataFrame) -> pd.DataFrame:
    if groups.shape[1] == 0:
        return frame
    label = groups.iloc[[g] * len(frame)].reset_index(drop=True)
    return pd.concat([label, frame.reset_index(drop=True)], axis=1)


def _durations(data, start, end, as_of, unit, duration, event) -> pd.DataFrame:
    if duration is not None:
        if event is None:
            raise CxkitError(
                "pass `event=` (1 when the customer left, 0 when still active) with `duration=`."
            )
        return pd.DataFrame(
            {"duration": data[duration].astype("float64"), "event": data[event].astype("float64")}
        )
    check_option("unit", unit, _UNIT_DAYS)
    first, last, as_of = _dates(data, start, end, as_of)
    ended = last.notna() & (last <= as_of)
    stop = last.where(ended, as_of)
    days = (stop - first).dt.total_seconds() / 86400
    return pd.DataFrame({"duration": days / _UNIT_DAYS[unit], "event": ended.astype("float64")})


def _km(time: np.ndarray, status: np.ndarray, z: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    from statsmodels.duration.survfunc import SurvfuncRight  # imported when used: SciPy

    ok = ~np.isnan(time) & (time >= 0)
    fit = SurvfuncRight(time[ok], status[ok])
    s, se = fit.surv_prob, fit.surv_prob_se
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.exp(z * se / s)
    table = pd.DataFrame(
        {
            "time": fit.surv_times,
            "at_risk": fit.n_risk.astype("int64"),
            "events": fit.n_events.astype("int64"),
            "retention": s,
            "se": se,
            "ci_low": np.clip(s / spread, 0, 1),
            "ci_high": np.clip(s * spread, 0, 1),
        }
    )
    below = np.flatnonzero(s <= 0.5)
    median = fit.surv_times[below[0]] if len(below) else np.nan
    summary = pd.DataFrame(
        {"n": [int(ok.sum())], "events": [int(status[ok].sum())], "median": [median]}
    )
    return table, summary


def cohort_retention(
    data: pd.DataFrame,
    *,
    freq: str = "M",
    start: str = "start_date",
    end: str = "end_date",
    as_of=None,
) -> pd.DataFrame:
    """Percent of each signup cohort still active k periods after its start, as a long table.

    Returns
    -------
    DataFrame
        ``cohort`` (signup period), ``age`` (periods since signup, 0, 1, 2, ...),
        ``customers`` (the cohort's size) and ``retention`` (percent of the cohort active at
        the start of period cohort + age), one row per cohort and observed age: ages whose
        start lies after ``as_of`` are left out. ``table.pivot(index="cohort",
        columns="age", values="retention")`` gives the usual triangle.
    """
    first, last, as_of = _dates(data, start, end, as_of)
    known = first <= as_of  # customers who joined after the day the data describe do not exist yet
    first, last = first[known], last[known]
    cohort = first.dt.to_period(freq)
    cohorts = pd.period_range(cohort.min(), as_of, freq=freq)
    codes = cohort.array.asi8 - cohorts[0].ordinal  # periods since the first cohort
    size = np.bincount(codes, minlength=len(cohorts))
    parts = []
    for k in range(len(cohorts)):  # ages 0..K: one vectorised pass each
        checkpoint = (cohort + k).dt.start_time
        alive = (last.isna() | (last >= checkpoint)).to_numpy(dtype="float64")
        kept = np.bincount(codes, weights=alive, minlength=len(cohorts))
        observed = (cohorts + k).start_time <= as_of
        shown = observed & (size > 0)
        parts.append(
            pd.DataFrame(
                {
                    "cohort": cohorts[shown],
                    "age": k,
                    "customers": size[shown].astype("int64"),
                    "retention": 100 * kept[shown] / size[shown],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["cohort", "age"], kind="stable").reset_index(drop=True)
