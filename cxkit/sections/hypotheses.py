"""The sections of the hypotheses report (notebook 04): the client's register, as of a date.

:func:`analyse` reads the register once, lists its problems and reads the evidence of every
running or decided hypothesis from the survey answers collected up to the report period's last
day; the section functions show it. The records are not changed: the evidence's suggestion
stands beside the status the register gives, for people to decide (``register.apply``). A
register with problems is still shown as far as it can be read, under a problems section; a
register that cannot be read gives only that section. Without a register, every section is a
:class:`~cxkit.sections.Skipped` with the reason.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit.headline import COLUMNS
from cxkit.hypotheses import (
    EVALUATION_COLUMNS,
    STATUSES,
    Hypothesis,
    HypothesisError,
    HypothesisRegister,
)
from cxkit.i18n import counted, date_text, hypothesis_text, number
from cxkit.io.client import ClientData
from cxkit.plots.experiments import effects
from cxkit.present import ClientTable, client_styler
from cxkit.rootcause import RootCauseError, RootCauseLog
from cxkit.rootcause._analysis import as_of_date
from cxkit.sections import HTMLBlock, Section, Skipped, figure, problem_list
from cxkit.sections._cards import STYLE, card, effect_line, metric_name

__all__ = [
    "Bets",
    "analyse",
    "cards",
    "hypothesis_metrics",
    "overview",
    "problems",
    "register_table",
]


@dataclass
class Bets:
    """The register as of a date: its problems and the evidence read from the answers."""

    register: HypothesisRegister | None
    problems: list[str]
    as_of: dt.date
    lang: str
    evaluation: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=EVALUATION_COLUMNS)
    )

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
        table = "" if self.register is None else self.register._repr_html_()
        return f"{table}<ul>{notes}</ul>" if notes else table


def analyse(
    register: str | Path | None,
    data: ClientData,
    *,
    as_of: object = None,
    five_whys: str | Path | None = None,
) -> Bets | Skipped:
    """Read the register at ``register`` and its evidence as of ``as_of`` (default: period end).

    The register is checked against the answers up to ``as_of`` and, when ``five_whys`` names
    the client's 5-whys log, its ``root_causes`` against the log's ids. A running test that has
    not reached its planned size is not a problem here: its card shows the progress and says
    the result must not be read yet.
    """
    t = hypothesis_text(data.lang)
    if register is None:
        return Skipped("hypotheses", t["no_register"], data.lang)
    end = as_of_date(as_of) or data.period.end_time.date()
    try:
        loaded = HypothesisRegister.load(register)
    except HypothesisError as err:
        return Bets(None, [str(err)], end, data.lang)
    log, found = _rootcause_log(five_whys)
    responses = _up_to(data.history("responses", end), end)
    found += loaded.problems(responses, rootcause_log=log, peeking=False)
    evaluation = pd.DataFrame(columns=EVALUATION_COLUMNS)
    if responses is not None:
        evaluation = loaded.evaluate(responses, as_of=end, lang=data.lang)
    return Bets(loaded, found, end, data.lang, evaluation)


def _rootcause_log(path: str | Path | None) -> tuple[RootCauseLog | None, list[str]]:
    """Load the 5-whys log, or say why its ids cannot be checked."""
    if path is None:
        return None, []
    try:
        return RootCauseLog.load(path), []
    except RootCauseError as err:
        return None, [f"root_causes are not checked, since the 5-whys log cannot be read: {err}"]


def _up_to(responses: pd.DataFrame | None, end: dt.date) -> pd.DataFrame | None:
    """Return the answers on or before ``end`` (None without answers or their dates)."""
    if responses is None or "responded_at" not in responses.columns:
        return None
    when = pd.to_datetime(responses["responded_at"], errors="coerce")
    return responses[when.dt.date <= end]


def problems(result: Bets | Skipped) -> Section | Skipped:
    """List the register's problems (none: the section is left out)."""
    if isinstance(result, Skipped):
        return result
    if not result.problems:
        return Skipped("hypotheses-problems", "", result.lang)
    t = hypothesis_text(result.lang)
    intro = (
        t["problems_unreadable"]
        if result.register is None
        else t["problems_intro"].format(n=len(result.problems))
    )
    return problem_list("hypotheses-problems", intro, result.problems)


