"""Grouping columns for metrics: ``by`` columns and a calendar ``period`` from a date column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError

__all__ = ["as_frame", "check_columns", "group_codes", "group_frame", "observed_group_codes"]

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
    return pd.DataFrame({score: pd.Series(data)})  # scores are checked by the metric


def check_columns(data: pd.DataFrame, columns: Sequence[str], *, parameter: str) -> None:
    """Raise a :class:`CxkitError` naming ``parameter`` when a column is not in ``data``.

    A column a caller names is never skipped silently: a missing ``weight`` or ``by`` column
    is an error, not an unweighted or ungrouped result.
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise CxkitError(
            f"`{parameter}`: column(s) {missing} not found; columns are {list(data.columns)}. "
            f"Name a column that exists, or leave out `{parameter}=`."
        )


def group_frame(
    data: pd.DataFrame, *, by: str | Sequence[str] | None, freq: str | None, date: str
) -> pd.DataFrame:
    """Build the grouping columns: each ``by`` column, then a ``period`` column if asked.

    Parameters
    ----------
    by : str or list of str, optional
        Columns to group by.
    freq : str, optional
        A pandas period frequency ("M" month, "Q" quarter, "W" week, "Y" year, "D" day) over
        the ``date`` column; the periods go into a column named ``period``.
    """
    names = [by] if isinstance(by, str) else list(by or [])
    check_columns(data, names, parameter="by")
    if freq:
        check_columns(data, [date], parameter="date")
    out = pd.DataFrame({c: data[c] for c in names}, index=data.index)
    if freq:
        if "period" in names:
            raise CxkitError("`by` has a column named 'period'; rename it to group by period too.")
        out["period"] = to_period(data[date], freq)
    return out


_DAY_BASED = ("D", "W", "M", "Q", "Y")


def to_period(dates: pd.Series, freq: str) -> pd.Series:
    """Calendar periods of ``dates`` at frequency ``freq`` (missing dates stay missing).

    For day, week, month, quarter and year periods the calendar is consulted once per distinct
    day: dates are integer-divided into days, and a small table maps each day of the range to
    its period. The result equals ``dates.dt.to_period(freq)``, in about a third of the time.
    """
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        raise CxkitError(
            f"column {dates.name!r} holds {dates.dtype}, not dates; read the data with "
            "cx.read_responses or convert it with pandas.to_datetime."
        )
    naive = dates.dt.tz_localize(None) if dates.dt.tz is not None else dates
    try:
        dtype = pd.PeriodDtype(freq)
    except (ValueError, TypeError) as err:
        raise CxkitError(
            f"`freq` must be a pandas period frequency such as 'M', 'Q', 'W' or 'Y'; got "
            f"{freq!r} ({err})."
        ) from None
    if not dtype.freq.rule_code.startswith(_DAY_BASED):
        return naive.dt.to_period(freq)
    return pd.Series(_day_table_periods(naive, dtype), index=dates.index, name=dates.name)


def _day_table_periods(dates: pd.Series, dtype: pd.PeriodDtype) -> pd.arrays.PeriodArray:
    unit = np.datetime_data(dates.dtype)[0]
    per_day = np.timedelta64(1, "D") // np.timedelta64(1, unit)
    values = dates.to_numpy().view("int64")
    missing = dates.isna().to_numpy()
    day = values // per_day
    if missing.all():
        return pd.arrays.PeriodArray(np.full(len(values), pd.NaT.value), dtype=dtype)
    first, last = day[~missing].min(), day[~missing].max()
    calendar = pd.to_datetime(np.arange(first, last + 1), unit="D").to_period(dtype.freq)
    ordinals = calendar.asi8[np.clip(day - first, 0, last - first)]
    if missing.any():
        ordinals[missing] = pd.NaT.value
    return pd.arrays.PeriodArray(ordinals, dtype=dtype)


def group_codes(groups: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """One integer code per row for the combination of grouping columns, and the code table.

    While there are at most ``_DIRECT_BINS`` combinations, codes combine each column's codes
    in mixed radix (int32, in place: one pass per column, no temporaries) and the table lists
    every combination, observed or not. Beyond that, only the observed combinations are
    numbered (``numpy.unique`` over the rows of column codes). Missing values form a level of
    their own.
    """
    if groups.shape[1] == 0:
        return np.zeros(len(groups), dtype="int32"), pd.DataFrame(index=[0])
    parts = [_column_codes(groups[c]) for c in groups.columns]
    sizes = [len(levels) for _, levels in parts]
    if float(np.prod(sizes, dtype="float64")) <= _DIRECT_BINS:
        combined = np.zeros(len(groups), dtype="int32")
        for (codes, _), size in zip(parts, sizes, strict=True):
            combined *= size
            combined += codes
        rows = _mixed_radix(np.arange(int(np.prod(sizes))), sizes)
    else:
        stacked = np.column_stack([codes for codes, _ in parts])
        rows, combined = np.unique(stacked, axis=0, return_inverse=True)
        combined = combined.reshape(-1)
    table = {
        name: _restore(levels.take(rows[:, j]), groups[name].dtype)
        for j, (name, (_, levels)) in enumerate(zip(groups.columns, parts, strict=True))
    }
    return combined, pd.DataFrame(table)


def _mixed_radix(keys: np.ndarray, sizes: list[int]) -> np.ndarray:
    """Split combined codes back into one code per column (the inverse of the combination)."""
    out = np.empty((len(keys), len(sizes)), dtype="int64")
    rest = keys.astype("int64")
    for j in range(len(sizes) - 1, -1, -1):
        out[:, j] = rest % sizes[j]
        rest = rest // sizes[j]
    return out


def _column_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 of one grouping column; missing values form the last level."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype("int32")
        levels = pd.Index(np.asarray(column.cat.categories, dtype=object))
    elif isinstance(column.dtype, pd.PeriodDtype):
        return _period_codes(column)
    else:
        codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
        codes = codes.astype("int32")
        levels = pd.Index(np.asarray(uniques, dtype=object))
    if (codes < 0).any():
        codes = np.where(codes < 0, len(levels), codes)
        levels = levels.append(pd.Index([None], dtype=object))
    return codes, levels


def _period_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Periods are integer ordinals: codes are offsets from the first (no hashing needed)."""
    ordinals = column.array.asi8
    missing = column.isna().to_numpy()
    if missing.all():
        return np.zeros(len(column), dtype="int32"), pd.Index([None], dtype=object)
    low, high = ordinals[~missing].min(), ordinals[~missing].max()
    levels = pd.period_range(
        start=pd.Period(ordinal=low, freq=column.dtype.freq), periods=int(high - low) + 1
    )
    codes = (ordinals - low).astype("int32")
    if missing.any():
        codes = np.where(missing, len(levels), codes)
        return codes, pd.Index(np.asarray(levels, dtype=object)).append(
            pd.Index([None], dtype=object)
        )
    return codes, pd.Index(np.asarray(levels, dtype=object))


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
