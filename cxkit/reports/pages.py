"""Client-facing HTML: notebooks without code, and the index page of a report.

Pages use the Jinja templates in ``templates/`` with autoescaping, inline CSS and no scripts,
so they render offline and every piece of text the data brings in is escaped. Notebook outputs
are rendered by nbconvert's ``basic`` template with inputs excluded; their HTML tables come from
pandas, which escapes cell values.

The index page shows one card per headline indicator (value with its interval, base, change
since the previous period and whether it is real, a sparkline of the last 12 periods) and an
executive summary. Every statistic on it (intervals, changes, tests) comes from
:mod:`cxkit.headline`; this module only selects, words and draws them.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert import HTMLExporter

from cxkit._resources import TEMPLATES
from cxkit._version import __version__
from cxkit.headline import headline_changes
from cxkit.i18n import NBSP, change, date_text, interval, number, percent, period_name, text
from cxkit.reports.sparkline import sparkline, trend

__all__ = [
    "KPI_METRICS",
    "Indicator",
    "KPICard",
    "executive_summary",
    "index_page",
    "kpis",
    "notebook_page",
]


@dataclass(frozen=True)
class Indicator:
    """How a headline indicator is written: decimals, units of its value and change, base."""

    digits: int
    value_unit: str  # "" (points or scale units), "%" or "h"
    change_unit: str  # a unit of cxkit.i18n.change: "points", "pp", "scale" or "h"
    higher_is_better: bool
    base: str  # what its n counts: "responses", "tickets" or "customers"


#: Headline indicators on the index page, in order.
KPI_METRICS = {
    "nps": Indicator(1, "", "points", True, "responses"),
    "csat": Indicator(1, "%", "pp", True, "responses"),
    "ces": Indicator(2, "", "scale", True, "responses"),  # ease: higher is easier
    "first_response_median_h": Indicator(1, "h", "h", False, "tickets"),
    "resolution_median_h": Indicator(1, "h", "h", False, "tickets"),
    "fcr": Indicator(1, "%", "pp", True, "tickets"),
    "churn_rate": Indicator(2, "%", "pp", False, "customers"),
}


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"])
    )


def _page(
    *,
    lang: str,
    client: str,
    period: str,
    heading: str,
    body: Markup,
    back: str | None,
    tab: str | None = None,
) -> str:
    """Render a page; ``tab`` names it in the browser's tab (default ``heading``)."""
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
            period=period_name(period, lang),
            heading=heading,
            tab=tab or heading,
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


_EXPORTERS = threading.local()


def _exporter() -> HTMLExporter:
    """Give this thread's HTML exporter, made once: it compiles its templates (~0.15 s a page)."""
    if not hasattr(_EXPORTERS, "html"):
        _EXPORTERS.html = HTMLExporter(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
        )
    return _EXPORTERS.html


def notebook_page(executed: Path, *, lang: str, client: str, period: str, title: str) -> str:
    """Render an executed notebook as a client page: outputs and narrative, no code.

    Headings keep their ``id`` but lose nbconvert's "¶" anchor links.
    """
    nb = _for_clients(nbformat.read(executed, as_version=4), lang)
    body, _ = _exporter().from_notebook_node(nb)
    return _page(
        lang=lang,
        client=client,
        period=period,
        heading=text(lang)["title"],  # the notebook's own heading names the section
        tab=title,
        body=Markup(f'<div class="notebook">{body}</div>'),
        back="index.html",
    )


@dataclass(frozen=True)
class Section:
    """A notebook's entry on the index page."""

    title: str
    status: str
    status_text: str
    href: str | None


@dataclass(frozen=True)
class KPICard:
    """One headline indicator as the index page shows it: texts ready for the page.

    ``state`` is "better" or "worse" (a real change, judged by the indicator's direction),
    "noise", "untested" (no standard error) or "none" (nothing to compare with).
    ``difference`` and ``significant`` are :func:`cxkit.headline.headline_changes`' values;
    ``base`` is the n as written, ``base_text`` the card's line ("Base: 600 responses");
    ``trend`` an inline SVG drawn from numbers only (None without enough periods).
    """

    metric: str
    label: str
    value: str
    ci: str
    base: str
    base_text: str
    small: bool
    change: str
    verdict: str
    state: str
    difference: float | None
    significant: bool | None
    trend: Markup | None
    trend_caption: str


def _value_text(
    indicator: Indicator, value: float, low: float, high: float, lang: str
) -> tuple[str, str]:
    """Return the value ("59.6%", "5.7 h") and its interval "(55.3–64.0)" (or "")."""
    unit = "%" if indicator.value_unit == "%" else ""
    head = interval(value, math.nan, math.nan, lang, indicator.digits, unit=unit)
    ci = interval(value, low, high, lang, indicator.digits, unit=unit)[len(head) :].strip()
    if indicator.value_unit == "h" and head != "–":
        head += NBSP + "h"
    return head, ci


