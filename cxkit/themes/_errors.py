"""The error raised by the comment-themes functions."""

from __future__ import annotations

from cxkit.errors import CxkitError

__all__ = ["ThemeError"]


class ThemeError(CxkitError):
    """A theme taxonomy or a themes call is wrong: the message says where and the fix."""
