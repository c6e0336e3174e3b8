"""Did the change work? A/B tests, pre/post and difference-in-differences on CX outcomes.

Every design returns one :class:`ExperimentResult`: the effect (treatment minus control, after
minus before, or the difference of the two changes), its interval and p-value, the group sizes
and a plain-language reading in English or Spanish. NPS effects are in NPS points, proportions
(conversion, retention, CSAT top-2-box) in percentage points, means in their own units.
The statistics are statsmodels' and scipy's; NPS and CSAT A/B tests are :func:`cxkit.metric_test`.
Sample sizes and power are in :mod:`cxkit.power` and re-exported here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    test_proportions_2indep,
)

from cxkit._estimates import z_value
from cxkit._results import SummaryRepr
from cxkit.compare import metric_test
from cxkit.errors import CxkitError
from cxkit.i18n import change, experiment_text, number, percent
from cxkit.power import SampleSize, family, power, sample_size

__all__ = [
    "ExperimentResult",
    "SampleSize",
    "ab_test",
    "diff_in_diff",
    "power",
    "pre_post",
    "sample_size",
]

#: The unit of an effect, by the metric's family (:func:`cxkit.power.family`).
EFFECT_UNITS = {"nps": "points", "proportion": "pp", "mean": "scale"}


@dataclass(frozen=True, repr=False)
class ExperimentResult(SummaryRepr):
    """The effect of a change, from :func:`ab_test`, :func:`pre_post` or :func:`diff_in_diff`.

    ``effect`` is treatment minus control (A/B), after minus before (pre/post), or the treated
    group's change minus the control group's (diff-in-diff), with ``se``, ``ci_low``,
    ``ci_high`` at level ``ci`` and the two-sided ``p_value``. ``estimate_control`` and
    ``estimate_treatment`` are the two groups' values (pre/post: before and after;
    diff-in-diff: each group's change). ``unit`` is "points" (NPS), "pp" or "scale".
    """

    design: str
    metric: str
    method: str
    effect: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_control: int
    n_treatment: int
    estimate_control: float
    estimate_treatment: float
    unit: str
    ci: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the result."""
        return pd.DataFrame([asdict(self)])

    @property
    def significant(self) -> bool:
        """Whether the p-value is below 1 - ``ci`` (the interval excludes 0)."""
        return bool(self.p_value < 1 - self.ci)

    def reading(self, lang: str = "en") -> str:
        """Say the result in plain language, in English ("en") or Spanish ("es")."""
        t = experiment_text(lang)
        digits = 2 if self.unit == "scale" else 1
        if self.design == "diff_in_diff":  # the groups' values are changes
            fmt = lambda v: change(v, lang, digits, self.unit)  # noqa: E731
        else:
            fmt = lambda v: number(v, lang, digits)  # noqa: E731
        p = (
            "< " + number(0.001, lang, 3)
            if self.p_value < 0.001
            else "= " + number(self.p_value, lang, 3)
        )
        head = t[self.design].format(
            metric=self.metric.upper() if self.metric in ("nps", "csat", "ces") else self.metric,
            effect=change(self.effect, lang, digits, self.unit),
            treatment=fmt(self.estimate_treatment),
            control=fmt(self.estimate_control),
            ci=percent(100 * self.ci, lang, 0),
            low=number(self.ci_low, lang, digits),
            high=number(self.ci_high, lang, digits),
            p=p,
            n_t=number(self.n_treatment, lang, 0),
            n_c=number(self.n_control, lang, 0),
        )
        return f"{head} {t['real' if self.significant else 'noise']}"


def _values(x, name: str) -> np.ndarray:
    """Return one group's answers as floats, blanks removed (an error when < 2 are left)."""
    values = pd.to_numeric(pd.Series(np.asarray(x, dtype=object)), errors="coerce")
    bad = pd.Series(np.asarray(x, dtype=object)).notna() & values.isna()
    if bad.any():
        raise CxkitError(
            f"`{name}` has values that are not numbers at positions {list(bad[bad].index[:5])}."
        )
    values = values.dropna().to_numpy(dtype="float64")
    if len(values) < 2:
        raise CxkitError(f"`{name}` needs at least 2 answers; got {len(values)}.")
    return values


