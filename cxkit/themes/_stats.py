"""Is a theme tied to detractors? Shares, the difference, its interval and a Holm-adjusted test.

For one theme, among commented responses with a score: n₁ mention it and d₁ of them are
detractors (NPS 0-6); n₀ do not and d₀ of them are detractors. Then

    detractor_share_with = 100 d₁/n₁,  detractor_share_without = 100 d₀/n₀,
    difference = detractor_share_with - detractor_share_without   (percentage points),

the interval is Newcombe's hybrid score interval for a difference of two proportions (method
10 of Newcombe, 1998, "Interval estimation for the difference between independent proportions",
Statistics in Medicine 17: 873-890; statsmodels ``confint_proportions_2indep(method="newcomb")``),
and the p-value is the pooled two-proportion z-test (statsmodels ``proportions_ztest``), Holm-
adjusted across the themes (Holm, 1979; equal to statsmodels ``multipletests(method="holm")``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from cxkit._estimates import adjust

__all__ = ["ASSOCIATION_COLUMNS", "detractor_association", "holm", "two_proportions"]

ASSOCIATION_COLUMNS = (
    "detractor_share_with",
    "detractor_share_without",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
)


def two_proportions(
    count1: int, nobs1: int, count0: int, nobs0: int, *, ci: float = 0.95
) -> tuple[float, float, float]:
    """Return ``(ci_low, ci_high, p_value)`` for p₁ - p₀, in proportions (not percent).

    The interval is Newcombe's hybrid score interval, the p-value the pooled z-test. Both are
    NaN when a group is empty; the p-value is NaN when the pooled share is 0 or 1 (no variance).
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    if nobs1 == 0 or nobs0 == 0:
        return (np.nan, np.nan, np.nan)
    low, high = confint_proportions_2indep(
        count1, nobs1, count0, nobs0, method="newcomb", compare="diff", alpha=1 - ci
    )
    pooled = (count1 + count0) / (nobs1 + nobs0)
    if pooled in (0.0, 1.0):
        return (float(low), float(high), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, p_value = proportions_ztest([count1, count0], [nobs1, nobs0])
    return (float(low), float(high), float(p_value))


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm-adjust the p-values that are not NaN (NaN ones stay NaN; see ``_estimates.holm``)."""
    return adjust(np.asarray(p_values, dtype=float).ravel(), "holm").reshape(np.shape(p_values))


def detractor_association(
    mentions: np.ndarray, detractor: np.ndarray, *, ci: float = 0.95
) -> pd.DataFrame:
    """Return :data:`ASSOCIATION_COLUMNS` for each theme (one row per column of ``mentions``).

    Parameters
    ----------
    mentions : ndarray of bool, shape (responses, themes)
        Which commented, scored responses mention which theme.
    detractor : ndarray of bool, shape (responses,)
        Which of them are detractors (NPS 0-6).
    ci : float
        Confidence level of the interval.

    Returns
    -------
    DataFrame
        Shares, difference and interval in percent / percentage points; p-values as is.
    """
    detractor = np.asarray(detractor, dtype=bool)
    n1 = mentions.sum(axis=0)
    d1 = (mentions & detractor[:, None]).sum(axis=0)
    n0, d0 = len(detractor) - n1, int(detractor.sum()) - d1
    rows = []
    for c1, m1, c0, m0 in zip(d1, n1, d0, n0, strict=True):
        with_, without = (100 * c1 / m1 if m1 else np.nan), (100 * c0 / m0 if m0 else np.nan)
        low, high, p_value = two_proportions(int(c1), int(m1), int(c0), int(m0), ci=ci)
        rows.append((with_, without, with_ - without, 100 * low, 100 * high, p_value))
    out = pd.DataFrame(rows, columns=list(ASSOCIATION_COLUMNS[:-1]), dtype=float)
    out["p_adjusted"] = holm(out["p_value"].to_numpy())
    return out
