"""Label maps in English and Spanish, and the label parser.

Expected scores follow the standard verbal scales named in cxkit/labels.py: level k of a scale
with levels 1..n is score k (0..10 for NPS, whose end points only carry words).
"""

import math

import pytest

from cxkit.io.labels import NOT_APPLICABLE, builtin_labels, normalize_label, parse_label


@pytest.mark.parametrize(
    ("label", "family", "low", "high", "expected"),
    [
        # 5-point satisfaction, English and Spanish, both ends and the middle
        ("Very dissatisfied", "csat", 1, 5, 1),
        ("Neither satisfied nor dissatisfied", "csat", 1, 5, 3),
        ("Very satisfied", "csat", 1, 5, 5),
        ("Muy insatisfecho", "csat", 1, 5, 1),
        ("Ni satisfecho ni insatisfecho", "csat", 1, 5, 3),
        ("Muy satisfecho", "csat", 1, 5, 5),
        ("muy SATISFECHA", "csat", 1, 5, 5),
        # 7-point satisfaction
        ("Completely satisfied", "csat", 1, 7, 7),
        ("Somewhat dissatisfied", "csat", 1, 7, 3),
        # 7-point agreement (CES 2.0) and ease, Spanish without accents too
        ("Strongly agree", "ces", 1, 7, 7),
        ("Somewhat disagree", "ces", 1, 7, 3),
        ("Totalmente de acuerdo", "ces", 1, 7, 7),
        ("Ni de acuerdo ni en desacuerdo", "ces", 1, 7, 4),
        ("Muy fácil", "ces", 1, 7, 7),
        ("muy facil", "ces", 1, 7, 7),
        ("Very difficult", "ces", 1, 5, 1),
        # quality scale for ratings
        ("Excelente", "rating", 1, 5, 5),
        ("Poor", "rating", 1, 5, 1),
        # NPS end-point words
        ("Not at all likely", "nps", 0, 10, 0),
        ("Nada probable", "nps", 0, 10, 0),
        ("Extremely likely", "nps", 0, 10, 10),
        ("Muy probable", "nps", 0, 10, 10),
        # a 0-based rating scale shifts every level by -1
        ("Excellent", "rating", 0, 4, 4),
    ],
)
def test_builtin_labels(label, family, low, high, expected):
    assert parse_label(label, builtin_labels(family, low, high)) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("9", 9),
        ("9.0", 9),
        ("9,0", 9),
        (" 7 ", 7),
        ("0 - Not at all likely", 0),
        ("10 - Extremely likely", 10),
        ("0 - Nada probable", 0),
        ("10 – Muy probable", 10),
        ("5: Very satisfied", 5),
        ("3) Neutral", 3),
    ],
)
def test_numbers_and_leading_numbers(label, expected):
    assert parse_label(label, {}) == expected


@pytest.mark.parametrize("label", ["N/A", "n/a", "No sabe", "NS/NC", "Don't know", "", "  "])
def test_not_applicable_is_empty(label):
    assert math.isnan(parse_label(label, builtin_labels("csat", 1, 5)))


@pytest.mark.parametrize("label", ["Bastante bien", "great", "5 stars", "1.2.3"])
def test_unknown_labels_are_none(label):
    assert parse_label(label, builtin_labels("csat", 1, 5)) is None


def test_fractional_numbers_are_returned_for_the_caller_to_reject():
    assert parse_label("3.5", {}) == 3.5


def test_no_builtin_map_for_unusual_scale_lengths():
    assert builtin_labels("csat", 1, 4) == {}


def test_normalize_label():
    assert normalize_label("  Muy   Fácil ") == "muy facil"
    assert normalize_label("Don’t know") in NOT_APPLICABLE
