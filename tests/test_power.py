"""Sample sizes and power against R's pwr package and statsmodels.

Reference values marked "pwr vignette" are quoted from "Getting started with the pwr package"
(Clay Ford; vignettes/pwr-vignette.Rmd of the R package pwr, github.com/heliosdrm/pwr), which
gives the R call and the rounded result in its text.
"""

import math

import numpy as np
import pytest
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from cxkit.errors import CxkitError
from cxkit.experiments import SampleSize, power, sample_size

NPS_MIX = {"promoters": 45, "passives": 35, "detractors": 20}


def test_two_proportions_match_pwr_2p_test():
    """pwr vignette, pwr.2p.test.

    pwr.2p.test(h = ES.h(p1 = 0.55, p2 = 0.50), sig.level = 0.05, power = .80)
        "We need to sample 1,565 males and 1,565 females"
    pwr.2p.test(h = ES.h(p1 = 0.10, p2 = 0.05), sig.level = 0.05, power = .80)
        "the optimum sample size is now 424 per group"
    """
    assert sample_size(metric="proportion", baseline=50, minimum_effect=5).n_required == 1565
    assert sample_size(metric="conversion", baseline=5, minimum_effect=5).n_required == 424
    # the same with the effect going down: only the size of h matters two-sided
    assert sample_size(metric="retention", baseline=55, minimum_effect=-5).n_required == 1565


def test_cohen_h_is_the_arcsine_difference():
    """Cohen (1988), ch. 6: h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1)), written out here."""
    res = sample_size(metric="csat", baseline=50, minimum_effect=5)
    h = 2 * math.asin(math.sqrt(0.55)) - 2 * math.asin(math.sqrt(0.50))
    assert res.effect_size == pytest.approx(h, rel=1e-12)
    # the normal-approximation sample size n = 2 ((z_{1-a/2} + z_{power}) / h)^2 (ignoring the
    # far tail, which is negligible here): 2 * ((1.959964 + 0.841621) / 0.100167)^2
    assert res.n == pytest.approx(2 * ((1.959964 + 0.841621) / h) ** 2, rel=1e-4)


def test_unequal_groups_match_pwr_2p2n_test():
    """pwr vignette, pwr.2p2n.test.

    pwr.2p2n.test(h = 0.2, n1 = 543, n2 = 675, sig.level = 0.05)
        "The power of our test ... is about 93%."
    Here baseline 50 % and a change of +9.97 pp give h = 0.2 (2 asin(sqrt(.5997)) - pi/2).
    """
    effect = 100 * (math.sin((0.2 + math.pi / 2) / 2) ** 2) - 50  # h = 0.2 solved for p2
    got = power(metric="proportion", baseline=50, minimum_effect=effect, n=543, ratio=675 / 543)
    assert round(got, 2) == 0.93


def test_means_match_pwr_t_test():
    """pwr vignette, pwr.t.test.

    pwr.t.test(n = 30, d = 0.5, sig.level = 0.05)          "Only 48%."
    pwr.t.test(d = 0.5, power = 0.80, sig.level = 0.05)    "About 64 per group."
    pwr.t.test(d = 0.75/2.25, power = 0.80, sig.level = 0.05)
        "we should sample at least 143 per group"
    """
    assert round(power(metric="mean", baseline=0, minimum_effect=0.5, sd=1, n=30), 2) == 0.48
    assert sample_size(metric="mean", baseline=0, minimum_effect=0.5, sd=1).n_required == 64
    handle = sample_size(metric="handle_time", baseline=4.0, minimum_effect=0.75, sd=2.25)
    assert handle.n_required == 143


def test_small_effect_of_pwr_2p_test():
    """pwr vignette: pwr.2p.test(h = 0.2, sig.level = 0.05, power = .80) "about 393".

    Checked through statsmodels directly and through our h for a matching pair of proportions.
    """
    n = NormalIndPower().solve_power(0.2, nobs1=None, alpha=0.05, power=0.8)
    assert math.ceil(n) == 393
    effect = 100 * (math.sin((0.2 + math.pi / 2) / 2) ** 2) - 50
    assert sample_size(metric="proportion", baseline=50, minimum_effect=effect).n_required == 393


