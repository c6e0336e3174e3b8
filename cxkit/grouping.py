"""Grouping columns for metrics: ``by`` columns and a calendar ``period`` from a date column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError

__all__ = ["as_frame", "group_frame"]


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
