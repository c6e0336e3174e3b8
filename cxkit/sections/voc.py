"""Sections of the voice-of-the-customer report (notebook 05): follow-up, teams, channels.

Each figure is for the report period: the answers given in it (follow-up, channels) and the
tickets opened in it (the team scorecard), with the follow-up counted as of the period's last
day. The comment themes have their own module, :mod:`cxkit.sections.themes`. Without the data a
section needs, it is a :class:`~cxkit.sections.Skipped` with the reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxkit._followuplog import LOG_COLUMNS, read_log
from cxkit.channels import ChannelPreferences, channel_preferences
from cxkit.followup import FollowUp, follow_up
from cxkit.headline import COLUMNS
from cxkit.i18n import date_text, duration, money, number, percent, period_name, voc_text
from cxkit.io.client import ClientData
from cxkit.present import ClientTable, client_styler
from cxkit.scorecard import TeamScorecard, team_scorecard
from cxkit.sections import Section, Skipped, figure

__all__ = [
    "channels",
    "followup",
    "followup_queue",
    "in_period",
    "read_channels",
    "read_follow_up",
    "read_scorecard",
    "scorecard",
    "voc_metrics",
]

#: Rows of the follow-up queue a client page lists.
QUEUE_ROWS = 15


def in_period(frame: pd.DataFrame | None, column: str, period: pd.Period) -> pd.DataFrame | None:
    """Return the rows of ``frame`` whose ``column`` falls in ``period`` (None without them)."""
    if frame is None or column not in frame.columns:
        return None
    return frame[pd.to_datetime(frame[column]).dt.to_period(period.freqstr) == period]


# --------------------------------------------------------------------------- follow-up
def read_follow_up(
    data: ClientData, log: str | Path | None, *, sla_days: float = 2
) -> FollowUp | Skipped:
    """Follow up the period's detractors (NPS 0-6) and CSAT 1-2 answers as of its last day."""
    t = voc_text(data.lang)
    responses = in_period(data.responses, "responded_at", data.period)
    if responses is None or responses.empty:
        return Skipped("voc-followup", t["no_responses"], data.lang)
    end = data.period.end_time.floor("s")
    return follow_up(
        responses,
        log=_log_of_period(log, data.responses, responses),
        sla_days=sla_days,
        as_of=end,
        customers=data.customers,
        lang=data.lang,
    )


def _log_of_period(
    log: str | Path | None, every: pd.DataFrame, period: pd.DataFrame
) -> pd.DataFrame | None:
    """Keep the log's calls about the period's answers, and those about no answer at all.

    A call about another period's answer is not a problem of this period's log: it is left
    out here (that period's report counts it), while an id no answer has stays, to be
    quarantined with its reason. Rows keep the file's numbers.
    """
    if log is None:
        return None
    entries = read_log(log).set_index("row")
    ids = entries["response_id"].astype("string")
    elsewhere = ids.isin(every["response_id"].astype("string")) & ~ids.isin(
        period["response_id"].astype("string")
    )
    return entries.loc[~elsewhere.to_numpy(), list(LOG_COLUMNS)]


def followup(
    result: FollowUp | Skipped, lang: str, period: pd.Period, logged: bool
) -> Section | Skipped:
    """Say how many answers needed a call, how many had one, how soon, and how many are late."""
    if isinstance(result, Skipped):
        return result
    t = voc_text(lang)
    measures = result.summary.set_index("measure")
    notes = [_followup_sentence(measures, result.sla_days, t, lang, period)]
    if not logged:
        notes.append(t["followup_no_log"])
    if len(result.quarantine):
        notes.append(t["followup_quarantine"].format(n=number(len(result.quarantine), lang, 0)))
    return Section("voc-followup", notes)


def _followup_sentence(
    m: pd.DataFrame, sla_days: float, t: dict[str, str], lang: str, period: pd.Period
) -> str:
    """Word the period's follow-up: who needed a call, who had one, how soon, who is late."""
    n, done = int(m.loc["needing_call", "value"]), int(m.loc["followed_up", "value"])
    head = {"period": period_name(period, lang), "n": number(n, lang, 0)}
    if n == 0:
        return t["followup_text_nobody"].format(**head)
    sla, breaches = number(sla_days, lang, 0), int(m.loc["sla_breaches", "value"])
    late = (
        t["followup_late"].format(
            breaches=number(breaches, lang, 0),
            waiting=number(m.loc["overdue", "value"], lang, 0),
            sla=sla,
        )
        if breaches
        else t["followup_late_none"].format(sla=sla)
    )
    if done == 0:
        return t["followup_text_none"].format(**head, late=late)
    return t["followup_text"].format(
        **head,
        done=number(done, lang, 0),
        rate=percent(m.loc["follow_up_rate", "value"], lang),
        low=number(m.loc["follow_up_rate", "ci_low"], lang),
        high=number(m.loc["follow_up_rate", "ci_high"], lang),
        median=t["followup_median"].format(
            days=number(m.loc["median_days_to_follow_up", "value"], lang)
        ),
        late=late,
    )


