"""DriverAnalysis: published reference values, equality with statsmodels / scipy / pandas,
behaviour (weights, missing data, bootstrap, the table and its display) and its errors.

Reference data sets are in tests/data (see its README for where each comes from).
"""

from __future__ import annotations

import re
from itertools import combinations
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.correlation_tools import corr_clipped

import cxkit as cx
from cxkit import drivers
from cxkit.errors import CxkitError
from cxkit.synthetic.vocab import TOUCHPOINTS

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def _fit(data, method="shapley", n_boot=0, outcome="y", drivers=("a", "b", "c", "d"), **kw):
    fit_kw = {k: kw.pop(k) for k in ("weight", "missing") if k in kw}
    model = cx.DriverAnalysis(method, n_boot=n_boot, **kw)
    return model.fit(data, outcome=outcome, drivers=list(drivers), **fit_kw)


def _ratings(rows: int = 600, seed: int = 4, gaps: bool = True) -> pd.DataFrame:
    """Outcome ``y`` and four correlated 1–5 ratings ``a..d`` (a shared disposition), with
    unequal true effects; with ``gaps`` each rating is missing for 15–55% of respondents."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=(rows, 1))
    x = np.clip(np.round(3.5 + 0.8 * mood + rng.normal(size=(rows, 4))), 1, 5)
    y = x @ [0.9, 0.5, 0.2, 0.0] + rng.normal(scale=1.5, size=rows)
    frame = pd.DataFrame(x, columns=list("abcd"))
    if gaps:
        frame = frame.mask(rng.random((rows, 4)) < [0.15, 0.3, 0.45, 0.55])
    frame.insert(0, "y", y)
    return frame


# -- published reference values ------------------------------------------------------------


def test_shapley_matches_r_relaimpo_lmg_as_pingouin_quotes_it():
    """R relaimpo on pingouin's ``mediation`` data, quoted in pingouin's tests
    (raphaelvallat/pingouin, tests/test_regression.py, "Compare to R package relaimpo")::

        > lm1 <- lm(Y ~ X + M, data = data); calc.relimp(lm1, type = c("lmg"))
        X 0.05778011  M 0.31521913       (relimp_perc 15.49068, 84.50932)
        > calc.relimp(lm(Y ~ X + M + Ybin, data = data), type = "lmg")
        X 0.06010737  M 0.31724368  Ybin 0.01217479
    """
    data = pd.read_csv(DATA / "mediation.csv")
    two = _fit(data, outcome="Y", drivers=["X", "M"]).importance_
    np.testing.assert_allclose(two["importance"], [0.05778011, 0.31521913], atol=5e-9)
    np.testing.assert_allclose(100 * two["share"], [15.49068, 84.50932], atol=5e-6)
    three = _fit(data, outcome="Y", drivers=["X", "M", "Ybin"]).importance_
    np.testing.assert_allclose(three["importance"], [0.06010737, 0.31724368, 0.01217479], atol=5e-9)


def test_shapley_matches_r_domir_general_dominance_on_mtcars():
    """R domir's vignette "Conceptual Introduction to Dominance Analysis" (CRAN domir,
    inst/doc/domir_basics.html) prints, for
    ``domir(mpg ~ am + cyl + carb, function(f) summary(lm(f, data = mtcars))[["r.squared"]])``::

        Overall Value:      0.8113023
             General Dominance Standardized Ranks
        am           0.2156848    0.2658501     2
        cyl          0.4173094    0.5143698     1
        carb         0.1783081    0.2197801     3

    General dominance statistics are the Shapley values of R² (the vignette says so).
    """
    cars = pd.read_csv(DATA / "mtcars.csv")
    model = _fit(cars, outcome="mpg", drivers=["am", "cyl", "carb"])
    table = model.importance_
    assert model.r2_ == pytest.approx(0.8113023, abs=5e-8)
    np.testing.assert_allclose(table["importance"], [0.2156848, 0.4173094, 0.1783081], atol=5e-8)
    np.testing.assert_allclose(table["share"], [0.2658501, 0.5143698, 0.2197801], atol=5e-8)
    assert table["rank"].tolist() == [2, 1, 3]


def test_shapley_matches_r_dominanceanalysis_on_attitude():
    """R dominanceanalysis' README (github.com/clbustos/dominanceAnalysis) prints, for
    ``dominanceAnalysis(lm(rating ~ ., attitude))``, the average contributions (general
    dominance = LMG) complaints 0.371, privileges 0.051, learning 0.156, raises 0.12,
    critical 0.007, advance 0.028, and the full model's fit 0.733."""
    attitude = pd.read_csv(DATA / "attitude.csv")
    drivers = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
    model = _fit(attitude, outcome="rating", drivers=drivers)
    np.testing.assert_allclose(
        model.importance_["importance"], [0.371, 0.051, 0.156, 0.12, 0.007, 0.028], atol=5e-4
    )
    assert model.r2_ == pytest.approx(0.733, abs=5e-4)


