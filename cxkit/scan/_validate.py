"""Validate a scan's files into canonical Parquet, a file (or chunk) at a time, and a quarantine.

Each file goes through the readers (:func:`cxkit.io.readers.read_table_rows`; a large Parquet
file a chunk at a time, :mod:`cxkit.scan._chunks`): the same column mapping, label coercion and
row rules, so a file read whole gives the same rows and reasons as the readers (for chunks,
see :func:`cxkit.scan.scan`'s notes). A file with no usable row is an error, as there.
Accepted rows are written to ``DIR/data/part-FFFFF-CCCCC.parquet`` (file, chunk) with two
columns more, ``_file`` (the file's number in the scan) and ``_row`` (its row in that file);
quarantined ones to ``DIR/quarantine/`` with ``file`` and the readers' ``row``, ``reason``,
``detail`` and values (as text).

Ids repeated across files or chunks are then quarantined too (:mod:`cxkit.scan._repeats`).
``DIR/manifest.json`` records the files (size and modification time, so a changed file is
noticed), each column's dtype and categories as read, and the counts, which always satisfy
``rows_read == rows_accepted + rows_quarantined``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit._version import __version__
from cxkit.errors import DataFileError
from cxkit.io.schemas import SCHEMAS
from cxkit.scan._chunks import file_reads
from cxkit.scan._files import parts
from cxkit.scan._remote import RemoteFile, local_copy, remote_stamp
from cxkit.scan._repeats import move_later_repeats

__all__ = [
    "MANIFEST",
    "file_stamp",
    "read_dtypes",
    "recorded_stamps",
    "same_files",
    "validate_files",
]

MANIFEST = "manifest.json"
_VERSION = 1  # of the folder's layout


def file_stamp(path: Path | RemoteFile) -> dict[str, object]:
    """Give what identifies a file's content cheaply: its path, size and modification time."""
    if isinstance(path, RemoteFile):
        return remote_stamp(path)
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def recorded_stamps(manifest: dict[str, object]) -> list[dict[str, object]]:
    """Give the manifest's file stamps (path, size, modification time), as :func:`file_stamp`."""
    return [{k: entry[k] for k in ("path", "size", "mtime_ns")} for entry in manifest["files"]]


def same_files(manifest: dict[str, object], files: list) -> bool:
    """Tell whether the manifest records exactly ``files``, unchanged since."""
    return recorded_stamps(manifest) == [file_stamp(p) for p in files]


def read_dtypes(manifest: dict[str, object]) -> dict[str, object]:
    """Give each validated column's dtype as the readers gave it, from the manifest.

    Categories are those merged across files and chunks, in the readers' order; other
    columns keep the dtype first seen.
    """
    dtypes: dict[str, object] = {}
    for name, dtype in manifest["columns"].items():
        known = manifest["categories"].get(name)
        dtypes[name] = pd.CategoricalDtype(known["labels"], known["ordered"]) if known else dtype
    return dtypes


def validate_files(
    files: list[Path], kind: str, out: Path, *, mapping=None, timezone: str | None = None
) -> dict[str, object]:
    """Validate ``files`` as ``kind`` into the folder ``out``; return (and write) the manifest.

    The manifest is removed first and written last: a folder whose validation stopped
    half-way has none, and is not taken for a validated one.
    """
    (out / MANIFEST).unlink(missing_ok=True)
    for sub in ("data", "quarantine"):
        (out / sub).mkdir(parents=True, exist_ok=True)
        for old in parts(out, sub):
            old.unlink()
    entries = [
        _validate_one(number, path, kind, out, mapping, timezone)
        for number, path in enumerate(files)
    ]
    unique = SCHEMAS[kind].unique_id
    if unique and sum(e["rows_accepted"] for e in entries) and len(parts(out)) > 1:
        for number, moved in move_later_repeats(out, files, unique, entries):
            target = out / "quarantine" / f"part-{number:05d}-repeats.parquet"
            _write_quarantine(moved, files[number], target)
    manifest = _manifest(kind, entries, mapping, timezone)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    return manifest


