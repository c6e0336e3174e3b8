"""The sections of the root-cause report (notebook 03): the client's 5-whys log, as of a date.

:func:`analyse` reads the log once, lists its problems, tracks its countermeasures as of the
report period's last day and verifies its entries against the survey responses; the section
functions show it. A log with problems is still shown as far as it can be read, under a
problems section (:func:`problems`); a log that cannot be read at all gives only that section.
Without a log, every section is a :class:`~cxkit.sections.Skipped` with the reason.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit.headline import COLUMNS
from cxkit.i18n import (
    change,
    date_text,
    number,
    period_name,
    rootcause_text,
    section_text,
    table_text,
)
from cxkit.io.client import ClientData
from cxkit.present import ClientTable, client_styler
from cxkit.rootcause import VERDICTS, RootCauseError, RootCauseLog
from cxkit.sections import HTMLBlock, Section, Skipped, figure, problem_list
from cxkit.sections._ladder import STYLE, ladder, metric_value, overdue_text, status_text

__all__ = [
    "Investigations",
    "analyse",
    "ladders",
    "overview",
    "problems",
    "rootcause_metrics",
    "tracker",
    "verification",
]


@dataclass
class Investigations:
    """The log as of a date: its problems, actions and verification (None without data)."""

    log: RootCauseLog | None
    problems: list[str]
    as_of: dt.date
    lang: str
    actions: pd.DataFrame = field(default_factory=pd.DataFrame)
    verified: pd.DataFrame | None = None
    weight: str | None = None
    min_n: int = 30

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
        table = "" if self.log is None else self.log._repr_html_()
        return f"{table}<ul>{notes}</ul>" if notes else table


def analyse(
    log: str | Path | None,
    data: ClientData,
    *,
    as_of: object = None,
    min_whys: int = 3,
    min_n: int = 30,
) -> Investigations | Skipped:
    """Read the log at ``log`` and analyse it as of ``as_of`` (default: the report period's end).

    Problems are checked against the responses when the client gave them; the verification
    uses them, with the survey weights when there are some; a comparison with fewer than
    ``min_n`` answers in either period is not shown on client pages.
    """
    t = rootcause_text(data.lang)
    if log is None:
        return Skipped("rootcause", t["no_log"], data.lang)
    end = _as_of(as_of, data.period)
    responses = data.history("responses", end)  # the whole history: verification spans it
    try:
        loaded = RootCauseLog.load(log)
    except RootCauseError as err:
        return Investigations(None, [str(err)], end, data.lang)
    found = loaded.problems(responses, min_whys=min_whys, today=end)
    verified = None
    if responses is not None and "responded_at" in responses.columns:
        verified = loaded.verify(responses, as_of=end, weight=data.weight, min_n=min_n)
    actions = loaded.actions(end)
    return Investigations(loaded, found, end, data.lang, actions, verified, data.weight, min_n)


def _as_of(as_of: object, period: pd.Period) -> dt.date:
    from cxkit.rootcause._analysis import as_of_date

    return as_of_date(as_of) or period.end_time.date()


def problems(result: Investigations | Skipped) -> Section | Skipped:
    """List the log's problems (none: the section is left out)."""
    if isinstance(result, Skipped) or not result.problems:
        return (
            result
            if isinstance(result, Skipped)
            else Skipped("rootcause-problems", "", result.lang)
        )
    t = rootcause_text(result.lang)
    intro = (
        t["problems_unreadable"]
        if result.log is None
        else t["problems_intro"].format(n=len(result.problems))
    )
    return problem_list("rootcause-problems", intro, result.problems)


def _readable(result: Investigations | Skipped, name: str) -> Skipped | None:
    """Return the reason a section cannot be shown, or None."""
    if isinstance(result, Skipped):
        return result
    if result.log is None:
        return Skipped(name, rootcause_text(result.lang)["problems_unreadable"], result.lang)
    if not result.log.entries:
        return Skipped(name, rootcause_text(result.lang)["empty_log"], result.lang)
    return None


def overview(result: Investigations | Skipped) -> Section | Skipped:
    """Say how many investigations are open and actions overdue; draw the Pareto charts."""
    skipped = _readable(result, "rootcause-overview")
    if skipped:
        return skipped
    t, lang, entries = rootcause_text(result.lang), result.lang, result.log.entries
    closed = sum(e.status == "closed" for e in entries)
    late = int(result.actions["overdue"].sum()) if len(result.actions) else 0
    key = (
        "overview_overdue_none"
        if late == 0
        else "overview_overdue_one"
        if late == 1
        else "overview_overdue_many"
    )
    text = t["overview"].format(
        n=number(len(entries), lang, 0),
        open=number(len(entries) - closed, lang, 0),
        closed=number(closed, lang, 0),
        overdue=t[key].format(n=number(late, lang, 0)),
        date=date_text(result.as_of, lang),
    )
    return Section(
        "rootcause-overview", [text, _pareto_figure(result.log, lang), t["pareto_caption"]]
    )


def _pareto_figure(log: RootCauseLog, lang: str):
    t = rootcause_text(lang)
    fig, axes = figure(height=3.4, ncols=2)
    for ax, by, title in zip(
        axes, ("category", "touchpoint"), ("pareto_categories", "pareto_touchpoints"), strict=True
    ):
        table = log.pareto(by)
        labels = [status_text("category", v, lang) if by == "category" else v for v in table[by]]
        positions = range(len(table))
        ax.bar(positions, table["entries"], color="#9aa5b1")
        ax.set_xticks(list(positions), labels, rotation=30, ha="right")
        ax.set_title(t[title])
        ax.set_ylabel(t["axis_entries"])
        ax.yaxis.get_major_locator().set_params(integer=True)
        share = ax.twinx()
        share.plot(list(positions), table["cumulative_share"], color="#1f6feb", marker="o")
        share.set_ylim(0, 105)
        share.set_ylabel(t["axis_cumulative"])
        share.yaxis.set_major_formatter(
            lambda v, _: number(v, lang, 0) + ("\u00a0%" if lang == "es" else "%")
        )
        share.spines["top"].set_visible(False)
    return fig


def ladders(result: Investigations | Skipped) -> Section | Skipped:
    """Show each investigation as a why-ladder: problem, whys, root cause, actions, check."""
    skipped = _readable(result, "rootcause-ladders")
    if skipped:
        return skipped
    checks = (
        {} if result.verified is None else {r["id"]: r for r in result.verified.to_dict("records")}
    )
    blocks = [ladder(e, result.lang, result.as_of, checks.get(e.id)) for e in result.log.entries]
    return Section("rootcause-ladders", [HTMLBlock(STYLE + "".join(blocks))])


def tracker(result: Investigations | Skipped) -> Section | Skipped:
    """Show every countermeasure: overdue ones first, marked."""
    skipped = _readable(result, "rootcause-actions")
    if skipped:
        return skipped
    t, lang = rootcause_text(result.lang), result.lang
    if result.actions.empty:
        return Skipped("rootcause-actions", t["no_actions"], lang)
    pending = result.actions["status"].isin(["open", "in progress"])
    rows = result.actions.assign(_pending=pending).sort_values(
        ["overdue", "days_overdue", "_pending"], ascending=False, kind="stable"
    )
    table = pd.DataFrame(
        {
            t["col_entry"]: rows["id"],
            t["col_action"]: rows["action"],
            t["col_owner"]: rows["owner"].fillna(t["owner_missing"]),
            t["col_due"]: [date_text(d, lang) for d in rows["due"]],
            t["col_status"]: [
                status_text("action", s, lang) + (f" · {overdue_text(d, lang)}" if o else "")
                for s, o, d in zip(
                    rows["status"], rows["overdue"], rows["days_overdue"], strict=True
                )
            ],
        }
    )
    classes = pd.DataFrame("", index=table.index, columns=table.columns)
    classes.loc[rows["overdue"].to_numpy(), t["col_status"]] = "cx-overdue"
    caption = t["tracker_caption"].format(date=date_text(result.as_of, lang))
    return Section("rootcause-actions", [HTMLBlock(STYLE), _table(table, classes, caption)])


def verification(result: Investigations | Skipped) -> Section | Skipped:
    """Show, for each verified investigation, its metric before and now, and the verdict."""
    skipped = _readable(result, "rootcause-verification")
    if skipped:
        return skipped
    t, lang = rootcause_text(result.lang), result.lang
    if result.verified is None or result.verified.empty:
        return Skipped("rootcause-verification", t["no_verification"], lang)
    v = result.verified
    unit = {"nps": "points", "csat": "pp", "ces": "scale"}
    table = pd.DataFrame(
        {
            t["col_entry"]: v["id"],
            t["col_metric"]: [t.get(f"metric_{m}", m) for m in v["metric"]],
            t["col_baseline"]: [
                _at(r, "baseline", "baseline_period", lang) for r in v.to_dict("records")
            ],
            t["col_latest"]: [
                _at(r, "latest", "latest_period", lang) for r in v.to_dict("records")
            ],
            t["col_change"]: [
                _change(r, unit.get(r["metric"], "points"), lang) for r in v.to_dict("records")
            ],
            t["col_target"]: [
                metric_value(m, x, lang) for m, x in zip(v["metric"], v["target"], strict=True)
            ],
            t["col_verdict"]: [status_text("verdict", x, lang) for x in v["verdict"]],
        }
    )
    classes = pd.DataFrame("", index=table.index, columns=table.columns)
    classes[t["col_target"]] = "num"  # the others wrap: a value, then its period or interval
    small = v["small_sample"].to_numpy()
    for column in (t["col_baseline"], t["col_latest"], t["col_change"], t["col_verdict"]):
        table.loc[small, column] = "–"
        classes.loc[small, column] = "small"
    caption = t["verify_caption"].format(date=date_text(result.as_of, lang))
    notes = [section_text(lang)["weighted"].format(column=result.weight)] if result.weight else []
    if small.any():
        notes.insert(0, table_text(lang)["small_note"].format(min_n=result.min_n))
    return Section("rootcause-verification", [_table(table, classes, caption), *notes])


def _at(row: dict, value: str, period: str, lang: str) -> str:
    if pd.isna(row[value]):
        return "–"
    return f"{metric_value(row['metric'], row[value], lang)} ({period_name(row[period], lang)})"


def _change(row: dict, unit: str, lang: str) -> str:
    if pd.isna(row["difference"]):
        return "–"
    digits = 2 if row["metric"] == "ces" else 1
    low, high = number(row["ci_low"], lang, digits), number(row["ci_high"], lang, digits)
    span = table_text(lang)["range"].format(low=low, high=high)
    return f"{change(row['difference'], lang, digits, unit)} ({span})"


def _table(table: pd.DataFrame, classes: pd.DataFrame, caption: str) -> ClientTable:
    """Make a client table as :func:`cxkit.present` does: no index, every value escaped."""
    return ClientTable(client_styler(table, classes, caption))


def rootcause_metrics(result: Investigations | Skipped, period: str | pd.Period) -> pd.DataFrame:
    """Write the log's state as metric rows, for the report's front page and history.

    ``rootcause_open`` (investigations not closed), ``rootcause_overdue`` (countermeasures
    overdue as of the report's date), ``rootcause_problems`` (problems in the log), and one
    ``rootcause_verdict`` row per verdict found, ``group`` the verdict and ``value`` the
    count. Empty without a readable log.
    """
    if isinstance(result, Skipped) or result.log is None:
        return pd.DataFrame(columns=COLUMNS)
    entries = result.log.entries
    rows = [
        ("rootcause_open", "all", sum(e.status != "closed" for e in entries)),
        (
            "rootcause_overdue",
            "all",
            int(result.actions["overdue"].sum()) if len(result.actions) else 0,
        ),
        ("rootcause_problems", "all", len(result.problems)),
    ]
    if result.verified is not None:
        counts = result.verified["verdict"].value_counts()
        rows += [("rootcause_verdict", v, int(counts[v])) for v in VERDICTS if v in counts]
    out = pd.DataFrame(rows, columns=["metric", "group", "value"]).reindex(columns=COLUMNS)
    out["period"] = str(period)
    out["small_sample"] = False
    return out
