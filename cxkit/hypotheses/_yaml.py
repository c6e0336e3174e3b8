"""Reading and writing the register: a record file (:mod:`cxkit._recordfile`) keyed ``hypotheses``.

It is read and written as the 5-whys log is: comment lines at the top come back first on save,
texts are quoted so that a save then a load gives back the same hypotheses, and syntax errors
name their line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxkit._recordfile import RecordFile, header_of
from cxkit.errors import CxkitError

__all__ = ["HypothesisError", "header_of", "parse_text", "read_text", "write_text"]


class HypothesisError(CxkitError):
    """A hypothesis register cannot be read: missing, not YAML, or not a list of hypotheses."""


REGISTER_FILE = RecordFile(
    what="Hypothesis register",
    key="hypotheses",
    error=HypothesisError,
    missing_fix="Check the path, or copy templates/hypotheses.yml there and write the client's "
    "bets in it.",
    shape="- id: ..., strategy: ..., metric: ...",
    template="templates/hypotheses.yml",
)


def read_text(path: Path) -> str:
    """Return the register's text, or raise :class:`HypothesisError` saying what to do."""
    return REGISTER_FILE.read_text(path)


def parse_text(text: str, source: str) -> list[Any]:
    """Parse the register's text and return its ``hypotheses`` list."""
    return REGISTER_FILE.parse_text(text, source)


def write_text(header: str, hypotheses: list[object]) -> str:
    """Return the register's text: the header, then ``hypotheses:`` and each hypothesis."""
    return REGISTER_FILE.write_text(header, hypotheses)
