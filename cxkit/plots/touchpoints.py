"""Plots of touchpoint prioritization: the importance–performance matrix and importance bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from cxkit._grouping import check_columns
from cxkit.errors import CxkitError
from cxkit.i18n import journey_text, plot_text
from cxkit.io.schemas import JOURNEY_STAGES
from cxkit.plots._labels import _label_points
from cxkit.plots._style import PALETTE, _locale_ticks

#: Journey stages in order, then touchpoints whose stage is not known.
_STAGE_ORDER: tuple[str, ...] = (*JOURNEY_STAGES, "unknown")
_STAGE_COLORS = dict(zip(_STAGE_ORDER, [*PALETTE[:5], PALETTE[7]], strict=True))
#: What a prioritization column means on an axis: its label (in i18n's _PLOT) and tick format.
_MEANING = {
    "importance": ("importance", "number"),
    "share": ("share_importance", "percent"),
    "performance": ("performance", "number"),
    "top2_box": ("top2_box", "number"),
    "reach": ("reach", "percent"),
    "expected_gain": ("expected_gain", "number"),
}
_QUADRANT_CORNERS = {  # quadrant: (x, y) corner in axes fraction
    "fix first": (1, 0),
    "keep up": (1, 1),
    "low priority": (0, 0),
    "possible overkill": (0, 1),
}
_POINT_SIZE = 55  # scatter marker area, points²
_CORNER_PAD = 6  # points between a quadrant's name and the corner, and around it


def _meaning(column: str, lang: str) -> tuple[str, str]:
    """Return the axis label of ``column`` in ``lang`` and its tick format for _locale_ticks."""
    key, kind = _MEANING.get(column, (None, "number"))
    return (plot_text(lang)[key] if key else column), kind


def _interval(table: pd.DataFrame, column: str, fallback: bool = False) -> np.ndarray | None:
    """Return the rows' ``(low, high)`` of ``column`` as a 2×n array, or None if not in ``table``.

    The interval lives in ``{column}_low``/``{column}_high``; with ``fallback``, in
    ``ci_low``/``ci_high`` when those are absent (``DriverAnalysis.importance_``).
    """
    for low, high in [(f"{column}_low", f"{column}_high")] + fallback * [("ci_low", "ci_high")]:
        if low in table.columns and high in table.columns:
            return table[[low, high]].to_numpy(dtype=float).T
    return None


def _hue_keys(table: pd.DataFrame, hue: str | None) -> pd.Series:
    """Return each row's hue as text; a missing one is "unknown" (a touchpoint with no stage)."""
    if hue is None:
        return pd.Series("", index=table.index)
    values = table[hue].astype(object)
    return values.where(values.notna(), "unknown").astype(str)


def _hue_colors(keys: pd.Series) -> dict[str, tuple]:
    """Give each value of ``keys`` its colour: stages in journey order, others sorted."""
    present = set(keys)
    if present <= set(_STAGE_ORDER):
        return {s: _STAGE_COLORS[s] for s in _STAGE_ORDER if s in present}
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(sorted(present))}


def _whiskers(
    ax: Axes, x0, y0, x1, y1, colors: list, gid: str, alpha: float = 0.55
) -> LineCollection:
    """Draw segments (x0, y0)–(x1, y1) where all four ends are known; ``gid`` names them.

    Each row's segment takes its colour in ``colors`` at opacity ``alpha``.
    """
    ends = np.column_stack([x0, y0, x1, y1]).astype(float)
    ok = np.isfinite(ends).all(axis=1)
    segments = ends[ok].reshape(-1, 2, 2)
    tint = [to_rgba(c, alpha) for c, keep in zip(colors, ok, strict=True) if keep]
    lines = LineCollection(segments, colors=tint, linewidths=1.2, zorder=2, gid=gid)
    ax.add_collection(lines)
    ax.autoscale_view()
    return lines


def _extent(table: pd.DataFrame, column: str, cut: float) -> tuple[float, float]:
    """Return the lowest and highest of the values, their interval ends and ``cut``."""
    parts = [table[column].to_numpy(dtype=float), np.array([cut])]
    interval = _interval(table, column)
    if interval is not None:
        parts.append(interval.ravel())
    values = np.concatenate(parts)
    values = values[np.isfinite(values)]
    return float(values.min()), float(values.max())