def _proportion_test(control: np.ndarray, treatment: np.ndarray, ci: float) -> dict:
    """Unpooled Wald z-test and interval of p_t - p_c (statsmodels), in percentage points."""
    for name, v in (("control", control), ("treatment", treatment)):
        if not np.isin(v, (0.0, 1.0)).all():
            raise CxkitError(f"`{name}` must hold 0/1 (or False/True) outcomes for a proportion.")
    counts = (treatment.sum(), len(treatment), control.sum(), len(control))
    test = test_proportions_2indep(*counts, method="wald", compare="diff")
    low, high = confint_proportions_2indep(*counts, method="wald", compare="diff", alpha=1 - ci)
    return dict(
        method="two-proportion z-test (Wald)",
        effect=100 * test.diff,
        se=100 * np.sqrt(test.variance),
        ci_low=100 * low,
        ci_high=100 * high,
        p_value=test.pvalue,
        estimate_control=100 * control.mean(),
        estimate_treatment=100 * treatment.mean(),
    )


def _welch_test(control: np.ndarray, treatment: np.ndarray, ci: float) -> dict:
    """Welch's t-test of mean_t - mean_c (scipy), with its Welch-Satterthwaite interval."""
    test = stats.ttest_ind(treatment, control, equal_var=False)
    interval = test.confidence_interval(confidence_level=ci)
    effect = treatment.mean() - control.mean()
    return dict(
        method="Welch's t-test",
        effect=effect,
        se=np.sqrt(treatment.var(ddof=1) / len(treatment) + control.var(ddof=1) / len(control)),
        ci_low=interval.low,
        ci_high=interval.high,
        p_value=test.pvalue,
        estimate_control=control.mean(),
        estimate_treatment=treatment.mean(),
    )


def ab_test(
    control,
    treatment,
    *,
    metric: str,
    ci: float = 0.95,
    weight_control=None,
    weight_treatment=None,
) -> ExperimentResult:
    """Test whether ``treatment`` differs from ``control`` in ``metric``.

    Parameters
    ----------
    control, treatment : Series or array
        Raw answers of each group: 0-10 scores for NPS, 1-5 scores for CSAT, 0/1 (or bool)
        outcomes for a proportion, values for a mean. Blanks are not answers and are left out
        (``n_control``/``n_treatment`` count answers).
    metric : str
        "nps", "csat" (top-2-box share), a proportion ("conversion", "retention", ...) or a
        mean ("ces", "handle_time", "mean", ...); see :mod:`cxkit.power`.
    ci : float
        Confidence level of the interval; the result is significant when p < 1 - ci.
    weight_control, weight_treatment : Series or array, optional
        Survey weights (NPS, CSAT and proportions only), passed to :func:`cxkit.metric_test`.

    Returns
    -------
    ExperimentResult
        ``effect`` = treatment - control, with interval, p-value, group sizes and ``reading``.

    Notes
    -----
    NPS and CSAT: :func:`cxkit.metric_test` (adjusted Wald for NPS; Rocks, 2016). Proportions:
    the unpooled two-proportion z-test z = (p_t - p_c) / √(p_t(1-p_t)/n_t + p_c(1-p_c)/n_c)
    and its Wald interval (statsmodels ``test_proportions_2indep`` and
    ``confint_proportions_2indep``, method "wald"). Means: Welch's t-test,
    t = (x̄_t - x̄_c) / √(s_t²/n_t + s_c²/n_c) with Welch-Satterthwaite df (Welch, 1947,
    Biometrika 34, 28-35; scipy ``ttest_ind(equal_var=False)``).
    """
    kind = family(metric)
    z_value(ci)  # checks ci
    weighted = weight_control is not None or weight_treatment is not None
    if kind == "nps" or metric == "csat" or (weighted and kind == "proportion"):
        return _via_metric_test(control, treatment, metric, ci, weight_control, weight_treatment)
    if weighted:
        raise CxkitError(
            f"weights are supported for NPS, CSAT and proportions, not for {metric!r}."
        )
    c, t = _values(control, "control"), _values(treatment, "treatment")
    parts = _proportion_test(c, t, ci) if kind == "proportion" else _welch_test(c, t, ci)
    return ExperimentResult(
        design="ab", metric=metric, n_control=len(c), n_treatment=len(t),
        unit=EFFECT_UNITS[kind], ci=ci, **{k: float(v) for k, v in parts.items() if k != "method"},
        method=parts["method"],
    )  # fmt: skip


