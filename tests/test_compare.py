"""Two-sample tests and the comparison table, against scipy, statsmodels and arithmetic."""

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats.multitest import multipletests

import cxkit as cx
from cxkit.i18n import reading

Z = NormalDist().inv_cdf(0.975)


def scores(promoters, passives, detractors):
    return [10] * promoters + [8] * passives + [3] * detractors


def test_nps_test_wald_by_hand():
    a, b = scores(30, 20, 10), scores(25, 20, 20)
    result = cx.nps_test(a, b, method="wald")
    pa, da, pb, db = 30 / 60, 10 / 60, 25 / 65, 20 / 65
    var_a = (pa + da - (pa - da) ** 2) / 60
    var_b = (pb + db - (pb - db) ** 2) / 65
    diff, se = (pb - db) - (pa - da), math.sqrt(var_a + var_b)
    assert result.difference == pytest.approx(100 * diff)
    assert result.se == pytest.approx(100 * se)
    assert result.ci_low == pytest.approx(100 * (diff - Z * se))
    assert result.p_value == pytest.approx(2 * (1 - NormalDist().cdf(abs(diff / se))))
    assert "difference -25.64 points" in repr(result)  # 100 * (5/65 - 20/60)


def test_nps_test_adjusted_wald_by_hand():
    # Lewis & Sauro (2021): adjust each sample as for its interval (+3/4 P and D, +3 n).
    result = cx.nps_test(scores(30, 20, 10), scores(25, 20, 20))
    pa, da = 30.75 / 63, 10.75 / 63
    pb, db = 25.75 / 68, 20.75 / 68
    se = math.sqrt((pa + da - (pa - da) ** 2) / 63 + (pb + db - (pb - db) ** 2) / 68)
    centre = (pb - db) - (pa - da)
    assert result.difference == pytest.approx(100 * (5 / 65 - 20 / 60))  # observed
    assert result.ci_high == pytest.approx(100 * (centre + Z * se))
    assert result.p_value == pytest.approx(2 * (1 - NormalDist().cdf(abs(centre / se))))


def monthly(values_by_month, column):
    rows = []
    for month, values in values_by_month.items():
        for v in values:
            rows.append({"responded_at": pd.Timestamp(month), column: v})
    return pd.DataFrame(rows)


def test_compare_ces_matches_welch_t_test():
    rng = np.random.default_rng(1)
    jan, feb = rng.integers(1, 8, 80), rng.integers(2, 8, 95)
    table = cx.compare(monthly({"2025-01-10": jan, "2025-02-10": feb}, "ces"), metric="ces")
    row = table.iloc[0]
    welch = stats.ttest_ind(feb, jan, equal_var=False)
    assert row["difference"] == pytest.approx(feb.mean() - jan.mean())
    assert row["p_value"] == pytest.approx(welch.pvalue)
    ci = welch.confidence_interval(0.95)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))


def test_compare_csat_matches_statsmodels_two_proportion_wald_test():
    jan = [5] * 40 + [2] * 30
    feb = [5] * 60 + [3] * 20
    row = cx.compare(monthly({"2025-01-10": jan, "2025-02-10": feb}, "csat"), metric="csat").iloc[0]
    ref = sm_proportion.test_proportions_2indep(
        60, 80, 40, 70, method="wald", compare="diff", correction=False
    )
    assert row["difference"] == pytest.approx(100 * (60 / 80 - 40 / 70))
    assert row["p_value"] == pytest.approx(ref.pvalue)


def test_compare_group_vs_rest_equals_nps_test_on_the_raw_groups():
    data = pd.DataFrame(
        {
            "nps": scores(30, 20, 10) + scores(20, 20, 30) + scores(25, 25, 10),
            "segment": ["a"] * 60 + ["b"] * 70 + ["c"] * 60,
            "responded_at": pd.Timestamp("2025-03-01"),
        }
    )
    table = cx.compare(data, metric="nps", by="segment")
    row = table[(table["comparison"] == "group_vs_rest") & (table["segment"] == "b")].iloc[0]
    direct = cx.nps_test(data.loc[data.segment != "b", "nps"], data.loc[data.segment == "b", "nps"])
    assert row["difference"] == pytest.approx(direct.difference)
    assert row["p_value"] == pytest.approx(direct.p_value)
    assert row["n"] == 70 and row["n_reference"] == 120


def test_compare_adjusts_all_rows_with_multipletests():
    rng = np.random.default_rng(3)
    months = {f"2025-{m:02d}-05": rng.integers(0, 11, 120) for m in range(1, 7)}
    table = cx.compare(monthly(months, "nps"), metric="nps", adjust="holm")
    expected = multipletests(table["p_value"], method="holm")[1]
    np.testing.assert_allclose(table["p_adjusted"], expected)
    assert table["reference"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]


