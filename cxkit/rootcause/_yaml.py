"""Reading and writing the 5-whys log: a record file (:mod:`cxkit._recordfile`) keyed ``entries``.

Comment lines at the top of the file are kept on save, texts are quoted so that a save then a
load gives back the same entries, and syntax errors name their line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxkit._recordfile import RecordFile, header_of
from cxkit.errors import CxkitError

__all__ = ["RootCauseError", "header_of", "parse_text", "read_text", "write_text"]


class RootCauseError(CxkitError):
    """A 5-whys log cannot be read: missing, not YAML, or not a list of entries."""


LOG_FILE = RecordFile(
    what="5-whys log",
    key="entries",
    error=RootCauseError,
    missing_fix="Check the path, or copy templates/five_whys.yml there and write the client's "
    "investigations in it.",
    shape="- id: ..., opened: ..., problem: ...",
    template="templates/five_whys.yml",
)


def read_text(path: Path) -> str:
    """Return the log's text, or raise :class:`RootCauseError` saying what to do."""
    return LOG_FILE.read_text(path)


def parse_text(text: str, source: str) -> list[Any]:
    """Parse the log's text and return its ``entries`` list (see :meth:`RecordFile.parse_text`)."""
    return LOG_FILE.parse_text(text, source)


def write_text(header: str, entries: list[dict[str, Any]]) -> str:
    """Return the log's text: the header, then ``entries:`` and each entry."""
    return LOG_FILE.write_text(header, entries)
