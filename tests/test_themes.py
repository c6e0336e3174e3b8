"""Theme taxonomy files and phrase matching (cxkit.themes): accents, stems, prefixes, negation."""

import re
from pathlib import Path

import pandas as pd
import pytest
import snowballstemmer

from cxkit.errors import CxkitError
from cxkit.themes import Taxonomy, ThemeError, load_taxonomy, themes
from cxkit.themes._normalize import normalize_words

ROOT = Path(__file__).resolve().parents[1]

TAXONOMY = {
    "themes": {
        "billing": {
            "label": {"en": "Billing errors", "es": "Errores de facturación"},
            "en": ["charged twice", "wrong invoice", "overcharg*", "bill"],
            "es": ["cobro doble", "factura incorrecta", "me cobraron de más"],
        },
        "delivery": {
            "label": {"en": "Late delivery", "es": "Entrega tardía"},
            "en": ["arrived late"],
            "es": ["llegó tarde"],
        },
    }
}


def tagged(comments, lang="auto", taxonomy=TAXONOMY):
    data = pd.DataFrame({"comment": comments})
    return themes(data, taxonomy=taxonomy, score=None, lang=lang).tags


def test_the_stems_the_expectations_rely_on():
    # what Snowball really gives (snowballstemmer): the matching tests below depend on these
    es = snowballstemmer.stemmer("spanish")
    en = snowballstemmer.stemmer("english")
    assert es.stemWords(["cobro", "cobraron", "cobros"]) == ["cobr", "cobr", "cobr"]
    assert es.stemWords(["factura", "facturas", "incorrecta", "incorrectas"]) == [
        "factur",
        "factur",
        "incorrect",
        "incorrect",
    ]
    assert en.stemWords(["invoice", "invoices", "invoiced"]) == ["invoic"] * 3
    assert en.stemWords(["bill", "bills", "billion"]) == ["bill", "bill", "billion"]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Error en la facturación: factura incorrecta", True),
        ("FACTURA INCORRECTA otra vez", True),  # case
        ("factura incorrécta", True),  # accents in the comment that the phrase lacks
        ("Me llegaron dos facturas incorrectas", True),  # plural: factur + incorrect stems
        ("me cobraron doble este mes", True),  # cobraron/cobro -> cobr, doble -> dobl
        ("Me cobraron de MAS en la factura", True),  # "más" without its accent
        ("No me cobraron de más, todo bien", False),  # negation just before the phrase
        ("No hubo cobro doble", False),  # negation two words before
        ("They sent the wrong invoices", True),  # plural
        ("I was charged twice!", True),
        ("I was never charged twice", False),
        ("I wasn't charged twice", False),  # wasn't -> wasnt, a negation
        ("I don't think they overcharged me", True),  # negation three words before: counts
        ("Overcharged again", True),  # prefix
        ("They keep overcharging", True),
        ("a billion thanks", False),  # word boundary: bill vs billion
        ("The bills are confusing", True),  # bill -> bills by stem
        ("wrong, invoice", True),  # a comma between the words does not matter
        ("wrong - invoice", True),
        ("Something went wrong. Invoice fine", False),  # a sentence end does
        ("no problems at all. Charged twice though", True),  # negation in another sentence
        ("great service", False),
    ],
)
def test_billing_phrases_match(comment, expected):
    assert bool(tagged([comment])["billing"].iloc[0]) is expected


def test_comments_and_phrases_are_normalized_the_same_way():
    # decomposed accents (e + U+0301), capitals, straight and curly apostrophes, emoji
    assert normalize_words("Facturacio\u0301n, DON'T wasn’t 😀 Ñandú") == [
        "facturacion",
        "dont",
        "wasnt",
        "nandu",
    ]
    assert tagged(["FACTURA INCORRECTA"])["billing"].iloc[0]


def test_tags_are_indexed_like_the_input_rows():
    data = pd.DataFrame({"comment": ["charged twice", None, "llegó tarde"]}, index=[10, 20, 30])
    tags = themes(data, taxonomy=TAXONOMY, score=None).tags
    assert list(tags.index) == [10, 20, 30]
    assert list(tags.columns) == ["billing", "delivery"]
    assert tags["billing"].tolist() == [True, False, False]
    assert tags["delivery"].tolist() == [False, False, True]


def test_mixed_languages_with_auto_detection():
    comments = [
        "The package arrived late and the driver was rude",  # English: "the", "and", "was"
        "El paquete llegó tarde y el repartidor fue grosero",  # Spanish: "el", "y", "fue"
        "llegó tarde",  # undecided: both languages' phrases apply
    ]
    result = themes(pd.DataFrame({"comment": comments}), taxonomy=TAXONOMY, score=None)
    assert result.languages.tolist() == ["en", "es", ""]
    assert result.tags["delivery"].tolist() == [True, True, True]


def test_a_fixed_language_applies_only_its_phrases():
    comments = ["factura incorrecta", "wrong invoice"]
    assert tagged(comments, lang="en")["billing"].tolist() == [False, True]
    assert tagged(comments, lang="es")["billing"].tolist() == [True, False]


