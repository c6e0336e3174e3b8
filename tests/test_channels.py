"""Tests of cxkit.channels: chi-square, Cramér's V and adjusted residuals against references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import Table

from cxkit.channels import channel_preferences
from cxkit.errors import CxkitError


def _rows(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    """One row per unit from a dict of (segment, channel) -> count."""
    pairs = [key for key, n in counts.items() for _ in range(n)]
    return pd.DataFrame(pairs, columns=["segment", "channel"])


#: Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5: party
#: identification by gender (General Social Survey 2000), with the adjusted standardized
#: residuals of Table 2.5 (4.50, 0.70, -5.32) and X² = 30.07 on 2 df (sections 2.4.3-2.4.5).
AGRESTI = {
    ("Female", "Democrat"): 762,
    ("Female", "Independent"): 327,
    ("Female", "Republican"): 468,
    ("Male", "Democrat"): 484,
    ("Male", "Independent"): 239,
    ("Male", "Republican"): 477,
}
AGRESTI_RESIDUALS = {
    ("Female", "Democrat"): 4.50,
    ("Female", "Independent"): 0.70,
    ("Female", "Republican"): -5.32,
    ("Male", "Democrat"): -4.50,
    ("Male", "Independent"): -0.70,
    ("Male", "Republican"): 5.32,
}


def test_agresti_party_by_gender_matches_published_values():
    result = channel_preferences(_rows(AGRESTI))
    assert result.test.chi2 == pytest.approx(30.07, abs=0.005)  # published, two decimals
    assert result.test.dof == 2
    table = result.table.set_index(["segment", "channel"])
    for key, published in AGRESTI_RESIDUALS.items():
        assert table.loc[key, "residual"] == pytest.approx(published, abs=0.01)


def test_agrees_with_scipy_and_statsmodels_on_a_hand_made_table():
    observed = np.array([[20, 5, 10], [8, 12, 30], [2, 9, 4]])
    segments, channels = ["A", "B", "C"], ["App", "Phone", "Web"]
    counts = {
        (s, c): int(observed[i, j]) for i, s in enumerate(segments) for j, c in enumerate(channels)
    }
    result = channel_preferences(_rows(counts))
    chi2, p, dof, expected = stats.chi2_contingency(observed, correction=False)
    assert result.test.chi2 == pytest.approx(chi2)
    assert result.test.p_value == pytest.approx(p)
    assert result.test.dof == dof == 4
    n = observed.sum()
    assert result.test.n == n
    assert result.test.cramers_v == pytest.approx(np.sqrt(chi2 / (n * 2)))
    # The adjusted residual by its formula (Agresti 2007, 2.4.5), and statsmodels' value.
    rows, cols = observed.sum(1, keepdims=True) / n, observed.sum(0, keepdims=True) / n
    by_formula = (observed - expected) / np.sqrt(expected * (1 - rows) * (1 - cols))
    table = result.table
    assert np.allclose(table["residual"], by_formula.ravel())
    assert np.allclose(
        table["residual"], Table(observed, shift_zeros=False).standardized_resids.ravel()
    )
    assert np.allclose(table["expected"], expected.ravel())
    assert np.allclose(table["share"], (100 * observed / observed.sum(1, keepdims=True)).ravel())


def test_flags_use_the_bonferroni_cut_and_small_expected_counts_get_a_note():
    observed = {("A", "App"): 20, ("A", "Web"): 2, ("B", "App"): 3, ("B", "Web"): 25}
    result = channel_preferences(_rows(observed))
    assert result.cut == pytest.approx(stats.norm.ppf(1 - 0.05 / 8))  # 4 cells
    table = result.table.set_index(["segment", "channel"])
    assert table.loc[("A", "App"), "flag"] == "over"
    assert table.loc[("A", "Web"), "flag"] == "under"
    small = pd.DataFrame({"segment": list("AAB"), "channel": ["x", "y", "x"]})
    result = channel_preferences(small)
    assert result.table["small_expected"].all()
    assert any("expected count below 5" in note for note in result.notes)


def test_weights_are_rescaled_to_the_row_count():
    frame = pd.DataFrame(
        {"segment": list("AABB"), "channel": list("xyxy"), "weight": [1.0, 3.0, 2.0, 2.0]}
    )
    result = channel_preferences(frame, weight="weight")
    # Weights sum to 8 over 4 rows: each is halved, so A has 0.5 and 1.5.
    table = result.table.set_index(["segment", "channel"])
    assert table.loc[("A", "x"), "n"] == pytest.approx(0.5)
    assert table.loc[("A", "x"), "share"] == pytest.approx(25.0)
    assert result.test.n == pytest.approx(4.0)


def test_one_segment_gives_shares_and_a_note_not_a_crash():
    frame = pd.DataFrame({"segment": ["A"] * 3, "channel": ["x", "y", "y"]})
    result = channel_preferences(frame)
    assert np.isnan(result.test.p_value)
    assert "at least two" in result.notes[-1]
    assert "ChannelPreferences" in repr(result)


def test_missing_values_are_counted_not_dropped_silently():
    frame = _rows({("A", "x"): 5, ("A", "y"): 5, ("B", "x"): 5, ("B", "y"): 5})
    frame.loc[0, "channel"] = None
    result = channel_preferences(frame)
    assert result.test.n == 19
    assert "1 row(s)" in result.notes[0]


def test_bad_input_names_the_column():
    frame = _rows({("A", "x"): 1})
    with pytest.raises(CxkitError, match="`by`: column\\(s\\) \\['region'\\] not found"):
        channel_preferences(frame, by="region")
    with pytest.raises(CxkitError, match="`channel`"):
        channel_preferences(frame, channel="medium")
    frame["weight"] = ["heavy"]
    with pytest.raises(CxkitError, match="'weight' must hold non-negative numbers"):
        channel_preferences(frame, weight="weight")


def test_repr_and_html_name_the_flagged_cells():
    result = channel_preferences(_rows(AGRESTI))
    text = repr(result)
    assert "Female under-uses Republican (30.1%, residual -5.32)" in text
    assert "<table" in result._repr_html_()


def test_by_and_channel_must_differ():
    frame = _rows({("A", "x"): 1})
    with pytest.raises(CxkitError, match="`by` and `channel` are both 'segment'"):
        channel_preferences(frame, channel="segment")
