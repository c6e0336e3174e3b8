"""Row rules, rejection reasons and the quarantine.

A row that breaks any rule is moved, whole, to the quarantine with its spreadsheet row number,
its original values, the reason code(s) and a readable detail. Nothing is dropped silently:
``rows_accepted + rows_quarantined == rows_read`` always.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["REASONS", "Problems"]

#: Every rejection reason, in the order they are reported, with what it means.
REASONS: dict[str, str] = {
    "malformed_row": "the line could not be split into the header's number of fields",
    "blank_row": "every field read is empty",
    "missing_id": "the identifier is empty",
    "duplicate_id": "the identifier already appeared on an earlier row",
    "missing_date": "a required date is empty",
    "invalid_date": "a date could not be read",
    "invalid_score": "a score is not a number or a known answer label",
    "score_out_of_range": "a score is outside its scale",
    "no_score": "the response has no score at all",
    "invalid_stage": "the journey stage is not one of attract, accept, adopt, amplify, advance",
    "invalid_number": "a number could not be read",
    "negative_amount": "an amount or revenue is negative",
    "invalid_weight": "a weight is negative",
    "invalid_count": "a count is not a whole number (contacts ≥ 1; reply or reopen counts ≥ 0)",
    "invalid_flag": "a yes/no value could not be read",
    "invalid_duration": "a first-reply or resolution time is not a duration of at least 0",
    "response_before_open": "the first response is earlier than the ticket's opening",
    "resolved_before_open": "the resolution is earlier than the ticket's opening",
    "end_before_start": "the end date is earlier than the start date",
}


@dataclass
class _Problem:
    reason: str
    mask: np.ndarray
    column: str | None
    message: str
    notes: dict[int, str]


class Problems:
    """Collects, per reason, which rows broke a rule and how to explain it."""

    def __init__(self, n_rows: int) -> None:
        self.n_rows = n_rows
        self._items: list[_Problem] = []

    def add(
        self,
        reason: str,
        mask: np.ndarray,
        message: str,
        column: str | None = None,
        notes: dict[int, str] | None = None,
    ) -> None:
        """Record that rows in ``mask`` broke rule ``reason``.

        ``column`` is the client column whose raw value the detail quotes; ``message`` follows it
        (or stands alone when no single value is to blame). ``notes`` adds a row's own words
        (row position -> text) after the message.
        """
        if reason not in REASONS:
            raise KeyError(f"unknown reason {reason!r}")
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self._items.append(_Problem(reason, mask, column, message, notes or {}))

    def rejected(self, *reasons: str) -> np.ndarray:
        """Mask of rows with at least one problem (of the given ``reasons``, if any are named)."""
        out = np.zeros(self.n_rows, dtype=bool)
        for item in self._items:
            if not reasons or item.reason in reasons:
                out |= item.mask
        return out

    def only_blank(self) -> None:
        """Report a blank row as blank only, not also as missing its id and date."""
        blank = [i for i in self._items if i.reason == "blank_row"]
        if blank:
            for item in self._items:
                if item.reason != "blank_row":
                    item.mask = item.mask & ~blank[0].mask

    def describe(self, raw: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        """Reason codes and details of the rejected rows ``rows`` (positions into ``raw``)."""
        order = {r: i for i, r in enumerate(REASONS)}
        reasons = pd.Series([[] for _ in rows], dtype=object)
        details = pd.Series([[] for _ in rows], dtype=object)
        for item in sorted(self._items, key=lambda i: order[i.reason]):
            hit = np.flatnonzero(item.mask[rows])
            if len(hit) == 0:
                continue
            texts = _details(item, raw, rows[hit])
            for h, text in zip(hit, texts, strict=True):
                if item.reason not in reasons.iat[h]:
                    reasons.iat[h].append(item.reason)
                details.iat[h].append(text)
        return pd.DataFrame(
            {
                "reason": pd.Series(["; ".join(r) for r in reasons], dtype="str"),
                "detail": pd.Series(["; ".join(d) for d in details], dtype="str"),
            }
        )


def _details(item: _Problem, raw: pd.DataFrame, positions: np.ndarray) -> list[str]:
    notes = [item.notes.get(int(p), "") for p in positions]
    if item.column is None:
        return [f"{item.message}{note}" for note in notes]
    values = raw[item.column].iloc[positions].astype("object").tolist()
    return [
        f"{item.column}={_show(v)} {item.message}{note}"
        for v, note in zip(values, notes, strict=True)
    ]


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(empty)"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:60] + "…")