def test_relative_weights_match_r_rwa_readme_on_mtcars():
    """R rwa's README (github.com/martinctc/rwa, "Basic example") prints, for
    ``mtcars %>% rwa(outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"))``::

        $rsquare  0.7791896
          Variables Raw.RelWeight Rescaled.RelWeight
        1       cyl     0.2284797           29.32274
        2      disp     0.2221469           28.50999
        3        hp     0.2321744           29.79691
        4      gear     0.0963886           12.37037
    """
    cars = pd.read_csv(DATA / "mtcars.csv")
    model = _fit(cars, "relative_weights", outcome="mpg", drivers=["cyl", "disp", "hp", "gear"])
    table = model.importance_
    assert model.r2_ == pytest.approx(0.7791896, abs=5e-8)
    np.testing.assert_allclose(
        table["importance"], [0.2284797, 0.2221469, 0.2321744, 0.0963886], atol=5e-8
    )
    np.testing.assert_allclose(
        100 * table["share"], [29.32274, 28.50999, 29.79691, 12.37037], atol=5e-6
    )
    assert table["importance"].sum() == pytest.approx(model.r2_, abs=1e-12)


# -- the same numbers as statsmodels, scipy and pandas --------------------------------------


def test_regression_without_bootstrap_equals_statsmodels_ols_on_z_scores():
    """Listwise, ``method="regression"`` with ``n_boot=0`` is OLS of the z-scored outcome on
    the z-scored drivers: the same coefficients and t intervals as statsmodels; ``coef_`` are
    the slopes of OLS on the raw data, ``r2_`` its R²."""
    data = _ratings()
    model = _fit(data, "regression", missing="listwise")
    complete = data.dropna()
    z = (complete - complete.mean()) / complete.std()
    fit = sm.OLS(z["y"], sm.add_constant(z[list("abcd")])).fit()
    table = model.importance_
    np.testing.assert_allclose(table["importance"], fit.params.iloc[1:], rtol=0, atol=1e-10)
    interval = fit.conf_int(alpha=0.05).iloc[1:]
    np.testing.assert_allclose(table["ci_low"], interval[0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(table["ci_high"], interval[1], rtol=0, atol=1e-10)
    raw = sm.OLS(complete["y"], sm.add_constant(complete[list("abcd")])).fit()
    np.testing.assert_allclose(model.coef_, raw.params.iloc[1:], rtol=1e-10)
    assert model.r2_ == pytest.approx(raw.rsquared, abs=1e-12)
    assert model.n_ == len(complete) and (table["n"] == len(complete)).all()


def test_correlation_without_bootstrap_equals_scipy_pearsonr_fisher_interval():
    """Pairwise, each driver's correlation and interval are scipy's ``pearsonr`` on the rows
    that have both the outcome and that driver (Fisher z interval)."""
    data = _ratings()
    table = _fit(data, "correlation", ci=0.9).importance_
    for j, driver in enumerate("abcd"):
        both = data[["y", driver]].dropna()
        result = stats.pearsonr(both["y"], both[driver])
        interval = result.confidence_interval(confidence_level=0.9)
        assert table["importance"][j] == pytest.approx(result.statistic, abs=1e-12)
        assert table["ci_low"][j] == pytest.approx(interval.low, abs=1e-12)
        assert table["ci_high"][j] == pytest.approx(interval.high, abs=1e-12)
        assert table["n"][j] == len(both)


def test_pairwise_correlation_matrix_equals_pandas():
    """``_moments.corr`` is pandas' pairwise-complete ``DataFrame.corr`` over the rows that
    have the outcome (the others are left out, with a note)."""
    data = _ratings()
    data.loc[data.index[:40], "y"] = np.nan
    model = _fit(data)
    with_outcome = data[data["y"].notna()]
    np.testing.assert_allclose(model._moments.corr, with_outcome.corr(), rtol=0, atol=1e-12)
    assert "40 rows without 'y' were left out." in model.notes_


def test_shapley_and_relative_weights_sum_to_r2_on_sparse_data():
    data = _ratings(seed=9)
    for method in ("shapley", "relative_weights"):
        model = _fit(data, method)
        assert model.importance_["importance"].sum() == pytest.approx(model.r2_, abs=1e-12)
        assert 0 < model.r2_ < 1


def _shapley_by_subsets(r2, k: int) -> np.ndarray:
    """φ_j = Σ_{S ⊆ D∖{j}} |S|! (k − |S| − 1)! / k! · (R²(S ∪ {j}) − R²(S)), written out over
    every subset, with ``r2(subset)`` the R² of a tuple of driver numbers."""
    fits = {s: r2(s) for size in range(k + 1) for s in combinations(range(k), size)}
    weights = [factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)]
    return np.array(
        [
            sum(
                weights[len(s)] * (fits[tuple(sorted((*s, j)))] - fits[s])
                for s in fits
                if j not in s
            )
            for j in range(k)
        ]
    )


def _corr_r2(corr: np.ndarray, subset: tuple[int, ...]) -> float:
    """R² = r_Sᵀ R_SS⁻¹ r_S of the outcome (row 0) on drivers ``subset`` (rows 1..k)."""
    idx = [1 + i for i in subset]
    r = corr[0, idx]
    return float(r @ np.linalg.lstsq(corr[np.ix_(idx, idx)], r, rcond=None)[0]) if idx else 0.0


def test_shapley_from_pairwise_moments_equals_brute_force_on_the_same_correlations():
    """Shapley weights written out (k = 4: |S| = 0..3 weigh 1/4, 1/12, 1/12, 1/4) over the R²
    of every subset, each from pandas' pairwise correlations (R² = r_Sᵀ R_SS⁻¹ r_S)."""
    data = _ratings(seed=2)
    corr = data.corr().to_numpy()
    weights = [factorial(s) * factorial(3 - s) / factorial(4) for s in range(4)]
    assert weights == pytest.approx([1 / 4, 1 / 12, 1 / 12, 1 / 4])
    brute = _shapley_by_subsets(lambda s: _corr_r2(corr, s), 4)
    np.testing.assert_allclose(_fit(data).importance_["importance"], brute, atol=1e-12)


# -- weights ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["correlation", "shapley"])
def test_integer_weights_equal_rows_repeated_that_many_times(method):
    data = _ratings(rows=300, seed=6)
    data["w"] = np.random.default_rng(3).integers(0, 4, len(data))
    weighted = _fit(data, method, weight="w")
    repeated = _fit(data.loc[data.index.repeat(data["w"])], method)
    np.testing.assert_allclose(
        weighted.importance_["importance"], repeated.importance_["importance"], atol=1e-12
    )
    assert weighted.r2_ == pytest.approx(repeated.r2_, abs=1e-12)


def test_weighted_correlation_interval_uses_kish_effective_n():
    """Fisher z interval with n_eff = n_j · (Σw)² / Σw² / n, Kish's design effect over the n
    rows used, written out here; equal weights give the unweighted interval (n_eff = n_j)."""
    data = _ratings(rows=300, seed=6)
    data["w"] = np.random.default_rng(3).uniform(0.5, 2.0, len(data))
    w = data["w"][data[list("abcd")].notna().any(axis=1)]  # rows that rate something
    table = _fit(data, "correlation", weight="w").importance_
    z = stats.norm.ppf(0.975)
    for j, driver in enumerate("abcd"):
        both = data[["y", driver, "w"]].dropna()
        mean = np.average(both[["y", driver]], axis=0, weights=both["w"])
        cov = np.cov(both[["y", driver]] - mean, rowvar=False, aweights=both["w"], ddof=0)
        r = cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1])
        n_eff = len(both) * w.sum() ** 2 / (w**2).sum() / len(w)
        half = z / np.sqrt(n_eff - 3)
        assert table["importance"][j] == pytest.approx(r, abs=1e-12)
        assert table["ci_low"][j] == pytest.approx(np.tanh(np.arctanh(r) - half), abs=1e-12)
        assert table["ci_high"][j] == pytest.approx(np.tanh(np.arctanh(r) + half), abs=1e-12)
    equal = _fit(data.assign(w=2.5), "correlation", weight="w").importance_
    plain = _fit(data, "correlation").importance_
    pd.testing.assert_frame_equal(equal, plain, atol=1e-12, rtol=0)


