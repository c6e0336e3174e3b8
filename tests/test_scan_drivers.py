"""cx.DriverAnalysis on a cx.scan: DuckDB's pairwise sums give the pandas path's fit.

The reference for every number is the same fit on the frame ``cx.read_responses`` gives for
the same file (importance, intervals, R², coefficients, n and the notes on rows left out).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.errors import CxkitError

LISTWISE = ["rating_app", "rating_support", "rating_delivery"]  # 2,019 sample rows rate all


@pytest.fixture(scope="module")
def responses(samples):
    path = samples / "responses.csv"
    frame = cx.read_responses(path).data
    drivers = sorted(c for c in frame.columns if c.startswith("rating_"))
    return cx.scan(path), frame, drivers


def same_fit(left: cx.DriverAnalysis, right: cx.DriverAnalysis) -> None:
    pd.testing.assert_frame_equal(left.importance_, right.importance_, rtol=1e-9, atol=1e-12)
    pd.testing.assert_series_equal(left.coef_, right.coef_, rtol=1e-9)
    assert right.r2_ == pytest.approx(left.r2_, rel=1e-9)
    assert (right.n_, right.notes_) == (left.n_, left.notes_)


@pytest.mark.parametrize("weight", [None, "weight"])
@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
@pytest.mark.parametrize("method", ["shapley", "relative_weights", "regression", "correlation"])
def test_a_fit_on_a_scan_equals_the_fit_on_the_frame(responses, method, missing, weight):
    scanned, frame, drivers = responses
    if missing == "listwise":
        drivers = LISTWISE
    options = {"outcome": "nps", "drivers": drivers, "weight": weight, "missing": missing}
    model = cx.DriverAnalysis(method, n_boot=0)
    same_fit(
        model.fit(frame, **options), cx.DriverAnalysis(method, n_boot=0).fit(scanned, **options)
    )


def ratings(rows: int, seed: int) -> pd.DataFrame:
    """Responses whose NPS follows three 1-5 ratings, each missing for some respondents."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(rows, 3))
    nps = np.clip(np.round(x @ [0.9, 0.5, 0.2] - 2 + rng.normal(size=rows)), 0, 10)
    frame = pd.DataFrame(
        {
            "response_id": [f"R{seed}-{i}" for i in range(rows)],
            "responded_at": pd.Timestamp("2026-01-01"),
            "nps": nps.astype("int64"),
            "weight": rng.uniform(0.5, 2.0, rows),
        }
    )
    for k, column in enumerate(["rating_app", "rating_support", "rating_billing"]):
        frame[column] = pd.array(np.where(rng.random(rows) < 0.3, None, x[:, k]), dtype="Int64")
    return frame


def test_a_fit_on_a_folder_equals_the_fit_on_its_files_read_together(tmp_path):
    for seed in range(3):
        ratings(2_000, seed).to_parquet(tmp_path / f"part-{seed}.parquet")
    frame = pd.concat(
        [cx.read_responses(p).data for p in sorted(tmp_path.glob("*.parquet"))], ignore_index=True
    )
    options = {"outcome": "nps", "drivers": ["rating_app", "rating_support", "rating_billing"]}
    for method in ("shapley", "regression"):
        same_fit(
            cx.DriverAnalysis(method, n_boot=0).fit(frame, **options, weight="weight"),
            cx.DriverAnalysis(method, n_boot=0).fit(cx.scan(tmp_path), **options, weight="weight"),
        )


def test_a_scan_is_fitted_without_a_bootstrap_and_says_why(responses):
    scanned, _, drivers = responses
    with pytest.raises(CxkitError, match=r"cannot be resampled \(n_boot=200\). Pass n_boot=0"):
        cx.DriverAnalysis("shapley", n_boot=200).fit(scanned, outcome="nps", drivers=drivers)


def test_bad_columns_on_a_scan_are_named_as_on_a_frame(responses, tmp_path):
    scanned, frame, drivers = responses
    for options in (
        {"outcome": "nps", "drivers": ["rating_app", "rating_nowhere"]},
        {"outcome": "nps", "drivers": ["rating_app", "segment"]},  # text, not numbers
        {"outcome": "nps", "drivers": drivers, "weight": "segment"},
    ):
        with pytest.raises(CxkitError) as on_frame:
            cx.DriverAnalysis(n_boot=0).fit(frame, **options)
        with pytest.raises(CxkitError) as on_scan:
            cx.DriverAnalysis(n_boot=0).fit(scanned, **options)
        # the same sentence, less the example values a frame shows and a scan does not read
        shown = re.sub(r" such as \[[^\]]*\]", "", str(on_frame.value))
        assert str(on_scan.value) == shown


def test_missing_weights_are_counted_on_a_scan(responses, tmp_path):
    _, frame, _ = responses
    planted = frame.copy()
    planted.loc[planted.index[:7], "weight"] = np.nan  # 7 rows; those with the outcome count
    planted.to_parquet(tmp_path / "weights.parquet")
    expected = int((planted["nps"].notna() & planted[LISTWISE].notna().any(axis=1))[:7].sum())
    with pytest.raises(CxkitError, match=rf"`weight`: {expected} row\(s\) with the outcome"):
        cx.DriverAnalysis(n_boot=0).fit(
            cx.scan(tmp_path / "weights.parquet"), outcome="nps", drivers=LISTWISE, weight="weight"
        )
