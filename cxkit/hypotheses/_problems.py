"""Validation of a hypothesis register: every problem, naming the file, the id and the field.

Problems are plain sentences: ``<file>: hypothesis H-001, `minimum_effect`: missing for a
designed hypothesis; ...``. The lifecycle is checked as states: a status may only be written
once what it needs is there (a design before ``designed``, groups and a start date before
``running``, evidence before ``validated`` or ``invalidated``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from cxkit._recordcheck import blank as _blank
from cxkit._recordcheck import choice_problems, mapping_problems
from cxkit._recordcheck import options as _options
from cxkit.errors import CxkitError
from cxkit.hypotheses._evaluate import group_counts, matches, selected
from cxkit.hypotheses._record import (
    ALL_GROUP_KEYS,
    DECIDED,
    DESIGNS,
    EVIDENCE_KEYS,
    GROUP_KEYS,
    HYPOTHESIS_KEYS,
    METRICS,
    REQUIRED_KEYS,
    STATUSES,
    Hypothesis,
)
from cxkit.power import family, sample_size
from cxkit.rootcause._entry import as_date

__all__ = ["hypothesis_problems", "lifecycle_problems", "register_problems"]

#: Statuses that need a complete test plan (design, baseline, minimum effect).
PLANNED = ("designed", "running", *DECIDED)
#: Statuses that need groups and a start date.
STARTED = ("running", *DECIDED)


def register_problems(
    items: list[object],
    source: str,
    *,
    data: pd.DataFrame | None = None,
    rootcause_ids: set[str] | None = None,
    peeking: bool = True,
) -> list[str]:
    """Return every problem of the register's raw items (see ``HypothesisRegister.problems``)."""
    problems = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(
                f"{source}: hypothesis {number} must be a mapping (- id: ..., strategy: ...); "
                f"found {type(item).__name__} {item!r}"
            )
            continue
        h = Hypothesis(item)
        where = f"{source}: hypothesis {h.id}" if h.id else f"{source}: hypothesis {number} (no id)"
        found = hypothesis_problems(h, data, rootcause_ids, peeking=peeking)
        problems += [f"{where}, {p}" for p in found]
    counts = Counter(Hypothesis(e).id for e in items if isinstance(e, dict) and Hypothesis(e).id)
    problems += [
        f"{source}: hypothesis {key}, `id`: {n} hypotheses use this id; ids must be unique, "
        "renumber them"
        for key, n in counts.items()
        if n > 1
    ]
    return problems


def hypothesis_problems(
    h: Hypothesis,
    data: pd.DataFrame | None = None,
    rootcause_ids: set[str] | None = None,
    *,
    peeking: bool = True,
) -> list[str]:
    """Return one hypothesis' problems, each starting with the field (no file or id prefix).

    With ``peeking``, a running test whose groups have not reached the planned size in
    ``data`` is a problem too (reading it now would be peeking).
    """
    d = h.data
    out: list[str] = []
    unknown = [str(k) for k in d if k not in HYPOTHESIS_KEYS]
    if unknown:
        out.append(
            f"{', '.join(f'`{k}`' for k in unknown)}: unknown key(s); allowed keys are "
            f"{_options(HYPOTHESIS_KEYS)}"
        )
    for key in REQUIRED_KEYS:
        if _blank(d.get(key)):
            out.append(f"`{key}`: missing; every hypothesis needs {_options(REQUIRED_KEYS)}")
    out += _choices(d)
    numbers = _numbers(d)
    out += numbers
    out += lifecycle_problems(h, check_plan=not numbers)
    out += _mappings(h)
    if rootcause_ids is not None:
        missing = [i for i in h.root_causes if i not in rootcause_ids]
        if missing:
            out.append(
                f"`root_causes`: {', '.join(missing)} not in the 5-whys log; write ids the log "
                "has (RC-001, ...)"
            )
    if data is not None and h.design in DESIGNS and h.groups and not out:
        out += _against_data(h, data, peeking)
    return out


def _choices(d: dict[str, Any]) -> list[str]:
    out = choice_problems(d, (("metric", METRICS), ("design", DESIGNS), ("status", STATUSES)))
    for key in ("created", "started", "ended"):
        if not _blank(d.get(key)) and as_date(d[key]) is None:
            out.append(f"`{key}`: {d[key]!r} is not a date; write it as 2026-01-15")
    started, ended = as_date(d.get("started")), as_date(d.get("ended"))
    if started and ended and ended < started:
        out.append(f"`ended`: {ended} is before `started` ({started}); correct the dates")
    for key in ("strategy", "customer_need", "solution", "outcome", "decision", "rationale"):
        if d.get(key) is not None and not isinstance(d[key], str):
            out.append(f"`{key}`: must be a text; found {d[key]!r}. Write it in quotes")
    if isinstance(d.get("id"), (list, dict, bool)):
        out.append(f"`id`: must be a text such as H-001; found {d['id']!r}")
    causes = d.get("root_causes")
    listed = causes if isinstance(causes, list) else [causes]
    if causes is not None and any(isinstance(c, (list, dict, bool)) for c in listed):
        out.append(
            f"`root_causes`: must be a list of 5-whys ids, such as [RC-001, RC-004]; "
            f"found {causes!r}"
        )
    return out


