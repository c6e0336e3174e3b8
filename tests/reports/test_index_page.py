"""The index page: KPI cards, sparklines, executive summary, period names, and section pages.

Every figure is checked against a small hand-made headline table (``CURRENT``, ``PREVIOUS``)
and history; the expected texts are written out from those numbers in the tests, and the
significance of each change is recomputed here with scipy and statsmodels, not with cxkit.
"""

from __future__ import annotations

import math
import re
import threading
import xml.etree.ElementTree as ET

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cxkit.headline import COLUMNS
from cxkit.reports.history import History
from cxkit.reports.pages import (
    KPICard,
    Section,
    executive_summary,
    index_page,
    kpis,
    notebook_page,
)
from cxkit.reports.sparkline import sparkline, trend

NBSP, MINUS = "\u00a0", "\u2212"
NAN = math.nan

# metric: (value, se, ci_low, ci_high, n) in 2026-10 and (value, se) in 2026-09
CURRENT = {
    "nps": (24.3, 3.0, 17.5, 31.1, 600),
    "csat": (59.6, 2.2, 55.3, 64.0, 550),
    "ces": (4.87, 0.05, 4.77, 4.97, 247),
    "first_response_median_h": (0.2, NAN, NAN, NAN, 264),
    "resolution_median_h": (5.7, NAN, NAN, NAN, 264),
    "fcr": (70.4, 3.2, 63.8, 76.2, 206),
    "churn_rate": (1.95, 0.3, 1.43, 2.64, 2052),
}
PREVIOUS = {
    "nps": (40.0, 3.0),  # change 24.3 - 40.0 = -15.7 points, z = -15.7 / sqrt(18) = -3.70
    "csat": (60.1, 2.2),  # -0.5 pp, z = -0.5 / sqrt(2 * 2.2²) = -0.16
    "ces": (4.65, 0.05),  # +0.22, z = 0.22 / sqrt(2 * 0.05²) = 3.11
    "first_response_median_h": (0.1, NAN),  # +0.1 h, no SE: not tested
    "resolution_median_h": (4.3, NAN),  # +1.4 h, not tested
    "fcr": (68.8, 3.2),  # +1.6 pp, z = 0.35
    "churn_rate": (2.21, 0.3),  # -0.26 pp, z = -0.61
}


def headline(period: str, rows: dict, small: tuple[str, ...] = ()) -> pd.DataFrame:
    """A headline table in :func:`cxkit.headline.headline_metrics`' shape."""
    records = []
    for metric, values in rows.items():
        # (value, se) rows, as in PREVIOUS, get no interval and a base of 300
        value, se, low, high, n = values if len(values) == 5 else (*values, NAN, NAN, 300)
        records.append((period, metric, "all", value, se, low, high, n, metric in small))
    # a segment row, which the cards must ignore
    records.append((period, "nps", "segment=Consumer", -99.0, 1.0, -101.0, -97.0, 50, False))
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def expected_significant() -> dict[str, bool]:
    """Two-sided normal p-values, Holm-adjusted over the tested indicators (independently)."""
    tested = [m for m in CURRENT if not math.isnan(CURRENT[m][1])]
    z = [
        (CURRENT[m][0] - PREVIOUS[m][0]) / math.hypot(CURRENT[m][1], PREVIOUS[m][1]) for m in tested
    ]
    p = [2 * stats.norm.sf(abs(v)) for v in z]
    reject = multipletests(p, alpha=0.05, method="holm")[0]
    return dict(zip(tested, (bool(r) for r in reject), strict=True))


def cards(lang: str = "en", history: pd.DataFrame | None = None, **kw) -> dict[str, KPICard]:
    current = kw.pop("current", headline("2026-10", CURRENT))
    previous = kw.pop("previous", headline("2026-09", PREVIOUS))
    made = kpis(current, previous, kw.pop("previous_period", "2026-09"), lang, history=history)
    return {card.metric: card for card in made}


def visible_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")


def render(lang: str, made: dict[str, KPICard], previous_period="2026-09", client="Acme") -> str:
    return index_page(
        lang=lang,
        client=client,
        period="2026-10",
        kpi_rows=list(made.values()),
        sections=[Section("Baseline metrics", "ok", "completed", "01_baseline_metrics.html")],
        previous_period=previous_period,
    )