# -- missing data ----------------------------------------------------------------------------


def test_pairwise_keeps_sparse_rows_and_reports_n_per_driver():
    data = _ratings()
    model = _fit(data)
    expected_n = [int((data["y"].notna() & data[d].notna()).sum()) for d in "abcd"]
    assert model.importance_["n"].tolist() == expected_n
    rates_some = int(data[list("abcd")].notna().any(axis=1).sum())
    assert model.n_ == rates_some > 5 * len(data.dropna())  # far more than the complete rows
    assert model.notes_ == [
        f"{len(data) - rates_some} rows with 'y' rate none of the drivers and were left out."
    ]


def test_listwise_uses_only_complete_rows_and_says_how_many_it_left_out():
    data = _ratings()
    model = _fit(data, missing="listwise")
    complete = len(data.dropna())
    assert model.n_ == complete and (model.importance_["n"] == complete).all()
    rates_some = int(data[list("abcd")].notna().any(axis=1).sum())
    assert model.notes_ == [
        f"{len(data) - rates_some} rows with 'y' rate none of the drivers and were left out.",
        f"Listwise: {complete:,} of {rates_some:,} rows rate every driver; "
        f"the other {rates_some - complete:,} were left out.",
    ]
    assert model.importance_["importance"].tolist() == pytest.approx(
        _fit(data.dropna()).importance_["importance"].tolist(), abs=1e-12
    )


