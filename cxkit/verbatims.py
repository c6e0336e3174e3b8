"""What customers said: the period's comments, newest first, optionally redacted."""

from __future__ import annotations

import pandas as pd

from cxkit._checks import check_option
from cxkit._grouping import check_columns
from cxkit._periods import as_period
from cxkit.redact import MASKS
from cxkit.redact import redact as redact_text

__all__ = ["verbatims"]

_SHOWN = ("responded_at", "nps", "segment", "touchpoint", "comment")


def verbatims(
    data: pd.DataFrame,
    *,
    period: str | pd.Period | None = None,
    n: int = 12,
    redact: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Return the ``n`` most recent comments of ``period`` (default: the latest month).

    Parameters
    ----------
    data : DataFrame
        Canonical responses with a ``comment`` column.
    period : str, optional
        One period ("2026-10", "2026Q4"); default the latest month with a comment.
    redact : bool
        Mask e-mail addresses and phone numbers (see :func:`cxkit.redact`).
    lang : {"en", "es"}
        Language of the masks when ``redact`` is true: ``[email]``/``[phone]`` or
        ``[correo]``/``[teléfono]``.

    Returns
    -------
    DataFrame
        ``responded_at, nps, segment, touchpoint, comment`` (those present). Comments are data,
        not markup: displayed in a notebook or a report they are HTML-escaped.
    """
    check_columns(data, ["comment", "responded_at"], parameter="data")
    check_option("lang", lang, MASKS)
    with_text = data[data["comment"].notna()]
    if with_text.empty:
        return with_text.loc[:, [c for c in _SHOWN if c in data.columns]]
    period = (
        as_period(period) if period is not None else with_text["responded_at"].max().to_period("M")
    )
    stamps = with_text["responded_at"]
    chosen = with_text[(stamps >= period.start_time) & (stamps <= period.end_time)]
    chosen = chosen.sort_values("responded_at", ascending=False).head(n)
    out = chosen.loc[:, [c for c in _SHOWN if c in chosen.columns]].reset_index(drop=True)
    if redact:
        out["comment"] = redact_text(out["comment"], lang=lang)
    return out
