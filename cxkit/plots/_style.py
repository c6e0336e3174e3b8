"""The look every cxkit chart shares: the palette, and tick labels in the report's language."""

from __future__ import annotations

import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter

from cxkit.i18n import number, percent

#: The palette of every cxkit chart (seaborn's "colorblind").
PALETTE = sns.color_palette("colorblind")
_MAX_TICKS = 12  # beyond this many periods, label every k-th so that labels never overlap


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
