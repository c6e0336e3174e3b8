"""Dask as an engine: a metric's counts per partition, by the pandas path's own code, summed.

Every metric whose heavy step is a count or a sum runs on a ``dask.dataframe.DataFrame`` the
same way: a pandas function counts one partition into a small tidy table (group columns, then
the counts), :func:`partition_sums` applies it to every partition and sums the tables by their
keys in a tree (``DataFrame.reduction``: at each step a few tables are concatenated and summed),
and the metric finishes with its pandas estimators. Memory is bounded by the tables' size
(groups × periods × values), not the rows. :func:`read_validated` gives the rows of a folder
that :meth:`cxkit.Scan.validate` wrote, with their dtypes as read.

dask is an optional extra (``pip install -e ".[dask]"``): it is imported inside the functions
here, so ``import cxkit`` does not import it, and the survey metrics tell a dask frame by its
type's module (:func:`cxkit._checks.is_dask_frame`). The survey metrics' counting is
:func:`survey_score_counts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from cxkit._counts import ScoreCounts
from cxkit._grouping import (
    GroupKey,
    as_frame,
    by_names,
    group_key,
    group_names,
)
from cxkit._periods import select_period, wall_time
from cxkit.errors import CxkitError
from cxkit.scan._files import parts
from cxkit.scan._scan import _check_weights, _some_rows_in
from cxkit.scan._validate import read_dtypes
from cxkit.survey import count_scores, weight_values

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "check_period_rows",
    "in_period",
    "partition_sums",
    "read_validated",
    "require_dask",
    "survey_score_counts",
]

#: What to run when dask is missing.
INSTALL = 'pip install -e ".[dask]"'

#: One score column to count: (column, lowest score, highest score).
Scale = tuple[str, int, int]


def require_dask():
    """Import ``dask.dataframe``; a :class:`CxkitError` naming the install command if missing."""
    try:
        import dask.dataframe
    except ImportError as err:
        raise CxkitError(
            f'engine="dask" needs dask, an optional extra that is not installed ({err}). '
            f"Install it with {INSTALL} (or pip install 'cxkit[dask]'), or use engine=\"duckdb\"."
        ) from None
    return dask.dataframe


def partition_sums(
    ddf: dd.DataFrame,
    count: Callable[[pd.DataFrame], pd.DataFrame],
    keys: Sequence[str],
    *,
    split_every: int | None = None,
) -> pd.DataFrame:
    """Apply a pandas counting function to every partition and sum its tables by ``keys``.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The rows.
    count : callable
        Takes one partition (a pandas DataFrame) and returns a tidy table: the ``keys``
        columns, then columns of counts or sums. It must accept an empty frame: it is first
        called on ``ddf``'s empty meta, which gives the result's columns and dtypes and raises
        its errors about missing columns before any row is read; partitions may be empty too.
    keys : list of str
        The table's key columns; the other columns are summed per key.
    split_every : int, optional
        How many tables each step of the tree sums (dask's default: 8).

    Returns
    -------
    DataFrame
        One row per key seen in any partition (missing key values are keys too), in no set
        order: for every other column, Σ over partitions of ``count(partition)``.

    Notes
    -----
    ``ddf.reduction(count, aggregate=sum_by_keys, combine=sum_by_keys)``: sums are additive, so
    summing per partition and then across partitions gives the sums over all rows. A step holds
    at most ``split_every`` tables, so memory is bounded by the tables, not the rows.
    """
    total = partial(_sum_by, keys=list(keys))
    reduced = ddf.reduction(
        count, aggregate=total, combine=total, meta=count(ddf._meta), split_every=split_every
    )
    return reduced.compute()


def _sum_by(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum the non-key columns of ``table`` per combination of ``keys`` (missing values kept)."""
    if not keys:
        return table.sum().to_frame().T.astype(table.dtypes.to_dict())
    grouped = table.groupby(keys, observed=True, dropna=False, sort=False, as_index=False)
    return grouped.sum()


def read_validated(folder: Path, manifest: Mapping[str, object]) -> dd.DataFrame:
    """Read a validated folder's rows with ``dask.dataframe.read_parquet``, dtypes as read.

    Each column gets the dtype the readers gave it, recorded in ``manifest`` (categories
    merged across files, in the readers' order, as :func:`cxkit.scan._scan._as_read` restores
    them for DuckDB's counts), so group columns are the pandas path's. Parts are read in
    order; runs of parts with the same columns are read together, and a column some files
    lack is empty in their rows (files of one scan need not have the same columns).
    """
    dask_dataframe = require_dask()
    dtypes = read_dtypes(manifest)
    frames = [_read_alike(dask_dataframe, run, dtypes) for run in _alike(parts(folder))]
    return frames[0] if len(frames) == 1 else dask_dataframe.concat(frames)


def _alike(paths: list[Path]) -> list[list[Path]]:
    """Split ``paths`` into runs of consecutive parts with the same Parquet schema."""
    runs: list[tuple[object, list[Path]]] = []
    for path in paths:
        schema = pq.read_schema(path).remove_metadata()
        if runs and runs[-1][0].equals(schema):
            runs[-1][1].append(path)
        else:
            runs.append((schema, [path]))
    return [run for _, run in runs]


def _read_alike(dask_dataframe, paths: list[Path], dtypes: dict[str, object]) -> dd.DataFrame:
    """Read parts with the same columns; add the manifest's other columns, empty; set dtypes."""
    frame = dask_dataframe.read_parquet([str(p) for p in paths])
    lacking = {name: None for name in dtypes if name not in frame.columns}
    if lacking:
        frame = frame.assign(**lacking)
    return frame[list(dtypes)].astype(dtypes)  # the scan's own _file and _row left out


def survey_score_counts(
    ddf: dd.DataFrame,
    scores: Mapping[str, Scale],
    *,
    by: str | Sequence[str] | None,
    freq: str | None,
    period: pd.Period | None,
    date: str,
    weight: str | None,
) -> dict[str, ScoreCounts]:
    """Count each score column per group (and period) of a dask frame, in one pass.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Responses, as a pandas frame of them would be given to :func:`cxkit.nps`.
    scores : mapping of str to (column, low, high)
        The counts to make, each named (e.g. ``{"nps": ("nps", 0, 10)}``).
    by, freq, period, date, weight
        As :func:`cxkit.survey.survey_counts` takes them, ``freq`` and ``period`` resolved.

    Returns
    -------
    dict of str to ScoreCounts
        The counts of each name, equal to the pandas path's on the whole frame.

    Notes
    -----
    Each partition is counted by :func:`_count_partition` (the pandas path's grouping and
    counting), then :func:`partition_sums` adds the tables. Errors about the rows' columns are
    the pandas path's, raised from dask's meta before anything is read. A missing or negative
    weight of a scored response is counted per partition and reported as by DuckDB (how many,
    not where: a partition knows its own positions only). A period with no row at all is the
    pandas path's error (a second pass, only when nothing was counted).
    """
    names, groups = by_names(by), group_names(by, freq)
    count = partial(
        _count_partition,
        scales=list(scores.values()),
        by=names,
        freq=freq,
        period=period,
        date=date,
        weight=weight,
    )
    table = partition_sums(ddf, count, [*groups, "_metric", "score"])
    if period is not None and table.empty:
        check_period_rows(ddf, period, date)
    return {
        name: _score_counts(table[table["_metric"] == i], groups, low, high, weight)
        for i, (name, (_, low, high)) in enumerate(scores.items())
    }


def _score_counts(
    table: pd.DataFrame, groups: list[str], low: int, high: int, weight: str | None
) -> ScoreCounts:
    """Build one metric's :class:`ScoreCounts` from its summed rows (checking its weights)."""
    _check_weights(table, weight)
    return ScoreCounts.from_frame(
        table,
        by=groups,
        low=low,
        high=high,
        weight_sum="weight_sum" if weight else None,
        weight_sq_sum="weight_sq_sum" if weight else None,
    )


def in_period(frame: pd.DataFrame, period: pd.Period | None, date: str) -> pd.DataFrame:
    """Keep a partition's rows dated in ``period`` (all rows when None), maybe none.

    :func:`cxkit._periods.select_period` without its error for a period with no rows: a
    partition may have none, the whole frame may not (:func:`check_period_rows`). A missing
    ``date`` column is its error.
    """
    if period is None:
        return frame
    if date not in frame.columns:
        select_period(frame, period, date=date)  # raises, naming the column
    stamps = wall_time(frame[date])
    return frame[(stamps >= period.start_time) & (stamps <= period.end_time)]


def check_period_rows(ddf: dd.DataFrame, period: pd.Period, date: str) -> None:
    """Raise the pandas path's error when no row of ``ddf`` is dated in ``period``.

    A second pass over the dates; call it only when the counts found no row in the period.
    """
    _some_rows_in(_period_rows(ddf, period, date), period, date)


def _period_rows(ddf: dd.DataFrame, period: pd.Period, date: str) -> tuple[int, object, object]:
    """Rows dated in ``period`` (scored or not), and the first and last date of all rows."""
    import dask

    stamps = ddf[date]
    inside = ((stamps >= period.start_time) & (stamps <= period.end_time)).sum()
    found, first, last = dask.compute(inside, stamps.min(), stamps.max())
    return int(found), *(None if pd.isna(d) else d for d in (first, last))


def _count_partition(
    frame: pd.DataFrame,
    *,
    scales: list[Scale],
    by: list[str],
    freq: str | None,
    period: pd.Period | None,
    date: str,
    weight: str | None,
) -> pd.DataFrame:
    """Count one partition's scores as the pandas path does; a tidy table for each scale.

    Returns the group columns (``by``, then ``period`` with ``freq``), ``_metric`` (the
    scale's position), ``score``, ``n`` and, with ``weight``, ``weight_sum``,
    ``weight_sq_sum`` and ``weight_bad`` (scored rows whose weight is missing or negative:
    their weights count as 0 here, and the sum is an error afterwards).
    """
    for column, _, _ in scales:
        as_frame(frame, column)  # the pandas path's error for a missing score column
    frame = in_period(frame, period, date)
    key = group_key(frame, by=by, freq=freq, date=date)
    weights = weight_values(frame, weight)
    tables = [_count_scale(frame, key, i, scale, weights, weight) for i, scale in enumerate(scales)]
    return pd.concat(tables, ignore_index=True)


def _count_scale(
    frame: pd.DataFrame,
    key: GroupKey,
    position: int,
    scale: Scale,
    weights: np.ndarray | None,
    weight: str | None,
) -> pd.DataFrame:
    """Count one score column against ``key`` (:func:`cxkit.survey.count_scores`), as a table."""
    column, low, high = scale
    bad = None
    if weights is not None:  # count_scores' test, counted instead of raised
        bad = frame[column].notna().to_numpy() & ~(np.isfinite(weights) & (weights >= 0))
        weights = np.where(bad, 0.0, weights) if bad.any() else weights
    counts = count_scores(
        frame, key, score=column, low=low, high=high, weights=weights, weight=weight
    )
    table = counts.to_frame()
    table.insert(key.table.shape[1], "_metric", np.full(len(table), position, dtype="int16"))
    if bad is not None:
        flags = np.zeros(len(table), dtype="int64")
        flags[:1] = bad.sum()  # on the first row: a bad weight is a scored row, so one exists
        table["weight_bad"] = flags
    return table
