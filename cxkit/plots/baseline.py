"""Plots of the baseline metrics: NPS over time and by group, its mix, retention, response times."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from cxkit._checks import check_option
from cxkit.i18n import plot_text, table_text

if TYPE_CHECKING:
    from cxkit.retention import RetentionCurve

from cxkit.plots._style import PALETTE, _locale_ticks, _thin_ticks

_MIX_COLORS = {"detractors": "#d7301f", "passives": "#bdbdbd", "promoters": "#238b45"}


def _renamed_by(by: str | None, new: str, value: str, function: str) -> str:
    """Accept the pre-0.2 ``by=`` for one release, with a warning."""
    if by is None:
        return value
    warnings.warn(
        f"plots.{function}(by=...) is now {function}({new}=...); `by` stops working in cxkit 0.3.",
        DeprecationWarning,
        stacklevel=3,
    )
    return by


def nps_trend(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "nps",
    comparisons: pd.DataFrame | None = None,
    highlight: str | pd.Period | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw NPS by period with its interval band, marking significant changes.

    Parameters
    ----------
    data : DataFrame
        ``cx.nps(responses, freq=...)`` without ``by``: columns ``x``, ``y``, ``ci_low``,
        ``ci_high``.
    x, y : str
        The period and value columns.
    comparisons : DataFrame, optional
        ``cx.compare(responses, metric="nps", freq=...)``; periods whose change is
        significant are circled.
    highlight : str, optional
        One period to highlight (the report's), e.g. "2026-10".
    ax : matplotlib Axes, optional
        Where to draw (default the current Axes).
    lang : {"en", "es"}
        Language of the labels.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    t = plot_text(lang)
    labels = data[x].astype(str).tolist()
    pos = np.arange(len(labels))
    color = PALETTE[0]
    low, high = data["ci_low"].astype(float), data["ci_high"].astype(float)
    ax.fill_between(pos, low, high, alpha=0.2, color=color, linewidth=0)
    ax.plot(pos, data[y].astype(float), marker="o", color=color, label="NPS")
    if comparisons is not None:
        rows = comparisons[(comparisons["comparison"] == "period") & comparisons["significant"]]
        hit = data[x].astype(str).isin(rows["period"].astype(str)).to_numpy()
        if hit.any():
            ax.scatter(
                pos[hit],
                data[y].to_numpy()[hit],
                s=140,
                facecolors="none",
                edgecolors=PALETTE[3],
                linewidths=2,
                zorder=3,
                label=t["change"],
            )
    if highlight is not None and str(highlight) in labels:
        ax.axvspan(
            labels.index(str(highlight)) - 0.5,
            labels.index(str(highlight)) + 0.5,
            color="0.9",
            zorder=0,
            label=t["this_period"],
        )
    _thin_ticks(ax, labels)
    ax.set_xlabel(t["period"])
    ax.set_ylabel(t["nps"])
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="best", frameon=False)
    _locale_ticks(ax, lang, x=None)
    return ax


def nps_by_group(
    data: pd.DataFrame,
    *,
    x: str = "nps",
    y: str = "segment",
    by: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw NPS per group with its interval, sorted; small samples are drawn hollow.

    Parameters
    ----------
    data : DataFrame
        ``cx.nps(responses, by=y)``: columns ``y``, ``x``, ``ci_low``, ``ci_high``,
        ``small_sample``.
    x, y : str
        The value column and the group column (one row per group, on the vertical axis).
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    y = _renamed_by(by, "y", y, "nps_by_group")
    ax = ax or plt.gca()
    t = plot_text(lang)
    table = data.sort_values(x).reset_index(drop=True)
    pos = np.arange(len(table))
    err = np.vstack([table[x] - table["ci_low"], table["ci_high"] - table[x]])
    ax.errorbar(table[x], pos, xerr=err, fmt="none", ecolor="0.4", capsize=3)
    small = table["small_sample"].to_numpy()
    ax.scatter(table[x][~small], pos[~small], color=PALETTE[0], zorder=3)
    if small.any():
        ax.scatter(
            table[x][small],
            pos[small],
            facecolors="white",
            edgecolors=PALETTE[0],
            zorder=3,
            label=t["small"],
        )
        ax.legend(loc="best", frameon=False)
    ax.set_yticks(pos, table[y].astype(str))
    ax.axvline(0, color="0.8", linewidth=1, zorder=0)
    ax.set_xlabel(t["nps"])
    _locale_ticks(ax, lang, y=None)
    return ax


def nps_mix(
    data: pd.DataFrame,
    *,
    y: str = "segment",
    by: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw stacked bars of detractors, passives and promoters (percent) per group.

    Parameters
    ----------
    data : DataFrame
        ``cx.nps(responses, by=y)``: columns ``y`` and ``detractors_pct``, ``passives_pct``,
        ``promoters_pct`` (weighted shares), or else ``n``, ``detractors``, ``passives``,
        ``promoters``.
    y : str
        The group column (one bar per group).
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    y = _renamed_by(by, "y", y, "nps_mix")
    ax = ax or plt.gca()
    t = plot_text(lang)
    labels = data[y].astype(str).to_numpy()
    left = np.zeros(len(data))
    for key, color in _MIX_COLORS.items():
        share = f"{key}_pct"  # weighted like the NPS when the table is weighted
        values = (
            data[share].to_numpy()
            if share in data.columns
            else 100 * data[key].to_numpy() / data["n"].to_numpy()
        )
        ax.barh(labels, values, left=left, color=color, label=t[key])
        left += values
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["share"])
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    _locale_ticks(ax, lang, y=None)
    return ax


def retention_curves(data: RetentionCurve, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Draw Kaplan-Meier retention steps with their interval bands, one line per group.

    Parameters
    ----------
    data : RetentionCurve
        ``cx.retention_curve(customers, by=...)``.
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    t = plot_text(lang)
    table = data.table
    group_cols = [c for c in data.summary.columns if c not in ("n", "events", "median")]
    groups = table.groupby(group_cols, observed=True, sort=True) if group_cols else [("", table)]
    for i, (name, part) in enumerate(groups):  # one line per group
        time = np.r_[0.0, part["time"].to_numpy()]
        color = PALETTE[i % len(PALETTE)]
        label = str(name[0] if isinstance(name, tuple) else name) or None
        ax.step(time, np.r_[1.0, part["retention"]], where="post", color=color, label=label)
        ax.fill_between(
            time,
            np.r_[1.0, part["ci_low"]],
            np.r_[1.0, part["ci_high"]],
            step="post",
            alpha=0.15,
            color=color,
            linewidth=0,
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"{t['time']} ({t.get('unit_' + data.unit, data.unit)})")
    ax.set_ylabel(t["retention"])
    if group_cols:
        ax.legend(loc="best", frameon=False)
    _locale_ticks(ax, lang, y="percent")
    return ax


def response_times(
    data: pd.DataFrame,
    *,
    hue: str = "channel",
    kind: str = "first_response",
    by: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw the cumulative distribution of response or resolution hours per group (log scale).

    Parameters
    ----------
    data : DataFrame
        Canonical tickets: ``opened_at`` and ``first_response_at`` or ``resolved_at``.
    hue : str
        One line per value of this column.
    kind : {"first_response", "resolution"}
        Which time to draw.
    ax, lang
        As in :func:`nps_trend`.

    Returns
    -------
    matplotlib Axes
    """
    hue = _renamed_by(by, "hue", hue, "response_times")
    check_option("kind", kind, ("first_response", "resolution"))
    ax = ax or plt.gca()
    t = plot_text(lang)
    end = "first_response_at" if kind == "first_response" else "resolved_at"
    hours = (data[end] - data["opened_at"]).dt.total_seconds() / 3600
    frame = pd.DataFrame({"hours": hours, hue: data[hue]}).dropna()
    frame = frame[frame["hours"] > 0]
    sns.ecdfplot(
        data=frame,
        x="hours",
        hue=hue,
        ax=ax,
        log_scale=True,
        palette=PALETTE[: max(1, frame[hue].nunique())],
    )
    ax.set_xlabel(f"{t[kind]} ({t['hours']})")
    ax.set_ylabel(t["ecdf"])
    legend = ax.get_legend()
    if legend is not None:  # seaborn titles it with the column's name: use the language's word
        legend.set_title(table_text(lang).get(hue, hue))
    _locale_ticks(ax, lang, y="percent")
    return ax
