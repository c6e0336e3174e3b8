"""Pairwise-complete moments (cxkit._moments) against pandas, which computes the same thing
column pair by column pair (``DataFrame.corr`` uses the rows where both values are present)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxkit import _moments
from cxkit._moments import (
    pairwise_moments,
    resample_weights,
    resampled_correlations,
    weighted_crossproducts,
    weighted_gram,
)


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


# -- many weightings at once (the bootstrap) -------------------------------------------------


def test_resampled_correlations_equal_pandas_on_each_resamples_repeated_rows(monkeypatch):
    """Bootstrap counts as weights: each weighting's correlations and standard deviations are
    pandas' on the rows repeated that many times. A chunk of 7 products forces many chunks."""
    frame = _sparse_ratings(rows=120, seed=5) + 1e6  # far from zero: centring still works
    counts = np.random.default_rng(2).integers(0, 3, (6, len(frame))).astype(float)
    monkeypatch.setattr(_moments, "_CHUNK_VALUES", 7)
    corr, sd = resampled_correlations(*_arrays(frame), counts)
    for b, row in enumerate(counts):
        repeated = frame.loc[frame.index.repeat(row.astype(int))]
        np.testing.assert_allclose(corr[b], repeated.corr().to_numpy(), rtol=0, atol=1e-9)
        np.testing.assert_allclose(sd[b], repeated.std(ddof=0).to_numpy(), rtol=1e-9)


def test_crossproducts_and_gram_equal_one_product_per_weighting(monkeypatch):
    """``Lᵀ diag(w_b) R`` and ``Lᵀ diag(w_b) L`` written out with numpy for each ``w_b``."""
    rng = np.random.default_rng(4)
    left, right, weights = rng.normal(size=(50, 3)), rng.normal(size=(50, 2)), rng.random((4, 50))
    monkeypatch.setattr(_moments, "_CHUNK_VALUES", 5)
    cross = weighted_crossproducts(left, right, weights)
    gram = weighted_gram(left, weights)
    for b, w in enumerate(weights):
        np.testing.assert_allclose(cross[b], left.T @ (w[:, None] * right), rtol=1e-13)
        np.testing.assert_allclose(gram[b], left.T @ (w[:, None] * left), rtol=1e-13)


@pytest.mark.parametrize("chunk", [1, 3, 2**20])
def test_resample_weights_count_the_row_draws_resample_after_resample(monkeypatch, chunk):
    """Resample ``b``: rows ``rng.integers(0, n, n)`` drawn after those of resample ``b − 1``;
    its weights are each row's count times its survey weight, whatever the chunk size."""
    base = np.array([1.0, 2.0, 0.5, 1.5, 1.0])
    monkeypatch.setattr(_moments, "_CHUNK_VALUES", chunk)
    got = np.concatenate(list(resample_weights(np.random.default_rng(8), base, 5, 7)))
    rng = np.random.default_rng(8)
    for row in got:
        counts = np.zeros(5)
        for i in rng.integers(0, 5, 5):
            counts[i] += 1
        np.testing.assert_array_equal(row, counts * base)
    assert got.shape == (7, 5)
    plain = np.concatenate(list(resample_weights(np.random.default_rng(8), None, 5, 7)))
    np.testing.assert_array_equal(plain * base, got)