def _via_metric_test(control, treatment, metric, ci, w_c, w_t) -> ExperimentResult:
    """NPS, CSAT and weighted proportions: cxkit's own two-sample test."""
    name = {"nps": "nps", "csat": "csat"}.get(metric, "rate")
    if (w_c is None) != (w_t is None):
        raise CxkitError("give both `weight_control` and `weight_treatment`, or neither.")
    frames = []
    for x, w in ((control, w_c), (treatment, w_t)):
        frame = pd.DataFrame({name: pd.Series(np.asarray(x, dtype=object)).astype("Float64")})
        if w is not None:
            frame["weight"] = np.asarray(w, dtype="float64")
        frames.append(frame.dropna(subset=[name]))
    res = metric_test(*frames, metric=name, weight=None if w_c is None else "weight", ci=ci)
    return ExperimentResult(
        design="ab", metric=metric, method=f"cxkit metric_test ({res.method})",
        effect=res.difference, se=res.se, ci_low=res.ci_low, ci_high=res.ci_high,
        p_value=res.p_value, n_control=res.n_a, n_treatment=res.n_b,
        estimate_control=res.estimate_a, estimate_treatment=res.estimate_b,
        unit=res.unit, ci=ci,
    )  # fmt: skip


def outcome_values(data: pd.DataFrame, outcome: str, metric: str) -> pd.Series:
    """Return the regression outcome: NPS answers coded 100/0/-100, proportions 100/0, means as is.

    With NPS coded this way the mean of the codes is the NPS, so coefficients are NPS points;
    CSAT counts 4-5 as satisfied (top-2-box of 1-5) and reads in percentage points.
    """
    if outcome not in data.columns:
        raise CxkitError(f"no column {outcome!r} in `data`; columns are {list(data.columns)}.")
    y = pd.to_numeric(data[outcome], errors="coerce").astype("float64")
    kind = family(metric)
    if kind == "nps":
        return pd.Series(
            np.where(y >= 9, 100.0, np.where(y <= 6, -100.0, 0.0)), index=y.index
        ).where(y.notna())
    if metric == "csat":
        return (100.0 * (y >= 4)).where(y.notna())
    return 100.0 * y if kind == "proportion" else y


def _design_frame(
    data: pd.DataFrame, *, outcome: str, metric: str | None, date: str, change_date, cluster
) -> tuple[pd.DataFrame, str]:
    """Outcome ``y``, ``post`` (0/1) and cluster codes of the answered rows; the metric."""
    for name in (outcome, date, cluster):
        if name is not None and name not in data.columns:
            raise CxkitError(f"no column {name!r} in `data`; columns are {list(data.columns)}.")
    metric = metric or outcome
    family(metric)  # a clear error when the outcome's name is not a metric
    when = pd.to_datetime(data[date], errors="coerce")
    if when.isna().any():
        rows = list(np.flatnonzero(when.isna())[:5])
        raise CxkitError(f"column {date!r} has missing or unreadable dates (rows {rows}, ...).")
    frame = pd.DataFrame({"y": outcome_values(data, outcome, metric)}, index=data.index)
    frame["post"] = (when >= pd.Timestamp(change_date)).astype("float64")
    if cluster is not None:
        frame["cluster"] = pd.factorize(data[cluster])[0]
    return frame[frame["y"].notna()], metric


def _ols_effect(frame: pd.DataFrame, formula: str, term: str, ci: float) -> dict:
    """OLS of ``formula``; ``term``'s coefficient, robust SE (HC1 or cluster), interval, p."""
    model = smf.ols(formula, data=frame)
    if "cluster" in frame:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": frame["cluster"].to_numpy()})
        method = "OLS, cluster-robust SE"
    else:
        fit = model.fit(cov_type="HC1")
        method = "OLS, HC1 robust SE"
    low, high = fit.conf_int(alpha=1 - ci).loc[term]
    return dict(
        method=method,
        effect=float(fit.params[term]),
        se=float(fit.bse[term]),
        ci_low=float(low),
        ci_high=float(high),
        p_value=float(fit.pvalues[term]),
    )


def _need_both(mask: pd.Series, what: str) -> None:
    if mask.all() or not mask.any():
        raise CxkitError(f"the data have no responses {what}; check `change_date` and the groups.")


