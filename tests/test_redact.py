"""Redaction masks in the report's language, in `redact` and in `verbatims`."""

import pandas as pd
import pytest

import cxkit as cx
from cxkit.errors import CxkitError
from cxkit.redact import MASKS
from cxkit.verbatims import verbatims

TEXT = "Llamé al +34 612 345 678 y escribí a ana.perez@example.es el 2026-01-03"


def test_default_masks_are_english():
    assert cx.redact(TEXT) == "Llamé al [phone] y escribí a [email] el 2026-01-03"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Llamé al [phone] y escribí a [email] el 2026-01-03"),
        ("es", "Llamé al [teléfono] y escribí a [correo] el 2026-01-03"),
    ],
)
def test_masks_in_each_language(lang, expected):
    assert cx.redact(TEXT, lang=lang) == expected


def test_masks_table():
    assert MASKS == {
        "en": {"email": "[email]", "phone": "[phone]"},
        "es": {"email": "[correo]", "phone": "[teléfono]"},
    }


def test_series_keeps_missing_values_and_uses_the_language():
    text = pd.Series(["ana@example.com", None, "612 345 678"])
    out = cx.redact(text, lang="es")
    assert out.iloc[0] == "[correo]"
    assert pd.isna(out.iloc[1])
    assert out.iloc[2] == "[teléfono]"


def test_unknown_language_is_refused():
    with pytest.raises(CxkitError, match=r"`lang` must be one of 'en', 'es'; got 'fr'"):
        cx.redact(TEXT, lang="fr")


def _responses():
    return pd.DataFrame(
        {
            "responded_at": pd.to_datetime(["2026-01-05", "2026-01-06"]),
            "nps": [9, 2],
            "comment": ["Escriban a ana@example.com", "Mi número es 612 345 678"],
        }
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Mi número es [phone]", "Escriban a [email]"]),
        ("es", ["Mi número es [teléfono]", "Escriban a [correo]"]),
    ],
)
def test_verbatims_pass_the_language_to_redaction(lang, expected):
    out = verbatims(_responses(), redact=True, lang=lang)
    assert out["comment"].tolist() == expected  # newest first


def test_verbatims_default_is_english_and_unredacted():
    assert verbatims(_responses(), redact=True)["comment"].tolist() == [
        "Mi número es [phone]",
        "Escriban a [email]",
    ]
    assert verbatims(_responses())["comment"].tolist() == [
        "Mi número es 612 345 678",
        "Escriban a ana@example.com",
    ]


def test_verbatims_refuse_an_unknown_language():
    with pytest.raises(CxkitError, match=r"`lang` must be one of 'en', 'es'; got 'pt'"):
        verbatims(_responses(), redact=True, lang="pt")
