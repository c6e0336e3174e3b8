"""Tested hypotheses side by side: each effect with its interval, against no effect and the plan."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from cxkit._grouping import check_columns
from cxkit.i18n import hypothesis_text
from cxkit.plots._style import PALETTE, _locale_ticks

__all__ = ["effects"]

#: Colour of an effect by what the evidence suggests.
_COLOURS = {
    "validated": PALETTE[2],
    "invalidated": PALETTE[3],
    "inconclusive": PALETTE[7],
    "running": PALETTE[0],
}


def effects(
    data: pd.DataFrame,
    *,
    x: str = "effect",
    y: str = "label",
    low: str = "ci_low",
    high: str = "ci_high",
    minimum: str | None = "minimum_effect",
    hue: str | None = "suggested_status",
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Draw each row's effect as a point with its interval (a forest plot), first row on top.

    Parameters
    ----------
    data : DataFrame
        One row per tested hypothesis, as :meth:`cxkit.HypothesisRegister.evaluate` gives
        (plus a ``label`` column naming each row, such as "H-001 · NPS").
    x, low, high : str
        Columns of the effect and its interval (treatment minus control).
    y : str
        Column of the row labels.
    minimum : str, optional
        Column of the minimum effect each test was planned to detect, drawn as a diamond.
    hue : str, optional
        Column of the status the evidence suggests (validated, invalidated, inconclusive,
        running), which colours each row.
    lang : {"en", "es"}
        Language of the axis label and legend.
    ax : Axes, optional
        Where to draw (default: the current Axes).

    Returns
    -------
    Axes
    """
    check_columns(data, [c for c in (x, y, low, high, minimum, hue) if c], parameter="data")
    ax = ax if ax is not None else plt.gca()
    t = hypothesis_text(lang)
    positions = np.arange(len(data))[::-1]
    for pos, row in zip(positions, data.to_dict("records"), strict=True):
        colour = _COLOURS.get(row[hue], PALETTE[0]) if hue else PALETTE[0]
        ax.plot([row[low], row[high]], [pos, pos], color=colour, linewidth=2.5)
        ax.plot(row[x], pos, "o", color=colour, markersize=8)
        if minimum and pd.notna(row[minimum]):
            ax.plot(row[minimum], pos, "D", color="#1f2933", markersize=6, fillstyle="none")
    ax.axvline(0, color="#9aa5b1", linewidth=1)
    ax.set_yticks(positions, [str(v) for v in data[y]])
    ax.set_ylim(-0.7, len(data) - 0.3)
    ax.set_xlabel(t["forest_axis"])
    handles = [
        Line2D([], [], color=_COLOURS[s], marker="o", linewidth=2.5, label=t[f"status_{s}"])
        for s in _COLOURS
        if hue and (data[hue] == s).any()
    ]
    if minimum and data[minimum].notna().any():
        handles.append(
            Line2D([], [], color="#1f2933", marker="D", fillstyle="none", linestyle="",
                   label=t["forest_minimum"])
        )  # fmt: skip
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    _locale_ticks(ax, lang, x="number", y=None)
    return ax
