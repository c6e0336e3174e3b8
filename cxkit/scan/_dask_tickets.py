"""Service metrics on a dask frame of tickets: ``service_metrics``, ``fcr`` and ``reopen_rate``.

Each partition is worked on by :mod:`cxkit.service`'s own pandas code: the period's rows
(:func:`cxkit.scan._dask.in_period`), the group columns, then

- for ``fcr`` and ``reopen_rate``, the trials and successes per group
  (:func:`cxkit.service.rate_sums`), which are additive: :func:`cxkit.scan._dask.partition_sums`
  adds them in a tree, and memory is bounded by the groups;
- for :func:`cxkit.service_metrics`, each ticket's hours and flags
  (:func:`cxkit.service.ticket_work`). Its medians and 90th percentiles are exact, and not
  additive: the rows are shuffled on the group columns so that each group's tickets meet in
  one partition, where :func:`cxkit.service.summarise` gives the pandas table. Memory is then
  bounded by the largest group's tickets (about 50 bytes each), all of them without ``by``
  or ``freq``, not by the groups alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit._grouping import check_columns, group_frame, group_names, sort_groups
from cxkit.scan._dask import check_period_rows, in_period, partition_sums
from cxkit.service import rate_sums, summarise, ticket_work

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["rate_counts", "service_summary"]


def service_summary(
    ddf: dd.DataFrame, *, by, freq: str | None, period: pd.Period | None, date: str
) -> pd.DataFrame:
    """Give :func:`cxkit.service_metrics`' table for a dask frame of tickets, exactly.

    ``freq`` and ``period`` resolved. Each group's tickets are brought to one partition (a
    shuffle on the group columns; one partition without them) and summarised there.
    """
    import dask

    work = ddf.map_partitions(
        _work, by=by, freq=freq, period=period, date=date,
        meta=_work(ddf._meta, by=by, freq=freq, period=period, date=date),
    )  # fmt: skip
    names = group_names(by, freq)
    together = work.shuffle(on=names) if names else work.repartition(npartitions=1)
    count = partial(summarise, names=names)
    tables = dask.compute(*together.map_partitions(count, meta=count(work._meta)).to_delayed())
    out = pd.concat([t for t in tables if len(t)] or list(tables[:1]), ignore_index=True)
    if period is not None and not out["tickets"].sum():
        check_period_rows(ddf, period, date)
    return sort_groups(out, names)


def rate_counts(
    ddf: dd.DataFrame,
    outcome: str,
    *,
    by,
    freq: str | None,
    period: pd.Period | None,
    date: str,
    required: Sequence[str],
) -> pd.DataFrame:
    """Count the ``outcome`` flag's trials and successes per group, over the partitions.

    Returns :func:`cxkit.service.rate_sums`' table for all the rows: the group columns
    (sorted as pandas groups), ``_trial`` and ``_success``. ``required``: the columns the
    flag needs, named in the pandas path's error when missing.
    """
    count = partial(
        _rate_partition, outcome=outcome, by=by, freq=freq, period=period, date=date,
        required=list(required),
    )  # fmt: skip
    names = group_names(by, freq)
    table = partition_sums(ddf, count, names)
    if period is not None and not table["_rows"].sum():
        check_period_rows(ddf, period, date)
    return sort_groups(table.drop(columns="_rows"), names)


def _work(frame: pd.DataFrame, *, by, freq, period, date) -> pd.DataFrame:
    """One partition's :func:`cxkit.service.ticket_work`: its group columns, hours and flags."""
    check_columns(frame, ["opened_at"], parameter="data")
    frame = in_period(frame, period, date)
    return ticket_work(frame, group_frame(frame, by=by, freq=freq, date=date))


def _rate_partition(
    frame: pd.DataFrame, *, outcome, by, freq, period, date, required
) -> pd.DataFrame:
    """Count one partition's trials and successes (:func:`cxkit.service.rate_sums`).

    ``_rows`` holds the partition's rows in the period on its first row (0 elsewhere), so
    the sum tells a period without rows.
    """
    check_columns(frame, required, parameter="data")
    check_columns(frame, ["opened_at"], parameter="data")
    frame = in_period(frame, period, date)
    table = rate_sums(frame, group_frame(frame, by=by, freq=freq, date=date), outcome)
    rows = np.zeros(len(table), dtype="int64")
    rows[:1] = len(frame)
    return table.assign(_rows=rows)
