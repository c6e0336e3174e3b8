"""The counts core: one pass, every score value per group, weights, counts from elsewhere."""

import numpy as np
import pandas as pd
import pytest

from cxkit._counts import ScoreCounts, score_counts
from cxkit.errors import CxkitError


def test_counts_per_group_and_value_with_weights():
    groups = pd.DataFrame({"seg": pd.Categorical(["b", "a", "b", "a", "b"], categories=["b", "a"])})
    scores = np.array([9.0, 10.0, 9.0, np.nan, 0.0])
    weights = np.array([2.0, 1.0, 3.0, 5.0, 0.5])
    c = score_counts(scores, groups, low=0, high=10, weights=weights)
    # categories keep their order: "b" first; the missing score is not counted
    assert c.groups["seg"].tolist() == ["b", "a"]
    assert c.n[0, 9] == 2 and c.n[0, 0] == 1 and c.n[1, 10] == 1 and c.n.sum() == 4
    assert c.w[0, 9] == 2.0 + 3.0 and c.w2[0, 9] == 4.0 + 9.0 and c.w[0, 0] == 0.5


def test_missing_group_values_form_a_group():
    groups = pd.DataFrame({"seg": pd.Series(["a", None, "a"], dtype="str")})
    c = score_counts(np.array([1.0, 2.0, 3.0]), groups, low=1, high=5)
    assert len(c.groups) == 2
    assert c.groups["seg"].isna().tolist() == [False, True]
    assert c.n.sum() == 3  # nothing dropped


def test_many_group_combinations_are_compressed():
    rng = np.random.default_rng(0)
    n = 2_000
    groups = pd.DataFrame({"a": rng.integers(0, 5000, n), "b": rng.integers(0, 5000, n)})
    scores = rng.integers(0, 11, n).astype(float)
    c = score_counts(scores, groups, low=0, high=10)  # 25M combinations: only observed ones kept
    assert c.n.sum() == n
    expected = groups.assign(s=scores).groupby(["a", "b"]).size()
    assert len(c.groups) == len(expected)


def test_round_trip_through_a_long_table():
    groups = pd.DataFrame({"seg": ["x", "y", "x", "y"]})
    c = score_counts(np.array([1.0, 2.0, 2.0, 2.0]), groups, low=1, high=5, weights=np.ones(4))
    long = c.to_frame()
    assert long.columns.tolist() == ["seg", "score", "n", "weight_sum", "weight_sq_sum"]
    again = ScoreCounts.from_frame(
        long, by=["seg"], low=1, high=5, weight_sum="weight_sum", weight_sq_sum="weight_sq_sum"
    )
    np.testing.assert_array_equal(again.n, c.n)
    np.testing.assert_array_equal(again.w, c.w)
    assert again.groups.columns.tolist() == ["seg"]  # group names survive the round trip
    assert again.groups["seg"].tolist() == ["x", "y"]


def test_out_of_range_in_counts_from_elsewhere():
    with pytest.raises(CxkitError, match=r"`score`: 1 value\(s\) are not whole scores on 0–10"):
        ScoreCounts.from_frame(pd.DataFrame({"score": [3, 11], "n": [1, 1]}), low=0, high=10)
