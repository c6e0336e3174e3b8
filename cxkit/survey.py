"""Survey metrics with honest intervals: NPS, CSAT and CES, computed from score counts.

Each function takes responses (a DataFrame, or a Series/array of scores), counts every score
value per group in one pass (:mod:`cxkit.counts`) and returns one row per group: the group
columns, then the metric's columns (their names are public API).

Weighted estimates use the weights' sums per score value; their standard errors are the
linearization (Taylor) standard errors that design-based survey software gives for a weighted
mean with no strata or clusters (R: ``svymean(~x, svydesign(ids = ~1, weights = ~w))``):

    var(ȳ_w) = n / (n - 1) * Σ_i w_i² (y_i - ȳ_w)² / (Σ_i w_i)²

which needs only, per score value, the sum of squared weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from cxkit._checks import check_option
from cxkit.counts import ScoreCounts, check_range, score_counts
from cxkit.errors import CxkitError
from cxkit.grouping import as_frame, group_frame

__all__ = ["ces", "csat", "nps", "nps_counts"]

By = str | Sequence[str] | None


def _counts(
    data,
    *,
    score: str,
    by: By,
    period: str | None,
    date: str,
    weight: str | None,
    low: int,
    high: int,
) -> ScoreCounts:
    frame = as_frame(data, score)
    values = (
        pd.to_numeric(frame[score], errors="coerce")
        if frame[score].dtype == object
        else frame[score]
    )
    scores = values.to_numpy(dtype="float64", na_value=np.nan)
    check_range(scores, low, high, score)
    groups = group_frame(frame, by=by, period=period, date=date)
    weights = None
    if weight is not None:
        weights = frame[weight].to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isnan(scores) & ~(np.isfinite(weights) & (weights >= 0))
        if bad.any():
            rows = np.flatnonzero(bad)
            shown = ", ".join(map(str, rows[:5])) + (", ..." if len(rows) > 5 else "")
            raise CxkitError(
                f"`{weight}`: {len(rows):,} scored response(s) have a missing or negative "
                f"weight (positions {shown}). Give every scored response a weight, or leave "
                "out `weight=`."
            )
    return score_counts(scores, groups, low=low, high=high, weights=weights)


def _z(ci: float) -> float:
    if not 0 < ci < 1:
        raise CxkitError(f"`ci` must be between 0 and 1 (e.g. 0.95); got {ci!r}.")
    return float(stats.norm.ppf(0.5 + ci / 2))


def _table(counts: ScoreCounts, columns: dict[str, np.ndarray], min_n: int) -> pd.DataFrame:
    out = counts.groups.copy()
    for name, values in columns.items():
        out[name] = values
    out["small_sample"] = out["n"] < min_n
    return out


def _weighted_share(counts: ScoreCounts, indicator: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean of ``indicator`` (a value per score) and its linearization SE."""
    total = counts.w.sum(axis=1)
    est = counts.w @ indicator / total
    n = counts.n.sum(axis=1)
    dev2 = (indicator[None, :] - est[:, None]) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        var = n / (n - 1) * (counts.w2 * dev2).sum(axis=1) / total**2
    return est, np.sqrt(var)


