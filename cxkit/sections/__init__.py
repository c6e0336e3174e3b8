"""Report sections: what a notebook cell shows, for analysts and on the client's page.

A section function computes its tables and charts for the report period and returns a
:class:`Section`, which Jupyter displays item by item (tables as escaped HTML, charts as PNG);
or, when the data it needs is missing, a :class:`Skipped` line saying why. The report pages
leave a skipped section out, headings included (cells tagged ``section-<name>``), and the
analyst's notebook keeps the line. Notebooks call these functions and hold the narrative.

Charts are drawn on :class:`matplotlib.figure.Figure` objects, never through ``pyplot``, so a
notebook shows each exactly once, and with :data:`REPORT_RC` (a local style, not a global one).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

import matplotlib as mpl
from matplotlib.figure import Figure

from cxkit.i18n import table_text

__all__ = ["REPORT_RC", "HTMLBlock", "Section", "Skipped", "figure", "png", "problem_list"]

#: The look of report charts: readable when printed at the page's width.
REPORT_RC = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 110,
}


def figure(width: float = 9.0, height: float = 3.8, ncols: int = 1) -> tuple[Figure, list]:
    """Make a report figure (not registered with pyplot) and its Axes, in the report's style."""
    with mpl.rc_context(REPORT_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def png(fig: Figure) -> bytes:
    """Render ``fig`` as PNG bytes at the report's resolution."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=REPORT_RC["figure.dpi"], facecolor="white")
    return buffer.getvalue()


class HTMLBlock:
    """Ready HTML that Jupyter shows as it is (built from escaped text only)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup


@dataclass
class Section:
    """What one section shows, in order: client tables, figures and short notes."""

    name: str
    items: list = field(default_factory=list)

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, Image, display

        for item in self.items:
            if isinstance(item, str):
                display(HTML(f'<p class="cx-note">{html.escape(item)}</p>'))
            elif isinstance(item, Figure):
                display(Image(data=png(item)))
            else:
                display(item)


@dataclass
class Skipped:
    """A section left out of the report, with the reason (shown to the analyst only)."""

    name: str
    reason: str
    lang: str = "en"

    def _repr_html_(self) -> str:
        text = table_text(self.lang)["skipped"].format(why=self.reason)
        return (
            f'<p class="cx-skipped" data-section="{html.escape(self.name)}">{html.escape(text)}</p>'
        )

    def __repr__(self) -> str:
        return table_text(self.lang)["skipped"].format(why=self.reason)


def problem_list(name: str, intro: str, problems: list[str]) -> Section:
    """Return a section listing a record file's problems under ``intro``, each escaped."""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return Section(name, [intro, HTMLBlock(f'<ul class="cx-problems">{items}</ul>')])
