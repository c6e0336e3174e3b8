"""Is the change real? Two-sample tests and period-over-period / group-vs-rest tables.

Differences are later minus earlier (or group minus the rest, or ``b`` minus ``a``). The
standard error of a difference of independent estimates is sqrt(se_a² + se_b²); the interval is
centred on the difference of the interval centres (for the adjusted Wald NPS, the adjusted
estimates), and the two-sided p-value is from the normal distribution, or from Welch's t for
unweighted means (:func:`cxkit._estimates.difference`, shared with the report's changes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from cxkit._checks import check_option
from cxkit._counts import ScoreCounts
from cxkit._estimates import (
    Estimate,
    difference,
    mean_estimate,
    nps_estimate,
    share_estimate,
    significant_mask,
    top_box_indicator,
)
from cxkit._estimates import adjust as adjust_p
from cxkit._grouping import by_names
from cxkit._periods import resolve
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError
from cxkit.i18n import reading
from cxkit.survey import By, Data, survey_counts

__all__ = ["MetricTest", "NPSTest", "compare", "metric_test", "nps_test"]

#: Metrics that :func:`metric_test` and :func:`compare` know: score range and unit.
_METRICS = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "rate": (0, 1)}
_UNITS = {"nps": "points", "csat": "pp", "ces": "scale", "rate": "pp"}


@dataclass(frozen=True, repr=False)
class MetricTest(SummaryRepr):
    """Result of :func:`metric_test`: the change from sample ``a`` to sample ``b``.

    ``unit`` says how the difference reads: NPS "points", CSAT and rates "pp" (percentage
    points), CES "scale" (units of the answer scale).
    """

    metric: str
    estimate_a: float
    estimate_b: float
    n_a: int
    n_b: int
    difference: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    method: str
    ci: float
    unit: str

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the result."""
        return pd.DataFrame([asdict(self)])

    def __repr__(self) -> str:
        return (
            f"MetricTest({self.metric} {self.estimate_a:.2f} (n={self.n_a}) -> "
            f"{self.estimate_b:.2f} (n={self.n_b}): difference {self.difference:+.2f} "
            f"{self.unit}, {self.ci:.0%} CI [{self.ci_low:.2f}, {self.ci_high:.2f}], "
            f"p = {self.p_value:.3g}, {self.method})"
        )


#: The pre-0.2 name of :class:`MetricTest` (``nps_test`` returns one).
NPSTest = MetricTest


def _estimator(metric: str, method: str, top_box: int | None):
    """Return the metric's estimator over counts and the factor from shares to points."""
    if metric == "nps":
        return (lambda c: nps_estimate(c, method)), 100.0
    if metric == "csat":
        return (lambda c: share_estimate(c, top_box_indicator(c, top_box or 2))), 100.0
    if metric == "rate":
        return (lambda c: share_estimate(c, top_box_indicator(c, 1))), 100.0
    return mean_estimate, 1.0  # CES compares mean ease, the value column of cx.ces


def metric_test(
    a: Data,
    b: Data,
    *,
    metric: str = "nps",
    score: str | None = None,
    weight: str | None = None,
    scale: int | None = None,
    top_box: int | None = None,
    method: str = "adjusted-wald",
    ci: float = 0.95,
) -> MetricTest:
    """Test whether a metric differs between two independent samples (``b`` minus ``a``).

    Parameters
    ----------
    a, b : DataFrame, Series or array
        The two samples: scores (0-10 for NPS, 1-``scale`` for CSAT and CES), or 0/1 (or
        False/True) outcomes for a rate such as churn, FCR or conversion; or frames with a
        ``score`` column.
    metric : {"nps", "csat", "ces", "rate"}
        NPS differences are in points, CSAT and rates in percentage points, CES in scale
        units of mean ease.
    score : str, optional
        Column of ``a`` and ``b`` when they are frames (default: the metric's name).
    weight : str, optional
        Weight column in both frames (linearization SEs, normal test).
    scale, top_box : int, optional
        Top of the scale (CSAT 5, CES 7) and the top box counted as satisfied (CSAT 2).
    method : {"adjusted-wald", "wald"}
        For unweighted NPS: the adjusted Wald test adds 3/4 to promoters and detractors and
        3 to n in each sample, as for the one-sample interval (Rocks, 2016; Lewis & Sauro,
        2021, "How to statistically compare two Net Promoter Scores").
    ci : float
        Confidence level of the interval for the difference.

    Returns
    -------
    MetricTest
        ``estimate_a``, ``estimate_b``, ``difference`` (observed), ``se``, ``ci_low``,
        ``ci_high``, ``p_value``, and a one-row ``summary``.

    Notes
    -----
    z = (θ_b - θ_a) / sqrt(se_a² + se_b²) with θ the (adjusted) NPS share, the top-box share
    (CSAT), the proportion (rate, se² = p(1 - p)/n) or the mean (CES, Welch's t with
    Welch-Satterthwaite df when unweighted); two-sided p-value.

    Examples
    --------
    For a rate the test is the unpooled Wald test of two proportions: statsmodels
    ``test_proportions_2indep(45, 200, 30, 200, method="wald")`` gives the p-value that
    ``metric_test(a, b, metric="rate")`` gives for 30 of 200 against 45 of 200 (0.0535).
    """
    check_option("metric", metric, _METRICS)
    check_option("method", method, ("adjusted-wald", "wald"))
    low, high = _METRICS[metric]
    high = scale or high
    column = score or metric
    counts = [
        survey_counts(_as_scores(x, metric), score=column, weight=weight, low=low, high=high)
        for x in (a, b)
    ]
    for name, c in zip(("a", "b"), counts, strict=True):
        if not int(np.sum(c.n)):
            raise CxkitError(
                f"metric_test: sample `{name}` has no {metric} answers; a difference needs "
                "answers on both sides. Check the filter that made it."
            )
    estimate, factor = _estimator(metric, method, top_box)
    est_a, est_b = estimate(counts[0]), estimate(counts[1])
    diff = difference(est_a, est_b, ci=ci, scale=factor)
    return MetricTest(
        metric=metric,
        estimate_a=float(factor * est_a.estimate[0]),
        estimate_b=float(factor * est_b.estimate[0]),
        n_a=int(est_a.n[0]),
        n_b=int(est_b.n[0]),
        difference=float(diff.difference[0]),
        se=float(diff.se[0]),
        ci_low=float(diff.ci_low[0]),
        ci_high=float(diff.ci_high[0]),
        p_value=float(diff.p_value[0]),
        method="weighted" if weight else (method if metric == "nps" else "normal"),
        ci=ci,
        unit=_UNITS[metric],
    )


