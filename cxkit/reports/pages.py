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
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cxkit._resources import TEMPLATES
from cxkit._version import __version__
from cxkit.i18n import kpi_reading, number, text

__all__ = ["KPI_METRICS", "index_page", "kpis", "notebook_page"]


#: Headline indicators on the index page, in order, with their decimals.
KPI_METRICS = {
    "nps": 1,
    "csat": 1,
    "ces": 2,
    "first_response_median_h": 1,
    "resolution_median_h": 1,
    "fcr_rate": 1,
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


def _for_clients(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Keep the cells of ``lang``; drop cells tagged for another language or ``analyst``.

    Also drops stderr outputs (warnings are for the analyst, in the executed notebook).
    """
    other = {"en": "lang-es", "es": "lang-en"}[lang]
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if other in tags or "analyst" in tags:
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
    """Headline rows: value, base, and change since the previous period with its test.

    A change is tested when both periods have a standard error: z = d / sqrt(se₁² + se₂²),
    two-sided, Holm-adjusted over the indicators tested.
    """
    strings = text(lang)
    now = current[current["group"] == "all"].set_index("metric")
    before = previous[previous["group"] == "all"].set_index("metric") if len(previous) else None
    rows = [m for m in KPI_METRICS if m in now.index]
    diffs, ses = [], []
    for m in rows:
        old = before.loc[m] if before is not None and m in before.index else None
        diffs.append(np.nan if old is None else now.loc[m, "value"] - old["value"])
        ses.append(np.nan if old is None else np.hypot(now.loc[m, "se"], old["se"]))
    diffs, ses = np.asarray(diffs, float), np.asarray(ses, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * stats.norm.sf(np.abs(diffs / ses))
    adjusted = np.full(len(p), np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        adjusted[tested] = multipletests(p[tested], method="holm")[1]
    out = []
    for i, m in enumerate(rows):
        significant = None if not tested[i] else bool(adjusted[i] < alpha)
        reading = kpi_reading(
            difference=None if np.isnan(diffs[i]) else float(diffs[i]),
            significant=significant,
            previous=previous_period,
            small=bool(now.loc[m, "small_sample"]),
            lang=lang,
            digits=KPI_METRICS[m],
        )
        out.append(
            {
                "metric": m,
                "label": strings[m],
                "value": number(now.loc[m, "value"], lang, KPI_METRICS[m]),
                "n": number(now.loc[m, "n"], lang, 0),
                "reading": reading,
                "significant": significant,
                "css": "real" if significant else "noise",
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
