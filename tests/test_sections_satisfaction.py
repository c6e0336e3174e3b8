"""The satisfaction section: CSAT and CES of the report period from one survey_metrics pass.

Expected tables are the separate calls (cx.csat, cx.ces on the period) put through the same
cx.present, so the one pass must leave every shown cell as it was.
"""

import pytest

import cxkit as cx
from cxkit.sections import baseline


@pytest.fixture(scope="module")
def sample(samples):
    return cx.read_client(responses=samples / "responses.csv", period="2026-10", weight="weight")


@pytest.mark.parametrize("by", ["segment", "touchpoint", "no-such-column"])
def test_satisfaction_shows_the_separate_csat_and_ces_tables(sample, by):
    section = baseline.satisfaction(sample, by=by, min_n=40)
    groups = by if by in sample.responses.columns else None
    shown = [item.styler.data for item in section.items]
    assert len(shown) == 2
    for table, (metric, func) in zip(shown, (("csat", cx.csat), ("ces", cx.ces)), strict=True):
        direct = func(sample.responses, by=groups, period=sample.period, weight="weight", min_n=40)
        expected = cx.present(direct, metric, by=groups, lang=sample.lang, min_n=40)
        assert table.equals(expected.styler.data)