def followup_queue(
    result: FollowUp | Skipped, lang: str, currency: str | None = None
) -> Section | Skipped:
    """List the answers still waiting for a call, the longest overdue first."""
    if isinstance(result, Skipped):
        return Skipped("voc-followup-queue", result.reason, lang)
    t = voc_text(lang)
    waiting = result.queue[~result.queue["followed_up"]].sort_values("due", kind="stable")
    if waiting.empty:
        return Skipped("voc-followup-queue", t["followup_queue_none"], lang)
    shown = waiting.head(QUEUE_ROWS)
    table = pd.DataFrame(
        {
            t["col_date"]: [date_text(d, lang) for d in shown["responded_at"]],
            t["col_customer"]: shown["customer_id"].astype(str),
            t["col_score"]: [_score(r, t) for r in shown.to_dict("records")],
            t["col_comment"]: shown["comment"].fillna("–").astype(str),
            t["col_revenue"]: [money(v, lang, currency) for v in shown["revenue"]],
            t["col_due"]: [_due(d, result.as_of, t, lang) for d in shown["due"]],
        }
    )
    classes = pd.DataFrame("", index=table.index, columns=table.columns)
    classes[t["col_comment"]] = "text"
    classes[t["col_revenue"]] = "num"
    overdue = (shown["due"] < result.as_of).to_numpy()
    classes.loc[overdue, t["col_due"]] = "cx-overdue"
    caption = t["followup_queue_caption"].format(
        date=date_text(result.as_of, lang),
        shown=number(len(shown), lang, 0),
        total=number(len(waiting), lang, 0),
    )
    return Section("voc-followup-queue", [ClientTable(client_styler(table, classes, caption))])


def _score(row: dict, t: dict[str, str]) -> str:
    return t["score_text"].format(
        nps="–" if pd.isna(row["nps"]) else int(row["nps"]),
        csat="–" if pd.isna(row["csat"]) else int(row["csat"]),
    )


def _due(due: pd.Timestamp, as_of: pd.Timestamp, t: dict[str, str], lang: str) -> str:
    days = int((as_of - due) / pd.Timedelta(days=1))
    if due >= as_of:
        return t["due_on"].format(date=date_text(due, lang))
    return t["overdue_day"] if days <= 1 else t["overdue_days"].format(days=number(days, lang, 0))


# ----------------------------------------------------------------------- team scorecard
def read_scorecard(data: ClientData, *, by: str = "agent") -> TeamScorecard | Skipped:
    """Score each agent (or team) on the tickets opened in the report period."""
    t = voc_text(data.lang)
    tickets = in_period(data.tickets, "opened_at", data.period)
    if tickets is None or tickets.empty:
        return Skipped("voc-scorecard", t["no_tickets"], data.lang)
    if by not in tickets.columns or tickets[by].isna().all():
        return Skipped("voc-scorecard", t["no_agent"], data.lang)
    return team_scorecard(tickets, by=by)


def scorecard(result: TeamScorecard | Skipped, lang: str, period: pd.Period) -> Section | Skipped:
    """Show each agent's volume, times and shrunk rates with intervals, and the FCR chart."""
    if isinstance(result, Skipped):
        return result
    t = voc_text(lang)
    s, rates = result.summary, result.rates.set_index([result.by, "metric"])
    columns = {
        t["col_agent"]: s[result.by].astype(str),
        t["col_tickets"]: [number(v, lang, 0) for v in s["tickets"]],
        t["col_first_response"]: [duration(v, lang) for v in s["first_response_median_h"]],
        t["col_resolution"]: [duration(v, lang) for v in s["resolution_median_h"]],
    }
    for metric, key in (("fcr", "col_fcr"), ("reopen_rate", "col_reopen"), ("csat", "col_csat")):
        if metric in s.columns:
            columns[t[key]] = [_rate(rates, a, metric, t, lang) for a in s[result.by]]
    if "fcr_rank" in s.columns:
        columns[t["col_rank"]] = s["fcr_rank"].astype(str).str.replace("-", "–")
    table = pd.DataFrame(columns)
    classes = pd.DataFrame("num", index=table.index, columns=table.columns)
    classes[t["col_agent"]] = ""
    caption = t["scorecard_caption"].format(period=period_name(period, lang))
    items = [ClientTable(client_styler(table, classes, caption))]
    if "fcr" in s.columns:
        items += [_fcr_figure(result, lang), t["scorecard_figure"]]
    return Section("voc-scorecard", items)


def _rate(rates: pd.DataFrame, agent: object, metric: str, t: dict[str, str], lang: str) -> str:
    if (agent, metric) not in rates.index:
        return "–"
    r = rates.loc[(agent, metric)]
    return t["rate_interval"].format(
        value=percent(r["shrunk"], lang),
        low=number(r["ci_low"], lang),
        high=number(r["ci_high"], lang),
    )