def nps_counts(
    counts: ScoreCounts, *, ci: float = 0.95, method: str = "adjusted-wald", min_n: int = 30
) -> pd.DataFrame:
    """NPS from a table of 0-10 score counts (see :func:`nps` for the columns and formulas)."""
    check_option("method", method, ("adjusted-wald", "wald"))
    z = _z(ci)
    n = counts.n.sum(axis=1)
    promoters = counts.n[:, 9:].sum(axis=1)
    detractors = counts.n[:, :7].sum(axis=1)
    code = np.where(counts.values >= 9, 1.0, np.where(counts.values <= 6, -1.0, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        if counts.weighted:
            est, se = _weighted_share(counts, code)
            center = est
        else:
            est = (promoters - detractors) / n
            extra = (0.75, 3.0) if method == "adjusted-wald" else (0.0, 0.0)
            p = (promoters + extra[0]) / (n + extra[1])
            d = (detractors + extra[0]) / (n + extra[1])
            center = p - d
            se = np.sqrt((p + d - center**2) / (n + extra[1]))
    return _table(
        counts,
        {
            "n": n,
            "promoters": promoters,
            "passives": n - promoters - detractors,
            "detractors": detractors,
            "nps": 100 * est,
            "se": 100 * se,
            "ci_low": np.clip(100 * (center - z * se), -100, 100),
            "ci_high": np.clip(100 * (center + z * se), -100, 100),
        },
        min_n,
    )


def nps(
    data: pd.DataFrame | pd.Series | np.ndarray,
    *,
    score: str = "nps",
    by: By = None,
    period: str | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    ci: float = 0.95,
    method: str = "adjusted-wald",
    min_n: int = 30,
) -> pd.DataFrame:
    """Net Promoter Score per group, with a confidence interval.

    Parameters
    ----------
    data : DataFrame, Series or array
        Responses; a Series or array is taken as the scores themselves.
    score : str
        Column of 0-10 likelihood-to-recommend answers. Missing answers are not counted;
        values outside 0-10 or not whole raise an error.
    by : str or list of str, optional
        Grouping columns.
    period : str, optional
        Calendar period ("M", "Q", "W", "Y") of ``date`` to group by as well.
    weight : str, optional
        Survey weights column.
    ci : float
        Confidence level.
    method : {"adjusted-wald", "wald"}
        Interval for unweighted data (weighted data always use the linearization SE).
    min_n : int
        Groups with fewer responses are flagged ``small_sample``.

    Returns
    -------
    DataFrame
        Group columns, then ``n, promoters, passives, detractors, nps, se, ci_low, ci_high,
        small_sample``. ``nps`` is in points (-100 to 100).

    Notes
    -----
    With P promoters (9-10), D detractors (0-6) among n answers, p = P/n and d = D/n:

        NPS = 100 (p - d),   Var = (p + d - (p - d)²) / n          (Wald)

    The adjusted Wald interval (Rocks, 2016) adds 3/4 to promoters and detractors and 3/2 to
    passives (3 in all) before computing the interval, which is centred on the adjusted
    estimate; ``nps`` is still the observed score and ``se`` the adjusted one. Intervals are
    clipped to [-100, 100]. Weighted: NPS is the weighted mean of the codes +1/0/-1 and ``se``
    the linearization SE given in the module notes.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
    Statistician*, 70(4), 365-372.

    Examples
    --------
    >>> import cxkit as cx
    >>> cx.nps([10, 9, 8, 3, 10])[["n", "nps"]]
       n   nps
    0  5  40.0
    """
    counts = _counts(
        data, score=score, by=by, period=period, date=date, weight=weight, low=0, high=10
    )
    return nps_counts(counts, ci=ci, method=method, min_n=min_n)


def _mean_and_se(counts: ScoreCounts) -> tuple[np.ndarray, np.ndarray]:
    values = counts.values.astype("float64")
    if counts.weighted:
        return _weighted_share(counts, values)
    n = counts.n.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts.n @ values / n
        var = (counts.n * (values[None, :] - mean[:, None]) ** 2).sum(axis=1) / (n - 1)
        return mean, np.sqrt(var / n)


def _top_box(counts: ScoreCounts, top_box: int) -> np.ndarray:
    return (counts.values > counts.values.max() - top_box).astype("float64")


def csat(
    data: pd.DataFrame | pd.Series | np.ndarray,
    *,
    score: str = "csat",
    scale: int = 5,
    top_box: int = 2,
    by: By = None,
    period: str | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    ci: float = 0.95,
    min_n: int = 30,
) -> pd.DataFrame:
    """Compute customer satisfaction: percent in the top box and mean score, per group.

    Parameters
    ----------
    scale : int
        The scale's top score (it starts at 1).
    top_box : int
        How many top answers count as satisfied (2: 4 and 5 on a 5-point scale).

    Other parameters are as in :func:`nps`.

    Returns
    -------
    DataFrame
        Group columns, then ``n, satisfied, csat, se, ci_low, ci_high, mean, mean_se,
        small_sample``; ``csat`` is the percent satisfied and the interval is for it.

    Notes
    -----
    Unweighted: Wilson score interval for the share satisfied (statsmodels
    ``proportion_confint(method="wilson")``), ``se = sqrt(p (1 - p) / n)``, and
    ``mean_se = s / sqrt(n)``. Weighted: the shares and means are weighted, their SEs are
    linearization SEs (module notes) and the interval is p ± z·se.
    """
    counts = _counts(
        data, score=score, by=by, period=period, date=date, weight=weight, low=1, high=scale
    )
    z, alpha = _z(ci), 1 - ci
    n = counts.n.sum(axis=1)
    box = _top_box(counts, top_box)
    satisfied = counts.n @ box.astype("int64")
    mean, mean_se = _mean_and_se(counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        if counts.weighted:
            p, se = _weighted_share(counts, box)
            low, high = p - z * se, p + z * se
        else:
            p = satisfied / n
            se = np.sqrt(p * (1 - p) / n)
            low, high = proportion_confint(satisfied, n, alpha=alpha, method="wilson")
    return _table(
        counts,
        {
            "n": n,
            "satisfied": satisfied,
            "csat": 100 * p,
            "se": 100 * se,
            "ci_low": 100 * np.clip(low, 0, 1),
            "ci_high": 100 * np.clip(high, 0, 1),
            "mean": mean,
            "mean_se": mean_se,
        },
        min_n,
    )


def ces(
    data: pd.DataFrame | pd.Series | np.ndarray,
    *,
    score: str = "ces",
    scale: int = 7,
    top_box: int | None = None,
    by: By = None,
    period: str | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    ci: float = 0.95,
    min_n: int = 30,
) -> pd.DataFrame:
    """Compute customer effort: mean ease (higher is easier) and percent finding it easy.

    Parameters
    ----------
    scale : int
        The scale's top score (it starts at 1); 7 for CES 2.0.
    top_box : int, optional
        How many top answers count as easy; default 3 on a 7-point scale ("somewhat agree" or
        more), 2 on a 5-point scale, otherwise the top 40% of the scale.

    Other parameters are as in :func:`nps`.

    Returns
    -------
    DataFrame
        Group columns, then ``n, mean, se, ci_low, ci_high, pct_easy, small_sample``.

    Notes
    -----
    Unweighted: t interval, mean ± t(n-1)·s/sqrt(n). Weighted: mean ± z·se with the
    linearization SE (module notes).
    """
    counts = _counts(
        data, score=score, by=by, period=period, date=date, weight=weight, low=1, high=scale
    )
    top_box = top_box or {7: 3, 5: 2}.get(scale, max(1, round(0.4 * scale)))
    n = counts.n.sum(axis=1)
    mean, se = _mean_and_se(counts)
    with np.errstate(invalid="ignore"):
        crit = _z(ci) if counts.weighted else stats.t.ppf(0.5 + ci / 2, np.maximum(n - 1, 1))
    easy = counts.n @ _top_box(counts, top_box) if not counts.weighted else None
    share = (
        easy / n
        if easy is not None
        else counts.w @ _top_box(counts, top_box) / counts.w.sum(axis=1)
    )
    return _table(
        counts,
        {
            "n": n,
            "mean": mean,
            "se": se,
            "ci_low": mean - crit * se,
            "ci_high": mean + crit * se,
            "pct_easy": 100 * share,
        },
        min_n,
    )