def test_nps_uses_the_code_variance_at_the_baseline_mix():
    """Hand calculation: 45 % promoters, 20 % detractors.

    Var of the -1/0/+1 codes = p + d - (p - d)^2 = 0.45 + 0.20 - 0.25^2 = 0.5875; a 10-point
    effect is 0.10 / sqrt(0.5875) = 0.130466 standard deviations; statsmodels NormalIndPower
    gives the n for that effect size.
    """
    res = sample_size(metric="nps", baseline=NPS_MIX, minimum_effect=10)
    d = 0.10 / math.sqrt(0.5875)
    assert res.effect_size == pytest.approx(d, rel=1e-12)
    expected = NormalIndPower().solve_power(d, nobs1=None, alpha=0.05, power=0.8)
    assert res.n == pytest.approx(expected, rel=1e-9)
    assert res.n_required == math.ceil(expected) == 923


def test_ratio_gives_the_treatment_group_its_own_size():
    """statsmodels TTestIndPower with ratio = n2 / n1 is the reference."""
    res = sample_size(metric="ces", baseline=5.0, minimum_effect=0.3, sd=1.4, ratio=2.0)
    n1 = TTestIndPower().solve_power(0.3 / 1.4, nobs1=None, alpha=0.05, power=0.8, ratio=2.0)
    assert res.n == pytest.approx(n1, rel=1e-9)
    assert res.n_treatment == pytest.approx(2 * n1, rel=1e-9)
    assert (res.n_required, res.n_treatment_required) == (math.ceil(n1), math.ceil(2 * n1))


def test_power_is_the_inverse_of_sample_size():
    res = sample_size(metric="nps", baseline=NPS_MIX, minimum_effect=-8, power=0.9, alpha=0.01)
    got = power(metric="nps", baseline=NPS_MIX, minimum_effect=-8, n=res.n, alpha=0.01)
    assert got == pytest.approx(0.9, abs=1e-6)


def test_one_sided_needs_fewer():
    """pwr vignette: one-sided tests need fewer (23 vs 29 flips in its one-sample example)."""
    two = sample_size(metric="proportion", baseline=50, minimum_effect=5)
    one = sample_size(metric="proportion", baseline=50, minimum_effect=5, alternative="larger")
    assert one.n < two.n
    expected = NormalIndPower().solve_power(
        one.effect_size, nobs1=None, alpha=0.05, power=0.8, alternative="larger"
    )
    assert one.n == pytest.approx(expected, rel=1e-9)


def test_result_is_readable():
    res = sample_size(metric="proportion", baseline=50, minimum_effect=5)
    assert isinstance(res, SampleSize)
    assert "1565" in repr(res)
    assert list(res.summary.columns)[:3] == ["metric", "minimum_effect", "effect_size"]
    assert "<table" in res._repr_html_()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(metric="proportion", baseline=50, minimum_effect=0), "non-zero"),
        (dict(metric="proportion", baseline=50, minimum_effect=np.nan), "non-zero"),
        (dict(metric="proportion", baseline=120, minimum_effect=5), "between 0 and 100"),
        (dict(metric="conversion", baseline=98, minimum_effect=5), "baseline \\+ minimum_effect"),
        (dict(metric="ces", baseline=5, minimum_effect=0.3), "`sd` is needed"),
        (dict(metric="ces", baseline=5, minimum_effect=0.3, sd=0), "`sd` is needed"),
        (dict(metric="nps", baseline=30, minimum_effect=5), "mix of answers"),
        (
            dict(
                metric="nps",
                baseline={"promoters": 50, "passives": 30, "detractors": 30},
                minimum_effect=5,
            ),
            "sum to 100",
        ),
        (dict(metric="revenue", baseline=5, minimum_effect=1), "`metric` must be one of"),
        (dict(metric="proportion", baseline=50, minimum_effect=5, power=1.2), "`power`"),
        (dict(metric="proportion", baseline=50, minimum_effect=5, ratio=0), "`ratio`"),
        (
            dict(metric="proportion", baseline=50, minimum_effect=-5, alternative="larger"),
            "other direction",
        ),
        (dict(metric="proportion", baseline=50, minimum_effect=5, alternative="greater"), "one of"),
    ],
)
def test_impossible_inputs_say_what_to_do(kwargs, match):
    with pytest.raises(CxkitError, match=match):
        sample_size(**kwargs)
