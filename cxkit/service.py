"""Service metrics from tickets: response and resolution times, first-contact resolution.

:func:`service_metrics` is the overview (volumes, time percentiles and rates per group);
:func:`fcr` and :func:`reopen_rate` are metric tables of the package's one shape, with Wilson
intervals. Rates are percentages; times are hours from ``opened_at``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit._checks import dask_frame_of, is_scan
from cxkit._estimates import rate_columns
from cxkit._grouping import check_columns, group_frame
from cxkit._periods import resolve, select_period
from cxkit._results import metric_table
from cxkit.survey import By

__all__ = ["fcr", "reopen_rate", "service_metrics"]

_HOUR = pd.Timedelta(hours=1)
#: Helpdesk exports that give business-hours durations (cxkit.io.helpdesk) keep them in these
#: columns; they are summarised on their own, never mixed with calendar hours.
_BUSINESS = {
    "first_response_business_h": "_first_business",
    "resolution_business_h": "_resolution_business",
}


def _tickets(
    data: pd.DataFrame, by: By, freq: str | None, period: pd.Period | None, date: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check the tickets, keep ``period``'s (``freq`` and ``period`` resolved), group them."""
    check_columns(data, ["opened_at"], parameter="data")
    data = select_period(data, period, date=date)
    return data, group_frame(data, by=by, freq=freq, date=date)


def service_metrics(
    data: pd.DataFrame,
    *,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "opened_at",
) -> pd.DataFrame:
    """Summarise tickets per group: volume, open tickets, response and resolution times, FCR.

    Parameters
    ----------
    data : DataFrame
        Canonical tickets (``cx.read_tickets(...).data``): ``opened_at`` is required;
        ``first_response_at``, ``resolved_at``, ``contacts`` and ``reopened`` are used when
        present.
        Or a :func:`cxkit.scan` of ticket exports too large for memory: DuckDB then
        aggregates the validated rows, with the same results (medians and 90th percentiles
        exact, by ``quantile_cont``, which interpolates as pandas does; they hold a group's
        times in memory, 8 bytes a ticket); ``freq`` is then a calendar day, week, month,
        quarter or year.
        Or a ``dask.dataframe.DataFrame`` (or a scan with ``engine="dask"``): each
        partition's tickets are worked on by this function's code, then shuffled on the
        group columns so each group's tickets meet in one partition, which gives the exact
        percentiles; memory is then bounded by the largest group's tickets (about 50 bytes
        each; all tickets without ``by`` and ``freq``).
    by : str or list of str, optional
        Grouping columns, e.g. "channel" or "agent".
    freq : str, optional
        Granularity ("M", "Q", ...) of ``date``: one row per period as well.
    period : str, optional
        One period ("2026-10"): only tickets whose ``date`` falls in it.
    date : str
        The date that places a ticket in a period (default the opening date).

    Returns
    -------
    DataFrame
        Group columns, then ``tickets, open_tickets, first_response_median_h,
        first_response_mean_h, first_response_p90_h, resolution_median_h, resolution_mean_h,
        resolution_p90_h, fcr, reopen_rate`` (the last two in percent). When the tickets
        carry business-hours durations (``first_response_business_h``,
        ``resolution_business_h``, from helpdesk exports that give only those), their median,
        mean and p90 follow as ``first_response_business_median_h`` and so on: business hours
        are labelled as such and never mixed with calendar hours.

    Notes
    -----
    Tickets still open (no ``resolved_at``) are counted in ``tickets`` and ``open_tickets``
    and left out of resolution times, FCR and reopen rate, whose denominator is the resolved
    tickets; tickets not yet answered are left out of the response times. FCR
    (first-contact resolution) is the percent of resolved tickets closed in one contact and
    not reopened. Percentiles are pandas' linear-interpolation quantiles. For intervals on
    the rates, use :func:`fcr` and :func:`reopen_rate`.
    """
    freq, period = resolve(freq, period, function="service_metrics")
    rows = dask_frame_of(data)
    if rows is not None:  # a dask frame, or a scan on the dask engine
        from cxkit.scan._dask_tickets import service_summary as dask_summary

        return dask_summary(rows, by=by, freq=freq, period=period, date=date)
    if is_scan(data):  # a cx.scan: DuckDB aggregates the validated rows
        from cxkit.scan._tickets import service_summary

        return service_summary(data, by=by, freq=freq, period=period, date=date)
    data, keys = _tickets(data, by, freq, period, date)
    return summarise(ticket_work(data, keys), list(keys.columns))