def _validate_one(number, path, kind, out, mapping, timezone) -> dict[str, object]:
    """Read one file (a chunk at a time if large) and write its accepted and quarantined rows."""
    entry = {**file_stamp(path), "rows_read": 0, "rows_accepted": 0, "rows_quarantined": 0}
    reasons: Counter[str] = Counter()
    entry.update(reasons=reasons, columns={}, categories={})
    for chunk, (result, rows) in enumerate(_file_reads(path, kind, mapping, timezone)):
        name = f"part-{number:05d}-{chunk:05d}.parquet"
        data = result.data.assign(_file=np.int32(number), _row=rows.astype("int64"))
        data.to_parquet(out / "data" / name, index=False)
        _write_quarantine(result.quarantine, path, out / "quarantine" / name)
        for count in ("rows_read", "rows_accepted", "rows_quarantined"):
            entry[count] += getattr(result, count)
        reasons.update(result.details.reasons)
        entry.setdefault("source", result.details.source)
        _note_dtypes(entry, result.data)
    entry["reasons"] = dict(reasons)
    if entry["rows_read"] and not entry["rows_accepted"]:
        shown = ", ".join(f"{reason}: {count:,}" for reason, count in reasons.items())
        raise DataFileError(
            f"{str(path)!r}: no usable rows; all {entry['rows_read']:,} were quarantined "
            f"({shown}). Check the column mapping and the file's format."
        )
    return entry


def _file_reads(path, kind, mapping, timezone):
    """Give :func:`file_reads` of a local file, or of a local copy of a remote one.

    Errors about the copy name the URL, not the temporary file.
    """
    if not isinstance(path, RemoteFile):
        yield from file_reads(path, kind, mapping, timezone)
        return
    with local_copy(path) as local:
        try:
            yield from file_reads(local, kind, mapping, timezone)
        except DataFileError as err:
            raise DataFileError(str(err).replace(str(local), path.url), result=err.result) from None


def _note_dtypes(entry: dict[str, object], data: pd.DataFrame) -> None:
    """Record each column's dtype (the first seen) and categories (all seen, in order)."""
    for name, dtype in data.dtypes.items():
        entry["columns"].setdefault(name, str(dtype))
        if isinstance(dtype, pd.CategoricalDtype):
            known = entry["categories"].setdefault(
                name, {"labels": [], "ordered": bool(dtype.ordered)}
            )
            known["labels"] = _merged(known, list(dtype.categories))


def _merged(known: dict[str, object], labels: list) -> list:
    """Categories seen so far and ``labels``: sorted, as the readers sort them, unless ordered."""
    seen = known["labels"] + [label for label in labels if label not in set(known["labels"])]
    return seen if known["ordered"] else sorted(seen)


def _write_quarantine(quarantine: pd.DataFrame, path: Path, target: Path) -> None:
    """Write quarantined rows with their file; values as text (raw values have mixed types)."""
    frame = quarantine.reset_index(drop=True)
    for name in frame.columns:
        if name != "row":
            frame[name] = frame[name].astype("string")
    frame.insert(0, "file", pd.Series([str(path)] * len(frame), dtype="string"))
    frame.to_parquet(target, index=False)


def _describe(mapping) -> str | None:
    """How the mapping was given: its path, or that a mapping object was."""
    if mapping is None or isinstance(mapping, (str, os.PathLike)):
        return None if mapping is None else str(mapping)
    return "given as an object"


def _manifest(kind: str, entries: list[dict], mapping, timezone) -> dict[str, object]:
    """Build the folder's record: files, counts, and each column's dtype and categories as read."""
    reasons: Counter[str] = Counter()
    columns: dict[str, str] = {}
    categories: dict[str, list] = {}
    for entry in entries:
        reasons.update(entry["reasons"])
        for name, dtype in entry.pop("columns").items():
            columns.setdefault(name, dtype)
        for name, dtype in entry.pop("categories").items():
            known = categories.setdefault(name, {"labels": [], "ordered": dtype["ordered"]})
            known["labels"] = _merged(known, dtype["labels"])
    return {
        "layout": _VERSION,
        "cxkit": __version__,  # the readers' rules that validated the rows
        "validation": uuid.uuid4().hex,  # which validation wrote the folder's rows
        "kind": kind,
        "mapping": _describe(mapping),
        "mapping_stamp": (
            file_stamp(Path(mapping)) if isinstance(mapping, (str, os.PathLike)) else None
        ),
        "timezone": timezone,
        "columns": columns,
        "categories": categories,
        "files": entries,
        "rows_read": sum(e["rows_read"] for e in entries),
        "rows_accepted": sum(e["rows_accepted"] for e in entries),
        "rows_quarantined": sum(e["rows_quarantined"] for e in entries),
        "reasons": dict(reasons),
    }
