"""Validation of a 5-whys log: every problem, each naming the file, the entry and the field.

Problems are plain sentences: ``<file>: entry RC-001, `whys` item 2: the why is empty; write
the answer or remove the line``. Overdue actions are not problems (they are the analysis'
business, :meth:`cxkit.RootCauseLog.overdue`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pandas as pd

from cxkit._recordcheck import blank as _blank
from cxkit._recordcheck import choice_problems, mapping_problems
from cxkit._recordcheck import options as _options
from cxkit.io.labels import normalize_label
from cxkit.io.schemas import RATING_PREFIX
from cxkit.rootcause._entry import (
    ACTION_KEYS,
    ACTION_STATUSES,
    CATEGORIES,
    ENTRY_KEYS,
    EVIDENCE_KEYS,
    REQUIRED_KEYS,
    SERVICE_METRICS,
    STATUSES,
    SURVEY_METRICS,
    VERIFICATION_KEYS,
    Entry,
    as_date,
)

__all__ = ["entry_problems", "log_problems"]

METRICS = SURVEY_METRICS + SERVICE_METRICS


def log_problems(
    entries: list[object],
    source: str,
    *,
    data: pd.DataFrame | None = None,
    min_whys: int = 3,
    today: dt.date | None = None,
) -> list[str]:
    """Return every problem of the log's raw entries (see :meth:`RootCauseLog.problems`)."""
    today = today or dt.date.today()
    known = _known_touchpoints(data) if data is not None else None
    problems = []
    for number, item in enumerate(entries, start=1):
        if not isinstance(item, dict):
            problems.append(
                f"{source}: entry {number} must be a mapping (- id: ..., problem: ...); found "
                f"{type(item).__name__} {item!r}"
            )
            continue
        entry = Entry(item)
        where = f"{source}: entry {entry.id}" if entry.id else f"{source}: entry {number} (no id)"
        problems += [f"{where}, {p}" for p in entry_problems(entry, min_whys, today, known, data)]
    counts = Counter(Entry(e).id for e in entries if isinstance(e, dict) and Entry(e).id)
    problems += [
        f"{source}: entry {key}, `id`: {n} entries use this id; ids must be unique, renumber them"
        for key, n in counts.items()
        if n > 1
    ]
    return problems


def entry_problems(
    entry: Entry,
    min_whys: int,
    today: dt.date,
    touchpoints: set[str] | None = None,
    data: pd.DataFrame | None = None,
) -> list[str]:
    """Return one entry's problems, each starting with the field (no file or entry prefix)."""
    out: list[str] = []
    d = entry.data
    unknown = [str(k) for k in d if k not in ENTRY_KEYS]
    if unknown:
        out.append(f"{_list(unknown)}: unknown key(s); allowed keys are {_options(ENTRY_KEYS)}")
    for key in REQUIRED_KEYS:
        if _blank(d.get(key)):
            out.append(f"`{key}`: missing; every entry needs {_options(REQUIRED_KEYS)}")
    out += _choices(d, today)
    out += _whys(entry, min_whys)
    out += _actions(d.get("countermeasures"))
    out += _closed(entry)
    out += _mappings(entry, today)
    if data is not None:
        out += _against_data(entry, touchpoints or set(), data)
    return out


def _choices(d: dict[str, Any], today: dt.date) -> list[str]:
    choices = (("status", STATUSES), ("category", CATEGORIES), ("metric", METRICS))
    out = choice_problems(d, choices)
    if not _blank(d.get("opened")):
        opened = as_date(d["opened"])
        if opened is None:
            out.append(f"`opened`: {d['opened']!r} is not a date; write it as 2026-01-15")
        elif opened > today:
            out.append(f"`opened`: {opened} is in the future (today is {today}); correct the date")
    for key in ("problem", "root_cause"):
        if key in d and d[key] is not None and not isinstance(d[key], str):
            out.append(f"`{key}`: must be a text; found {d[key]!r}. Write it in quotes")
    return out


def _whys(entry: Entry, min_whys: int) -> list[str]:
    out = []
    items = entry.data.get("whys")
    if items is not None and not isinstance(items, list):
        return [f"`whys`: must be a list of answers (- ...); found {items!r}"]
    for number, item in enumerate(items or [], start=1):
        answer = item.get("answer") if isinstance(item, dict) else item
        if isinstance(item, dict) and set(item) - {"answer", "evidence"}:
            extra = sorted(str(k) for k in set(item) - {"answer", "evidence"})
            out.append(
                f"`whys` item {number}: unknown key(s) {extra}; allowed are answer, evidence"
            )
        if isinstance(answer, (list, dict)):
            out.append(f"`whys` item {number}: must be a text or {{answer: ..., evidence: ...}}")
        elif _blank(answer):
            out.append(
                f"`whys` item {number}: the why is empty; write the answer or remove the line"
            )
    has_root = not _blank(entry.data.get("root_cause"))
    if has_root and len(items or []) < min_whys:
        out.append(
            f"`whys`: {len(items or [])} why(s) before the root cause, fewer than the minimum "
            f"of {min_whys}; keep asking why, or lower the minimum on purpose"
        )
    if has_root and _blank(entry.data.get("category")):
        out.append(f"`category`: missing for a root cause; write one of {_options(CATEGORIES)}")
    return out