def _inconsistent_pairs(seed: int = 2, rows: int = 60) -> pd.DataFrame:
    """Three drivers never rated all together: a and b move together in one group of
    respondents, b and c in another, a and c oppositely in a third. No data set has such a
    correlation matrix: it is not positive semi-definite."""
    rng = np.random.default_rng(seed)

    def pair(first: str, second: str, sign: float) -> pd.DataFrame:
        t = rng.normal(size=rows)
        noise = rng.normal(size=(2, rows))
        return pd.DataFrame({first: t + noise[0], second: sign * t + noise[1]})

    frame = pd.concat(
        [pair("a", "b", 1.0), pair("b", "c", 1.0), pair("a", "c", -1.0)], ignore_index=True
    )
    frame["y"] = frame.fillna(0).sum(axis=1) + 2 * rng.normal(size=len(frame))
    return frame


def test_a_non_psd_pairwise_matrix_is_replaced_by_the_nearest_correlation_matrix():
    data = _inconsistent_pairs()
    smallest = np.linalg.eigvalsh(data[["y", "a", "b", "c"]].corr())[0]
    assert smallest < -0.1
    model = _fit(data, drivers=["a", "b", "c"])
    assert model.notes_ == [
        "The pairwise correlation matrix was not positive semi-definite (smallest "
        f"eigenvalue {smallest:.2g}); the nearest correlation matrix was used (Higham 2002)."
    ]
    table = model.importance_
    assert (table["importance"] >= 0).all() and model.r2_ <= 1
    assert table["importance"].sum() == pytest.approx(model.r2_, abs=1e-9)


