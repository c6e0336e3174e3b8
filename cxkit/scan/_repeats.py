"""Ids repeated across files or chunks: every occurrence after the first goes to quarantine.

The readers quarantine an id repeated within what they read at once; across files (and chunks
of one large file) DuckDB finds the repeats over the written rows, in file then row order
(:func:`cxkit.scan._duck.later_repeats`). Each later occurrence leaves its data part for
``quarantine/part-NNNNN-repeats.parquet`` with reason ``duplicate_id`` and a detail worded as
the readers word it (``appears on an earlier row (first on row R)``, or ``appears in an
earlier file (NAME, row R)``) but with the canonical column name and value, and the file's
counts move from accepted to quarantined. Only accepted rows are compared: an id whose first
occurrence was quarantined for another reason is not a repeat here (the readers, reading a
whole file, count it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxkit.scan._duck import connect, later_repeats
from cxkit.scan._files import parts

__all__ = ["move_later_repeats"]


def move_later_repeats(
    out: Path, files: list[Path], unique: str, entries: list[dict[str, object]]
) -> list[tuple[int, pd.DataFrame]]:
    """Quarantine later occurrences of repeated ``unique`` ids; give each file's moved rows."""
    with connect(out) as con:
        repeats = later_repeats(con, parts(out), unique)
    moved_by_file = []
    for number, found in repeats.groupby("_file"):
        number = int(number)
        first = found.set_index("_row")
        moved = [_move(part, first, files, number, unique) for part in parts(out, number=number)]
        moved = pd.concat(moved, ignore_index=True)
        _recount(entries[number], len(moved))
        moved_by_file.append((number, moved))
    return moved_by_file


def _move(part: Path, first: pd.DataFrame, files: list[Path], number: int, unique: str):
    """Take the repeated rows out of one data part; give them as quarantine rows."""
    data = pd.read_parquet(part)
    moving = data["_row"].isin(first.index)
    if moving.any():
        data[~moving].to_parquet(part, index=False)
    rows = data.loc[moving, "_row"].to_numpy()
    origin = first.loc[rows]
    detail = [
        _detail(unique, value, files, number, int(f), int(r))
        for value, f, r in zip(data.loc[moving, unique], origin["first_file"], origin["first_row"],
                               strict=True)
    ]  # fmt: skip
    values = data[moving].drop(columns=["_file", "_row"])
    quarantine = values.assign(row=rows, reason="duplicate_id", detail=detail)
    return quarantine[["row", "reason", "detail", *values.columns]]


def _detail(unique: str, value, files: list[Path], number: int, file: int, row: int) -> str:
    if file == number:
        return f"{unique}={value!r} appears on an earlier row (first on row {row})"
    return f"{unique}={value!r} appears in an earlier file ({files[file].name}, row {row})"


def _recount(entry: dict[str, object], moved: int) -> None:
    """Move ``moved`` rows of a file's counts from accepted to quarantined."""
    entry["rows_accepted"] -= moved
    entry["rows_quarantined"] += moved
    entry["reasons"]["duplicate_id"] = entry["reasons"].get("duplicate_id", 0) + moved
