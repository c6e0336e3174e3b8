"""5-whys root-cause logs: validated records linked to touchpoints and metrics.

A log is one YAML file per client (commented template: ``templates/five_whys.yml``), kept in
git next to the client's data. :class:`RootCauseLog` loads and saves it (comments at the top
of the file survive), checks it (:meth:`RootCauseLog.problems`), tracks the countermeasures
(:meth:`RootCauseLog.actions`, :meth:`RootCauseLog.overdue`), ranks the causes
(:meth:`RootCauseLog.pareto`) and checks later data for the recovery
(:meth:`RootCauseLog.verify`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from cxkit._checks import check_option
from cxkit.rootcause._analysis import VERDICTS, VERIFY_COLUMNS, actions, as_of_date, pareto, verify
from cxkit.rootcause._entry import (
    ACTION_STATUSES,
    CATEGORIES,
    ENTRY_KEYS,
    STATUSES,
    Countermeasure,
    Entry,
    Why,
)
from cxkit.rootcause._problems import log_problems
from cxkit.rootcause._yaml import RootCauseError, header_of, parse_text, read_text, write_text

__all__ = [
    "ACTION_STATUSES",
    "CATEGORIES",
    "STATUSES",
    "VERDICTS",
    "VERIFY_COLUMNS",
    "Countermeasure",
    "Entry",
    "RootCauseError",
    "RootCauseLog",
    "Why",
    "check_log",
]

_NEW_HEADER = (
    "# 5-whys root-cause log: one entry per investigation (see templates/five_whys.yml).\n"
)
ENTRY_COLUMNS = [
    "id",
    "opened",
    "problem",
    "touchpoint",
    "stage",
    "metric",
    "status",
    "whys",
    "root_cause",
    "category",
    "countermeasures",
    "open_actions",
    "evidence_period",
    "evidence_value",
    "baseline_period",
    "target",
    "by",
]


class RootCauseLog:
    """A client's 5-whys investigations, in file order.

    Build one with :meth:`load` (a YAML file) or empty (``RootCauseLog()``) and :meth:`add`.

    Attributes
    ----------
    entries : list of Entry
        The investigations; each keeps the mapping written in the file (``entry.data``).
    source : str
        The file it was read from, or ``"<new log>"``.
    header : str
        The comment lines at the top of the file, written back by :meth:`save`.
    """

    def __init__(
        self, entries: list[Entry] | None = None, *, source: str = "<new log>", header: str = ""
    ) -> None:
        self.entries = list(entries or [])
        self.source = source
        self.header = header or _NEW_HEADER
        self._stray: list[tuple[int, object]] = []  # entries that are not mappings, by position

    def __repr__(self) -> str:
        return f"RootCauseLog({self.source!r}, {len(self.entries)} entries)"

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True, na_rep="")

    # ------------------------------------------------------------------------- file
    @classmethod
    def load(cls, path: str | Path) -> RootCauseLog:
        """Read a log file.

        Entries that are not mappings are kept aside and reported by :meth:`problems`;
        everything else is read as written (check it with :meth:`problems`).

        Raises
        ------
        RootCauseError
            The file is missing, not UTF-8, not YAML (the message gives the line and column)
            or has no ``entries:`` list.
        """
        path = Path(path)
        text = read_text(path)
        raw = parse_text(text, str(path))
        log = cls(
            [Entry(e) for e in raw if isinstance(e, dict)], source=str(path), header=header_of(text)
        )
        log._stray = [(i, e) for i, e in enumerate(raw) if not isinstance(e, dict)]
        return log

    def save(self, path: str | Path) -> None:
        """Write the log: the header comments, then every entry as it is held."""
        Path(path).write_text(write_text(self.header, self._current()), encoding="utf-8")

    def add(
        self,
        id: str,
        *,
        opened: dt.date | str,
        problem: str,
        touchpoint: str,
        stage: str,
        metric: str,
        status: str = "open",
        whys: list[str | dict[str, str]] | None = None,
        root_cause: str | None = None,
        category: str | None = None,
        countermeasures: list[dict[str, Any]] | None = None,
        evidence: dict[str, Any] | None = None,
        verification: dict[str, Any] | None = None,
    ) -> Entry:
        """Append an entry and return it (keys left as None are not written).

        The entry is not checked here: call :meth:`problems` to see what it still lacks.
        """
        values = dict(locals())
        data = {k: values[k] for k in ENTRY_KEYS if values.get(k) is not None}
        entry = Entry(data)
        self.entries.append(entry)
        return entry

    # ------------------------------------------------------------------- checking
    def problems(
        self,
        data: pd.DataFrame | None = None,
        *,
        min_whys: int = 3,
        today: dt.date | str | None = None,
    ) -> list[str]:
        """Return every problem of the log, each naming the file, the entry id and the field.

        Parameters
        ----------
        data : DataFrame, optional
            Canonical survey responses: touchpoints must then be ones the data knows (a
            ``touchpoint`` value or a ``rating_*`` column, in any case), and survey metrics
            need their column.
        min_whys : int
            Whys needed before a root cause (default 3).
        today : date, optional
            Dates after it are in the future (default: today).

        Returns
        -------
        list of str
            Empty when the log is clean. Overdue actions are not problems (see
            :meth:`overdue`).
        """
        today = as_of_date(today) or dt.date.today()
        return log_problems(self._current(), self.source, data=data, min_whys=min_whys, today=today)

    def _current(self) -> list[object]:
        """Return the raw entries: the mappings held, and the others where they were read."""
        out: list[object] = [e.data for e in self.entries]
        for position, item in self._stray:
            out.insert(min(position, len(out)), item)
        return out

    # ------------------------------------------------------------------- tables
    def to_frame(self) -> pd.DataFrame:
        """One row per entry (columns :data:`ENTRY_COLUMNS`); whys as numbered lines."""
        rows = []
        for e in self.entries:
            evidence = e.get("evidence") if isinstance(e.get("evidence"), dict) else {}
            check = e.verification
            whys = "\n".join(f"{i}. {w.answer}" for i, w in enumerate(e.whys, start=1))
            rows.append(
                [e.id, e.opened, e.get("problem"), e.get("touchpoint"), e.stage, e.metric, e.status,
                 whys, e.get("root_cause"), e.category, len(e.countermeasures),
                 sum(c.pending for c in e.countermeasures), evidence.get("period"),
                 evidence.get("value"), check.get("baseline_period"), check.get("target"),
                 check.get("by")]
            )  # fmt: skip
        return pd.DataFrame(rows, columns=ENTRY_COLUMNS)

    def actions(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """One row per countermeasure: ``id, action, owner, due, status, overdue, days_overdue``.

        An action is overdue when it is still open or in progress and its due date is before
        ``as_of`` (a date, or a period: its last day; default today).
        """
        return actions(self.entries, as_of_date(as_of) or dt.date.today())

    def overdue(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """Return the actions overdue as of ``as_of``, most overdue first (see :meth:`actions`)."""
        table = self.actions(as_of)
        late = table[table["overdue"]].sort_values("days_overdue", ascending=False, kind="stable")
        return late.reset_index(drop=True)

    def pareto(self, by: str = "category") -> pd.DataFrame:
        """Entries per root-cause category (or ``by="touchpoint"``), most first, with shares.

        Columns: ``by``, ``entries``, ``share`` and ``cumulative_share`` in percent.
        """
        check_option("by", by, ("category", "touchpoint"))
        return pareto(self.entries, by)

    def verify(
        self,
        responses: pd.DataFrame,
        *,
        as_of: dt.date | str | None = None,
        weight: str | None = None,
        date: str = "responded_at",
        alpha: float = 0.05,
        min_n: int = 30,
    ) -> pd.DataFrame:
        """Check, for every entry with a ``verification``, whether its metric recovered.

        Parameters
        ----------
        responses : DataFrame
            Canonical survey responses (``cx.read_responses(...).data``).
        as_of : date or str, optional
            The latest period is the last one, at the baseline period's granularity, that
            ends on or before ``as_of`` and has answers (a date, or a period such as
            "2026-10"; default: the last month in the data).
        weight : str, optional
            Survey weight column: values and tests are weighted.
        alpha : float
            Significance level of the change test.
        min_n : int
            Comparisons with fewer answers than this in either period are flagged
            ``small_sample`` (client pages do not show them).

        Returns
        -------
        DataFrame
            ``id, metric, baseline_period, baseline, latest_period, latest, difference,
            ci_low, ci_high, p_value, target, verdict, n_baseline, n_latest, small_sample``:
            values from :func:`cxkit.nps` (or ``csat``, ``ces``), the difference (latest minus
            baseline),
            its interval and p-value from :func:`cxkit.metric_test`. ``verdict`` is one of
            :data:`VERDICTS` (see :mod:`cxkit.rootcause._analysis`).
        """
        return verify(
            self.entries, responses, as_of=as_of, weight=weight, date=date, alpha=alpha, min_n=min_n
        )

    # ------------------------------------------------------------------- export
    def to_csv(self, path: str | Path, *, table: str = "entries") -> None:
        """Write the entries (or ``table="actions"``) as a UTF-8 CSV that Excel opens."""
        check_option("table", table, ("entries", "actions"))
        frame = self.to_frame() if table == "entries" else self.actions()
        frame.to_csv(path, index=False, encoding="utf-8-sig")

    def to_excel(self, path: str | Path) -> None:
        """Write an Excel workbook with two sheets: ``entries`` and ``actions``."""
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            self.to_frame().to_excel(writer, sheet_name="entries", index=False)
            self.actions().to_excel(writer, sheet_name="actions", index=False)


def check_log(
    path: str | Path,
    data: pd.DataFrame | None = None,
    *,
    min_whys: int = 3,
    today: dt.date | str | None = None,
) -> list[str]:
    """Return every problem of the log file at ``path``: unreadable files and YAML errors too.

    This is what ``cxkit rootcause check`` prints; it never raises for a bad file.
    """
    try:
        log = RootCauseLog.load(path)
    except RootCauseError as err:
        return [str(err)]
    return log.problems(data, min_whys=min_whys, today=today)
