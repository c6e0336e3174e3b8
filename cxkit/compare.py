"""Is the change real? Two-sample NPS tests and period-over-period / group-vs-rest tables.

Differences are later minus earlier (or group minus the rest). The standard error of a
difference of independent estimates is sqrt(se_a² + se_b²); the interval is centred on the
difference of the interval centres (for the adjusted Wald NPS, the adjusted estimates), and the
two-sided p-value is from the normal distribution, or from Welch's t for unweighted means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cxkit._checks import check_option
from cxkit._counts import ScoreCounts
from cxkit._estimates import (
    Estimate,
    mean_estimate,
    nps_estimate,
    share_estimate,
    top_box_indicator,
)
from cxkit.i18n import reading
from cxkit.survey import By, Data, survey_counts, z_value

__all__ = ["NPSTest", "compare", "difference", "nps_test"]


@dataclass(frozen=True)
class Difference:
    """Arrays over pairs: difference of estimates, SE, interval and p-value."""

    difference: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray


def difference(a: Estimate, b: Estimate, *, ci: float = 0.95, scale: float = 1.0) -> Difference:
    """Compare estimates ``b`` with ``a`` (element-wise over groups), ``b - a``.

    Notes
    -----
    se = sqrt(se_a² + se_b²); the interval is (centre_b - centre_a) ± crit·se. When both
    estimates carry t degrees of freedom (unweighted means), crit and the p-value use Welch's
    t with Welch-Satterthwaite df = se⁴ / (se_a⁴ / df_a + se_b⁴ / df_b); otherwise normal.
    """
    se = np.sqrt(a.se**2 + b.se**2)
    center = b.center - a.center
    with np.errstate(invalid="ignore", divide="ignore"):
        stat = center / se
        if a.df is not None and b.df is not None:
            df = se**4 / (a.se**4 / a.df + b.se**4 / b.df)
            crit = stats.t.ppf(0.5 + ci / 2, df)
            p = 2 * stats.t.sf(np.abs(stat), df)
        else:
            crit = z_value(ci)
            p = 2 * stats.norm.sf(np.abs(stat))
    return Difference(
        scale * (b.estimate - a.estimate),
        scale * se,
        scale * (center - crit * se),
        scale * (center + crit * se),
        p,
    )


@dataclass(frozen=True)
class NPSTest:
    """Result of :func:`nps_test`: the change from sample ``a`` to sample ``b``, in points."""

    nps_a: float
    nps_b: float
    n_a: int
    n_b: int
    difference: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    method: str
    ci: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the result."""
        return pd.DataFrame([self.__dict__])

    def __repr__(self) -> str:
        return (
            f"NPSTest(nps {self.nps_a:.1f} (n={self.n_a}) -> {self.nps_b:.1f} (n={self.n_b}): "
            f"difference {self.difference:+.1f} points, {self.ci:.0%} CI "
            f"[{self.ci_low:.1f}, {self.ci_high:.1f}], p = {self.p_value:.3g}, {self.method})"
        )

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False, escape=True, float_format=lambda v: f"{v:.3g}")


def _one_group(data: Data, score: str, weight: str | None) -> ScoreCounts:
    return survey_counts(data, score=score, weight=weight, low=0, high=10)


def nps_test(
    a: Data,
    b: Data,
    *,
    score: str = "nps",
    weight: str | None = None,
    method: str = "adjusted-wald",
    ci: float = 0.95,
) -> NPSTest:
    """Test whether NPS differs between two independent samples (``b`` minus ``a``).

    Parameters
    ----------
    a, b : DataFrame, Series or array
        The two samples' 0-10 scores (or frames with a ``score`` column).
    weight : str, optional
        Weight column in both frames (linearization SEs, normal test).
    method : {"adjusted-wald", "wald"}
        For unweighted samples: the adjusted Wald test adds 3/4 to promoters and detractors
        and 3 to n in each sample, as for the one-sample interval (Rocks, 2016; Lewis & Sauro,
        2021, "How to statistically compare two Net Promoter Scores").
    ci : float
        Confidence level of the interval for the difference.

    Returns
    -------
    NPSTest
        ``difference`` (observed, in points), ``se``, ``ci_low``, ``ci_high``, ``p_value``.

    Notes
    -----
    z = (d_b - d_a) / sqrt(Var_a / n_a + Var_b / n_b) with d the (adjusted) NPS share and
    Var = p + d - (p - d)² per sample; two-sided p-value from the normal distribution.
    """
    check_option("method", method, ("adjusted-wald", "wald"))
    est_a = nps_estimate(_one_group(a, score, weight), method)
    est_b = nps_estimate(_one_group(b, score, weight), method)
    diff = difference(est_a, est_b, ci=ci, scale=100.0)
    return NPSTest(
        nps_a=float(100 * est_a.estimate[0]),
        nps_b=float(100 * est_b.estimate[0]),
        n_a=int(est_a.n[0]),
        n_b=int(est_b.n[0]),
        difference=float(diff.difference[0]),
        se=float(diff.se[0]),
        ci_low=float(diff.ci_low[0]),
        ci_high=float(diff.ci_high[0]),
        p_value=float(diff.p_value[0]),
        method="weighted" if weight else method,
        ci=ci,
    )


_METRICS = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def _estimator(metric: str, method: str, top_box: int | None):
    """Return the metric's estimator over counts and the factor from shares to points."""
    if metric == "nps":
        return (lambda c: nps_estimate(c, method)), 100.0
    if metric == "csat":
        return (lambda c: share_estimate(c, top_box_indicator(c, top_box or 2))), 100.0
    return mean_estimate, 1.0  # CES compares mean ease; cx.ces reports the easy share


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
    period: str = "M",
    by: By = None,
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
    metric : {"nps", "csat", "ces"}
        NPS and CSAT differences are in points; CES in scale units of mean ease.
    period : str
        Calendar period ("M", "Q", "W", "Y") over ``date``.
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
    See :func:`difference`. A period is compared with the previous period present in the data
    for its group, which the ``reference`` column names.
    """
    check_option("metric", metric, _METRICS)
    check_option("lang", lang, ("en", "es"))
    by_cols = [by] if isinstance(by, str) else list(by or [])
    low, high = _METRICS[metric]
    high = scale or high
    counts = survey_counts(
        data,
        score=score or metric,
        by=by_cols,
        period=period,
        date=date,
        weight=weight,
        low=low,
        high=high,
    )
    estimate, factor = _estimator(metric, method, top_box)
    est = estimate(counts)
    prev, cur = _period_pairs(counts.groups, by_cols)
    frames = [
        _rows(
            counts.groups,
            "period",
            cur,
            _take(est, prev),
            _take(est, cur),
            ci,
            factor,
            counts.groups["period"].to_numpy()[prev].astype(str),
        )
    ]
    if by_cols:
        rows = np.arange(len(counts.groups))
        frames.append(
            _rows(
                counts.groups,
                "group_vs_rest",
                rows,
                estimate(_rest(counts)),
                est,
                ci,
                factor,
                np.full(len(rows), "rest", dtype=object),
            )
        )
    return _finish(pd.concat(frames, ignore_index=True), metric, by_cols, adjust, ci, min_n, lang)


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
    p = table["p_value"].to_numpy()
    adjusted = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        adjusted[ok] = multipletests(p[ok], method=adjust)[1]
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


def significant_mask(p_adjusted: np.ndarray, alpha: float) -> np.ndarray:
    """Mark adjusted p-values below ``alpha`` (missing p-values are not significant)."""
    return np.nan_to_num(p_adjusted, nan=1.0) < alpha