def test_the_corrected_matrix_does_not_claim_a_perfect_fit():
    """y = a + b + c + 2·noise: each group of respondents fits about R² = 0.6 (a + b has
    variance 6 against the noise's 4), and R² near 1 is not in the data. A repair that puts
    the matrix on the PSD boundary (smallest eigenvalue ~0, as corr_nearest's threshold 1e-6
    did) makes the outcome an almost exact combination of the drivers: R² 0.9999 here."""
    model = _fit(_inconsistent_pairs(), drivers=["a", "b", "c"])
    assert model.r2_ < 0.9


# -- bootstrap -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["shapley", "relative_weights", "regression", "correlation"])
def test_bootstrap_is_reproducible_and_its_interval_contains_the_estimate(method):
    data = _ratings(rows=400)
    first = _fit(data, method, n_boot=150, random_state=7).importance_
    again = _fit(data, method, n_boot=150, random_state=7).importance_
    other = _fit(data, method, n_boot=150, random_state=8).importance_
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["ci_low"], other["ci_low"])
    assert (first["ci_low"] <= first["importance"]).all()
    assert (first["importance"] <= first["ci_high"]).all()
    assert (first["ci_low"] < first["ci_high"]).all()


def test_bootstrap_intervals_are_percentiles_of_the_resamples():
    """Percentile intervals (Efron & Tibshirani 1993, ch. 13): for ci = 0.9, the 5th and 95th
    percentiles of the resampled importances. For a correlation in a large sample they are
    close to Fisher's interval (its width within ±12%, 1,000 resamples)."""
    data = _ratings(rows=2000, seed=1)
    model = _fit(data, "correlation", n_boot=1000, random_state=2, ci=0.9)
    assert set(model._boot) == {"importance"} and model._boot["importance"].shape == (1000, 4)
    low, high = np.percentile(model._boot["importance"], [5, 95], axis=0)
    np.testing.assert_allclose(model.importance_["ci_low"], low, rtol=0, atol=1e-15)
    np.testing.assert_allclose(model.importance_["ci_high"], high, rtol=0, atol=1e-15)
    fisher = _fit(data, "correlation", n_boot=0, ci=0.9).importance_
    ratio = (high - low) / (fisher["ci_high"] - fisher["ci_low"])
    assert ratio.between(0.88, 1.12).all(), ratio  # an 80% interval would be at 0.78


def test_survey_weights_travel_with_resampled_respondents():
    """Two groups: in one, ``a`` moves the outcome strongly, in the other not at all; weight 5
    on the first. The weighted correlation is far from the unweighted one, and the bootstrap
    of the weighted fit is centred on the weighted estimate."""
    rng = np.random.default_rng(21)
    group = np.repeat([1.0, 0.0], 1000)
    x = rng.normal(size=(2000, 2))
    y = 1.5 * group * x[:, 0] + 0.3 * x[:, 1] + rng.normal(size=2000)
    data = pd.DataFrame({"y": y, "a": x[:, 0], "b": x[:, 1], "w": 1 + 4 * group})
    weighted = _fit(data, "correlation", n_boot=300, random_state=2, weight="w", drivers=["a", "b"])
    plain = _fit(data, "correlation", drivers=["a", "b"]).importance_
    table = weighted.importance_
    assert (table["ci_low"] < table["importance"]).all()
    assert (table["importance"] < table["ci_high"]).all()
    assert plain["importance"][0] < table["ci_low"][0] - 0.05  # unweighted: well outside


