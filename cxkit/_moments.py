"""Pairwise-complete moments of a table with missing values, from a few matrix products.

Key-driver analysis needs the correlation matrix of an outcome and its drivers. Ratings are
sparse (a customer rates only the touchpoints used), so each pair of columns is correlated over
the rows where both are present ("pairwise-complete", as R's ``use = "pairwise.complete.obs"``
and pandas' ``DataFrame.corr``). With ``M`` the 0/1 matrix of present values, ``X`` the values
with missing ones set to 0 and ``w`` the row weights, every pairwise sum is one product::

    N   = Mᵀ diag(w) M        (weight of the rows where i and j are both present)
    Sx  = Xᵀ diag(w) M        (Sx[i, j]: sum of x_i over the rows where j is present too)
    Sxx = (X²)ᵀ diag(w) M
    Sxy = Xᵀ diag(w) X

and the pairwise correlation is ``C_ij / sqrt(V_i|j V_j|i)`` with
``C_ij = Sxy_ij − Sx_ij Sx_ji / N_ij`` and ``V_i|j = Sxx_ij − Sx_ij² / N_ij``. The data are read
once; a bootstrap replicate is the same products with resampled weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Moments", "pairwise_moments"]


@dataclass(frozen=True)
class Moments:
    """Pairwise-complete moments of ``p`` columns.

    Attributes
    ----------
    count : (p, p) int array
        Rows where both columns are present (unweighted): the effective n of each pair.
    weight : (p, p) array
        Their total weight (equal to ``count`` without weights).
    corr : (p, p) array
        Pairwise-complete Pearson correlations; NaN where a pair has no variance.
    mean : (p,) array
        Each column's (weighted) mean over the rows where it is present.
    sd : (p,) array
        Each column's (weighted) standard deviation there, ``sqrt(V_i|i / N_ii)``.
    """

    count: np.ndarray
    weight: np.ndarray
    corr: np.ndarray
    mean: np.ndarray
    sd: np.ndarray


def pairwise_moments(
    values: np.ndarray, present: np.ndarray, weights: np.ndarray | None = None
) -> Moments:
    """Pairwise-complete moments of ``values`` (n × p; zeros where ``present`` is False).

    Parameters
    ----------
    values : (n, p) float array
        The data, with every missing value replaced by 0.
    present : (n, p) float array
        1.0 where a value is present, 0.0 where it is missing.
    weights : (n,) array, optional
        Row weights (survey weights, bootstrap counts, or their product).

    Returns
    -------
    Moments
    """
    # Centre each column on its mean first: the sums of squares of raw values far from zero
    # (dates, amounts) lose the digits the variance needs.
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.nan_to_num((values * present).sum(axis=0) / present.sum(axis=0))
    values = (values - shift) * present
    weighted = present if weights is None else present * weights[:, None]
    count = present.T @ present
    n = weighted.T @ present
    sx = values.T @ weighted
    sxx = (values * values).T @ weighted
    sxy = values.T @ (values * (weights[:, None] if weights is not None else 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = sxy - sx * sx.T / n
        var = sxx - sx * sx / n
        corr = cross / np.sqrt(var * var.T)
        diag = np.diag(n)
        mean = np.diag(sx) / diag + shift
        sd = np.sqrt(np.clip(np.diag(var), 0, None) / diag)
    np.fill_diagonal(corr, 1.0)
    return Moments(count=count.round().astype(np.int64), weight=n, corr=corr, mean=mean, sd=sd)
