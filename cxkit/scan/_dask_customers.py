"""Churn on a dask frame of customers: counts per group, start period and end period.

:func:`cxkit.churn_rate` needs, per group, only how many customers started and ended in each
pair of periods (:func:`cxkit.retention.count_customers`, whose notes say why). Each
partition is counted by that pandas function and :func:`cxkit.scan._dask.partition_sums`
adds the counts, so memory is bounded by groups × periods², not customers; the weighted
pandas core then computes the rates, as for a DuckDB scan (:mod:`cxkit.scan._customers`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from cxkit._grouping import by_names
from cxkit.retention import count_customers
from cxkit.scan._dask import partition_sums

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["churn_counts"]


def churn_counts(ddf: dd.DataFrame, *, by, freq: str, start: str, end: str) -> pd.DataFrame:
    """Count a dask frame's customers per ``by`` group and ``freq`` period of ``start``, ``end``.

    Returns :func:`cxkit.retention.count_customers`' table for all the rows: the group
    columns, ``start``, ``end`` and ``_customers``. Its errors (a missing date or ``by``
    column) are raised from dask's meta before any row is read.
    """
    names = by_names(by)
    count = partial(count_customers, by=by, freq=freq, start=start, end=end)
    return partition_sums(ddf, count, [*names, start, end])
