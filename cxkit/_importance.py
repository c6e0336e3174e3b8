"""Relative importance of drivers, from a correlation matrix (never from the data).

Every function takes ``corr``, the correlation matrix of the outcome (row and column 0) and
``k`` drivers (1..k), possibly with leading batch dimensions (bootstrap replicates), and returns
one value per driver. The data are not re-read: all-subsets Shapley importance costs one
rank-one update per subset (about ``2^k`` small steps) whatever the number of rows.

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
from math import factorial

import numpy as np

__all__ = ["r_squared", "regression", "relative_weights", "shapley", "subset_r2"]

_CHUNK_VALUES = 2**16  # partial correlations per chunk of matrices: 0.5 MB, kept in cache


def regression(corr: np.ndarray) -> np.ndarray:
    """Standardized OLS coefficients ``β = R_xx⁻¹ r_xy``."""
    return np.linalg.solve(corr[..., 1:, 1:], corr[..., 1:, 0:1])[..., 0]


def r_squared(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome on every driver: ``r_xyᵀ R_xx⁻¹ r_xy``."""
    return np.einsum("...i,...i->...", corr[..., 1:, 0], regression(corr))


def _sweep_size(k: int) -> int:
    """Largest number of values :func:`_sweep` holds per matrix: ``max_j 2^j (k − j + 1)²``."""
    return max(2**j * (k - j + 1) ** 2 for j in range(k + 1))


def _sweep(corr: np.ndarray) -> np.ndarray:
    """R² of every driver subset of each matrix in a ``(b, k + 1, k + 1)`` stack, by bit mask.

    Drivers are eliminated in order. Before driver ``j`` is taken in, ``block`` holds, for each
    subset ``S`` of drivers ``1..j−1`` (bit mask order), the partial correlation matrix (Schur
    complement) of drivers ``j..k`` and the outcome (last) given ``S``; the pivot ``C_jj`` is
    positive for a positive definite ``R_xx``. Taking ``j`` into ``S`` adds ``C_j0² / C_jj`` to
    R², and the rank-one update ``C − C_·j C_j· / C_jj`` is the complement given ``S ∪ {j}``;
    without ``j``, row and column ``j`` are dropped. This is Gaussian elimination (Cholesky)
    shared by every subset that starts alike: one update per subset instead of a fresh solve.
    """
    k = corr.shape[-1] - 1
    order = np.r_[1 : k + 1, 0]  # drivers in order, then the outcome
    block, r2 = corr[:, order[:, None], order][:, None], np.zeros((corr.shape[0], 1))
    for _ in range(k):
        column, pivot = block[..., 0, 1:], block[..., 0, 0]
        without = block[..., 1:, 1:]
        taken = without - (column / pivot[..., None])[..., :, None] * column[..., None, :]
        block = np.concatenate([without, taken], axis=1)
        r2 = np.concatenate([r2, r2 + column[..., -1] ** 2 / pivot], axis=1)
    return r2


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome on every subset of drivers, indexed by bit mask (bit j = driver j).

    Notes
    -----
    ``R²(S) = r_Sᵀ R_SS⁻¹ r_S``, computed by :func:`_sweep` for all ``2^k`` subsets at once
    (Gaussian elimination of the drivers in order, shared by subsets with a common start), for
    chunks of matrices that bound memory. ``R²(∅) = 0``. The drivers' correlation matrix must
    be positive definite (the outcome's row may make the whole matrix only semidefinite).

    Returns
    -------
    (..., 2^k) array
    """
    batch, k = corr.shape[:-2], corr.shape[-1] - 1
    flat = corr.reshape(-1, k + 1, k + 1)
    step = max(1, _CHUNK_VALUES // _sweep_size(k))
    out = np.empty((flat.shape[0], 2**k))
    for start in range(0, flat.shape[0], step):
        out[start : start + step] = _sweep(flat[start : start + step])
    return out.reshape(*batch, 2**k)


@cache
def _size_weights(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per subset (by bit mask): ``a(|T|) + b(|T|)`` and ``b(|T|)`` of :func:`shapley`."""
    w = [factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)]
    a, b = np.array([0.0, *w]), np.array([*w, 0.0])  # a(s) = w(s − 1), b(s) = w(s)
    sizes = np.bitwise_count(np.arange(2**k))
    return (a + b)[sizes], b[sizes]


def shapley(corr: np.ndarray) -> np.ndarray:
    """Shapley (LMG) share of R² for each driver; the shares sum to the full model's R².

    Notes
    -----
    ``φ_j = Σ_{S ⊆ D∖{j}} w(|S|) · (R²(S ∪ {j}) − R²(S))`` with ``w(s) = s! (k − s − 1)! / k!``:
    driver ``j``'s increase in R² averaged over every order in which drivers can enter the
    model (Lindeman, Merenda & Gold 1980; relaimpo's ``lmg``, Grömping 2006). Gathered by
    subset ``T``, with ``a(s) = w(s − 1)``, ``b(s) = w(s)`` (``b(k) = 0``)::

        φ_j = Σ_{T ∋ j} (a + b)(|T|) · R²(T) − Σ_T b(|T|) · R²(T)

    so each subset's R² is weighed once, and the sums over ``T ∋ j`` are :func:`_member_sums`.
    """
    k = corr.shape[-1] - 1
    r2 = subset_r2(corr)
    both, b = _size_weights(k)
    lead = r2.shape[:-1]
    gains = _member_sums((r2 * both).reshape(-1, 2**k)).reshape(*lead, k)
    return gains - (r2 @ b)[..., None]


def _member_sums(x: np.ndarray) -> np.ndarray:
    """``Σ_{T ∋ j} x(T)`` for each bit ``j``, from ``(B, 2^k)`` values indexed by bit mask.

    The masks with the top bit set are the upper half; adding the halves removes that bit,
    and the next bit is the top one of what is left (about ``3 · 2^k`` additions in all).
    """
    sums = []
    while x.shape[-1] > 1:
        half = x.shape[-1] // 2
        sums.append(x[:, half:].sum(axis=1))
        x = x[:, :half] + x[:, half:]
    return np.stack(sums[::-1], axis=-1)


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
