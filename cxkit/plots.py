"""Plots of the baseline metrics and of touchpoint prioritization, in seaborn's shape.

Each function takes the table to draw as ``data``, names its columns with ``x=``, ``y=`` and
``hue=``, draws on ``ax`` (or the current Axes) and returns the Axes. No function calls
``plt.show()`` or changes global style. Labels are in English or Spanish (``lang``); every
plot uses the same colour-blind-safe palette (:data:`PALETTE`), and writes its tick labels in
the language's number format ("0,2" and "50 %" in Spanish).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from cxkit._checks import check_option
from cxkit._grouping import check_columns
from cxkit.errors import CxkitError
from cxkit.i18n import journey_text, number, percent, plot_text, table_text
from cxkit.io.schemas import JOURNEY_STAGES

if TYPE_CHECKING:
    from cxkit.retention import RetentionCurve

__all__ = [
    "PALETTE",
    "driver_importance",
    "importance_performance",
    "journey_stages",
    "nps_by_group",
    "nps_mix",
    "nps_trend",
    "response_times",
    "retention_curves",
]

#: The palette of every cxkit chart (seaborn's "colorblind").
PALETTE = sns.color_palette("colorblind")
_MIX_COLORS = {"detractors": "#d7301f", "passives": "#bdbdbd", "promoters": "#238b45"}
_MAX_TICKS = 12  # beyond this many periods, label every k-th so that labels never overlap


def _renamed_by(by: str | None, new: str, value: str, function: str) -> str:
    """Accept the pre-0.2 ``by=`` for one release, with a warning."""
    if by is None:
        return value
    warnings.warn(
        f"plots.{function}(by=...) is now {function}({new}=...); `by` stops working in cxkit 0.3.",
        DeprecationWarning,
        stacklevel=3,
    )
    return by


def _thin_ticks(ax: Axes, labels: list[str]) -> None:
    """Label at most ``_MAX_TICKS`` evenly spaced periods, always the last one."""
    step = max(1, int(np.ceil(len(labels) / _MAX_TICKS)))
    keep = set(range(len(labels) - 1, -1, -step))
    ax.set_xticks(range(len(labels)), [s if i in keep else "" for i, s in enumerate(labels)])


def _decimals(ticks: np.ndarray) -> int:
    """Fewest decimals (up to 6) that write the tick spacing exactly: 0.2 -> 1, 0.25 -> 2, 20 -> 0.

    With a single tick, its own value stands in for the spacing.
    """
    ticks = np.unique(ticks[np.isfinite(ticks)])
    step = np.diff(ticks).min() if len(ticks) > 1 else abs(ticks[0]) if len(ticks) else 0.0
    if step == 0:
        return 0
    return next((d for d in range(6) if abs(round(step, d) - step) <= 1e-6 * step), 6)


def _locale_ticks(
    ax: Axes, lang: str, *, x: str | None = "number", y: str | None = "number"
) -> None:
    """Write the numeric axes' tick labels in ``lang``'s format (:func:`cxkit.i18n.number`).

    ``x`` and ``y`` say what each axis shows: ``"number"``, ``"percent"`` (a 0–1 share,
    written "50%" or "50 %"), or None for an axis of categories, whose labels are kept.
    Decimals follow the tick spacing; a log axis writes each tick plainly ("0,01", "1", "10"),
    and labels its 2s and 5s only when fewer than two powers of ten are in view.
    """
    for axis, kind in ((ax.xaxis, x), (ax.yaxis, y)):
        if kind is None:
            continue
        scale, write = (100, percent) if kind == "percent" else (1, number)
        log = axis.get_scale() == "log"

        def label(value: float, _pos=None, axis: Axis = axis, scale=scale, write=write, log=log):
            ticks = np.atleast_1d(value if log else axis.get_majorticklocs()) * scale
            return write(value * scale, lang, _decimals(ticks))

        def minor(value: float, _pos=None, axis: Axis = axis, label=label) -> str:
            low, high = sorted(axis.get_view_interval())
            powers = [t for t in axis.get_majorticklocs() if low <= t <= high]
            first = round(value / 10 ** np.floor(np.log10(value)))
            return label(value) if len(powers) < 2 and first in (2, 5) else ""

        axis.set_major_formatter(FuncFormatter(label))
        if log:
            axis.set_minor_formatter(FuncFormatter(minor))


def nps_trend(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "nps",
    comparisons: pd.DataFrame | None = None,
    highlight: str | pd.Period | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw NPS by period with its interval band, marking significant changes.

    Parameters
    ----------
    data : DataFrame
        ``cx.nps(responses, freq=...)`` without ``by``: columns ``x``, ``y``, ``ci_low``,
        ``ci_high``.
    x, y : str
        The period and value columns.
    comparisons : DataFrame, optional
        ``cx.compare(responses, metric="nps", freq=...)``; periods whose change is
        significant are circled.
    highlight : str, optional
        One period to highlight (the report's), e.g. "2026-10".
    ax : matplotlib Axes, optional
        Where to draw (default the current Axes).
    lang : {"en", "es"}
        Language of the labels.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    t = plot_text(lang)
    labels = data[x].astype(str).tolist()
    pos = np.arange(len(labels))
    color = PALETTE[0]
    low, high = data["ci_low"].astype(float), data["ci_high"].astype(float)
    ax.fill_between(pos, low, high, alpha=0.2, color=color, linewidth=0)
    ax.plot(pos, data[y].astype(float), marker="o", color=color, label="NPS")
    if comparisons is not None:
        rows = comparisons[(comparisons["comparison"] == "period") & comparisons["significant"]]
        hit = data[x].astype(str).isin(rows["period"].astype(str)).to_numpy()
        if hit.any():
            ax.scatter(
                pos[hit],
                data[y].to_numpy()[hit],
                s=140,
                facecolors="none",
                edgecolors=PALETTE[3],
                linewidths=2,
                zorder=3,
                label=t["change"],
            )
    if highlight is not None and str(highlight) in labels:
        ax.axvspan(
            labels.index(str(highlight)) - 0.5,
            labels.index(str(highlight)) + 0.5,
            color="0.9",
            zorder=0,
            label=t["this_period"],
        )
    _thin_ticks(ax, labels)
    ax.set_xlabel(t["period"])
    ax.set_ylabel(t["nps"])
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="best", frameon=False)
    _locale_ticks(ax, lang, x=None)
    return ax


def nps_by_group(
    data: pd.DataFrame,
    *,
    x: str = "nps",
    y: str = "segment",
    by: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw NPS per group with its interval, sorted; small samples are drawn hollow.

    Parameters
    ----------
    data : DataFrame
        ``cx.nps(responses, by=y)``: columns ``y``, ``x``, ``ci_low``, ``ci_high``,
        ``small_sample``.
    x, y : str
        The value column and the group column (one row per group, on the vertical axis).
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    y = _renamed_by(by, "y", y, "nps_by_group")
    ax = ax or plt.gca()
    t = plot_text(lang)
    table = data.sort_values(x).reset_index(drop=True)
    pos = np.arange(len(table))
    err = np.vstack([table[x] - table["ci_low"], table["ci_high"] - table[x]])
    ax.errorbar(table[x], pos, xerr=err, fmt="none", ecolor="0.4", capsize=3)
    small = table["small_sample"].to_numpy()
    ax.scatter(table[x][~small], pos[~small], color=PALETTE[0], zorder=3)
    if small.any():
        ax.scatter(
            table[x][small],
            pos[small],
            facecolors="white",
            edgecolors=PALETTE[0],
            zorder=3,
            label=t["small"],
        )
        ax.legend(loc="best", frameon=False)
    ax.set_yticks(pos, table[y].astype(str))
    ax.axvline(0, color="0.8", linewidth=1, zorder=0)
    ax.set_xlabel(t["nps"])
    _locale_ticks(ax, lang, y=None)
    return ax


def nps_mix(
    data: pd.DataFrame,
    *,
    y: str = "segment",
    by: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw stacked bars of detractors, passives and promoters (percent) per group.

    Parameters
    ----------
    data : DataFrame
        ``cx.nps(responses, by=y)``: columns ``y`` and ``detractors_pct``, ``passives_pct``,
        ``promoters_pct`` (weighted shares), or else ``n``, ``detractors``, ``passives``,
        ``promoters``.
    y : str
        The group column (one bar per group).
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    y = _renamed_by(by, "y", y, "nps_mix")
    ax = ax or plt.gca()
    t = plot_text(lang)
    labels = data[y].astype(str).to_numpy()
    left = np.zeros(len(data))
    for key, color in _MIX_COLORS.items():
        share = f"{key}_pct"  # weighted like the NPS when the table is weighted
        values = (
            data[share].to_numpy()
            if share in data.columns
            else 100 * data[key].to_numpy() / data["n"].to_numpy()
        )
        ax.barh(labels, values, left=left, color=color, label=t[key])
        left += values
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["share"])
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    _locale_ticks(ax, lang, y=None)
    return ax


def retention_curves(data: RetentionCurve, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Draw Kaplan-Meier retention steps with their interval bands, one line per group.

    Parameters
    ----------
    data : RetentionCurve
        ``cx.retention_curve(customers, by=...)``.
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    t = plot_text(lang)
    table = data.table
    group_cols = [c for c in data.summary.columns if c not in ("n", "events", "median")]
    groups = table.groupby(group_cols, observed=True, sort=True) if group_cols else [("", table)]
    for i, (name, part) in enumerate(groups):  # one line per group
        time = np.r_[0.0, part["time"].to_numpy()]
        color = PALETTE[i % len(PALETTE)]
        label = str(name[0] if isinstance(name, tuple) else name) or None
        ax.step(time, np.r_[1.0, part["retention"]], where="post", color=color, label=label)
        ax.fill_between(
            time,
            np.r_[1.0, part["ci_low"]],
            np.r_[1.0, part["ci_high"]],
            step="post",
            alpha=0.15,
            color=color,
            linewidth=0,
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"{t['time']} ({t.get('unit_' + data.unit, data.unit)})")
    ax.set_ylabel(t["retention"])
    if group_cols:
        ax.legend(loc="best", frameon=False)
    _locale_ticks(ax, lang, y="percent")
    return ax


def response_times(
    data: pd.DataFrame,
    *,
    hue: str = "channel",
    kind: str = "first_response",
    by: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw the cumulative distribution of response or resolution hours per group (log scale).

    Parameters
    ----------
    data : DataFrame
        Canonical tickets: ``opened_at`` and ``first_response_at`` or ``resolved_at``.
    hue : str
        One line per value of this column.
    kind : {"first_response", "resolution"}
        Which time to draw.
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    hue = _renamed_by(by, "hue", hue, "response_times")
    check_option("kind", kind, ("first_response", "resolution"))
    ax = ax or plt.gca()
    t = plot_text(lang)
    end = "first_response_at" if kind == "first_response" else "resolved_at"
    hours = (data[end] - data["opened_at"]).dt.total_seconds() / 3600
    frame = pd.DataFrame({"hours": hours, hue: data[hue]}).dropna()
    frame = frame[frame["hours"] > 0]
    sns.ecdfplot(
        data=frame,
        x="hours",
        hue=hue,
        ax=ax,
        log_scale=True,
        palette=PALETTE[: max(1, frame[hue].nunique())],
    )
    ax.set_xlabel(f"{t[kind]} ({t['hours']})")
    ax.set_ylabel(t["ecdf"])
    legend = ax.get_legend()
    if legend is not None:  # seaborn titles it with the column's name: use the language's word
        legend.set_title(table_text(lang).get(hue, hue))
    _locale_ticks(ax, lang, y="percent")
    return ax


# ------------------------------------------------------------------ touchpoint prioritization
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
_STAGE_CMAP = mpl.colormaps["OrRd"]  # from cream to deep red: the deeper, the more attention
#: Columns where a high value calls for attention; for the others (ratings) a low value does.
_HIGH_NEEDS_ATTENTION = {"importance", "share", "priority", "expected_gain"}
_QUADRANT_CORNERS = {  # quadrant: (x, y) corner in axes fraction
    "fix first": (1, 0),
    "keep up": (1, 1),
    "low priority": (0, 0),
    "possible overkill": (0, 1),
}
_POINT_SIZE = 55  # scatter marker area, points²
_HALO = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
_LEADER = {"color": "0.55", "linewidth": 0.6, "zorder": 2.5, "gid": "leader"}
#: Directions to try around a point for its name, in order: right, left, above, below, diagonals.
_ANGLES = np.deg2rad([0, 180, 90, 270, 30, 150, 330, 210, 60, 120, 300, 240])
_RINGS = 16  # distances to try, each 0.6 of a name's height further out
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


def _extents(artists) -> np.ndarray:
    """Return the artists' display boxes as rows (x0, y0, x1, y1)."""
    return np.array([a.get_window_extent().extents for a in artists]).reshape(-1, 4)


