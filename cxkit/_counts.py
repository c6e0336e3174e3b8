"""Sufficient statistics for survey metrics: counts per group and score value.

Every survey metric in cxkit (NPS, CSAT, CES, their standard errors, intervals and tests) is a
function of a small table: for each group and each score value, the number of responses and,
when weighted, the sums of weights and of squared weights. This module builds that table in one
vectorised pass (integer group codes combined into one key, then ``numpy.bincount``), so the
metrics cost one pass over the data however many groups there are, and it accepts the same
table computed elsewhere (a SQL ``GROUP BY``, a warehouse export) through
:meth:`ScoreCounts.from_frame`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit._grouping import GroupKey, group_codes, observed_group_codes
from cxkit.errors import CxkitError

__all__ = ["ScoreCounts", "score_counts"]


@dataclass(frozen=True)
class ScoreCounts:
    """Counts of each score value per group.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per group with at least one response; its columns are the grouping columns
        (empty frame with one row when there is no grouping).
    values : numpy.ndarray
        The score values, ``low..high``.
    n : numpy.ndarray
        ``(groups, values)`` response counts.
    w, w2 : numpy.ndarray or None
        ``(groups, values)`` sums of weights and of squared weights (``None`` when unweighted).
    """

    groups: pd.DataFrame
    values: np.ndarray
    n: np.ndarray
    w: np.ndarray | None = None
    w2: np.ndarray | None = None

    @property
    def weighted(self) -> bool:
        """Whether weight sums are present."""
        return self.w is not None

    def to_frame(self) -> pd.DataFrame:
        """Long format: group columns, ``score``, ``n`` (and ``weight_sum``, ``weight_sq_sum``)."""
        g, v = self.n.shape
        out = self.groups.loc[np.repeat(np.arange(g), v)].reset_index(drop=True)
        out["score"] = np.tile(self.values, g)
        out["n"] = self.n.ravel()
        if self.weighted:
            out["weight_sum"] = self.w.ravel()
            out["weight_sq_sum"] = self.w2.ravel()
        return out[out["n"] > 0].reset_index(drop=True)

    @classmethod
    def from_frame(
        cls,
        counts: pd.DataFrame,
        *,
        by: Sequence[str] = (),
        low: int,
        high: int,
        score: str = "score",
        n: str = "n",
        weight_sum: str | None = None,
        weight_sq_sum: str | None = None,
    ) -> ScoreCounts:
        """Build from a long table of counts produced elsewhere (one row per group and score).

        Parameters
        ----------
        counts : DataFrame
            Columns ``by``, ``score``, ``n`` and optionally the weight sums.
        low, high : int
            The scale; scores outside it are an error.
        """
        by = list(by)
        check_range(counts[score], low, high, score)
        keys = counts[by] if by else pd.DataFrame(index=counts.index)
        codes, groups = observed_group_codes(keys)
        index = codes * (high - low + 1) + (counts[score].to_numpy(dtype="int64") - low)
        size = len(groups) * (high - low + 1)
        shape = (len(groups), high - low + 1)
        total = np.bincount(index, weights=counts[n].to_numpy(dtype="float64"), minlength=size)
        w = w2 = None
        if weight_sum is not None:
            w = np.bincount(index, counts[weight_sum].to_numpy("float64"), size).reshape(shape)
            w2 = np.bincount(index, counts[weight_sq_sum].to_numpy("float64"), size).reshape(shape)
        return cls(groups, np.arange(low, high + 1), total.reshape(shape).astype("int64"), w, w2)


def score_counts(
    scores: np.ndarray,
    groups: pd.DataFrame | GroupKey,
    *,
    low: int,
    high: int,
    weights: np.ndarray | None = None,
    present: np.ndarray | None = None,
) -> ScoreCounts:
    """Count each score value per group in one pass.

    Parameters
    ----------
    scores : numpy.ndarray
        Whole scores on ``low..high``: integers (then ``present`` marks the answered ones) or
        floats with NaN where missing. Check them first with :func:`check_range`.
    groups : DataFrame or GroupKey
        Grouping columns, aligned with ``scores`` (no columns: one overall group), or their
        codes already built (:func:`cxkit._grouping.group_key`, shared by several metrics).
        Missing group values form a group of their own; nothing is dropped.
    low, high : int
        The scale.
    weights : numpy.ndarray, optional
        Survey weights aligned with ``scores``.
    present : numpy.ndarray of bool, optional
        Which scores were answered (default: not NaN).

    Notes
    -----
    With group code ``g`` and value ``v``, the bin is ``g * (high - low + 1) + (v - low)``;
    ``numpy.bincount`` over that key gives counts, and with ``weights=w`` and ``w**2`` the
    weight sums. Keys are int32 while the table fits (:func:`_bin_keys`).
    """
    width = high - low + 1
    if present is None:
        present = ~np.isnan(scores)
    codes, table = groups if isinstance(groups, GroupKey) else group_codes(groups)
    size = len(table) * width
    key, lead = _bin_keys(codes, scores, present, width, low, size)
    complete = bool(present.all())
    if not complete:
        key = key[present]
    shape = (len(table), width)
    n = np.bincount(key, minlength=size + lead)[lead:].reshape(shape)
    w = w2 = None
    if weights is not None:
        wt = weights if complete else weights[present]
        w = np.bincount(key, weights=wt, minlength=size + lead)[lead:].reshape(shape)
        w2 = np.bincount(key, weights=wt * wt, minlength=size + lead)[lead:].reshape(shape)
    keep = n.sum(axis=1) > 0
    if not keep.all():  # groups nobody answered are left out
        table = table.loc[keep]
        n, w, w2 = n[keep], None if w is None else w[keep], None if w2 is None else w2[keep]
    return ScoreCounts(table.reset_index(drop=True), np.arange(low, high + 1), n, w, w2)


def _bin_keys(
    codes: np.ndarray, scores: np.ndarray, present: np.ndarray, width: int, low: int, size: int
) -> tuple[np.ndarray, int]:
    """Each row's bin ``g * width + v`` and how many leading bins to drop (``low`` when > 0).

    Two passes (a multiply, an add): the bins are counted as ``g * width + v`` and the first
    ``low`` counts, always zero, are dropped, instead of subtracting ``low`` from every row.
    """
    lead = max(low, 0)
    dtype = "int64" if size + lead >= 2**31 else "int32"
    key = np.multiply(codes, width, dtype=dtype)
    if scores.dtype.kind in "iu":  # checked to be on the scale: adding in place cannot overflow
        np.add(key, scores, out=key, casting="unsafe")
    else:
        key += np.where(present, scores, low).astype(dtype)
    if low < 0:
        key -= low
    return key, lead


def check_range(
    scores: pd.Series | np.ndarray,
    low: int,
    high: int,
    name: str,
    present: np.ndarray | None = None,
) -> None:
    """Raise a :class:`~cxkit.errors.CxkitError` naming values that are not scores on the scale.

    ``scores`` may be integers (with ``present`` marking answered ones) or floats with NaN.
    """
    values = np.asarray(scores)
    if values.dtype.kind in "iu":
        answered = values if present is None or present.all() else values[present]
        if not len(answered) or (answered.min() >= low and answered.max() <= high):
            return
        bad = (values < low) | (values > high)
        if present is not None:
            bad &= present
    else:
        values = values.astype("float64", copy=False)
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(values) & ((values < low) | (values > high) | (values % 1 != 0))
    if bad.any():
        rows = np.flatnonzero(bad)
        shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
        raise CxkitError(
            f"`{name}`: {len(rows):,} value(s) are not whole scores on {low}–{high} "
            f"(positions {shown}; first value {float(values[rows[0]])!r}). Read the data with "
            f"cx.read_responses, which quarantines such rows, or set the right scale."
        )
