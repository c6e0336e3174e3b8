"""The expected-gain model: the outcome on every touchpoint's rating, among those who rated it.

A touchpoint's rating is missing because the customer did not use it ("not applicable"), so
the model gives each touchpoint a 0/1 "rated" indicator and its rating (0 when not rated)::

    y = a + Σ_j c_j · rated_j + Σ_j b_j · rating_j · rated_j + e

``b_j`` is the change in the outcome per rating point among the customers who rated ``j``,
the other ratings held fixed (Cohen & Cohen 1975's missing-indicator coding, suited to
ratings that are missing because they do not apply). Unlike a regression on a pairwise
correlation matrix, its normal equations come from a real design matrix, so they are always
positive semi-definite, in every bootstrap resample too. The fit is weighted least squares from
``ZᵀWZ`` and ``ZᵀWy``: a few matrix products, whatever the number of rows, and one product for
all the bootstrap resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxkit._moments import weighted_gram

__all__ = ["GainFit", "fit_gain"]


@dataclass(frozen=True)
class GainFit:
    """Per-touchpoint slope, mean rating among raters and reach (share who rated it)."""

    slope: np.ndarray  # (k,)
    mean: np.ndarray  # (k,)
    reach: np.ndarray  # (k,)


def design(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``[1, rated_1..k, rating_1..k]``, leaving out a "rated" column that is always 1."""
    always = present.all(axis=0)
    return np.column_stack([np.ones(len(values)), present[:, ~always], values])


def fit_gain(
    y: np.ndarray, values: np.ndarray, present: np.ndarray, weights: np.ndarray
) -> GainFit:
    """Weighted least squares of ``y`` on :func:`design`; slopes, means and reach.

    Parameters
    ----------
    y : (n,) array
        The outcome, coded so its mean is the metric (NPS: 100, 0, −100).
    values, present : (n, k) arrays
        Ratings (0 where missing) and 1/0 rated indicators.
    weights : (n,) or (B, n) array
        Row weights (survey weights, times bootstrap counts in a resample); a ``(B, n)`` array
        fits ``B`` weightings at once and gives ``(B, k)`` fields.

    Notes
    -----
    ``coef = (ZᵀWZ)⁺ ZᵀWy`` (Moore–Penrose inverse, so that a touchpoint nobody in a resample
    rated does not stop the fit), with ``ZᵀWZ`` and ``ZᵀWy`` for every weighting from one
    product (:func:`cxkit._moments.weighted_gram`). ``mean_j = Σ w·rating_j /
    Σ w·rated_j`` and ``reach_j = Σ w·rated_j / Σ w``.
    """
    w = np.atleast_2d(weights)
    z = design(values, present)
    q, k = z.shape[1], values.shape[1]
    sums = weighted_gram(np.column_stack([z, y]), w)  # [[ZᵀWZ, ZᵀWy], [yᵀWZ, yᵀWy]]
    coef = (np.linalg.pinv(sums[:, :q, :q], hermitian=True) @ sums[:, :q, q:])[..., 0]
    rated = w @ present
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums[:, 0, q - k : q] / rated  # row 0 of Z is 1: Σ w·rating_j
    fit = GainFit(slope=coef[:, -k:], mean=mean, reach=rated / sums[:, :1, 0])
    one = np.ndim(weights) == 1
    return GainFit(fit.slope[0], fit.mean[0], fit.reach[0]) if one else fit
