"""NPS, CSAT and CES against published values, statsmodels, and written-out arithmetic."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.weightstats import DescrStatsW

import cxkit as cx
from cxkit.errors import CxkitError

Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


def expand(promoters, passives, detractors):
    """Scores with the given counts of promoters (10), passives (8) and detractors (3)."""
    return pd.Series([10] * promoters + [8] * passives + [3] * detractors, dtype="float64")


# -------------------------------------------------------------------------------------- NPS
def test_nps_wald_by_hand():
    # P = 30, passives = 20, D = 10, n = 60: p = 0.5, d = 1/6
    row = cx.nps(expand(30, 20, 10), method="wald").iloc[0]
    p, d, n = 30 / 60, 10 / 60, 60
    se = math.sqrt((p + d - (p - d) ** 2) / n)
    assert row["nps"] == pytest.approx(100 * (p - d))  # 33.33 points
    assert row["se"] == pytest.approx(100 * se)
    assert row["ci_low"] == pytest.approx(100 * (p - d - Z * se))
    assert row["ci_high"] == pytest.approx(100 * (p - d + Z * se))
    assert (row["promoters"], row["passives"], row["detractors"]) == (30, 20, 10)


def test_nps_wald_se_is_the_se_of_the_mean_code():
    # Identity: Var of the codes +1/0/-1 is p + d - (p - d)^2; numpy computes it directly.
    codes = np.r_[np.ones(30), np.zeros(20), -np.ones(10)]
    row = cx.nps(expand(30, 20, 10), method="wald").iloc[0]
    assert row["se"] == pytest.approx(100 * codes.std(ddof=0) / math.sqrt(len(codes)))


def test_nps_adjusted_wald_by_hand():
    # Rocks (2016), as MeasuringU describes it: add 3 to n and 3/4 to promoters and detractors,
    # then the Wald interval on the adjusted proportions.
    row = cx.nps(expand(30, 20, 10)).iloc[0]
    n_adj, p, d = 63, 30.75 / 63, 10.75 / 63
    se = math.sqrt((p + d - (p - d) ** 2) / n_adj)
    assert row["nps"] == pytest.approx(100 * 20 / 60)  # the observed score is reported
    assert row["se"] == pytest.approx(100 * se)
    assert row["ci_low"] == pytest.approx(100 * (p - d - Z * se))
    assert row["ci_high"] == pytest.approx(100 * (p - d + Z * se))


def test_nps_adjusted_wald_is_not_degenerate_at_the_extremes():
    # 10 promoters out of 10: Wald gives a zero-width interval; the adjusted one does not.
    wald = cx.nps(expand(10, 0, 0), method="wald").iloc[0]
    adjusted = cx.nps(expand(10, 0, 0)).iloc[0]
    assert wald["ci_low"] == wald["ci_high"] == 100
    p, d = 10.75 / 13, 0.75 / 13
    assert adjusted["ci_low"] == pytest.approx(
        100 * (p - d - Z * math.sqrt((p + d - (p - d) ** 2) / 13))
    )
    assert adjusted["ci_high"] == 100  # clipped to the scale


def test_weighted_nps_matches_statsmodels_wls_hc1():
    # The linearization SE of a weighted mean (no strata or clusters) equals the HC1 sandwich
    # SE of an intercept-only WLS fit: sum w_i^2 e_i^2 / (sum w_i)^2 * n / (n - 1).
    rng = np.random.default_rng(4)
    scores = rng.integers(0, 11, 400).astype(float)
    weights = rng.uniform(0.3, 3.0, 400)
    codes = np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))
    fit = sm.WLS(codes, np.ones_like(codes), weights=weights).fit(cov_type="HC1")
    row = cx.nps(pd.DataFrame({"nps": scores, "w": weights}), weight="w").iloc[0]
    assert row["nps"] == pytest.approx(fit.params[0])
    assert row["se"] == pytest.approx(fit.bse[0])
    assert row["ci_low"] == pytest.approx(fit.params[0] - Z * fit.bse[0])


def test_nps_by_group_and_period():
    data = pd.DataFrame(
        {
            "nps": [10, 0, 9, 9, 5, 7],
            "segment": ["a", "a", "a", "b", "b", "b"],
            "responded_at": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-02-01"] * 2),
        }
    )
    out = cx.nps(data, by="segment", freq="M", min_n=2)
    assert out[["segment", "period"]].astype(str).values.tolist() == [
        ["a", "2025-01"],
        ["a", "2025-02"],
        ["b", "2025-01"],
        ["b", "2025-02"],
    ]
    assert out["n"].tolist() == [2, 1, 2, 1]
    assert out["nps"].tolist() == [0.0, 100.0, 0.0, 0.0]  # a/Jan: one 10, one 0; b/Jan: 9 and 5
    assert out["small_sample"].tolist() == [False, True, False, True]
    # the one shape of every metric table, then the metric's own columns
    assert list(out.columns[2:]) == [
        "n",
        "nps",
        "se",
        "ci_low",
        "ci_high",
        "small_sample",
        "promoters",
        "passives",
        "detractors",
        "promoters_pct",
        "passives_pct",
        "detractors_pct",
    ]


def test_out_of_range_scores_are_an_error_naming_count_and_rows():
    expected = r"`nps`: 2 value\(s\) are not whole scores on 0–10 \(positions 1, 3; first value 11"
    with pytest.raises(CxkitError, match=expected):
        cx.nps(pd.Series([9, 11, 5, 7.5]))


def test_bad_weights_are_an_error():
    with pytest.raises(
        CxkitError, match=r"`w`: 1 scored response\(s\) have a missing or negative weight"
    ):
        cx.nps(pd.DataFrame({"nps": [9, 10], "w": [1.0, -1.0]}), weight="w")


def test_unknown_method_and_ci():
    with pytest.raises(
        CxkitError, match=r"`method` must be one of 'adjusted-wald', 'wald'; got 'exact'"
    ):
        cx.nps([9, 10], method="exact")
    with pytest.raises(CxkitError, match=r"`ci` must be between 0 and 1"):
        cx.nps([9, 10], ci=95)


# ------------------------------------------------------------------------------------- CSAT
@pytest.mark.parametrize(
    ("satisfied", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, Wilson score interval
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_csat_wilson_interval_matches_newcombe(satisfied, n, low, high):
    scores = pd.Series([5] * satisfied + [2] * (n - satisfied))
    row = cx.csat(scores).iloc[0]
    assert row["satisfied"] == satisfied
    assert row["ci_low"] / 100 == pytest.approx(low, abs=5e-5)
    assert row["ci_high"] / 100 == pytest.approx(high, abs=5e-5)


def test_csat_top_box_and_mean():
    row = cx.csat(pd.Series([1, 2, 3, 4, 5, 5]), min_n=1).iloc[0]
    assert row["satisfied"] == 3 and row["csat"] == pytest.approx(50.0)
    values = np.array([1, 2, 3, 4, 5, 5.0])
    assert row["mean"] == pytest.approx(values.mean())
    assert row["mean_se"] == pytest.approx(values.std(ddof=1) / math.sqrt(6))
    seven = cx.csat(pd.Series([7, 6, 5, 1]), scale=7, top_box=2).iloc[0]
    assert seven["satisfied"] == 2


def test_weighted_csat_mean_and_share_match_statsmodels_wls_hc1():
    rng = np.random.default_rng(9)
    scores = rng.integers(1, 6, 300).astype(float)
    weights = rng.uniform(0.5, 2.0, 300)
    row = cx.csat(pd.DataFrame({"csat": scores, "w": weights}), weight="w").iloc[0]
    mean_fit = sm.WLS(scores, np.ones(300), weights=weights).fit(cov_type="HC1")
    assert row["mean"] == pytest.approx(mean_fit.params[0])
    assert row["mean_se"] == pytest.approx(mean_fit.bse[0])
    top = (scores >= 4) * 100.0
    share_fit = sm.WLS(top, np.ones(300), weights=weights).fit(cov_type="HC1")
    assert row["csat"] == pytest.approx(share_fit.params[0])
    assert row["se"] == pytest.approx(share_fit.bse[0])


# -------------------------------------------------------------------------------------- CES
def test_ces_t_interval_matches_statsmodels():
    values = np.array([7, 6, 6, 5, 3, 7, 2, 5, 6, 4.0])
    row = cx.ces(pd.Series(values)).iloc[0]
    d = DescrStatsW(values)
    low, high = d.tconfint_mean(alpha=0.05)
    assert row["ces"] == pytest.approx(d.mean)
    assert row["se"] == pytest.approx(d.std_mean)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["pct_easy"] == pytest.approx(100 * 7 / 10)  # 7, 6, 6, 5, 7, 5, 6 are 5 or more


def test_ces_weighted_and_five_point():
    rng = np.random.default_rng(2)
    scores = rng.integers(1, 8, 200).astype(float)
    weights = rng.uniform(0.5, 2.0, 200)
    row = cx.ces(pd.DataFrame({"ces": scores, "w": weights}), weight="w").iloc[0]
    fit = sm.WLS(scores, np.ones(200), weights=weights).fit(cov_type="HC1")
    assert row["ces"] == pytest.approx(fit.params[0]) and row["se"] == pytest.approx(fit.bse[0])
    assert cx.ces(pd.Series([5, 4, 3, 1]), scale=5).iloc[0]["pct_easy"] == pytest.approx(50.0)


def test_metrics_on_the_sample_data(samples):
    data = cx.read_responses(samples / "responses.csv").data
    by_segment = cx.nps(data, by="segment", weight="weight")
    assert by_segment["n"].sum() == data["nps"].notna().sum()
    # plain pandas on the same rows: unweighted NPS of the whole file
    s = data["nps"].dropna()
    overall = 100 * ((s >= 9).mean() - (s <= 6).mean())
    assert cx.nps(data).iloc[0]["nps"] == pytest.approx(overall)


@pytest.mark.parametrize("freq", ["D", "W", "W-MON", "M", "2M", "Q", "Y", "h"])
def test_periods_equal_pandas_to_period(freq):
    from cxkit._grouping import to_period

    rng = np.random.default_rng(8)
    seconds = (rng.random(5000) * 4 * 365 * 86400).astype("timedelta64[s]")
    dates = pd.Series(np.datetime64("1968-06-01T00:00:00") + seconds)  # spans the 1970 epoch
    dates.iloc[[3, 40]] = pd.NaT
    pd.testing.assert_series_equal(to_period(dates, freq), dates.dt.to_period(freq))


def test_metrics_accept_counts_made_elsewhere():
    # A warehouse query's result: segment, score, count (as SELECT segment, nps, COUNT(*) ...)
    long = pd.DataFrame(
        {"segment": ["a", "a", "a", "b"], "score": [10, 8, 3, 9], "n": [30, 20, 10, 5]}
    )
    counts = cx.ScoreCounts.from_frame(long, by=["segment"], low=0, high=10)
    from_counts = cx.nps(counts, method="wald")
    raw = pd.DataFrame(
        {
            "nps": np.repeat(long["score"], long["n"]),
            "segment": np.repeat(long["segment"], long["n"]),
        }
    )
    pd.testing.assert_frame_equal(from_counts, cx.nps(raw, by="segment", method="wald"))
    with pytest.raises(
        CxkitError, match=r"the counts are for scores 0–10, but this metric needs 1–5"
    ):
        cx.csat(counts)


def test_text_scores_are_a_clear_error_not_missing_values():
    with pytest.raises(
        CxkitError, match=r"`nps`: 1 value\(s\) are not whole scores on 0–10 \(positions 1;"
    ):
        cx.nps(["9", "great", None])


def test_weighted_shares_add_up_to_the_weighted_nps(samples):
    data = cx.read_responses(samples / "responses.csv").data
    table = cx.nps(data, by="segment", weight="weight")
    np.testing.assert_allclose(table["promoters_pct"] - table["detractors_pct"], table["nps"])
    np.testing.assert_allclose(
        table[["promoters_pct", "passives_pct", "detractors_pct"]].sum(axis=1), 100
    )
    # unweighted, the shares are the counts over n
    plain = cx.nps(data)
    assert plain["promoters_pct"].iloc[0] == pytest.approx(
        100 * plain["promoters"].iloc[0] / plain["n"].iloc[0]
    )
