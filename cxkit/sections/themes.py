"""Sections of the comment themes (notebook 05): what customers wrote about in the period.

:func:`analyse` tags the report period's comments with the client's taxonomy (and, for the
analyst, proposes candidate themes among the comments nothing matched), and follows every
theme's share of comments period by period up to the report period. Labels are in the report's
language; the quotes are the customers' own words, masked and escaped where they are shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit.i18n import change, number, percent, period_name, voc_text
from cxkit.io.client import ClientData
from cxkit.plots._style import PALETTE
from cxkit.present import ClientTable, client_styler
from cxkit.sections import HTMLBlock, Section, Skipped, figure
from cxkit.sections.voc import in_period
from cxkit.themes import ThemeResult, ThemeTrends, load_taxonomy, theme_trends, themes

__all__ = ["Tagged", "analyse", "candidates", "overview", "trends"]

#: The palette's colours in the order trend lines take them: the orange (1) and the vermillion
#: (3) of the colour-blind palette look alike side by side, so the vermillion comes last.
_LINE_COLOURS = (0, 1, 2, 4, 5, 9, 8, 6, 7, 3)
#: Periods the trend chart shows, the report period last.
TREND_PERIODS = 12


@dataclass
class Tagged:
    """The report period's comments tagged, and every theme's share period by period."""

    result: ThemeResult
    trend: ThemeTrends
    period: pd.Period
    lang: str
    answers: int

    @property
    def table(self) -> pd.DataFrame:
        """The period's theme table, labels in the report's language."""
        return self.result.table

    def _repr_html_(self) -> str:
        return self.result.summary.to_html(index=False, escape=True, na_rep="")


def analyse(
    taxonomy: str | Path | None, data: ClientData, *, discover: int = 0, random_state: int = 0
) -> Tagged | Skipped:
    """Tag the period's comments with the taxonomy at ``taxonomy``; follow the themes' shares.

    The trend counts every comment up to the period's last day, period by period at the
    report period's granularity.
    """
    t = voc_text(data.lang)
    if taxonomy is None:
        return Skipped("voc-themes", t["no_taxonomy"], data.lang)
    answers = in_period(data.responses, "responded_at", data.period)
    if answers is None or "comment" not in answers.columns:
        return Skipped("voc-themes", t["no_responses"], data.lang)
    chosen = load_taxonomy(taxonomy)
    found = themes(answers, taxonomy=chosen, discover=discover, random_state=random_state)
    if found.counts["commented"] == 0:
        return Skipped("voc-themes", t["no_comments"], data.lang)
    found.table["label"] = [chosen.label(k, data.lang) for k in found.table["theme"]]
    earlier = data.responses[pd.to_datetime(data.responses["responded_at"]) <= data.period.end_time]
    history = themes(earlier, taxonomy=chosen)
    trend = theme_trends(earlier, history, freq=data.period.freqstr, period=data.period)
    return Tagged(found, trend, data.period, data.lang, len(answers))


def _tied(table: pd.DataFrame) -> pd.Series:
    """Themes tied to detractors: more detractors among mentions, Holm-adjusted p < 0.05."""
    return (table["p_adjusted"] < 0.05) & (table["difference"] > 0)


def overview(tagged: Tagged | Skipped) -> Section | Skipped:
    """Say how many comments there were, chart each theme's share, and table the themes."""
    if isinstance(tagged, Skipped):
        return tagged
    t, lang, table = voc_text(tagged.lang), tagged.lang, tagged.table
    counts = tagged.result.counts
    text = t["themes_text"].format(
        commented=number(counts["commented"], lang, 0),
        n=number(tagged.answers, lang, 0),
        period=period_name(tagged.period, lang),
        matched=number(counts["commented"] - counts["unmatched"], lang, 0),
        k=number(len(table), lang, 0),
    )
    tied = table.loc[_tied(table), "label"].tolist()
    text += " " + (
        t["themes_tied"].format(themes=", ".join(tied)) if tied else t["themes_tied_none"]
    )
    items = [text, _share_figure(tagged), _theme_table(tagged), _quotes(tagged)]
    return Section("voc-themes", items)


def _share_figure(tagged: Tagged):
    t, table = voc_text(tagged.lang), tagged.table.sort_values("share")
    fig, (ax,) = figure(height=0.34 * len(table) + 1.2)
    colours = [PALETTE[3] if tied else "#9aa5b1" for tied in _tied(table)]
    ax.barh(table["label"], table["share"], color=colours)
    ax.set_xlabel(t["themes_axis"])
    ax.xaxis.set_major_formatter(lambda v, _: number(v, tagged.lang, 0))
    handles = [
        ax.bar([0], [0], color=PALETTE[3], label=t["themes_legend_tied"]),
        ax.bar([0], [0], color="#9aa5b1", label=t["themes_legend_other"]),
    ]
    ax.legend(handles=handles, loc="lower right", frameon=False)
    return fig


