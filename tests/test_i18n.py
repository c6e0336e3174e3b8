"""Locale formatting: every number a client reads, in English and Spanish."""

import math

import pandas as pd
import pytest

from cxkit.i18n import change, date_text, interval, number, percent, period_name

NBSP, MINUS = "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (1234.5, "en", 1, "1,234.5"),
        (1234.5, "es", 1, "1.234,5"),
        (-1.64, "en", 1, MINUS + "1.6"),
        (-0.04, "en", 1, "0.0"),  # rounds to zero: no sign
        (math.nan, "es", 1, "–"),
        (2052, "es", 0, "2.052"),
    ],
)
def test_number(value, lang, digits, expected):
    assert number(value, lang, digits) == expected


def test_percent_interval_and_change():
    assert percent(59.63, "en") == "59.6%"
    assert percent(59.63, "es") == "59,6" + NBSP + "%"
    assert interval(24.28, 17.5, 31.06, "en") == "24.3 (17.5–31.1)"
    assert interval(24.28, 17.5, 31.06, "es") == "24,3 (17,5–31,1)"
    assert interval(59.6, 55.3, 64.0, "en", unit="%") == "59.6% (55.3–64.0)"
    assert interval(0.2, math.nan, math.nan, "en") == "0.2"  # no interval for a median
    assert change(-1.59, "en") == MINUS + "1.6" + NBSP + "points"
    assert change(-7.94, "es", unit="pp") == MINUS + "7,9" + NBSP + "p.\u00a0p."
    assert change(0.224, "en", 2, unit="scale") == "+0.22"


def test_period_and_date_names():
    assert period_name("2026-10", "en") == "October 2026"
    assert period_name(pd.Period("2026-10", "M"), "es") == "octubre de 2026"
    assert period_name("2026Q4", "en") == "Q4 2026"
    assert period_name("2026Q4", "es") == "4.º trimestre de 2026"
    assert period_name("2026", "es") == "2026"
    assert period_name("rest", "en") == "rest"
    assert date_text(pd.Timestamp("2026-10-24 13:00"), "es") == "24 oct 2026"


def test_durations_read_in_minutes_under_an_hour():
    from cxkit.i18n import duration

    assert duration(0.2, "en") == "12" + NBSP + "min"  # 0.2 h x 60
    assert duration(0.004, "es") == "0" + NBSP + "min"
    assert duration(25.93, "es") == "25,9" + NBSP + "h"
    assert duration(math.nan, "en") == "–"
