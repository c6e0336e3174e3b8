"""Root-cause report sections: ladders, action tracker, verification, problems, metric rows."""

import html
import re

import pytest
import yaml
from bs4 import BeautifulSoup

import cxkit as cx
from cxkit.sections import Section, Skipped, rootcause


@pytest.fixture(scope="module")
def data(samples):
    return cx.read_client(responses=samples / "responses.csv", period="2026-10", weight="weight")


@pytest.fixture(scope="module")
def result(data, samples):
    return rootcause.analyse(samples / "five_whys.yml", data)


def markup(section: Section) -> str:
    return "".join(
        i if isinstance(i, str) else i._repr_html_() if hasattr(i, "_repr_html_") else ""
        for i in section.items
    )


def test_every_section_shows_something_on_the_sample(result):
    assert result.as_of.isoformat() == "2026-10-31"  # the report period's last day
    assert result.problems == []
    assert isinstance(rootcause.problems(result), Skipped)  # no problems: left out
    for function in (
        rootcause.overview,
        rootcause.ladders,
        rootcause.tracker,
        rootcause.verification,
    ):
        section = function(result)
        assert isinstance(section, Section) and section.items, function.__name__


def test_the_ladder_reads_top_down(result):
    soup = BeautifulSoup(markup(rootcause.ladders(result)), "html.parser")
    first = soup.select_one('.cx-ladder[data-entry="RC-001"]')
    kinds = [li["class"][1] for li in first.select("li.cx-rung")]
    assert kinds == ["cx-rung-problem", *["cx-rung-why"] * 3, "cx-rung-root",
                     "cx-rung-actions", "cx-rung-check"]  # fmt: skip
    assert "Root cause · Process" in first.get_text()
    assert "Evidence: staff roster, November" in first.get_text()
    check = first.select_one(".cx-rung-check").get_text()
    assert re.search(r"NPS: [\d.]+ in December 2025 → [\d.]+ in October 2026: recovered "
                     r"\(target 18\.0\)", check)  # fmt: skip
    late = soup.select_one('.cx-ladder[data-entry="RC-002"] .cx-overdue-text')
    assert late.get_text() == "overdue by 61 days"  # due 2026-08-31, as of 2026-10-31
    open_one = soup.select_one('.cx-ladder[data-entry="RC-004"]')
    assert "Not found yet: the investigation goes on." in open_one.get_text()


def test_the_tracker_puts_overdue_actions_first_and_marks_them(result):
    table = rootcause.tracker(result).items[1].to_html()
    soup = BeautifulSoup(table, "html.parser")
    first_row = soup.select("tbody tr")[0]
    assert "First-steps guide" in first_row.get_text()
    assert first_row.select_one("td.cx-overdue").get_text() == "In progress · overdue by 61 days"
    assert len(soup.select("td.cx-overdue")) == 1
    # then the one still to do (RC-002's review, open), then the done ones in file order
    statuses = [tr.select("td")[4].get_text() for tr in soup.select("tbody tr")[1:]]
    assert statuses == ["Open", "Done", "Done", "Done", "Done"]


