"""Grouping columns for metrics: ``by`` columns and a calendar ``period`` from a date column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError

__all__ = [
    "GroupKey",
    "as_frame",
    "check_columns",
    "group_codes",
    "group_frame",
    "group_key",
    "observed_group_codes",
    "period_codes",
    "to_period",
]

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
    names = _by_columns(data, by, freq, date)
    out = pd.DataFrame({c: data[c] for c in names}, index=data.index)
    if freq:
        out["period"] = to_period(data[date], freq)
    return out


def by_names(by: str | Sequence[str] | None) -> list[str]:
    """Give a ``by`` argument (a column, several, or None) as a list of column names."""
    return [by] if isinstance(by, str) else list(by or [])


def group_names(by: str | Sequence[str] | None, freq: str | None) -> list[str]:
    """Give the group columns a metric's table has: ``by``'s, then ``period`` with ``freq``."""
    return [*by_names(by), *(["period"] if freq else [])]


def sort_groups(table: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Order a table's groups as ``groupby(sort=True, dropna=False)`` does: missing ones last.

    For tables summed elsewhere (by DuckDB, or over dask partitions) in no set order.
    """
    if names:
        table = table.sort_values(list(names), na_position="last", kind="stable")
    return table.reset_index(drop=True)


def _by_columns(
    data: pd.DataFrame, by: str | Sequence[str] | None, freq: str | None, date: str
) -> list[str]:
    """List the ``by`` columns, checking them (and ``date`` when grouping by period)."""
    names = by_names(by)
    check_columns(data, names, parameter="by")
    if freq:
        _single_period(freq)
        check_columns(data, [date], parameter="date")
        if "period" in names:
            raise CxkitError("`by` has a column named 'period'; rename it to group by period too.")
    return names


_DAY_BASED = ("D", "W", "M", "Q", "Y")
_NAT = np.iinfo("int64").min  # how numpy stores NaT


class GroupKey(NamedTuple):
    """One integer code per row for its group, and the table of groups the codes index."""

    codes: np.ndarray
    table: pd.DataFrame


def group_key(
    data: pd.DataFrame, *, by: str | Sequence[str] | None, freq: str | None, date: str
) -> GroupKey:
    """Build the group codes of ``by`` and of the ``date``'s period at ``freq``, in one go.

    Equal to ``group_codes(group_frame(data, by=by, freq=freq, date=date))``, but periods go
    straight from days to integer codes (:func:`period_codes`) instead of through a column of
    periods. Build it once and share it among metrics on the same rows.
    """
    names = _by_columns(data, by, freq, date)
    parts = [_column_codes(data[c]) for c in names]
    dtypes = {c: data[c].dtype for c in names}
    if freq:
        parts.append(period_codes(data[date], freq))
        dtypes["period"] = _period_dtype(freq)
    if not parts:
        return GroupKey(np.zeros(len(data), dtype="int32"), pd.DataFrame(index=[0]))
    return GroupKey(*_combine(parts, dtypes, len(data)))


def _period_dtype(freq: str) -> pd.PeriodDtype:
    try:
        return pd.PeriodDtype(freq)
    except (ValueError, TypeError) as err:
        raise CxkitError(
            f"`freq` must be a pandas period frequency such as 'M', 'Q', 'W' or 'Y'; got "
            f"{freq!r} ({err})."
        ) from None


def _single_period(freq: str) -> None:
    """Refuse a multiple ("2M", "12h") as a grouping frequency.

    pandas labels each date's own period with a multiple's name (``to_period("2M")`` keeps
    months apart), so grouping by one would not put two months together.
    """
    if _period_dtype(freq).freq.n != 1:
        raise CxkitError(
            f"`freq` must be a single period such as 'M', 'Q', 'W', 'Y' or 'h'; got {freq!r}, "
            "a multiple, which pandas periods do not group by. Use 'Q' for quarters, or "
            "group the dates yourself."
        )


def _naive(dates: pd.Series) -> pd.Series:
    """Check that ``dates`` holds dates; time-zone aware ones become local wall times."""
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        raise CxkitError(
            f"column {dates.name!r} holds {dates.dtype}, not dates; read the data with "
            "cx.read_responses or convert it with pandas.to_datetime."
        )
    return dates.dt.tz_localize(None) if dates.dt.tz is not None else dates


def to_period(dates: pd.Series, freq: str) -> pd.Series:
    """Calendar periods of ``dates`` at frequency ``freq`` (missing dates stay missing).

    For day, week, month, quarter and year periods the calendar is consulted once per distinct
    day (:func:`_day_table`). The result equals ``dates.dt.to_period(freq)``, in about a third
    of the time.
    """
    naive, dtype = _naive(dates), _period_dtype(freq)
    if not dtype.freq.rule_code.startswith(_DAY_BASED):
        return naive.dt.to_period(freq)
    days = _day_table(naive, dtype)
    if days is None:
        ordinals = np.full(len(naive), _NAT)
    else:
        offsets, missing, calendar = days
        ordinals = calendar.take(offsets)
        ordinals[missing] = _NAT
    values = pd.arrays.PeriodArray(ordinals, dtype=dtype)
    return pd.Series(values, index=dates.index, name=dates.name)


