"""One file's rows through the readers: whole, or a large Parquet file a chunk at a time.

A Parquet file of more than :data:`CHUNK_ROWS` rows is read a row group at a time (a larger
group in batches of that many rows), each chunk through the readers as a frame
(:func:`cxkit.io.readers.read_table_rows`, with the rows before it as ``row_offset`` so that
rows keep their numbers in the file) and with the file's own mapping (the one given, else the
one beside the file). Ids repeated across chunks are found later with those of other files
(:mod:`cxkit.scan._repeats`). Other files are read whole, as the readers read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cxkit.errors import DataFileError
from cxkit.io.mapping import load_mapping
from cxkit.io.readers import read_table_rows
from cxkit.io.result import ReadResult

__all__ = ["CHUNK_ROWS", "file_reads"]

#: Rows of a Parquet file validated at a time (memory: about this many rows of the file).
CHUNK_ROWS = 1_000_000
_PARQUET = (".parquet", ".pq")


def file_reads(
    path: Path, kind: str, mapping=None, timezone: str | None = None
) -> Iterator[tuple[ReadResult, np.ndarray]]:
    """Yield each chunk's read result and the file row numbers of its accepted rows."""
    if path.suffix.lower() not in _PARQUET or (_parquet_rows(path) or 0) <= CHUNK_ROWS:
        yield _read(path, path, kind, mapping, timezone, 0)
        return
    spec = load_mapping(mapping, path)
    offset = 0
    for table in _row_groups(pq.ParquetFile(path, pre_buffer=False)):
        frame = table.to_pandas()
        yield _read(frame, path, kind, spec, timezone, offset)
        offset += len(frame)


def _parquet_rows(path: Path) -> int | None:
    """Give a Parquet file's rows from its footer; None when it cannot be opened.

    (The readers then read it, and their error says what is wrong with it.)
    """
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowException):
        return None


def _row_groups(parquet: pq.ParquetFile) -> Iterator[object]:
    """Yield the file's rows a row group at a time, a large group in pieces of CHUNK_ROWS.

    Whole row groups, not ``iter_batches`` over the file: that kept about one row group's
    memory for every batch read (pyarrow 26: 300M rows in 1M-row batches grew to 8 GB).
    """
    for group in range(parquet.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        if rows == 0:  # an empty row group holds no record
            continue
        if rows <= CHUNK_ROWS:
            yield parquet.read_row_group(group)
        else:
            yield from parquet.iter_batches(batch_size=CHUNK_ROWS, row_groups=[group])


def _read(source, path: Path, kind, mapping, timezone, offset) -> tuple[ReadResult, np.ndarray]:
    """Read through the readers; a chunk with no usable rows still gives its quarantine."""
    try:
        return read_table_rows(source, kind, mapping=mapping, timezone=timezone, row_offset=offset)
    except DataFileError as err:
        if err.result is not None:
            return err.result, np.zeros(0, dtype="int64")
        if source is path:  # the reader named the file
            raise
        raise DataFileError(f"{str(path)!r}, rows from {offset + 1:,}: {err}") from None