def ticket_work(data: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """Give each ticket's quantities beside its group columns ``keys``.

    ``_first`` and ``_resolution`` (hours from ``opened_at``), ``_open``, ``_fcr`` and
    ``_reopened`` (1.0, 0.0 or NaN: :func:`_fcr`, :func:`_flag`), and the business-hours
    durations the tickets carry (:data:`_BUSINESS`).
    """
    work = keys.assign(
        _first=_hours(data, "first_response_at"),
        _resolution=_hours(data, "resolved_at"),
        _open=_column(data, "resolved_at").isna(),
        _fcr=_fcr(data),
        _reopened=_flag(data, "reopened"),
    )
    for column in [c for c in _BUSINESS if c in data.columns]:
        work[_BUSINESS[column]] = data[column].astype("float64")
    return work


def summarise(work: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Give :func:`service_metrics`' table of :func:`ticket_work`'s rows, grouped by ``names``."""
    business = [c for c, column in _BUSINESS.items() if column in work.columns]
    grouped = work.groupby(names, dropna=False, observed=True, sort=True) if names else None
    out = _aggregate(work, grouped, business)
    return out.reset_index() if names else out


def _rate(
    data: pd.DataFrame,
    outcome: str,
    metric: str,
    *,
    by: By,
    freq: str | None,
    period,
    date: str,
    ci: float,
    min_n: int,
) -> pd.DataFrame:
    """Build a rate's metric table from successes and trials per group.

    ``outcome`` names the per-ticket flag, "fcr" (:func:`_fcr`) or "reopened"
    (:func:`_flag`): 1.0 a success, 0.0 a failure, NaN not a trial.
    """
    freq, period = resolve(freq, period, function=metric, stacklevel=4)
    groups, successes, trials = _rate_counts(data, outcome, by, freq, period, date)
    successes = successes.to_numpy(dtype="int64")
    trials = trials.to_numpy(dtype="int64")
    columns = rate_columns(successes, trials, ci)
    return metric_table(groups, metric, columns, min_n, {"successes": successes})


#: The column each rate's flag needs.
_NEEDS = {"fcr": "contacts", "reopened": "reopened"}


def _rate_counts(data, outcome, by, freq, period, date):
    """Count trials and successes of the ``outcome`` flag per group: by pandas, dask or DuckDB.

    Returns the groups, the successes and the trials (``freq`` and ``period`` resolved).
    """
    needs = [_NEEDS[outcome]]
    rows = dask_frame_of(data)
    if rows is not None:  # a dask frame, or a scan on the dask engine: summed over partitions
        from cxkit.scan._dask_tickets import rate_counts as dask_counts

        table = dask_counts(
            rows, outcome, by=by, freq=freq, period=period, date=date, required=needs
        )
    elif is_scan(data):  # a cx.scan: DuckDB counts the validated rows
        from cxkit.scan._tickets import rate_counts

        return rate_counts(
            data, outcome, by=by, freq=freq, period=period, date=date, required=needs
        )
    else:
        check_columns(data, needs, parameter="data")
        data, keys = _tickets(data, by, freq, period, date)
        table = rate_sums(data, keys, outcome)
    names = [c for c in table.columns if c not in ("_trial", "_success")]
    return table[names], table["_success"], table["_trial"]


def rate_sums(data: pd.DataFrame, keys: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Count the trials (``_trial``) and successes (``_success``) of a flag per group.

    ``outcome`` names the flag, "fcr" (:func:`_fcr`) or "reopened" (:func:`_flag`); a trial
    is a ticket with the flag known, a success one where it is 1. Returns ``keys``' columns
    (one row per observed group, sorted) and the two counts; one row when ``keys`` has no
    columns. Counts are additive: a dask frame's partitions are counted by this function.
    """
    flag = _fcr(data) if outcome == "fcr" else _flag(data, "reopened")
    counted = keys.assign(_trial=flag.notna(), _success=flag.fillna(0.0) == 1)
    names = list(keys.columns)
    if not names:
        return counted[["_trial", "_success"]].sum().astype("int64").to_frame().T
    grouped = counted.groupby(names, dropna=False, observed=True, sort=True, as_index=False)
    return grouped[["_trial", "_success"]].sum().astype({"_trial": "int64", "_success": "int64"})


def fcr(
    data: pd.DataFrame,
    *,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "opened_at",
    ci: float = 0.95,
    min_n: int = 30,
) -> pd.DataFrame:
    """First-contact resolution: percent of resolved tickets closed in one contact, per group.

    Parameters are as in :func:`service_metrics`, with ``ci`` the confidence level and
    ``min_n`` the smallest base not flagged ``small_sample``. On a dask frame (or a scan with
    ``engine="dask"``) each partition's successes and trials per group are counted by the
    pandas code and summed: memory for the groups, not the tickets.

    Returns
    -------
    DataFrame
        Group columns, then ``n`` (resolved tickets with a contact count), ``fcr`` (percent),
        ``se``, ``ci_low``, ``ci_high`` (Wilson), ``small_sample``, ``successes`` (tickets
        resolved in one contact and not reopened).

    Notes
    -----
    p = successes / n, se = sqrt(p (1 - p) / n); the Wilson score interval is statsmodels'
    ``proportion_confint(method="wilson")`` (Wilson, 1927). Open tickets and tickets without
    ``contacts`` are not in ``n``.
    """
    return _rate(data, "fcr", "fcr", by=by, freq=freq, period=period, date=date, ci=ci, min_n=min_n)


def reopen_rate(
    data: pd.DataFrame,
    *,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "opened_at",
    ci: float = 0.95,
    min_n: int = 30,
) -> pd.DataFrame:
    """Percent of resolved tickets that were reopened, per group (Wilson interval).

    Parameters and columns are as in :func:`fcr`, with ``reopen_rate`` the value column and
    ``successes`` the reopened tickets.
    """
    return _rate(
        data, "reopened", "reopen_rate", by=by, freq=freq, period=period, date=date, ci=ci,
        min_n=min_n,
    )  # fmt: skip


def _column(tickets: pd.DataFrame, name: str) -> pd.Series:
    if name in tickets.columns:
        return tickets[name]
    return pd.Series(pd.NaT, index=tickets.index, dtype="datetime64[us]")


def _hours(tickets: pd.DataFrame, name: str) -> pd.Series:
    return (_column(tickets, name) - tickets["opened_at"]) / _HOUR


def _flag(tickets: pd.DataFrame, name: str) -> pd.Series:
    """1.0 / 0.0 for resolved tickets, NaN for open ones or when the column is absent."""
    resolved = _column(tickets, "resolved_at").notna()
    if name not in tickets.columns:
        return pd.Series(np.nan, index=tickets.index)
    return tickets[name].astype("Float64").astype("float64").where(resolved)


def _fcr(tickets: pd.DataFrame) -> pd.Series:
    resolved = _column(tickets, "resolved_at").notna()
    if "contacts" not in tickets.columns:
        return pd.Series(np.nan, index=tickets.index)
    contacts = tickets["contacts"].astype("Float64").astype("float64")
    one = contacts == 1
    reopened = _flag(tickets, "reopened").fillna(0.0) == 1
    return (one & ~reopened).astype("float64").where(resolved & contacts.notna())


def _aggregate(work: pd.DataFrame, grouped, business: list[str]) -> pd.DataFrame:
    source = grouped if grouped is not None else work
    frame = {
        "tickets": source["_open"].size() if grouped is not None else len(work),
        "open_tickets": source["_open"].sum(),
    }
    times = [("first_response", "_first"), ("resolution", "_resolution")]
    times += [(c.removesuffix("_h"), _BUSINESS[c]) for c in business]
    for name, column in times:
        frame[f"{name}_median_h"] = source[column].median()
        frame[f"{name}_mean_h"] = source[column].mean()
        frame[f"{name}_p90_h"] = source[column].quantile(0.9)
    frame["fcr"] = 100 * source["_fcr"].mean()
    frame["reopen_rate"] = 100 * source["_reopened"].mean()
    if grouped is None:
        return pd.DataFrame({k: [v] for k, v in frame.items()})
    return pd.DataFrame(frame)
