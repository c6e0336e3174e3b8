"""The front page's voice-of-the-customer line: detractor themes and follow-up, in words.

Notebook 05 writes them as metric rows (see :func:`cxkit.sections.voc.voc_metrics`); this
module only selects and words them.
"""

from __future__ import annotations

import pandas as pd

from cxkit.i18n import change, number, percent, voc_text

__all__ = ["voc_lines"]

#: How many detractor themes the front page names.
TOP_THEMES = 3


def voc_lines(metrics: pd.DataFrame, lang: str) -> list[str]:
    """Sentences on the report period's comments and follow-up; none without notebook 05.

    Parameters
    ----------
    metrics : DataFrame
        The report period's metric rows (``metric, group, value``).
    lang : {"en", "es"}
        The report's language.

    Returns
    -------
    list of str
        The (up to three) comment themes most tied to detractors, largest difference first,
        when the period's comments were tagged; then the follow-up rate and the answers still
        waiting past the deadline, when the answers were followed up.
    """
    t = voc_text(lang)
    value = {r.metric: r.value for r in metrics.itertuples() if r.group == "all"}
    lines = []
    themes = metrics[metrics["metric"] == "theme_detractor"].head(TOP_THEMES)
    if "themes_tagged" in value:
        named = [
            t["index_theme"].format(label=r.group, difference=change(r.value, lang, 1, "scale"))
            for r in themes.itertuples()
        ]
        lines.append(
            t["index_themes"].format(themes="; ".join(named)) if named else t["index_themes_none"]
        )
    if "followup_needed" in value and value["followup_needed"] > 0:
        lines.append(
            t["index_followup"].format(
                rate=percent(value["followup_rate"], lang, 0),
                n=number(value["followup_needed"], lang, 0),
                waiting=number(value["followup_waiting"], lang, 0),
                sla=number(value["followup_sla_days"], lang, 0),
            )
        )
    return lines