def _quadrant_names(ax: Axes, lang: str) -> list[Text]:
    """Write each quadrant's name in its corner: importance grows rightwards, performance up."""
    names = journey_text(lang)
    texts = []
    for quadrant, (right, top) in _QUADRANT_CORNERS.items():
        offset = ((1 - 2 * right) * _CORNER_PAD, (1 - 2 * top) * _CORNER_PAD)
        text = ax.annotate(
            names[quadrant],
            (right, top),
            xycoords="axes fraction",
            xytext=offset,
            textcoords="offset points",
            ha="right" if right else "left",
            va="top" if top else "bottom",
            color="0.35",
            fontweight="bold",
            gid=quadrant,
        )
        texts.append(text)
    return texts


def _room_for_names(
    ax: Axes, table: pd.DataFrame, x: str, y: str, cuts: tuple[float, float], names: list[Text]
) -> None:
    """Set limits that show every point, whisker and cut, with room for the quadrants' names.

    No point or whisker lies in the bands along the top and bottom edges where the names are.
    """
    low, high = _extent(table, x, cuts[0])
    pad = 0.06 * (high - low) or 0.1 * abs(high) or 0.1
    ax.set_xlim(low - pad, high + pad)
    low, high = _extent(table, y, cuts[1])
    ax.figure.draw_without_rendering()  # lay the figure out, to measure the names
    tall = max(n.get_window_extent().height for n in names)
    pad_px = 2 * _CORNER_PAD * ax.figure.dpi / 72
    band = min(0.3, (tall + pad_px) / ax.get_window_extent().height)
    span = (high - low or 0.2 * abs(high) or 0.2) / (1 - 2 * band)
    middle = (low + high) / 2
    ax.set_ylim(middle - span / 2, middle + span / 2)


def _shade_fix_first(ax: Axes, x_cut: float, y_cut: float) -> None:
    """Tint the "fix first" quadrant (important, under-performing) faintly: act there first."""
    right, bottom = ax.get_xlim()[1], ax.get_ylim()[0]
    width, height = max(0.0, right - x_cut), max(0.0, y_cut - bottom)
    ax.add_patch(Rectangle((x_cut, bottom), width, height, color=PALETTE[3], alpha=0.06, lw=0))


def _matrix_axes(ax: Axes, x: str, y: str, colors: dict, hue: str | None, lang: str) -> None:
    """Label the axes in ``lang``, write their ticks, and add the stages' legend outside."""
    (xlabel, xkind), (ylabel, ykind) = _meaning(x, lang), _meaning(y, lang)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _locale_ticks(ax, lang, x=xkind, y=ykind)
    if hue is None:
        return
    names = journey_text(lang) if set(colors) <= set(_STAGE_ORDER) else {}
    handles = [
        Line2D([], [], marker="o", linestyle="", color=color, label=names.get(key, key))
        for key, color in colors.items()
    ]
    title = plot_text(lang)["stage"] if names else hue
    ax.legend(
        handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False
    )


