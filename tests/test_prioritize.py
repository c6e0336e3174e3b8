"""cx.prioritize and cx.stage_summary: every column against a calculation written out here.

The sample responses (``data/samples/responses.csv``) carry 12 sparse ``rating_*`` columns with
planted driver weights (``data/samples/README.md``). Reference values come from pandas and
numpy written out in each test, and the expected-gain slopes from statsmodels' WLS.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import cxkit as cx
from cxkit.errors import CxkitError
from cxkit.prioritize import QUADRANTS, prioritize, stage_summary
from cxkit.synthetic.vocab import TOUCHPOINTS

DRIVERS = [f"rating_{tp.key}" for tp in TOUCHPOINTS]


@pytest.fixture(scope="module")
def responses(samples) -> pd.DataFrame:
    return pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])


@pytest.fixture(scope="module")
def month(responses) -> pd.DataFrame:
    return responses[responses["responded_at"] >= "2026-10-01"]


@pytest.fixture(scope="module")
def table(month) -> pd.DataFrame:
    return prioritize(month, weight="weight", n_boot=200, random_state=3)


def _base(data: pd.DataFrame) -> pd.DataFrame:
    """Respondents with an NPS answer and at least one touchpoint rated."""
    return data[data["nps"].notna() & data[DRIVERS].notna().any(axis=1)]


def test_one_row_per_touchpoint_highest_priority_first(table):
    assert sorted(table["driver"]) == sorted(DRIVERS)
    assert table["priority"].is_monotonic_decreasing
    assert table["priority"].iloc[0] == pytest.approx(100.0)
    assert list(table.columns[:4]) == ["driver", "touchpoint", "stage", "n"]


def test_performance_reach_and_gap_by_hand(table, month):
    base = _base(month)
    row = table.set_index("driver").loc["rating_support"]
    rated = base["rating_support"].notna()
    w = base["weight"]
    mean = (base.loc[rated, "rating_support"] * w[rated]).sum() / w[rated].sum()
    top2 = 100 * (w[rated] * (base.loc[rated, "rating_support"] >= 4)).sum() / w[rated].sum()
    assert row["performance"] == pytest.approx(mean)
    assert row["top2_box"] == pytest.approx(top2)
    assert row["reach"] == pytest.approx(w[rated].sum() / w.sum())
    assert row["n"] == rated.sum()
    assert table.attrs["target"] == pytest.approx(table["performance"].max())  # the best one
    assert row["gap"] == pytest.approx(table.attrs["target"] - mean)


def test_quadrants_cut_at_the_touchpoints_means(table):
    x_cut, y_cut = table["importance"].mean(), table["performance"].mean()
    assert table.attrs["importance_cut"] == pytest.approx(x_cut)
    for _, r in table.iterrows():
        expected = QUADRANTS[(r["importance"] >= x_cut, r["performance"] >= y_cut)]
        assert r["quadrant"] == expected


def test_priority_is_share_times_shortfall_times_reach(table):
    score = table["share"] * table["gap"].clip(lower=0) * table["reach"]
    np.testing.assert_allclose(table["priority"], 100 * score / score.max())


def test_importance_is_the_shapley_model(table, month):
    model = cx.DriverAnalysis(n_boot=0).fit(
        _base(month), outcome="nps", drivers=DRIVERS, weight="weight"
    )
    expected = model.importance_.set_index("driver")["importance"]
    got = table.set_index("driver")["importance"]
    np.testing.assert_allclose(got[DRIVERS], expected[DRIVERS])
    assert table.attrs["r2"] == pytest.approx(model.r2_)


def test_expected_gain_from_statsmodels_wls(table, month):
    """gain_j = b_j · max(target − mean_j, 0) · reach_j; b_j from WLS written out here.

    Design: intercept, a rated indicator per touchpoint, and the rating (0 when not rated);
    outcome: promoter 100, passive 0, detractor −100.
    """
    base = _base(month)
    ratings = base[DRIVERS]
    design = pd.concat(
        [ratings.notna().astype(float).add_prefix("rated_"), ratings.fillna(0.0)], axis=1
    )
    y = np.where(base["nps"] >= 9, 100.0, np.where(base["nps"] <= 6, -100.0, 0.0))
    fit = sm.WLS(y, sm.add_constant(design), weights=base["weight"]).fit()
    by = table.set_index("driver")
    target = table.attrs["target"]
    for driver in DRIVERS:
        gap = max(target - by.loc[driver, "performance"], 0)
        gain = fit.params[driver] * gap * by.loc[driver, "reach"]
        assert by.loc[driver, "expected_gain"] == pytest.approx(gain, abs=1e-8)


def test_expected_gain_interval_refits_each_resample(month):
    """Resample ``b`` takes rows ``rng.integers(0, n, n)`` of ``default_rng(seed)`` (resample
    after resample) with their weights; its gain from a WLS refit on those rows (numpy
    ``lstsq`` on √w-scaled rows), means and reach among them; the interval is the 2.5th and
    97.5th percentiles."""
    table = prioritize(month, weight="weight", n_boot=40, random_state=6).set_index("driver")
    base, target = _base(month), table.attrs["target"]
    ratings = base[DRIVERS].to_numpy()
    rated = ~np.isnan(ratings)
    design = np.column_stack([np.ones(len(base)), rated, np.where(rated, ratings, 0.0)])
    y = np.where(base["nps"] >= 9, 100.0, np.where(base["nps"] <= 6, -100.0, 0.0))
    w = base["weight"].to_numpy()
    rng, gains = np.random.default_rng(6), []
    for _ in range(40):
        rows = rng.integers(0, len(base), len(base))
        root = np.sqrt(w[rows])
        coef = np.linalg.lstsq(design[rows] * root[:, None], y[rows] * root, rcond=None)[0]
        mass = w[rows] @ rated[rows]
        mean = (w[rows] @ np.where(rated, ratings, 0.0)[rows]) / mass
        reach = mass / w[rows].sum()
        gains.append(coef[-len(DRIVERS) :] * np.clip(target - mean, 0, None) * reach)
    low, high = np.percentile(gains, [2.5, 97.5], axis=0)
    got = table.loc[DRIVERS]
    np.testing.assert_allclose(got["expected_gain_low"], low, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got["expected_gain_high"], high, rtol=0, atol=1e-9)


def test_intervals_contain_the_estimates(table):
    for name in ("importance", "performance", "expected_gain"):
        low, high = table[f"{name}_low"], table[f"{name}_high"]
        inside = (low <= table[name] + 1e-12) & (table[name] <= high + 1e-12)
        assert inside.all(), name


def test_bootstrap_reproducible_and_gain_interval_empty_without_it(month):
    one = prioritize(month, n_boot=30, random_state=5)
    two = prioritize(month, n_boot=30, random_state=5)
    pd.testing.assert_frame_equal(one, two)
    none = prioritize(month, n_boot=0)
    assert none["expected_gain_low"].isna().all()
    assert none["importance_low"].isna().all()


def test_explicit_target_and_other_outcome(month):
    table = prioritize(month, outcome="csat", target=4.5, n_boot=0)
    assert table.attrs["target"] == 4.5
    np.testing.assert_allclose(table["gap"], 4.5 - table["performance"])


def test_default_catalog_names_columns_and_unknown_stage(month):
    table = prioritize(month, drivers=["rating_support", "rating_billing"], n_boot=0)
    assert set(table["touchpoint"]) == {"Support", "Billing"}
    assert set(table["stage"]) == {"unknown"}


def test_small_bases_flagged(month):
    table = prioritize(month, n_boot=0, min_n=200)
    by = table.set_index("driver")
    np.testing.assert_array_equal(by["small_sample"], by["n"] < 200)


def test_no_ratings_is_a_clear_error(month):
    with pytest.raises(CxkitError, match=r"no 'rating_\*' columns.*drivers="):
        prioritize(month.drop(columns=DRIVERS), n_boot=0)
    with pytest.raises(CxkitError, match=r"`outcome`.*'score'"):
        prioritize(month, outcome="score", n_boot=0)


def test_stage_summary_by_hand(table, month):
    stages = stage_summary(month, priorities=table, weight="weight")
    assert stages["share"].sum() == pytest.approx(1.0)
    row = stages.set_index("stage").loc["unknown"]  # the default catalog: one stage
    base = _base(month)
    w = base["weight"].to_numpy()
    ratings = base[DRIVERS].to_numpy(float)
    rated = ~np.isnan(ratings)
    assert row["reach"] == pytest.approx(1.0)  # everyone in the base rated something
    mean = np.nansum(ratings * w[:, None]) / (rated * w[:, None]).sum()
    assert row["performance"] == pytest.approx(mean)
    assert row["weakest"] == table.loc[table["performance"].idxmin(), "touchpoint"]
