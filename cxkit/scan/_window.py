"""A scan's rows for one report: those dated in a window of periods, as pandas reads them.

A report's sections need the rows of the report period and of the periods its trends show,
not the whole history of a large client. :func:`window_read` loads the validated rows dated
in the window (Parquet row groups outside it are skipped by their statistics), with the
dtypes the readers gave them (categories merged across files, in the readers' order), into a
:class:`~cxkit.ReadResult` whose counts are the whole export's, as the readers give them.
"""

from __future__ import annotations

import pandas as pd

from cxkit.io.result import ReadResult, ReadSummary
from cxkit.scan._duck import connect, source, wall_time
from cxkit.scan._files import parts
from cxkit.scan._scan import Scan
from cxkit.scan._validate import read_dtypes

__all__ = ["QUARANTINE_SHOWN", "date_range", "rows_between", "window_read"]

#: Quarantined rows a report reads of a scan (all of them stay in the validated folder).
QUARANTINE_SHOWN = 10_000


def date_range(scan: Scan, date: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Give the first and last ``date`` of the scan's rows (wall time; None when none)."""
    folder = scan._validated()[0]
    data = parts(folder)
    wall = wall_time(data, date)
    with connect(folder) as con:
        first, last = con.execute(f"SELECT min({wall}), max({wall}) FROM {source(data)}").fetchone()
    return (pd.Timestamp(first) if first is not None else None), (
        pd.Timestamp(last) if last is not None else None
    )


def window_read(
    scan: Scan, source: str, date: str | None, window: tuple[pd.Period, pd.Period] | None
) -> ReadResult:
    """Read the scan's rows dated in ``window`` (first and last period; all rows when None).

    Returns a :class:`~cxkit.ReadResult`: ``data`` the window's accepted rows in file order,
    ``quarantine`` the first :data:`QUARANTINE_SHOWN` quarantined rows of the whole export,
    and ``details`` the whole export's counts, its first file's reading settings and ``file``
    the ``source`` as given.
    """
    folder, manifest = scan._validated()
    bounds = (None, None)
    if date is not None and window is not None:
        bounds = (window[0].start_time, (window[1] + 1).start_time)
    details = ReadSummary(
        file=source,
        kind=manifest["kind"],
        rows_read=manifest["rows_read"],
        rows_accepted=manifest["rows_accepted"],
        rows_quarantined=manifest["rows_quarantined"],
        reasons=dict(manifest["reasons"]),
        source=dict(manifest["files"][0].get("source") or {}),
    )
    data = rows_between(scan, date, *bounds)
    return ReadResult(data=data, quarantine=_quarantine(folder), details=details)


def rows_between(
    scan: Scan, date: str | None, start: pd.Timestamp | None, stop: pd.Timestamp | None
) -> pd.DataFrame:
    """Give the scan's rows with ``start <= date < stop`` (either bound may be None), as read.

    Parquet row groups outside the bounds are skipped by their statistics; the rows come in
    file order, each column with the dtype the readers gave it.
    """
    folder, manifest = scan._validated()
    filters = []
    if date is not None and start is not None:
        filters.append((date, ">=", start))
    if date is not None and stop is not None:
        filters.append((date, "<", stop))
    frames = [pd.read_parquet(p, filters=filters or None) for p in parts(folder)]
    return _as_read(pd.concat(frames, ignore_index=True), manifest)


def _as_read(frame: pd.DataFrame, manifest: dict[str, object]) -> pd.DataFrame:
    """Drop the scan's own columns; give every column the dtype the readers gave it."""
    frame = frame.drop(columns=["_file", "_row"])
    for name, dtype in read_dtypes(manifest).items():
        if frame[name].dtype != dtype:  # categories: the merged ones, in the readers' order
            frame[name] = frame[name].astype(dtype)
    return frame[list(manifest["columns"])]


def _quarantine(folder) -> pd.DataFrame:
    """Give the first quarantined rows, in file order (``file``, ``row``, ``reason``, ...)."""
    shown, frames = 0, []
    for part in parts(folder, "quarantine"):
        frame = pd.read_parquet(part)
        frames.append(frame.head(QUARANTINE_SHOWN - shown))
        shown += len(frames[-1])
        if shown >= QUARANTINE_SHOWN:
            break
    if not frames:
        return pd.DataFrame(columns=["file", "row", "reason", "detail"])
    return pd.concat(frames, ignore_index=True)
