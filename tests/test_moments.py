"""Pairwise-complete moments (cxkit._moments) against pandas, which computes the same thing
column pair by column pair (``DataFrame.corr`` uses the rows where both values are present)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxkit._moments import pairwise_moments


def _sparse_ratings(rows: int = 400, seed: int = 3) -> pd.DataFrame:
    """Five correlated 1–5 ratings (a shared disposition), each missing for 20–60% of rows."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=(rows, 1))
    ratings = np.clip(np.round(3 + mood + rng.normal(size=(rows, 5))), 1, 5)
    missing = rng.random((rows, 5)) < [0.2, 0.3, 0.4, 0.5, 0.6]
    return pd.DataFrame(np.where(missing, np.nan, ratings), columns=list("abcde"))


def _arrays(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    present = frame.notna().to_numpy()
    return np.where(present, frame.to_numpy(), 0.0), present.astype("float64")


def test_pairwise_moments_equal_pandas_on_a_frame_with_gaps():
    frame = _sparse_ratings()
    m = pairwise_moments(*_arrays(frame))

    np.testing.assert_allclose(m.corr, frame.corr().to_numpy(), rtol=0, atol=1e-12)
    notna = frame.notna().to_numpy().astype(int)
    np.testing.assert_array_equal(m.count, notna.T @ notna)
    np.testing.assert_array_equal(m.weight, notna.T @ notna)
    np.testing.assert_allclose(m.mean, frame.mean().to_numpy(), rtol=1e-13)
    np.testing.assert_allclose(m.sd, frame.std(ddof=0).to_numpy(), rtol=1e-12)


def test_integer_weights_equal_repeated_rows():
    """A row of weight w counts as w copies of it, in every moment but the unweighted count."""
    frame = _sparse_ratings(rows=150, seed=8)
    w = np.random.default_rng(1).integers(0, 4, len(frame))
    weighted = pairwise_moments(*_arrays(frame), weights=w.astype(float))
    repeated = frame.loc[frame.index.repeat(w)]
    plain = pairwise_moments(*_arrays(repeated))

    np.testing.assert_allclose(weighted.corr, plain.corr, rtol=0, atol=1e-12)
    np.testing.assert_allclose(weighted.corr, repeated.corr().to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(weighted.mean, plain.mean, rtol=1e-13)
    np.testing.assert_allclose(weighted.sd, plain.sd, rtol=1e-12)
    np.testing.assert_allclose(weighted.weight, plain.count)  # weighted pair counts
    notna = frame.notna().to_numpy().astype(int)
    np.testing.assert_array_equal(weighted.count, notna.T @ notna)  # rows, not weights


def test_a_pair_without_variance_has_no_correlation():
    """Where ``b`` is present, ``a`` is always 4: their correlation is 0/0, reported as NaN."""
    frame = pd.DataFrame(
        {
            "a": [4.0, 4.0, 4.0, 1.0, 5.0],
            "b": [1.0, 2.0, 3.0, np.nan, np.nan],
            "c": [1.0, 2.0, 3.0, 4.0, 6.0],
        }
    )
    m = pairwise_moments(*_arrays(frame))
    assert np.isnan(m.corr[0, 1]) and np.isnan(m.corr[1, 0])
    assert m.corr[0, 2] == pytest.approx(frame["a"].corr(frame["c"]), abs=1e-14)
    assert m.sd[0] > 0  # over all its own rows, ``a`` does vary


@pytest.mark.parametrize("offset", [0.0, 1e5, 1e7])
def test_columns_far_from_zero_keep_their_precision(offset):
    """Values around 10 million with a spread of 1 (amounts, day numbers) still correlate as
    pandas does: the sums are taken after centring (without it the error was 0.42 at 1e7)."""
    frame = _sparse_ratings() + offset
    m = pairwise_moments(*_arrays(frame))
    np.testing.assert_allclose(m.corr, frame.corr().to_numpy(), atol=1e-9)
    np.testing.assert_allclose(m.mean, frame.mean().to_numpy(), rtol=1e-12)
