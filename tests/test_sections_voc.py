"""Voice-of-the-customer sections: follow-up, team scorecard, channels, metric rows, front page.

Every number asserted comes from the module that computes it, called here on the report
period's rows picked by hand (``responded_at`` / ``opened_at`` in October 2026), or from the
metric rows written in the test.
"""

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import cxkit as cx
from cxkit.channels import channel_preferences
from cxkit.followup import follow_up
from cxkit.headline import COLUMNS
from cxkit.reports.pages import index_page
from cxkit.reports.voc_line import voc_lines
from cxkit.scorecard import team_scorecard
from cxkit.sections import Section, Skipped, voc

OCTOBER = pd.Period("2026-10", "M")
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def data(samples):
    return cx.read_client(
        responses=samples / "responses.csv",
        tickets=samples / "tickets.csv",
        customers=samples / "customers.csv",
        period="2026-10",
    )


@pytest.fixture(scope="module")
def october(data):
    r = data.responses
    return r[r["responded_at"].dt.to_period("M") == OCTOBER]


def test_in_period_keeps_the_report_period_only(data, october):
    picked = voc.in_period(data.responses, "responded_at", data.period)
    assert picked.index.equals(october.index)
    assert voc.in_period(None, "responded_at", data.period) is None
    assert voc.in_period(data.responses, "nowhere", data.period) is None


def test_follow_up_is_for_the_period_as_of_its_last_day(data, october):
    found = voc.read_follow_up(data, None, sla_days=2)
    direct = follow_up(october, sla_days=2, as_of="2026-10-31 23:59:59", customers=data.customers)
    assert found.as_of == pd.Timestamp("2026-10-31 23:59:59")
    pd.testing.assert_frame_equal(found.summary, direct.summary)
    needing = (october["nps"] <= 6) | (october["csat"] <= 2)  # detractors and CSAT 1-2
    assert len(found.queue) == int(needing.fillna(False).sum())


def test_follow_up_sentences_and_queue(data):
    found = voc.read_follow_up(data, None)
    section = voc.followup(found, "en", data.period, logged=False)
    s = found.summary.set_index("measure")["value"]
    assert section.items[0].startswith(  # no log given: nobody is recorded as called
        f"In October 2026, {int(s['needing_call'])} answers needed a call (NPS 0–6 or CSAT 1–2); "
        "none is recorded as followed up."
    )
    assert section.items[1].startswith("No follow-up log was given")
    queue = voc.followup_queue(found, "en", "EUR")
    soup = BeautifulSoup(queue.items[0].to_html(), "html.parser")
    rows = soup.select("tbody tr")
    waiting = found.queue[~found.queue["followed_up"]]
    assert len(rows) == min(voc.QUEUE_ROWS, len(waiting))
    assert soup.caption.get_text().endswith(f"({len(rows)} of {len(waiting)}).")
    first = waiting.sort_values("due", kind="stable").iloc[0]
    days = int((found.as_of - first["due"]) / pd.Timedelta(days=1))  # the longest overdue
    assert rows[0].select("td")[-1].get_text() == f"overdue by {days} days"
    assert "cx-overdue" in rows[0].select("td")[-1]["class"]


def test_follow_up_sentence_with_the_sample_log(data, samples):
    found = voc.read_follow_up(data, samples / "follow_up.csv")
    s = found.summary.set_index("measure")
    done, rate = int(s.loc["followed_up", "value"]), s.loc["follow_up_rate"]
    text = voc.followup(found, "en", data.period, logged=True).items[0]
    assert f"{done} were followed up ({rate['value']:.1f}% of them" in text
    assert f"a median of {s.loc['median_days_to_follow_up', 'value']:.1f} days" in text
    assert found.quarantine.empty  # calls about other months are left to their own period


