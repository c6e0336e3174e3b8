"""Survey metrics with honest intervals: NPS, CSAT and CES, computed from score counts.

Each function takes responses (a DataFrame, or a Series/array of scores), counts every score
value per group in one pass (:mod:`cxkit._counts`) and returns one row per group: the group
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

from cxkit._checks import check_option, is_dask_frame, is_scan
from cxkit._counts import ScoreCounts, check_range, score_counts
from cxkit._estimates import (
    mean_estimate,
    nps_estimate,
    share_estimate,
    top_box_indicator,
    z_value,
)
from cxkit._grouping import GroupKey, as_frame, check_columns, group_key
from cxkit._periods import resolve, select_period
from cxkit._results import metric_table
from cxkit.errors import CxkitError

__all__ = [
    "ces",
    "ces_counts",
    "count_scores",
    "csat",
    "csat_counts",
    "default_easy_box",
    "nps",
    "nps_counts",
    "survey_counts",
    "weight_values",
]

By = str | Sequence[str] | None
Data = pd.DataFrame | pd.Series | np.ndarray | ScoreCounts


def survey_counts(
    data: Data,
    *,
    score: str,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    low: int,
    high: int,
    function: str = "survey_counts",
) -> ScoreCounts:
    """Check scores and weights, then count each score value per group (and period).

    ``period`` (one period) keeps only the rows dated in it; ``freq`` adds a ``period`` group
    column at that granularity. Both are resolved here (:func:`cxkit._periods.resolve`, which
    names ``function`` when it warns about the pre-0.2 ``period="M"``).
    """
    if is_scan(data):  # a cx.scan: DuckDB's counts
        return data.score_counts(
            score=score, by=by, freq=freq, period=period, date=date, weight=weight,
            low=low, high=high, function=function,
        )  # fmt: skip
    freq, period = resolve(freq, period, function=function, stacklevel=4)
    if is_dask_frame(data):  # counted per partition by the code below, then summed
        from cxkit.scan._dask import survey_score_counts

        return survey_score_counts(
            data, {score: (score, low, high)}, by=by, freq=freq, period=period, date=date,
            weight=weight,
        )[score]  # fmt: skip
    if isinstance(data, ScoreCounts):
        if data.values[0] != low or data.values[-1] != high:
            raise CxkitError(
                f"the counts are for scores {data.values[0]}–{data.values[-1]}, but this metric "
                f"needs {low}–{high}; build them with ScoreCounts.from_frame(low=..., high=...)."
            )
        return data
    frame = select_period(as_frame(data, score), period, date=date)
    key = group_key(frame, by=by, freq=freq, date=date)
    weights = weight_values(frame, weight)
    return count_scores(frame, key, score=score, low=low, high=high, weights=weights, weight=weight)


def weight_values(frame: pd.DataFrame, weight: str | None) -> np.ndarray | None:
    """Read the ``weight`` column as floats (NaN where missing); ``None`` when unweighted."""
    if weight is None:
        return None
    check_columns(frame, [weight], parameter="weight")
    return frame[weight].to_numpy(dtype="float64", na_value=np.nan)


def count_scores(
    frame: pd.DataFrame,
    key: GroupKey,
    *,
    score: str,
    low: int,
    high: int,
    weights: np.ndarray | None = None,
    weight: str | None = None,
) -> ScoreCounts:
    """Check the ``score`` column (and the weights of its answers), then count it per group.

    ``key`` holds the rows' group codes (:func:`cxkit._grouping.group_key`), so metrics on the
    same rows can share it; ``weights`` are :func:`weight_values` of the column ``weight``.
    """
    scores, present = _scores(frame[score], low, high, score)
    if weights is not None:
        bad = present & ~(np.isfinite(weights) & (weights >= 0))
        if bad.any():
            rows = np.flatnonzero(bad)
            shown = ", ".join(map(str, rows[:5])) + (", ..." if len(rows) > 5 else "")
            raise CxkitError(
                f"`{weight}`: {len(rows):,} scored response(s) have a missing or negative "
                f"weight (positions {shown}). Give every scored response a weight, or leave "
                "out `weight=`."
            )
    return score_counts(scores, key, low=low, high=high, weights=weights, present=present)


def _scores(column: pd.Series, low: int, high: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Scores as integers where possible (no float copy), with the mask of answered ones."""
    present = column.notna().to_numpy()
    if pd.api.types.is_integer_dtype(column.dtype):  # kept as narrow as stored (Int8: 1 byte)
        narrow = np.dtype(f"{column.dtype.kind}{column.dtype.itemsize}")
        values = column.to_numpy(dtype=narrow, na_value=low)
    else:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        values = np.where(present & np.isnan(values), np.inf, values)  # text: not a score
    check_range(values, low, high, name, present)
    return values, present