def importance_performance(
    data: pd.DataFrame,
    *,
    x: str = "importance",
    y: str = "performance",
    label: str | None = "touchpoint",
    hue: str | None = "stage",
    x_cut: float | None = None,
    y_cut: float | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw the importance–performance matrix: where to act first among the touchpoints.

    Each touchpoint is a point at its importance (how much it drives the outcome) and its
    performance (how well it is rated), with its intervals as whiskers in both directions.
    Dashed lines at ``x_cut`` and ``y_cut`` split the plane into four quadrants, named in the
    corners: important but under-performing touchpoints (bottom right, shaded) are to
    **fix first**; important and performing ones to **keep up**; unimportant, under-performing
    ones are **low priority**; unimportant ones that perform well may be **possible overkill**.

    Parameters
    ----------
    data : DataFrame
        ``cx.prioritize(...)``: one row per touchpoint with columns ``x``, ``y``, ``label`` and
        ``hue``. Intervals are read from ``{x}_low``/``{x}_high`` and ``{y}_low``/``{y}_high``
        when those columns exist; a missing (NaN) end leaves that whisker out.
    x, y : str
        The importance and performance columns.
    label : str or None
        The column naming each point (None: no names). Each name goes to the nearest place
        around its point where it overlaps no other name, no point and no quadrant name (the
        most important touchpoints are placed first); a name placed away from its point is tied
        to it by a thin line.
    hue : str or None
        The column colouring the points, with a legend: journey stages are drawn in journey
        order (attract → advance, then "unknown") with their names in ``lang``.
    x_cut, y_cut : float, optional
        Where the quadrants split. By default the mean of ``x`` and the mean of ``y`` across the
        rows: the average touchpoint's importance and the average touchpoint's performance, the
        same cut ``cx.prioritize`` uses to assign its ``quadrant`` column.
    ax : matplotlib Axes, optional
        Where to draw (default the current Axes).
    lang : {"en", "es"}
        Language of the labels.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Names are placed for the figure's size when the function runs: set the figure's size
    (and layout) before calling it. The y limits leave a band along the top and bottom edges
    free of points and whiskers for the quadrants' names. The legend sits outside the Axes,
    on the right: draw on a figure with ``layout="constrained"`` or save it with
    ``bbox_inches="tight"`` (as Jupyter does) to keep it in view.

    References
    ----------
    Martilla, J. A. and James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77–79.
    """
    for parameter, column in (("x", x), ("y", y), ("label", label), ("hue", hue)):
        if column is not None:
            check_columns(data, [column], parameter=parameter)
    ax = ax or plt.gca()
    table = data.reset_index(drop=True)
    if table.empty:
        raise CxkitError("`data` has no rows: there is no touchpoint to draw.")
    cuts = (
        float(table[x].mean() if x_cut is None else x_cut),
        float(table[y].mean() if y_cut is None else y_cut),
    )
    keys = _hue_keys(table, hue)
    colors = _hue_colors(keys)
    points = _draw_points(ax, table, x, y, [colors[k] for k in keys])
    ax.axvline(cuts[0], color="0.45", linestyle="--", linewidth=1, zorder=1, gid="x_cut")
    ax.axhline(cuts[1], color="0.45", linestyle="--", linewidth=1, zorder=1, gid="y_cut")
    _matrix_axes(ax, x, y, colors, hue, lang)
    names = _quadrant_names(ax, lang)
    _room_for_names(ax, table, x, y, cuts, names)
    _shade_fix_first(ax, *cuts)
    if label is not None:
        _label_points(ax, table, x, y, label, points, names)
    return ax


def _draw_points(ax: Axes, table: pd.DataFrame, x: str, y: str, colors: list):
    """Draw the whiskers (``x_whiskers``, ``y_whiskers``) and the points (``points``)."""
    xs, ys = table[x].to_numpy(dtype=float), table[y].to_numpy(dtype=float)
    if (across := _interval(table, x)) is not None:
        _whiskers(ax, across[0], ys, across[1], ys, colors, "x_whiskers")
    if (along := _interval(table, y)) is not None:
        _whiskers(ax, xs, along[0], xs, along[1], colors, "y_whiskers")
    return ax.scatter(
        xs, ys, c=colors, s=_POINT_SIZE, edgecolors="white", linewidths=0.8, zorder=3, gid="points"
    )


def driver_importance(
    data: pd.DataFrame,
    *,
    x: str = "importance",
    y: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw each driver's importance as a horizontal bar, the most important at the top.

    Parameters
    ----------
    data : DataFrame
        ``cx.prioritize(...)`` or ``DriverAnalysis.importance_``: one row per driver with
        columns ``x`` and ``y``. The interval, drawn as a whisker, is read from
        ``{x}_low``/``{x}_high``, else from ``ci_low``/``ci_high``, when those columns exist; a
        missing (NaN) end leaves that whisker out.
    x : str
        The value column. Negative values (regression coefficients, correlations) are drawn
        leftwards from zero, in another colour; bars are sorted by value, highest at the top.
    y : str, optional
        The column naming each bar: by default ``"touchpoint"`` when ``data`` has it, else
        ``"driver"``.
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    if y is None:
        y = "touchpoint" if "touchpoint" in data.columns else "driver"
    check_columns(data, [x], parameter="x")
    check_columns(data, [y], parameter="y")
    ax = ax or plt.gca()
    table = data.sort_values(x, ascending=True, na_position="first").reset_index(drop=True)
    values, pos = table[x].to_numpy(dtype=float), np.arange(len(table))
    colors = [PALETTE[3] if v < 0 else PALETTE[0] for v in values]
    ax.barh(pos, np.nan_to_num(values), height=0.62, color=colors, zorder=2)
    interval = _interval(table, x, fallback=True)
    if interval is not None:
        grey = ["0.2"] * len(pos)
        lines = _whiskers(ax, interval[0], pos, interval[1], pos, grey, "x_whiskers", alpha=1)
        if lines.get_segments():  # none when every interval is empty (no bootstrap)
            ends = np.vstack(lines.get_segments()).reshape(-1, 2)  # caps at both ends
            ax.scatter(*ends.T, marker="|", s=40, color="0.2", linewidths=1.2, zorder=3, gid="caps")
    ax.axvline(0, color="0.3", linewidth=0.8, zorder=3)
    ax.set_yticks(pos, table[y].astype(str))
    ax.set_ylim(-0.6, len(table) - 0.4)
    label, kind = _meaning(x, lang)
    ax.set_xlabel(label)
    _locale_ticks(ax, lang, y=None, x=kind)
    return ax
