"""Client tables: labels, locale formats, suppression, refusals."""

import pytest

import cxkit as cx


@pytest.fixture(scope="module")
def responses(samples):
    return cx.read_responses(samples / "responses.csv").data


def test_group_columns_are_the_tables_own_by_default(responses):
    table = cx.nps(responses, by="segment", period="2026-10")
    shown = cx.present(table, "nps", lang="es").styler.data
    assert list(shown.columns[:2]) == ["Segmento", "Respuestas"]
    assert shown["Segmento"].tolist() == table["segment"].tolist()
    # weighted or not, the shares shown are the table's own *_pct columns
    first = table.iloc[0]
    assert (
        shown["Promotores"].iloc[0] == f"{first['promoters_pct']:.1f}".replace(".", ",") + "\u00a0%"
    )


def test_a_table_of_another_kind_is_refused(responses):
    with pytest.raises(cx.CxkitError, match=r"present\(kind='nps'\) needs a table with a 'nps'"):
        cx.present(cx.csat(responses), "nps")


def test_a_comparison_names_its_metric_and_units(responses):
    table = cx.compare(responses, metric="csat", freq="M", period="2026-10")
    with pytest.raises(cx.CxkitError, match=r"`metric` must be one of 'nps', 'csat', 'ces'"):
        cx.present(table, "compare")
    shown = cx.present(table, "compare", metric="csat").styler.data
    difference = table["difference"].iloc[0]
    assert shown.iloc[0, 1].startswith(f"{difference:+.1f}".replace("-", "\u2212") + "\u00a0pp")
    assert "percentage points" in shown["Reading"].iloc[0]