def _change_text(
    indicator: Indicator, row, previous_period: str | None, lang: str
) -> tuple[str, str, str]:
    """Return the change line, the verdict and the card's state (see :class:`KPICard`)."""
    strings = text(lang)
    if previous_period is None:
        return strings["no_previous"], "", "none"
    before = period_name(previous_period, lang)
    if math.isnan(row.difference):
        return strings["kpi_no_value"].format(period=before), "", "none"
    amount = change(row.difference, lang, indicator.digits, indicator.change_unit)
    line = f"{amount} {strings['vs'].format(period=before)}"
    if row.significant is None:
        return line, strings["untested"], "untested"
    if not row.significant:
        return line, strings["noise"], "noise"
    better = (row.difference > 0) == indicator.higher_is_better
    return line, strings["real"], "better" if better else "worse"


_PAST = ["period", "metric", "group", "value"]


def _past_values(
    history: pd.DataFrame | None, previous: pd.DataFrame, previous_period: str | None
) -> pd.DataFrame:
    """Return stored periods, plus the compared period's rows when the history lacks them."""
    frames = [] if history is None else [history.reindex(columns=_PAST)]
    if previous_period is not None and len(previous):
        frames.append(previous.assign(period=str(previous_period)).reindex(columns=_PAST))
    if not frames:
        return pd.DataFrame(columns=_PAST)
    both = pd.concat(frames, ignore_index=True)
    both["period"] = both["period"].astype(str)
    return both.drop_duplicates(subset=["period", "metric", "group"], keep="first")


def _card(
    row, bounds: pd.Series, past: pd.DataFrame, period, previous_period: str | None, lang: str
) -> KPICard:
    strings = text(lang)
    indicator = KPI_METRICS[row.metric]
    low, high = (pd.to_numeric(bounds.get(k), errors="coerce") for k in ("ci_low", "ci_high"))
    value, ci = _value_text(indicator, float(row.value), low, high, lang)
    line, verdict, state = _change_text(indicator, row, previous_period, lang)
    points = [] if period is None else trend(past, row.metric, period, float(row.value))
    spark = sparkline(points, period) if points else None
    return KPICard(
        metric=row.metric,
        label=strings[row.metric],
        value=value,
        ci=ci,
        base=number(row.n, lang, 0),
        base_text=strings[f"base_{indicator.base}"].format(n=number(row.n, lang, 0)),
        small=bool(row.small_sample),
        change=line,
        verdict=verdict,
        state=state,
        difference=None if math.isnan(row.difference) else float(row.difference),
        significant=row.significant,
        trend=spark,
        trend_caption=_trend_caption(indicator, points if spark else [], lang),
    )


def _trend_caption(indicator: Indicator, points: list[tuple[pd.Period, float]], lang: str) -> str:
    """Write the trend's first and last periods and its range (the sparkline has no axis)."""
    strings = text(lang)
    if not points:
        return strings["trend_none"]
    values = [v for _, v in points]
    low, _ = _value_text(indicator, min(values), math.nan, math.nan, lang)
    high, _ = _value_text(indicator, max(values), math.nan, math.nan, lang)
    return strings["trend_range"].format(
        first=period_name(points[0][0], lang),
        last=period_name(points[-1][0], lang),
        low=low,
        high=high,
    )


def kpis(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    previous_period: str | None,
    lang: str,
    alpha: float = 0.05,
    *,
    period: str | pd.Period | None = None,
    history: pd.DataFrame | None = None,
) -> list[KPICard]:
    """Headline cards for the index page, one per indicator of :data:`KPI_METRICS` present.

    Parameters
    ----------
    current, previous : DataFrame
        :func:`cxkit.headline.headline_metrics` rows of the report period and of the period
        compared with (``previous`` may be empty).
    previous_period : str or None
        The period compared with (None: nothing to compare with yet).
    lang : str
        "en" or "es".
    alpha : float
        Significance level of the change test.
    period : str or pandas.Period, optional
        The report period (default: ``current``'s); needed for the trend.
    history : DataFrame, optional
        The client's stored periods (:meth:`cxkit.reports.history.History.load`), for the
        trend of the last 12 periods of the report period's granularity.

    Returns
    -------
    list of KPICard
        The change and its test come from :func:`cxkit.headline.headline_changes`, the
        interval from ``current``; this function only words, formats and draws them.
    """
    changes = headline_changes(current, previous, metrics=tuple(KPI_METRICS), alpha=alpha)
    whole = current[current["group"] == "all"].set_index("metric")
    if period is None and len(current):
        period = str(current["period"].iloc[0])
    past = _past_values(history, previous, previous_period)
    return [
        _card(row, whole.loc[row.metric], past, period, previous_period, lang)
        for row in changes.itertuples(index=False)
    ]