def _hits(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Count, for each of ``boxes``, how many of ``others`` it overlaps (rows x0, y0, x1, y1)."""
    if not len(others):
        return np.zeros(boxes.shape[:-1], dtype=int)
    b, o = boxes[..., None, :], others
    apart = (b[..., 2] <= o[:, 0]) | (b[..., 0] >= o[:, 2]) | (b[..., 3] <= o[:, 1])
    return (~(apart | (b[..., 1] >= o[:, 3]))).sum(axis=-1)


def _candidates(point: np.ndarray, size: np.ndarray, gap: float, step: float) -> np.ndarray:
    """Return label boxes around ``point``: ring after ring outwards, each in ``_ANGLES`` order.

    Ring ``k``'s boxes keep a distance ``gap + k * step`` from the point (display units), so
    the nearest free place is found first. Shape (rings, angles, 4).
    """
    distance = gap + step * np.arange(_RINGS)[:, None]
    cos, sin = np.cos(_ANGLES), np.sin(_ANGLES)
    center_x = point[0] + cos * distance + np.sign(cos.round(9)) * size[0] / 2
    center_y = point[1] + sin * distance + np.sign(sin.round(9)) * size[1] / 2
    return np.stack([center_x, center_y, center_x, center_y], axis=-1) + np.r_[-size, size] / 2


def _free_place(candidates: np.ndarray, hard: np.ndarray, soft: np.ndarray, inside) -> tuple:
    """Return ``(ring, box)``: the nearest free box, crossing the fewest ``soft`` boxes.

    The first ring holding a box that overlaps nothing in ``hard`` and lies ``inside``
    (x0, y0, x1, y1) is taken; within it, the box that crosses the fewest whiskers. When no
    ring has room, the box overlapping the fewest ``hard`` boxes is taken.
    """
    low_ok = (candidates[..., :2] >= inside[:2]).all(axis=-1)
    within = low_ok & (candidates[..., 2:] <= inside[2:]).all(axis=-1)
    clashes = _hits(candidates, hard) + 1000 * ~within
    free = clashes == 0
    if free.any():
        ring = int(np.argmax(free.any(axis=1)))
        crossings = np.where(free[ring], _hits(candidates[ring], soft), np.iinfo(int).max)
        return ring, candidates[ring, int(np.argmin(crossings))]
    ring, angle = np.unravel_index(np.argmin(clashes), clashes.shape)
    return int(ring), candidates[ring, angle]


def _obstacles(ax: Axes, centers: np.ndarray, radius: float, avoid: list) -> tuple:
    """Return what the points' names must not overlap, should not cross, and must stay inside.

    In display units: the markers and ``avoid`` (hard), the whiskers (soft), and the Axes'
    box less 2 pixels.
    """
    hard = np.vstack([np.hstack([centers - radius, centers + radius]), _extents(avoid)])
    segments = [
        ax.transData.transform(segment.reshape(-1, 2))
        for lines in ax.collections
        if lines.get_gid() in ("x_whiskers", "y_whiskers")
        for segment in lines.get_segments()
    ]
    soft = np.array([[*s.min(axis=0) - 0.5, *s.max(axis=0) + 0.5] for s in segments])
    return hard, soft.reshape(-1, 4), ax.get_window_extent().extents + np.r_[2, 2, -2, -2]


def _label_points(
    ax: Axes, table: pd.DataFrame, x: str, y: str, label: str, points, avoid: list
) -> None:
    """Name each point where its name overlaps no other name, point or text in ``avoid``.

    Names are placed one at a time, the most important (highest ``x``) first, each at the
    nearest free place around its point (:func:`_candidates`, :func:`_free_place`): the same
    data always gives the same picture. A name placed away from its point is tied to it by a
    thin line. Places are found for the figure's size at this moment: set the figure's size
    before drawing.
    """
    xs, ys = table[x].to_numpy(dtype=float), table[y].to_numpy(dtype=float)
    shown = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
    ax.figure.draw_without_rendering()  # lay out the figure: names are placed in display units
    centers = ax.transData.transform(np.column_stack([xs, ys])[shown])
    radius = np.sqrt(points.get_sizes()[0]) / 2 * ax.figure.dpi / 72 + 1
    hard, soft, inside = _obstacles(ax, centers, radius, avoid)
    to_data = ax.transData.inverted()
    for i in np.argsort(-xs[shown], kind="stable"):
        name = str(table[label].iloc[shown[i]])
        text = ax.text(
            0, 0, name, fontsize="small", ha="center", va="center", zorder=4, gid="label"
        )
        text.set_bbox(_HALO)
        size = np.diff(_extents([text]).reshape(2, 2), axis=0)[0] + 4  # with the halo
        boxes = _candidates(centers[i], size, gap=1.2 * radius + 1, step=0.6 * size[1])
        ring, box = _free_place(boxes, hard, soft, inside)
        hard = np.vstack([hard, box])
        middle = (box[:2] + box[2:]) / 2
        text.set_position(to_data.transform(middle))
        if ring > 0:  # away from its point: a leader line to the box's nearest edge
            end = to_data.transform(np.clip(centers[i], box[:2], box[2:]))
            ax.plot(*np.column_stack([(xs[shown[i]], ys[shown[i]]), end]), **_LEADER)


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


def _stage_rows(data: pd.DataFrame, stage: str) -> dict[str, pd.Series]:
    """Return each stage's row, keyed by stage; a missing stage is "unknown".

    Raises a :class:`CxkitError` for a value that is not a journey stage, or a stage with
    more than one row (the strip draws a stage summary, one row per stage).
    """
    keys = _hue_keys(data, stage)
    wrong = sorted(set(keys) - set(_STAGE_ORDER))
    if wrong:
        allowed = ", ".join(repr(s) for s in _STAGE_ORDER)
        raise CxkitError(
            f"`stage`: column {stage!r} holds {wrong}, which are not journey stages; "
            f"expected one of {allowed}. Map touchpoints to stages in the touchpoint catalog."
        )
    repeated = keys[keys.duplicated()].unique().tolist()
    if repeated:
        raise CxkitError(
            f"`data` has more than one row for stage(s) {repeated}; journey_stages draws one "
            "row per stage. Pass the stage summary, not the table of touchpoints."
        )
    return {key: row for key, (_, row) in zip(keys, data.iterrows(), strict=True)}


def _cell_text(column: str, value: float, lang: str) -> str:
    """Write a stage's value as its column reads: a rating with 2 decimals, shares in %."""
    if column in ("share", "reach"):
        return percent(100 * value, lang, 0)
    if column == "top2_box":
        return percent(value, lang, 0)
    return number(value, lang, 3 if column == "importance" else 2)


def _cell_notes(row: pd.Series | None, columns: list[str], total: float, lang: str) -> str:
    """Write the small lines under a stage's value: its share of importance, its reach."""
    t, lines = plot_text(lang), []
    for column in columns:
        value = np.nan if row is None else row[column]
        if pd.isna(value):
            continue
        if column == "importance":
            lines.append(t["importance_short"].format(value=percent(100 * value / total, lang, 0)))
        elif column == "reach":
            lines.append(t["reach_short"].format(value=percent(100 * value, lang, 0)))
        else:
            lines.append(f"{_meaning(column, lang)[0]}: {_cell_text(column, value, lang)}")
    return "\n".join(lines)


def _cell_colors(values: np.ndarray, column: str) -> np.ndarray:
    """Colour the stages on a scale from the lowest to the highest value shown.

    The deepest colour goes where attention is due: the lowest rating, or the highest
    importance (:data:`_HIGH_NEEDS_ATTENTION`).
    """
    known = values[np.isfinite(values)]
    if not len(known) or known.min() == known.max():
        depth = np.full(len(values), 0.5)
    else:
        depth = (values - known.min()) / (known.max() - known.min())
    if column not in _HIGH_NEEDS_ATTENTION:
        depth = 1 - depth
    return _STAGE_CMAP(0.1 + 0.8 * np.nan_to_num(depth))


def _ink(color) -> str:
    """Return the text colour readable on ``color``: white on dark cells, near-black else."""
    red, green, blue, _ = to_rgba(color)
    return "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5 else "0.1"


def _draw_cell(ax: Axes, i: int, key: str, value: str | None, color, notes: str, lang: str) -> None:
    """Draw stage ``key``'s cell at position ``i``: its name, value and notes, or "no data"."""
    missing = value is None
    face = "0.94" if missing else color
    ink = "0.45" if missing else _ink(color)
    cell = Rectangle((i + 0.03, 0.03), 0.94, 0.94, facecolor=face, linewidth=0, gid=key)
    if missing:
        cell.set(hatch="///", edgecolor="0.82")
    ax.add_patch(cell)
    write = {"ha": "center", "va": "center", "color": ink}
    ax.text(i + 0.5, 0.83, journey_text(lang)[key], fontweight="bold", gid="stage", **write)
    if missing:
        ax.text(i + 0.5, 0.5, plot_text(lang)["no_data"], gid="value", **write)
        return
    ax.text(i + 0.5, 0.52, value, fontsize="xx-large", gid="value", **write)
    if notes:
        ax.text(i + 0.5, 0.2, notes, fontsize="small", linespacing=1.5, gid="notes", **write)


def journey_stages(
    data: pd.DataFrame,
    *,
    stage: str = "stage",
    value: str = "performance",
    annotate: tuple[str, ...] = ("importance", "reach"),
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw the journey as a strip of stages, coloured by ``value``: where experience breaks.

    One cell per stage, in journey order: attract → accept → adopt → amplify → advance, then
    "unknown" when ``data`` has it. Each cell shows the stage's name, its ``value`` in the
    language's number format and, in smaller text, the ``annotate`` columns that ``data`` has:
    ``importance`` is written as the stage's share of the total importance, ``reach`` as a
    percentage. A stage without a row (or without a value) is greyed out as "no data".

    Parameters
    ----------
    data : DataFrame
        A stage summary: one row per stage, with columns ``stage`` and ``value`` (for instance
        ``stage, touchpoints, importance, share, performance, reach``).
    stage : str
        The stage column; its values are journey stages in English ("attract", …, "unknown").
    value : str
        The column that colours the cells. The colour runs from the lowest to the highest stage
        shown and is deepest where attention is due: at the lowest value of a rating
        (``performance``, ``top2_box``, ``reach``), at the highest of ``importance``, ``share``,
        ``priority`` or ``expected_gain``.
    annotate : tuple of str
        Columns written under the value, each when ``data`` has it.
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    check_columns(data, [stage], parameter="stage")
    check_columns(data, [value], parameter="value")
    rows = _stage_rows(data, stage)
    order = [s for s in _STAGE_ORDER if s != "unknown" or s in rows]
    values = np.array([float(rows[s][value]) if s in rows else np.nan for s in order])
    notes = [c for c in annotate if c in data.columns]
    total = float(data["importance"].sum()) if "importance" in notes else 1.0
    ax = ax or plt.gca()
    for i, (key, color) in enumerate(zip(order, _cell_colors(values, value), strict=True)):
        text = _cell_text(value, values[i], lang) if np.isfinite(values[i]) else None
        _draw_cell(ax, i, key, text, color, _cell_notes(rows.get(key), notes, total, lang), lang)
    ax.set(xlim=(0, len(order)), ylim=(0, 1), xticks=[], yticks=[])
    ax.spines[:].set_visible(False)
    ax.set_xlabel(f"{_meaning(value, lang)[0]} · {plot_text(lang)['deeper']}")
    _fit_cells(ax)
    return ax


def _fit_cells(ax: Axes) -> None:
    """Shrink each kind of cell text (stage names, values, notes) alike until all fit a cell.

    Sizes are fitted for the figure's size at this moment.
    """
    ax.figure.draw_without_rendering()
    cell = np.diff(ax.transData.transform([(0, 0), (1, 0)])[:, 0])[0]
    room = 0.86 * cell  # the cell's width (0.94) less a margin on each side
    for kind in ("stage", "value", "notes"):
        texts = [t for t in ax.texts if t.get_gid() == kind]
        widths = [t.get_window_extent().width for t in texts]
        scale = min([1.0] + [room / w for w in widths if w > 0])
        for text in texts:
            text.set_fontsize(text.get_fontsize() * scale)
