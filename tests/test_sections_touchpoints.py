"""Touchpoint report sections: the period's prioritization, honest skipping, front-page lines."""

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.reports.priorities import priority_lines
from cxkit.sections import Section, Skipped, touchpoints
from cxkit.synthetic.truth import planted_order


@pytest.fixture(scope="module")
def data(samples):
    return cx.read_client(responses=samples / "responses.csv", period="2026-10", weight="weight")


@pytest.fixture(scope="module")
def result(data, samples):
    return touchpoints.analyse(data, catalog=samples / "touchpoints.yml", n_boot=100)


def test_analysis_is_for_the_report_period_only(result, data):
    p = data.period
    month = data.responses[data.responses["responded_at"].between(p.start_time, p.end_time)]
    rated = month[cx.rating_columns(month)].notna().any(axis=1)
    assert result.priorities.attrs["n"] == (month["nps"].notna() & rated).sum()
    support = result.priorities.set_index("driver").loc["rating_support"]
    assert support["n"] == (month["nps"].notna() & month["rating_support"].notna()).sum()
    assert support["stage"] == "advance"  # from the sample catalog


def test_every_section_shows_something(result):
    for function in (
        touchpoints.about,
        touchpoints.priorities,
        touchpoints.matrix,
        touchpoints.importance,
        touchpoints.stages,
    ):
        section = function(result)
        assert isinstance(section, Section) and section.items, function.__name__


def test_priorities_table_suppresses_small_bases(data, samples):
    result = touchpoints.analyse(data, catalog=samples / "touchpoints.yml", n_boot=0, min_n=150)
    small = result.priorities[result.priorities["small_sample"]]
    assert len(small)  # referral and reviews have fewer than 150 raters in the month
    html = touchpoints.priorities(result).items[0].to_html()
    assert "fewer than 150" in html
    # the chart leaves them out too
    ax = touchpoints.importance(result).items[0].axes[0]
    labels = {t.get_text() for t in ax.get_yticklabels()}
    assert not labels & set(small["touchpoint"])


def test_skipped_without_ratings_with_the_reason(samples, tmp_path):
    frame = pd.read_csv(samples / "responses.csv")
    frame.drop(columns=cx.rating_columns(frame)).to_csv(tmp_path / "r.csv", index=False)
    data = cx.read_client(responses=tmp_path / "r.csv", period="2026-10", lang="es")
    result = touchpoints.analyse(data, n_boot=0)
    assert isinstance(result, Skipped)
    assert "valoraciones" in result._repr_html_()
    assert touchpoints.priorities(result) is result
    assert touchpoints.priority_metrics(result).empty


def test_front_page_lines_from_the_metric_rows(result):
    rows = touchpoints.priority_metrics(result)
    assert set(rows["period"]) == {"2026-10"}
    top = result.priorities[~result.priorities["small_sample"]].head(3)
    assert list(rows.loc[rows["metric"] == "priority", "group"]) == list(top["touchpoint"])
    lines = priority_lines(rows, "en")
    assert len(lines) == 3
    first = top.iloc[0]
    assert lines[0].startswith(f"{first['touchpoint']}: {100 * first['share']:.0f}%")
    assert f"{first['performance']:.1f} of 5" in lines[0]
    spanish = priority_lines(rows, "es")
    assert f"{first['performance']:.1f}".replace(".", ",") in spanish[0]
    assert priority_lines(rows[rows["metric"] == "nps"], "en") == []


def test_whole_export_recovers_the_planted_order(data):
    model = touchpoints.whole_export(data, n_boot=0)
    assert planted_order(model).startswith("Planted order recovered")
    shuffled = model.importance_.assign(rank=np.arange(12, 0, -1))
    model.importance_ = shuffled
    assert planted_order(model).startswith("Planted order NOT recovered")
