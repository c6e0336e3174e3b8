"""Key-driver analysis on a dask frame: the pairwise sums per partition, added, then the fit.

:class:`cxkit.DriverAnalysis` needs only the pairwise-complete sums of :mod:`cxkit._moments`
(the pair counts, ``N``, ``Sx``, ``Sxx`` and ``Sxy``), which are sums over rows. Two passes
over the partitions, each counted by the pandas path's code and added by
:func:`cxkit.scan._dask.partition_sums`:

1. the rows left out and kept (:func:`cxkit._driverdata.kept_rows`), each column's sum and
   count where present among the kept rows (their ratio, the column's mean, centres the
   values as :func:`cxkit._moments.pairwise_moments` does), and the weights' sums and the
   rows whose weight is missing or negative;
2. :func:`cxkit._moments.pairwise_sums` of the kept rows less those means.

Memory: (drivers + 1)² numbers per partition, whatever the rows. As for a DuckDB scan
(:mod:`cxkit.scan._drivers`), the respondents are not held, so there is no bootstrap.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit._driverdata import (
    DriverRows,
    check_driver_columns,
    driver_matrix,
    driver_rows,
    kept_rows,
    weight_error,
)
from cxkit._moments import Moments, moments_from_sums, pairwise_sums
from cxkit.scan._dask import partition_sums

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["driver_moments"]


def driver_moments(
    ddf: dd.DataFrame, *, outcome: str, drivers: list[str], weight: str | None, missing: str
) -> tuple[Moments, DriverRows]:
    """Give the moments and row counts :class:`cxkit.DriverAnalysis` fits from.

    The rows used are those :func:`cxkit._driverdata.driver_data` keeps; the columns are
    checked on dask's meta, with the pandas path's errors. A missing or negative weight of
    a row used is counted over the partitions and reported (how many, not where).
    """
    columns = check_driver_columns(
        ddf._meta, outcome=outcome, drivers=drivers, weight=weight, missing=missing
    )
    options = {"columns": columns, "weight": weight, "missing": missing}
    first = partition_sums(ddf, partial(_first_pass, **options), []).iloc[0]
    if weight is not None and first["bad_weights"]:
        raise weight_error(weight, int(first["bad_weights"]), " (in the dask partitions)")
    shift = _means(first, len(columns))
    sums = partition_sums(ddf, partial(_second_pass, **options, shift=shift), []).iloc[0]
    pairs = sums.to_numpy(dtype="float64").reshape(5, len(columns), len(columns))
    return moments_from_sums(*pairs, shift), driver_rows(columns, first, missing, weight)


def _means(first: pd.Series, p: int) -> np.ndarray:
    """Each column's mean where present among the rows used (0 where none): the shift."""
    sums = first[[f"sum_{i}" for i in range(p)]].to_numpy(dtype="float64")
    counts = first[[f"count_{i}" for i in range(p)]].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(sums / counts)


def _first_pass(frame: pd.DataFrame, *, columns, weight, missing) -> pd.DataFrame:
    """Count one partition's rows, sum each column where present, and sum the weights."""
    values, present = driver_matrix(frame, columns)
    keep, counts = kept_rows(present, missing)
    row: dict[str, float] = dict(counts)
    used = present[keep]
    row |= {f"sum_{i}": v for i, v in enumerate(np.where(used, values[keep], 0.0).sum(axis=0))}
    row |= {f"count_{i}": int(v) for i, v in enumerate(used.sum(axis=0))}
    if weight is not None:
        w = _weights(frame, weight, keep)
        ok = np.isfinite(w) & (w >= 0)
        row |= {
            "bad_weights": int((~ok).sum()),
            "weight_sum": float(w[ok].sum()),
            "weight_sq": float((w[ok] ** 2).sum()),
        }
    return pd.DataFrame({name: [value] for name, value in row.items()})


def _second_pass(frame: pd.DataFrame, *, columns, weight, missing, shift) -> pd.DataFrame:
    """Sum one partition's pairwise products of the kept rows less ``shift``, in one row."""
    values, present = driver_matrix(frame, columns)
    keep, _ = kept_rows(present, missing)
    used = present[keep]
    centred = np.where(used, values[keep] - shift, 0.0)
    w = _weights(frame, weight, keep) if weight is not None else None
    sums = np.stack(pairwise_sums(centred, used.astype("float64"), w)).astype("float64")
    return pd.DataFrame(sums.reshape(1, -1), columns=[f"s{i}" for i in range(sums.size)])


def _weights(frame: pd.DataFrame, weight: str, keep: np.ndarray) -> np.ndarray:
    """Give the kept rows' weights as floats (NaN where missing)."""
    return frame[weight].to_numpy(dtype="float64", na_value=np.nan)[keep]