def period_codes(dates: pd.Series, freq: str) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 of the periods of ``dates`` at ``freq`` (int32), and the k periods.

    The periods run from the first date's to the last date's, every one in between included;
    missing dates get the code k and a last level ``None``. Day-based frequencies map each
    row's day number through a table of the period codes of every day in the range (one
    ``take``), so no column of periods is built; the codes equal those of
    ``dates.dt.to_period(freq)``.
    """
    naive, dtype = _naive(dates), _period_dtype(freq)
    if not dtype.freq.rule_code.startswith(_DAY_BASED):
        return _period_codes(naive.dt.to_period(freq))
    days = _day_table(naive, dtype)
    if days is None:
        return np.zeros(len(naive), dtype="int32"), pd.Index([None], dtype=object)
    offsets, missing, calendar = days
    low, high = calendar[0], calendar[-1]  # ordinals never decrease from one day to the next
    codes = (calendar - low).astype("int32").take(offsets)
    first = pd.Period(ordinal=low, freq=dtype.freq)
    levels = pd.Index(np.asarray(pd.period_range(first, periods=high - low + 1), dtype=object))
    if missing.any():
        codes[missing] = len(levels)
        levels = levels.append(pd.Index([None], dtype=object))
    return codes, levels


def _day_table(
    dates: pd.Series, dtype: pd.PeriodDtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Each date's day counted from the first date's, the missing dates, and the calendar.

    The calendar holds the period ordinal of every day from the first date to the last, so a
    row's period is ``calendar[offset]``. Missing dates get offset 0 (mask them). ``None``
    when every date is missing, or there are none.
    """
    if not len(dates):
        return None
    unit = np.datetime_data(dates.dtype)[0]
    per_day = np.timedelta64(1, "D") // np.timedelta64(1, unit)
    values = dates.to_numpy().view("int64")
    day = values // per_day
    first, last = day.min(), day.max()
    missing = np.zeros(len(day), dtype=bool)
    if first == _NAT // per_day:  # NaT is the smallest int64: only then look for missing dates
        missing = values == _NAT
        if missing.all():
            return None
        first = day[~missing].min()
        day[missing] = first
    day -= first
    calendar = pd.to_datetime(np.arange(first, last + 1), unit="D").to_period(dtype.freq)
    return day, missing, calendar.asi8


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
    return _combine(parts, dict(groups.dtypes), len(groups))


def _combine(
    parts: list[tuple[np.ndarray, pd.Index]], dtypes: dict[str, object], length: int
) -> tuple[np.ndarray, pd.DataFrame]:
    """Combine per-column ``(codes, levels)`` into one code per row and the table of groups."""
    sizes = [len(levels) for _, levels in parts]
    if float(np.prod(sizes, dtype="float64")) <= _DIRECT_BINS:
        # ((c0 * s1 + c1) * s2 + c2)...: the first multiply makes the new int32 array
        combined = np.multiply(parts[0][0], sizes[1] if len(parts) > 1 else 1, dtype="int32")
        for j, (codes, _) in enumerate(parts[1:], start=1):
            if j > 1:
                combined *= sizes[j]
            combined += codes
        rows = _mixed_radix(np.arange(int(np.prod(sizes))), sizes)
    else:
        stacked = np.column_stack([codes for codes, _ in parts])
        rows, combined = np.unique(stacked, axis=0, return_inverse=True)
        combined = combined.reshape(-1)
    table = {
        name: _restore(levels, rows[:, j], dtype)
        for j, ((name, dtype), (_, levels)) in enumerate(zip(dtypes.items(), parts, strict=True))
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
        codes = column.cat.codes.to_numpy()  # int8 or int16: combined into int32 later
        levels = pd.Index(np.asarray(column.cat.categories, dtype=object))
    elif isinstance(column.dtype, pd.PeriodDtype):
        return _period_codes(column)
    else:
        codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
        codes = codes.astype("int32")
        levels = pd.Index(np.asarray(uniques, dtype=object))
    if (codes < 0).any():
        codes = np.where(codes < 0, len(levels), codes.astype("int32"))
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


def _restore(levels: pd.Index, codes: np.ndarray, dtype) -> pd.Series:
    """Decode group labels and give them back their column's dtype (categories keep order).

    A categorical column's level codes are its category codes (missing: the extra last
    level), so it is rebuilt from them without looking its labels up again.
    """
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.where(codes < len(dtype.categories), codes, -1)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype))
    values = levels.take(codes)
    try:
        return pd.Series(values).astype(dtype)
    except (TypeError, ValueError):
        return pd.Series(values)


def observed_group_codes(groups: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Like :func:`group_codes`, numbering only the combinations that occur (in table order)."""
    codes, table = group_codes(groups)
    used, compact = np.unique(codes, return_inverse=True)
    return compact.astype("int64"), table.iloc[used].reset_index(drop=True)
