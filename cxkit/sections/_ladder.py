"""The why-ladder: one investigation as escaped HTML, from the problem down to the actions.

Every text in a log is written by people, so every piece of it goes through
:func:`html.escape` (quotes included) before it reaches a page. The ladder's look travels with
it (:data:`STYLE`), so it reads the same in JupyterLab and on the client's page.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from cxkit.i18n import date_text, journey_text, number, period_name, rootcause_text
from cxkit.rootcause import Entry

__all__ = ["STYLE", "ladder", "status_text"]

#: The ladder's and the action tracker's look (scoped by the ``cx-`` class names).
STYLE = """<style>
.cx-ladder { margin: 0 0 1.6rem; max-width: 80ch; break-inside: avoid; }
.cx-ladder-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem;
  margin: 0 0 .5rem; }
.cx-ladder-head .cx-id { font-weight: 700; }
.cx-ladder-head .cx-meta { color: #5f6b7a; font-size: .85rem; }
.cx-badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: .05rem .5rem;
  border-radius: 999px; background: #eef1f5; color: #1f2933; }
.cx-badge.cx-closed, .cx-badge.cx-recovered { background: #e3f4ea; color: #067647; }
.cx-badge.cx-worse, .cx-badge.cx-overdue { background: #fdecea; color: #b42318; }
.cx-rungs { list-style: none; margin: 0 0 0 .7rem; padding: 0 0 0 1.2rem;
  border-left: 3px solid #d9dee5; }
.cx-rung { position: relative; margin: 0 0 .5rem; padding: .4rem .75rem; background: #f6f8fa;
  border-radius: 6px; }
.cx-rung::before { content: ""; position: absolute; left: -1.72rem; top: .7rem; width: .7rem;
  height: .7rem; border-radius: 50%; background: #fff; border: 3px solid #9aa5b1; }
.cx-rung p { margin: 0; }
.cx-rung .cx-label { display: block; font-size: .72rem; font-weight: 700; letter-spacing: .04em;
  text-transform: uppercase; color: #5f6b7a; }
.cx-rung .cx-evidence { color: #5f6b7a; font-size: .85rem; }
.cx-rung-problem::before { border-color: #b42318; }
.cx-rung-root { background: #fff4e5; }
.cx-rung-root::before { border-color: #8a5a00; }
.cx-rung-actions::before, .cx-rung-check::before { border-color: #1f6feb; }
.cx-rung ul { margin: .1rem 0 0; padding-left: 1.1rem; }
.cx-muted { color: #5f6b7a; font-style: italic; }
td.cx-overdue, .cx-overdue-text { color: #b42318; font-weight: 600; }
</style>"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def status_text(kind: str, value: str | None, lang: str) -> str:
    """Write a status, category or verdict in ``lang`` (unknown values as written)."""
    return rootcause_text(lang).get(f"{kind}_{value}", value or "–")


def ladder(entry: Entry, lang: str, as_of: dt.date, check: dict | None = None) -> str:
    """Return one entry as a vertical ladder: problem, whys, root cause, actions, verification."""
    t = rootcause_text(lang)
    rungs = [_problem(entry, t, lang)]
    for number_, why in enumerate(entry.whys, start=1):
        evidence = f'<p class="cx-evidence">{_e(t["evidence"].format(text=why.evidence))}</p>'
        rungs.append(
            _rung("why", t["why"].format(n=number_), f"<p>{_e(why.answer)}</p>"
                  + (evidence if why.evidence else ""))
        )  # fmt: skip
    rungs.append(_root(entry, t, lang))
    rungs.append(_rung("actions", t["countermeasures"], _actions(entry, t, lang, as_of)))
    if check is not None:
        rungs.append(_rung("check", t["verification"], f"<p>{_e(_check_line(check, lang))}</p>"))
    return (
        f'<div class="cx-ladder" data-entry="{_e(entry.id)}">{_head(entry, t, lang)}'
        f'<ol class="cx-rungs">{"".join(rungs)}</ol></div>'
    )


def _rung(kind: str, label: str, body: str) -> str:
    return (
        f'<li class="cx-rung cx-rung-{kind}"><span class="cx-label">{_e(label)}</span>{body}</li>'
    )


def _head(entry: Entry, t: dict, lang: str) -> str:
    stage = journey_text(lang).get(entry.stage or "", entry.get("stage"))
    metric = t.get(f"metric_{entry.metric}", entry.get("metric"))
    opened = t["opened"].format(date=date_text(entry.opened, lang)) if entry.opened else None
    meta = " · ".join(_e(v) for v in (entry.get("touchpoint"), stage, metric, opened) if v)
    status = entry.status or ""
    return (
        f'<div class="cx-ladder-head"><span class="cx-id">{_e(entry.id)}</span>'
        f'<span class="cx-badge cx-{_e(status)}">{_e(status_text("status", status, lang))}'
        f'</span><span class="cx-meta">{meta}</span></div>'
    )


def _problem(entry: Entry, t: dict, lang: str) -> str:
    body = f"<p>{_e(entry.get('problem'))}</p>"
    evidence = entry.get("evidence")
    if isinstance(evidence, dict) and evidence.get("period") is not None:
        value = evidence.get("value")
        shown = number(value, lang, 1) if isinstance(value, (int, float)) else value
        text = t["evidence_value"].format(period=period_name(evidence["period"], lang), value=shown)
        if value is None:
            text = period_name(evidence["period"], lang)
        body += f'<p class="cx-evidence">{_e(t["evidence"].format(text=text))}</p>'
    return _rung("problem", t["problem"], body)


def _root(entry: Entry, t: dict, lang: str) -> str:
    cause = entry.get("root_cause")
    if not cause:
        return _rung("root", t["root_cause"], f'<p class="cx-muted">{_e(t["no_root_cause"])}</p>')
    label = t["root_cause"]
    if entry.category:
        label += " · " + status_text("category", entry.category, lang)
    return _rung("root", label, f"<p>{_e(cause)}</p>")


def _actions(entry: Entry, t: dict, lang: str, as_of: dt.date) -> str:
    items = []
    for c in entry.countermeasures:
        parts = [c.owner or t["owner_missing"]]
        if c.due is not None:
            parts.append(t["due"].format(date=date_text(c.due, lang)))
        parts.append(status_text("action", c.status, lang))
        late = ""
        if c.pending and c.due is not None and c.due < as_of:
            late = overdue_text((as_of - c.due).days, lang)
            late = f' · <span class="cx-overdue-text">{_e(late)}</span>'
        items.append(f"<li>{_e(c.action)} — {_e(' · '.join(parts))}{late}</li>")
    if not items:
        return f'<p class="cx-muted">{_e(t["no_countermeasures"])}</p>'
    return f"<ul>{''.join(items)}</ul>"


def overdue_text(days: int, lang: str) -> str:
    """Write "overdue by 61 days" in ``lang``."""
    t = rootcause_text(lang)
    return t["overdue_one"] if days == 1 else t["overdue"].format(days=number(days, lang, 0))


def metric_value(metric: str, value: float, lang: str) -> str:
    """Write a metric's value: NPS in points, CSAT in percent, CES on its scale."""
    from cxkit.i18n import percent

    if metric == "csat":
        return percent(value, lang, 1)
    return number(value, lang, 2 if metric == "ces" else 1)


def _check_line(row: dict, lang: str) -> str:
    t = rootcause_text(lang)
    if row["verdict"] == "no data" or pd.isna(row["latest"]):
        return status_text("verdict", "no data", lang)
    if row.get("small_sample"):
        return t["verify_small"].format(
            before=number(row["n_baseline"], lang, 0), latest=number(row["n_latest"], lang, 0)
        )
    line = t["verify_line"].format(
        metric=t.get(f"metric_{row['metric']}", row["metric"]),
        before=metric_value(row["metric"], row["baseline"], lang),
        baseline=period_name(row["baseline_period"], lang),
        latest=metric_value(row["metric"], row["latest"], lang),
        period=period_name(row["latest_period"], lang),
        verdict=status_text("verdict", row["verdict"], lang).lower(),
    )
    if not pd.isna(row["target"]):
        line += t["verify_target"].format(target=metric_value(row["metric"], row["target"], lang))
    return line
