"""The result of reading a file: canonical data, quarantine and a summary."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from cxkit.io.validation import REASONS

__all__ = ["ReadResult", "ReadSummary"]


@dataclass(frozen=True)
class ReadSummary:
    """Counts of a read: ``rows_accepted + rows_quarantined == rows_read``.

    Attributes
    ----------
    rows_read : int
        Data records in the file (header rows not counted; blank and malformed rows counted).
    rows_accepted, rows_quarantined : int
        Rows in ``data`` and in ``quarantine``.
    reasons : dict
        Reason code -> number of quarantined rows with that reason. A row can have several
        reasons, so these may add up to more than ``rows_quarantined``.
    columns : dict
        Canonical column -> the client column it was read from.
    columns_ignored : list
        Client columns that no canonical column uses.
    source : dict
        Detected format settings (format, encoding, delimiter, decimal, header rows), the
        mapping file used and, when they apply: ``helpdesk`` (the recognised helpdesk export),
        ``timezone`` (the client time zone and how it was chosen), ``durations`` (duration
        columns and what they became), ``business_hours`` (canonical columns counted in business
        hours) and ``customer_id`` (how e-mail ids were pseudonymized).
    """

    file: str
    kind: str
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    reasons: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    columns_ignored: list[str] = field(default_factory=list)
    source: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready dictionary."""
        return dict(self.__dict__)

    def to_text(self) -> str:
        """Return a few readable lines, as the command line prints them."""
        lines = [
            f"{self.file} ({self.kind}, {self.source.get('format')})",
            f"  rows read {self.rows_read:,}, accepted {self.rows_accepted:,}, "
            f"quarantined {self.rows_quarantined:,}",
        ]
        for reason, count in self.reasons.items():
            lines.append(f"    {reason:<22} {count:>8,}  {REASONS[reason]}")
        if self.source.get("mapping"):
            lines.append(f"  mapping: {self.source['mapping']}")
        lines += self._reading_notes()
        if self.columns_ignored:
            shown = ", ".join(self.columns_ignored[:12])
            more = (
                f" … (+{len(self.columns_ignored) - 12})" if len(self.columns_ignored) > 12 else ""
            )
            lines.append(f"  columns ignored: {shown}{more}")
        return "\n".join(lines)

    def _reading_notes(self) -> list[str]:
        """Lines on what was recognised or converted: export format, zone, durations, ids."""
        src = self.source
        lines = []
        if src.get("helpdesk"):
            lines.append(f"  format: {src['helpdesk']} (recognised by its column names)")
        if src.get("timezone"):
            lines.append(f"  time zone: {src['timezone']}")
        for described in src.get("durations", ()):
            lines.append(f"  duration: {described}")
        if src.get("business_hours"):
            shown = ", ".join(src["business_hours"])
            lines.append(f"  business hours (not calendar time): {shown}")
        if src.get("customer_id"):
            lines.append(f"  customer ids: {src['customer_id']}")
        return lines


@dataclass(frozen=True, repr=False)
class ReadResult:
    """What a ``cx.read_*`` function returns.

    Attributes
    ----------
    data : pandas.DataFrame
        The accepted rows in canonical columns and dtypes, in file order.
    quarantine : pandas.DataFrame
        Rejected rows: ``row`` (the row number a spreadsheet shows, header = row 1), ``reason``
        (codes from :data:`cxkit.io.validation.REASONS`, ``; ``-separated), ``detail`` (readable),
        then the row's original values under the file's own column names.
    details : ReadSummary
        Counts by outcome and by reason, the column mapping used and detected settings.
    summary : pandas.DataFrame
        ``measure, rows, meaning``: rows read, accepted and quarantined, then one row per
        quarantine reason (the same ``summary`` DataFrame every cxkit result has).
    """

    data: pd.DataFrame
    quarantine: pd.DataFrame
    details: ReadSummary

    @property
    def summary(self) -> pd.DataFrame:
        """Rows read, accepted, quarantined, and quarantined per reason, as a table."""
        d = self.details
        rows = [
            ("read", d.rows_read, "data records in the file"),
            ("accepted", d.rows_accepted, "rows in .data"),
            ("quarantined", d.rows_quarantined, "rows in .quarantine"),
        ]
        rows += [(reason, n, REASONS[reason]) for reason, n in d.reasons.items()]
        return pd.DataFrame(rows, columns=["measure", "rows", "meaning"])

    @property
    def rows_read(self) -> int:
        """Data records in the file."""
        return self.details.rows_read

    @property
    def rows_accepted(self) -> int:
        """Rows in :attr:`data`."""
        return self.details.rows_accepted

    @property
    def rows_quarantined(self) -> int:
        """Rows in :attr:`quarantine`."""
        return self.details.rows_quarantined

    def __repr__(self) -> str:
        return f"<ReadResult {self.details.to_text()}>"

    def _repr_html_(self) -> str:
        s = self.details
        esc = html.escape
        reasons = "".join(
            f"<tr><td><code>{esc(r)}</code></td><td>{n:,}</td><td>{esc(REASONS[r])}</td></tr>"
            for r, n in s.reasons.items()
        )
        head = (
            f"<p><b>{esc(s.file)}</b> ({esc(s.kind)}): {s.rows_read:,} rows read, "
            f"{s.rows_accepted:,} accepted, {s.rows_quarantined:,} quarantined.</p>"
        )
        table = f"<table><tr><th>reason</th><th>rows</th><th>meaning</th></tr>{reasons}</table>"
        sample = (
            self.quarantine.head(5).to_html(index=False, escape=True)
            if len(self.quarantine)
            else ""
        )
        return head + (table + "<p>First quarantined rows:</p>" + sample if reasons else "")