def _readable(result: Bets | Skipped, name: str) -> Skipped | None:
    """Return the reason a section cannot be shown, or None."""
    if isinstance(result, Skipped):
        return result
    t = hypothesis_text(result.lang)
    if result.register is None:
        return Skipped(name, t["problems_unreadable"], result.lang)
    if not result.register.hypotheses:
        return Skipped(name, t["empty_register"], result.lang)
    return None


def status_counts(register: HypothesisRegister, lang: str) -> str:
    """Write the register's statuses: "2 running, 1 proposed, 1 parked" (lifecycle order)."""
    t = hypothesis_text(lang)
    statuses = [h.status for h in register.hypotheses]
    return ", ".join(
        counted(t, f"count_{s}", statuses.count(s), lang) for s in STATUSES if s in statuses
    )


def _tested(result: Bets) -> pd.DataFrame:
    """Return the evaluated rows with an effect, labelled "H-001 · NPS", with their plan."""
    rows = result.evaluation[result.evaluation["effect"].notna()].copy()
    minimum = {h.id: h.get("minimum_effect") for h in result.register.hypotheses}
    rows["minimum_effect"] = pd.to_numeric(rows["id"].map(minimum), errors="coerce")
    names = [metric_name(m, result.lang) for m in rows["metric"]]
    rows["label"] = [f"{i} · {name}" for i, name in zip(rows["id"], names, strict=True)]
    return rows


def overview(result: Bets | Skipped) -> Section | Skipped:
    """Count the hypotheses by status and draw each tested one's effect with its interval."""
    skipped = _readable(result, "hypotheses-overview")
    if skipped:
        return skipped
    t, lang = hypothesis_text(result.lang), result.lang
    register = result.register
    text = t["overview"].format(
        n=number(len(register.hypotheses), lang, 0), statuses=status_counts(register, lang)
    )
    tested = _tested(result)
    if tested.empty:
        return Section("hypotheses-overview", [f"{text} {t['overview_none_tested']}"])
    text += " " + t["overview_tested"].format(
        date=date_text(result.as_of, lang), tested=number(len(tested), lang, 0)
    )
    fig, (ax,) = figure(height=0.6 * len(tested) + 1.4)
    effects(tested, lang=lang, ax=ax)
    ax.set_title(t["forest_title"])
    return Section("hypotheses-overview", [text, fig, t["forest_caption"]])


def cards(result: Bets | Skipped) -> Section | Skipped:
    """Show every hypothesis as a card: statement, plan, progress, evidence and decision."""
    skipped = _readable(result, "hypotheses-cards")
    if skipped:
        return skipped
    rows = {r["id"]: r for r in result.evaluation.to_dict("records")}
    blocks = [
        card(h, rows.get(h.id), result.lang, result.as_of) for h in result.register.hypotheses
    ]
    return Section("hypotheses-cards", [HTMLBlock(STYLE + "".join(blocks))])


