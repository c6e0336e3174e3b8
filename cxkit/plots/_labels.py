"""Place point labels so that they overlap neither each other, the points, nor set obstacles."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

_HALO = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
_LEADER = {"color": "0.55", "linewidth": 0.6, "zorder": 2.5, "gid": "leader"}
#: Directions to try around a point for its name, in order: right, left, above, below, diagonals.
_ANGLES = np.deg2rad([0, 180, 90, 270, 30, 150, 330, 210, 60, 120, 300, 240])
_RINGS = 16  # distances to try, each 0.6 of a name's height further out


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
