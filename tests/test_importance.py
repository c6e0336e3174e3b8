"""Importance from a correlation matrix (cxkit._importance) against refitting the regressions.

cxkit never refits: every R² comes from the correlation matrix. These tests refit ordinary
least squares with statsmodels on the data, subset by subset, and build Shapley values from
those fits in two independent ways (the subset-weight formula, and the average over every
order of entry), so that the matrix shortcuts are checked against the definitions.
"""

from __future__ import annotations

from itertools import combinations, permutations
from math import factorial

import numpy as np
import pytest
import statsmodels.api as sm

from cxkit import _importance


def _data(rows: int = 300, k: int = 5, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """Outcome and ``k`` correlated drivers (a shared factor), unequal true slopes."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, k)) + rng.normal(size=(rows, 1))
    y = x @ np.linspace(1.0, 0.1, k) + rng.normal(scale=2.0, size=rows)
    return y, x


def _corr(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.corrcoef(np.column_stack([y, x]), rowvar=False)


def _ols_r2(y: np.ndarray, x: np.ndarray, subset: tuple[int, ...]) -> float:
    if not subset:
        return 0.0
    return sm.OLS(y, sm.add_constant(x[:, list(subset)])).fit().rsquared


def test_subset_r2_equals_statsmodels_for_every_subset():
    y, x = _data(k=4)
    r2 = _importance.subset_r2(_corr(y, x))
    assert r2.shape == (16,) and r2[0] == 0
    for size in range(1, 5):
        for subset in combinations(range(4), size):
            mask = sum(1 << j for j in subset)
            assert r2[mask] == pytest.approx(_ols_r2(y, x, subset), abs=1e-12), subset


def test_shapley_equals_brute_force_with_statsmodels_and_sums_to_r2():
    """φ_j = Σ_{S ⊆ D∖{j}} |S|! (k − |S| − 1)! / k! · (R²(S ∪ {j}) − R²(S)), every R² an
    OLS refit; for k = 5 the weights by |S| = 0..4 are 1/5, 1/20, 1/30, 1/20, 1/5."""
    k = 5
    y, x = _data(k=k)
    weight = {s: factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)}
    assert [weight[s] for s in range(k)] == pytest.approx([1 / 5, 1 / 20, 1 / 30, 1 / 20, 1 / 5])
    r2 = {
        subset: _ols_r2(y, x, subset)
        for size in range(k + 1)
        for subset in combinations(range(k), size)
    }
    brute = [
        sum(
            weight[len(s)] * (r2[tuple(sorted((*s, j)))] - r2[s])
            for size in range(k)
            for s in combinations([i for i in range(k) if i != j], size)
        )
        for j in range(k)
    ]
    shapley = _importance.shapley(_corr(y, x))
    np.testing.assert_allclose(shapley, brute, rtol=0, atol=1e-12)
    full = r2[tuple(range(k))]
    assert shapley.sum() == pytest.approx(full, abs=1e-12)
    assert _importance.r_squared(_corr(y, x)) == pytest.approx(full, abs=1e-12)


def test_shapley_is_the_average_gain_over_every_order_of_entry():
    """LMG's own definition (Lindeman, Merenda & Gold 1980): enter the drivers in each of the
    k! orders, credit each driver with the R² it adds, average; R² refit with statsmodels."""
    k = 4
    y, x = _data(k=k, seed=5)
    gains = np.zeros(k)
    for order in permutations(range(k)):
        before = 0.0
        for position, j in enumerate(order):
            after = _ols_r2(y, x, tuple(sorted(order[: position + 1])))
            gains[j] += after - before
            before = after
    np.testing.assert_allclose(_importance.shapley(_corr(y, x)), gains / factorial(k), atol=1e-12)


def test_regression_equals_statsmodels_on_z_scores():
    y, x = _data()
    z = lambda v: (v - v.mean(axis=0)) / v.std(axis=0, ddof=1)  # noqa: E731
    fit = sm.OLS(z(y), sm.add_constant(z(x))).fit()
    np.testing.assert_allclose(_importance.regression(_corr(y, x)), fit.params[1:], atol=1e-12)
    assert _importance.r_squared(_corr(y, x)) == pytest.approx(fit.rsquared, abs=1e-12)


def test_relative_weights_sum_to_r2_and_reduce_to_squared_correlations():
    """Johnson (2000): the weights sum to R²; with uncorrelated drivers each weight is the
    driver's squared correlation with the outcome, as is each Shapley value."""
    y, x = _data()
    corr = _corr(y, x)
    assert _importance.relative_weights(corr).sum() == pytest.approx(
        _importance.r_squared(corr), abs=1e-12
    )
    r = np.array([0.5, 0.3, -0.1])
    uncorrelated = np.eye(4)
    uncorrelated[0, 1:] = uncorrelated[1:, 0] = r
    np.testing.assert_allclose(_importance.relative_weights(uncorrelated), r**2, atol=1e-15)
    np.testing.assert_allclose(_importance.shapley(uncorrelated), r**2, atol=1e-15)


def test_two_drivers_relative_weights_equal_shapley():
    """With two drivers Johnson's weights and the Shapley values coincide (stated in R rwa's
    vignette "Evaluating the Tonidandel & LeBreton RWA method"). By hand, for r_y1 = 0.6,
    r_y2 = 0.4, r_12 = 0.5: R² = (0.36 + 0.16 − 2·0.6·0.4·0.5) / (1 − 0.25) = 0.28 / 0.75, and
    φ_1 = ½ (0.36 + (R² − 0.16)), φ_2 = ½ (0.16 + (R² − 0.36))."""
    corr = np.array([[1.0, 0.6, 0.4], [0.6, 1.0, 0.5], [0.4, 0.5, 1.0]])
    r2 = 0.28 / 0.75
    by_hand = [0.5 * (0.36 + r2 - 0.16), 0.5 * (0.16 + r2 - 0.36)]
    np.testing.assert_allclose(_importance.shapley(corr), by_hand, atol=1e-15)
    np.testing.assert_allclose(_importance.relative_weights(corr), by_hand, atol=1e-14)


def test_a_stack_of_matrices_and_small_chunks_give_the_same_numbers(monkeypatch):
    """Bootstrap replicates are solved as a stack, in chunks that bound memory: neither may
    change a number. Chunks of 50 values force many chunks per subset size."""
    stack = np.stack([_corr(*_data(k=6, seed=s)) for s in range(3)])
    one_by_one = np.stack([_importance.shapley(c) for c in stack])
    np.testing.assert_allclose(_importance.shapley(stack), one_by_one, atol=1e-14)
    monkeypatch.setattr(_importance, "_CHUNK_VALUES", 50)
    np.testing.assert_allclose(_importance.shapley(stack), one_by_one, atol=1e-14)
    rw = np.stack([_importance.relative_weights(c) for c in stack])
    np.testing.assert_allclose(_importance.relative_weights(stack), rw, atol=1e-14)


def test_one_driver_takes_all_of_r2_which_is_its_squared_correlation():
    """k = 1: the only order of entry gives the driver ``R² = r²``."""
    y, x = _data(k=1)
    corr = _corr(y, x)
    np.testing.assert_allclose(_importance.subset_r2(corr), [0.0, corr[0, 1] ** 2], atol=1e-15)
    np.testing.assert_allclose(_importance.shapley(corr), [corr[0, 1] ** 2], atol=1e-15)
