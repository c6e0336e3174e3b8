"""Point estimates, standard errors and interval centres of the survey metrics, from counts.

These are the building blocks shared by the metric tables (:mod:`cxkit.survey`,
:mod:`cxkit.service`, :mod:`cxkit.retention`) and every comparison (:mod:`cxkit.compare`, the
report's changes in :mod:`cxkit.headline`): given a :class:`~cxkit._counts.ScoreCounts`, each
returns arrays over its groups; :func:`difference` compares two estimates and :func:`adjust`
adjusts a family of p-values, once for the whole package. The formulas are in the
docstrings of :func:`cxkit.nps`, :func:`cxkit.csat` and :func:`cxkit.ces`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxkit._counts import ScoreCounts
from cxkit.errors import CxkitError

__all__ = [
    "Difference",
    "Estimate",
    "adjust",
    "difference",
    "mean_estimate",
    "nps_estimate",
    "rate_columns",
    "rate_estimate",
    "share_estimate",
    "significant_mask",
    "top_box_indicator",
    "z_value",
]


def z_value(ci: float) -> float:
    """Two-sided normal critical value for confidence level ``ci``."""
    if not 0 < ci < 1:
        raise CxkitError(f"`ci` must be between 0 and 1 (e.g. 0.95); got {ci!r}.")
    from scipy.special import ndtri  # what scipy.stats.norm.ppf computes, without scipy.stats

    return float(ndtri(0.5 + ci / 2))


@dataclass(frozen=True)
class Estimate:
    """Arrays over groups: responses, estimate, standard error, interval centre, t df."""

    n: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    center: np.ndarray
    df: np.ndarray | None = None  # degrees of freedom when a t distribution applies


def weighted_mean(counts: ScoreCounts, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean of a value per score, and its linearization SE.

    ``var = n / (n - 1) * Σ_v W2_v (x_v - mean)² / W²`` with W2_v the sum of squared weights of
    the responses scoring v and W the sum of all weights.
    """
    total = counts.w.sum(axis=1)
    n = counts.n.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts.w @ values / total
        dev2 = (values[None, :] - mean[:, None]) ** 2
        var = n / (n - 1) * (counts.w2 * dev2).sum(axis=1) / total**2
    return mean, np.sqrt(var)


