"""The front page's root-cause line: open investigations, overdue actions, verdicts, in words.

Notebook 03 writes the log's counts as metric rows (see
:func:`cxkit.sections.rootcause.rootcause_metrics`); this module only selects and words them.
"""

from __future__ import annotations

import pandas as pd

from cxkit.i18n import counted, number, rootcause_text
from cxkit.rootcause import VERDICTS

__all__ = ["rootcause_lines"]


def rootcause_lines(metrics: pd.DataFrame, lang: str) -> list[str]:
    """Sentences on the report period's 5-whys log; none when the report has no log.

    Parameters
    ----------
    metrics : DataFrame
        The report period's metric rows (``metric, group, value``).
    lang : {"en", "es"}
        The report's language.

    Returns
    -------
    list of str
        "3 open investigations, 1 overdue countermeasure.", then the verdicts ("Verification
        against the survey: 1 recovered, 1 not yet.") when there are some, then the number of
        problems in the log when it has any.
    """
    rows = metrics[metrics["metric"].astype(str).str.startswith("rootcause_")]
    if rows.empty:
        return []
    t = rootcause_text(lang)
    counts = {(r.metric, r.group): int(r.value) for r in rows.itertuples()}
    lines = [
        f"{_counted(t, 'index_open', counts.get(('rootcause_open', 'all'), 0), lang)}, "
        f"{_counted(t, 'index_overdue', counts.get(('rootcause_overdue', 'all'), 0), lang)}."
    ]
    verdicts = [
        counted(t, f"index_verdict_{v}", counts[("rootcause_verdict", v)], lang)
        for v in VERDICTS
        if ("rootcause_verdict", v) in counts
    ]
    if verdicts:
        lines.append(t["index_verdicts"].format(verdicts=", ".join(verdicts)))
    problems = counts.get(("rootcause_problems", "all"), 0)
    if problems:
        lines.append(t["index_problems"].format(n=number(problems, lang, 0)))
    return lines


def _counted(t: dict[str, str], key: str, n: int, lang: str) -> str:
    return t[f"{key}_one"] if n == 1 else t[f"{key}_many"].format(n=number(n, lang, 0))