def nps_counts(
    counts: ScoreCounts, *, ci: float = 0.95, method: str = "adjusted-wald", min_n: int = 30
) -> pd.DataFrame:
    """NPS from a table of 0-10 score counts (see :func:`nps` for the columns and formulas)."""
    check_option("method", method, ("adjusted-wald", "wald"))
    z = z_value(ci)
    est = nps_estimate(counts, method)
    promoters = counts.n[:, counts.values >= 9].sum(axis=1)
    detractors = counts.n[:, counts.values <= 6].sum(axis=1)
    mass = counts.w if counts.weighted else counts.n  # shares weighted like the score
    with np.errstate(invalid="ignore", divide="ignore"):
        share = {
            name: 100 * mass[:, mask].sum(axis=1) / mass.sum(axis=1)
            for name, mask in (
                ("promoters_pct", counts.values >= 9),
                ("passives_pct", (counts.values >= 7) & (counts.values <= 8)),
                ("detractors_pct", counts.values <= 6),
            )
        }
    return metric_table(
        counts.groups,
        "nps",
        {
            "n": est.n,
            "value": 100 * est.estimate,
            "se": 100 * est.se,
            "ci_low": np.clip(100 * (est.center - z * est.se), -100, 100),
            "ci_high": np.clip(100 * (est.center + z * est.se), -100, 100),
        },
        min_n,
        {
            "promoters": promoters,
            "passives": est.n - promoters - detractors,
            "detractors": detractors,
            **share,
        },
    )


def nps(
    data: Data,
    *,
    score: str = "nps",
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    ci: float = 0.95,
    method: str = "adjusted-wald",
    min_n: int = 30,
) -> pd.DataFrame:
    """Compute the Net Promoter Score per group, with a confidence interval.

    Parameters
    ----------
    data : DataFrame, Series, array, ScoreCounts, Scan or dask DataFrame
        Responses; a Series or array is taken as the scores themselves; a
        :class:`~cxkit.ScoreCounts` (e.g. from a SQL ``GROUP BY``) is used as it is, and then
        ``by``, ``freq`` and ``weight`` are already in it. A :func:`cxkit.scan`, or a
        ``dask.dataframe.DataFrame`` of responses (counted per partition by this path's code,
        then summed), gives the same table as the rows in one pandas frame.
    score : str
        Column of 0-10 likelihood-to-recommend answers. Missing answers are not counted;
        values outside 0-10 or not whole raise an error.
    by : str or list of str, optional
        Grouping columns (none by default: one row).
    freq : str, optional
        Granularity ("M", "Q", "W", "Y") of ``date``: one row per period (a ``period``
        column) as well as per group.
    period : str, optional
        One period ("2026-10", "2026Q4", "2026"): only responses dated in it are counted. An
        error when there are none, naming the range the data cover.
    date : str
        Date column for ``freq`` and ``period``.
    weight : str, optional
        Survey weights column (an error names it when it is not in ``data``).
    ci : float
        Confidence level.
    method : {"adjusted-wald", "wald"}
        Interval for unweighted data (weighted data always use the linearization SE).
    min_n : int
        Groups with fewer responses are flagged ``small_sample``.

    Returns
    -------
    DataFrame
        Group columns, then ``n, nps, se, ci_low, ci_high, small_sample, promoters,
        passives, detractors, promoters_pct, passives_pct, detractors_pct``. ``nps`` is in
        points (-100 to 100), and so are ``se`` and the interval. ``promoters``, ``passives``
        and ``detractors`` count answers (unweighted); the ``_pct`` shares are weighted when
        ``weight`` is given, so ``promoters_pct - detractors_pct == nps``.

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
    counts = survey_counts(
        data,
        score=score,
        by=by,
        freq=freq,
        period=period,
        date=date,
        weight=weight,
        low=0,
        high=10,
        function="nps",
    )
    return nps_counts(counts, ci=ci, method=method, min_n=min_n)


def csat(
    data: Data,
    *,
    score: str = "csat",
    scale: int = 5,
    top_box: int = 2,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
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
        Group columns, then ``n, csat, se, ci_low, ci_high, small_sample, satisfied, mean,
        mean_se``; ``csat`` is the percent satisfied, and ``se`` and the interval are for it,
        in percentage points.

    Notes
    -----
    Unweighted: Wilson score interval for the share satisfied (statsmodels
    ``proportion_confint(method="wilson")``), ``se = sqrt(p (1 - p) / n)``, and
    ``mean_se = s / sqrt(n)``. Weighted: the shares and means are weighted, their SEs are
    linearization SEs (module notes) and the interval is p ± z·se.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22, 209-212. Newcombe, R. G. (1998). Two-sided confidence intervals for
    the single proportion. *Statistics in Medicine*, 17, 857-872.
    """
    counts = survey_counts(
        data,
        score=score,
        by=by,
        freq=freq,
        period=period,
        date=date,
        weight=weight,
        low=1,
        high=scale,
        function="csat",
    )
    return csat_counts(counts, top_box=top_box, ci=ci, min_n=min_n)


