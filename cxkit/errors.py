"""Exceptions and warnings raised by cxkit.

Every error cxkit raises derives from :class:`CxkitError`, so a caller can catch the package's
errors in one clause. Messages follow one shape: what was expected, what was found (with file,
column and row numbers where they apply), and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousDateWarning",
    "CxkitError",
    "CxkitWarning",
    "DataFileError",
    "MappingError",
]


class CxkitError(Exception):
    """Base class of every error raised by cxkit."""


class DataFileError(CxkitError):
    """A data file cannot be used at all: missing, unreadable, empty or lacking a required column.

    Bad *rows* never raise this error; they go to the reader's quarantine instead.

    Attributes
    ----------
    result : ReadResult or None
        When every row was quarantined ("no usable rows"), the read's result, so that the
        quarantine can still be inspected or written; otherwise ``None``.
    """

    def __init__(self, message: str, *, result: object = None) -> None:
        super().__init__(message)
        self.result = result


class MappingError(CxkitError):
    """A column-mapping file (or dictionary) is malformed: unknown keys, wrong types or values."""


class CxkitWarning(UserWarning):
    """Base class of cxkit's warnings, so they can be filtered in one place."""


class AmbiguousDateWarning(CxkitWarning):
    """Dates such as 03/04/2025 could be read day-first or month-first and nothing decided it."""
