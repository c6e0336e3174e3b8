"""One client's exports for one report period: read, checked, and what is missing said once.

A report notebook starts with :func:`read_client`: each export the client gave is read and
validated (:mod:`cxkit.io.readers`), the report period is fixed, and every export or optional
column that is absent is recorded as a note in the report's language, so the sections that need
it are left out with one line saying why, never filled from defaults.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit._periods import as_period
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError
from cxkit.i18n import number, period_name, table_text
from cxkit.io.readers import read_table
from cxkit.io.result import ReadResult

__all__ = ["KINDS", "ClientData", "check_covers", "read_client"]

#: The kinds of export a client may give, and the date that places a row in a period.
KINDS = {"responses": "responded_at", "tickets": "opened_at", "customers": None, "orders": None}


@dataclass(repr=False)
class ClientData(SummaryRepr):
    """A client's exports for one report (see :func:`read_client`).

    Attributes
    ----------
    reads : dict
        Kind -> :class:`~cxkit.ReadResult`, for the exports given.
    period : pandas.Period
        The report period.
    weight : str or None
        The survey weight column, or None when the responses have none (then figures are
        unweighted, and a note says so).
    notes : list of str
        What is missing, one sentence each, in ``lang``.
    lang : str
        The language of the notes.
    scans : dict
        Kind -> :func:`cxkit.scan`, for the exports given as a folder, a glob or a URL: their
        frames hold the report's window of periods, :meth:`history` reads further back.
    """

    reads: dict[str, ReadResult]
    period: pd.Period
    weight: str | None
    notes: list[str] = field(default_factory=list)
    lang: str = "en"
    scans: dict[str, object] = field(default_factory=dict)

    def frame(self, kind: str) -> pd.DataFrame | None:
        """Return the canonical rows of export ``kind``, or None when the client gave none."""
        read = self.reads.get(kind)
        return None if read is None else read.data

    def history(self, kind: str, end: object) -> pd.DataFrame | None:
        """Give every row of export ``kind`` dated on or before the day ``end``.

        For a file, its rows (all of them: the sections filter by date); for a large export,
        whose frame holds the report's window only, its rows up to ``end`` read again from
        its scan. The sections whose evidence spans the history (hypotheses, root-cause
        verification) read their rows here, so a window never changes their verdicts.
        """
        frame = self.frame(kind)
        if frame is None or kind not in self.scans:
            return frame
        from cxkit.scan._window import rows_between

        stop = pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
        return rows_between(self.scans[kind], KINDS[kind], None, stop)

    @property
    def responses(self) -> pd.DataFrame | None:
        """Canonical survey responses, or None."""
        return self.frame("responses")

    @property
    def tickets(self) -> pd.DataFrame | None:
        """Canonical tickets, or None."""
        return self.frame("tickets")

    @property
    def customers(self) -> pd.DataFrame | None:
        """Canonical customers, or None."""
        return self.frame("customers")

    @property
    def orders(self) -> pd.DataFrame | None:
        """Canonical orders, or None."""
        return self.frame("orders")

    def has(self, kind: str, column: str | None = None) -> bool:
        """Whether export ``kind`` was given (and has ``column`` with at least one value)."""
        data = self.frame(kind)
        if data is None or column is None:
            return data is not None
        return column in data.columns and bool(data[column].notna().any())

    def missing(self, kind: str, column: str | None = None) -> str | None:
        """Why a section needing ``kind`` (and ``column``) cannot be shown, or None if it can."""
        t = table_text(self.lang)
        name = t[f"kind_{kind}"]
        if not self.has(kind):
            return t["no_kind"].format(kind=name)
        if column is not None and not self.has(kind, column):
            return t["no_column"].format(kind=name, column=column)
        return None

    @property
    def summary(self) -> pd.DataFrame:
        """One row per export given: kind, file, rows read, accepted and quarantined."""
        return pd.DataFrame(
            [
                {
                    "kind": kind,
                    "file": read.details.file,
                    "rows_read": read.rows_read,
                    "rows_accepted": read.rows_accepted,
                    "rows_quarantined": read.rows_quarantined,
                }
                for kind, read in self.reads.items()
            ],
            columns=["kind", "file", "rows_read", "rows_accepted", "rows_quarantined"],
        )

    def _repr_html_(self) -> str:
        head = f"<p><strong>{html.escape(period_name(self.period, self.lang))}</strong></p>"
        notes = "".join(f'<p class="cx-note">{html.escape(n)}</p>' for n in self.notes)
        return head + super()._repr_html_() + notes


def read_client(
    *,
    responses: str | Path | None = None,
    tickets: str | Path | None = None,
    customers: str | Path | None = None,
    orders: str | Path | None = None,
    mapping: str | Path | None = None,
    period: str | pd.Period | None = None,
    weight: str | None = None,
    timezone: str | None = None,
    window: int = 24,
    lang: str = "en",
) -> ClientData:
    """Read a client's exports for one report period.

    Parameters
    ----------
    responses, tickets, customers, orders : path, optional
        The exports the client gave; None for those it did not (their sections are left out).
    mapping : path, optional
        Column mapping for the responses export (each export also picks up its own
        ``<file>.mapping.yml``).
    period : str, optional
        The report period ("2026-10", "2026Q4", "2026"); default the latest month of the
        responses (else of the tickets).
    weight : str, optional
        The survey weight column; when the responses have no such column, figures are
        unweighted and a note says so.
    timezone : str, optional
        The client's time zone for timestamps with offsets (see ``cx.read_tickets``).
    window : int
        For an export given as a folder or glob of files (or a folder ``cxkit report``
        validated): the periods of its dated rows read into memory, the report period and
        the ``window - 1`` before it (its counts are the whole export's, and a note says
        which rows were read). A file is always read whole.
    lang : {"en", "es"}
        Language of the notes.

    Returns
    -------
    ClientData

    Raises
    ------
    CxkitError
        When the responses or tickets export has no rows in ``period``: the message names the
        range the export covers (a report never shows an empty period as zeros).
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise CxkitError(f"`window` must be a whole number of periods ≥ 1; got {window!r}.")
    paths = {"responses": responses, "tickets": tickets, "customers": customers, "orders": orders}
    given = {kind: path for kind, path in paths.items() if path is not None}
    scans = {
        kind: _scan(path, kind, mapping if kind == "responses" else None, timezone)
        for kind, path in given.items()
        if not Path(path).is_file()
    }
    reads = {
        kind: read_table(
            path, kind, mapping=mapping if kind == "responses" else None, timezone=timezone
        )
        for kind, path in given.items()
        if kind not in scans
    }
    t = table_text(lang)
    notes = [
        _sentence(t["no_kind"].format(kind=t[f"kind_{k}"])) for k, p in paths.items() if p is None
    ]
    chosen = _report_period(reads, period, scans)
    for kind, scan in scans.items():
        from cxkit.scan._window import window_read

        periods = _window(kind, chosen, window)
        reads[kind] = window_read(scan, str(given[kind]), KINDS[kind], periods)
        notes.append(_window_note(kind, scan, reads[kind], periods, lang))
    reads = {kind: reads[kind] for kind in given}  # in the order of the kinds
    for kind, read in reads.items():
        check_covers(kind, read, chosen)
    if weight is not None and "responses" in reads and weight not in reads["responses"].data:
        notes.append(_sentence(t["unweighted"].format(column=weight)))
        weight = None
    return ClientData(reads, chosen, weight, notes, lang, scans)


