"""Exports behind fsspec URLs (``s3://``, ``gs://``, ``abfs://``, ``https://``, ``memory://``).

A scan's source may be a URL of a file, a folder or a glob on any filesystem fsspec knows
(the protocol's package, such as ``s3fs`` for S3, installed beside it). Each file is copied
to a local temporary file while it is validated, then removed: the readers read local files,
and memory stays bounded by one file (or chunk), as for local exports. A file is known by its
size and its modification time, or whatever the store gives instead (an ETag, a creation
time), so a changed file is validated again.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cxkit.errors import DataFileError

__all__ = ["RemoteFile", "is_url", "local_copy", "remote_files", "remote_stamp"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(source: object) -> bool:
    """Tell whether ``source`` is a URL with a protocol (``s3://…``) rather than a path."""
    return isinstance(source, (str, RemoteFile)) and bool(_URL.match(str(source)))


@dataclass(frozen=True, order=True)
class RemoteFile:
    """One export behind a URL: named like a path (``name``, ``suffix``), shown as its URL."""

    url: str

    @property
    def name(self) -> str:
        """The file's name, the URL's last part."""
        return PurePosixPath(self.url.split("://", 1)[1]).name

    @property
    def suffix(self) -> str:
        """The file's suffix (``.csv``), as :class:`pathlib.Path` gives it."""
        return PurePosixPath(self.name).suffix

    def __str__(self) -> str:
        return self.url


def remote_files(url: str, is_export) -> list[RemoteFile]:
    """List the export files a URL names: itself, a folder's files, or a glob's matches."""
    fs, path = _filesystem(url)
    if fs.isfile(path):
        return [RemoteFile(url)]
    if fs.isdir(path):
        found = [f for f in fs.ls(path, detail=True) if f["type"] == "file"]
        names = [f["name"] for f in found]
    else:
        names = [name for name in fs.glob(path) if fs.isfile(name)]
    files = sorted(RemoteFile(fs.unstrip_protocol(name)) for name in names)
    files = [f for f in files if is_export(f)]
    if not files:
        raise DataFileError(
            f"{url!r} names no export file (or nothing at all). Check the URL, the folder or "
            "the pattern, and that this machine may read it."
        )
    return files


def remote_stamp(file: RemoteFile) -> dict[str, object]:
    """Give what identifies a remote file's content cheaply: URL, size, and its version."""
    fs, path = _filesystem(file.url)
    info = fs.info(path)
    version = next(
        (info[k] for k in ("mtime", "LastModified", "last_modified", "ETag", "etag", "created")
         if info.get(k) is not None),
        None,
    )  # fmt: skip
    return {"path": file.url, "size": info.get("size"), "mtime_ns": str(version)}


@contextmanager
def local_copy(file: RemoteFile) -> Iterator[Path]:
    """Copy ``file`` to a temporary local file of the same name; remove it afterwards."""
    fs, path = _filesystem(file.url)
    folder = Path(tempfile.mkdtemp(prefix="cxkit-remote-"))
    try:
        local = folder / file.name
        fs.get_file(path, str(local))
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _filesystem(url: str):
    """Give fsspec's filesystem for ``url`` and the path on it, or say what to install."""
    try:
        import fsspec
    except ImportError:  # pragma: no cover - fsspec is a dependency
        raise DataFileError(f"{url!r}: reading URLs needs fsspec: pip install fsspec.") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as err:
        raise DataFileError(
            f"{url!r} cannot be opened: {str(err).rstrip('.')}. fsspec needs the package for "
            "its protocol (s3fs for s3://, gcsfs for gs://, adlfs for abfs://) installed here."
        ) from None