def nps_estimate(counts: ScoreCounts, method: str = "adjusted-wald") -> Estimate:
    """NPS as a share (-1..1): observed estimate, SE and interval centre per group."""
    n = counts.n.sum(axis=1)
    code = np.where(counts.values >= 9, 1.0, np.where(counts.values <= 6, -1.0, 0.0))
    if counts.weighted:
        est, se = weighted_mean(counts, code)
        return Estimate(n, est, se, est)
    promoters = counts.n[:, counts.values >= 9].sum(axis=1)
    detractors = counts.n[:, counts.values <= 6].sum(axis=1)
    extra, total = (0.75, 3.0) if method == "adjusted-wald" else (0.0, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (promoters + extra) / (n + total)
        d = (detractors + extra) / (n + total)
        se = np.sqrt((p + d - (p - d) ** 2) / (n + total))
        return Estimate(n, (promoters - detractors) / n, se, p - d)


def top_box_indicator(counts: ScoreCounts, top_box: int) -> np.ndarray:
    """1.0 for the ``top_box`` highest score values, 0.0 for the others."""
    return (counts.values > counts.values.max() - top_box).astype("float64")


def share_estimate(counts: ScoreCounts, indicator: np.ndarray) -> Estimate:
    """Share of responses whose score has ``indicator`` 1: estimate, SE sqrt(p(1-p)/n)."""
    n = counts.n.sum(axis=1)
    if counts.weighted:
        est, se = weighted_mean(counts, indicator)
        return Estimate(n, est, se, est)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts.n @ indicator / n
        return Estimate(n, p, np.sqrt(p * (1 - p) / n), p)


def mean_estimate(counts: ScoreCounts) -> Estimate:
    """Mean score: estimate and SE (s / sqrt(n); weighted: linearization), t df n - 1."""
    values = counts.values.astype("float64")
    n = counts.n.sum(axis=1)
    if counts.weighted:
        mean, se = weighted_mean(counts, values)
        return Estimate(n, mean, se, mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts.n @ values / n
        var = (counts.n * (values[None, :] - mean[:, None]) ** 2).sum(axis=1) / (n - 1)
        return Estimate(n, mean, np.sqrt(var / n), mean, df=n - 1.0)


@dataclass(frozen=True)
class Difference:
    """Arrays over pairs: difference of estimates, SE, interval and p-value."""

    difference: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray


def difference(a: Estimate, b: Estimate, *, ci: float = 0.95, scale: float = 1.0) -> Difference:
    """Compare estimates ``b`` with ``a`` (element-wise over groups), ``b - a``.

    Notes
    -----
    se = sqrt(se_a² + se_b²); the interval is (centre_b - centre_a) ± crit·se. When both
    estimates carry t degrees of freedom (unweighted means), crit and the p-value use Welch's
    t with Welch-Satterthwaite df = se⁴ / (se_a⁴ / df_a + se_b⁴ / df_b); otherwise normal.
    """
    # what scipy.stats.t.ppf / t.sf / norm.sf compute, without importing scipy.stats (~0.5 s)
    from scipy.special import ndtr, stdtr, stdtrit

    se = np.sqrt(a.se**2 + b.se**2)
    center = b.center - a.center
    with np.errstate(invalid="ignore", divide="ignore"):
        stat = center / se
        if a.df is not None and b.df is not None:
            df = se**4 / (a.se**4 / a.df + b.se**4 / b.df)
            crit = stdtrit(df, 0.5 + ci / 2)
            p = 2 * stdtr(df, -np.abs(stat))
        else:
            crit = z_value(ci)
            p = 2 * ndtr(-np.abs(stat))
    return Difference(
        scale * (b.estimate - a.estimate),
        scale * se,
        scale * (center - crit * se),
        scale * (center + crit * se),
        p,
    )


def adjust(p_values: np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple comparisons; missing p-values stay missing.

    ``method`` is any ``statsmodels.stats.multitest.multipletests`` method ("holm",
    "fdr_bh", "bonferroni", ...); the family is the p-values that are not NaN. Holm's is
    computed here (:func:`holm`), the others by statsmodels.
    """
    p = np.asarray(p_values, dtype="float64")
    adjusted = np.full(len(p), np.nan)
    tested = ~np.isnan(p)
    if not tested.any():
        return adjusted
    if method == "holm":
        adjusted[tested] = holm(p[tested])
    else:
        from statsmodels.stats.multitest import multipletests

        adjusted[tested] = multipletests(p[tested], method=method)[1]
    return adjusted


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (Holm, 1979), as statsmodels computes them.

    Notes
    -----
    With the m p-values sorted, p_(1) ≤ … ≤ p_(m), the adjusted value of p_(i) is
    min(1, max over j ≤ i of (m − j + 1)·p_(j)). statsmodels' ``multipletests(method="holm")``
    gives the same numbers (tested) but runs a full garbage collection on every call
    (``gc.collect()``: 30–80 ms in a notebook's kernel, several calls per report) and
    imports SciPy's statistics (~0.6 s) with it.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian
    Journal of Statistics, 6(2), 65–70.
    """
    p = np.asarray(p_values, dtype="float64")
    order = np.argsort(p)
    stepped = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    out = np.empty(len(p))
    out[order] = np.minimum(stepped, 1.0)
    return out


def significant_mask(p_adjusted: np.ndarray, alpha: float) -> np.ndarray:
    """Mark adjusted p-values below ``alpha`` (missing p-values are not significant)."""
    return np.nan_to_num(p_adjusted, nan=1.0) < alpha


def rate_estimate(successes: np.ndarray, trials: np.ndarray) -> Estimate:
    """Estimate a proportion per group from counts: p, SE sqrt(p(1-p)/n), centre p."""
    n = np.asarray(trials, dtype="int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.asarray(successes, dtype="float64") / n
        return Estimate(n, p, np.sqrt(p * (1 - p) / n), p)


def rate_columns(successes: np.ndarray, trials: np.ndarray, ci: float) -> dict[str, np.ndarray]:
    """``n, value, se, ci_low, ci_high`` of a rate in percent, with the Wilson interval.

    The interval is statsmodels ``proportion_confint(method="wilson")`` (Wilson, 1927;
    Newcombe, 1998, method 3); groups with no trials get NaN.
    """
    from statsmodels.stats.proportion import proportion_confint

    est = rate_estimate(successes, trials)
    z_value(ci)  # checks ci
    safe = np.maximum(est.n, 1)
    low, high = proportion_confint(np.asarray(successes), safe, alpha=1 - ci, method="wilson")
    empty = est.n == 0
    return {
        "n": est.n,
        "value": 100 * est.estimate,
        "se": 100 * est.se,
        "ci_low": np.where(empty, np.nan, 100 * np.asarray(low, dtype="float64")),
        "ci_high": np.where(empty, np.nan, 100 * np.asarray(high, dtype="float64")),
    }
