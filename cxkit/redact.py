"""Mask e-mail addresses and phone numbers in customer-written text."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["redact"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: an optional +, then 9 or more digits with spaces, dots, dashes or brackets
# between them (so dates such as 2025-01-03 and short numbers are left alone).
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){8,}(?![\w])")


def redact(text: str | pd.Series) -> str | pd.Series:
    """Replace e-mail addresses with ``[email]`` and phone numbers with ``[phone]``.

    Examples
    --------
    >>> redact("Call +34 612 345 678 or write to ana@example.com")
    'Call [phone] or write to [email]'
    """
    if isinstance(text, pd.Series):
        return text.map(redact, na_action="ignore")
    if not isinstance(text, str):
        return text
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))
