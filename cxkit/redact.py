"""Mask e-mail addresses and phone numbers in customer-written text."""

from __future__ import annotations

import re

import pandas as pd

from cxkit._checks import check_option

__all__ = ["MASKS", "redact"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: an optional +, then 9 or more digits with spaces, dots, dashes or brackets
# between them (so dates such as 2025-01-03 and short numbers are left alone).
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){8,}(?![\w])")

#: Report language -> what an e-mail address and a phone number are replaced with.
MASKS: dict[str, dict[str, str]] = {
    "en": {"email": "[email]", "phone": "[phone]"},
    "es": {"email": "[correo]", "phone": "[teléfono]"},
}


def redact(text: str | pd.Series, *, lang: str = "en") -> str | pd.Series:
    """Replace e-mail addresses and phone numbers with a mask in the report's language.

    Parameters
    ----------
    text : str or Series
        Customer-written text; a Series is redacted value by value (missing values kept).
    lang : {"en", "es"}
        Language of the masks (:data:`MASKS`): ``[email]``, ``[phone]`` in English;
        ``[correo]``, ``[teléfono]`` in Spanish.

    Returns
    -------
    str or Series
        The same text with each address and number replaced; values that are not text are
        returned unchanged.

    Examples
    --------
    >>> redact("Call +34 612 345 678 or write to ana@example.com")
    'Call [phone] or write to [email]'
    >>> redact("Llame al 612 345 678 o escriba a ana@example.com", lang="es")
    'Llame al [teléfono] o escriba a [correo]'
    """
    masks = MASKS[check_option("lang", lang, MASKS)]
    if isinstance(text, pd.Series):
        return text.map(lambda value: redact(value, lang=lang), na_action="ignore")
    if not isinstance(text, str):
        return text
    return _PHONE.sub(masks["phone"], _EMAIL.sub(masks["email"], text))