def _scan(path, kind: str, mapping, timezone):
    """Open a folder or glob of exports (or a validated folder) as a :func:`cxkit.scan`."""
    from cxkit.scan import scan

    return scan(path, kind=kind, mapping=mapping, timezone=timezone)


def _window(kind: str, period: pd.Period, window: int) -> tuple[pd.Period, pd.Period] | None:
    """Give the first and last period read of a dated export: ``window`` up to ``period``."""
    return (period - (window - 1), period) if KINDS[kind] is not None else None


def _window_note(kind: str, scan, read: ReadResult, periods, lang: str) -> str:
    """Say which rows of a large export the report reads: the window's, or all."""
    t = table_text(lang)
    first, last = periods or (None, None)
    key = "scan_whole" if first is None else "scan_period" if first == last else "scan_window"
    files = t["file_one" if len(scan.files) == 1 else "file_many"]
    return _sentence(
        t[key].format(
            kind=t[f"kind_{kind}"],
            files=files.format(n=number(len(scan.files), lang, 0)),
            rows=number(read.rows_accepted, lang, 0),
            first=period_name(first, lang) if first is not None else "",
            last=period_name(last, lang) if last is not None else "",
            periods=number((last - first).n + 1, lang, 0) if first is not None else "",
        )
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _report_period(reads: dict[str, ReadResult], period, scans=None) -> pd.Period:
    if period is not None:
        return as_period(period)
    for kind in ("responses", "tickets"):
        if kind in (scans or {}):
            from cxkit.scan._window import date_range

            last = date_range(scans[kind], KINDS[kind])[1]
            if last is not None:
                return last.to_period("M")
        if kind in reads and reads[kind].data[KINDS[kind]].notna().any():
            return reads[kind].data[KINDS[kind]].max().to_period("M")
    raise CxkitError(
        "no report period given and no dated responses or tickets to take it from; pass "
        "period='2026-10' (a month), '2026Q4' or '2026'."
    )


def check_covers(kind: str, read: ReadResult, period: pd.Period) -> None:
    """Raise a :class:`CxkitError` unless export ``kind`` covers the whole of ``period``.

    The export must have rows in the period's last month: a quarter or a year that the export
    only begins (data through October for the fourth quarter) is not a period to report on,
    since its figures would be compared with whole periods.
    """
    date = KINDS[kind]
    if date is None:
        return
    stamps = read.data[date]
    last_month = period.asfreq("M", how="end")
    covered = (
        f"{stamps.min():%Y-%m-%d} to {stamps.max():%Y-%m-%d}" if stamps.notna().any() else "none"
    )
    if not ((stamps >= period.start_time) & (stamps <= period.end_time)).any():
        raise CxkitError(
            f"the {kind} export {read.details.file!r} has no rows in the report period {period} "
            f"(column {date!r}); it covers {covered}. Choose a period inside that range, or send "
            "the export that covers it."
        )
    if not ((stamps >= last_month.start_time) & (stamps <= last_month.end_time)).any():
        raise CxkitError(
            f"the {kind} export {read.details.file!r} covers only part of the report period "
            f"{period}: it covers {covered}, with nothing in {last_month}. Report a period the "
            "export covers whole (a month), or wait for the rest of the data."
        )