def _wls_r2(y: np.ndarray, x: np.ndarray, w: np.ndarray, subset: tuple[int, ...]) -> float:
    """R² of weighted least squares with an intercept (numpy ``lstsq`` on √w-scaled rows)."""
    if not subset:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x[:, list(subset)]])
    root = np.sqrt(w)
    beta = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]
    centred = y - np.average(y, weights=w)
    return 1 - (w * (y - design @ beta) ** 2).sum() / (w * centred**2).sum()


def test_bootstrap_shapley_equals_weighted_refits_of_every_subset_in_each_resample():
    """Resample ``b`` takes rows ``rng.integers(0, n, n)`` of ``default_rng(seed)``, resample
    after resample, with their survey weights. Written out here: each resample's Shapley
    values from a WLS refit of every subset on its rows, and the 2.5th/97.5th percentiles."""
    data = _ratings(rows=150, seed=9, gaps=False)
    data["w"] = np.random.default_rng(1).uniform(0.5, 2.0, len(data))
    model = _fit(data, n_boot=40, random_state=5, weight="w")
    y, x, w = data["y"].to_numpy(), data[list("abcd")].to_numpy(), data["w"].to_numpy()
    rng, expected = np.random.default_rng(5), []
    for _ in range(40):
        rows = rng.integers(0, len(data), len(data))
        expected.append(_shapley_by_subsets(lambda s, r=rows: _wls_r2(y[r], x[r], w[r], s), 4))
    np.testing.assert_allclose(model._boot["importance"], expected, rtol=0, atol=1e-9)
    low, high = np.percentile(expected, [2.5, 97.5], axis=0)
    np.testing.assert_allclose(model.importance_["ci_low"], low, rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.importance_["ci_high"], high, rtol=0, atol=1e-9)


def test_bootstrap_with_gaps_uses_each_resamples_pairwise_correlations():
    """Sparse ratings: each resample's correlations are pandas' pairwise ones on its rows;
    where they are not positive semi-definite, statsmodels' ``corr_clipped`` at 0.05 repairs
    them. Shapley values from every subset's R² (numpy ``lstsq``) on that matrix."""
    data = _ratings(rows=60, seed=3)
    data = data[data[list("abcd")].notna().any(axis=1)].reset_index(drop=True)
    model = _fit(data, n_boot=60, random_state=4)
    rng, expected, repaired = np.random.default_rng(4), [], 0
    for _ in range(60):
        corr = data.iloc[rng.integers(0, len(data), len(data))].corr().to_numpy()
        if np.linalg.eigvalsh(corr)[0] < -1e-10:
            corr, repaired = corr_clipped(corr, threshold=0.05), repaired + 1
        expected.append(_shapley_by_subsets(lambda s, c=corr: _corr_r2(c, s), 4))
    assert 0 < repaired < 60  # both kinds of resample are checked
    assert model.notes_[-1].startswith(f"{repaired} of 60 bootstrap resamples gave")
    np.testing.assert_allclose(model._boot["importance"], expected, rtol=0, atol=1e-9)


def test_repairing_a_stack_of_resamples_equals_statsmodels_corr_clipped_on_each():
    """Resamples that are not positive semi-definite are repaired together, as statsmodels'
    ``corr_clipped(threshold=0.05)`` repairs each one."""
    rng = np.random.default_rng(6)
    noise = rng.uniform(-0.95, 0.95, (20, 6, 6))
    stack = (noise + np.swapaxes(noise, 1, 2)) / 2
    stack[:, range(6), range(6)] = 1.0
    stack = stack[np.linalg.eigvalsh(stack)[:, 0] < 0]
    assert len(stack) >= 10
    expected = [corr_clipped(m, threshold=0.05) for m in stack]
    np.testing.assert_allclose(drivers._clip_eigenvalues(stack, 0.05), expected, atol=1e-14)


def test_without_bootstrap_shapley_and_relative_weights_have_no_intervals():
    for method in ("shapley", "relative_weights"):
        model = _fit(_ratings(), method, n_boot=0)
        assert model.importance_[["ci_low", "ci_high"]].isna().all().all()
        assert model._boot is None


