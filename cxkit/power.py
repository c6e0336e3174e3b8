"""How many customers does a fair test need? Sample size and power of a two-group test.

Three families of metric, each with the effect size of the test that will judge it:

- a proportion (conversion, retention, churn, CSAT as top-2-box share): Cohen's h and the
  normal test of two proportions, as R's ``pwr.2p.test`` / ``pwr.2p2n.test`` do;
- a mean (CES, handle time, any mean): Cohen's d = effect / sd and the two-sample t-test, as
  R's ``pwr.t.test`` does;
- NPS: the difference of the mean -1/0/+1 codes divided by their standard deviation at the
  baseline mix, with the normal test (the NPS test of :func:`cxkit.nps_test` is a z-test).

Rates and shares are percentages (62 for 62 %), effects in percentage points; NPS effects are in
NPS points. statsmodels' ``NormalIndPower`` and ``TTestIndPower`` do the power arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from cxkit._checks import check_option
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError

__all__ = ["MEAN_METRICS", "PROPORTION_METRICS", "SampleSize", "power", "sample_size"]

#: Metrics read as a proportion (a percentage of 0/1 outcomes; CSAT as its top-2-box share).
PROPORTION_METRICS = ("proportion", "conversion", "retention", "churn", "rate", "fcr", "csat")
#: Metrics read as a mean (``sd`` needed for sample sizes).
MEAN_METRICS = ("mean", "ces", "handle_time", "resolution_time", "first_response_time")
_ALTERNATIVES = ("two-sided", "larger", "smaller")
_NPS_KEYS = ("promoters", "passives", "detractors")

Baseline = float | Mapping[str, float]


def family(metric: str) -> str:
    """Return "proportion", "mean" or "nps" for ``metric`` (a clear error for others)."""
    check_option("metric", metric, ("nps", *PROPORTION_METRICS, *MEAN_METRICS))
    if metric == "nps":
        return "nps"
    return "proportion" if metric in PROPORTION_METRICS else "mean"


@dataclass(frozen=True, repr=False)
class SampleSize(SummaryRepr):
    """Result of :func:`sample_size`: responses needed per group.

    ``n`` is the exact solution for the control group (a float), ``n_required`` it rounded up;
    ``n_treatment`` and ``n_treatment_required`` are the treatment group's (``ratio * n``), the
    same as the control's when ``ratio`` is 1. ``effect_size`` is Cohen's h (proportions),
    Cohen's d (means) or the NPS effect over the code SD.
    """

    metric: str
    minimum_effect: float
    effect_size: float
    alpha: float
    power: float
    alternative: str
    ratio: float
    n: float
    n_required: int
    n_treatment: float
    n_treatment_required: int

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the result."""
        return pd.DataFrame([asdict(self)])


def _round_up(n: float) -> int:
    """Round a sample size up (with a little slack for the root finder's last digits)."""
    return math.ceil(n - 1e-6)


def nps_sd(baseline: Baseline) -> float:
    """Return the SD of the -1/0/+1 NPS codes at a baseline mix (as shares of 1).

    ``baseline`` is a mapping with "promoters", "passives" and "detractors" in percent, summing
    to 100. Var = p + d - (p - d)² with p, d the promoter and detractor shares.
    """
    if not isinstance(baseline, Mapping) or set(baseline) != set(_NPS_KEYS):
        raise CxkitError(
            "`baseline` for NPS must be the mix of answers in percent, e.g. "
            f"{{'promoters': 45, 'passives': 35, 'detractors': 20}}; got {baseline!r}."
        )
    shares = {k: float(baseline[k]) for k in _NPS_KEYS}
    if any(not 0 <= v <= 100 for v in shares.values()) or abs(sum(shares.values()) - 100) > 0.5:
        raise CxkitError(
            "`baseline` shares must be percentages between 0 and 100 that sum to 100; "
            f"got {shares}."
        )
    p, d = shares["promoters"] / 100, shares["detractors"] / 100
    var = p + d - (p - d) ** 2
    if var <= 0:
        raise CxkitError("`baseline` has no spread (everyone answers alike): no test can help.")
    return math.sqrt(var)


def effect_size(
    metric: str, baseline: Baseline, minimum_effect: float, sd: float | None = None
) -> float:
    """Standardized effect of ``minimum_effect`` for ``metric`` at ``baseline``.

    Proportions: Cohen's h = 2·asin(√p₂) - 2·asin(√p₁) with p₁ the baseline and p₂ = p₁ +
    effect (statsmodels ``proportion_effectsize``; Cohen, 1988, ch. 6). Means: Cohen's
    d = effect / sd (Cohen, 1988, ch. 2). NPS: (effect / 100) / SD of the codes at baseline.
    """
    if not minimum_effect or not math.isfinite(minimum_effect):
        raise CxkitError(
            f"`minimum_effect` must be a non-zero number (the smallest change worth detecting); "
            f"got {minimum_effect!r}."
        )
    kind = family(metric)
    if kind == "nps":
        return (minimum_effect / 100) / nps_sd(baseline)
    if kind == "mean":
        if sd is None or not sd > 0:
            raise CxkitError(
                f"`sd` is needed for a mean such as {metric!r}: the standard deviation of one "
                f"response (from past data); got {sd!r}."
            )
        return minimum_effect / sd
    return _cohen_h(float(baseline), minimum_effect)


