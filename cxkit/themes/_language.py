"""Which language a comment is in, from the function words it uses; negations; stop words.

A comment is English when it holds more of :data:`ENGLISH_MARKERS` than of
:data:`SPANISH_MARKERS`, Spanish when the other way round, and undecided on a tie (for
instance a comment of one or two content words such as "factura incorrecta"): an undecided
comment is matched with the phrases of both languages. The marker lists are short, frequent
function words that belong to one language only ("no", "me" and "a" are in both, so in neither).
Words are in :func:`~cxkit.themes._normalize.tokenize`'s form: lowercase, without accents.
"""

from __future__ import annotations

import numpy as np

from cxkit.themes._normalize import Tokens

__all__ = [
    "ENGLISH_MARKERS",
    "LANGUAGES",
    "NEGATIONS",
    "SPANISH_MARKERS",
    "SPANISH_STOP_WORDS",
    "detect_languages",
]


def _words(text: str) -> frozenset[str]:
    """Return the words of a space-separated list."""
    return frozenset(text.split())


#: The languages a taxonomy has phrases in, and the Snowball stemmer of each.
LANGUAGES = {"en": "english", "es": "spanish"}

ENGLISH_MARKERS = _words(
    "the and is was it to i my of in for with that this they you your have has had but on are "
    "were be been not never dont didnt wasnt isnt doesnt cant wont what when its at from "
    "would could should will just very so an or there their them we our us he she his her "
    "than too after about again only out up off into over because any some all which who how "
    "why where did does do can got get been being"
)
SPANISH_MARKERS = _words(
    "el la los las de del que y en un una es por con para mi mis lo se su sus al muy pero como "
    "mas ya fue hay nunca tengo tiene han ha esta este estoy son era sin ni nos les le porque "
    "cuando todo nada otra otro despues hasta desde sobre tambien veces vez dos tras cada bien "
    "mal aun todavia siempre nadie algo alguien mucho poco tan"
)
#: Simple negations: a phrase with one of these one or two words before it is not a mention.
NEGATIONS = _words(
    "no not never nunca ni sin without dont didnt wasnt isnt doesnt wont cant werent arent "
    "havent hasnt hadnt nor jamas tampoco"
)

#: Spanish stop words for theme discovery (scikit-learn ships English ones only), without
#: accents. Articles, pronouns, prepositions, conjunctions and common auxiliary verb forms.
SPANISH_STOP_WORDS = _words(
    """a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bien cada
    casi como con contra cual cuales cuando de del desde donde dos el ella ellas ello ellos en
    entre era eran eres es esa esas ese eso esos esta estaba estaban estado estais estamos estan
    estar estas este esto estos estoy fue fueron fui ha habia habian han has hasta hay he hemos
    hoy la las le les lo los mas me mi mis mucho muchos muy nada ni no nos nosotros nuestra
    nuestro o os otra otro otros para pero poco por porque que quien quienes se sea ser si sido
    siempre sin sobre solo son soy su sus tambien tan tanto te tenia tengo tiene tienen todo
    todos tu tus un una uno unos usted ustedes vez y ya yo"""
)


def detect_languages(tokens: Tokens, rows: int) -> np.ndarray:
    """Return each text's language: ``"en"``, ``"es"`` or ``""`` (undecided).

    Parameters
    ----------
    tokens : Tokens
        The texts' tokens.
    rows : int
        Number of texts.

    Notes
    -----
    With e_i and s_i the counts of English and Spanish marker words in text i, the text is
    English if e_i > s_i, Spanish if s_i > e_i, undecided otherwise.
    """
    english = np.array([w in ENGLISH_MARKERS for w in tokens.vocabulary], dtype=bool)
    spanish = np.array([w in SPANISH_MARKERS for w in tokens.vocabulary], dtype=bool)
    e = np.bincount(tokens.row[english[tokens.ids]], minlength=rows)
    s = np.bincount(tokens.row[spanish[tokens.ids]], minlength=rows)
    out = np.full(rows, "", dtype=object)
    out[e > s] = "en"
    out[s > e] = "es"
    return out
