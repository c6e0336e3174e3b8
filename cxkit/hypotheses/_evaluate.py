"""Reading a hypothesis' evidence from response data: the groups, the test, the suggestion.

The groups come from the record's ``groups`` mapping (see ``templates/hypotheses.yml``); the
test is :func:`cxkit.experiments.ab_test`, :func:`~cxkit.experiments.pre_post` or
:func:`~cxkit.experiments.diff_in_diff` by ``design``; the planned size is
:func:`cxkit.sample_size` of the record's plan. Suggestions follow one rule:

- read before each group reached its planned size (peeking): stay ``running`` (a hypothesis
  already decided keeps its status, and the reason says the decision rests on a peek);
- interval excluding 0 on the side of ``minimum_effect``: ``validated``;
- interval excluding 0 on the other side: ``invalidated``;
- interval covering 0: ``inconclusive``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError
from cxkit.hypotheses._record import DECIDED, GROUP_KEYS, Hypothesis
from cxkit.i18n import change, hypothesis_text, number, percent, table_text
from cxkit.power import sample_size
from cxkit.rootcause._analysis import as_of_date

if TYPE_CHECKING:
    from cxkit.experiments import ExperimentResult

__all__ = [
    "EVALUATION_COLUMNS",
    "confidence",
    "effect_text",
    "evaluate",
    "group_counts",
    "matches",
    "planned_size",
]

#: Columns of :meth:`HypothesisRegister.evaluate`.
EVALUATION_COLUMNS = [
    "id",
    "metric",
    "design",
    "status",
    "n_control",
    "n_treatment",
    "n_required",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "ci",
    "peeking",
    "suggested_status",
    "reason",
    "as_of",
]


def matches(column: pd.Series, value: object) -> pd.Series:
    """Rows of ``column`` equal to ``value`` (or one of a list), compared as written or as text."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return column.isin(values) | column.astype("string").isin([str(v) for v in values])


def _need_column(data: pd.DataFrame, column: object, field: str) -> None:
    if column not in data.columns:
        raise CxkitError(f"`{field}`: the data has no column {column!r}")


def selected(h: Hypothesis, data: pd.DataFrame) -> pd.DataFrame:
    """Return the rows the hypothesis' ``groups.filter`` keeps (all rows without a filter)."""
    keep = pd.Series(True, index=data.index)
    rules = h.groups.get("filter") or {}
    for column, value in rules.items() if isinstance(rules, dict) else ():
        _need_column(data, column, "groups.filter")
        keep &= matches(data[column], value)
    return data[keep]


def split(h: Hypothesis, data: pd.DataFrame, date: str = "responded_at") -> pd.Series:
    """Return a Series over the selected rows: "control", "treatment" or None (neither)."""
    g, rows = h.groups, selected(h, data)
    side = pd.Series(None, index=rows.index, dtype="object")
    if h.design in ("ab", "diff_in_diff"):
        _need_column(rows, g.get("column"), "groups.column")
        treated = matches(rows[g["column"]], g.get("treatment"))
        control = (
            matches(rows[g["column"]], g["control"]) if g.get("control") is not None else ~treated
        )
        side[control] = "control"
        side[treated] = "treatment"
    else:
        _need_column(rows, date, "groups.change_date")
        when = pd.to_datetime(rows[date], errors="coerce")
        after = when >= pd.Timestamp(g.get("change_date"))
        side[when.notna() & ~after] = "control"
        side[after] = "treatment"
    return side


def group_counts(h: Hypothesis, data: pd.DataFrame, date: str = "responded_at") -> tuple[int, int]:
    """Answers of the metric in the control (before) and treatment (after) groups."""
    side = split(h, data, date)
    _need_column(data, h.metric, "metric")
    answered = data.loc[side.index, h.metric].notna()
    return int((answered & (side == "control")).sum()), int(
        (answered & (side == "treatment")).sum()
    )


def confidence(h: Hypothesis) -> float:
    """Return the interval level the plan's ``alpha`` gives (1 - alpha; 0.95 without one)."""
    alpha = h.get("alpha")
    return 1 - float(alpha) if isinstance(alpha, (int, float)) and 0 < alpha < 1 else 0.95


def _test(h: Hypothesis, data: pd.DataFrame, weight: str | None, date: str) -> ExperimentResult:
    """Test the hypothesis on ``data`` at the interval level of its plan."""
    from cxkit.experiments import ab_test, diff_in_diff, pre_post  # when used: statsmodels

    side, ci = split(h, data, date), confidence(h)
    _need_column(data, h.metric, "metric")
    rows = data.loc[side.index]
    answered = rows[h.metric].notna()
    for name in ("control", "treatment"):
        n = int((answered & (side == name)).sum())
        if n < 2:
            raise CxkitError(f"the {name} group has {n} {h.metric} answer(s); at least 2 needed")
    if h.design == "ab":
        c, t = rows[side == "control"], rows[side == "treatment"]
        if weight is not None:
            _need_column(data, weight, "weight")
        return ab_test(
            c[h.metric], t[h.metric], metric=h.metric, ci=ci,
            weight_control=None if weight is None else c[weight],
            weight_treatment=None if weight is None else t[weight],
        )  # fmt: skip
    if weight is not None:
        raise CxkitError(f"weights are used for A/B tests only, not for design {h.design!r}")
    change = h.groups["change_date"]
    if h.design == "pre_post":
        return pre_post(rows, outcome=h.metric, change_date=change, date=date, ci=ci)
    rows = rows[side.notna()]
    return diff_in_diff(
        rows, outcome=h.metric, group=h.groups["column"], treated=h.groups["treatment"],
        change_date=change, date=date, ci=ci,
    )  # fmt: skip


