"""Service metrics from tickets: response and resolution times, first-contact resolution."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit._grouping import group_frame
from cxkit.errors import CxkitError
from cxkit.survey import By

__all__ = ["service_metrics"]

_HOUR = pd.Timedelta(hours=1)


def service_metrics(
    tickets: pd.DataFrame, *, by: By = None, period: str | None = None, date: str = "opened_at"
) -> pd.DataFrame:
    """Summarise tickets per group: volume, open tickets, response and resolution times, FCR.

    Parameters
    ----------
    tickets : DataFrame
        Canonical tickets (``cx.read_tickets(...).data``): ``opened_at`` is required;
        ``first_response_at``, ``resolved_at``, ``contacts`` and ``reopened`` are used when
        present.
    by : str or list of str, optional
        Grouping columns, e.g. "channel" or "agent".
    period : str, optional
        Calendar period of ``date`` (default the opening date) to group by as well.

    Returns
    -------
    DataFrame
        Group columns, then ``tickets, open_tickets, first_response_median_h,
        first_response_mean_h, first_response_p90_h, resolution_median_h, resolution_mean_h,
        resolution_p90_h, fcr_rate, reopen_rate``.

    Notes
    -----
    Times are in hours from ``opened_at``. Tickets still open (no ``resolved_at``) are counted
    in ``tickets`` and ``open_tickets`` and left out of resolution times, FCR and reopen rate,
    whose denominator is the resolved tickets; tickets not yet answered are left out of the
    response times. FCR (first-contact resolution) is the share of resolved tickets closed in
    one contact and not reopened. Percentiles are pandas' linear-interpolation quantiles.
    """
    if "opened_at" not in tickets.columns:
        raise CxkitError(
            f"column 'opened_at' not found; columns are {list(tickets.columns)}. Read tickets "
            "with cx.read_tickets, which names it."
        )
    keys = group_frame(tickets, by=by, period=period, date=date)
    names = list(keys.columns)
    work = keys.assign(
        _first=_hours(tickets, "first_response_at"),
        _resolution=_hours(tickets, "resolved_at"),
        _open=_column(tickets, "resolved_at").isna(),
        _fcr=_fcr(tickets),
        _reopened=_flag(tickets, "reopened"),
    )
    grouped = work.groupby(names, dropna=False, observed=True, sort=True) if names else None
    out = _aggregate(work, grouped)
    return out.reset_index() if names else out


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
    one = tickets["contacts"].astype("Float64").astype("float64") == 1
    reopened = _flag(tickets, "reopened").fillna(0.0) == 1
    return (one & ~reopened).astype("float64").where(resolved)


def _aggregate(work: pd.DataFrame, grouped) -> pd.DataFrame:
    source = grouped if grouped is not None else work
    frame = {
        "tickets": source["_open"].size() if grouped is not None else len(work),
        "open_tickets": source["_open"].sum(),
    }
    for name, column in (("first_response", "_first"), ("resolution", "_resolution")):
        frame[f"{name}_median_h"] = source[column].median()
        frame[f"{name}_mean_h"] = source[column].mean()
        frame[f"{name}_p90_h"] = source[column].quantile(0.9)
    frame["fcr_rate"] = source["_fcr"].mean()
    frame["reopen_rate"] = source["_reopened"].mean()
    if grouped is None:
        return pd.DataFrame({k: [v] for k, v in frame.items()})
    return pd.DataFrame(frame)
