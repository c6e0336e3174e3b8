"""One period and a granularity: the two meanings that ``period`` and ``freq`` keep apart.

``freq`` is a granularity ("M" month, "Q" quarter, "W" week, "Y" year, "D" day): a metric is
computed for *every* period at that granularity. ``period`` is *one* period, written as a
month ("2026-10"), a quarter ("2026Q4") or a year ("2026"): a metric is computed on the rows
whose date falls in it. Before cxkit 0.2 some functions took the granularity as ``period=``;
:func:`resolve` still accepts that for one release, with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

from cxkit.errors import CxkitError

__all__ = ["as_period", "resolve", "select_period", "wall_time"]

_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|Q[1-4])?$")


def as_period(period: str | pd.Period, *, name: str = "period") -> pd.Period:
    """Parse one period: a month "2026-10", a quarter "2026Q4" or a year "2026".

    A :class:`pandas.Period` is returned as it is. Anything else raises :class:`CxkitError`
    naming the parameter ``name``.
    """
    if isinstance(period, pd.Period):
        return period
    text = str(period).strip()
    if not isinstance(period, (str, int)) or not _PERIOD.match(text):
        raise CxkitError(
            f"`{name}` must be one period: a month (2026-10), a quarter (2026Q4) or a year "
            f"(2026); got {period!r}."
        )
    return pd.Period(text, freq="M" if "-" in text else "Q" if "Q" in text else "Y")


def _looks_like_freq(value: object) -> bool:
    """Tell whether ``value`` is a pandas frequency such as "M" (the pre-0.2 ``period``)."""
    if not isinstance(value, str) or value[:1].isdigit():
        return False
    try:
        pd.PeriodDtype(value)  # period frequencies: "M", "Q", "W-MON", "Y", "D", ...
    except (ValueError, TypeError):
        return False
    return True


def resolve(
    freq: str | None, period: str | pd.Period | None, *, function: str, stacklevel: int = 3
) -> tuple[str | None, pd.Period | None]:
    """Return ``(freq, period)``, accepting the pre-0.2 ``period="M"`` with a warning.

    ``stacklevel`` is the warning's: 3 when the public function calls this directly, one more
    for each cxkit frame in between, so the warning names the user's line.
    """
    if _looks_like_freq(period):
        warnings.warn(
            f"{function}(period={period!r}) now means one period such as '2026-10'; for a "
            f"granularity write {function}(freq={period!r}). The old spelling stops working "
            "in cxkit 0.3.",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        if freq is not None:
            raise CxkitError(f"pass the granularity once, as `freq=`; got freq={freq!r} too.")
        return str(period), None
    return freq, None if period is None else as_period(period)


def wall_time(stamps: pd.Series) -> pd.Series:
    """Give dates as local wall times: time-zone aware ones in their own zone, made naive.

    A period ("2026-10") is a span of wall time, as the readers' naive dates are; comparing
    aware dates with it would raise, so they are compared by the clock where they happened.
    Anything else is returned as it is.
    """
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        return stamps.dt.tz_localize(None)
    return stamps


def select_period(data: pd.DataFrame, period: pd.Period | None, *, date: str) -> pd.DataFrame:
    """Keep the rows of ``data`` whose ``date`` falls in ``period`` (all rows when None).

    Raises :class:`CxkitError` when ``date`` is not a column, or when no row falls in the
    period (naming the range the data cover), so an empty period is never read as a zero.
    """
    if period is None:
        return data
    if date not in data.columns:
        raise CxkitError(
            f"column {date!r} not found; columns are {list(data.columns)}. Pass date='<your "
            "date column>' to choose the period's rows."
        )
    stamps = wall_time(data[date])
    inside = (stamps >= period.start_time) & (stamps <= period.end_time)
    if not inside.any():
        covered = (
            f"{stamps.min():%Y-%m-%d} to {stamps.max():%Y-%m-%d}"
            if stamps.notna().any()
            else "no dates at all"
        )
        raise CxkitError(
            f"no rows in period {period} (column {date!r}); the data cover {covered}. "
            "Choose a period inside that range."
        )
    return data[inside]