def _as_scores(data: Data, metric: str) -> Data:
    """Booleans become 0/1 scores for a rate; everything else passes unchanged."""
    if metric == "rate" and not isinstance(data, (pd.DataFrame, ScoreCounts)):
        values = pd.Series(data)
        if values.dtype == bool or str(values.dtype) == "boolean":
            return values.astype("Int64")
    return data


def nps_test(
    a: Data,
    b: Data,
    *,
    score: str = "nps",
    weight: str | None = None,
    method: str = "adjusted-wald",
    ci: float = 0.95,
) -> MetricTest:
    """Test whether NPS differs between two samples: ``metric_test(a, b, metric="nps")``.

    See :func:`metric_test`; the result's ``estimate_a`` and ``estimate_b`` are the two NPS
    values in points.
    """
    return metric_test(a, b, metric="nps", score=score, weight=weight, method=method, ci=ci)


def _take(est: Estimate, idx: np.ndarray) -> Estimate:
    return Estimate(
        est.n[idx],
        est.estimate[idx],
        est.se[idx],
        est.center[idx],
        None if est.df is None else est.df[idx],
    )


def _period_pairs(groups: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of (previous, current) periods within each ``by`` group."""
    order = groups.sort_values([*by, "period"], kind="stable").index.to_numpy()
    keys = (
        groups.loc[order, by].astype("object").fillna("\x00").apply(tuple, axis=1) if by else None
    )
    same = (
        np.ones(len(order) - 1, dtype=bool)
        if keys is None
        else (keys.values[1:] == keys.values[:-1])
    )
    return order[:-1][same], order[1:][same]


def _rest(counts: ScoreCounts) -> ScoreCounts:
    """For each (group, period) row, the counts of every other group in the same period."""
    period = counts.groups["period"].astype("object").to_numpy()
    codes, _ = pd.factorize(period)

    def others(a: np.ndarray | None) -> np.ndarray | None:
        if a is None:
            return None
        totals = pd.DataFrame(a).groupby(codes).sum().to_numpy()
        return totals[codes] - a

    return ScoreCounts(
        counts.groups, counts.values, others(counts.n), others(counts.w), others(counts.w2)
    )


def compare(
    data: pd.DataFrame,
    *,
    metric: str = "nps",
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    score: str | None = None,
    scale: int | None = None,
    top_box: int | None = None,
    method: str = "adjusted-wald",
    adjust: str = "holm",
    ci: float = 0.95,
    min_n: int = 30,
    lang: str = "en",
) -> pd.DataFrame:
    """Compare each period with the previous one (and each group with the rest), with readings.

    Parameters
    ----------
    data : DataFrame or Scan
        Responses, or a :func:`cxkit.scan` (the counts then come from DuckDB).
    metric : {"nps", "csat", "ces"}
        NPS differences are in points, CSAT in percentage points, CES in scale units of mean
        ease.
    freq : str, optional
        Granularity of the periods compared ("M", "Q", "W", "Y") over ``date``; default the
        granularity of ``period`` when it is given, else "M".
    period : str, optional
        Keep only the comparisons of this one period ("2026-10"): against its previous
        period, and each group against the rest in it. The p-values are adjusted over those
        rows only. Its granularity must be ``freq``'s.
    by : str or list of str, optional
        Periods are compared within each group; each group is also compared with all other
        groups together, period by period.
    score, scale, top_box : optional
        Score column (default: the metric's name), top of the scale (CSAT 5, CES 7) and
        top box for CSAT.
    adjust : str
        Multiple-comparison adjustment over all rows, any ``statsmodels.stats.multitest.
        multipletests`` method ("holm", "fdr_bh", "bonferroni", ...).
    lang : {"en", "es"}
        Language of the ``reading`` column.

    Returns
    -------
    DataFrame
        ``comparison`` ("period" or "group_vs_rest"), the ``by`` columns, ``period``,
        ``reference`` (the previous period, or "rest"), ``estimate``, ``reference_estimate``,
        ``difference``, ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted``,
        ``significant`` (adjusted p below 1 - ci and both samples at least ``min_n``), ``n``,
        ``n_reference``, ``small_sample``, ``reading``.

    Notes
    -----
    See :func:`cxkit._estimates.difference`. A period is compared with the previous period
    present in the data for its group, which the ``reference`` column names.
    """
    check_option("metric", metric, ("nps", "csat", "ces"))
    check_option("lang", lang, ("en", "es"))
    freq, period = _compare_periods(freq, period)
    by_cols = by_names(by)
    low, high = _METRICS[metric]
    counts = survey_counts(
        data,
        score=score or metric,
        by=by_cols,
        freq=freq,
        date=date,
        weight=weight,
        low=low,
        high=scale or high,
    )
    estimate, factor = _estimator(metric, method, top_box)
    est = estimate(counts)
    prev, cur = _period_pairs(counts.groups, by_cols)
    reference = counts.groups["period"].to_numpy()[prev].astype(str)
    frames = [
        _rows(
            counts.groups, "period", cur, _take(est, prev), _take(est, cur), ci, factor, reference
        )
    ]
    if by_cols:
        rows = np.arange(len(counts.groups))
        rest = np.full(len(rows), "rest", dtype=object)
        frames.append(
            _rows(
                counts.groups, "group_vs_rest", rows, estimate(_rest(counts)), est, ci, factor, rest
            )
        )
    table = pd.concat(frames, ignore_index=True)
    if period is not None:
        table = _only(table, counts.groups["period"], period)
    return _finish(table, metric, by_cols, adjust, ci, min_n, lang)


def _compare_periods(freq: str | None, period) -> tuple[str, pd.Period | None]:
    """Resolve ``freq`` and ``period`` for :func:`compare` (the old ``period="M"`` too)."""
    freq, period = resolve(freq, period, function="compare", stacklevel=4)
    if period is not None:
        if freq is None:
            freq = period.freqstr
        elif pd.Period(period.start_time, freq=freq) != period:
            raise CxkitError(
                f"`period` {str(period)!r} is not a period of `freq` {freq!r}; pass "
                f"freq={period.freqstr!r}, or a period at that granularity."
            )
    return freq or "M", period


def _only(table: pd.DataFrame, periods: pd.Series, period: pd.Period) -> pd.DataFrame:
    """Keep the comparison rows of ``period``; an error naming the range when it has none."""
    if not (periods == period).any():
        seen = periods.dropna()
        raise CxkitError(
            f"no responses in period {period}; the data cover {seen.min()} to {seen.max()}. "
            "Choose a period inside that range."
        )
    return table[table["period"] == period].reset_index(drop=True)


def _rows(
    groups: pd.DataFrame,
    kind: str,
    rows: np.ndarray,
    ref: Estimate,
    own: Estimate,
    ci: float,
    factor: float,
    reference: np.ndarray,
) -> pd.DataFrame:
    diff = difference(ref, own, ci=ci, scale=factor)
    out = groups.iloc[rows].reset_index(drop=True)
    out.insert(0, "comparison", kind)
    out["reference"] = reference
    out["estimate"] = factor * own.estimate
    out["reference_estimate"] = factor * ref.estimate
    for name in ("difference", "se", "ci_low", "ci_high", "p_value"):
        out[name] = getattr(diff, name)
    out["n"] = own.n
    out["n_reference"] = ref.n
    return out


def _finish(
    table: pd.DataFrame, metric: str, by: list[str], adjust: str, ci: float, min_n: int, lang: str
) -> pd.DataFrame:
    adjusted = adjust_p(table["p_value"].to_numpy(), adjust)
    table["p_adjusted"] = adjusted
    table["small_sample"] = (table["n"] < min_n) | (table["n_reference"] < min_n)
    table["significant"] = significant_mask(adjusted, 1 - ci) & ~table["small_sample"]
    table["reading"] = [
        reading(
            metric=metric,
            difference=r.difference,
            p_adjusted=r.p_adjusted,
            significant=r.significant,
            small=r.small_sample,
            n=int(min(r.n, r.n_reference)),
            lang=lang,
            reference=r.reference if r.comparison == "period" else None,
            group=None if r.comparison == "period" else _label(r, by),
        )
        for r in table.itertuples(index=False)  # one sentence per comparison row
    ]
    order = [
        "comparison",
        *by,
        "period",
        "reference",
        "estimate",
        "reference_estimate",
        "difference",
        "se",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "significant",
        "n",
        "n_reference",
        "small_sample",
        "reading",
    ]
    return table[order]


def _label(row, by: list[str]) -> str:
    return " / ".join(str(getattr(row, c)) for c in by)
