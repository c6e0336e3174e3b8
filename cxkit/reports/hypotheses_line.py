"""The front page's hypotheses line: the register by status, what the evidence says, peeks.

Notebook 04 writes the register's state as metric rows (see
:func:`cxkit.sections.hypotheses.hypothesis_metrics`); this module only selects and words them.
"""

from __future__ import annotations

import pandas as pd

from cxkit.hypotheses import STATUSES
from cxkit.i18n import counted, hypothesis_text, number

__all__ = ["hypothesis_lines"]

#: The evidence's suggestions, as metric names, and the sentence that words each.
_FINDINGS = (
    ("hypothesis_validated", "index_supports"),
    ("hypothesis_invalidated", "index_refutes"),
    ("hypothesis_inconclusive", "index_inconclusive"),
)


def hypothesis_lines(metrics: pd.DataFrame, lang: str) -> list[str]:
    """Sentences on the report period's hypothesis register; none when the report has none.

    Each hypothesis is named as the metric rows' ``group`` gives it ("H-001 (a warmer
    welcome)"), several joined by semicolons.

    Parameters
    ----------
    metrics : DataFrame
        The report period's metric rows (``metric, group, value``).
    lang : {"en", "es"}
        The report's language.

    Returns
    -------
    list of str
        "4 hypotheses (1 proposed, 2 running, 1 parked).", then what the evidence supports,
        goes against or cannot tell yet (by id), then the results read before their planned
        sample size ("No result was read before its planned sample size." when none), then the
        number of problems in the register when it has any.
    """
    rows = metrics[metrics["metric"].astype(str).str.startswith("hypothes")]
    if rows.empty:
        return []
    t = hypothesis_text(lang)
    status = rows[rows["metric"] == "hypotheses_status"].set_index("group")["value"]
    problems = rows.loc[rows["metric"] == "hypotheses_problems", "value"]
    n_problems = int(problems.iloc[0]) if len(problems) else 0
    found = [t["index_problems"].format(n=number(n_problems, lang, 0))] if n_problems else []
    if status.sum() == 0:  # an empty register: nothing to say but its problems
        return found
    counts = [counted(t, f"count_{s}", int(status[s]), lang) for s in STATUSES if s in status]
    lines = [
        t["index_statuses"].format(n=number(status.sum(), lang, 0), statuses=", ".join(counts))
    ]
    for metric, key in _FINDINGS:
        ids = _ids(rows, metric)
        if ids:
            lines.append(t[key].format(ids=ids))
    peeks = _ids(rows, "hypothesis_peeking")
    lines.append(t["index_peeking"].format(ids=peeks) if peeks else t["index_peeking_none"])
    return lines + found


def _ids(rows: pd.DataFrame, metric: str) -> str:
    return "; ".join(str(g) for g in rows.loc[rows["metric"] == metric, "group"])
