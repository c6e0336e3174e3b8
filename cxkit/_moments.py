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
once; a bootstrap replicate is the same products with resampled weights, and many replicates
are one product of their weights with the rows' products (:func:`resampled_correlations`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Moments",
    "moments_from_sums",
    "pairwise_moments",
    "pairwise_sums",
    "resample_weights",
    "resampled_correlations",
    "weighted_crossproducts",
    "weighted_gram",
]

_CHUNK_VALUES = 2**20  # row products held at once by weighted_crossproducts (8 MB)


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
    shift, values = _centred(values, present)
    return moments_from_sums(*pairwise_sums(values, present, weights), shift)


def pairwise_sums(
    values: np.ndarray, present: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sum the module's notes' pairwise products: ``(count, N, Sx, Sxx, Sxy)``, ``(p, p)`` each.

    ``values`` as :func:`pairwise_moments` takes them, less a shift (0 where missing). Sums
    over rows are additive: the sums of a table split into parts (dask partitions) are the
    parts' sums added, and :func:`moments_from_sums` finishes them.
    """
    weighted = present if weights is None else present * weights[:, None]
    count = present.T @ present
    n = weighted.T @ present
    sx = values.T @ weighted
    sxx = (values * values).T @ weighted
    sxy = values.T @ (values * (weights[:, None] if weights is not None else 1.0))
    return count, n, sx, sxx, sxy


def moments_from_sums(
    count: np.ndarray,
    n: np.ndarray,
    sx: np.ndarray,
    sxx: np.ndarray,
    sxy: np.ndarray,
    shift: np.ndarray,
) -> Moments:
    """Finish :class:`Moments` from the pairwise sums of the module's notes, ``(p, p)`` each.

    The sums are of the values less ``shift`` (each column's mean where present), as
    :func:`pairwise_moments` computes them; a scan has DuckDB compute the same sums, and a
    dask frame :func:`pairwise_sums` per partition.
    """
    corr, var = _correlations(n, sx, sxx, sxy)
    with np.errstate(divide="ignore", invalid="ignore"):
        diag = np.diag(n)
        mean = np.diag(sx) / diag + shift
        sd = np.sqrt(np.clip(var, 0, None) / diag)
    return Moments(count=count.round().astype(np.int64), weight=n, corr=corr, mean=mean, sd=sd)


def resampled_correlations(
    values: np.ndarray, present: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise-complete correlations and standard deviations for many weightings at once.

    The same moments as :func:`pairwise_moments` with ``weights[b]`` for each ``b`` (e.g.
    bootstrap counts times survey weights), from one matrix product of the ``(B, n)`` weights
    with the rows' products: ``[M, X]_i ⊗ [M, X]_i`` (:func:`weighted_gram`: ``N``, ``Sx`` and
    ``Sxy``) and ``X²_i ⊗ M_i`` (``Sxx``), instead of ``B`` passes over the data.

    Returns
    -------
    corr : (B, p, p) array
    sd : (B, p) array
        Each column's standard deviation (zero or NaN where it has no variance or no weight).
    """
    values = _centred(values, present)[1]
    p = values.shape[1]
    gram = weighted_gram(np.hstack([present, values]), weights)
    n, sx, sxy = gram[:, :p, :p], gram[:, p:, :p], gram[:, p:, p:]
    sxx = weighted_crossproducts(values * values, present, weights)
    corr, var = _correlations(n, sx, sxx, sxy)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.clip(var, 0, None) / np.diagonal(n, axis1=-2, axis2=-1))
    return corr, sd


def weighted_crossproducts(left: np.ndarray, right: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``Lᵀ diag(w_b) R`` for every row ``w_b`` of ``weights``.

    ``Σ_i w_bi L_ia R_ic`` for all ``b, a, c`` is one product of ``weights`` (B × n) with the
    rows' outer products ``L_i ⊗ R_i`` (n × ac), built for a chunk of rows at a time to bound
    memory.

    Parameters
    ----------
    left, right : (n, a) and (n, c) arrays
    weights : (B, n) array

    Returns
    -------
    (B, a, c) array
    """
    a, c = left.shape[1], right.shape[1]
    pairs = np.repeat(np.arange(a), c), np.tile(np.arange(c), a)
    return _pair_sums(left, right, pairs, weights).reshape(-1, a, c)


def weighted_gram(left: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``Lᵀ diag(w_b) L`` for every row ``w_b`` of ``weights``, from its upper triangle.

    As :func:`weighted_crossproducts` with ``right = left``, with half the products: the
    result is symmetric.

    Returns
    -------
    (B, a, a) array
    """
    a = left.shape[1]
    upper, lower = np.triu_indices(a)
    sums = _pair_sums(left, left, (upper, lower), weights)
    out = np.empty((weights.shape[0], a, a))
    out[:, upper, lower] = sums
    out[:, lower, upper] = sums
    return out


def _pair_sums(
    left: np.ndarray,
    right: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    weights: np.ndarray,
) -> np.ndarray:
    """``Σ_i w_bi L_{i,a_m} R_{i,c_m}`` for each pair ``m = (a_m, c_m)``: ``(B, len(pairs))``."""
    first, second = pairs
    out = np.zeros((weights.shape[0], len(first)))
    step = max(1, _CHUNK_VALUES // len(first))
    for start in range(0, left.shape[0], step):
        rows = slice(start, start + step)
        out += weights[:, rows] @ (left[rows][:, first] * right[rows][:, second])
    return out


def resample_weights(
    rng: np.random.Generator, base: np.ndarray | None, n: int, n_boot: int
) -> Iterator[np.ndarray]:
    """Row weights of ``n_boot`` bootstrap resamples of ``n`` rows, ``count_bi · base_i``.

    Resample ``b`` draws ``n`` row numbers with replacement, ``rng.integers(0, n, n)``, and
    ``count_bi`` is how often row ``i`` was drawn; resamples are drawn one after another, so
    the draws are those of a loop over resamples whatever the chunk size. Survey weights
    (``base``; none: 1) travel with their respondents (Efron & Tibshirani 1993, ch. 6).

    Yields
    ------
    (B, n) arrays, ``B`` chosen to hold about ``4 × _CHUNK_VALUES`` values; ``n_boot`` rows in all.
    """
    step = max(1, 4 * _CHUNK_VALUES // max(n, 1))
    for start in range(0, n_boot, step):
        counts = np.empty((min(step, n_boot - start), n))
        for row in counts:
            row[:] = np.bincount(rng.integers(0, n, n), minlength=n)
        yield counts if base is None else counts * base


def _centred(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's mean where present, and the values minus it (0 where missing).

    Centring first keeps the digits the variance needs: the sums of squares of raw values
    far from zero (dates, amounts) lose them.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.nan_to_num((values * present).sum(axis=0) / present.sum(axis=0))
    return shift, (values - shift) * present


def _correlations(
    n: np.ndarray, sx: np.ndarray, sxx: np.ndarray, sxy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Correlations ``C_ij / sqrt(V_i|j V_j|i)`` from pairwise sums (stacks ``(..., p, p)``).

    Returns the correlations (1 on the diagonal) and each column's ``V_i|i``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = sxy - sx * np.swapaxes(sx, -1, -2) / n
        var = sxx - sx * sx / n
        corr = cross / np.sqrt(var * np.swapaxes(var, -1, -2))
    diag = np.arange(n.shape[-1])
    corr[..., diag, diag] = 1.0
    return corr, var[..., diag, diag]
