"""One hypothesis as written in the register, with typed views of its parts.

A :class:`Hypothesis` keeps the mapping it was read from (keys in the file's order), so saving a
register writes back exactly what was loaded; its properties give typed views for analysis. The
vocabularies below are the register format's contract (``templates/hypotheses.yml``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cxkit._recorditem import RecordItem, lower
from cxkit.i18n import hypothesis_text
from cxkit.power import MEAN_METRICS, PROPORTION_METRICS
from cxkit.rootcause._entry import as_date

__all__ = [
    "DECIDED",
    "DESIGNS",
    "HYPOTHESIS_KEYS",
    "METRICS",
    "STATEMENTS",
    "STATUSES",
    "TRANSITIONS",
    "Hypothesis",
]

#: Metrics a hypothesis may be judged by (those :func:`cxkit.sample_size` knows).
METRICS = ("nps", *PROPORTION_METRICS, *MEAN_METRICS)
#: How the groups are compared: an A/B test, before/after a change, difference-in-differences.
DESIGNS = ("ab", "pre_post", "diff_in_diff")
#: A hypothesis' status: proposed -> designed -> running -> one of the decided three; or parked.
STATUSES = ("proposed", "designed", "running", "validated", "invalidated", "inconclusive", "parked")
#: The statuses that close a test.
DECIDED = ("validated", "invalidated", "inconclusive")
#: The moves :meth:`HypothesisRegister.set_status` allows, from each status.
TRANSITIONS = {
    "proposed": ("designed", "parked"),
    "designed": ("running", "parked", "proposed"),
    "running": (*DECIDED, "parked"),
    "validated": (),
    "invalidated": (),
    "inconclusive": ("running", "parked"),
    "parked": ("proposed",),
}
#: A hypothesis' keys, in the order they are written; only the first seven are required.
HYPOTHESIS_KEYS = (
    "id",
    "strategy",
    "customer_need",
    "solution",
    "outcome",
    "metric",
    "status",
    "segment",
    "touchpoint",
    "stage",
    "owner",
    "created",
    "started",
    "ended",
    "root_causes",
    "baseline",
    "minimum_effect",
    "alpha",
    "power",
    "sd",
    "design",
    "groups",
    "evidence",
    "decision",
    "rationale",
)
REQUIRED_KEYS = HYPOTHESIS_KEYS[:7]
EVIDENCE_KEYS = ("effect", "ci_low", "ci_high", "p_value", "n_control", "n_treatment", "as_of")
#: The groups' keys each design needs (``filter`` is optional for all).
GROUP_KEYS = {
    "ab": ("column", "control", "treatment"),
    "pre_post": ("change_date",),
    "diff_in_diff": ("column", "treatment", "change_date"),
}
ALL_GROUP_KEYS = ("column", "control", "treatment", "change_date", "filter")

#: The statement's sentence, by language (the words live in :mod:`cxkit.i18n`).
STATEMENTS = {lang: hypothesis_text(lang)["statement"] for lang in ("en", "es")}


class Hypothesis(RecordItem):
    """One bet of the register: the mapping as written, and typed views of it."""

    def __repr__(self) -> str:
        return f"Hypothesis({self.id!r}, status={self.status!r}, metric={self.metric!r})"

    def statement(self, lang: str = "en") -> str:
        """Return the bet as one sentence, in English ("en") or Spanish ("es").

        Slots left empty read as "[strategy]", "[customer_need]" and so on.
        """
        template = hypothesis_text(lang)["statement"]
        slots = ("strategy", "customer_need", "solution", "outcome")
        return template.format(**{k: _slot(self.data.get(k), k) for k in slots})

    @property
    def design(self) -> str | None:
        """The design (ab, pre_post, diff_in_diff), lower-cased."""
        return lower(self.data.get("design"))

    def date(self, key: str) -> dt.date | None:
        """Return ``created``, ``started`` or ``ended`` as a date (None when absent or bad)."""
        return as_date(self.data.get(key))

    @property
    def groups(self) -> dict[str, Any]:
        """The groups mapping (empty when there is none)."""
        value = self.data.get("groups")
        return dict(value) if isinstance(value, dict) else {}

    @property
    def evidence(self) -> dict[str, Any]:
        """The evidence mapping (empty when there is none)."""
        value = self.data.get("evidence")
        return dict(value) if isinstance(value, dict) else {}

    @property
    def root_causes(self) -> list[str]:
        """The ids of the 5-whys entries behind the bet (a single id reads as a list)."""
        value = self.data.get("root_causes")
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [str(v) for v in items if v is not None]

    def plan(self) -> dict[str, Any]:
        """Return the arguments of :func:`cxkit.sample_size` the record gives (absent: left out)."""
        keys = ("baseline", "minimum_effect", "alpha", "power", "sd")
        out = {k: self.data[k] for k in keys if self.data.get(k) is not None}
        if isinstance(out.get("baseline"), dict):
            out["baseline"] = dict(out["baseline"])
        return {"metric": self.metric, **out}


def _slot(value: object, name: str) -> str:
    return f"[{name}]" if value is None or not str(value).strip() else str(value).strip()
