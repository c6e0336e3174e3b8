"""Which files a scan reads: one file, every export in a folder, or a glob pattern."""

from __future__ import annotations

import glob
from pathlib import Path

from cxkit.errors import DataFileError
from cxkit.scan._remote import RemoteFile, is_url, remote_files

__all__ = ["EXPORT_SUFFIXES", "export_files", "parts"]

#: The export formats the readers take (Qualtrics exports are CSV or Excel files).
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm")


def export_files(source: str | Path) -> list[Path | RemoteFile]:
    """List the files of ``source``, in name order (the order their rows are numbered in).

    Parameters
    ----------
    source : str or Path
        A file; a folder (its files with an export suffix, not its subfolders); or a glob
        pattern (``exports/2026-*.parquet``, ``**`` for subfolders). Each may also be an
        fsspec URL (``s3://bucket/exports/*.parquet``), whose files are
        :class:`~cxkit.scan._remote.RemoteFile`.

    Raises
    ------
    DataFileError
        When nothing matches, naming what was looked for.
    """
    text = str(source)
    if is_url(text):
        return remote_files(text, _is_export)
    path = Path(text)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and _is_export(p))
        where = f"folder {text!r} has no export files ({', '.join(EXPORT_SUFFIXES)})"
    elif glob.has_magic(text):
        matched = (Path(p) for p in glob.glob(text, recursive=True))
        files = sorted(p for p in matched if p.is_file() and _is_export(p))
        where = f"no export file ({', '.join(EXPORT_SUFFIXES)}) matches {text!r}"
    else:
        raise DataFileError(
            f"{text!r} does not exist. Give a file, a folder of exports or a glob pattern "
            "such as 'exports/*.parquet'."
        )
    if not files:
        raise DataFileError(f"{where}. Check the path, or the pattern's folder and suffix.")
    return files


def _is_export(path: Path) -> bool:
    return path.suffix.lower() in EXPORT_SUFFIXES and not path.name.startswith((".", "~$"))


def parts(folder: Path, kind: str = "data", number: int | None = None) -> list[Path]:
    """List a validated folder's Parquet parts of ``kind`` ("data" or "quarantine"), in order.

    With ``number``, only the parts of that file of the scan (``part-NNNNN-*``).
    """
    pattern = "part-*.parquet" if number is None else f"part-{number:05d}-*.parquet"
    return sorted((folder / kind).glob(pattern))
