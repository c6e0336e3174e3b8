"""A/B tests, pre/post and difference-in-differences against statsmodels, scipy and hand work.

Every expected number is either a formula written out here, or the same test computed
directly with statsmodels/scipy on the same data.
"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats import proportion

from cxkit.compare import metric_test, nps_test
from cxkit.errors import CxkitError
from cxkit.experiments import ExperimentResult, ab_test, diff_in_diff, pre_post


def test_two_proportions_by_hand_and_statsmodels():
    """30 of 200 (control) against 45 of 200 (treatment).

    Unpooled Wald: se = sqrt(.15 * .85 / 200 + .225 * .775 / 200) = 0.0388507, z = 0.075 / se
    = 1.93046, p = 2 (1 - Phi(1.93046)) = 0.0535 (the same pair as cx.metric_test's docstring).
    """
    control = np.r_[np.ones(30), np.zeros(170)]
    treatment = np.r_[np.ones(45), np.zeros(155)].astype(bool)
    res = ab_test(control, treatment, metric="conversion")
    se = math.sqrt(0.15 * 0.85 / 200 + 0.225 * 0.775 / 200)
    assert res.effect == pytest.approx(7.5)
    assert res.se == pytest.approx(100 * se)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(0.075 / se), rel=1e-9)
    assert round(res.p_value, 4) == 0.0535
    low, high = 100 * (0.075 - 1.959964 * se), 100 * (0.075 + 1.959964 * se)
    assert (res.ci_low, res.ci_high) == pytest.approx((low, high), rel=1e-6)
    sm_test = proportion.test_proportions_2indep(45, 200, 30, 200, method="wald")
    assert res.p_value == pytest.approx(sm_test.pvalue, rel=1e-12)
    assert (res.n_control, res.n_treatment) == (200, 200)
    assert (res.estimate_control, res.estimate_treatment) == pytest.approx((15.0, 22.5))
    assert not res.significant  # p = 0.0535 > 0.05
    # cxkit's own rate test is the same unpooled Wald test
    assert metric_test(control, treatment, metric="rate").p_value == pytest.approx(res.p_value)


def test_welch_by_hand_and_scipy():
    """Welch (1947): t = (m_t - m_c) / sqrt(s_t²/n_t + s_c²/n_c), df by Welch-Satterthwaite."""
    control = np.array([4.0, 5.0, 6.0, 5.0, 7.0, 3.0, 5.0])
    treatment = np.array([6.0, 7.0, 9.0, 5.0, 8.0])
    res = ab_test(control, treatment, metric="handle_time", ci=0.9)
    vc, vt = control.var(ddof=1) / 7, treatment.var(ddof=1) / 5
    se = math.sqrt(vc + vt)
    df = (vc + vt) ** 2 / (vc**2 / 6 + vt**2 / 4)
    diff = treatment.mean() - control.mean()
    assert res.effect == pytest.approx(diff)
    assert res.se == pytest.approx(se)
    assert res.p_value == pytest.approx(2 * stats.t.sf(diff / se, df), rel=1e-9)
    crit = stats.t.ppf(0.95, df)
    assert (res.ci_low, res.ci_high) == pytest.approx((diff - crit * se, diff + crit * se))
    scipy_p = stats.ttest_ind(treatment, control, equal_var=False).pvalue
    assert res.p_value == pytest.approx(scipy_p, rel=1e-12)
    assert res.method == "Welch's t-test"


def test_nps_is_cxkit_nps_test():
    rng = np.random.default_rng(3)
    control = pd.Series(rng.integers(0, 11, 400)).astype("Int64")
    treatment = rng.integers(2, 11, 350).astype(float)
    treatment[:10] = np.nan  # blanks are not answers
    res = ab_test(control, treatment, metric="nps")
    ref = nps_test(pd.DataFrame({"nps": control}), pd.DataFrame({"nps": treatment[10:]}))
    assert res.effect == pytest.approx(ref.difference)
    assert (res.ci_low, res.ci_high, res.p_value) == pytest.approx(
        (ref.ci_low, ref.ci_high, ref.p_value)
    )
    assert (res.n_control, res.n_treatment) == (400, 340)
    assert res.unit == "points"


def test_weights_pass_through_to_metric_test():
    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 11, 200), rng.integers(0, 11, 220)
    wa, wb = rng.uniform(0.5, 2, 200), rng.uniform(0.5, 2, 220)
    res = ab_test(a, b, metric="nps", weight_control=wa, weight_treatment=wb)
    ref = metric_test(
        pd.DataFrame({"nps": a, "w": wa}), pd.DataFrame({"nps": b, "w": wb}), weight="w"
    )
    assert (res.effect, res.p_value) == pytest.approx((ref.difference, ref.p_value))
    assert "weighted" in res.method
    with pytest.raises(CxkitError, match="weights are supported"):
        ab_test(a, b, metric="ces", weight_control=wa, weight_treatment=wb)
    with pytest.raises(CxkitError, match="both"):
        ab_test(a, b, metric="nps", weight_control=wa)


def test_csat_is_the_top_two_box_share():
    control = [5, 4, 3, 2, 5, 4, 1, 3, 5, 4]  # 6 of 10 satisfied (4-5)
    treatment = [5, 5, 4, 4, 5, 3, 4, 5, 2, 5]  # 8 of 10
    res = ab_test(control, treatment, metric="csat")
    assert (res.estimate_control, res.estimate_treatment, res.effect) == pytest.approx(
        (60.0, 80.0, 20.0)
    )
    assert res.unit == "pp"


def test_reading_in_english_and_spanish():
    control = np.r_[np.ones(30), np.zeros(170)]
    treatment = np.r_[np.ones(60), np.zeros(140)]
    res = ab_test(control, treatment, metric="conversion")
    en, es = res.reading(), res.reading("es")
    assert "+15.0\u00a0pp" in en and "unlikely to be chance" in en
    assert "+15,0\u00a0p.\u00a0p." in es and "azar" in es and "95\u00a0%" in es
    flat = ab_test(control, control, metric="conversion").reading()
    assert "cannot tell this apart from no effect" in flat
    with pytest.raises(CxkitError, match="`lang`"):
        res.reading("fr")


@pytest.mark.parametrize(
    ("control", "treatment", "metric", "match"),
    [
        ([0, 1, 2], [0, 1, 1], "conversion", "0/1"),
        ([0, 1, 1], [1], "conversion", "at least 2"),
        (["a", "b", 3], [1, 2, 3], "ces", "not numbers"),
        ([1, 2, 3], [1, 2, 3], "revenue", "`metric` must be one of"),
    ],
)
def test_bad_input_says_what_is_wrong(control, treatment, metric, match):
    with pytest.raises(CxkitError, match=match):
        ab_test(control, treatment, metric=metric)


# -- pre/post and difference-in-differences ------------------------------------------------


def two_by_two() -> pd.DataFrame:
    """A tiny panel: NPS answers of two regions before and after 2026-03-01.

    NPS codes (100/0/-100) per cell, and the cell means by hand:
        North (treated) before: 9, 6, 7, 10  -> 100, -100, 0, 100    mean  25
        North (treated) after:  10, 9, 8     -> 100, 100, 0          mean  66.667
        South (control) before: 5, 9, 8      -> -100, 100, 0         mean   0
        South (control) after:  9, 3, 7, 10  -> 100, -100, 0, 100   mean  25
    DiD = (66.667 - 25) - (25 - 0) = 16.667 NPS points.
    """
    rows = [
        ("North", "2026-02-10", 9), ("North", "2026-02-11", 6), ("North", "2026-02-12", 7),
        ("North", "2026-02-13", 10), ("North", "2026-03-02", 10), ("North", "2026-03-05", 9),
        ("North", "2026-03-09", 8), ("South", "2026-02-03", 5), ("South", "2026-02-20", 9),
        ("South", "2026-02-28", 8), ("South", "2026-03-01", 9), ("South", "2026-03-15", 3),
        ("South", "2026-03-20", 7), ("South", "2026-03-28", 10),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["region", "responded_at", "nps"])
    frame["responded_at"] = pd.to_datetime(frame["responded_at"])
    frame["customer_id"] = [f"C{i % 5}" for i in range(len(frame))]
    return frame


def test_diff_in_diff_is_the_two_by_two_table_of_means():
    res = diff_in_diff(
        two_by_two(), outcome="nps", group="region", treated="North", change_date="2026-03-01"
    )
    assert res.effect == pytest.approx((200 / 3 - 25) - (25 - 0))
    assert res.estimate_treatment == pytest.approx(200 / 3 - 25)
    assert res.estimate_control == pytest.approx(25.0)
    assert (res.n_treatment, res.n_control) == (7, 7)
    assert res.design == "diff_in_diff" and res.unit == "points"
    assert "treated group +41.7\u00a0points, control group +25.0\u00a0points" in res.reading()
    assert "grupo tratado +41,7\u00a0puntos" in res.reading("es")


def test_diff_in_diff_against_a_hand_built_regression():
    """Design matrix [1, treated, after, treated*after] written out; lstsq and HC1 by hand."""
    data = two_by_two()
    res = diff_in_diff(
        data, outcome="nps", group="region", treated=["North"], change_date="2026-03-01"
    )
    y = np.where(data["nps"] >= 9, 100.0, np.where(data["nps"] <= 6, -100.0, 0.0))
    treated = (data["region"] == "North").to_numpy(float)
    after = (data["responded_at"] >= "2026-03-01").to_numpy(float)
    design = np.column_stack([np.ones(len(y)), treated, after, treated * after])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert res.effect == pytest.approx(beta[3])
    # HC1: (design'design)^-1 design' diag(e²) design (design'design)^-1 * n / (n - k)
    e = y - design @ beta
    bread = np.linalg.inv(design.T @ design)
    n, k = design.shape
    cov = bread @ (design.T * e**2) @ design @ bread * n / (n - k)
    se = math.sqrt(cov[3, 3])
    assert res.se == pytest.approx(se)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(beta[3]) / se))
    assert res.ci_low == pytest.approx(beta[3] - stats.norm.ppf(0.975) * se)


def test_diff_in_diff_clusters_like_statsmodels():
    data = two_by_two()
    res = diff_in_diff(
        data, outcome="nps", group="region", treated="North", change_date="2026-03-01",
        cluster="customer_id",
    )  # fmt: skip
    y = np.where(data["nps"] >= 9, 100.0, np.where(data["nps"] <= 6, -100.0, 0.0))
    treated = (data["region"] == "North").to_numpy(float)
    after = (data["responded_at"] >= "2026-03-01").to_numpy(float)
    design = np.column_stack([np.ones(len(y)), treated, after, treated * after])
    groups = pd.factorize(data["customer_id"])[0]
    fit = sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": groups})
    assert (res.effect, res.se, res.p_value) == pytest.approx(
        (fit.params[3], fit.bse[3], fit.pvalues[3])
    )
    assert "cluster" in res.method


def test_pre_post_is_the_difference_of_means():
    """North only: before codes 100, -100, 0, 100 (mean 25), after 100, 100, 0 (66.667)."""
    north = two_by_two().query("region == 'North'")
    res = pre_post(north, outcome="nps", change_date="2026-03-01")
    assert res.effect == pytest.approx(200 / 3 - 25)
    assert (res.estimate_control, res.estimate_treatment) == pytest.approx((25, 200 / 3))
    assert (res.n_control, res.n_treatment) == (4, 3)
    y = np.array([100, -100, 0, 100, 100, 100, 0.0])
    fit = sm.OLS(y, sm.add_constant(np.r_[np.zeros(4), np.ones(3)])).fit(cov_type="HC1")
    assert (res.se, res.ci_high) == pytest.approx((fit.bse[1], fit.conf_int()[1, 1]))
    assert "+41.7\u00a0points after the change" in res.reading()


def test_proportion_outcome_reads_in_points():
    data = two_by_two()
    data["renewed"] = (data["nps"] >= 8).astype(int)
    res = pre_post(data, outcome="renewed", metric="retention", change_date="2026-03-01")
    before = data.loc[data["responded_at"] < "2026-03-01", "renewed"].mean()
    after = data.loc[data["responded_at"] >= "2026-03-01", "renewed"].mean()
    assert res.effect == pytest.approx(100 * (after - before))
    assert res.unit == "pp"


def test_unanswered_rows_are_not_outcomes():
    data = two_by_two()
    data.loc[0, "nps"] = np.nan
    res = pre_post(data, outcome="nps", change_date="2026-03-01")
    assert res.n_control + res.n_treatment == len(data) - 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(change_date="2030-01-01"), "before or after"),
        (dict(treated="West"), "treated group"),
        (dict(group="area"), "no column 'area'"),
        (dict(outcome="score"), "no column 'score'"),
        (dict(outcome="region", metric="revenue"), "`metric` must be one of"),
    ],
)
def test_diff_in_diff_errors(kwargs, match):
    args = dict(outcome="nps", group="region", treated="North", change_date="2026-03-01")
    with pytest.raises(CxkitError, match=match):
        diff_in_diff(two_by_two(), **{**args, **kwargs})


def test_result_shape():
    res = pre_post(two_by_two(), outcome="nps", change_date="2026-03-01")
    assert isinstance(res, ExperimentResult)
    assert list(res.summary.columns) == [
        "design", "metric", "method", "effect", "se", "ci_low", "ci_high", "p_value",
        "n_control", "n_treatment", "estimate_control", "estimate_treatment", "unit", "ci",
    ]  # fmt: skip
    assert "<table" in res._repr_html_()
