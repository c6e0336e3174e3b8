"""Answer labels to scores: the built-in English and Spanish label maps and the label parser.

Survey tools export answers either as numbers or as the text the respondent saw. cxkit reads both:

1. a number (``"9"``, ``"9.0"``, ``"9,0"``) is that score;
2. a label that starts with a number (``"0 - Not at all likely"``, ``"10 - Muy probable"``,
   ``"5: Very satisfied"``) is that number;
3. any other label is looked up, ignoring case, accents and extra spaces, in the label map for
   the column's family and scale length (satisfaction, agreement, ease, quality), merged with the
   mapping file's own ``labels``;
4. "not applicable" answers (``"N/A"``, ``"Don't know"``, ``"No sabe"``, ``"NS/NC"``) are empty;
5. anything else is invalid, and its row is quarantined.

The maps follow the standard wording of the usual verbal scales: satisfaction (CSAT, 5 or 7
points), agreement (CES 2.0 "The company made it easy for me to handle my issue", 5 or 7
points), ease ("very difficult" ... "very easy", 5 or 7 points) and quality ("poor" ...
"excellent", 5 points).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["NOT_APPLICABLE", "builtin_labels", "normalize_label", "parse_label"]


def normalize_label(label: object) -> str:
    """Lower-case ``label``, strip accents and collapse white space.

    >>> normalize_label("  Muy  Fácil ")
    'muy facil'
    """
    text = unicodedata.normalize("NFKD", str(label))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip()


def _scale(*levels: tuple[str, ...]) -> dict[str, int]:
    """Map each label to its level (1..k); each level is a tuple of equivalent labels."""
    return {normalize_label(word): i for i, words in enumerate(levels, 1) for word in words}


_SATISFACTION = {
    5: _scale(
        (
            "very dissatisfied",
            "extremely dissatisfied",
            "muy insatisfecho",
            "muy insatisfecha",
            "nada satisfecho",
            "nada satisfecha",
            "totalmente insatisfecho",
            "totalmente insatisfecha",
        ),
        (
            "dissatisfied",
            "somewhat dissatisfied",
            "insatisfecho",
            "insatisfecha",
            "poco satisfecho",
            "poco satisfecha",
            "algo insatisfecho",
            "algo insatisfecha",
        ),
        (
            "neither satisfied nor dissatisfied",
            "neutral",
            "ni satisfecho ni insatisfecho",
            "ni satisfecha ni insatisfecha",
        ),
        (
            "satisfied",
            "somewhat satisfied",
            "satisfecho",
            "satisfecha",
            "bastante satisfecho",
            "bastante satisfecha",
            "algo satisfecho",
            "algo satisfecha",
        ),
        (
            "very satisfied",
            "extremely satisfied",
            "muy satisfecho",
            "muy satisfecha",
            "totalmente satisfecho",
            "totalmente satisfecha",
        ),
    ),
    7: _scale(
        (
            "completely dissatisfied",
            "extremely dissatisfied",
            "totalmente insatisfecho",
            "totalmente insatisfecha",
        ),
        ("mostly dissatisfied", "very dissatisfied", "muy insatisfecho", "muy insatisfecha"),
        ("somewhat dissatisfied", "algo insatisfecho", "algo insatisfecha"),
        (
            "neither satisfied nor dissatisfied",
            "neutral",
            "ni satisfecho ni insatisfecho",
            "ni satisfecha ni insatisfecha",
        ),
        ("somewhat satisfied", "algo satisfecho", "algo satisfecha"),
        ("mostly satisfied", "very satisfied", "muy satisfecho", "muy satisfecha"),
        (
            "completely satisfied",
            "extremely satisfied",
            "totalmente satisfecho",
            "totalmente satisfecha",
        ),
    ),
}

_AGREEMENT = {
    5: _scale(
        ("strongly disagree", "totalmente en desacuerdo", "muy en desacuerdo"),
        ("disagree", "en desacuerdo"),
        ("neither agree nor disagree", "neutral", "ni de acuerdo ni en desacuerdo"),
        ("agree", "de acuerdo"),
        ("strongly agree", "totalmente de acuerdo", "muy de acuerdo"),
    ),
    7: _scale(
        ("strongly disagree", "totalmente en desacuerdo", "muy en desacuerdo"),
        ("disagree", "en desacuerdo"),
        ("somewhat disagree", "algo en desacuerdo", "parcialmente en desacuerdo"),
        ("neither agree nor disagree", "neutral", "ni de acuerdo ni en desacuerdo"),
        ("somewhat agree", "algo de acuerdo", "parcialmente de acuerdo"),
        ("agree", "de acuerdo"),
        ("strongly agree", "totalmente de acuerdo", "muy de acuerdo"),
    ),
}

_EASE = {
    5: _scale(
        ("very difficult", "muy dificil"),
        ("difficult", "dificil"),
        ("neither easy nor difficult", "ni facil ni dificil"),
        ("easy", "facil"),
        ("very easy", "muy facil"),
    ),
    7: _scale(
        ("very difficult", "extremely difficult", "muy dificil"),
        ("difficult", "dificil"),
        ("somewhat difficult", "algo dificil"),
        ("neither easy nor difficult", "ni facil ni dificil"),
        ("somewhat easy", "algo facil"),
        ("easy", "facil"),
        ("very easy", "extremely easy", "muy facil"),
    ),
}

_QUALITY = {
    5: _scale(
        ("poor", "very poor", "malo", "mala", "muy malo", "muy mala"),
        ("fair", "regular"),
        ("good", "bueno", "buena"),
        ("very good", "muy bueno", "muy buena"),
        ("excellent", "excelente"),
    ),
}

# Only the end points of the 0-10 likelihood scale carry words; the rest are numbers.
# Levels are numbered from 1 like every map here: level 1 is score 0, level 11 is score 10.
_LIKELIHOOD_11 = {
    normalize_label(k): v
    for k, v in {
        "not at all likely": 1,
        "extremely unlikely": 1,
        "nada probable": 1,
        "extremely likely": 11,
        "muy probable": 11,
        "extremadamente probable": 11,
        "totalmente probable": 11,
    }.items()
}

_FAMILIES = {
    "nps": ({11: _LIKELIHOOD_11},),
    "csat": (_SATISFACTION,),
    "ces": (_AGREEMENT, _EASE),
    "rating": (_SATISFACTION, _AGREEMENT, _QUALITY),
}

#: Answers that mean "no answer": they become an empty value, not an error.
NOT_APPLICABLE = frozenset(
    normalize_label(x)
    for x in (
        "n/a",
        "na",
        "n.a.",
        "not applicable",
        "don't know",
        "dont know",
        "prefer not to say",
        "no sabe",
        "no sé",
        "no aplica",
        "ns/nc",
        "nsnc",
        "no contesta",
        "-",
    )
)

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_LEADING_NUMBER = re.compile(r"^(\d{1,2})\s*(?:-|–|—|:|=|\)|\.(?!\d))\s*\S")


def builtin_labels(family: str, low: int, high: int) -> dict[str, int]:
    """Return the built-in label map for a score ``family`` on the scale ``low..high``.

    Parameters
    ----------
    family : {"nps", "csat", "ces", "rating"}
        Which verbal scales apply: likelihood; satisfaction; agreement and ease; or
        satisfaction, agreement and quality.
    low, high : int
        The scale's first and last score (0 and 10 for NPS, 1 and 5 for a 5-point CSAT).

    Returns
    -------
    dict
        Normalized label -> score. Empty when no built-in scale has ``high - low + 1`` levels.
    """
    merged: dict[str, int] = {}
    for maps in _FAMILIES[family]:
        merged.update(maps.get(high - low + 1, {}))
    return {label: level + low - 1 for label, level in merged.items()}


def parse_label(label: object, labels: Mapping[str, int]) -> float | None:
    """Turn one answer into a score.

    Parameters
    ----------
    label : object
        The raw answer.
    labels : mapping
        Normalized label (see :func:`normalize_label`) -> score.

    Returns
    -------
    float or None
        The score; ``nan`` for an empty or not-applicable answer; ``None`` when the answer is
        not a number and no label matches (the caller quarantines the row).

    Examples
    --------
    >>> parse_label("Muy satisfecho", builtin_labels("csat", 1, 5))
    5.0
    >>> parse_label("0 - Not at all likely", {})
    0.0
    """
    text = normalize_label(label)
    if text == "" or text in NOT_APPLICABLE:
        return float("nan")
    if _NUMBER.match(text):
        return float(text.replace(",", "."))
    if text in labels:
        return float(labels[text])
    lead = _LEADING_NUMBER.match(text)
    if lead:
        return float(lead.group(1))
    return None