def _actions(items: object) -> list[str]:
    if items is None:
        return []
    if not isinstance(items, list):
        return [
            f"`countermeasures`: must be a list of {{action, owner, due, status}}; found {items!r}"
        ]
    out = []
    for number, item in enumerate(items, start=1):
        where = f"`countermeasures` item {number}"
        if not isinstance(item, dict):
            out.append(
                f"{where}: must be a mapping {{action: ..., owner: ..., due: ..., status: ...}}"
            )
            continue
        extra = sorted(str(k) for k in set(item) - set(ACTION_KEYS))
        if extra:
            out.append(f"{where}: unknown key(s) {extra}; allowed are {_options(ACTION_KEYS)}")
        for key, fix in (
            ("action", "say what will be done"),
            ("owner", "name who is responsible"),
            ("due", "give a due date such as 2026-01-15"),
        ):
            if _blank(item.get(key)):
                out.append(f"{where} (`{key}`): missing; {fix}")
        if not _blank(item.get("due")) and as_date(item["due"]) is None:
            out.append(f"{where} (`due`): {item['due']!r} is not a date; write it as 2026-01-15")
        status = item.get("status")
        if _blank(status):
            out.append(f"{where} (`status`): missing; write one of {_options(ACTION_STATUSES)}")
        elif not isinstance(status, str) or status.strip().lower() not in ACTION_STATUSES:
            out.append(
                f"{where} (`status`): {status!r} is not known; write one of "
                f"{_options(ACTION_STATUSES)}"
            )
    return out


def _closed(entry: Entry) -> list[str]:
    if entry.status != "closed":
        return []
    out = []
    if _blank(entry.data.get("root_cause")):
        out.append(
            "`root_cause`: a closed entry needs its root cause; write it, or reopen the entry"
        )
    pending = [c.action or "(no action)" for c in entry.countermeasures if c.pending]
    if pending:
        out.append(
            f"`countermeasures`: a closed entry has actions still open ({'; '.join(pending)}); "
            "mark them done or dropped, or reopen the entry"
        )
    return out


def _mappings(entry: Entry, today: dt.date) -> list[str]:
    fields = (("evidence", EVIDENCE_KEYS), ("verification", VERIFICATION_KEYS))
    out = mapping_problems(entry.data, fields)
    evidence, check = entry.data.get("evidence"), entry.verification
    if isinstance(evidence, dict) and evidence.get("period") is not None:
        period = entry.period("period", "evidence")
        if period is None:
            out.append(
                f"`evidence.period`: {evidence['period']!r} is not a period; write 2025-11, "
                "2025Q4 or 2025"
            )
        elif period.start_time.date() > today:
            out.append(f"`evidence.period`: {period} is in the future; correct it")
    if not check:
        return out
    if check.get("metric") is not None and str(check["metric"]).strip().lower() not in METRICS:
        out.append(
            f"`verification.metric`: {check['metric']!r} is not known; write one of "
            f"{_options(METRICS)}"
        )
    if _blank(check.get("baseline_period")):
        out.append(
            "`verification.baseline_period`: missing; give the period to compare with, e.g. 2025-12"
        )
    elif entry.period("baseline_period") is None:
        out.append(
            f"`verification.baseline_period`: {check['baseline_period']!r} is not a period; "
            "write 2025-12, 2025Q4 or 2025"
        )
    elif entry.period("baseline_period").start_time.date() > today:
        out.append(
            f"`verification.baseline_period`: {check['baseline_period']} is in the future; "
            "correct it"
        )
    target = check.get("target")
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float))):
        out.append(
            f"`verification.target`: {target!r} is not a number; write the value to reach, e.g. 18"
        )
    by = check.get("by")
    if by is not None and as_date(by) is None and entry.period("by") is None:
        out.append(
            f"`verification.by`: {by!r} is not a date or period; write 2026-03 or 2026-03-31"
        )
    return out


def _known_touchpoints(data: pd.DataFrame) -> set[str]:
    """Touchpoint names the data knows: rating columns, their names, the `touchpoint` values."""
    names = set()
    for column in data.columns:
        if isinstance(column, str) and column.startswith(RATING_PREFIX):
            names |= {column, column[len(RATING_PREFIX) :].replace("_", " ")}
    if "touchpoint" in data.columns:
        names |= {str(v) for v in data["touchpoint"].dropna().unique()}
    return {normalize_label(n) for n in names}


def _against_data(entry: Entry, touchpoints: set[str], data: pd.DataFrame) -> list[str]:
    out = []
    value = entry.data.get("touchpoint")
    if isinstance(value, str) and value.strip() and normalize_label(value) not in touchpoints:
        out.append(
            f"`touchpoint`: {value!r} is not a touchpoint of the data (its `touchpoint` values "
            "or rating_* columns); write it as the data names it"
        )
    for key, metric in (
        ("metric", entry.metric),
        ("verification.metric", _lower(entry.verification.get("metric"))),
    ):
        if metric in SURVEY_METRICS and metric not in data.columns:
            out.append(f"`{key}`: the data has no {metric!r} column to measure it with")
    return out


def _lower(value: object) -> str | None:
    return value.strip().lower() if isinstance(value, str) else None


def _list(keys: list[str]) -> str:
    return ", ".join(f"`{k}`" for k in keys)
