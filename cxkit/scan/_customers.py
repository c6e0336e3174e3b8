"""Churn on scanned customers: DuckDB counts them per group, start period and end period.

:func:`cxkit.churn_rate` asks, for each period [a, b), who started before a and had not
ended before a, and who of them ended before b. Those tests compare dates with period
boundaries only, so they give the same answers on dates truncated to their period's first
day: the customers of a group with the same start and end periods are interchangeable, and
their count is all the pandas path needs (it weights each row by it). Memory is bounded by
groups × periods², not customers.
"""

from __future__ import annotations

import pandas as pd

from cxkit.retention import check_dates
from cxkit.scan._columns import check_dates as check_date_dtypes
from cxkit.scan._columns import unit
from cxkit.scan._duck import truncated, wall_time
from cxkit.scan._files import parts
from cxkit.scan._grouped import aggregate, columns
from cxkit.scan._scan import Scan

__all__ = ["churn_counts"]


def churn_counts(scan: Scan, *, by, freq: str, start: str, end: str) -> pd.DataFrame:
    """Count scanned customers per ``by`` group and ``freq`` period of ``start`` and ``end``.

    Returns
    -------
    DataFrame
        The group columns (as read), ``start`` and ``end`` (their period's first day; empty
        where the date is), and ``_customers``: the rows :func:`cxkit.churn_rate` weights.
    """
    known = columns(scan)
    check_dates(list(known), start, end)  # the pandas path's error for a missing column
    check_date_dtypes(known, "customers", start, end)
    data, truncation = parts(scan._validated()[0]), unit(freq)
    select = [
        f"{truncated(wall_time(data, start), truncation)} AS _start",
        f"{truncated(wall_time(data, end), truncation)} AS _end",
        "count(*) AS _customers",
    ]
    table, _ = aggregate(scan, select, by=by, date=start)
    table[start] = pd.to_datetime(table.pop("_start"))
    table[end] = pd.to_datetime(table.pop("_end"))
    return table
