"""The hypothesis register: CX bets, the sample size each test needs, and their evidence.

A register is one YAML file per client (commented template: ``templates/hypotheses.yml``), kept
in git next to the client's data, read and written as the 5-whys log is. Each bet reads "We
believe [strategy] will solve [customer need] through [solution], resulting in [outcome]".
:class:`HypothesisRegister` loads and saves it (comments at the top of the file survive), checks
it (:meth:`HypothesisRegister.problems`), sizes each test (:meth:`HypothesisRegister.sample_size`)
and reads the evidence from response data (:meth:`HypothesisRegister.evaluate`, then
:meth:`HypothesisRegister.apply`).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd

from cxkit.errors import CxkitError
from cxkit.hypotheses._evaluate import EVALUATION_COLUMNS, evaluate, planned_size
from cxkit.hypotheses._problems import lifecycle_problems, register_problems
from cxkit.hypotheses._record import (
    DECIDED,
    DESIGNS,
    HYPOTHESIS_KEYS,
    METRICS,
    STATEMENTS,
    STATUSES,
    TRANSITIONS,
    Hypothesis,
)
from cxkit.hypotheses._yaml import HypothesisError, header_of, parse_text, read_text, write_text
from cxkit.power import SampleSize
from cxkit.power import sample_size as _sample_size

__all__ = [
    "DECIDED",
    "DESIGNS",
    "EVALUATION_COLUMNS",
    "METRICS",
    "STATEMENTS",
    "STATUSES",
    "TRANSITIONS",
    "Hypothesis",
    "HypothesisError",
    "HypothesisRegister",
]

_NEW_HEADER = "# Hypothesis register: one bet per item (see templates/hypotheses.yml).\n"
#: Columns of :meth:`HypothesisRegister.to_frame`.
REGISTER_COLUMNS = [
    "id",
    "statement",
    "metric",
    "segment",
    "touchpoint",
    "stage",
    "status",
    "owner",
    "design",
    "baseline",
    "minimum_effect",
    "n_required",
    "started",
    "ended",
    "root_causes",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "decision",
]


class HypothesisRegister:
    """A client's CX bets, in file order.

    Build one with :meth:`load` (a YAML file) or empty (``HypothesisRegister()``) and :meth:`add`.

    Attributes
    ----------
    hypotheses : list of Hypothesis
        The bets; each keeps the mapping written in the file (``hypothesis.data``).
    source : str
        The file it was read from, or ``"<new register>"``.
    header : str
        The comment lines at the top of the file, written back by :meth:`save`.
    """

    def __init__(
        self,
        hypotheses: list[Hypothesis] | None = None,
        *,
        source: str = "<new register>",
        header: str = "",
    ) -> None:
        self.hypotheses = list(hypotheses or [])
        self.source = source
        self.header = header or _NEW_HEADER
        self._stray: list[tuple[int, object]] = []  # items that are not mappings, by position

    def __repr__(self) -> str:
        return f"HypothesisRegister({self.source!r}, {len(self.hypotheses)} hypotheses)"

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True, na_rep="")

    @property
    def entries(self) -> list[Hypothesis]:
        """The hypotheses (the same list as :attr:`hypotheses`)."""
        return self.hypotheses

    def __getitem__(self, id: str) -> Hypothesis:
        for h in self.hypotheses:
            if h.id == str(id):
                return h
        known = ", ".join(str(h.id) for h in self.hypotheses) or "none"
        raise CxkitError(f"no hypothesis {id!r} in {self.source}; its ids are {known}.")

    # ------------------------------------------------------------------------- file
    @classmethod
    def load(cls, path: str | Path) -> HypothesisRegister:
        """Read a register file.

        Items that are not mappings are kept aside and reported by :meth:`problems`;
        everything else is read as written (check it with :meth:`problems`).

        Raises
        ------
        HypothesisError
            The file is missing, not UTF-8, not YAML (the message gives the line and column)
            or has no ``hypotheses:`` list.
        """
        path = Path(path)
        text = read_text(path)
        raw = parse_text(text, str(path))
        register = cls(
            [Hypothesis(h) for h in raw if isinstance(h, dict)],
            source=str(path),
            header=header_of(text),
        )
        register._stray = [(i, h) for i, h in enumerate(raw) if not isinstance(h, dict)]
        return register

    def save(self, path: str | Path) -> None:
        """Write the register: the header comments, then every hypothesis as it is held."""
        Path(path).write_text(write_text(self.header, self._current()), encoding="utf-8")

    def _current(self) -> list[object]:
        out: list[object] = [h.data for h in self.hypotheses]
        for position, item in self._stray:
            out.insert(min(position, len(out)), item)
        return out

    def add(
        self,
        id: str,
        *,
        strategy: str,
        customer_need: str,
        solution: str,
        outcome: str,
        metric: str,
        status: str = "proposed",
        segment: str | None = None,
        touchpoint: str | None = None,
        stage: str | None = None,
        owner: str | None = None,
        created: dt.date | str | None = None,
        started: dt.date | str | None = None,
        ended: dt.date | str | None = None,
        root_causes: list[str] | None = None,
        baseline: float | dict[str, float] | None = None,
        minimum_effect: float | None = None,
        alpha: float | None = None,
        power: float | None = None,
        sd: float | None = None,
        design: str | None = None,
        groups: dict[str, Any] | None = None,
        evidence: dict[str, Any] | None = None,
        decision: str | None = None,
        rationale: str | None = None,
    ) -> Hypothesis:
        """Append a hypothesis and return it (keys left as None are not written).

        The hypothesis is not checked here: call :meth:`problems` to see what it still lacks.
        """
        values = dict(locals())
        data = {k: values[k] for k in HYPOTHESIS_KEYS if values.get(k) is not None}
        h = Hypothesis(data)
        self.hypotheses.append(h)
        return h

    # ------------------------------------------------------------------- checking
    def problems(
        self,
        data: pd.DataFrame | None = None,
        *,
        rootcause_log: Any = None,
        peeking: bool = True,
    ) -> list[str]:
        """Return every problem of the register, each naming the file, the id and the field.

        Parameters
        ----------
        data : DataFrame, optional
            Canonical survey responses: the groups' columns and values must then be in the
            data, and a running test that has not reached its planned size is reported.
        rootcause_log : RootCauseLog, optional
            The client's 5-whys log: every id in ``root_causes`` must be one of its entries.
        peeking : bool
            With ``data``, report a running test that has not reached its planned size
            (reading it now would be peeking); False leaves that to :meth:`evaluate`.

        Returns
        -------
        list of str
            Empty when the register is clean.
        """
        ids = None
        if rootcause_log is not None:
            ids = {e.id for e in rootcause_log.entries if e.id is not None}
        return register_problems(
            self._current(), self.source, data=data, rootcause_ids=ids, peeking=peeking
        )

    def set_status(self, id: str, status: str) -> Hypothesis:
        """Move a hypothesis to ``status``, if the lifecycle allows it, and return it.

        Allowed moves are :data:`TRANSITIONS` (proposed -> designed -> running -> validated,
        invalidated or inconclusive; parked and back to proposed; an inconclusive test may run
        again); the hypothesis must then have what the new status needs (see :meth:`problems`).

        Raises
        ------
        CxkitError
            The move is not allowed, or the hypothesis lacks what the new status needs; the
            record is left as it was.
        """
        h = self[id]
        current = h.status
        if status not in TRANSITIONS.get(current, ()):
            allowed = ", ".join(TRANSITIONS.get(current, ())) or "nothing (it is final)"
            raise CxkitError(
                f"hypothesis {h.id} cannot move from {current!r} to {status!r}; from {current!r} "
                f"it may move to {allowed}."
            )
        before = h.data.get("status")
        h.data["status"] = status
        missing = lifecycle_problems(h)
        if missing:
            h.data["status"] = before
            raise CxkitError(f"hypothesis {h.id} cannot be {status} yet: {'; '.join(missing)}.")
        return h

    # ----------------------------------------------------------------- statistics
    def sample_size(self, id: str, **options: Any) -> SampleSize:
        """Responses per group the hypothesis' test needs: :func:`cxkit.sample_size` of its plan.

        ``metric``, ``baseline``, ``minimum_effect``, ``alpha``, ``power`` and ``sd`` come from
        the record; ``options`` (``alternative``, ``ratio``, or any of those) override them.
        """
        return _sample_size(**{**self[id].plan(), **options})

    def evaluate(
        self,
        data: pd.DataFrame,
        *,
        as_of: dt.date | str | None = None,
        weight: str | None = None,
        date: str = "responded_at",
        lang: str = "en",
    ) -> pd.DataFrame:
        """Read the evidence of every running (or already decided) hypothesis from ``data``.

        The records are not changed (see :meth:`apply`).

        Parameters
        ----------
        data : DataFrame
            Canonical survey responses, with the columns the hypotheses' ``groups`` name.
        as_of : date or str, optional
            Only responses on or before this date (or the last day of this period) count;
            default: all (``as_of`` is then the last response's date).
        weight : str, optional
            Survey weight column (A/B tests of NPS, CSAT and proportions only).
        date : str
            Response date column.
        lang : {"en", "es"}
            The language of ``reason``.

        Returns
        -------
        DataFrame
            One row per hypothesis, columns :data:`EVALUATION_COLUMNS`: ``n_control`` and
            ``n_treatment`` (before/after for pre/post), ``n_required`` per group
            (:meth:`sample_size`), the effect with its interval and p-value from
            :func:`cxkit.ab_test`, :func:`cxkit.pre_post` or :func:`cxkit.diff_in_diff`
            at the level ``ci`` = 1 - the record's ``alpha`` (0.95 without one),
            ``peeking`` (True when read before each group reached ``n_required``),
            ``suggested_status`` and its ``reason``.

        Notes
        -----
        Suggestions: peeking -> running (a decided hypothesis keeps its status, and the
        reason says it was decided on a peek); the interval excludes 0 on the side of
        ``minimum_effect`` -> validated, on the other side -> invalidated; the interval covers
        0 -> inconclusive. A hypothesis the data cannot test keeps its status, with the reason.
        """
        return evaluate(self.hypotheses, data, as_of=as_of, weight=weight, date=date, lang=lang)

    def apply(self, evaluation: pd.DataFrame) -> list[str]:
        """Write each running hypothesis' evidence and suggested status into its record.

        Only hypotheses still ``running`` are changed (a decided one keeps the evidence it was
        decided on), and rows without an effect (the data could not test them) are left alone;
        ``decision`` and ``rationale`` stay for people to write. Returns the ids that changed
        status.
        """
        changed = []
        for row in evaluation.to_dict("records"):
            effect = row.get("effect")
            if effect is None or (isinstance(effect, float) and math.isnan(effect)):
                continue
            h = self[row["id"]]
            if h.status != "running":
                continue
            h.data["evidence"] = {
                "effect": round(float(row["effect"]), 3),
                "ci_low": round(float(row["ci_low"]), 3),
                "ci_high": round(float(row["ci_high"]), 3),
                "p_value": float(f"{row['p_value']:.4g}"),
                "n_control": int(row["n_control"]),
                "n_treatment": int(row["n_treatment"]),
                "as_of": row["as_of"],
            }
            if row["suggested_status"] in TRANSITIONS["running"]:
                h.data["status"] = row["suggested_status"]
                changed.append(h.id)
        return changed

    # ------------------------------------------------------------------- tables
    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per hypothesis (columns ``REGISTER_COLUMNS``), the statement in ``lang``."""
        rows = []
        for h in self.hypotheses:
            ev = h.evidence
            n_required = planned_size(h)
            baseline = h.get("baseline")
            rows.append(
                [h.id, h.statement(lang), h.metric, h.get("segment"), h.get("touchpoint"),
                 h.stage, h.status, h.get("owner"), h.design,
                 _baseline_text(baseline), h.get("minimum_effect"), n_required,
                 h.date("started"), h.date("ended"), ", ".join(h.root_causes),
                 ev.get("effect"), ev.get("ci_low"), ev.get("ci_high"), ev.get("p_value"),
                 h.get("decision")]
            )  # fmt: skip
        frame = pd.DataFrame(rows, columns=REGISTER_COLUMNS)
        frame["n_required"] = frame["n_required"].astype("Int64")
        return frame

    def to_csv(self, path: str | Path, *, lang: str = "en") -> None:
        """Write :meth:`to_frame` as a UTF-8 CSV that Excel opens."""
        self.to_frame(lang).to_csv(path, index=False, encoding="utf-8-sig")

    def to_excel(self, path: str | Path, *, lang: str = "en") -> None:
        """Write an Excel workbook with one sheet, ``hypotheses``."""
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            self.to_frame(lang).to_excel(writer, sheet_name="hypotheses", index=False)


def _baseline_text(baseline: object) -> object:
    """Write an NPS mix as "P 45 / N 35 / D 20"; return other baselines as written."""
    if isinstance(baseline, dict):
        keys = (("promoters", "P"), ("passives", "N"), ("detractors", "D"))
        return " / ".join(f"{short} {baseline.get(k)}" for k, short in keys)
    return baseline
