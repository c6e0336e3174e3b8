"""One item of a record file (a 5-whys entry, a hypothesis): the mapping as written, typed views.

The item keeps the mapping it was read from (keys in the file's order), so saving a file writes
back exactly what was loaded; :class:`RecordItem` gives the typed views every kind of item has,
and each kind adds its own.
"""

from __future__ import annotations

from typing import Any

from cxkit._recordcheck import stage_of

__all__ = ["RecordItem", "lower"]


def lower(value: object) -> str | None:
    """Return a text field stripped and lower-cased; None when it is not text."""
    return value.strip().lower() if isinstance(value, str) else None


class RecordItem:
    """The mapping as written (``data``), and the views shared by every kind of item."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self.data == other.data

    def get(self, key: str, default: object = None) -> object:
        """Return the value written under ``key`` (``default`` when absent)."""
        return self.data.get(key, default)

    @property
    def id(self) -> str | None:
        """The item's id as text, or None when it has none."""
        value = self.data.get("id")
        return None if value is None else str(value)

    @property
    def status(self) -> str | None:
        """The status, lower-cased."""
        return lower(self.data.get("status"))

    @property
    def metric(self) -> str | None:
        """The metric, lower-cased."""
        return lower(self.data.get("metric"))

    @property
    def stage(self) -> str | None:
        """The journey stage (English key), or None when missing or unknown."""
        return stage_of(self.data.get("stage"))
