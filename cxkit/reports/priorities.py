"""The front page's "where to act first": the touchpoint prioritization's top three, in words.

Notebook 02 writes its top priorities as metric rows (see
:func:`cxkit.sections.touchpoints.priority_metrics`); this module only selects and words them.
"""

from __future__ import annotations

import pandas as pd

from cxkit.i18n import change, number, percent, text

__all__ = ["priority_lines"]

_MEASURES = (
    "priority",
    "touchpoint_importance",
    "touchpoint_rating",
    "touchpoint_reach",
    "expected_gain",
)


def priority_lines(metrics: pd.DataFrame, lang: str, *, top: int = 3) -> list[str]:
    """One sentence per top priority of the report period, highest first; none without them.

    Parameters
    ----------
    metrics : DataFrame
        The report period's metric rows (``metric, group, value, ci_low, ci_high``).
    lang : {"en", "es"}
        The report's language.
    top : int
        How many priorities to word.
    """
    rows = metrics[metrics["metric"].isin(_MEASURES)]
    if rows.empty:
        return []
    wide = rows.pivot_table(index="group", columns="metric", values="value", aggfunc="first")
    gains = rows[rows["metric"] == "expected_gain"].set_index("group")
    target = metrics.loc[metrics["metric"] == "rating_target", "value"]
    strings = text(lang)
    lines = []
    for name, r in wide.sort_values("priority", ascending=False).head(top).iterrows():
        gain = gains.loc[name]
        lines.append(
            strings["priority_line"].format(
                touchpoint=name,
                share=percent(r["touchpoint_importance"], lang, 0),
                rating=number(r["touchpoint_rating"], lang, 1),
                reach=percent(r["touchpoint_reach"], lang, 0),
                target=number(target.iloc[0], lang, 1) if len(target) else "–",
                gain=change(gain["value"], lang, 1, "scale"),
                low=number(gain["ci_low"], lang, 1),
                high=number(gain["ci_high"], lang, 1),
            )
        )
    return lines