def _theme_table(tagged: Tagged) -> ClientTable:
    t, lang = voc_text(tagged.lang), tagged.lang
    rows = tagged.table.sort_values("mentions", ascending=False, kind="stable")
    with_, without = rows["detractor_share_with"], rows["detractor_share_without"]
    table = pd.DataFrame(
        {
            t["col_theme"]: rows["label"],
            t["col_share"]: [
                f"{percent(s, lang)} ({number(m, lang, 0)})"
                for s, m in zip(rows["share"], rows["mentions"], strict=True)
            ],
            t["col_detractors"]: [
                f"{percent(w, lang, 0)} / {percent(o, lang, 0)}"
                for w, o in zip(with_, without, strict=True)
            ],
            t["col_difference"]: [_difference(r, lang) for r in rows.to_dict("records")],
            t["col_tied"]: [t["tied_yes"] if x else t["tied_no"] for x in _tied(rows)],
        }
    )
    classes = pd.DataFrame("num", index=table.index, columns=table.columns)
    classes[[t["col_theme"], t["col_tied"]]] = ""
    caption = t["themes_caption"].format(period=period_name(tagged.period, lang), k=len(rows))
    return ClientTable(client_styler(table, classes, caption))


def _quotes(tagged: Tagged) -> HTMLBlock:
    """Each theme's quotes, in the customers' words (masked, then escaped here)."""
    t = voc_text(tagged.lang)
    rows = tagged.table.sort_values("mentions", ascending=False, kind="stable")
    items = [
        f"<li><strong>{html.escape(label)}</strong>: "
        + " · ".join(f"“{html.escape(q)}”" for q in quotes)
        + "</li>"
        for label, quotes in zip(rows["label"], rows["quotes"], strict=True)
        if len(quotes)
    ]
    head = f'<p class="cx-note">{html.escape(t["col_quotes"])}:</p>'
    return HTMLBlock(f'{head}<ul class="cx-quotes">{"".join(items)}</ul>')


def _difference(row: dict, lang: str) -> str:
    if pd.isna(row["difference"]):
        return "–"
    low, high = (number(row[k], lang, 1) for k in ("ci_low", "ci_high"))
    return f"{change(row['difference'], lang, 1, 'pp')} ({low}–{high})"


def trends(tagged: Tagged | Skipped) -> Section | Skipped:
    """Chart every theme's share of comments by period; say which changed beyond chance."""
    if isinstance(tagged, Skipped):
        return Skipped("voc-trends", tagged.reason, tagged.lang)
    t, lang = voc_text(tagged.lang), tagged.lang
    changes = tagged.trend.changes
    labels = dict(zip(tagged.table["theme"], tagged.table["label"], strict=True))
    if changes["previous_share"].isna().all():
        text = t["trends_first"]
    else:
        previous = period_name(changes["previous"].iloc[0], lang)
        moved = changes[changes["significant"].fillna(False).astype(bool)]
        said = [
            t["trends_change"].format(
                label=labels.get(r["theme"], r["theme"]),
                verb=t["trends_up" if r["difference"] > 0 else "trends_down"],
                before=percent(r["previous_share"], lang),
                after=percent(r["share"], lang),
            )
            for r in moved.to_dict("records")
        ]
        text = (
            t["trends_text"].format(previous=previous, changes="; ".join(said))
            if said
            else t["trends_none"].format(previous=previous)
        )
    caption = t["trends_caption"].format(period=period_name(tagged.period, lang))
    return Section("voc-trends", [text, _trend_figure(tagged, labels), caption])


def _trend_figure(tagged: Tagged, labels: dict[str, str]):
    t = voc_text(tagged.lang)
    table = tagged.trend.table
    periods = sorted(table["period"].unique())[-TREND_PERIODS:]
    shown = table[table["period"].isin(periods)]
    fig, (ax,) = figure(height=3.6)
    x = np.arange(len(periods))
    for i, (theme, rows) in enumerate(shown.groupby("theme", sort=False)):
        series = rows.set_index("period").reindex(periods)["share"]
        ax.plot(
            x,
            series.to_numpy(dtype=float),
            marker="o",
            markersize=3,
            color=PALETTE[_LINE_COLOURS[i % len(_LINE_COLOURS)]],
            label=labels.get(theme, theme),
        )
    ax.set_xticks(x, [period_name(p, tagged.lang) for p in periods], rotation=30, ha="right")
    ax.set_ylabel(t["trends_axis"])
    ax.yaxis.set_major_formatter(lambda v, _: number(v, tagged.lang, 0))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


def candidates(tagged: Tagged | Skipped) -> pd.DataFrame | Skipped:
    """Return the candidate themes among the comments nothing matched (for the analyst)."""
    if isinstance(tagged, Skipped):
        return tagged
    return tagged.result.discovered
