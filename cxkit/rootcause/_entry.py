"""One 5-whys entry as written in the log, with typed views of its parts.

An :class:`Entry` keeps the mapping it was read from (keys in the file's order), so saving a
log writes back exactly what was loaded; its properties give typed views for analysis. The
vocabularies below are the log format's contract (``templates/five_whys.yml``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxkit._recordcheck import stage_of
from cxkit._recorditem import RecordItem, lower

__all__ = [
    "ACTION_STATUSES",
    "CATEGORIES",
    "ENTRY_KEYS",
    "STATUSES",
    "SURVEY_METRICS",
    "Countermeasure",
    "Entry",
    "Why",
    "as_date",
    "stage_of",
]

#: Root-cause categories.
CATEGORIES = ("people", "process", "product", "policy", "technology", "partner")
#: An entry's status, in the order an investigation goes through them.
STATUSES = ("open", "investigating", "acting", "verifying", "closed")
#: A countermeasure's status; the first two are still to do.
ACTION_STATUSES = ("open", "in progress", "done", "dropped")
#: Metrics :meth:`RootCauseLog.verify` computes from survey responses (higher is better).
SURVEY_METRICS = ("nps", "csat", "ces")
#: Service and customer metrics an entry may name (see :func:`cxkit.service_metrics`).
SERVICE_METRICS = (
    "tickets",
    "open_tickets",
    "first_response_median_h",
    "first_response_mean_h",
    "first_response_p90_h",
    "resolution_median_h",
    "resolution_mean_h",
    "resolution_p90_h",
    "fcr",
    "reopen_rate",
    "churn_rate",
)
#: An entry's keys, in the order they are written; only the first seven are required.
ENTRY_KEYS = (
    "id",
    "opened",
    "problem",
    "touchpoint",
    "stage",
    "metric",
    "status",
    "evidence",
    "whys",
    "root_cause",
    "category",
    "countermeasures",
    "verification",
)
REQUIRED_KEYS = ENTRY_KEYS[:7]
ACTION_KEYS = ("action", "owner", "due", "status")
VERIFICATION_KEYS = ("metric", "baseline_period", "target", "by")
EVIDENCE_KEYS = ("period", "segment", "value")


def as_date(value: object) -> dt.date | None:
    """Return a date from a YAML date or an ISO text ("2026-01-15"); None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Why:
    """One rung of the chain: the answer to "why?", and what shows it (may be None)."""

    answer: str
    evidence: str | None = None


@dataclass(frozen=True)
class Countermeasure:
    """One action against a root cause."""

    action: str
    owner: str | None
    due: dt.date | None
    status: str

    @property
    def pending(self) -> bool:
        """True while the action is still to do (status open or in progress)."""
        return self.status in ACTION_STATUSES[:2]


class Entry(RecordItem):
    """One investigation of the log: the mapping as written, and typed views of it."""

    def __repr__(self) -> str:
        return f"Entry({self.id!r}, status={self.status!r}, {len(self.whys)} whys)"

    @property
    def category(self) -> str | None:
        """The root cause's category, lower-cased."""
        return lower(self.data.get("category"))

    @property
    def opened(self) -> dt.date | None:
        """The date the investigation was opened."""
        return as_date(self.data.get("opened"))

    @property
    def whys(self) -> list[Why]:
        """The chain's answers, in order (items that are not a text or a mapping are left out)."""
        items = self.data.get("whys")
        out = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                evidence = item.get("evidence")
                out.append(
                    Why(_text(item.get("answer")), None if evidence is None else str(evidence))
                )
            elif item is not None and not isinstance(item, list):
                out.append(Why(_text(item)))
        return out

    @property
    def countermeasures(self) -> list[Countermeasure]:
        """The actions, in order (items that are not mappings are left out)."""
        items = self.data.get("countermeasures")
        return [
            Countermeasure(
                action=_text(item.get("action")),
                owner=None if item.get("owner") is None else str(item.get("owner")),
                due=as_date(item.get("due")),
                status=lower(item.get("status")) or "open",
            )
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict)
        ]

    @property
    def verification(self) -> dict[str, Any]:
        """The verification mapping (empty when there is none)."""
        value = self.data.get("verification")
        return dict(value) if isinstance(value, dict) else {}

    def period(self, key: str, where: str = "verification") -> pd.Period | None:
        """Return ``verification.<key>`` (or ``evidence.<key>``) as a period, or None."""
        from cxkit._periods import as_period
        from cxkit.errors import CxkitError

        value = self.data.get(where)
        value = value.get(key) if isinstance(value, dict) else None
        if value is None or isinstance(value, bool):
            return None
        try:
            return as_period(value)
        except CxkitError:
            return None


def _text(value: object) -> str:
    return "" if value is None else str(value)
