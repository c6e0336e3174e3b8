"""The sections of the touchpoint-prioritization report (notebook 02), for the report period.

:func:`analyse` fits the period's prioritization once (:func:`cxkit.prioritize` and
:func:`cxkit.stage_summary` on the responses of ``data.period``); the section functions show
it. When the responses, the outcome or the ratings are missing, or the period has too few
answers to fit, :func:`analyse` returns a :class:`~cxkit.sections.Skipped` with the reason, and
every section passes it on.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit import plots
from cxkit.drivers import DriverAnalysis
from cxkit.errors import CxkitError
from cxkit.headline import COLUMNS
from cxkit.i18n import number, percent, period_name, section_text
from cxkit.io.client import ClientData
from cxkit.present import present
from cxkit.prioritize import prioritize, stage_summary
from cxkit.sections import Section, Skipped, figure
from cxkit.touchpoints import TouchpointCatalog, rating_columns

__all__ = [
    "Prioritization",
    "about",
    "analyse",
    "importance",
    "matrix",
    "priorities",
    "priority_metrics",
    "stages",
    "whole_export",
]


@dataclass
class Prioritization:
    """The report period's touchpoint priorities and journey stages, and the analyst's notes."""

    priorities: pd.DataFrame
    stages: pd.DataFrame
    period: pd.Period
    lang: str
    min_n: int
    notes: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in map(html.escape, self.notes))
        table = self.priorities.to_html(index=False, float_format=lambda v: f"{v:.3g}")
        return f"{table}<ul>{notes}</ul>" if notes else table


def analyse(
    data: ClientData,
    *,
    catalog: TouchpointCatalog | str | Path | None = None,
    outcome: str = "nps",
    method: str = "shapley",
    n_boot: int = 1000,
    random_state: int | None = 0,
    min_n: int = 30,
) -> Prioritization | Skipped:
    """Prioritize the touchpoints on the report period's responses (see :func:`cxkit.prioritize`).

    ``random_state`` fixes the bootstrap, so a re-run of the same report gives the same
    intervals.
    """
    reason = data.missing("responses", outcome)
    if reason is None and not rating_columns(data.responses):
        reason = section_text(data.lang)["no_ratings"]
    if reason:
        return Skipped("touchpoints", reason, data.lang)
    p = data.period
    rows = data.responses[data.responses["responded_at"].between(p.start_time, p.end_time)]
    options = {"outcome": outcome, "weight": data.weight}
    try:
        table = prioritize(
            rows,
            catalog=catalog,
            method=method,
            n_boot=n_boot,
            min_n=min_n,
            random_state=random_state,
            lang=data.lang,
            **options,
        )
    except CxkitError as error:  # e.g. too few answers in the period to fit the model
        return Skipped("touchpoints", str(error).rstrip("."), data.lang)
    stage_table = stage_summary(rows, priorities=table, **options)
    return Prioritization(table, stage_table, p, data.lang, min_n, list(table.attrs["notes"]))


def about(result: Prioritization | Skipped) -> Section | Skipped:
    """Say what the prioritization rests on: its base, the touchpoints and R²."""
    if isinstance(result, Skipped):
        return result
    t, lang, attrs = section_text(result.lang), result.lang, result.priorities.attrs
    text = t["drivers_about"].format(
        period=period_name(result.period, lang),
        n=number(attrs["n"], lang, 0),
        k=len(result.priorities),
        r2=percent(100 * attrs["r2"], lang, 0),
    )
    return Section("drivers-about", [text])


def priorities(result: Prioritization | Skipped, *, top: int = 12) -> Section | Skipped:
    """Show the touchpoints by priority, with importance, performance, reach and expected gain."""
    if isinstance(result, Skipped):
        return result
    t, lang = section_text(result.lang), result.lang
    target = number(result.priorities.attrs["target"], lang, 1)
    caption = t["drivers_caption"].format(period=period_name(result.period, lang), target=target)
    table = present(
        result.priorities,
        "priorities",
        by=["touchpoint"],
        lang=lang,
        min_n=result.min_n,
        max_rows=top,
        caption=caption,
    )
    return Section("priorities", [table, t["drivers_gain_note"].format(target=target)])


def _solid(result: Prioritization) -> pd.DataFrame:
    """Touchpoints with enough ratings to draw, importance as a share of the total.

    Small bases are suppressed in charts too. Charts show the share (as the tables do), with
    the importance interval on the share scale.
    """
    table = result.priorities[~result.priorities["small_sample"]]
    scale = table["share"] / table["importance"]
    return table.assign(
        share_low=table["importance_low"] * scale, share_high=table["importance_high"] * scale
    )


def matrix(result: Prioritization | Skipped) -> Section | Skipped:
    """Draw the importance–performance matrix with interval whiskers and quadrant lines."""
    if isinstance(result, Skipped):
        return result
    attrs = result.priorities.attrs
    fig, (ax,) = figure(height=6.0)
    plots.importance_performance(
        _solid(result),
        x="share",
        x_cut=result.priorities["share"].mean(),  # the mean importance, on the share scale
        y_cut=attrs["performance_cut"],
        ax=ax,
        lang=result.lang,
    )
    caption = section_text(result.lang)["matrix_caption"].format(
        period=period_name(result.period, result.lang)
    )
    return Section("matrix", [fig, caption])


def importance(result: Prioritization | Skipped) -> Section | Skipped:
    """Draw each touchpoint's importance with its interval, most important first."""
    if isinstance(result, Skipped):
        return result
    shown = _solid(result)
    fig, (ax,) = figure(height=0.4 * len(shown) + 1.4)
    plots.driver_importance(shown, x="share", ax=ax, lang=result.lang)
    caption = section_text(result.lang)["importance_caption"].format(
        period=period_name(result.period, result.lang)
    )
    return Section("importance", [fig, caption])


