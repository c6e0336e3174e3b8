"""The comparison core and rate estimates (cxkit._estimates) against published values."""

import math
from statistics import NormalDist

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from cxkit._estimates import (
    Estimate,
    adjust,
    difference,
    holm,
    rate_columns,
    significant_mask,
    z_value,
)
from cxkit.errors import CxkitError


def test_difference_normal_by_hand():
    a = Estimate(np.array([100.0]), np.array([0.30]), np.array([0.04]), np.array([0.30]))
    b = Estimate(np.array([120.0]), np.array([0.45]), np.array([0.03]), np.array([0.45]))
    d = difference(a, b, ci=0.95, scale=100)
    se = math.hypot(0.04, 0.03)  # 0.05
    z = (0.45 - 0.30) / se  # 3.0
    assert d.difference[0] == pytest.approx(15.0)
    assert d.se[0] == pytest.approx(5.0)
    assert d.p_value[0] == pytest.approx(2 * (1 - NormalDist().cdf(z)))
    half = NormalDist().inv_cdf(0.975) * se * 100
    assert (d.ci_low[0], d.ci_high[0]) == (pytest.approx(15 - half), pytest.approx(15 + half))


def test_difference_without_a_standard_error_is_not_tested():
    a = Estimate(np.array([10.0]), np.array([4.0]), np.array([np.nan]), np.array([4.0]))
    d = difference(a, a)
    assert np.isnan(d.p_value[0]) and d.difference[0] == 0


def test_adjust_matches_statsmodels_and_keeps_missing_values_missing():
    p = np.array([0.01, np.nan, 0.04, 0.03])
    expected = multipletests([0.01, 0.04, 0.03], method="holm")[1]  # 0.03, 0.06, 0.06
    out = adjust(p, "holm")
    np.testing.assert_allclose(out[[0, 2, 3]], expected)
    assert np.isnan(out[1])
    # Holm by hand: sorted 0.01, 0.03, 0.04 -> 3 x 0.01, max(0.03, 2 x 0.03), max(0.06, 0.04)
    np.testing.assert_allclose(out[[0, 3, 2]], [0.03, 0.06, 0.06])
    assert significant_mask(out, 0.05).tolist() == [True, False, False, False]


def test_holm_equals_statsmodels_on_many_families():
    """Families of 1-40 p-values, with ties, values near 1 and exact zeros."""
    rng = np.random.default_rng(7)
    for size in [1, 2, 3, 5, 12, 40] * 4:  # (each statsmodels call collects garbage: slow)
        p = rng.choice([0.0, 0.02, 0.5, 1.0], size=size)  # ties
        p = np.where(rng.uniform(size=size) < 0.6, rng.uniform(0, 1, size), p)
        expected = multipletests(p, method="holm")[1]
        np.testing.assert_array_equal(holm(p), expected)
        np.testing.assert_array_equal(adjust(p, "holm"), expected)


def test_adjust_other_methods_are_statsmodels():
    p = np.array([0.01, 0.04, 0.03, 0.2])
    for method in ("fdr_bh", "bonferroni", "hommel"):
        np.testing.assert_array_equal(adjust(p, method), multipletests(p, method=method)[1])


def test_difference_welch_t_equals_scipy():
    """Welch's t: the special functions give scipy.stats.t's interval and p-value."""
    from scipy import stats

    a = Estimate(
        np.array([12.0, 40, 3]),
        np.array([3.1, 4.2, 5.0]),
        np.array([0.4, 0.1, 0.9]),
        np.array([3.1, 4.2, 5.0]),
        df=np.array([11.0, 39, 2]),
    )
    b = Estimate(
        np.array([9.0, 55, 4]),
        np.array([3.9, 4.0, 2.0]),
        np.array([0.5, 0.15, 1.2]),
        np.array([3.9, 4.0, 2.0]),
        df=np.array([8.0, 54, 3]),
    )
    d = difference(a, b, ci=0.9)
    se = np.hypot(a.se, b.se)
    df = se**4 / (a.se**4 / a.df + b.se**4 / b.df)  # Welch-Satterthwaite
    crit = stats.t.ppf(0.95, df)
    np.testing.assert_allclose(d.p_value, 2 * stats.t.sf(np.abs((b.center - a.center) / se), df))
    np.testing.assert_allclose(d.ci_low, b.center - a.center - crit * se)
    np.testing.assert_allclose(d.ci_high, b.center - a.center + crit * se)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, Wilson score interval
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611)],
)
def test_rate_columns_wilson_matches_newcombe(successes, n, low, high):
    cols = rate_columns(np.array([successes]), np.array([n]), 0.95)
    assert cols["value"][0] == pytest.approx(100 * successes / n)
    assert cols["se"][0] == pytest.approx(100 * math.sqrt(successes / n * (1 - successes / n) / n))
    assert cols["ci_low"][0] / 100 == pytest.approx(low, abs=5e-5)
    assert cols["ci_high"][0] / 100 == pytest.approx(high, abs=5e-5)


def test_rate_columns_with_no_trials_has_no_interval():
    cols = rate_columns(np.array([0]), np.array([0]), 0.95)
    assert np.isnan(cols["value"][0]) and np.isnan(cols["ci_low"][0])


def test_z_value_checks_the_level():
    assert z_value(0.95) == pytest.approx(NormalDist().inv_cdf(0.975))
    with pytest.raises(CxkitError, match=r"`ci` must be between 0 and 1"):
        z_value(95)