def test_a_resample_in_which_drivers_happen_to_be_collinear_is_left_out():
    """``b`` equals ``a`` but in one row; resamples without that row cannot tell them apart.
    The data can, so the fit goes on without those resamples and says how many."""
    rng = np.random.default_rng(0)
    a = rng.integers(1, 6, 60).astype(float)
    b = a.copy()
    b[0] += 1
    c = rng.integers(1, 6, 60).astype(float)
    data = pd.DataFrame({"y": a + c + rng.normal(size=60), "a": a, "b": b, "c": c})
    model = _fit(data, n_boot=100, random_state=1, drivers=["a", "b", "c"])
    (note,) = model.notes_
    left_out = int(re.match(r"(\d+) of 100 bootstrap resamples could not be used", note)[1])
    assert 0 < left_out < 50 and len(model._boot["importance"]) == 100 - left_out


# -- the table and how it shows --------------------------------------------------------------


def test_share_rank_and_summary():
    model = _fit(_ratings(), "regression")
    table = model.importance_
    assert table["driver"].tolist() == list("abcd")
    assert table["share"].sum() == pytest.approx(1, abs=1e-12)
    size = table["importance"].abs()
    assert table["share"].tolist() == pytest.approx((size / size.sum()).tolist())
    assert sorted(table["rank"]) == [1, 2, 3, 4]
    assert table.sort_values("rank")["importance"].abs().is_monotonic_decreasing
    assert model.summary["rank"].tolist() == [1, 2, 3, 4]
    assert model.summary["driver"].tolist() == table.sort_values("rank")["driver"].tolist()
    columns = ["driver", "importance", "share", "ci_low", "ci_high", "rank", "n"]
    assert list(table.columns) == columns


def test_repr_and_html_escape_what_the_data_names():
    data = _ratings().rename(columns={"y": "<b>nps</b>", "a": "<script>x</script>"})
    data.loc[data.index[:3], "<b>nps</b>"] = np.nan
    model = _fit(data, outcome="<b>nps</b>", drivers=["<script>x</script>", "b", "c", "d"])
    text = repr(model)
    assert text.startswith(
        f"Shapley (LMG) importance of 4 drivers of '<b>nps</b>': R² = {model.r2_:.3f}, "
        f"n = {model.n_:,} (pairwise)"
    )
    assert "3 rows without '<b>nps</b>' were left out." in text
    html = model._repr_html_()
    assert "<script>" not in html and "<b>nps" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;b&gt;nps&lt;/b&gt;" in html
    fresh = cx.DriverAnalysis("correlation", n_boot=0)
    assert repr(fresh) == "DriverAnalysis(method='correlation', n_boot=0) (not fitted)"
    with pytest.raises(CxkitError, match=r"not fitted yet: call \.fit\(data, \.\.\.\) first"):
        fresh.summary  # noqa: B018


# -- errors ----------------------------------------------------------------------------------


def test_a_driver_without_variance_is_named():
    data = _ratings().assign(d=4.0)
    with pytest.raises(CxkitError, match=r"'d' has no variance \(\d+ values, all equal"):
        _fit(data)
    with pytest.raises(CxkitError, match=r"'d' has no variance \(no values"):
        _fit(data.assign(d=np.nan))


def test_fewer_usable_rows_than_drivers_plus_two():
    data = _ratings(gaps=False).head(5)
    with pytest.raises(CxkitError, match=r"Only 5 usable rows for 4 drivers; .* drivers \+ 2 = 6"):
        _fit(data)


def test_a_text_driver_is_named_with_the_way_to_map_it():
    data = _ratings().assign(c=lambda f: f["c"].map({1: "bad", 5: "great"}).fillna("ok"))
    with pytest.raises(CxkitError, match=r"Driver column 'c' must hold numbers.*column mapping"):
        _fit(data)


