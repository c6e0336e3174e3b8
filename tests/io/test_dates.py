"""ISO dates are always ISO; the day-first/month-first warning only when it is true (issue 7)."""

import warnings

import pandas as pd
import pytest

from cxkit.errors import AmbiguousDateWarning
from cxkit.io import coerce


def text(values):
    return pd.Series(values, dtype="str")


def test_iso_date_among_day_first_and_month_first_is_read_as_iso():
    """The file of issue 7: 13/04/2026 only fits day-first, 04/13/2026 only month-first.

    2026-04-05 is ISO 8601 whatever the others are. Exactly one of the two slashed values can
    be read (they contradict each other), and the warning must not claim that every value fits
    both orders, because neither does.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values, bad = coerce.to_datetime(text(["13/04/2026", "04/13/2026", "2026-04-05"]))
    assert values.iloc[2] == pd.Timestamp("2026-04-05")
    assert not bad[2]
    # day-first (the default on a tie) reads 13/04/2026 as 13 April; 04/13/2026 cannot be read
    assert values.iloc[0] == pd.Timestamp("2026-04-13")
    assert bad.tolist() == [False, True, False]
    messages = [str(w.message) for w in caught]
    assert not any("every value fits both" in m for m in messages)
    assert any("13/04/2026" in m and "04/13/2026" in m for m in messages)


def test_iso_dates_do_not_hide_a_true_ambiguity():
    """03/04/2026 and 05/06/2026 fit both orders: the warning is true, ISO values still ISO."""
    with pytest.warns(AmbiguousDateWarning, match="every value fits both"):
        values, bad = coerce.to_datetime(text(["03/04/2026", "2026-04-05", "05/06/2026"]))
    assert values.tolist() == [
        pd.Timestamp("2026-04-03"),
        pd.Timestamp("2026-04-05"),
        pd.Timestamp("2026-06-05"),
    ]
    assert not bad.any()


def test_iso_dates_with_one_decisive_day_first_value_warn_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, bad = coerce.to_datetime(text(["2026-04-05 10:00", "13/04/2026", "03/04/2026"]))
    assert values.tolist() == [
        pd.Timestamp("2026-04-05 10:00"),
        pd.Timestamp("2026-04-13"),
        pd.Timestamp("2026-04-03"),
    ]
    assert not bad.any()


def test_reading_the_file_of_issue_7_quarantines_only_the_contradicting_date(write):
    import cxkit as cx

    text = (
        "response_id,responded_at,nps\n"
        "R1,13/04/2026,9\n"  # only day-first
        "R2,04/13/2026,8\n"  # only month-first: contradicts R1
        "R3,2026-04-05,7\n"  # ISO
    )
    with pytest.warns(AmbiguousDateWarning, match=r"mix day-first values"):
        res = cx.read_responses(write("responses.csv", text))
    assert res.data["response_id"].tolist() == ["R1", "R3"]
    assert res.data["responded_at"].tolist() == [
        pd.Timestamp("2026-04-13"),
        pd.Timestamp("2026-04-05"),
    ]
    assert res.quarantine[["row", "reason"]].values.tolist() == [[3, "invalid_date"]]