def csat_counts(
    counts: ScoreCounts, *, top_box: int = 2, ci: float = 0.95, min_n: int = 30
) -> pd.DataFrame:
    """CSAT from a table of 1..scale score counts (columns and formulas: :func:`csat`)."""
    z = z_value(ci)
    box = top_box_indicator(counts, top_box)
    share = share_estimate(counts, box)
    satisfied = counts.n @ box.astype("int64")
    mean = mean_estimate(counts)
    if counts.weighted:
        low, high = share.center - z * share.se, share.center + z * share.se
    else:
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(satisfied, share.n, alpha=1 - ci, method="wilson")
    return metric_table(
        counts.groups,
        "csat",
        {
            "n": share.n,
            "value": 100 * share.estimate,
            "se": 100 * share.se,
            "ci_low": 100 * np.clip(low, 0, 1),
            "ci_high": 100 * np.clip(high, 0, 1),
        },
        min_n,
        {"satisfied": satisfied, "mean": mean.estimate, "mean_se": mean.se},
    )


def default_easy_box(scale: int) -> int:
    """Top answers counted as easy: 3 on a 7-point scale, 2 on 5 points, else the top 40%."""
    return {7: 3, 5: 2}.get(scale, max(1, round(0.4 * scale)))


def ces(
    data: Data,
    *,
    score: str = "ces",
    scale: int = 7,
    top_box: int | None = None,
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
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
        Group columns, then ``n, ces, se, ci_low, ci_high, small_sample, pct_easy``:
        ``ces`` is the mean ease on the scale, with its SE and interval; ``pct_easy`` the
        percent of answers in the easy box.

    Notes
    -----
    Unweighted: t interval, mean ± t(n-1)·s/sqrt(n). Weighted: mean ± z·se with the
    linearization SE (module notes).
    """
    counts = survey_counts(
        data,
        score=score,
        by=by,
        freq=freq,
        period=period,
        date=date,
        weight=weight,
        low=1,
        high=scale,
        function="ces",
    )
    return ces_counts(counts, top_box=top_box, ci=ci, min_n=min_n)


def ces_counts(
    counts: ScoreCounts, *, top_box: int | None = None, ci: float = 0.95, min_n: int = 30
) -> pd.DataFrame:
    """CES from a table of 1..scale score counts (columns and formulas: :func:`ces`)."""
    mean = mean_estimate(counts)
    crit = z_value(ci) if mean.df is None else _t_value(ci, mean.df)
    scale = int(counts.values[-1])
    easy = share_estimate(counts, top_box_indicator(counts, top_box or default_easy_box(scale)))
    return metric_table(
        counts.groups,
        "ces",
        {
            "n": mean.n,
            "value": mean.estimate,
            "se": mean.se,
            "ci_low": mean.center - crit * mean.se,
            "ci_high": mean.center + crit * mean.se,
        },
        min_n,
        {"pct_easy": 100 * easy.estimate},
    )


def _t_value(ci: float, df: np.ndarray) -> np.ndarray:
    """Two-sided t critical values for confidence level ``ci`` (df below 1 taken as 1)."""
    from scipy import stats  # imported where used: ``import cxkit`` stays light

    distinct, where = np.unique(np.maximum(df, 1), return_inverse=True)
    return stats.t.ppf(0.5 + ci / 2, distinct)[where.reshape(-1)]  # once per distinct df