def monthly_history(tmp_path, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """NPS stored for 2025-09 .. 2026-09 (value = 10 + month number since 2025-09), plus noise
    that the trend must leave out: a quarter, a year, a segment, a later month, and a stale
    value for the report period itself."""
    history = History(tmp_path / "history.sqlite")
    months = pd.period_range("2025-09", "2026-09", freq="M")
    for i, month in enumerate(months):
        if str(month) not in skip:
            history.store("Acme", month, headline(str(month), {"nps": (10.0 + i, 2.0)}), "t")
    for other, value in (("2026Q3", 99.0), ("2025", -50.0), ("2026-11", 88.0), ("2026-10", 0.0)):
        period = pd.Period(other, freq="Q" if "Q" in other else "Y" if len(other) == 4 else "M")
        history.store("Acme", period, headline(other, {"nps": (value, 2.0)}), "t")
    return history.load("Acme")


# ------------------------------------------------------------------------------- the cards
def test_card_values_changes_and_verdicts_in_english():
    made = cards("en")
    real = expected_significant()
    assert real == {"nps": True, "csat": False, "ces": True, "fcr": False, "churn_rate": False}
    nps, csat, ces = made["nps"], made["csat"], made["ces"]
    assert (nps.value, nps.ci) == ("24.3", "(17.5–31.1)")  # CURRENT["nps"]
    assert nps.change == f"{MINUS}15.7{NBSP}points vs September 2026"  # 24.3 - 40.0
    assert (nps.verdict, nps.state) == ("a real change", "worse")  # NPS fell, p < 0.05 (Holm)
    assert nps.base_text == "Base: 600 responses"
    assert (csat.value, csat.ci) == ("59.6%", "(55.3–64.0)")
    assert csat.change == f"{MINUS}0.5{NBSP}pp vs September 2026"  # 59.6 - 60.1
    assert (csat.verdict, csat.state) == ("within noise", "noise")
    assert (ces.value, ces.ci) == ("4.87", "(4.77–4.97)")
    assert ces.change == "+0.22 vs September 2026"  # 4.87 - 4.65, scale units: no unit word
    assert ces.state == "better"  # ease rose beyond noise
    resolution = made["resolution_median_h"]
    assert (resolution.value, resolution.ci) == (f"5.7{NBSP}h", "")  # a median: no interval
    assert resolution.change == f"+1.4{NBSP}h vs September 2026"  # 5.7 - 4.3
    assert (resolution.verdict, resolution.state) == ("not tested", "untested")
    churn = made["churn_rate"]
    assert (churn.value, churn.ci) == ("1.95%", "(1.43–2.64)")
    assert churn.change == f"{MINUS}0.26{NBSP}pp vs September 2026"  # 1.95 - 2.21
    assert churn.base_text == "Base: 2,052 customers"
    assert made["fcr"].change == f"+1.6{NBSP}pp vs September 2026"  # 70.4 - 68.8
    for metric, significant in real.items():
        assert made[metric].significant is significant
    assert list(made) == list(CURRENT)  # the headline order


def test_card_values_in_spanish_use_decimal_commas():
    made = cards("es")
    assert (made["nps"].value, made["nps"].ci) == ("24,3", "(17,5–31,1)")
    assert made["nps"].change == f"{MINUS}15,7{NBSP}puntos respecto a septiembre de 2026"
    assert made["nps"].verdict == "cambio real"
    assert made["csat"].value == f"59,6{NBSP}%"
    assert made["csat"].change == f"{MINUS}0,5{NBSP}p.{NBSP}p. respecto a septiembre de 2026"
    assert made["ces"].change == "+0,22 respecto a septiembre de 2026"
    assert made["resolution_median_h"].value == f"5,7{NBSP}h"
    assert made["churn_rate"].base_text == "Base: 2.052 clientes"


def test_without_a_previous_period_nothing_is_compared():
    made = cards("en", previous=headline("2026-09", {}).iloc[0:0], previous_period=None)
    nps = made["nps"]
    assert nps.change == "no earlier period to compare with yet"
    assert (nps.verdict, nps.state, nps.difference, nps.significant) == ("", "none", None, None)


def test_small_bases_are_marked():
    current = headline("2026-10", CURRENT, small=("fcr",))
    made = cards("en", current=current)
    assert made["fcr"].small and not made["nps"].small
    page = visible_text(render("en", made))
    assert page.count("small base: read with care") == 1


# ------------------------------------------------------------------------------ the trend
def test_trend_keeps_the_last_12_months_and_the_current_value(tmp_path):
    history = monthly_history(tmp_path)
    points = trend(history, "nps", "2026-10", 24.3)
    # 2025-11 .. 2026-09 stored as 12.0 .. 22.0 (2025-09 is 10.0), then this run's 24.3; the
    # quarter (99), the year (-50), the segment (-99), 2026-11 (88) and the stale 2026-10 (0)
    # are left out, and so are 2025-09 and 2025-10 (13 and 12 periods back)
    assert [str(p) for p, _ in points] == [
        str(p) for p in pd.period_range("2025-11", "2026-10", freq="M")
    ]
    assert [v for _, v in points] == [12.0 + i for i in range(11)] + [24.3]


def test_trend_of_a_quarter_uses_quarters_only(tmp_path):
    history = monthly_history(tmp_path)
    assert trend(history, "nps", "2026Q4", 30.0) == [
        (pd.Period("2026Q3", freq="Q"), 99.0),
        (pd.Period("2026Q4", freq="Q"), 30.0),
    ]


def svg_shapes(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    for element in root.iter():
        assert not (element.text or "").strip()  # no text at all: numbers only
        for name, value in element.attrib.items():
            allowed = r"[-\d., ]+|#[0-9a-f]{6}|none|round|true|false|spark|now"
            assert re.fullmatch(allowed, value), (name, value)
    return root


def test_sparkline_draws_the_trend_and_marks_the_report_period(tmp_path):
    points = trend(monthly_history(tmp_path), "nps", "2026-10", 24.3)
    svg = sparkline(points, "2026-10")
    root = svg_shapes(str(svg))
    ns = "{http://www.w3.org/2000/svg}"
    tag = lambda name: root.findall(f"{ns}{name}") or root.findall(name)  # noqa: E731
    lines, dots = tag("polyline"), tag("circle")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 12
    assert len(dots) == 13  # 12 points, and the report period marked once more
    now = [d for d in dots if d.get("class") == "now"]
    assert len(now) == 1
    xs = [float(d.get("cx")) for d in dots]
    ys = [float(d.get("cy")) for d in dots[:12]]
    assert float(now[0].get("cx")) == max(xs)  # the report period is the rightmost point
    # values rise month by month (12 .. 22, then 24.3): each point higher on the page (lower y)
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == 12


def test_sparkline_breaks_the_line_at_a_missing_period(tmp_path):
    points = trend(monthly_history(tmp_path, skip=("2026-05",)), "nps", "2026-10", 24.3)
    root = svg_shapes(str(sparkline(points, "2026-10")))
    lines = [e for e in root.iter() if e.tag.endswith("polyline")]
    # 2025-11 .. 2026-04 (6 points), then 2026-06 .. 2026-10 (5 points)
    assert [len(line.get("points").split()) for line in lines] == [6, 5]


def test_fewer_than_three_points_draw_no_sparkline():
    two = [(pd.Period("2026-09", freq="M"), 40.0), (pd.Period("2026-10", freq="M"), 24.3)]
    assert sparkline(two, "2026-10") is None  # a change, not a trend
    assert sparkline(two[1:], "2026-10") is None


def test_cards_carry_the_sparkline_and_its_range(tmp_path):
    made = cards("en", history=monthly_history(tmp_path))
    nps = made["nps"]
    assert nps.trend is not None and "<svg" in nps.trend
    # lowest 12.0 (2025-11), highest 24.3 (this run)
    assert nps.trend_caption == "November 2025 – October 2026 · range 12.0 to 24.3"
    # CSAT has no history, only the compared period 2026-09 and this run: no trend yet
    assert made["csat"].trend is None
    assert made["csat"].trend_caption == "not enough periods yet for a trend"


# ---------------------------------------------------------------------------- the summary
def test_summary_names_the_real_changes():
    made = cards("en")
    summary = executive_summary(
        list(made.values()), period="2026-10", previous_period="2026-09", lang="en"
    )
    assert 3 <= len(summary) <= 5
    assert summary[0] == "This summary covers October 2026, compared with September 2026."
    # NPS: 24.3 - 40.0; CES: 4.87 - 4.65 (the two changes significant after Holm)
    assert summary[1] == "NPS fell 15.7\u00a0points to 24.3: a real change for the worse."
    assert summary[2] == "Ease (CES) rose 0.22 to 4.87: a real change for the better."
    assert not any("CSAT" in s or "Churn" in s for s in summary)
    assert "median service times" in summary[-1]


def test_summary_in_spanish():
    made = cards("es")
    summary = executive_summary(
        list(made.values()), period="2026-10", previous_period="2026-09", lang="es"
    )
    assert summary[1] == "El NPS bajó 15,7\u00a0puntos, hasta 24,3: un empeoramiento real."
    assert summary[2] == "La facilidad (CES) subió 0,22, hasta 4,87: una mejora real."
    assert "5\u00a0%" in summary[-1]  # alpha 0.05 written as a Spanish percentage


def test_summary_is_honest_when_nothing_changed():
    same = {m: v[:2] for m, v in CURRENT.items()}  # the previous period equals this one
    made = cards("en", previous=headline("2026-09", same))
    summary = executive_summary(
        list(made.values()), period="2026-10", previous_period="2026-09", lang="en"
    )
    assert len(summary) == 3
    assert summary[1].startswith("No indicator changed beyond noise since September 2026")


def test_summary_without_a_previous_period():
    made = cards("en", previous=headline("2026-09", {}).iloc[0:0], previous_period=None)
    summary = executive_summary(
        list(made.values()), period="2026-10", previous_period=None, lang="en"
    )
    assert len(summary) == 3
    assert "no values of an earlier period to compare with" in summary[0]
    assert summary[1] == "NPS stands at 24.3 (17.5–31.1), on a base of 600."  # CURRENT["nps"]


def test_summary_counts_real_changes_beyond_three():
    moved = {m: (v[0] + 30.0, v[1]) for m, v in PREVIOUS.items()}  # every tested one moves
    made = cards("en", previous=headline("2026-09", moved))
    summary = executive_summary(
        list(made.values()), period="2026-10", previous_period="2026-09", lang="en"
    )
    # 5 indicators with an SE, each 30 units apart (z >= 30 / sqrt(2 * 3.2²) = 6.6): all real
    assert len(summary) == 5
    assert summary[1].startswith("NPS fell") and summary[2].startswith("Satisfaction (CSAT)")
    assert summary[3] == "3 more indicators also changed beyond noise; see their cards below."


# ------------------------------------------------------------------------------- the page
@pytest.mark.parametrize("lang", ["en", "es"])
def test_index_page_text_is_for_people(tmp_path, lang):
    html = render(lang, cards(lang, history=monthly_history(tmp_path)))
    soup = BeautifulSoup(html, "html.parser")
    soup.footer.decompose()  # "cxkit 0.1.0": a version, not a decimal
    text = soup.get_text(" ")
    assert not re.search(r"\d[eE][+-]?\d", text)  # no scientific notation
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text)  # no snake_case names
    assert "<script" not in html.lower()
    assert html.count("<svg") == 1  # only NPS has a stored history (12 periods with this one)
    if lang == "es":
        assert "octubre de 2026" in text and "24,3" in text
        assert not re.search(r"\d\.\d{1,2}\b", text)  # no decimal points (2.052 is thousands)
    else:
        assert "October 2026" in text and "24.3" in text
        assert not re.search(r"\d,\d{1,2}\b", text)


def test_index_page_escapes_the_client_name():
    html = render("en", cards("en"), client='<b>Acme</b> & "Co"')
    assert "<b>Acme" not in html and "&lt;b&gt;Acme&lt;/b&gt; &amp;" in html


def test_section_page_has_no_anchor_links_and_names_the_period(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Is the change real?"),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": '<p class="cx-note">n = 248</p>'}
                )
            ],
        ),
    ]
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    html = notebook_page(path, lang="es", client="Acme", period="2026-10", title="Métricas")
    assert "¶" not in html and "anchor-link" not in html
    assert "Is the change real?" in html and '<p class="cx-note">n = 248</p>' in html
    assert "octubre de 2026" in visible_text(html)


def test_a_reused_exporter_renders_each_page_as_a_new_one_would(tmp_path):
    """Pages reuse their thread's HTML exporter; a page rendered after another must equal the
    same page rendered by a fresh exporter (a new thread makes its own)."""
    paths = []
    for name, heading, note in [("a", "## First", "n = 1"), ("b", "## Second <i>", "n = 2")]:
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell(heading),
            nbformat.v4.new_code_cell(
                "x", outputs=[nbformat.v4.new_output("display_data", data={"text/plain": note})]
            ),
        ]
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        paths.append(tmp_path / f"{name}.ipynb")

    def page(path):
        return notebook_page(path, lang="en", client="Acme", period="2026-10", title="T")

    fresh = {}
    for path in paths:  # each in a thread of its own: a fresh exporter
        worker = threading.Thread(target=lambda p=path: fresh.update({p: page(p)}))
        worker.start()
        worker.join()
    in_turn = [page(paths[0]), page(paths[1]), page(paths[0])]  # one exporter, reused
    assert in_turn == [fresh[paths[0]], fresh[paths[1]], fresh[paths[0]]]
    assert fresh[paths[0]] != fresh[paths[1]]