def _cohen_h(baseline: float, minimum_effect: float) -> float:
    target = baseline + minimum_effect
    for name, value in (("baseline", baseline), ("baseline + minimum_effect", target)):
        if not 0 <= value <= 100:
            raise CxkitError(
                f"`{name}` must be a percentage between 0 and 100 for a proportion; got "
                f"{value!r}. Give rates in percent (62 for 62 %) and effects in points."
            )
    from statsmodels.stats.proportion import proportion_effectsize  # imported when used: SciPy

    return float(proportion_effectsize(target / 100, baseline / 100))


def _engine(metric: str, effect: float, alternative: str):
    check_option("alternative", alternative, _ALTERNATIVES)
    if (alternative == "larger" and effect < 0) or (alternative == "smaller" and effect > 0):
        raise CxkitError(
            f"`alternative` {alternative!r} tests for a change in the other direction than "
            f"`minimum_effect`; use a {'positive' if alternative == 'larger' else 'negative'} "
            "effect or alternative='two-sided'."
        )
    from statsmodels.stats.power import NormalIndPower, TTestIndPower  # when used: SciPy

    return TTestIndPower() if family(metric) == "mean" else NormalIndPower()


def _check_levels(alpha: float, power: float | None = None) -> None:
    for name, value in (("alpha", alpha), ("power", power)):
        if value is not None and not 0 < value < 1:
            raise CxkitError(f"`{name}` must be between 0 and 1 (e.g. 0.05, 0.8); got {value!r}.")


def sample_size(
    *,
    metric: str,
    baseline: Baseline,
    minimum_effect: float,
    alpha: float = 0.05,
    power: float = 0.8,
    alternative: str = "two-sided",
    sd: float | None = None,
    ratio: float = 1.0,
) -> SampleSize:
    """Responses needed per group to detect ``minimum_effect`` with probability ``power``.

    Parameters
    ----------
    metric : str
        "nps"; a proportion ("proportion", "conversion", "retention", "churn", "rate", "fcr",
        "csat" as top-2-box share); or a mean ("mean", "ces", "handle_time", ...).
    baseline : float or mapping
        The control group's expected value: a percentage for proportions (62 for 62 %), the
        mean for means (not used in the computation), and for NPS the mix of answers in percent,
        ``{"promoters": 45, "passives": 35, "detractors": 20}`` (an NPS of 25 can come from many
        mixes, and the variance depends on the mix).
    minimum_effect : float
        The smallest change worth detecting, treatment minus control: percentage points,
        NPS points, or units of the mean.
    alpha, power : float
        Significance level and the wanted probability of detecting the effect.
    alternative : {"two-sided", "larger", "smaller"}
        The alternative hypothesis (statsmodels' names; R's "greater"/"less").
    sd : float, optional
        Standard deviation of one response, required for means.
    ratio : float
        Treatment group size over the control group's.

    Returns
    -------
    SampleSize
        ``n`` (float) and ``n_required`` (rounded up) for the control group, ``n_treatment``
        and ``n_treatment_required`` for the treatment group, ``effect_size``.

    Notes
    -----
    Normal test (proportions, NPS), with e the effect size and z the normal quantiles:
    power = Φ(|e|·√(n·r/(1+r)) - z₁₋α/₂) (+ the far tail), solved for n; the t-test uses the
    noncentral t with df = n(1 + r) - 2 (Cohen, 1988, Statistical Power Analysis for the
    Behavioral Sciences, 2nd ed., ch. 2 and 6). statsmodels ``NormalIndPower`` /
    ``TTestIndPower.solve_power`` do the solving.

    Examples
    --------
    R ``pwr.2p.test(h = ES.h(p1 = 0.55, p2 = 0.50), sig.level = 0.05, power = .80)`` needs
    1,565 per group (pwr vignette); so does
    ``sample_size(metric="conversion", baseline=50, minimum_effect=5).n_required``.
    """
    _check_levels(alpha, power)
    if not ratio > 0:
        raise CxkitError(f"`ratio` must be positive (treatment n / control n); got {ratio!r}.")
    es = effect_size(metric, baseline, minimum_effect, sd)
    engine = _engine(metric, es, alternative)
    n = float(
        engine.solve_power(
            effect_size=es, nobs1=None, alpha=alpha, power=power, ratio=ratio,
            alternative=alternative,
        )
    )  # fmt: skip
    return SampleSize(
        metric=metric,
        minimum_effect=float(minimum_effect),
        effect_size=es,
        alpha=alpha,
        power=power,
        alternative=alternative,
        ratio=ratio,
        n=n,
        n_required=_round_up(n),
        n_treatment=n * ratio,
        n_treatment_required=_round_up(n * ratio),
    )


def power(
    *,
    metric: str,
    baseline: Baseline,
    minimum_effect: float,
    n: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    sd: float | None = None,
    ratio: float = 1.0,
) -> float:
    """Probability that a test with ``n`` control responses detects ``minimum_effect``.

    The inverse of :func:`sample_size`, with the same arguments and ``n`` (control group;
    the treatment group has ``ratio * n``).

    Examples
    --------
    R ``pwr.t.test(n = 30, d = 0.5, sig.level = 0.05)`` has power 48 % (pwr vignette):
    ``power(metric="mean", baseline=0, minimum_effect=0.5, sd=1, n=30)`` gives 0.478.
    """
    _check_levels(alpha)
    if not n > 1:
        raise CxkitError(f"`n` must be more than 1 response per group; got {n!r}.")
    es = effect_size(metric, baseline, minimum_effect, sd)
    engine = _engine(metric, es, alternative)
    return float(
        engine.power(effect_size=es, nobs1=n, alpha=alpha, ratio=ratio, alternative=alternative)
    )