def test_scorecard_shows_the_shrunk_rates_of_the_periods_tickets(data):
    found = voc.read_scorecard(data)
    t = data.tickets
    direct = team_scorecard(t[t["opened_at"].dt.to_period("M") == OCTOBER])
    pd.testing.assert_frame_equal(found.rates, direct.rates)
    section = voc.scorecard(found, "es", data.period)
    soup = BeautifulSoup(section.items[0].to_html(), "html.parser")
    first = direct.rates[direct.rates["metric"] == "fcr"].iloc[0]
    cells = [td.get_text() for td in soup.select("tbody tr")[0].select("td")]
    assert cells[0] == str(first["agent"])
    shrunk = f"{first['shrunk']:.1f}".replace(".", ",")  # Spanish decimal comma
    assert f"{shrunk}{NBSP}%" in cells[4]
    assert isinstance(section, Section) and len(section.items) == 3  # table, chart, its note


def test_channels_state_the_test_of_the_period(data, october):
    found = voc.read_channels(data)
    direct = channel_preferences(october, by="segment", channel="channel")
    assert found.test.chi2 == pytest.approx(direct.test.chi2)
    section = voc.channels(found, "en", data.period)
    assert section.items[0].startswith(
        f"Channel use differs by segment (χ² = {direct.test.chi2:.1f}"
    )


def test_sections_without_the_data_they_need_are_skipped(samples):
    survey_only = cx.read_client(responses=samples / "responses.csv", period="2026-10")
    assert isinstance(voc.read_scorecard(survey_only), Skipped)
    assert "no tickets" in voc.read_scorecard(survey_only).reason
    tickets_only = cx.read_client(tickets=samples / "tickets.csv", period="2026-10")
    assert isinstance(voc.read_follow_up(tickets_only, None), Skipped)
    assert isinstance(voc.read_channels(tickets_only), Skipped)
    skipped = voc.read_channels(tickets_only)
    assert isinstance(voc.channels(skipped, "en", pd.Period("2026-10")), Skipped)


def metric_rows(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["metric", "group", "value"]).reindex(columns=COLUMNS)
    frame["period"] = "2026-10"
    return frame


def test_metric_rows_and_the_front_page_line(data):
    found = voc.read_follow_up(data, None)
    themes = pd.DataFrame(
        {"label": ["Billing errors", "App", "Delivery"], "difference": [21.5, 0.4, 8.0],
         "ci_low": [15.0, -3.0, 1.0], "ci_high": [28.0, 3.8, 15.0], "p_adjusted": [1e-6, 0.9, 0.03],
         "mentions": [120, 80, 40]}
    )  # fmt: skip
    rows = voc.voc_metrics(found, themes, "2026-10")
    tied = rows[rows["metric"] == "theme_detractor"]
    assert tied["group"].tolist() == ["Billing errors", "Delivery"]  # p_adjusted < 0.05, diff > 0
    s = found.summary.set_index("measure")
    line = voc_lines(rows, "en")
    assert line[0] == (
        "The comment themes most tied to detractors: Billing errors (+21.5 percentage points "
        "more detractors among those who mention it); Delivery (+8.0 percentage points more "
        "detractors among those who mention it)."
    )
    rate = round(s.loc["follow_up_rate", "value"])
    assert line[1] == (
        f"Follow-up: {rate}% of the {int(s.loc['needing_call', 'value'])} answers that needed a "
        f"call were followed up; {int(s.loc['overdue', 'value'])} still waiting past the 2-day "
        "deadline."
    )
    none_tied = voc.voc_metrics(
        Skipped("voc-followup", "x"), themes.assign(p_adjusted=0.5), "2026-10"
    )
    assert voc_lines(none_tied, "es") == [
        "Ningún tema de los comentarios está ligado a los detractores más allá del azar."
    ]
    assert voc_lines(pd.DataFrame(columns=COLUMNS), "en") == []


def test_the_index_page_card():
    page = index_page(lang="es", client="C", period="2026-10", kpi_rows=[], sections=[],
                      previous_period=None, voc=["<b>no markup</b>"])  # fmt: skip
    card = BeautifulSoup(page, "html.parser").select_one("#voc")
    assert card.h2.get_text() == "Voz del cliente"
    assert card.p.get_text() == (
        "Lo que escribieron los clientes en octubre de 2026 y cómo se atendieron sus quejas: "
        "<b>no markup</b>"
    )
    assert 'id="voc"' not in index_page(lang="en", client="C", period="2026-10", kpi_rows=[],
                                         sections=[], previous_period=None)  # fmt: skip
    assert re.search("&lt;b&gt;", page)
