"""The sections of the baseline-metrics report (notebook 01), each for the report period.

Every table and chart is for ``data.period`` unless its caption says otherwise (the NPS trend
ends at the period and marks it; churn, retention and lifetime value use the history up to the
period's last day). Each function returns a :class:`~cxkit.sections.Section`, or a
:class:`~cxkit.sections.Skipped` naming what is missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxkit import plots
from cxkit._onepass import survey_metrics
from cxkit.compare import compare
from cxkit.i18n import number, period_name, section_text
from cxkit.io.client import ClientData
from cxkit.present import present
from cxkit.retention import churn_rate, retention_curve
from cxkit.sections import Section, Skipped, figure
from cxkit.service import fcr, service_metrics
from cxkit.survey import nps
from cxkit.verbatims import verbatims

__all__ = [
    "about",
    "changes",
    "churn",
    "comments",
    "nps_groups",
    "nps_trend",
    "satisfaction",
    "service",
]


def _needs(data: ClientData, name: str, kind: str, *columns: str) -> Skipped | None:
    for column in columns or (None,):
        reason = data.missing(kind, column)
        if reason:
            return Skipped(name, reason, data.lang)
    return None


def _granularity(data: ClientData, freq: str) -> str:
    """Choose the trend's granularity: ``freq``, or the report period's own when coarser.

    A quarter's report shows quarters, so the report period is one point of the trend.
    """
    own = data.period.freqstr
    return own if own[:1] in "QY" and freq[:1] in "MWD" else freq


def _history_trend(path: str | Path | None, client: str | None, freq: str) -> pd.DataFrame:
    """Read NPS per period from the client's report history (periods of ``freq`` only)."""
    if path is None or client is None or not Path(path).is_file():
        return pd.DataFrame(columns=["period", "nps", "ci_low", "ci_high"])
    from cxkit.reports.history import History, same_granularity  # read-only here

    stored = History(path).load(client)
    rows = stored[(stored["metric"] == "nps") & (stored["group"] == "all")]
    rows = rows[same_granularity(rows["period"], pd.Period("2000-01", freq))]
    return pd.DataFrame(
        {
            "period": rows["period"].map(lambda p: pd.Period(p, freq)),
            "nps": rows["value"],
            "ci_low": rows["ci_low"],
            "ci_high": rows["ci_high"],
        }
    )


def _bases(data: ClientData) -> list[str]:
    """Write the period's bases, one phrase per export given: responses, tickets, customers."""
    t, p = section_text(data.lang), data.period
    counts = {}
    for kind, date in (("responses", "responded_at"), ("tickets", "opened_at")):
        if data.has(kind):
            dates = data.frame(kind)[date]
            counts[kind] = ((dates >= p.start_time) & (dates <= p.end_time)).sum()
    if data.has("customers"):  # active at the start of the period, as churn counts them
        c = data.customers
        counts["customers"] = (
            (c["start_date"] < p.start_time) & ~(c["end_date"] < p.start_time)
        ).sum()
    return [t[f"about_{k}"].format(n=number(int(n), data.lang, 0)) for k, n in counts.items()]


def about(data: ClientData) -> Section:
    """Say what the report rests on: its period, bases, weighting, and what was not sent."""
    t = section_text(data.lang)
    parts = _bases(data)
    joined = ", ".join(parts[:-1]) + f" {t['and']} " + parts[-1] if len(parts) > 1 else parts[0]
    items = [t["about"].format(period=period_name(data.period, data.lang), parts=joined)]
    if data.weight:
        items.append(t["weighted"].format(column=data.weight))
    return Section("about", items + list(data.notes))


