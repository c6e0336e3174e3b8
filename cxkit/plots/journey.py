"""The customer journey as a strip of its five stages, coloured where experience breaks."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from cxkit._grouping import check_columns
from cxkit.errors import CxkitError
from cxkit.i18n import journey_text, number, percent, plot_text
from cxkit.plots.touchpoints import _STAGE_ORDER, _hue_keys, _meaning

_STAGE_CMAP = mpl.colormaps["OrRd"]  # from cream to deep red: the deeper, the more attention
#: Columns where a high value calls for attention; for the others (ratings) a low value does.
_HIGH_NEEDS_ATTENTION = {"importance", "share", "priority", "expected_gain"}


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
