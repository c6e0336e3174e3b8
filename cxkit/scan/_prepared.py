"""A scan validated once into a folder that lasts, and validated again only when it must.

``cxkit report`` validates a client's folder or glob of exports into the client's output
folder (``.scans/<kind>/``) before its notebooks run, and each notebook opens that folder as
it is (:func:`cxkit.scan`). The next report reuses it while it is current: the same kind,
the same files (path, size and modification time), the same mapping file and time zone, and
the same cxkit version (whose readers validated the rows).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from cxkit._version import __version__
from cxkit.scan._files import export_files
from cxkit.scan._scan import Scan
from cxkit.scan._validate import MANIFEST, file_stamp, same_files

__all__ = ["prepared_scan"]


def prepared_scan(
    source: str | Path,
    kind: str,
    out: Path,
    *,
    mapping=None,
    timezone: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Scan:
    """Give the scan of ``source`` validated into ``out``: reused if current, else validated.

    Parameters
    ----------
    source : str or Path
        A folder of exports or a glob pattern (as :func:`cxkit.scan` takes).
    kind, mapping, timezone
        As for :func:`cxkit.scan`.
    out : Path
        The folder the validated rows live in between reports.
    progress : callable, optional
        Told when the files are validated (it can take minutes for a large export).
    """
    files = export_files(source)
    if _current(out, files, kind, mapping, timezone):
        return Scan.validated(out, kind=kind)
    if progress is not None:
        progress(f"validating the {kind} export: {len(files):,} file(s) into {out}")
    out.mkdir(parents=True, exist_ok=True)
    Scan(files, kind=kind, mapping=mapping, timezone=timezone).validate(out)
    return Scan.validated(out, kind=kind)


def _current(out: Path, files: list[Path], kind: str, mapping, timezone) -> bool:
    """Tell whether ``out`` holds a validation of exactly these files, read the same way."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    path_like = isinstance(mapping, (str, os.PathLike))
    return (
        manifest.get("kind") == kind
        and manifest.get("cxkit") == __version__  # another version's readers: again
        and manifest.get("timezone") == timezone
        and (mapping is None or path_like)
        and manifest.get("mapping_stamp") == (file_stamp(Path(mapping)) if path_like else None)
        and same_files(manifest, files)
    )
