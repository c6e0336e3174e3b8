"""An indicator's recent values and their sparkline: a small inline SVG for the index page.

:func:`trend` picks the values of the last periods of the report's granularity from the
stored history (and the current run); :func:`sparkline` draws them from numbers only, with no
text, script or fetch, so the page stays safe and offline.
"""

from __future__ import annotations

import math

import pandas as pd
from markupsafe import Markup

from cxkit._periods import as_period
from cxkit.errors import CxkitError

__all__ = ["MIN_TREND_POINTS", "TREND_PERIODS", "sparkline", "trend"]

#: How many periods a sparkline covers, the report period included.
TREND_PERIODS = 12
#: The fewest points drawn as a sparkline.
MIN_TREND_POINTS = 3


def _parse_period(label: object) -> pd.Period | None:
    try:
        return as_period(str(label))
    except CxkitError:
        return None


def trend(
    history: pd.DataFrame,
    metric: str,
    period: str | pd.Period,
    value: float,
    *,
    periods: int = TREND_PERIODS,
) -> list[tuple[pd.Period, float]]:
    """Return an indicator's values over the last ``periods`` periods, the report period last.

    Parameters
    ----------
    history : DataFrame
        Stored headline rows (``period, metric, group, value``), as
        :meth:`cxkit.reports.history.History.load` returns them.
    metric : str
        The indicator.
    period : str or pandas.Period
        The report period: only periods of its granularity (months with a month, quarters
        with a quarter) and within ``periods`` of it are kept; later periods are left out.
    value : float
        The current run's value, which replaces any stored value of the report period.
    periods : int
        How many periods the trend covers, the report period included.

    Returns
    -------
    list of (pandas.Period, float)
        Oldest first; periods without a value are missing (not zero).
    """
    period = as_period(period)
    rows = history[(history["metric"] == metric) & (history["group"] == "all")]
    found: dict[pd.Period, float] = {}
    for label, stored in zip(rows["period"], rows["value"].astype(float), strict=True):
        past = _parse_period(label)
        if past is None or past.freqstr != period.freqstr or math.isnan(stored):
            continue
        if 0 < (period - past).n < periods:
            found[past] = stored
    if not math.isnan(value):
        found[period] = float(value)
    return sorted(found.items())


_SPARK_WIDTH, _SPARK_HEIGHT, _SPARK_PAD = 216, 44, 5
_SPARK_INK, _SPARK_NOW = "#5f6b7a", "#1f6feb"


def _spark_xy(points: list[tuple[pd.Period, float]], period: pd.Period, periods: int):
    """Coordinates of each point: x by its age in periods, y scaled between min and max."""
    values = [v for _, v in points]
    low, high = min(values), max(values)
    step = (_SPARK_WIDTH - 2 * _SPARK_PAD) / (periods - 1)
    height = _SPARK_HEIGHT - 2 * _SPARK_PAD
    coords = []
    for past, v in points:
        x = _SPARK_PAD + (periods - 1 - (period - past).n) * step
        y = _SPARK_HEIGHT / 2 if high == low else _SPARK_PAD + (high - v) / (high - low) * height
        coords.append((x, y))
    return coords


def sparkline(
    points: list[tuple[pd.Period, float]],
    period: str | pd.Period,
    *,
    periods: int = TREND_PERIODS,
) -> Markup | None:
    """Draw :func:`trend`'s points as a small inline SVG (numbers only, no text, no script).

    The x position is the period's place among the last ``periods`` periods, so a missing
    period leaves a gap in the line; the report period's point is marked. None with fewer
    than ``MIN_TREND_POINTS`` points (two points are a change, not a trend).
    """
    if len(points) < MIN_TREND_POINTS:
        return None
    period = as_period(period)
    coords = _spark_xy(points, period, periods)
    runs: list[list[tuple[float, float]]] = [[coords[0]]]
    for (before, _), (after, _), xy in zip(points, points[1:], coords[1:], strict=False):
        if (after - before).n == 1:
            runs[-1].append(xy)
        else:
            runs.append([xy])
    shapes = [
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}" fill="none" '
        f'stroke="{_SPARK_INK}" stroke-width="1.5" stroke-linejoin="round"/>'
        for run in runs
        if len(run) > 1
    ]
    shapes += [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" fill="{_SPARK_INK}"/>' for x, y in coords
    ]
    if points[-1][0] == period:
        x, y = coords[-1]
        shapes.append(
            f'<circle class="now" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{_SPARK_NOW}"/>'
        )
    return Markup(
        f'<svg class="spark" viewBox="0 0 {_SPARK_WIDTH} {_SPARK_HEIGHT}" width="{_SPARK_WIDTH}" '
        f'height="{_SPARK_HEIGHT}" aria-hidden="true" focusable="false">{"".join(shapes)}</svg>'
    )
