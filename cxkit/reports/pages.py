"""Client-facing HTML: notebooks without code, and the index page of a report.

Pages use the Jinja templates in ``templates/`` with autoescaping, inline CSS and no scripts,
so they render offline and every piece of text the data brings in is escaped. Notebook outputs
are rendered by nbconvert's ``basic`` template with inputs excluded; their HTML tables come from
pandas, which escapes cell values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert import HTMLExporter

from cxkit._resources import TEMPLATES
from cxkit._version import __version__
from cxkit.headline import headline_changes
from cxkit.i18n import kpi_reading, number, text

__all__ = ["KPI_METRICS", "index_page", "kpis", "notebook_page"]


#: Headline indicators on the index page, in order, with their decimals.
KPI_METRICS = {
    "nps": 1,
    "csat": 1,
    "ces": 2,
    "first_response_median_h": 1,
    "resolution_median_h": 1,
    "fcr": 1,
    "churn_rate": 2,
}


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"])
    )


def _page(
    *, lang: str, client: str, period: str, heading: str, body: Markup, back: str | None
) -> str:
    strings = text(lang)
    footer = strings["generated"].format(
        date=pd.Timestamp.now().date().isoformat(), version=__version__
    )
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            lang=lang,
            title=strings["title"],
            client=client,
            period=period,
            heading=heading,
            body=body,
            back=back,
            strings=strings,
            footer=footer,
        )
    )


def _skipped_sections(nb: nbformat.NotebookNode) -> set[str]:
    """Tags ``section-<name>`` of the sections whose code displayed a ``Skipped`` line."""
    skipped = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if 'class="cx-skipped"' in str(output.get("data", {}).get("text/html", "")):
                tags = cell.metadata.get("tags", [])
                skipped.update(t for t in tags if t.startswith("section-"))
    return skipped


def _for_clients(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Keep the cells of ``lang``; drop cells tagged for another language or ``analyst``.

    A section left out for want of data (see :mod:`cxkit.sections`) is dropped whole, heading
    and narrative included. Also drops stderr outputs (warnings are for the analyst, in the
    executed notebook).
    """
    other = {"en": "lang-es", "es": "lang-en"}[lang]
    skipped = _skipped_sections(nb)
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if other in tags or "analyst" in tags or skipped.intersection(tags):
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        cells.append(cell)
    nb.cells = cells
    return nb


def notebook_page(executed: Path, *, lang: str, client: str, period: str, title: str) -> str:
    """Render an executed notebook as a client page: outputs and narrative, no code."""
    nb = _for_clients(nbformat.read(executed, as_version=4), lang)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(nb)
    return _page(
        lang=lang, client=client, period=period, heading=title, body=Markup(body), back="index.html"
    )


@dataclass(frozen=True)
class Section:
    """A notebook's entry on the index page."""

    title: str
    status: str
    status_text: str
    href: str | None


def kpis(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    previous_period: str | None,
    lang: str,
    alpha: float = 0.05,
) -> list[dict[str, object]]:
    """Headline rows for the index page: value, base, and the change since the previous period.

    The change and its test come from :func:`cxkit.headline.headline_changes`; this function
    only words and formats them.
    """
    strings = text(lang)
    changes = headline_changes(current, previous, metrics=tuple(KPI_METRICS), alpha=alpha)
    out = []
    for row in changes.itertuples(index=False):
        digits = KPI_METRICS[row.metric]
        difference = None if np.isnan(row.difference) else float(row.difference)
        out.append(
            {
                "metric": row.metric,
                "label": strings[row.metric],
                "value": number(row.value, lang, digits),
                "n": number(row.n, lang, 0),
                "reading": kpi_reading(
                    difference=difference,
                    significant=row.significant,
                    previous=previous_period,
                    small=bool(row.small_sample),
                    lang=lang,
                    digits=digits,
                ),
                "significant": row.significant,
                "css": "real" if row.significant else "noise",
            }
        )
    return out


def index_page(
    *,
    lang: str,
    client: str,
    period: str,
    kpi_rows: list[dict[str, object]],
    sections: list[Section],
) -> str:
    """Render the report's front page: headline indicators and links to each section."""
    strings = text(lang)
    body = (
        _env()
        .get_template("index.body.j2")
        .render(strings=strings, kpis=kpi_rows, sections=sections)
    )
    return _page(
        lang=lang,
        client=client,
        period=period,
        heading=strings["title"],
        body=Markup(body),
        back=None,
    )
