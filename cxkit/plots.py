"""Plots of the baseline metrics. Each draws on ``ax`` (or the current Axes) and returns it.

No function calls ``plt.show()`` or changes global style. Labels are in English or Spanish
(``lang``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from cxkit._checks import check_option
from cxkit.i18n import plot_text

__all__ = ["nps_by_group", "nps_mix", "nps_trend", "response_times", "retention_curves"]


def _text(lang: str) -> dict[str, str]:
    return plot_text(lang)


def nps_trend(
    table: pd.DataFrame, *, comparisons: pd.DataFrame | None = None, ax=None, lang: str = "en"
):
    """Draw NPS by period with its interval band, marking significant changes.

    Parameters
    ----------
    table : DataFrame
        ``cx.nps(data, period=...)`` without ``by``: columns ``period, nps, ci_low, ci_high``.
    comparisons : DataFrame, optional
        ``cx.compare(data, metric="nps", period=...)``; periods whose change is significant
        are marked.
    """
    ax = ax or plt.gca()
    t = _text(lang)
    x = table["period"].astype(str).to_numpy()
    ax.fill_between(x, table["ci_low"], table["ci_high"], alpha=0.2, color="C0", linewidth=0)
    ax.plot(x, table["nps"], marker="o", color="C0", label="NPS")
    if comparisons is not None:
        rows = comparisons[(comparisons["comparison"] == "period") & comparisons["significant"]]
        hit = table["period"].astype(str).isin(rows["period"].astype(str)).to_numpy()
    if comparisons is not None and hit.any():
        ax.scatter(
            x[hit],
            table["nps"].to_numpy()[hit],
            s=140,
            facecolors="none",
            edgecolors="C3",
            linewidths=2,
            zorder=3,
            label=t["change"],
        )
    ax.set_xlabel(t["period"])
    ax.set_ylabel(t["nps"])
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="best", frameon=False)
    return ax


def nps_by_group(table: pd.DataFrame, *, by: str, ax=None, lang: str = "en"):
    """Draw NPS per group with its interval, sorted; small samples are drawn hollow.

    ``table`` is ``cx.nps(data, by=by)``.
    """
    ax = ax or plt.gca()
    t = _text(lang)
    data = table.sort_values("nps").reset_index(drop=True)
    y = np.arange(len(data))
    err = np.vstack([data["nps"] - data["ci_low"], data["ci_high"] - data["nps"]])
    ax.errorbar(data["nps"], y, xerr=err, fmt="none", ecolor="0.4", capsize=3)
    small = data["small_sample"].to_numpy()
    ax.scatter(data["nps"][~small], y[~small], color="C0", zorder=3)
    if small.any():
        ax.scatter(
            data["nps"][small],
            y[small],
            facecolors="white",
            edgecolors="C0",
            zorder=3,
            label=t["small"],
        )
        ax.legend(loc="best", frameon=False)
    ax.set_yticks(y, data[by].astype(str))
    ax.axvline(0, color="0.8", linewidth=1, zorder=0)
    ax.set_xlabel(t["nps"])
    return ax


def nps_mix(table: pd.DataFrame, *, by: str, ax=None, lang: str = "en"):
    """Draw stacked bars of detractors, passives and promoters (percent) per group."""
    ax = ax or plt.gca()
    t = _text(lang)
    labels = table[by].astype(str).to_numpy()
    shares = {
        k: 100 * table[k].to_numpy() / table["n"].to_numpy()
        for k in ("detractors", "passives", "promoters")
    }
    left = np.zeros(len(table))
    colors = {"detractors": "#d7301f", "passives": "#bdbdbd", "promoters": "#238b45"}
    for key, values in shares.items():
        ax.barh(labels, values, left=left, color=colors[key], label=t[key])
        left += values
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["share"])
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    return ax


def retention_curves(curve, *, ax=None, lang: str = "en"):
    """Draw Kaplan-Meier retention steps with their interval bands, one line per group."""
    ax = ax or plt.gca()
    t = _text(lang)
    table = curve.table
    group_cols = [c for c in curve.medians.columns if c not in ("n", "events", "median")]
    groups = table.groupby(group_cols, observed=True, sort=True) if group_cols else [("", table)]
    for i, (name, part) in enumerate(groups):  # one line per group
        time = np.r_[0.0, part["time"].to_numpy()]
        ax.step(
            time,
            np.r_[1.0, part["retention"]],
            where="post",
            color=f"C{i}",
            label=str(name[0] if isinstance(name, tuple) else name) or None,
        )
        ax.fill_between(
            time,
            np.r_[1.0, part["ci_low"]],
            np.r_[1.0, part["ci_high"]],
            step="post",
            alpha=0.15,
            color=f"C{i}",
            linewidth=0,
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"{t['time']} ({curve.unit})")
    ax.set_ylabel(t["retention"])
    if group_cols:
        ax.legend(loc="best", frameon=False)
    return ax


def response_times(
    tickets: pd.DataFrame,
    *,
    by: str = "channel",
    kind: str = "first_response",
    ax=None,
    lang: str = "en",
):
    """Draw the cumulative distribution of response or resolution hours per group (log scale)."""
    check_option("kind", kind, ("first_response", "resolution"))
    ax = ax or plt.gca()
    t = _text(lang)
    end = "first_response_at" if kind == "first_response" else "resolved_at"
    hours = (tickets[end] - tickets["opened_at"]).dt.total_seconds() / 3600
    frame = pd.DataFrame({"hours": hours, by: tickets[by]}).dropna()
    frame = frame[frame["hours"] > 0]
    sns.ecdfplot(data=frame, x="hours", hue=by, ax=ax, log_scale=True)
    ax.set_xlabel(f"{t[kind]} ({t['hours']})")
    ax.set_ylabel(t["ecdf"])
    return ax