def nps_trend(
    data: ClientData,
    *,
    freq: str = "M",
    periods: int = 24,
    min_n: int = 30,
    history: str | Path | None = None,
    client: str | None = None,
) -> Section | Skipped:
    """Show NPS by period up to the report period (marked), with significant changes circled.

    Periods the export does not hold are taken from the client's report ``history`` (a
    ``history.sqlite`` of ``cxkit report``), so a monthly export still shows a trend.
    """
    skip = _needs(data, "trend", "responses", "nps")
    if skip:
        return skip
    freq = _granularity(data, freq)
    until = data.responses[data.responses["responded_at"] <= data.period.end_time]
    table = nps(until, freq=freq, weight=data.weight, min_n=min_n)
    stored = _history_trend(history, client, freq)
    stored = stored[~stored["period"].isin(table["period"]) & (stored["period"] < data.period)]
    if len(stored):
        table = pd.concat([stored, table], ignore_index=True).sort_values("period")
    table = table.tail(periods)
    changes_ = compare(until, freq=freq, weight=data.weight, min_n=min_n, lang=data.lang)
    fig, (ax,) = figure()
    plots.nps_trend(
        table, comparisons=changes_, highlight=pd.Period(data.period, freq), ax=ax, lang=data.lang
    )
    t = section_text(data.lang)
    first, last = table["period"].iloc[0], table["period"].iloc[-1]
    span = t["trend_caption"].format(
        first=period_name(first, data.lang), last=period_name(last, data.lang)
    )
    return Section("trend", [fig, span])


def changes(
    data: ClientData, *, by: str = "segment", min_n: int = 30, adjust: str = "holm"
) -> Section | Skipped:
    """Show the period against the one before, and each group against the rest."""
    skip = _needs(data, "changes", "responses", "nps")
    if skip:
        return skip
    groups = by if data.has("responses", by) else None
    table = compare(
        data.responses,
        freq=data.period.freqstr,
        period=data.period,
        by=groups,
        weight=data.weight,
        min_n=min_n,
        adjust=adjust,
        lang=data.lang,
    )
    caption = section_text(data.lang)["changes_caption"].format(
        period=period_name(data.period, data.lang)
    )
    shown = present(
        table,
        "compare",
        by=groups or [],
        lang=data.lang,
        min_n=min_n,
        caption=caption,
        metric="nps",
    )
    return Section("changes", [shown])


def nps_groups(
    data: ClientData, *, by: tuple[str, ...] = ("segment", "touchpoint"), min_n: int = 30
) -> Section | Skipped:
    """Show NPS of the report period per group, as tables and charts."""
    skip = _needs(data, "groups", "responses", "nps")
    if skip:
        return skip
    items: list = []
    lang, name = data.lang, period_name(data.period, data.lang)
    t = section_text(lang)
    for column in [c for c in by if data.has("responses", c)]:
        table = nps(data.responses, by=column, period=data.period, weight=data.weight, min_n=min_n)
        # best first; small bases last, so their order does not hint at a value not shown
        table = table.sort_values(["small_sample", "nps"], ascending=[True, False])
        caption = t["groups_caption"].format(period=name)
        items.append(present(table, "nps", by=column, lang=lang, min_n=min_n, caption=caption))
        solid = table[~table["small_sample"]]  # small bases are suppressed, in charts too
        fig, (ax,) = figure(height=0.45 * len(solid) + 1.4)
        if column == by[0]:
            plots.nps_mix(solid, y=column, ax=ax, lang=lang)
        else:
            plots.nps_by_group(solid, y=column, ax=ax, lang=lang)
        items.append(fig)
    return (
        Section("groups", items)
        if items
        else Skipped("groups", data.missing("responses", by[0]), lang)
    )


def satisfaction(data: ClientData, *, by: str = "segment", min_n: int = 30) -> Section | Skipped:
    """Show CSAT and CES of the report period, overall and per group."""
    present_columns = [c for c in ("csat", "ces") if data.has("responses", c)]
    if not present_columns:
        return _needs(data, "satisfaction", "responses", "csat")
    groups = by if data.has("responses", by) else None
    lang, name = data.lang, period_name(data.period, data.lang)
    tables = survey_metrics(
        data.responses,
        metrics=present_columns,
        by=groups,
        period=data.period,
        weight=data.weight,
        min_n=min_n,
    )
    items = []
    for metric, table in tables.items():
        caption = section_text(lang)[f"{metric}_caption"].format(period=name)
        items.append(present(table, metric, by=groups, lang=lang, min_n=min_n, caption=caption))
    return Section("satisfaction", items)


