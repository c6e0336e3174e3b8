"""Point estimates, standard errors and interval centres of the survey metrics, from counts.

These are the building blocks shared by the metric tables (:mod:`cxkit.survey`) and the
comparisons (:mod:`cxkit.compare`): given a :class:`~cxkit._counts.ScoreCounts`, each returns
arrays over its groups. All formulas are in the docstrings of :func:`cxkit.nps`,
:func:`cxkit.csat` and :func:`cxkit.ces`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxkit._counts import ScoreCounts

__all__ = ["Estimate", "mean_estimate", "nps_estimate", "share_estimate", "top_box_indicator"]


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