def _fcr_figure(result: TeamScorecard, lang: str):
    t = voc_text(lang)
    fcr = result.rates[result.rates["metric"] == "fcr"].sort_values("shrunk")
    fig, (ax,) = figure(height=0.32 * len(fcr) + 1.2)
    y = np.arange(len(fcr))
    ax.hlines(y, fcr["ci_low"], fcr["ci_high"], color="#1f6feb", linewidth=2.5)
    ax.plot(fcr["shrunk"], y, "o", color="#1f6feb", markersize=7)
    ax.plot(fcr["raw"], y, "o", color="#9aa5b1", markersize=4)
    ax.set_yticks(y, fcr[result.by].astype(str))
    ax.set_xlabel(t["scorecard_axis"])
    ax.xaxis.set_major_formatter(lambda v, _: number(v, lang, 0))
    return fig


# ---------------------------------------------------------------------- channel preferences
def read_channels(data: ClientData) -> ChannelPreferences | Skipped:
    """Test whether the period's answers use channels differently by segment."""
    t = voc_text(data.lang)
    responses = in_period(data.responses, "responded_at", data.period)
    if responses is None or responses.empty:
        return Skipped("voc-channels", t["no_responses"], data.lang)
    if not {"channel", "segment"} <= set(responses.columns):
        return Skipped("voc-channels", t["no_channel"], data.lang)
    return channel_preferences(responses, by="segment", channel="channel")


def channels(
    result: ChannelPreferences | Skipped, lang: str, period: pd.Period
) -> Section | Skipped:
    """Draw each segment's channel shares, marking the cells used more or less than by chance."""
    if isinstance(result, Skipped):
        return result
    t, test = voc_text(lang), result.test
    p = (
        "< " + number(0.001, lang, 3)
        if test.p_value < 0.001
        else "= " + number(test.p_value, lang, 3)
    )
    key = "channels_text" if test.p_value < 0.05 else "channels_text_none"
    text = t[key].format(
        chi2=number(test.chi2, lang, 1), dof=test.dof, p=p, v=number(test.cramers_v, lang, 2)
    )
    caption = t["channels_caption"].format(
        period=period_name(period, lang), cut=number(result.cut, lang, 2)
    )
    return Section("voc-channels", [text, _channel_figure(result, lang), caption])


def _channel_figure(result: ChannelPreferences, lang: str):
    t = voc_text(lang)
    share = result.table.pivot(index=result.by, columns=result.channel, values="share")
    flag = result.table.pivot(index=result.by, columns=result.channel, values="flag")
    fig, (ax,) = figure(height=0.5 * len(share) + 1.6)
    ax.imshow(share.to_numpy(dtype=float), cmap="Blues", aspect="auto", vmin=0)
    for (i, j), value in np.ndenumerate(share.to_numpy(dtype=float)):
        mark = {"over": " " + t["more"], "under": " " + t["less"]}.get(flag.iat[i, j], "")
        colour = "white" if value > 0.6 * np.nanmax(share.to_numpy(dtype=float)) else "#1f2933"
        ax.text(j, i, percent(value, lang, 0) + mark, ha="center", va="center", color=colour)
    ax.set_xticks(range(share.shape[1]), [str(c) for c in share.columns])
    ax.set_yticks(range(share.shape[0]), [str(i) for i in share.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


# ------------------------------------------------------------------------- front page
def voc_metrics(
    followed: FollowUp | Skipped, themes: pd.DataFrame | None, period: str | pd.Period
) -> pd.DataFrame:
    """Write the period's voice of the customer as metric rows, for the front page and history.

    ``followup_needed`` (answers that needed a call), ``followup_rate`` (percent followed up,
    with its interval), ``followup_waiting`` (still waiting past the deadline) and
    ``followup_sla_days``; ``themes_tagged`` (how many themes the comments were tagged with)
    and one ``theme_detractor`` row per theme tied to detractors (Holm-
    adjusted p below 0.05, more detractors among those who mention it): ``group`` the theme's
    label, ``value`` the difference in detractor share (points) with its interval, ``n`` the
    mentions. ``themes`` is the period's theme table (:func:`cxkit.themes`' ``table``).
    """
    rows = []
    if not isinstance(followed, Skipped):
        s = followed.summary.set_index("measure")
        rows += [
            {"metric": "followup_needed", "value": s.loc["needing_call", "value"]},
            {"metric": "followup_rate", "value": s.loc["follow_up_rate", "value"],
             "ci_low": s.loc["follow_up_rate", "ci_low"],
             "ci_high": s.loc["follow_up_rate", "ci_high"]},
            {"metric": "followup_waiting", "value": s.loc["overdue", "value"]},
            {"metric": "followup_sla_days", "value": followed.sla_days},
        ]  # fmt: skip
    if themes is not None:
        rows.append({"metric": "themes_tagged", "value": len(themes)})
    if themes is not None and len(themes):
        tied = themes[(themes["p_adjusted"] < 0.05) & (themes["difference"] > 0)]
        rows += [
            {"metric": "theme_detractor", "group": r["label"], "value": r["difference"],
             "ci_low": r["ci_low"], "ci_high": r["ci_high"], "n": r["mentions"]}
            for r in tied.sort_values("difference", ascending=False).to_dict("records")
        ]  # fmt: skip
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    out["group"] = out["group"].astype(object).where(out["group"].notna(), "all")
    out["period"] = str(period)
    out["small_sample"] = False
    return out
