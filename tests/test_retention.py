"""Churn, Kaplan-Meier retention and cohorts against published values and hand counts."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels
from statsmodels.stats.proportion import proportion_confint

import cxkit as cx

# Klein & Moeschberger (2003), "Survival Analysis", bone marrow transplant data (ALL group),
# with the book's Kaplan-Meier estimates and Greenwood SEs, as shipped in statsmodels' tests.
RESULTS = Path(statsmodels.__file__).parent / "duration" / "tests" / "results"


@pytest.fixture(scope="module")
def bmt_all():
    data = pd.read_csv(RESULTS / "bmt.csv")
    return data[data["Group"] == "ALL"].reset_index(drop=True)


def test_kaplan_meier_matches_klein_moeschberger(bmt_all):
    expected = pd.read_csv(RESULTS / "bmt_results.csv", usecols=["t", "s", "se"])
    curve = cx.retention_curve(bmt_all, duration="T", event="Status")
    table = curve.table.set_index("time").loc[expected["t"]]
    np.testing.assert_allclose(table["retention"], expected["s"], atol=1e-5)
    np.testing.assert_allclose(table["se"], expected["se"], atol=1e-5)
    # R survfit's default "log" interval, written out: S * exp(±z * se / S)
    z = 1.959963984540054
    s, se = expected["s"].to_numpy(), expected["se"].to_numpy()
    np.testing.assert_allclose(table["ci_low"], s * np.exp(-z * se / s), atol=1e-5)
    np.testing.assert_allclose(table["ci_high"], np.minimum(1, s * np.exp(z * se / s)), atol=1e-5)
    # median: first time with S(t) <= 0.5, which is t = 418 (S = 0.49428)
    assert curve.medians["median"].iloc[0] == 418


def test_kaplan_meier_matches_r_survfit_small_case():
    # R: survfit(Surv(c(3,1,2,3,2,1,5,3), c(0,1,1,1,0,0,1,0)) ~ 1), quoted in statsmodels' tests
    data = pd.DataFrame({"t": [3, 1, 2, 3, 2, 1, 5, 3], "e": [0, 1, 1, 1, 0, 0, 1, 0]})
    table = cx.retention_curve(data, duration="t", event="e").table
    np.testing.assert_allclose(
        table["retention"], [0.8750000, 0.7291667, 0.5468750, 0.0], atol=1e-6
    )
    np.testing.assert_allclose(table["se"][:3], [0.1169268, 0.1649762, 0.2005800], atol=1e-6)
    assert table["at_risk"].tolist() == [8, 6, 4, 1]


def customers():
    t = pd.Timestamp
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "segment": ["x", "x", "y", "y", "y"],
            "start_date": [
                t("2025-01-05"),
                t("2025-01-20"),
                t("2025-02-10"),
                t("2025-01-01"),
                t("2025-02-01"),
            ],
            "end_date": [t("2025-02-15"), pd.NaT, t("2025-03-03"), t("2025-01-15"), pd.NaT],
        }
    )


def test_churn_rate_by_hand():
    out = cx.churn_rate(customers(), as_of="2025-03-31")
    assert out["period"].astype(str).tolist() == ["2025-01", "2025-02", "2025-03"]
    # January: nobody started before Jan 1 -> 0 at start (d starts on Jan 1 itself).
    # February: a, b started before Feb 1 and are active then (d ended Jan 15) -> 2; a ends Feb 15.
    # March: b, c, e active on Mar 1 -> 3; c ends Mar 3.
    assert out["n"].tolist() == [0, 2, 3]  # customers at the start of the period
    assert out["churned"].tolist() == [0, 1, 1]
    assert out["churn_rate"].iloc[1] == pytest.approx(50.0)  # percent: 1 of 2
    assert out["retention_rate"].iloc[2] == pytest.approx(100 * 2 / 3)
    # Wilson interval for 1 of 2 (statsmodels proportion_confint, method="wilson")
    low, high = proportion_confint(1, 2, alpha=0.05, method="wilson")
    assert (out["ci_low"].iloc[1], out["ci_high"].iloc[1]) == (
        pytest.approx(100 * low),
        pytest.approx(100 * high),
    )
    assert out["se"].iloc[1] == pytest.approx(100 * (0.5 * 0.5 / 2) ** 0.5)
    assert np.isnan(out["ci_low"].iloc[0])  # no customers at the start: no interval


def test_churn_rate_by_segment():
    out = cx.churn_rate(customers(), by="segment", as_of="2025-03-31")
    feb = out[out["period"].astype(str) == "2025-02"].set_index("segment")
    assert feb.loc["x", "n"] == 2 and feb.loc["y", "n"] == 0


def test_retention_curve_from_dates():
    curve = cx.retention_curve(customers(), as_of="2025-03-31", by="segment")
    x = curve.table[curve.table["segment"] == "x"]
    # segment x: a leaves after 41 days; b is still active (censored at 70 days)
    assert x["time"].tolist() == [41.0] and x["retention"].tolist() == [0.5]
    assert curve.summary.set_index("segment").loc["x", "median"] == 41.0


def test_cohort_retention_by_hand():
    table = cx.cohort_retention(customers(), as_of="2025-03-31")
    assert list(table.columns) == ["cohort", "age", "customers", "retention"]
    cell = table.set_index(["cohort", "age"])
    jan, feb, mar = (pd.Period(m, "M") for m in ("2025-01", "2025-02", "2025-03"))
    # Jan cohort: a, b, d. At Feb 1: a, b active (d ended Jan 15) -> 2/3; at Mar 1: b -> 1/3.
    assert cell.loc[(jan, 0), "customers"] == 3
    assert cell.loc[(jan, 1), "retention"] == pytest.approx(100 * 2 / 3)
    assert cell.loc[(jan, 2), "retention"] == pytest.approx(100 * 1 / 3)
    # Feb cohort: c, e. At Mar 1 both active -> 100%; age 2 (Apr 1) is after as_of: no row
    assert cell.loc[(feb, 1), "retention"] == pytest.approx(100.0)
    assert (feb, 2) not in cell.index
    assert (mar, 0) not in cell.index  # nobody signed up in March: no cohort


def test_missing_columns_name_the_fix():
    with pytest.raises(cx.CxkitError, match=r"column 'start_date' not found"):
        cx.churn_rate(pd.DataFrame({"x": [1]}))


def test_churn_rate_for_one_period_and_outside_the_history():
    out = cx.churn_rate(customers(), period="2025-02", as_of="2025-03-31")
    assert out["period"].astype(str).tolist() == ["2025-02"] and out["n"].tolist() == [2]
    with pytest.raises(cx.CxkitError, match=r"outside the customer history, which covers 2025-01"):
        cx.churn_rate(customers(), period="2019-01", as_of="2025-03-31")


def test_cohort_retention_as_of_a_day_before_the_last_signup():
    # e (Feb 1) joined after as_of = Jan 31: February's cohort does not exist yet
    table = cx.cohort_retention(customers(), as_of="2025-01-31")
    assert table["cohort"].astype(str).unique().tolist() == ["2025-01"]
    assert table["customers"].iloc[0] == 3  # a, b, d


def test_churn_names_a_date_column_that_holds_text(samples):
    customers = cx.read_customers(samples / "customers.csv").data
    with pytest.raises(cx.CxkitError, match=r"column 'start_date' holds .*, not dates"):
        cx.churn_rate(customers.assign(start_date="2026-01-01"))


def test_churn_on_time_zone_aware_dates_counts_by_wall_time(samples):
    # the same dates made aware (UTC): the same calendar periods, so the same table
    customers = cx.read_customers(samples / "customers.csv").data
    aware = customers.assign(
        start_date=customers["start_date"].dt.tz_localize("UTC"),
        end_date=customers["end_date"].dt.tz_localize("UTC"),
    )
    pd.testing.assert_frame_equal(
        cx.churn_rate(aware, by="segment"), cx.churn_rate(customers, by="segment")
    )