def stages(result: Prioritization | Skipped) -> Section | Skipped:
    """Show the journey stages: a strip from attract to advance, and the stage table."""
    if isinstance(result, Skipped):
        return result
    lang = result.lang
    fig, (ax,) = figure(height=2.2)
    plots.journey_stages(result.stages, ax=ax, lang=lang)
    caption = section_text(lang)["stages_caption"].format(period=period_name(result.period, lang))
    table = present(result.stages, "stages", by=[], lang=lang, max_rows=None)
    return Section("stages", [fig, caption, table])


def priority_metrics(result: Prioritization | Skipped, *, top: int = 3) -> pd.DataFrame:
    """Write the top priorities as metric rows, for the report's front page and history.

    One row per touchpoint and measure (``priority``, ``touchpoint_importance`` as a share of
    explained variance in percent, ``touchpoint_rating``, ``touchpoint_reach`` in percent,
    ``expected_gain`` with its interval, ``rating_target``); ``group`` is the touchpoint's
    display name, ``period`` the report period. Empty when the section was skipped.
    """
    if isinstance(result, Skipped):
        return pd.DataFrame(columns=COLUMNS)
    table = result.priorities
    table = table[~table["small_sample"] & (table["priority"] > 0)].head(top)
    rows = []
    for _, r in table.iterrows():
        for metric, value, low, high in (
            ("priority", r["priority"], None, None),
            ("touchpoint_importance", 100 * r["share"], None, None),
            ("touchpoint_rating", r["performance"], r["performance_low"], r["performance_high"]),
            ("touchpoint_reach", 100 * r["reach"], None, None),
            ("expected_gain", r["expected_gain"], r["expected_gain_low"], r["expected_gain_high"]),
        ):
            rows.append(
                {
                    "metric": metric,
                    "group": r["touchpoint"],
                    "value": value,
                    "ci_low": low,
                    "ci_high": high,
                    "n": r["n"],
                    "small_sample": False,
                }
            )
    target = {"metric": "rating_target", "group": "all", "value": table.attrs["target"]}
    out = pd.DataFrame(rows + ([target] if rows else []), columns=COLUMNS)
    out["period"] = str(result.period)
    return out


def whole_export(
    data: ClientData, *, outcome: str = "nps", n_boot: int = 200, random_state: int | None = 0
) -> DriverAnalysis | Skipped:
    """Fit the importance model on every period of the export (for the analyst: more answers)."""
    reason = data.missing("responses", outcome)
    drivers = [] if reason else rating_columns(data.responses)
    if reason or not drivers:
        return Skipped("touchpoints", reason or section_text(data.lang)["no_ratings"], data.lang)
    model = DriverAnalysis(n_boot=n_boot, random_state=random_state)
    return model.fit(data.responses, outcome=outcome, drivers=drivers, weight=data.weight)