def test_english_phrases_do_not_match_spanish_comments_in_auto_mode():
    # "bill" is an English phrase; a clearly Spanish comment is matched with Spanish phrases only
    assert not tagged(["el bill de la luz es muy caro"])["billing"].iloc[0]


def test_taxonomy_from_a_file_and_labels(tmp_path):
    taxonomy = load_taxonomy(ROOT / "templates" / "themes.yml")
    assert taxonomy.keys[0] == "billing"
    assert taxonomy.label("billing", "es") == "Errores de facturación"
    assert taxonomy.label("billing", "en") == "Billing errors"
    with pytest.raises(ThemeError, match="no theme 'nope'"):
        taxonomy.label("nope")
    with pytest.raises(CxkitError, match="`lang` must be one of 'en', 'es'"):
        taxonomy.label("billing", "fr")


def test_the_template_tags_its_own_examples():
    taxonomy = load_taxonomy(ROOT / "templates" / "themes.yml")
    comments = [
        "The app crashed twice today",
        "La app se cierra sola",
        "El personal fue muy atento",
        "The staff was not friendly",
        "I told my friends about you",  # "friendly*" is a prefix: "friends" is not friendly
    ]
    tags = themes(pd.DataFrame({"comment": comments}), taxonomy=taxonomy, score=None).tags
    assert tags["app_problems"].tolist() == [True, True, False, False, False]
    assert tags["staff_friendly"].tolist() == [False, False, True, False, False]


def bad(write, text):
    with pytest.raises(ThemeError) as info:
        load_taxonomy(write("themes.yml", text))
    return str(info.value)


def test_theme_errors_are_cxkit_errors():
    assert issubclass(ThemeError, CxkitError)


def test_yaml_syntax_errors_name_line_and_column(write):
    message = bad(write, "themes:\n  billing:\n    label: {en: Billing\n    en: [x]\n")
    # the flow mapping opened on line 3 is never closed; PyYAML stops at line 4, column 7
    assert "is not valid YAML at line 4, column 7" in message, message


def test_a_missing_file_names_the_path(tmp_path):
    with pytest.raises(ThemeError, match=r"nope\.yml' does not exist.*templates/themes.yml"):
        load_taxonomy(tmp_path / "nope.yml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("other: {}\n", r"expected one top-level key, `themes:`.*found the key\(s\) \['other'\]"),
        (
            "themes:\n  billing:\n    label: {en: B, es: F}\n    en: [x]\n    phrases: [y]\n",
            r"theme 'billing': unknown key\(s\) \['phrases'\]; allowed keys are",
        ),
        ("themes:\n  billing:\n    en: [x]\n", r"theme 'billing' has no `label`; add one"),
        (
            "themes:\n  billing:\n    label: {en: Billing}\n    en: [x]\n",
            r"theme 'billing': `label` is missing in 'es'",
        ),
        (
            "themes:\n  billing:\n    label: Billing\n    en: [x]\n",
            r"theme 'billing': `label` must give both languages; found the str 'Billing'",
        ),
        (
            "themes:\n  billing:\n    label: {en: B, es: F}\n",
            r"theme 'billing' has no phrases; add `en: \[...\]`",
        ),
        (
            "themes:\n  billing:\n    label: {en: B, es: F}\n    en: ['']\n",
            r"theme 'billing': `en` phrase 1 \(''\) has no word to match",
        ),
        (
            "themes:\n  billing:\n    label: {en: B, es: F}\n    es: ['ok', '*']\n",
            r"theme 'billing': `es` phrase 2 \('\*'\) has no word to match",
        ),
        (
            "themes:\n  billing:\n    label: {en: B, es: F}\n    en: charged twice\n",
            r"theme 'billing': `en` must be a list of phrases; found the str 'charged twice'",
        ),
        (
            "themes:\n  late delivery:\n    label: {en: B, es: F}\n    en: [late]\n",
            r"theme 'late delivery': a theme key must start with a letter",
        ),
    ],
)
def test_taxonomy_problems_name_file_theme_field_and_fix(write, text, expected):
    message = bad(write, text)
    assert "themes.yml" in message
    assert "templates/themes.yml" in message  # where to look for a correct example
    assert re.search(expected, message), message


def test_every_problem_is_reported_at_once(write):
    message = bad(
        write,
        "themes:\n  a:\n    label: {en: A}\n    en: ['*']\n  b:\n    label: {en: B, es: B}\n",
    )
    assert "3 problem(s)" in message
    assert "theme 'a'" in message and "theme 'b'" in message


def test_taxonomy_argument_forms(write):
    path = write("themes.yml", "themes:\n  billing:\n    label: {en: B, es: F}\n    en: [bill]\n")
    data = pd.DataFrame({"comment": ["the bill"]})
    for taxonomy in (path, str(path), load_taxonomy(path), Taxonomy.from_dict(TAXONOMY)):
        assert themes(data, taxonomy=taxonomy, score=None).tags["billing"].iloc[0]
    with pytest.raises(ThemeError, match="`taxonomy` must be a Taxonomy"):
        themes(data, taxonomy=42, score=None)
    with pytest.raises(ThemeError, match="`taxonomy` is None and `discover` is 0"):
        themes(data, score=None)