def comments(data: ClientData, *, n: int = 12, redact: bool = True) -> Section | Skipped:
    """Show the period's latest comments as written (e-mails and phones masked)."""
    skip = _needs(data, "comments", "responses", "comment")
    if skip:
        return skip
    table = verbatims(data.responses, period=data.period, n=n, redact=redact, lang=data.lang)
    caption = section_text(data.lang)["comments_caption"].format(
        n=len(table), period=period_name(data.period, data.lang)
    )
    shown = present(table, "verbatims", by=[], lang=data.lang, max_rows=n, caption=caption)
    return Section("comments", [shown])


def service(data: ClientData, *, by: str = "channel", min_n: int = 30) -> Section | Skipped:
    """Show ticket volumes, response and resolution times and FCR of the report period."""
    skip = _needs(data, "service", "tickets")
    if skip:
        return skip
    groups = by if data.has("tickets", by) else None
    table = service_metrics(data.tickets, by=groups, period=data.period)
    if not data.has("tickets", "contacts"):  # no contact counts: no FCR, not an empty column
        table = table.drop(columns="fcr")
    else:
        rates = fcr(data.tickets, by=groups, period=data.period, min_n=min_n)
        keep = ([groups] if groups else []) + ["fcr", "ci_low", "ci_high", "small_sample"]
        table = (
            table.drop(columns="fcr").merge(rates[keep], on=groups)
            if groups
            else (table.drop(columns="fcr").assign(**rates[keep[-4:]].iloc[0].to_dict()))
        )
    lang, name = data.lang, period_name(data.period, data.lang)
    caption = section_text(lang)["service_caption"].format(period=name)
    items = [present(table, "service", by=groups, lang=lang, min_n=min_n, caption=caption)]
    if groups and data.has("tickets", "first_response_at"):
        fig, (ax,) = figure(width=8, height=3.6)
        inside = data.tickets[
            data.tickets["opened_at"].dt.to_period(data.period.freqstr) == data.period
        ]
        plots.response_times(inside, hue=groups, ax=ax, lang=lang)
        items += [fig, section_text(lang)["times_caption"].format(period=name)]
    return Section("service", items)


def churn(
    data: ClientData,
    *,
    by: str = "segment",
    freq: str = "M",
    periods: int = 6,
    min_n: int = 30,
    currency: str | None = None,
    margin_rate: float = 1.0,
    discount_rate: float = 0.01,
) -> Section | Skipped:
    """Show churn up to the report period, retention curves and lifetime value.

    Everything uses the customer history up to the report period's last day, never after it.
    """
    skip = _needs(data, "churn", "customers")
    if skip:
        return skip
    from cxkit.clv import clv

    as_of = data.period.end_time.normalize()
    lang, t = data.lang, section_text(data.lang)
    per = _granularity(data, freq)  # the churn table; curves and CLV stay per ``freq``
    rates = churn_rate(data.customers, freq=per, as_of=as_of, min_n=min_n).tail(periods)
    rates = rates.iloc[::-1]  # the report period first
    items: list = [
        present(
            rates,
            "churn",
            by="period",
            lang=lang,
            min_n=min_n,
            caption=t["churn_caption"].format(n=len(rates)),
        )
    ]
    groups = by if data.has("customers", by) else None
    curve = retention_curve(data.customers, by=groups, unit=freq, as_of=as_of)
    fig, (ax,) = figure(width=8, height=3.6)
    curve.plot(ax=ax, lang=lang)
    items += [fig, t["retention_caption"].format(date=period_name(data.period, lang))]
    value = clv(
        data.customers,
        orders=data.orders,
        by=groups,
        freq=freq,
        as_of=as_of,
        margin_rate=margin_rate,
        discount_rate=discount_rate,
    )
    items.append(
        present(
            value,
            "clv",
            by=groups,
            lang=lang,
            currency=currency,
            freq=freq,
            caption=t["clv_caption"].format(rate=discount_rate * 100),
        )
    )
    return Section("churn", items)
