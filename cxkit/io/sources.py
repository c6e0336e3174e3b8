"""Raw tables from files: format, encoding and separator detection, and exact row numbers.

This module only turns a file into text-valued columns with the spreadsheet row number of each
record (the header is row 1). It never converts or rejects values; :mod:`cxkit.io.coerce` and
:mod:`cxkit.io.validation` do that. Supported sources:

- CSV (and TSV, ``|``-separated): UTF-8 with or without BOM, cp1252/latin-1; separator
  detected among ``, ; <tab> |``; Spanish Excel's ``;`` separator implies decimal commas.
- XLSX (first sheet unless the mapping names one).
- Parquet (only the columns needed; text of few distinct values dictionary-encoded).
- Qualtrics exports (CSV or XLSX) with their three header rows, detected by the ``ImportId``
  row: row 1 holds the column ids, row 2 the question texts, data starts at row 4.
- A pandas DataFrame already in memory.

CSV files are read with Arrow's multi-threaded reader; columns holding few distinct values
(scores, categories) are read dictionary-encoded, which keeps memory near the final frame's size.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from cxkit.errors import DataFileError

__all__ = ["FileInfo", "RawTable", "peek", "read_raw"]

_SAMPLE_BYTES = 1 << 16
_DELIMITERS = ",;\t|"
_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())


@dataclass
class FileInfo:
    """What was detected about a source before reading it."""

    path: str
    format: str
    columns: list[str]
    header_rows: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    #: Qualtrics question text of each column id (empty for other sources).
    questions: dict[str, str] = field(default_factory=dict)
    frame: pd.DataFrame | None = None

    def describe(self) -> dict[str, object]:
        """Return the detected settings as a plain dict, for summaries and JSON."""
        out: dict[str, object] = {"format": self.format, "header_rows": self.header_rows}
        if self.format == "csv":
            out.update(encoding=self.encoding, delimiter=self.delimiter, decimal=self.decimal)
        return out


@dataclass
class RawTable:
    """Raw column values, the row number of each record, and records that could not be split."""

    frame: pd.DataFrame
    rows: np.ndarray
    malformed: pd.DataFrame


def peek(
    source: str | Path | pd.DataFrame,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
) -> FileInfo:
    """Detect the format, header and (for CSV) encoding and separator of ``source``."""
    if isinstance(source, pd.DataFrame):
        return FileInfo(
            "<DataFrame>",
            "dataframe",
            [str(c) for c in source.columns],
            header_rows=0,
            frame=source,
        )
    path = Path(source)
    if not path.exists():
        raise DataFileError(
            f"{str(path)!r}: file not found. Check the path (relative paths start at {Path.cwd()})."
        )
    if path.is_dir():
        raise DataFileError(
            f"{str(path)!r} is a folder; give the path of a CSV, XLSX or Parquet file."
        )
    if path.stat().st_size == 0:
        raise DataFileError(f"{str(path)!r} is empty (0 bytes). Export the data again.")
    fmt = _format(path)
    if fmt == "xlsx":
        return _peek_xlsx(path, sheet)
    if fmt == "parquet":
        return _peek_parquet(path)
    return _peek_csv(path, encoding, delimiter, decimal)


def read_raw(info: FileInfo, columns: dict[str, bool]) -> RawTable:
    """Read the named columns of a peeked source as text.

    Parameters
    ----------
    info : FileInfo
        From :func:`peek`.
    columns : dict
        Client column name -> whether it holds few distinct values (read dictionary-encoded).
    """
    if info.format == "csv":
        return _read_csv(info, columns)
    if info.format == "xlsx":
        return _read_xlsx(info, list(columns))
    if info.format == "parquet":
        frame = _read_parquet(info, columns)
    else:
        frame = info.frame.loc[:, list(columns)].reset_index(drop=True)
        frame.columns = [str(c) for c in frame.columns]
    rows = np.arange(1, len(frame) + 1)
    return RawTable(frame, rows, _no_malformed())


def _format(path: Path) -> str:
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".xls":
        raise DataFileError(
            f"{str(path)!r}: old Excel .xls files are not supported. Save it as .xlsx or CSV "
            "in Excel and read that."
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        return "xlsx"
    if magic == b"PAR1":
        return "parquet"
    return "csv"


def _no_malformed() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series([], dtype="int64"), "detail": pd.Series([], dtype="str")})


def _is_qualtrics(records: list[list[str]]) -> bool:
    return (
        len(records) >= 3
        and bool(records[2])
        and str(records[2][0]).lstrip().startswith('{"ImportId"')
    )


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = str(name).strip() if name is not None else ""
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out


# --------------------------------------------------------------------------------------- CSV
def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(sample) - 4:  # not just a character cut at the sample's end
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return "latin-1"
            return "cp1252"
    return "utf-8"


def _detect_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _peek_csv(
    path: Path, encoding: str | None, delimiter: str | None, decimal: str | None
) -> FileInfo:
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    utf16 = sample.startswith((b"\xff\xfe", b"\xfe\xff"))
    # Binary files are full of NUL bytes; a text export may hold a stray one in a comment.
    if not utf16 and sample.count(b"\x00") > max(8, len(sample) / 1000):
        raise DataFileError(
            f"{str(path)!r} is not a text file (it holds NUL bytes). Export the data as CSV, "
            "XLSX or Parquet."
        )
    if utf16:
        raise DataFileError(
            f"{str(path)!r} is UTF-16 text, which cxkit does not read. Save it again as "
            "CSV UTF-8 (in Excel: Save As > CSV UTF-8)."
        )
    encoding = encoding or _detect_encoding(sample)
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text.strip():
        raise DataFileError(f"{str(path)!r} holds only blank lines. Export the data again.")
    delimiter = delimiter or _detect_delimiter(text)
    try:
        records = list(_first_records(text, delimiter, 3))
    except csv.Error as err:
        raise DataFileError(
            f"{str(path)!r}: the header cannot be read as CSV ({err}). Check that it is a "
            "text export with one header row."
        ) from None
    header = _dedupe(records[0])
    info = FileInfo(
        str(path),
        "csv",
        header,
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal or ("," if delimiter == ";" else "."),
    )
    if _is_qualtrics(records):
        info.header_rows = 3
        info.questions = dict(zip(header, records[1], strict=False))
    return info


def _first_records(text: str, delimiter: str, n: int):
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for _, record in zip(range(n), reader, strict=False):
        yield record


def _read_csv(info: FileInfo, columns: dict[str, bool]) -> RawTable:
    try:
        table, bad = _arrow_csv(info, columns, threads=True)
        if bad:  # only a single-threaded read numbers the rows it could not split
            table, bad = _arrow_csv(info, columns, threads=False)
    except (pa.ArrowInvalid, UnicodeDecodeError) as err:
        if info.encoding == "utf-8" and ("UTF8" in str(err) or isinstance(err, UnicodeDecodeError)):
            info.encoding = "cp1252"
            return _read_csv(info, columns)
        if info.encoding == "cp1252" and isinstance(err, UnicodeDecodeError):
            info.encoding = "latin-1"
            return _read_csv(info, columns)
        raise DataFileError(
            f"{info.path!r}: cannot be read as CSV ({err}). Check that it is a text export "
            "with one header row, or save it again from Excel as CSV UTF-8."
        ) from None
    bad_rows = np.array([n for n, _, _ in bad], dtype="int64")
    total = table.num_rows + len(bad_rows)
    extra = _physical_lines(info.path) - (total + 1)  # lines inside quoted values
    if extra and not _line_breaks_explained(table, extra, info):
        _check_quotes(info)  # some record spans lines that no value read accounts for
    rows = np.setdiff1d(np.arange(2, total + 2), bad_rows, assume_unique=True)
    malformed = pd.DataFrame(
        {"row": bad_rows, "detail": pd.Series([d for _, d, _ in bad], dtype="str")}
    )
    frame = table.to_pandas(split_blocks=True, self_destruct=True)  # frees Arrow columns as it goes
    del table
    pa.default_memory_pool().release_unused()  # hand the freed blocks back to the system
    skip = info.header_rows - 1  # Qualtrics: question text and ImportId rows are records 1 and 2
    if skip:
        frame = frame.iloc[skip:].reset_index(drop=True)
        rows = rows[skip:]
        malformed = malformed[malformed["row"] > info.header_rows].reset_index(drop=True)
    return RawTable(frame, rows, malformed)


def _physical_lines(path: str) -> int:
    """Lines in the file (a last line without a line break counts too), in one fast pass."""
    count, last = 0, b"\n"
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 24), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _line_breaks_explained(table: pa.Table, extra: int, info: FileInfo) -> bool:
    """Whether the values read hold the file's ``extra`` lines, harmlessly.

    True when the line breaks inside the values read number exactly ``extra``, the last record
    holds none (a quote still open at the end of the file would have taken in the lines after
    it), and no value looks like a quote that took in another row's start: none of the lines
    inside a value is a whole row by itself, and the last line inside a value of the file's
    column j (counting from 0) splits into at most j fields (j + 1 would be a row's first j
    fields and the start of its own column j, whose opening quote closed the stray one: the
    two rows would merge into one of the right width). Then every record that spans lines is a value
    quoted over several lines, such as a comment with line breaks, and the file needs no
    line-by-line check. Otherwise :func:`_check_quotes` decides, slowly.
    """
    found, width = 0, len(info.columns)
    for name, column in zip(table.column_names, table.columns, strict=True):
        last = column[-1].as_py() if len(column) else None
        if isinstance(last, str) and "\n" in last:
            return False
        position = info.columns.index(name)
        for chunk in column.chunks:
            coded = pa.types.is_dictionary(chunk.type)
            values = chunk.dictionary if coded else chunk
            broken = values.filter(pc.match_substring(values, "\n")).to_pylist()
            if (coded and broken) or _swallows_rows(broken, info.delimiter, width):
                return False  # (a category quoted over lines: rare, and counted row by row)
            if any(_fields(v.splitlines()[-1], info.delimiter) > position for v in broken):
                return False
            found += sum(value.count("\n") for value in broken)
    return found == extra


def _fields(line: str, delimiter: str) -> int:
    """How many fields ``line`` splits into."""
    return len(next(csv.reader([line], delimiter=delimiter), []))


def _check_quotes(info: FileInfo) -> None:
    """Raise :class:`DataFileError` naming the line where a quote swallows the lines after it.

    Called only when the file has fewer records than lines. A value quoted over several lines
    is fine (a comment with line breaks); a quote that is never closed, or that takes in lines
    which are rows of their own, would silently merge rows, so the file is refused instead.
    """
    width = len(info.columns)
    with open(info.path, encoding=info.encoding, errors="replace", newline="") as fh:
        lines: list[str] = []
        reader = csv.reader(_kept(fh, lines), delimiter=info.delimiter, strict=True)
        start = 1
        while True:
            try:
                record = next(reader, None)
            except csv.Error as err:
                _quote_error(info.path, start, reader.line_num, lines, str(err))
                record = []  # a single-line oddity that Arrow read the same way: go on
            if record is None:
                return
            if reader.line_num > start and _swallows_rows(record, info.delimiter, width):
                _quote_error(info.path, start, reader.line_num, lines, None)
            start = reader.line_num + 1
            lines.clear()


def _kept(fh, lines: list[str]):
    """Yield the lines of ``fh``, keeping those of the current record in ``lines``."""
    for line in fh:
        lines.append(line)
        yield line


def _swallows_rows(record: list[str], delimiter: str, width: int) -> bool:
    """Whether a line inside one of the values (a record's, say) is a whole row by itself."""
    return any(
        _fields(piece, delimiter) >= width
        for value in record
        if "\n" in value
        for piece in value.splitlines()[1:]
    )


def _quote_error(path: str, start: int, end: int, lines: list[str], problem: str | None) -> None:
    """Refuse the record on lines ``start``..``end`` (``problem``: the csv module's complaint).

    A complaint about a single line is left alone: Arrow read that line the same way, and no
    other line was taken in.
    """
    never_closed = problem is not None and "end of data" in problem
    if problem is not None and not never_closed and end == start:
        return
    opened = lines[0].rstrip("\r\n") if lines else ""
    opened = opened if len(opened) <= 80 else opened[:80] + "…"
    if never_closed:
        what = f"is never closed, so the {end - start} line(s) after it would be one value"
    else:
        what = f"runs to line {end}, taking in lines that look like rows of their own"
    raise DataFileError(
        f'{path!r}: line {start} opens a quoted value (") that {what}: {opened}\n'
        f"Fix: close the quote on line {start} (or remove it), or double each quote inside a "
        'quoted value (""), and read the file again.'
    )


def _arrow_csv(info: FileInfo, columns: dict[str, bool], *, threads: bool):
    bad: list[tuple[int | None, str, str]] = []
    width = len(info.columns)

    def on_invalid(row) -> str:
        text = row.text if len(row.text) <= 200 else row.text[:200] + "…"
        detail = f"expected {width} fields, found {row.actual_columns}: {text}"
        bad.append((row.number, detail, row.text))
        return "skip"

    table = pacsv.read_csv(
        info.path,
        read_options=pacsv.ReadOptions(
            use_threads=threads,
            column_names=info.columns,
            skip_rows=1,
            encoding=info.encoding,
            block_size=1 << 24,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=info.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(columns),
            column_types={
                c: _DICTIONARY if few else pa.large_string() for c, few in columns.items()
            },
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    return table, bad


# -------------------------------------------------------------------------------------- XLSX
def _open_sheet(path: Path, sheet: str | int | None):
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for damaged files
        raise DataFileError(
            f"{str(path)!r}: cannot be opened as an Excel workbook ({err}). Open it in Excel "
            "and save it again as .xlsx."
        ) from None
    names = book.sheetnames
    if sheet is None:
        return book, book[names[0]]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return book, book[names[sheet]]
    if sheet in names:
        return book, book[sheet]
    raise DataFileError(
        f"{str(path)!r}: no sheet {sheet!r}; the workbook has {names}. Set `sheet:` in the "
        "mapping to one of them."
    )


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _xlsx_records(path: Path, sheet: str | int | None) -> list[tuple]:
    book, ws = _open_sheet(path, sheet)
    try:
        records = [tuple(_cell_text(v) for v in row) for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    while records and all(v is None for v in records[-1]):
        records.pop()  # Excel's used range often ends in formatted but empty rows
    if not records:
        raise DataFileError(f"{str(path)!r}: the sheet is empty. Check `sheet:` in the mapping.")
    return records


def _peek_xlsx(path: Path, sheet: str | int | None) -> FileInfo:
    records = _xlsx_records(path, sheet)
    header = _dedupe([v or "" for v in records[0]])
    info = FileInfo(str(path), "xlsx", header)
    if _is_qualtrics([[v or "" for v in r] for r in records[:3]]):
        info.header_rows = 3
        info.questions = dict(zip(header, [v or "" for v in records[1]], strict=False))
    info.frame = pd.DataFrame.from_records(
        [r + (None,) * (len(header) - len(r)) for r in records[info.header_rows :]],
        columns=header,
    )
    return info


def _read_xlsx(info: FileInfo, columns: list[str]) -> RawTable:
    frame = info.frame.loc[:, columns].astype("str").where(info.frame.loc[:, columns].notna())
    rows = np.arange(info.header_rows + 1, info.header_rows + 1 + len(frame))
    return RawTable(frame.reset_index(drop=True), rows, _no_malformed())


# ----------------------------------------------------------------------------------- Parquet
def _peek_parquet(path: Path) -> FileInfo:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise DataFileError(
            f"{str(path)!r}: cannot be read as Parquet ({err}). Write the file again."
        ) from None
    return FileInfo(str(path), "parquet", list(schema.names), header_rows=0)


def _read_parquet(info: FileInfo, columns: dict[str, bool]) -> pd.DataFrame:
    """Read only the named columns, one at a time; columns of few distinct values as codes.

    As for CSV, a column of scores or categories arrives as a pandas categorical (its distinct
    values and integer codes), so converting it costs one pass over the codes: text columns
    come dictionary-encoded from Parquet (``read_dictionary``) and float columns (scores as
    ``pd.read_csv`` types them) are dictionary-encoded by Arrow, their values kept exactly.
    Other columns (ids, comments, dates, weights) keep their Parquet types, as
    ``pd.read_parquet`` gives them. Reading column by column (two at a time, in two threads)
    holds only those columns' Arrow tables, so memory stays near the raw frame's own size
    (see benchmarks/RESULTS.md).
    """
    dictionary = [c for c, few in columns.items() if few]

    def read(item: tuple[str, bool]) -> pd.Series:
        file = pq.ParquetFile(info.path, read_dictionary=dictionary)  # one reader per column
        series = _parquet_column(file, *item)
        pa.default_memory_pool().release_unused()  # this thread's freed pages, back to the system
        return series

    with ThreadPoolExecutor(2, thread_name_prefix="cxkit-parquet") as pool:
        series = list(pool.map(read, columns.items()))
    frame = pd.DataFrame(dict(zip(columns, series, strict=True)), copy=False)
    pa.default_memory_pool().release_unused()
    return frame


def _parquet_column(file: pq.ParquetFile, name: str, few: bool) -> pd.Series:
    """One column of ``file`` as pandas; a float column of few distinct values as codes."""
    table = file.read(columns=[name], use_threads=False)
    if _pandas_dtype_stored(table, name):  # e.g. Int8, boolean: pandas' metadata restores it
        return table.to_pandas(self_destruct=True)[name].reset_index(drop=True)
    column = table.column(0)
    del table
    if few and pa.types.is_floating(column.type):
        try:  # exact values; pandas codes as narrow as they fit
            return column.dictionary_encode().to_pandas()
        except (ValueError, NotImplementedError):  # NaN as a value, -0.0 beside 0.0, float16:
            pass  # no categorical for those; the floats as they are, as before
    return column.to_pandas()


def _pandas_dtype_stored(table: pa.Table, name: str) -> bool:
    """Whether pandas wrote ``name`` from one of its own dtypes (``Int8``, ``Float64``, ...).

    Those the pandas metadata restores; a NumPy dtype or text needs nothing from it, and is
    converted straight from the column (the metadata's reading costs about 30 ms a column).
    """
    meta = table.schema.pandas_metadata or {}
    column = next((c for c in meta.get("columns", ()) if c.get("name") == name), {})
    stored = column.get("numpy_type")
    if stored in (None, "object", "str"):
        return False
    try:
        np.dtype(stored)
    except TypeError:
        return True
    return False
