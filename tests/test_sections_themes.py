"""Comment-theme sections: the period's themes, their ties to detractors, quotes, trends.

Numbers come from :func:`cxkit.themes` and :func:`cxkit.theme_trends` called here on the rows
picked by hand (the October 2026 answers; every answer up to 31 October for the trend), and
from the sample taxonomy ``data/samples/themes.yml``.
"""

import html

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

import cxkit as cx
from cxkit.sections import Section, Skipped
from cxkit.sections import themes as sections

OCTOBER = pd.Period("2026-10", "M")


@pytest.fixture(scope="module")
def data(samples):
    return cx.read_client(responses=samples / "responses.csv", period="2026-10")


@pytest.fixture(scope="module")
def tagged(data, samples):
    return sections.analyse(samples / "themes.yml", data, discover=2)


def test_the_period_is_tagged_and_the_trend_runs_to_its_end(tagged, data, samples):
    r = data.responses
    october = r[r["responded_at"].dt.to_period("M") == OCTOBER]
    direct = cx.themes(october, taxonomy=samples / "themes.yml")
    cols = ["theme", "mentions", "share", "difference", "p_adjusted"]
    pd.testing.assert_frame_equal(tagged.table[cols], direct.table[cols])
    assert tagged.answers == len(october)
    assert tagged.trend.period == OCTOBER
    assert str(max(tagged.trend.table["period"])) == "2026-10"  # nothing after the period


def test_the_overview_names_the_themes_tied_to_detractors(tagged, samples):
    section = sections.overview(tagged)
    table = tagged.table
    tied = table[(table["p_adjusted"] < 0.05) & (table["difference"] > 0)]["label"].tolist()
    assert tied  # the planted billing theme (data/samples/README.md)
    assert section.items[0].endswith(f"Tied to detractors: {', '.join(tied)}.")
    counts = tagged.result.counts
    assert section.items[0].startswith(
        f"{counts['commented']} of the {tagged.answers} answers of October 2026 carry a comment"
    )
    soup = BeautifulSoup(section.items[2].to_html(), "html.parser")
    rows = soup.select("tbody tr")
    assert len(rows) == len(table)
    first = table.sort_values("mentions", ascending=False, kind="stable").iloc[0]
    assert rows[0].select("td")[0].get_text() == first["label"]


def test_labels_follow_the_report_language(samples):
    spanish = cx.read_client(responses=samples / "responses.csv", period="2026-10", lang="es")
    found = sections.analyse(samples / "themes.yml", spanish)
    taxonomy = yaml.safe_load((samples / "themes.yml").read_text(encoding="utf-8"))["themes"]
    assert found.table["label"].tolist() == [t["label"]["es"] for t in taxonomy.values()]
    counts, n = found.result.counts["commented"], found.answers
    text = sections.overview(found).items[0]
    assert text.startswith(f"{counts} de las {n} respuestas de octubre de 2026")


def test_quotes_are_masked_and_escaped(data, tmp_path):
    hostile = 'they charged twice <script>alert("x")</script> write to ana@example.com'
    rows = data.responses.copy()
    last = rows.index[rows["responded_at"].dt.to_period("M") == OCTOBER][:3]
    rows.loc[last, "comment"] = hostile
    path = tmp_path / "themes.yml"
    path.write_text(
        "themes:\n  billing:\n    label: {en: Billing, es: Facturación}\n"
        '    en: ["charged twice"]\n    es: ["cobro doble"]\n',
        encoding="utf-8",
    )
    client = cx.ClientData(
        reads={"responses": cx.ReadResult(rows, data.reads["responses"].quarantine,
                                          data.reads["responses"].summary)},
        period=OCTOBER, weight=None,
    )  # fmt: skip
    markup = sections.overview(sections.analyse(path, client)).items[3]._repr_html_()
    assert "<script>" not in markup and "ana@example.com" not in markup
    assert html.escape("<script>") in markup


def test_trends_say_what_changed_since_the_previous_period(tagged):
    section = sections.trends(tagged)
    moved = tagged.trend.changes[tagged.trend.changes["significant"].fillna(False).astype(bool)]
    if moved.empty:
        assert section.items[0] == (
            "No theme's share of comments changed beyond chance since September 2026."
        )
    else:
        assert section.items[0].startswith("Since September 2026: ")
    assert len(section.items) == 3  # sentence, chart, caption


def test_candidates_and_skips(tagged, data):
    assert len(sections.candidates(tagged)) == 2  # discover=2
    assert isinstance(sections.analyse(None, data), Skipped)
    assert "no theme taxonomy" in sections.analyse(None, data).reason
    skipped = sections.analyse(None, data)
    assert isinstance(sections.overview(skipped), Skipped)
    assert isinstance(sections.trends(skipped), Skipped)
    assert isinstance(sections.overview(tagged), Section)


def test_the_sample_clients_planted_themes_are_recovered(samples):
    """data/samples/README.md plants billing with detractors, the app theme neutral, and
    packaging outside the sample taxonomy: the whole export must show all three."""
    r = cx.read_responses(samples / "responses.csv").data
    found = cx.themes(r, taxonomy=samples / "themes.yml", discover=3, random_state=0)
    table = found.table.set_index("theme")
    assert table.loc["billing", "p_adjusted"] < 0.05 and table.loc["billing", "difference"] > 0
    assert table.loc["app", "p_adjusted"] >= 0.05  # neutral: planted 12% in every NPS group
    words = {"packaging", "box", "crushed", "torn", "embalaje", "caja", "aplastada", "roto"}
    terms = [set(" ".join(t).split()) for t in found.discovered["top_terms"]]
    assert any(len(words & t) >= 2 for t in terms)  # discovery finds the theme left out