def test_compare_finds_a_planted_drop_and_calls_small_samples():
    rng = np.random.default_rng(5)
    before = rng.choice([10, 8, 3], size=800, p=[0.5, 0.3, 0.2])
    after = rng.choice([10, 8, 3], size=800, p=[0.3, 0.3, 0.4])  # NPS 30 -> -10
    tiny = [10, 3, 8]
    table = cx.compare(
        monthly({"2025-01-05": before, "2025-02-05": after, "2025-03-05": tiny}, "nps")
    )
    assert table["significant"].tolist() == [True, False]
    assert table["reading"].iloc[0].startswith("NPS fell")
    assert "a real change" in table["reading"].iloc[0]
    assert table["reading"].iloc[1].endswith("too few responses to judge (n = 3).")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"metric": "nps", "difference": -4.1, "significant": False, "reference": "2025-01"},
            "NPS fell 4.1 points vs January 2025; within noise.",
        ),
        (
            {
                "metric": "nps",
                "difference": 6.04,
                "significant": True,
                "reference": "2025-01",
                "lang": "es",
            },
            "El NPS subió 6,0 puntos respecto a enero de 2025; cambio real (p ajustado = 0,010).",
        ),
        (
            {
                "metric": "ces",
                "difference": -0.123,
                "significant": True,
                "group": "Empresas",
                "lang": "es",
            },
            "El CES de Empresas está 0,12 por debajo del resto; "
            "diferencia real (p ajustado = 0,010).",
        ),
        (
            {"metric": "csat", "difference": 2.3, "significant": False, "group": "Enterprise"},
            "CSAT for Enterprise is 2.3 percentage points above the rest; within noise.",
        ),
        (
            {"metric": "nps", "difference": 0.01, "significant": False, "reference": "2025Q1"},
            "NPS did not change vs Q1 2025; within noise.",
        ),
    ],
)
def test_readings(kwargs, expected):
    assert reading(p_adjusted=0.01, small=False, n=200, **kwargs) == expected


def test_compare_rejects_unknown_metric():
    with pytest.raises(
        cx.CxkitError, match=r"`metric` must be one of 'nps', 'csat', 'ces'; got 'ltr'"
    ):
        cx.compare(pd.DataFrame({"nps": [1]}), metric="ltr")


def test_metric_test_rate_matches_statsmodels_wald_two_proportion_test():
    a = [True] * 30 + [False] * 170
    b = [True] * 45 + [False] * 155
    result = cx.metric_test(a, b, metric="rate")
    ref = sm_proportion.test_proportions_2indep(
        45, 200, 30, 200, method="wald", compare="diff", correction=False
    )
    assert result.difference == pytest.approx(100 * (45 / 200 - 30 / 200))  # 7.5 pp
    assert result.p_value == pytest.approx(ref.pvalue)
    assert result.unit == "pp" and result.summary["metric"].tolist() == ["rate"]


def test_metric_test_csat_and_ces_agree_with_compare():
    rng = np.random.default_rng(3)
    jan, feb = rng.integers(1, 6, 90), rng.integers(2, 6, 70)
    test = cx.metric_test(jan, feb, metric="csat")
    row = cx.compare(monthly({"2025-01-10": jan, "2025-02-10": feb}, "csat"), metric="csat")
    assert test.difference == pytest.approx(row["difference"].iloc[0])
    assert test.p_value == pytest.approx(row["p_value"].iloc[0])
    welch = stats.ttest_ind(feb, jan, equal_var=False)
    assert cx.metric_test(jan, feb, metric="ces").p_value == pytest.approx(welch.pvalue)


def test_nps_test_is_metric_test_for_nps():
    a, b = scores(30, 20, 10), scores(25, 20, 20)
    assert cx.nps_test(a, b) == cx.metric_test(a, b, metric="nps")
    assert isinstance(cx.nps_test(a, b), cx.NPSTest)
    html = cx.nps_test(a, b)._repr_html_()
    assert "<table" in html and "estimate_a" in html


def test_metric_test_with_an_empty_sample_is_a_clear_error():
    """A filter that leaves one side without answers used to fail with numpy's IndexError."""
    with pytest.raises(cx.CxkitError, match="sample `b` has no nps answers"):
        cx.metric_test(pd.Series([9.0, 10.0, 3.0]), pd.Series([np.nan, np.nan]), metric="nps")