def register_table(result: Bets | Skipped) -> Section | Skipped:
    """Show the register as one table: bet, metric, status, owner, sample, effect, suggestion.

    The bet is its id and strategy (the cards above give the whole statement).
    """
    skipped = _readable(result, "hypotheses-register")
    if skipped:
        return skipped
    t, lang = hypothesis_text(result.lang), result.lang
    frame = result.register.to_frame(lang)
    found = result.evaluation.set_index("id")
    table = pd.DataFrame(
        {
            t["col_hypothesis"]: [
                f"{h.id or '–'}: {_strategy(h) or h.statement(lang)}"
                for h in result.register.hypotheses
            ],
            t["col_metric"]: [_capital(metric_name(m, lang)) for m in frame["metric"]],
            t["col_status"]: [t.get(f"status_{s}", s or "–") for s in frame["status"]],
            t["col_owner"]: frame["owner"].fillna(t["no_owner"]),
            t["col_sample"]: [
                _sample(i, n, found, lang)
                for i, n in zip(frame["id"], frame["n_required"], strict=True)
            ],
            t["col_effect"]: [_effect(i, found, lang) for i in frame["id"]],
            t["col_suggested"]: [_suggested(i, found, t) for i in frame["id"]],
        }
    )
    classes = pd.DataFrame("", index=table.index, columns=table.columns)
    classes[t["col_hypothesis"]] = "text"
    classes[t["col_sample"]] = "num"
    caption = t["table_caption"].format(date=date_text(result.as_of, lang))
    return Section("hypotheses-register", [ClientTable(client_styler(table, classes, caption))])


def _sample(id_: str, n_required: object, found: pd.DataFrame, lang: str) -> str:
    needed = "–" if pd.isna(n_required) else number(n_required, lang, 0)
    if id_ not in found.index or pd.isna(found.loc[id_, "effect"]):
        return "–" if pd.isna(n_required) else f"– ({needed})"
    row = found.loc[id_]
    return f"{number(min(row['n_control'], row['n_treatment']), lang, 0)} ({needed})"


def _effect(id_: str, found: pd.DataFrame, lang: str) -> str:
    if id_ not in found.index or pd.isna(found.loc[id_, "effect"]):
        return "–"
    return effect_line(found.loc[id_].to_dict(), lang)


def _suggested(id_: str, found: pd.DataFrame, t: dict[str, str]) -> str:
    if id_ not in found.index or pd.isna(found.loc[id_, "effect"]):
        return "–"
    return t.get(f"status_{found.loc[id_, 'suggested_status']}", "–")


def hypothesis_metrics(result: Bets | Skipped, period: str | pd.Period) -> pd.DataFrame:
    """Write the register's state as metric rows, for the report's front page and history.

    ``hypotheses_status`` (one row per status: ``group`` the status, ``value`` the count);
    ``hypothesis_<suggested status>`` for each test read at its planned size (``group`` the
    id and strategy, "H-001 (a warmer welcome)"; ``value``, ``ci_low``, ``ci_high`` the
    effect; ``n`` the smaller group);
    ``hypothesis_peeking`` for each test read before it; ``hypotheses_problems`` (problems in
    the register). Empty without a readable register.
    """
    if isinstance(result, Skipped) or result.register is None:
        return pd.DataFrame(columns=COLUMNS)
    statuses = pd.Series([h.status for h in result.register.hypotheses], dtype="object")
    rows = [
        {"metric": "hypotheses_status", "group": s, "value": int(n)}
        for s, n in statuses.value_counts(sort=False).items()
    ]
    names = {h.id: _name(h) for h in result.register.hypotheses}
    for r in result.evaluation[result.evaluation["effect"].notna()].to_dict("records"):
        metric = "hypothesis_peeking" if r["peeking"] else f"hypothesis_{r['suggested_status']}"
        rows.append(
            {"metric": metric, "group": names.get(r["id"], r["id"]), "value": r["effect"],
             "ci_low": r["ci_low"], "ci_high": r["ci_high"],
             "n": min(r["n_control"], r["n_treatment"])}
        )  # fmt: skip
    rows.append({"metric": "hypotheses_problems", "group": "all", "value": len(result.problems)})
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    out["period"] = str(period)
    out["small_sample"] = False
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _strategy(h: Hypothesis) -> str | None:
    """Return the bet's strategy ("a warmer welcome for new customers"), or None."""
    strategy = h.get("strategy")
    return strategy.strip() if isinstance(strategy, str) and strategy.strip() else None


def _name(h: Hypothesis) -> str:
    """Name a hypothesis for the front page: "H-001 (a warmer welcome for new customers)"."""
    strategy = _strategy(h)
    return f"{h.id} ({strategy})" if strategy else h.id
