"""Relative importance of drivers, from a correlation matrix (never from the data).

Every function takes ``corr``, the correlation matrix of the outcome (row and column 0) and
``k`` drivers (1..k), possibly with leading batch dimensions (bootstrap replicates), and returns
one value per driver. The data are not re-read: all-subsets Shapley importance costs
``2^k`` small linear solves whatever the number of rows.

References
----------
Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to Bivariate and
Multivariate Analysis*. Scott, Foresman. (LMG.)
Grömping, U. (2006). Relative importance for linear regression in R: the package relaimpo.
*Journal of Statistical Software*, 17(1). https://doi.org/10.18637/jss.v017.i01
Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1–19.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations
from math import factorial

import numpy as np

__all__ = ["r_squared", "regression", "relative_weights", "shapley", "subset_r2"]

_CHUNK_VALUES = 4_000_000  # floats gathered per batched solve (about 32 MB)


def regression(corr: np.ndarray) -> np.ndarray:
    """Standardized OLS coefficients ``β = R_xx⁻¹ r_xy``."""
    return np.linalg.solve(corr[..., 1:, 1:], corr[..., 1:, 0:1])[..., 0]


def r_squared(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome on every driver: ``r_xyᵀ R_xx⁻¹ r_xy``."""
    return np.einsum("...i,...i->...", corr[..., 1:, 0], regression(corr))


@cache
def _subsets(k: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """All driver subsets of one size (indices 1..k in ``corr``) and their bit masks."""
    members = np.array(list(combinations(range(k), size)), dtype=np.intp).reshape(-1, size)
    masks = (1 << members).sum(axis=1)
    return members + 1, masks


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome on every subset of drivers, indexed by bit mask (bit j = driver j).

    Subsets of one size are solved together (``numpy.linalg.solve`` on a stack of small
    matrices), in chunks that bound memory. ``R²(∅) = 0``.

    Returns
    -------
    (..., 2^k) array
    """
    batch, k = corr.shape[:-2], corr.shape[-1] - 1
    flat = corr.reshape(-1, k + 1, k + 1)
    out = np.zeros((flat.shape[0], 2**k))
    for size in range(1, k + 1):
        members, masks = _subsets(k, size)
        step = max(1, _CHUNK_VALUES // (flat.shape[0] * size * size))
        for start in range(0, len(masks), step):
            idx = members[start : start + step]
            block = flat[:, idx[:, :, None], idx[:, None, :]]
            r = flat[:, 0, idx]
            beta = np.linalg.solve(block, r[..., None])[..., 0]
            out[:, masks[start : start + step]] = np.einsum("bms,bms->bm", r, beta)
    return out.reshape(*batch, 2**k)


@cache
def _shapley_terms(k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each driver j: the masks of subsets without j, and each subset's Shapley weight.

    The weight of a subset S of size s is ``s! (k − s − 1)! / k!``.
    """
    masks = np.arange(2**k)
    sizes = np.bitwise_count(masks)
    weights = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    without = np.stack([masks[(masks >> j) & 1 == 0] for j in range(k)])
    return without, weights[sizes[without]]


def shapley(corr: np.ndarray) -> np.ndarray:
    """Shapley (LMG) share of R² for each driver; the shares sum to the full model's R².

    Notes
    -----
    ``φ_j = Σ_{S ⊆ D∖{j}} |S|! (k − |S| − 1)! / k! · (R²(S ∪ {j}) − R²(S))``: driver ``j``'s
    increase in R² averaged over every order in which drivers can enter the model (Lindeman,
    Merenda & Gold 1980; relaimpo's ``lmg``, Grömping 2006).
    """
    k = corr.shape[-1] - 1
    r2 = subset_r2(corr)
    without, weights = _shapley_terms(k)
    gains = np.stack(
        [
            (r2[..., m | (1 << j)] - r2[..., m]) @ w
            for j, (m, w) in enumerate(zip(without, weights, strict=False))
        ],
        axis=-1,
    )
    return gains


def relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights; they sum to the full model's R².

    Notes
    -----
    With ``R_xx = Q Λ Qᵀ`` and ``Λ^½ = Q Λ^{1/2} Qᵀ`` (the symmetric square root), the outcome is
    regressed on the orthogonal ``Z = X Λ^{-½}``: ``β_Z = Λ^{-½} r_xy``; driver ``j``'s weight is
    ``Σ_k (Λ^½)_{jk}² β_{Z,k}²``.
    """
    values, vectors = np.linalg.eigh(corr[..., 1:, 1:])
    root = (vectors * np.sqrt(np.clip(values, 0, None))[..., None, :]) @ np.swapaxes(
        vectors, -1, -2
    )
    beta_z = np.linalg.solve(root, corr[..., 1:, 0:1])[..., 0]
    return np.einsum("...jk,...k->...j", root**2, beta_z**2)
