"""Column converters: each returns converted values and masks of what failed, row by row."""

import datetime
import warnings

import numpy as np
import pandas as pd
import pytest

from cxkit.errors import AmbiguousDateWarning
from cxkit.io import coerce
from cxkit.io.labels import builtin_labels


def text(values):
    return pd.Series(values, dtype="str")


@pytest.mark.parametrize("as_category", [False, True])
def test_to_score(as_category):
    raw = text(["9", "10 - Extremely likely", "Nada probable", "11", "bien", "7.5", None, "N/A"])
    if as_category:
        raw = raw.astype("category")
    values, invalid, out = coerce.to_score(raw, 0, 10, builtin_labels("nps", 0, 10))
    assert values.tolist() == [9, 10, 0, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    assert str(values.dtype) == "Int8"
    assert invalid.tolist() == [False, False, False, False, True, True, False, False]
    assert out.tolist() == [False, False, False, True, False, False, False, False]


def test_to_score_numeric_input():
    values, invalid, out = coerce.to_score(pd.Series([1.0, 5.0, 6.0, np.nan, 2.5]), 1, 5, {})
    assert values.tolist() == [1, 5, pd.NA, pd.NA, pd.NA]
    assert invalid.tolist() == [False, False, False, False, True]
    assert out.tolist() == [False, False, True, False, False]


def test_to_score_codes_of_numbers_as_the_numbers():
    """A float column read as codes of its distinct values (Parquet) scores as the floats do."""
    floats = pd.Series([9.0, 7.5, 11.0, np.nan, 10.0, 9.0, -np.inf])
    coded = coerce.to_score(floats.astype("category"), 0, 10, {})
    assert coded[0].tolist() == [9, pd.NA, pd.NA, pd.NA, 10, 9, pd.NA]
    assert coded[1].tolist() == [False, True, False, False, False, False, True]  # 7.5, -inf
    assert coded[2].tolist() == [False, False, True, False, False, False, False]  # 11
    plain = coerce.to_score(floats, 0, 10, {})
    pd.testing.assert_series_equal(coded[0], plain[0])
    for a, b in zip(coded[1:], plain[1:], strict=True):
        np.testing.assert_array_equal(a, b)


def test_to_category_strips_and_recodes():
    values = coerce.to_category(text([" Chat", "Chat", "PYME", None, " "]), {"pyme": "Pymes"})
    assert values.astype("object").where(values.notna(), None).tolist() == [
        "Chat",
        "Chat",
        "Pymes",
        None,
        None,
    ]
    assert list(values.cat.categories) == ["Chat", "Pymes"]


def test_to_stage_english_spanish_and_recode():
    values, bad = coerce.to_stage(
        text(["Atracción", "adopt", "Avance", "Descubrir", "foo", None]), {"descubrir": "attract"}
    )
    assert values.astype("object").where(values.notna(), None).tolist() == [
        "attract",
        "adopt",
        "advance",
        "attract",
        None,
        None,
    ]
    assert bad.tolist() == [False, False, False, False, True, False]
    assert values.dtype.ordered


def test_to_flag():
    values, bad = coerce.to_flag(text(["Sí", "no", "TRUE", "0", "maybe", None]))
    assert values.tolist() == [True, False, True, False, pd.NA, pd.NA]
    assert bad.tolist() == [False, False, False, False, True, False]


def test_to_id():
    values, missing = coerce.to_id(text([" a", "b", None, ""]))
    assert values.tolist()[:2] == ["a", "b"]
    assert missing.tolist() == [False, False, True, True]
    values, _ = coerce.to_id(pd.Series([101.0, 102.0, np.nan]))
    assert values.tolist()[:2] == ["101", "102"]


def test_to_id_without_outer_spaces_shares_the_raw_text():
    """Nothing to trim: the canonical ids are the raw column's Arrow strings, not a copy."""
    raw = text(["R1", "R2", None, "R 3"])  # an inner space is kept, and needs no copy
    values, _ = coerce.to_id(raw)
    assert values.tolist()[:2] == ["R1", "R2"] and values.iloc[3] == "R 3"
    assert coerce.arrow_text(values).chunk(0).buffers()[2].address == (
        coerce.arrow_text(raw).chunk(0).buffers()[2].address
    )
    trimmed, _ = coerce.to_id(text(["R1", "R2\u00a0"]))  # a no-break space at the end: trimmed
    assert trimmed.tolist() == ["R1", "R2"]
    # any Unicode white space, whatever the other ids hold: "C1\u00a0" is "C1", a lone
    # no-break space is no id (before, only when another id had ASCII padding)
    values, missing = coerce.to_id(text(["\u00a0", "C1\u3000", "C1"]))
    assert missing.tolist() == [True, False, False] and values.tolist()[1:] == ["C1", "C1"]


@pytest.mark.parametrize(
    ("decimal", "raw", "expected", "bad"),
    [
        # decimal comma (Spanish Excel): "1.234,5" is 1234.5, "4,5" is 4.5, "€12,50" is 12.5
        (
            ",",
            ["1.234,5", "4,5", "x", "-3", None, "€12,50", "1.5"],
            [1234.5, 4.5, None, -3.0, None, 12.5, 1.5],
            [False, False, True, False, False, False, False],
        ),
        # decimal point: "1,234.5" is 1234.5, but "4,5" is rejected rather than read as 45
        (
            ".",
            ["1,234.5", "4,5", "x", "-3", None, "inf"],
            [1234.5, None, None, -3.0, None, None],
            [False, True, True, False, False, True],
        ),
    ],
)
def test_to_number(decimal, raw, expected, bad):
    values, mask = coerce.to_number(text(raw), decimal)
    assert [None if np.isnan(v) else v for v in values] == expected
    assert mask.tolist() == bad


def test_to_count():
    values, bad = coerce.to_count(text(["1", "3", "0", "1.5", "x", None]))
    assert values.tolist() == [1, 3, pd.NA, pd.NA, pd.NA, pd.NA]
    assert bad.tolist() == [False, False, True, True, True, False]


def test_dates_iso_with_zone_and_without():
    values, bad = coerce.to_datetime(
        text(["2025-03-04", "2025-03-04T10:00:00Z", "2025-03-04 12:00:00+02:00"])
    )
    assert values.tolist() == [
        pd.Timestamp("2025-03-04"),
        pd.Timestamp("2025-03-04 10:00"),
        pd.Timestamp("2025-03-04 10:00"),
    ]
    assert not bad.any()


def test_dates_day_first_decided_by_a_day_above_12():
    values, bad = coerce.to_datetime(text(["03/04/2025", "13/04/2025 10:00", "bad", None]))
    assert values.tolist()[:2] == [pd.Timestamp("2025-04-03"), pd.Timestamp("2025-04-13 10:00")]
    assert bad.tolist() == [False, False, True, False]


def test_dates_month_first_decided_by_a_day_above_12():
    values, _ = coerce.to_datetime(text(["03/04/2025", "04/13/2025"]))
    assert values.tolist() == [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-13")]


def test_ambiguous_dates_warn_unless_told():
    with pytest.warns(AmbiguousDateWarning, match=r"could be day-first or month-first"):
        values, _ = coerce.to_datetime(text(["03/04/2025", "01/02/2025"]))
    assert values.iloc[0] == pd.Timestamp("2025-04-03")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, _ = coerce.to_datetime(text(["03/04/2025", "01/02/2025"]), dayfirst=False)
    assert values.iloc[0] == pd.Timestamp("2025-03-04")


def test_explicit_date_format():
    values, bad = coerce.to_datetime(text(["2025|03|04", "nope"]), fmt="%Y|%m|%d")
    assert values.iloc[0] == pd.Timestamp("2025-03-04")
    assert bad.tolist() == [False, True]


def test_datetime_input_keeps_its_wall_time_or_converts_to_the_client_zone():
    raw = pd.Series(pd.to_datetime(["2025-01-01 10:00"]).tz_localize("Europe/Madrid"))
    values, bad = coerce.to_datetime(raw)  # no client zone: the values' own zone
    assert values.iloc[0] == pd.Timestamp("2025-01-01 10:00")
    assert not bad.any()
    values, _ = coerce.to_datetime(raw, timezone=datetime.UTC)  # Madrid is UTC+1 in January
    assert values.iloc[0] == pd.Timestamp("2025-01-01 09:00")


def test_repeated_marks_later_appearances_across_chunks():
    import pyarrow as pa

    chunks = pa.chunked_array(
        [
            pa.array(["a", "b"], pa.large_string()),
            pa.array(["c", "a", None, "b", None], pa.large_string()),
        ]
    )
    ids = coerce.text_series(chunks, pd.RangeIndex(7))
    # "a" first at position 0, again at 3; "b" first at 1, again at 5; nulls never repeat
    mask, first = coerce.repeated(ids)
    assert mask.tolist() == [False, False, False, True, False, True, False]
    assert first == {3: 0, 5: 1}
    mask, first = coerce.repeated(pd.Series([], dtype="str"))
    assert mask.tolist() == [] and first == {}


def test_repeated_points_every_later_appearance_at_the_first():
    # "x" on positions 1, 4, 6 and 7; "y" on 0 and 5; "z" once
    ids = text(["y", "x", "z", None, "x", "y", "x", "x"])
    mask, first = coerce.repeated(ids)
    assert mask.tolist() == [False, False, False, False, True, True, True, True]
    assert first == {4: 1, 5: 0, 6: 1, 7: 1}
    mask, first = coerce.repeated(text(["a", "b", "c"]))
    assert not mask.any() and first == {}