def pre_post(
    data: pd.DataFrame,
    *,
    outcome: str,
    change_date,
    date: str = "responded_at",
    metric: str | None = None,
    cluster: str | None = None,
    ci: float = 0.95,
) -> ExperimentResult:
    """Compare the outcome after ``change_date`` with before it (OLS on an after dummy).

    Parameters
    ----------
    data : DataFrame
        Responses.
    outcome : str
        Outcome column: 0-10 scores for NPS, 1-5 for CSAT, 0/1 for a proportion, values.
    change_date : str or Timestamp
        Responses from this moment on are "after".
    date : str
        Date column.
    metric : str, optional
        How to read ``outcome`` (default: the column's name, e.g. "nps").
    cluster : str, optional
        Column whose values are clusters (customers, stores) for cluster-robust SEs;
        otherwise heteroskedasticity-robust HC1 SEs.
    ci : float
        Confidence level.

    Returns
    -------
    ExperimentResult
        ``effect`` = after - before; ``estimate_control``/``estimate_treatment`` are the
        before/after values.

    Notes
    -----
    y = β₀ + β₁·after + ε, with y the outcome coded so that its mean is the metric (NPS
    100/0/-100). β₁ is the difference of means; without a control group it is the effect of
    the change only if nothing else changed at the same time.
    """
    z_value(ci)
    frame, metric = _design_frame(
        data, outcome=outcome, metric=metric, date=date, change_date=change_date, cluster=cluster
    )
    post = frame["post"] == 1
    _need_both(post, "before or after `change_date`")
    parts = _ols_effect(frame, "y ~ post", "post", ci)
    return ExperimentResult(
        design="pre_post", metric=metric, n_control=int((~post).sum()),
        n_treatment=int(post.sum()), estimate_control=float(frame.loc[~post, "y"].mean()),
        estimate_treatment=float(frame.loc[post, "y"].mean()),
        unit=EFFECT_UNITS[family(metric)], ci=ci, **parts,
    )  # fmt: skip


def diff_in_diff(
    data: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    treated,
    change_date,
    date: str = "responded_at",
    metric: str | None = None,
    cluster: str | None = None,
    ci: float = 0.95,
) -> ExperimentResult:
    """Difference-in-differences: the treated group's change beyond the control group's.

    Parameters
    ----------
    data, outcome, change_date, date, metric, cluster, ci
        As in :func:`pre_post`.
    group : str
        Column that tells the groups apart (a segment, region or store).
    treated : value or list of values
        The ``group`` values that got the change; every other value is the control group.

    Returns
    -------
    ExperimentResult
        ``effect`` = (T₁ - T₀) - (C₁ - C₀), the interaction coefficient;
        ``estimate_treatment`` = T₁ - T₀ and ``estimate_control`` = C₁ - C₀ (cell means);
        ``n_treatment``/``n_control`` count the treated/control group's responses.

    Notes
    -----
    y = β₀ + β₁·treated + β₂·after + β₃·treated·after + ε (statsmodels ``smf.ols``), robust
    SEs (HC1, or clustered by ``cluster``). With this saturated 2×2 design β₃ equals the
    difference of the two groups' changes in mean. It is the effect of the change under
    parallel trends: without it, both groups would have moved alike (Angrist & Pischke,
    2009, Mostly Harmless Econometrics, ch. 5).
    """
    z_value(ci)
    if group not in data.columns:
        raise CxkitError(f"no column {group!r} in `data`; columns are {list(data.columns)}.")
    frame, metric = _design_frame(
        data, outcome=outcome, metric=metric, date=date, change_date=change_date, cluster=cluster
    )
    _need_both(frame["post"] == 1, "before or after `change_date`")
    values = list(treated) if isinstance(treated, (list, tuple, set)) else [treated]
    frame["treated"] = data.loc[frame.index, group].isin(values).astype("float64")
    _need_both(frame["treated"] == 1, f"in the treated group {values} (or none outside it)")
    cells = frame.groupby(["treated", "post"])["y"].mean()
    if len(cells) < 4:
        raise CxkitError("each group needs responses both before and after `change_date`.")
    parts = _ols_effect(frame, "y ~ treated * post", "treated:post", ci)
    treated_rows = frame["treated"] == 1
    return ExperimentResult(
        design="diff_in_diff", metric=metric, n_control=int((~treated_rows).sum()),
        n_treatment=int(treated_rows.sum()),
        estimate_control=float(cells[(0.0, 1.0)] - cells[(0.0, 0.0)]),
        estimate_treatment=float(cells[(1.0, 1.0)] - cells[(1.0, 0.0)]),
        unit=EFFECT_UNITS[family(metric)], ci=ci, **parts,
    )  # fmt: skip