def test_shapley_takes_at_most_20_drivers_and_suggests_relative_weights():
    rng = np.random.default_rng(1)
    data = pd.DataFrame(rng.normal(size=(100, 22)), columns=["y", *(f"x{i}" for i in range(21))])
    drivers = [f"x{i}" for i in range(21)]
    with pytest.raises(CxkitError, match=r"at most 20 drivers .* got 21\. Use method='relati"):
        _fit(data, drivers=drivers)
    assert len(_fit(data, "relative_weights", drivers=drivers).importance_) == 21


@pytest.mark.parametrize(
    ("settings", "fit_kw", "message"),
    [
        ({"method": "dominance"}, {}, r"`method` must be one of 'shapley', 'relative_weights'"),
        ({"n_boot": -1}, {}, r"`n_boot` must be a whole number ≥ 0; got -1"),
        ({"n_boot": 2.5}, {}, r"`n_boot` must be a whole number ≥ 0; got 2\.5"),
        ({"n_boot": "100"}, {}, r"`n_boot` must be a whole number ≥ 0; got '100'"),
        ({"n_boot": None}, {}, r"`n_boot` must be a whole number ≥ 0; got None"),
        ({"ci": 95}, {}, r"`ci` must be between 0 and 1"),
        ({}, {"drivers": ["a", "nope"]}, r"`drivers`: column\(s\) \['nope'\] not found"),
        ({}, {"outcome": "nps"}, r"`outcome`: column\(s\) \['nps'\] not found"),
        ({}, {"drivers": "abcd"}, r"`drivers` must be a list of column names; got 'abcd'"),
        ({}, {"drivers": ["a", "y"]}, r"distinct columns other than the `outcome`"),
        ({}, {"missing": "drop"}, r"`missing` must be one of 'pairwise', 'listwise'"),
        ({}, {"weight": "w"}, r"`weight`: column\(s\) \['w'\] not found"),
    ],
)
def test_bad_settings_are_named(settings, fit_kw, message):
    with pytest.raises(CxkitError, match=message):
        model = cx.DriverAnalysis(**settings)
        model.fit(_ratings(rows=50), **{"outcome": "y", "drivers": list("abcd"), **fit_kw})


def test_a_negative_weight_is_named_with_its_row():
    data = _ratings().assign(w=1.0)
    data.loc[7, "w"] = -1
    with pytest.raises(CxkitError, match=r"`w`: 1 row\(s\) .* negative weight \(index 7\)"):
        _fit(data, weight="w")


def test_collinear_drivers_are_named():
    data = _ratings(gaps=False).assign(d=lambda f: f["a"] + f["b"])
    with pytest.raises(CxkitError, match=r"Drivers \['a', 'b', 'd'\] are collinear"):
        _fit(data)


# -- the sample client's planted truths ------------------------------------------------------


def test_shapley_intervals_on_the_sample_data_do_not_contradict_the_planted_order():
    """data/samples/responses.csv plants NPS weights per touchpoint (cxkit.synthetic.vocab:
    onboarding 0.9 > support 0.8 > delivery 0.6 > billing 0.45 > app 0.3 > pricing 0.2 >
    website 0.05 > the rest 0). Shapley estimates rank the six largest 1..6 in that order; and
    no driver planted lower has an interval wholly above one planted higher."""
    planted = {f"rating_{t.key}": t.weight for t in TOUCHPOINTS}
    responses = pd.read_csv(SAMPLES / "responses.csv")
    drivers = list(planted)
    model = _fit(
        responses, outcome="nps", drivers=drivers, weight="weight", n_boot=200, random_state=3
    )
    table = model.importance_.set_index("driver")
    six = sorted(planted, key=planted.get, reverse=True)[:6]
    assert table.loc[six, "rank"].tolist() == [1, 2, 3, 4, 5, 6]
    contradictions = [
        (low, high)
        for low in planted
        for high in planted
        if planted[low] < planted[high] and table["ci_low"][low] > table["ci_high"][high]
    ]
    assert contradictions == []
