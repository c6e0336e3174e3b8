"""Empirical-Bayes shrinkage of rates across groups: a beta-binomial prior fitted by ML.

Each group g has x_g successes in n_g trials; its true rate p_g is drawn from Beta(α, β), so
x_g is beta-binomial. (α, β) maximise Σ_g log BetaBinom(x_g; n_g, α, β); each group's rate is
then estimated by its posterior Beta(x_g + α, n_g - x_g + β): mean (x + α) / (n + α + β) and an
equal-tailed interval from the posterior quantiles. Small groups are pulled towards the
overall rate, large ones barely move (Efron & Morris, 1975; Robinson, 2017, *Introduction to
Empirical Bayes*; Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 5.3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

__all__ = ["FALLBACK_PRIOR", "Prior", "fit_prior", "posterior", "separated_ranks"]

#: Prior used when the MLE cannot be fitted: Jeffreys' Beta(1/2, 1/2).
FALLBACK_PRIOR = (0.5, 0.5)
#: Bounds of log α and log β in the fit: α + β at its upper bound means "pooled" in practice.
_LOG_BOUNDS = (np.log(1e-3), np.log(1e6))
#: Fewer groups with trials than this and the MLE is not attempted.
MIN_GROUPS = 3


@dataclass(frozen=True)
class Prior:
    """A fitted (or fallback) Beta(α, β) prior and how it was obtained."""

    alpha: float
    beta: float
    method: str  # "mle", "mle (capped)", "mle (boundary)" or "fallback"
    note: str = ""

    @property
    def mean(self) -> float:
        """Prior mean α / (α + β)."""
        return self.alpha / (self.alpha + self.beta)


def neg_loglik(log_ab: np.ndarray, x: np.ndarray, n: np.ndarray) -> float:
    """Minus the beta-binomial log-likelihood at (log α, log β)."""
    a, b = np.exp(log_ab)
    return -float(np.sum(stats.betabinom.logpmf(x, n, a, b)))


def fit_prior(x: np.ndarray, n: np.ndarray) -> Prior:
    """Fit Beta(α, β) by maximum likelihood over the groups with trials; fall back if it cannot.

    Falls back to Jeffreys' Beta(1/2, 1/2) (no pooling beyond it) when fewer than
    :data:`MIN_GROUPS` groups have trials, or when every group's rate is 0 or every one is
    1 (the likelihood then grows without bound as α or β goes to 0). When the groups differ
    no more than chance allows, α + β runs to its bound; plugged in as it is, such a prior
    would claim that a 3-ticket agent's rate is known to a point or two. So α + β is capped at
    the number of trials the prior was fitted on (Σ n, keeping its mean α / (α + β)): a prior
    cannot carry more information than the data it came from, and the intervals then allow for
    the uncertainty of the team's own rate; the method says "mle (capped)". When the groups
    sit at 0% and 100% only, α or β runs to its lower bound and the prior barely shrinks:
    "mle (boundary)".
    """
    x, n = np.asarray(x, dtype="float64"), np.asarray(n, dtype="float64")
    used = n > 0
    x, n = x[used], n[used]
    if len(n) < MIN_GROUPS:
        note = f"only {len(n)} group(s) with data: too few to fit a prior; Jeffreys' prior used"
        return Prior(*FALLBACK_PRIOR, "fallback", note)
    if np.all(x == 0) or np.all(x == n):
        note = "every group's rate is 0%" if np.all(x == 0) else "every group's rate is 100%"
        return Prior(*FALLBACK_PRIOR, "fallback", note + ": no MLE; Jeffreys' prior used")
    start = _moments_start(x, n)
    fit = optimize.minimize(
        neg_loglik, start, args=(x, n), method="L-BFGS-B", bounds=[_LOG_BOUNDS] * 2
    )
    a, b = np.exp(fit.x)
    if not fit.success and not np.isfinite(fit.fun):
        return Prior(*FALLBACK_PRIOR, "fallback", f"the MLE failed ({fit.message})")
    if a + b > n.sum():  # worth more trials than it was fitted on: capped (see Notes)
        pooled = np.log(a + b) > _LOG_BOUNDS[1] - 0.5
        a, b = a / (a + b) * n.sum(), b / (a + b) * n.sum()
        note = (
            f"the fitted prior was worth more than the {int(n.sum())} trials it came from: its "
            f"strength is capped at {int(n.sum())}"
        )
        if pooled:
            note = "groups differ no more than chance allows, so " + note
        return Prior(float(a), float(b), "mle (capped)", note)
    if min(fit.x) < _LOG_BOUNDS[0] + 0.5:
        note = "rates cluster at 0% and 100%: the prior is nearly flat, hardly any shrinkage"
        return Prior(float(a), float(b), "mle (boundary)", note)
    return Prior(float(a), float(b), "mle")


def _moments_start(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Return a starting (log α, log β) from the mean and spread of the raw rates."""
    p = x / n
    m = float(np.clip(x.sum() / n.sum(), 0.01, 0.99))
    v = float(np.var(p))
    strength = m * (1 - m) / v - 1 if v > 0 else 100.0
    strength = float(np.clip(strength, 0.5, 1e4))
    return np.log([m * strength, (1 - m) * strength])


def posterior(
    x: np.ndarray, n: np.ndarray, prior: Prior, ci: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior mean and equal-tailed ``ci`` interval of each group's rate (shares, 0-1).

    mean = (x + α) / (n + α + β); interval = Beta(x + α, n - x + β) quantiles at
    (1 - ci) / 2 and (1 + ci) / 2.
    """
    x, n = np.asarray(x, dtype="float64"), np.asarray(n, dtype="float64")
    a, b = x + prior.alpha, n - x + prior.beta
    tails = [(1 - ci) / 2, (1 + ci) / 2]
    return a / (a + b), stats.beta.ppf(tails[0], a, b), stats.beta.ppf(tails[1], a, b)


def separated_ranks(
    low: np.ndarray, high: np.ndarray, higher_is_better: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst rank each group can claim given the intervals.

    best = 1 + the number of groups whose interval lies entirely on the better side of this
    one's; worst = the number of groups minus those entirely on the worse side. A group is
    ranked outright only when best == worst; overlapping intervals share a range of ranks.
    """
    low, high = np.asarray(low, dtype="float64"), np.asarray(high, dtype="float64")
    above = low[None, :] > high[:, None]  # [i, j]: j entirely above i
    below = high[None, :] < low[:, None]
    better, worse = (above, below) if higher_is_better else (below, above)
    best = 1 + better.sum(axis=1)
    worst = len(low) - worse.sum(axis=1)
    return best.astype("int64"), worst.astype("int64")
