"""Validate a scan's files into canonical Parquet, one file at a time, with one quarantine.

Each file goes through the readers (:func:`cxkit.io.readers.read_table_rows`): the same column
mapping, label coercion and row rules, so the same rows are accepted and quarantined with the
same reasons as when the file is read on its own. Memory holds one file at a time. Accepted
rows are written to ``DIR/data/part-NNNNN.parquet`` with two columns more, ``_file`` (the
file's number in the scan) and ``_row`` (its row in that file); quarantined ones to
``DIR/quarantine/part-NNNNN.parquet`` with ``file`` and the readers' ``row``, ``reason``,
``detail`` and raw values (as text).

An id that a later file repeats (the readers catch repeats within a file) is then found with
DuckDB over the written rows: every occurrence after the first moves to the quarantine as
``duplicate_id``, naming the file and row of the first. ``DIR/manifest.json`` records the
files (size and modification time, so a changed file is noticed) and the counts, which always
satisfy ``rows_read == rows_accepted + rows_quarantined``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit.errors import DataFileError
from cxkit.io.readers import read_table_rows
from cxkit.io.schemas import SCHEMAS
from cxkit.scan._duck import connect, later_repeats

__all__ = ["MANIFEST", "file_stamp", "validate_files"]

MANIFEST = "manifest.json"
_VERSION = 1  # of the folder's layout


def file_stamp(path: Path) -> dict[str, object]:
    """Give what identifies a file's content cheaply: its path, size and modification time."""
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def validate_files(
    files: list[Path], kind: str, out: Path, *, mapping=None, timezone: str | None = None
) -> dict[str, object]:
    """Validate ``files`` as ``kind`` into the folder ``out``; return (and write) the manifest."""
    for sub in ("data", "quarantine"):
        (out / sub).mkdir(parents=True, exist_ok=True)
        for old in (out / sub).glob("part-*.parquet"):
            old.unlink()
    entries = [
        _validate_one(number, path, kind, out, mapping, timezone)
        for number, path in enumerate(files)
    ]
    unique = SCHEMAS[kind].unique_id
    if unique and sum(e["rows_accepted"] for e in entries) and len(files) > 1:
        _move_later_repeats(out, files, unique, entries)
    manifest = _manifest(kind, entries, mapping, timezone)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    return manifest


def _validate_one(number, path, kind, out, mapping, timezone) -> dict[str, object]:
    """Read one file through the readers and write its accepted and quarantined rows."""
    try:
        result, rows = read_table_rows(path, kind, mapping=mapping, timezone=timezone)
    except DataFileError as err:
        if err.result is None:  # the file cannot be used at all: named by the reader
            raise
        result, rows = err.result, np.zeros(0, dtype="int64")
    data = result.data.assign(_file=np.int32(number), _row=rows.astype("int64"))
    data.to_parquet(out / "data" / f"part-{number:05d}.parquet", index=False)
    _write_quarantine(result.quarantine, path, out / "quarantine" / f"part-{number:05d}.parquet")
    return {
        **file_stamp(path),
        "rows_read": result.rows_read,
        "rows_accepted": result.rows_accepted,
        "rows_quarantined": result.rows_quarantined,
        "reasons": dict(result.details.reasons),
        "source": result.details.source,
        "columns": {name: str(dtype) for name, dtype in result.data.dtypes.items()},
        "categories": {
            name: {"labels": list(dtype.categories), "ordered": bool(dtype.ordered)}
            for name, dtype in result.data.dtypes.items()
            if isinstance(dtype, pd.CategoricalDtype)
        },
    }


def _write_quarantine(quarantine: pd.DataFrame, path: Path, target: Path) -> None:
    """Write quarantined rows with their file; values as text (raw values have mixed types)."""
    frame = quarantine.reset_index(drop=True)
    for name in frame.columns:
        if name != "row":
            frame[name] = frame[name].astype("string")
    frame.insert(0, "file", pd.Series([str(path)] * len(frame), dtype="string"))
    frame.to_parquet(target, index=False)


def _move_later_repeats(out: Path, files: list[Path], unique: str, entries: list[dict]) -> None:
    """Quarantine every later occurrence of an id another file already has."""
    with connect(out) as con:
        repeats = later_repeats(con, str(out / "data" / "*.parquet"), unique)
    for number, found in repeats.groupby("_file"):
        part = out / "data" / f"part-{int(number):05d}.parquet"
        data = pd.read_parquet(part)
        moving = data["_row"].isin(found["_row"])
        first = found.set_index("_row").loc[data.loc[moving, "_row"]]
        detail = [
            f"{unique}={value!r} appears in an earlier file ({files[int(f)].name}, row {r})"
            for value, f, r in zip(
                data.loc[moving, unique], first["first_file"], first["first_row"], strict=True
            )
        ]
        moved = data[moving].drop(columns=["_file", "_row"])
        quarantine = moved.assign(
            row=data.loc[moving, "_row"].to_numpy(), reason="duplicate_id", detail=detail
        )
        quarantine = quarantine[["row", "reason", "detail", *moved.columns]]
        qpart = out / "quarantine" / f"part-{int(number):05d}.parquet"
        earlier = pd.read_parquet(qpart).drop(columns="file")
        _write_quarantine(pd.concat([earlier, quarantine]), files[int(number)], qpart)
        data[~moving].to_parquet(part, index=False)
        _recount(entries[int(number)], int(moving.sum()))


def _recount(entry: dict[str, object], moved: int) -> None:
    """Move ``moved`` rows of a file's counts from accepted to quarantined (duplicate ids)."""
    entry["rows_accepted"] -= moved
    entry["rows_quarantined"] += moved
    entry["reasons"]["duplicate_id"] = entry["reasons"].get("duplicate_id", 0) + moved


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
            seen = set(known["labels"])
            known["labels"] += [label for label in dtype["labels"] if label not in seen]
    return {
        "layout": _VERSION,
        "kind": kind,
        "mapping": _describe(mapping),
        "timezone": timezone,
        "columns": columns,
        "categories": categories,
        "files": entries,
        "rows_read": sum(e["rows_read"] for e in entries),
        "rows_accepted": sum(e["rows_accepted"] for e in entries),
        "rows_quarantined": sum(e["rows_quarantined"] for e in entries),
        "reasons": dict(reasons),
    }
