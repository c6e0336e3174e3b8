"""The hypothesis card: one bet as escaped HTML, from the statement to the decision.

A card gives the statement, the metric that judges it and the plan (design, minimum effect,
baseline), where it sits (touchpoint, stage, owner), the progress of its test towards the
planned sample size, the evidence read from the data with what it suggests, and the decision
people wrote. Every text of the register is written by people, so every piece goes through
:func:`html.escape` before it reaches a page; the look travels with the cards (:data:`STYLE`).
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from cxkit.errors import CxkitError
from cxkit.experiments import EFFECT_UNITS
from cxkit.hypotheses import Hypothesis
from cxkit.hypotheses._evaluate import effect_text, planned_size
from cxkit.i18n import change, date_text, hypothesis_text, journey_text, number, percent
from cxkit.power import family

__all__ = ["STYLE", "card", "effect_line", "metric_name", "unit_of"]

#: The cards' look (scoped by the ``cx-hyp`` class names).
STYLE = """<style>
.cx-hyp { margin: 0 0 1.2rem; padding: .8rem 1rem; max-width: 80ch; border: 1px solid #d9dee5;
  border-left: 5px solid #9aa5b1; border-radius: 6px; break-inside: avoid; }
.cx-hyp.cx-validated { border-left-color: #067647; }
.cx-hyp.cx-invalidated { border-left-color: #b42318; }
.cx-hyp.cx-running { border-left-color: #1f6feb; }
.cx-hyp p { margin: .3rem 0; }
.cx-hyp-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; }
.cx-hyp-head .cx-id { font-weight: 700; }
.cx-hyp .cx-statement { font-size: 1.05rem; }
.cx-hyp .cx-meta { color: #5f6b7a; font-size: .85rem; }
.cx-hyp .cx-badge { display: inline-block; font-size: .75rem; font-weight: 600;
  padding: .05rem .5rem; border-radius: 999px; background: #eef1f5; color: #1f2933; }
.cx-hyp .cx-badge.cx-validated { background: #e3f4ea; color: #067647; }
.cx-hyp .cx-badge.cx-invalidated { background: #fdecea; color: #b42318; }
.cx-hyp .cx-badge.cx-running { background: #e8f0fe; color: #1a4fb4; }
.cx-hyp .cx-badge.cx-suggested { background: #fff; border: 1px dashed #5f6b7a; }
.cx-progress { height: .5rem; max-width: 30ch; background: #eef1f5; border-radius: 999px;
  overflow: hidden; margin: .4rem 0 .1rem; }
.cx-progress span { display: block; height: 100%; background: #1f6feb; }
.cx-progress.cx-reached span { background: #067647; }
.cx-hyp .cx-peek { color: #8a5a00; font-weight: 600; }
</style>"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _p(text: str, cls: str | None = None) -> str:
    """Return a paragraph of escaped ``text``."""
    return f'<p class="{cls}">{_e(text)}</p>' if cls else f"<p>{_e(text)}</p>"


def metric_name(metric: str | None, lang: str) -> str:
    """Write a metric's name in ``lang`` (an unknown metric as written)."""
    return hypothesis_text(lang).get(f"metric_{metric}", metric or "–")


def unit_of(metric: str | None) -> str:
    """Return the unit of an effect on ``metric``: "points", "pp" or "scale"."""
    try:
        return EFFECT_UNITS[family(metric)]
    except CxkitError:  # an unknown metric: the problems section says so; here it has no unit
        return "scale"


def effect_line(row: dict, lang: str) -> str:
    """Write an evaluated effect: "+13.5 points (+7.0 to +20.0), p < 0.001"."""
    unit = unit_of(row["metric"])
    p = row["p_value"]
    p_text = "p < " + number(0.001, lang, 3) if p < 0.001 else "p = " + number(p, lang, 3)
    return f"{effect_text(row['effect'], row['ci_low'], row['ci_high'], unit, lang)}, {p_text}"


def _plan(h: Hypothesis, t: dict[str, str], lang: str) -> str:
    metric = metric_name(h.metric, lang)
    effect = h.get("minimum_effect")
    if h.design is None or not isinstance(effect, (int, float)):
        return t["judged_by_open"].format(metric=metric)
    baseline = h.get("baseline")
    if isinstance(baseline, dict):
        base = t["baseline_mix"].format(
            **{k: number(baseline.get(k), lang, 0) for k in ("promoters", "passives", "detractors")}
        )
    else:
        base = t["baseline_value"].format(value=number(baseline, lang, 1))
    unit = unit_of(h.metric)
    return t["judged_by"].format(
        metric=metric,
        design=t.get(f"design_{h.design}", h.design),
        effect=change(effect, lang, 0 if float(effect).is_integer() else 2, unit),
        baseline=base,
    )


def _where(h: Hypothesis, t: dict[str, str], lang: str) -> str:
    stage = journey_text(lang).get(h.stage, h.get("stage")) if h.get("stage") else "–"
    return t["where"].format(
        touchpoint=h.get("touchpoint") or "–", stage=stage, owner=h.get("owner") or t["no_owner"]
    )


def _progress(row: dict, t: dict[str, str], lang: str) -> str:
    smaller = min(int(row["n_control"]), int(row["n_treatment"]))
    required = row["n_required"]
    if pd.isna(required):
        return _p(t["progress_unplanned"].format(n=number(smaller, lang, 0)), "cx-meta")
    share = smaller / int(required)
    reached = " cx-reached" if share >= 1 else ""
    width = f"{min(share, 1.0) * 100:.0f}%"
    text = t["progress"].format(
        n=number(smaller, lang, 0),
        required=number(required, lang, 0),
        share=percent(100 * share, lang, 0),
    )
    return (
        f'<div class="cx-progress{reached}" role="presentation"><span style="width: {width}">'
        f'</span></div><p class="cx-meta">{_e(text)}</p>'
    )


def _evidence(row: dict | None, t: dict[str, str], lang: str, as_of: dt.date) -> str:
    """Progress to the planned size, the effect read and what it suggests (or why not)."""
    if row is None:
        return ""
    if pd.isna(row["effect"]):
        return _p(row["reason"], "cx-meta")
    date, reading = date_text(as_of, lang), effect_line(row, lang)
    if row["peeking"]:
        found = _p(t["evidence"].format(date=date, reading=reading))
        return _progress(row, t, lang) + found + _p(row["reason"], "cx-peek")
    level = percent(100 * row["ci"], lang, 0)
    verdict = t[f"verdict_{row['suggested_status']}"].format(level=level)
    found = t["evidence_verdict"].format(date=date, reading=reading, verdict=verdict)
    return _progress(row, t, lang) + _p(found)


def _head(h: Hypothesis, row: dict | None, t: dict[str, str]) -> str:
    status = h.status or "–"
    label = t.get(f"status_{status}", status)
    badges = [f'<span class="cx-badge cx-{_e(status)}">{_e(label)}</span>']
    suggested = None if row is None or pd.isna(row["effect"]) else row["suggested_status"]
    if suggested and suggested != status:
        label = t["suggests"].format(status=t.get(f"status_{suggested}", suggested))
        badges.append(f'<span class="cx-badge cx-suggested">{_e(label)}</span>')
    head = f'<span class="cx-id">{_e(h.id or "–")}</span>' + "".join(badges)
    return f'<p class="cx-hyp-head">{head}</p>'


def card(h: Hypothesis, row: dict | None, lang: str, as_of: dt.date) -> str:
    """Return one hypothesis as a card (``row``: its evaluation, None when not tested)."""
    t = hypothesis_text(lang)
    parts = [
        _head(h, row, t),
        _p(h.statement(lang), "cx-statement"),
        _p(_plan(h, t, lang), "cx-meta"),
        _p(_where(h, t, lang), "cx-meta"),
        _evidence(row, t, lang, as_of),
    ]
    if row is None and h.design is not None:
        parts.append(_needs(h, t, lang))
    if h.root_causes:
        parts.append(_p(t["root_causes"].format(ids=", ".join(h.root_causes)), "cx-meta"))
    for key in ("decision", "rationale"):
        if h.get(key):
            parts.append(_p(t[key].format(**{key: h.get(key)})))
    return f'<article class="cx-hyp cx-{_e(h.status or "none")}">{"".join(parts)}</article>'


def _needs(h: Hypothesis, t: dict[str, str], lang: str) -> str:
    n = planned_size(h)
    if n is None:  # an incomplete plan: the problems section says what is missing
        return ""
    return _p(t["needs"].format(n=number(n, lang, 0)), "cx-meta")