def _change_sentence(card: KPICard, lang: str) -> str:
    """Write one real change, e.g. "CSAT fell 7.9 pp to 59.6%: a real change for the worse"."""
    strings = text(lang)
    indicator = KPI_METRICS[card.metric]
    amount = change(abs(card.difference), lang, indicator.digits, indicator.change_unit)
    return strings["summary_change"].format(
        subject=strings[f"subject_{card.metric}"],
        verb=strings["summary_up" if card.difference > 0 else "summary_down"],
        amount=amount.removeprefix("+"),
        value=card.value,
        verdict=strings[f"summary_{card.state}"],
    )


def _closing(cards: list[KPICard], compared: bool, lang: str, alpha: float) -> str:
    strings = text(lang)
    small = sum(card.small for card in cards)
    if small:
        key = "summary_small_one" if small == 1 else "summary_small_many"
        return strings[key].format(n=small)
    if not compared:
        return strings["summary_cards"]
    untested = any(card.state == "untested" for card in cards)
    return strings["summary_method"].format(
        level=percent(100 * alpha, lang, 0),
        untested=strings["summary_untested"] if untested else "",
    )


def executive_summary(
    cards: list[KPICard],
    *,
    period: str | pd.Period,
    previous_period: str | None,
    lang: str,
    alpha: float = 0.05,
) -> list[str]:
    """Three to five sentences on the period, built from the cards' significant changes.

    The first sentence names the period and the period compared with (or says there is none);
    then one sentence per real change (the first two and a count when there are more than
    three), or one saying that nothing changed beyond noise; the last says what to read with
    care (small bases) or how a change is judged.
    """
    strings = text(lang)
    name = period_name(period, lang)
    if not cards:
        return [strings["summary_empty"].format(period=name)]
    if previous_period is None or all(card.significant is None for card in cards):
        first = cards[0]  # nothing could be tested: no earlier period, or no values for it
        level = strings["summary_level"].format(
            subject=strings[f"subject_{first.metric}"], value=first.value, ci=first.ci, n=first.base
        )
        sentences = [strings["summary_scope_first"].format(period=name), level]
        return [" ".join(s.split()) for s in [*sentences, _closing(cards, False, lang, alpha)]]
    before = period_name(previous_period, lang)
    sentences = [strings["summary_scope"].format(period=name, previous=before)]
    real = [card for card in cards if card.significant]
    if not real:
        sentences.append(strings["summary_none"].format(previous=before))
    shown = real if len(real) <= 3 else real[:2]
    sentences += [_change_sentence(card, lang) for card in shown]
    if len(real) > len(shown):
        sentences.append(strings["summary_more"].format(n=len(real) - len(shown)))
    sentences.append(_closing(cards, True, lang, alpha))
    return sentences


def index_page(
    *,
    lang: str,
    client: str,
    period: str,
    kpi_rows: list[KPICard],
    sections: list[Section],
    previous_period: str | None,
    alpha: float = 0.05,
    priorities: list[str] | None = None,
    rootcause: list[str] | None = None,
    hypotheses: list[str] | None = None,
    voc: list[str] | None = None,
) -> str:
    """Render the report's front page: summary, headline cards and links to each section.

    ``previous_period`` is the period the cards compare with (None: none yet), for the
    executive summary; ``alpha`` the level the cards' changes were tested at; ``priorities``
    the sentences of "where to act first" (:func:`cxkit.reports.priorities.priority_lines`);
    ``rootcause`` those of the 5-whys log (:func:`cxkit.reports.rootcause_line.rootcause_lines`)
    and ``hypotheses`` those of the hypothesis register
    (:func:`cxkit.reports.hypotheses_line.hypothesis_lines`), both as of the period's last day;
    ``voc`` those of the period's comments and follow-up (:func:`cxkit.reports.voc_line.voc_lines`).
    """
    strings = text(lang)
    summary = executive_summary(
        kpi_rows, period=period, previous_period=previous_period, lang=lang, alpha=alpha
    )
    body = (
        _env()
        .get_template("index.body.j2")
        .render(
            strings=strings,
            kpis=kpi_rows,
            sections=sections,
            summary=summary,
            priorities=priorities or [],
            rootcause=rootcause or [],
            hypotheses=hypotheses or [],
            voc=voc or [],
            as_of=date_text(pd.Period(period).end_time, lang),
            period_name=period_name(period, lang),
        )
    )
    return _page(
        lang=lang,
        client=client,
        period=period,
        heading=strings["title"],
        body=Markup(body),
        back=None,
    )