def effect_text(effect: float, low: float, high: float, unit: str, lang: str) -> str:
    """Write an effect with its interval: "+13.5 points (+7.0 to +20.0)"."""
    digits = 2 if unit == "scale" else 1
    low_text, high_text = (change(v, lang, digits, "scale") for v in (low, high))
    span = table_text(lang)["range"].format(low=low_text, high=high_text)
    return f"{change(effect, lang, digits, unit)} ({span})"


def _suggest(
    h: Hypothesis, r: ExperimentResult, n_required: int | None, lang: str
) -> tuple[bool, str, str]:
    """Return (peeking, suggested status, reason in ``lang``)."""
    t = hypothesis_text(lang)
    interval = effect_text(r.effect, r.ci_low, r.ci_high, r.unit, lang)
    keep = h.status if h.status in DECIDED else "running"
    if n_required is None:
        return True, keep, t["reason_no_plan"].format(interval=interval)
    if min(r.n_control, r.n_treatment) < n_required:
        counts = t["reason_counts"].format(
            n=number(n_required, lang, 0),
            control=number(r.n_control, lang, 0),
            treatment=number(r.n_treatment, lang, 0),
        )
        key = "reason_peek_decided" if h.status in DECIDED else "reason_peek"
        return True, keep, t[key].format(counts=counts)
    wanted = 1.0 if float(h.get("minimum_effect") or 1) > 0 else -1.0
    if r.ci_low <= 0 <= r.ci_high:
        status = "inconclusive"
    else:
        status = "validated" if np.sign(r.effect) == wanted else "invalidated"
    verdict = t[f"verdict_{status}"].format(level=percent(100 * r.ci, lang, 0))
    return False, status, t["reason_effect"].format(interval=interval, verdict=verdict)


def planned_size(h: Hypothesis) -> int | None:
    """Answers per group the hypothesis' plan needs (None when the plan is incomplete)."""
    try:
        return sample_size(**h.plan()).n_required
    except (CxkitError, TypeError, ValueError):
        return None


def evaluate_one(
    h: Hypothesis, data: pd.DataFrame, as_of: dt.date, weight: str | None, date: str, lang: str
) -> list[object]:
    """One row of :data:`EVALUATION_COLUMNS` for one hypothesis."""
    head = [h.id, h.metric, h.design, h.status]
    t = hypothesis_text(lang)
    n_required = planned_size(h)
    if h.design not in GROUP_KEYS or h.metric is None:
        return [*head, 0, 0, n_required, *[math.nan] * 5, True, h.status,
                t["reason_no_design"], as_of]  # fmt: skip
    try:
        r = _test(h, data, weight, date)
    except CxkitError as err:
        return [*head, 0, 0, n_required, *[math.nan] * 5, True, h.status,
                t["reason_unreadable"].format(error=err), as_of]  # fmt: skip
    peeking, status, reason = _suggest(h, r, n_required, lang)
    return [*head, r.n_control, r.n_treatment, n_required, r.effect, r.ci_low, r.ci_high,
            r.p_value, r.ci, peeking, status, reason, as_of]  # fmt: skip


def evaluate(
    hypotheses: list[Hypothesis],
    data: pd.DataFrame,
    *,
    as_of: object = None,
    weight: str | None = None,
    date: str = "responded_at",
    lang: str = "en",
) -> pd.DataFrame:
    """Evaluate the running and decided hypotheses (see :meth:`HypothesisRegister.evaluate`)."""
    if date not in data.columns:
        raise CxkitError(f"no column {date!r} in `data`; columns are {list(data.columns)}.")
    when = pd.to_datetime(data[date], errors="coerce")
    cutoff = as_of_date(as_of)
    if cutoff is not None:
        data = data[when.dt.date <= cutoff]
    else:
        cutoff = when.max().date() if when.notna().any() else dt.date.today()
    rows = [
        evaluate_one(h, data, cutoff, weight, date, lang)
        for h in hypotheses
        if h.status == "running" or h.status in DECIDED
    ]
    frame = pd.DataFrame(rows, columns=EVALUATION_COLUMNS)
    frame["n_required"] = frame["n_required"].astype("Int64")
    frame["peeking"] = frame["peeking"].astype(bool)
    return frame
