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

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError
from cxkit.experiments import ExperimentResult, ab_test, diff_in_diff, pre_post
from cxkit.hypotheses._record import DECIDED, GROUP_KEYS, Hypothesis
from cxkit.power import sample_size
from cxkit.rootcause._analysis import as_of_date

__all__ = ["EVALUATION_COLUMNS", "evaluate", "group_counts", "matches"]

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


def _test(h: Hypothesis, data: pd.DataFrame, weight: str | None, date: str) -> ExperimentResult:
    side = split(h, data, date)
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
            c[h.metric], t[h.metric], metric=h.metric,
            weight_control=None if weight is None else c[weight],
            weight_treatment=None if weight is None else t[weight],
        )  # fmt: skip
    if weight is not None:
        raise CxkitError(f"weights are used for A/B tests only, not for design {h.design!r}")
    change = h.groups["change_date"]
    if h.design == "pre_post":
        return pre_post(rows, outcome=h.metric, change_date=change, date=date)
    rows = rows[side.notna()]
    return diff_in_diff(
        rows, outcome=h.metric, group=h.groups["column"], treated=h.groups["treatment"],
        change_date=change, date=date,
    )  # fmt: skip


def _suggest(h: Hypothesis, r: ExperimentResult, n_required: int | None) -> tuple[bool, str, str]:
    """Return (peeking, suggested status, reason)."""
    interval = f"{r.effect:+.1f} ({r.ci_low:+.1f} to {r.ci_high:+.1f})"
    keep = h.status if h.status in DECIDED else "running"
    if n_required is None:
        return True, keep, f"effect {interval}, but no planned sample size to judge it by"
    counts = f"{n_required} answers per group ({r.n_control} control, {r.n_treatment} treatment)"
    if min(r.n_control, r.n_treatment) < n_required:
        if h.status in DECIDED:
            return True, keep, f"decided before the planned {counts}: the decision rests on a peek"
        reason = f"read before the planned {counts}: keep collecting; deciding now would be peeking"
        return True, keep, reason
    wanted = 1.0 if float(h.get("minimum_effect") or 1) > 0 else -1.0
    level = f"{round(100 * r.ci)}% interval"
    if r.ci_low <= 0 <= r.ci_high:
        return False, "inconclusive", f"effect {interval}: the {level} covers 0"
    if np.sign(r.effect) == wanted:
        return False, "validated", f"effect {interval}: the {level} excludes 0 on the expected side"
    return False, "invalidated", f"effect {interval}: the {level} excludes 0 on the wrong side"


def _required(h: Hypothesis) -> int | None:
    try:
        return sample_size(**h.plan()).n_required
    except (CxkitError, TypeError, ValueError):
        return None


def evaluate_one(
    h: Hypothesis, data: pd.DataFrame, as_of: dt.date, weight: str | None, date: str
) -> list[object]:
    """One row of :data:`EVALUATION_COLUMNS` for one hypothesis."""
    head = [h.id, h.metric, h.design, h.status]
    n_required = _required(h)
    if h.design not in GROUP_KEYS or h.metric is None:
        return [*head, 0, 0, n_required, *[math.nan] * 4, True, h.status,
                "no design or metric to test", as_of]  # fmt: skip
    try:
        r = _test(h, data, weight, date)
    except CxkitError as err:
        return [*head, 0, 0, n_required, *[math.nan] * 4, True, h.status,
                f"cannot be read from the data: {err}", as_of]  # fmt: skip
    peeking, status, reason = _suggest(h, r, n_required)
    return [*head, r.n_control, r.n_treatment, n_required, r.effect, r.ci_low, r.ci_high,
            r.p_value, peeking, status, reason, as_of]  # fmt: skip


def evaluate(
    hypotheses: list[Hypothesis],
    data: pd.DataFrame,
    *,
    as_of: object = None,
    weight: str | None = None,
    date: str = "responded_at",
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
        evaluate_one(h, data, cutoff, weight, date)
        for h in hypotheses
        if h.status == "running" or h.status in DECIDED
    ]
    frame = pd.DataFrame(rows, columns=EVALUATION_COLUMNS)
    frame["n_required"] = frame["n_required"].astype("Int64")
    frame["peeking"] = frame["peeking"].astype(bool)
    return frame
