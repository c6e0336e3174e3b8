"""Grouping columns for metrics: ``by`` columns and a calendar ``period`` from a date column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError

__all__ = ["as_frame", "group_codes", "group_frame", "observed_group_codes"]

_DIRECT_BINS = 1 << 24  # beyond this many combinations, number only the observed ones


def as_frame(data: pd.DataFrame | pd.Series | Sequence | np.ndarray, score: str) -> pd.DataFrame:
    """Accept a DataFrame, or a Series/array of scores (returned as a one-column frame)."""
    if isinstance(data, pd.DataFrame):
        if score not in data.columns:
            raise CxkitError(
                f"column {score!r} not found; columns are {list(data.columns)}. "
                f"Pass score='<your column>'."
            )
        return data
    values = pd.Series(data)
    return pd.DataFrame({score: pd.to_numeric(values, errors="raise")})


def group_frame(
    data: pd.DataFrame, *, by: str | Sequence[str] | None, period: str | None, date: str
) -> pd.DataFrame:
    """Build the grouping columns: each ``by`` column, then ``period`` if asked.

    Parameters
    ----------
    by : str or list of str, optional
        Columns to group by.
    period : str, optional
        A pandas period frequency ("M" month, "Q" quarter, "W" week, "Y" year, "D" day) over
        the ``date`` column.
    """
    names = [by] if isinstance(by, str) else list(by or [])
    missing = [c for c in names + ([date] if period else []) if c not in data.columns]
    if missing:
        raise CxkitError(f"column(s) {missing} not found; columns are {list(data.columns)}.")
    out = pd.DataFrame({c: data[c] for c in names}, index=data.index)
    if period:
        if "period" in names:
            raise CxkitError("`by` has a column named 'period'; rename it to group by period too.")
        out["period"] = to_period(data[date], period)
    return out


def to_period(dates: pd.Series, freq: str) -> pd.Series:
    """Calendar periods of ``dates`` at frequency ``freq`` (missing dates stay missing)."""
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        raise CxkitError(
            f"column {dates.name!r} holds {dates.dtype}, not dates; read the data with "
            "cx.read_responses or convert it with pandas.to_datetime."
        )
    try:
        return (
            dates.dt.tz_localize(None).dt.to_period(freq)
            if dates.dt.tz
            else dates.dt.to_period(freq)
        )
    except (ValueError, TypeError) as err:
        raise CxkitError(
            f"`period` must be a pandas period frequency such as 'M', 'Q', 'W' or 'Y'; got "
            f"{freq!r} ({err})."
        ) from None


def group_codes(groups: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """One integer code per row for the combination of grouping columns, and the code table.

    Codes combine each column's codes in mixed radix, so the table lists every combination
    (observed or not) while that is small; beyond ``_DIRECT_BINS`` combinations only the
    observed ones are numbered. Missing values form a level of their own.
    """
    if groups.shape[1] == 0:
        return np.zeros(len(groups), dtype="int64"), pd.DataFrame(index=[0])
    parts = [_column_codes(groups[c]) for c in groups.columns]
    sizes = [len(levels) for _, levels in parts]
    combined = np.zeros(len(groups), dtype="int64")
    for (codes, _), size in zip(parts, sizes, strict=True):
        combined = combined * size + codes
    total = int(np.prod(sizes, dtype="float64"))
    if total <= _DIRECT_BINS:
        keys = np.arange(total)
    else:  # too many combinations to tabulate directly: number only those observed
        combined, keys = pd.factorize(combined, sort=True)
        combined = combined.astype("int64")
    table = {}
    rest = np.asarray(keys, dtype="int64")
    for name, (_, levels), size in reversed(list(zip(groups.columns, parts, sizes, strict=True))):
        table[name] = _restore(levels.take(rest % size), groups[name].dtype)
        rest = rest // size
    return combined, pd.DataFrame({name: table[name] for name in groups.columns})


def _column_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 of one grouping column; missing values form the last level."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype("int64")
        levels = pd.Index(np.asarray(column.cat.categories, dtype=object))
    else:
        codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
        codes = codes.astype("int64")
        levels = pd.Index(np.asarray(uniques, dtype=object))
    if (codes < 0).any():
        codes = np.where(codes < 0, len(levels), codes)
        levels = levels.append(pd.Index([None], dtype=object))
    return codes, levels


def _restore(values: pd.Index, dtype) -> pd.Series:
    """Give decoded group labels back their column's dtype (categories keep their order)."""
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Series(pd.Categorical(values, dtype=dtype))
    try:
        return pd.Series(values).astype(dtype)
    except (TypeError, ValueError):
        return pd.Series(values)


def observed_group_codes(groups: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Like :func:`group_codes`, numbering only the combinations that occur (in table order)."""
    codes, table = group_codes(groups)
    used, compact = np.unique(codes, return_inverse=True)
    return compact.astype("int64"), table.iloc[used].reset_index(drop=True)
