"""Ticket values that helpdesks write differently: durations, reply counts, reopen counts.

Each converter takes one raw column and returns the canonical values plus a mask of values that
could not be used (their rows are quarantined by the reader); none drops or reorders rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.io.coerce import arrow_text, text_series, to_number
from cxkit.io.helpdesk import UNITS, Duration

__all__ = ["apply_duration", "reopens_to_flag", "replies_to_contacts", "to_hours"]


def to_hours(raw: pd.Series, unit: str, decimal: str = ".") -> tuple[pd.Series, np.ndarray]:
    """Durations in ``unit`` (a number, or text such as ``"1:30:00"``) as float hours.

    Returns the hours and a mask of present values that are not a duration of at least 0.
    """
    numbers, bad = to_number(raw, decimal)
    if bad.any():  # "01:30:00", "1 days 02:00:00": durations written as clock text
        text = text_series(arrow_text(raw), raw.index)[bad]
        clock = pd.to_timedelta(text, errors="coerce") / pd.Timedelta(hours=1)
        numbers = numbers.copy()
        numbers[bad] = (clock / UNITS[unit]).to_numpy()
        bad = bad & np.isnan(numbers.to_numpy())
    hours = numbers * UNITS[unit]
    negative = (hours < 0).fillna(False).to_numpy(dtype=bool)
    return hours.where(~negative), bad | negative


def apply_duration(duration: Duration, hours: pd.Series, opened_at: pd.Series | None) -> pd.Series:
    """Return the canonical column a duration becomes: a timestamp from ``opened_at``, or hours.

    Business-hours durations stay durations (hours): adding them to ``opened_at`` would give
    a time that never happened.
    """
    if duration.business_hours or opened_at is None:
        return hours.astype("float64")
    seconds = (hours * 3600).round(6)
    return (opened_at + pd.to_timedelta(seconds, unit="s")).astype("datetime64[us]")


def replies_to_contacts(raw: pd.Series, decimal: str = ".") -> tuple[pd.Series, np.ndarray]:
    """Read a helpdesk's count of agent replies as ``contacts`` (``Int32``, at least 1).

    A ticket solved with no reply (0) was still one contact: the customer's own. Values that
    are not whole numbers of at least 0 are bad.
    """
    numbers, bad = to_number(raw, decimal)
    values = numbers.to_numpy(copy=True)
    with np.errstate(invalid="ignore"):
        bad = bad | (np.isfinite(values) & ((values < 0) | (values != np.round(values))))
    values[bad] = np.nan
    values = np.where(values == 0, 1, values)
    missing = np.isnan(values)
    array = pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int32"), missing)
    return pd.Series(array, index=raw.index), bad


def reopens_to_flag(raw: pd.Series, decimal: str = ".") -> tuple[pd.Series, np.ndarray]:
    """Read a count of reopenings as the ``reopened`` flag: True when above 0."""
    numbers, bad = to_number(raw, decimal)
    values = numbers.to_numpy()
    with np.errstate(invalid="ignore"):
        bad = bad | (np.isfinite(values) & ((values < 0) | (values != np.round(values))))
    missing = np.isnan(values) | bad
    flags = pd.arrays.BooleanArray(np.where(missing, False, values > 0), missing)
    return pd.Series(flags, index=raw.index), bad