def test_the_verification_table(result):
    soup = BeautifulSoup(rootcause.verification(result).items[0].to_html(), "html.parser")
    rows = [[td.get_text() for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert [r[0] for r in rows] == ["RC-001", "RC-002"]
    assert [r[-1] for r in rows] == ["Recovered", "Not yet"]
    v = result.verified.set_index("id").loc["RC-001"]
    assert rows[0][2] == f"{v['baseline']:.1f} (December 2025)"


def test_spanish_labels(data, samples):
    spanish = cx.read_client(responses=samples / "responses.csv", period="2026-10", lang="es",
                             weight="weight")  # fmt: skip
    result = rootcause.analyse(samples / "five_whys.yml", spanish)
    text = BeautifulSoup(markup(rootcause.ladders(result)), "html.parser").get_text()
    words = ("Problema", "¿Por qué? (1)", "Causa raíz · Proceso", "Contramedidas",
             "vencida hace 61 días", "recuperado", "Avance", "abierta el 3 dic 2025")  # fmt: skip
    for word in words:
        assert word in text, word
    overview = rootcause.overview(result).items[0]
    assert overview.startswith("5 investigaciones en el registro: 3 siguen abiertas y 2 cerradas")
    verdicts = rootcause.verification(result).items[0].to_html()
    assert "Recuperado" in verdicts and "Todavía no" in verdicts and "+18,1" in verdicts


HOSTILE = '<script>alert("x")</script> & "quotes" \'too\''


def test_every_text_written_by_people_is_escaped(tmp_path, data):
    entry = {
        "id": 'RC-<b>1</b>"', "opened": "2026-01-02", "problem": HOSTILE, "touchpoint": HOSTILE,
        "stage": "adopt", "metric": "nps", "status": "acting",
        "evidence": {"period": "2025-11", "value": HOSTILE},
        "whys": [HOSTILE, {"answer": HOSTILE, "evidence": HOSTILE}, HOSTILE],
        "root_cause": HOSTILE, "category": "people",
        "countermeasures": [{"action": HOSTILE, "owner": HOSTILE, "due": "2026-02-01",
                             "status": "open"}],
    }  # fmt: skip
    path = tmp_path / "log.yml"
    path.write_text(yaml.safe_dump({"entries": [entry]}), encoding="utf-8")
    result = rootcause.analyse(path, data)
    pages = [markup(rootcause.ladders(result)), rootcause.tracker(result).items[1].to_html(),
             markup(rootcause.problems(result))]  # fmt: skip
    for page in pages:
        assert "<script>" not in page and "<b>" not in page
    assert html.escape(HOSTILE, quote=True) in pages[0]
    soup = BeautifulSoup(pages[0], "html.parser")
    assert soup.select_one(".cx-ladder")["data-entry"] == 'RC-<b>1</b>"'  # an attribute, intact
    assert soup.select_one(".cx-rung-problem p").get_text() == HOSTILE
    assert "&lt;script&gt;" in pages[1]


def test_a_malformed_log_gives_a_problems_section_and_what_can_be_read(tmp_path, data):
    path = tmp_path / "log.yml"
    entry = {"id": "RC-1", "opened": "2026-01-02", "problem": "p", "touchpoint": "Support",
             "stage": "later", "metric": "nps", "status": "open", "whys": ["a"]}  # fmt: skip
    path.write_text(yaml.safe_dump({"entries": [entry]}), encoding="utf-8")
    result = rootcause.analyse(path, data)
    section = rootcause.problems(result)
    assert section.items[0] == (
        "The 5-whys log has 1 problem(s) to correct before it can be read in full; what could "
        "be read is shown below."
    )
    assert "entry RC-1, `stage`: &#x27;later&#x27; is not a journey stage" in markup(section)
    assert isinstance(rootcause.ladders(result), Section)  # the rest is still shown


def test_an_unreadable_log_gives_only_the_problems_section(tmp_path, data):
    path = tmp_path / "log.yml"
    path.write_text("entries:\n  - id: [\n", encoding="utf-8")
    result = rootcause.analyse(path, data)
    section = rootcause.problems(result)
    assert section.items[0].startswith("The 5-whys log could not be read")
    assert "line 3, column 1" in markup(section)
    for function in (rootcause.overview, rootcause.ladders, rootcause.tracker):
        assert isinstance(function(result), Skipped)
    assert rootcause.rootcause_metrics(result, "2026-10").empty


def test_without_a_log_every_section_is_skipped_with_the_reason(data):
    result = rootcause.analyse(None, data)
    assert isinstance(result, Skipped)
    assert "no 5-whys log is given" in repr(rootcause.overview(result))
    assert rootcause.rootcause_metrics(result, "2026-10").empty


def test_metric_rows_for_the_front_page(result):
    rows = rootcause.rootcause_metrics(result, "2026-10")
    got = {(r.metric, r.group): r.value for r in rows.itertuples()}
    # the sample log: RC-001, RC-002 and RC-004 are not closed; RC-002's guide is overdue;
    # RC-001 recovered and RC-002 not yet (tests/test_rootcause_analysis.py)
    assert got == {
        ("rootcause_open", "all"): 3,
        ("rootcause_overdue", "all"): 1,
        ("rootcause_problems", "all"): 0,
        ("rootcause_verdict", "recovered"): 1,
        ("rootcause_verdict", "not yet"): 1,
    }
    assert (rows["period"] == "2026-10").all()
    assert list(rows.columns) == cx.headline.COLUMNS


def test_the_pareto_charts_draw_the_counts(result):
    text, fig, _caption = rootcause.overview(result).items
    assert text == ("5 investigations in the log: 3 still open and 2 closed. One countermeasure "
                    "is overdue as of 31 Oct 2026.")  # fmt: skip
    categories, touchpoints = fig.axes[:2]  # the bar charts; then their cumulative-share axes
    heights = [bar.get_height() for bar in categories.patches]
    assert heights == result.log.pareto()["entries"].tolist()
    assert [t.get_text() for t in touchpoints.get_xticklabels()] == (
        result.log.pareto("touchpoint")["touchpoint"].tolist()
    )


def test_a_verification_on_a_small_base_is_not_shown_to_clients(data, samples):
    result = rootcause.analyse(samples / "five_whys.yml", data, min_n=500)  # 2026-06: 445 CSAT
    html_table = rootcause.verification(result).items[0].to_html()
    soup = BeautifulSoup(html_table, "html.parser")
    rc002 = [td.get_text() for td in soup.select("tbody tr")[1].select("td")]
    assert rc002[0] == "RC-002" and rc002[2] == rc002[3] == rc002[4] == rc002[6] == "–"
    assert "fewer than 500 answers" in rootcause.verification(result).items[1]
    ladder = BeautifulSoup(markup(rootcause.ladders(result)), "html.parser")
    check = ladder.select_one('.cx-ladder[data-entry="RC-002"] .cx-rung-check').get_text()
    assert check.endswith("too few answers to judge: 445 before, 550 in the latest period")