def _numbers(d: dict[str, Any]) -> list[str]:
    out = []
    for key, low, high in (("alpha", 0, 1), ("power", 0, 1), ("sd", 0, None)):
        value = d.get(key)
        if value is None:
            continue
        if not _is_number(value) or not value > low or (high is not None and not value < high):
            span = f"between {low} and {high}" if high is not None else "above 0"
            out.append(f"`{key}`: {value!r} must be a number {span}")
    value = d.get("minimum_effect")
    if value is not None and (not _is_number(value) or value == 0):
        out.append(
            f"`minimum_effect`: {value!r} must be a non-zero number (the smallest change worth "
            "detecting, in points or units of the metric)"
        )
    return out


def lifecycle_problems(h: Hypothesis, check_plan: bool = True) -> list[str]:
    """Return what the hypothesis lacks for its status (design, groups, start date, evidence)."""
    status, d, out = h.status, h.data, []
    a = f"an {status}" if (status or "x")[0] in "aeiou" else f"a {status}"
    if status in PLANNED:
        for key, what in (
            ("design", f"how the test compares groups ({_options(DESIGNS)})"),
            ("baseline", "the control group's expected value (NPS: the answer mix)"),
            ("minimum_effect", "the smallest effect worth detecting"),
        ):
            if _blank(d.get(key)):
                out.append(f"`{key}`: missing for {a} hypothesis; write {what}")
        if not out and check_plan and h.metric in METRICS:
            out += _plan(h)
    if status in STARTED:
        if _blank(d.get("groups")) or d.get("groups") == {}:
            out.append(
                f"`groups`: {a} hypothesis needs its groups, e.g. {{column: variant, "
                "control: control, treatment: treatment}, or {change_date: 2026-05-01}"
            )
        if _blank(d.get("started")):
            out.append(f"`started`: {a} hypothesis needs the date its test started")
    if status in ("validated", "invalidated"):
        missing = [k for k in ("effect", "ci_low", "ci_high", "p_value") if k not in h.evidence]
        if missing:
            out.append(
                f"`evidence`: a hypothesis cannot be {status} without evidence "
                f"(missing {', '.join(missing)}); run evaluate() and apply() or write it"
            )
    return out


def _plan(h: Hypothesis) -> list[str]:
    """Check that the plan gives a sample size; name the field that keeps it from one."""
    if family(h.metric) == "mean" and _blank(h.get("sd")):
        return [
            f"`sd`: missing; a test of a mean ({h.metric}) needs the standard deviation of one "
            "answer, e.g. from the baseline period's data"
        ]
    try:
        sample_size(**h.plan())
    except (CxkitError, TypeError, ValueError) as err:
        return [f"`baseline`: no sample size can be computed from the plan: {err}"]
    return []


def _mappings(h: Hypothesis) -> list[str]:
    out = mapping_problems(h.data, (("groups", ALL_GROUP_KEYS), ("evidence", EVIDENCE_KEYS)))
    groups = h.groups
    if groups and h.design in GROUP_KEYS:
        need = [k for k in GROUP_KEYS[h.design] if _blank(groups.get(k))]
        if need:
            out.append(
                f"`groups`: design {h.design} needs {_options(GROUP_KEYS[h.design])}; missing "
                f"{', '.join(need)}"
            )
        if groups.get("change_date") is not None and as_date(groups["change_date"]) is None:
            out.append(f"`groups.change_date`: {groups['change_date']!r} is not a date")
        if groups.get("filter") is not None and not isinstance(groups["filter"], dict):
            out.append("`groups.filter`: must be a mapping {column: value}")
    bad = [
        k for k in ("effect", "ci_low", "ci_high", "p_value", "n_control", "n_treatment")
        if h.evidence.get(k) is not None and not _is_number(h.evidence[k])
    ]  # fmt: skip
    if bad:
        out.append(f"`evidence`: {', '.join(bad)} must be numbers")
    return out


def _against_data(h: Hypothesis, data: pd.DataFrame, peeking: bool) -> list[str]:
    g = h.groups
    try:
        rows = selected(h, data)
    except CxkitError as err:
        return [str(err)]
    if rows.empty:
        return [f"`groups.filter`: no rows of the data match {g.get('filter')!r}"]
    if h.metric not in data.columns:
        return [f"`metric`: the data has no {h.metric!r} column to measure it with"]
    out = []
    if "column" in g:
        if g["column"] not in data.columns:
            return [f"`groups.column`: the data has no column {g['column']!r}"]
        for key in ("control", "treatment"):
            if g.get(key) is not None and not matches(rows[g["column"]], g[key]).any():
                out.append(
                    f"`groups.{key}`: {g[key]!r} is not a value of column {g['column']!r} in "
                    "the rows the filter keeps"
                )
    if out:
        return out
    try:
        n_control, n_treatment = group_counts(h, data)
    except CxkitError as err:
        return [str(err)]
    if peeking and h.status == "running":
        try:
            n_required = sample_size(**h.plan()).n_required
        except (CxkitError, TypeError, ValueError):
            return out
        if min(n_control, n_treatment) < n_required:
            out.append(
                f"`status`: running, and the planned sample size is not reached yet "
                f"({n_control} control and {n_treatment} treatment answers of {n_required} per "
                "group); reading the result now is peeking"
            )
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
