"""Headline metrics and their changes, checked against values computed independently."""

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import cxkit as cx


def responses():
    # September: 4 promoters, 2 passives, 4 detractors
    # October: 6 promoters, 3 passives, 1 detractor
    sep = [10] * 4 + [7] * 2 + [2] * 4
    oct_ = [9] * 6 + [8] * 3 + [0]
    return pd.DataFrame(
        {
            "responded_at": pd.to_datetime(["2026-09-15"] * 10 + ["2026-10-15"] * 10),
            "nps": sep + oct_,
            "segment": ["a", "b"] * 10,
        }
    )


def test_headline_metrics_rows_equal_the_metric_functions_on_the_period():
    data = responses()
    table = cx.headline_metrics(period="2026-10", responses=data, by="segment", min_n=5)
    assert table["period"].tolist() == ["2026-10"] * 3 + ["2026-09"] * 3
    october = table[table["period"] == "2026-10"].set_index("group")
    # NPS of October by hand: (6 - 1) / 10 = 50 points
    assert october.loc["all", "value"] == pytest.approx(50.0)
    direct = cx.nps(data[data["responded_at"].dt.month == 10], by="segment", min_n=5)
    a = direct.set_index("segment").loc["a"]
    assert october.loc["segment=a", "value"] == pytest.approx(a["nps"])
    assert october.loc["segment=a", "se"] == pytest.approx(a["se"])
    assert october.loc["segment=a", "n"] == 5 and not october.loc["segment=a", "small_sample"]


def test_headline_metrics_adds_no_rows_for_a_period_without_data():
    table = cx.headline_metrics(period="2026-11", responses=responses())
    # November has no responses, October (the previous period) has 10: no zero is made up
    assert table["period"].tolist() == ["2026-10"] and table["n"].tolist() == [10]


def test_headline_changes_z_test_and_holm_by_hand():
    current = pd.DataFrame(
        {
            "metric": ["nps", "csat", "first_response_median_h"],
            "group": "all",
            "value": [30.0, 70.0, 2.0],
            "se": [4.0, 2.0, np.nan],
            "n": [400, 380, 120],
            "small_sample": False,
        }
    )
    previous = current.assign(value=[20.0, 69.0, 3.0], se=[3.0, 2.0, np.nan])
    out = cx.headline_changes(current, previous).set_index("metric")
    # nps: d = 10, se = hypot(4, 3) = 5, z = 2; csat: d = 1, se = hypot(2, 2), z = 0.354
    p_nps = 2 * (1 - NormalDist().cdf(2.0))  # 0.0455
    p_csat = 2 * (1 - NormalDist().cdf(1 / math.hypot(2, 2)))  # 0.724
    assert out.loc["nps", "difference"] == pytest.approx(10.0)
    assert out.loc["nps", "se_difference"] == pytest.approx(5.0)
    assert out.loc["nps", "p_value"] == pytest.approx(p_nps)
    # Holm over the two tested: smallest x 2, then max(previous, p)
    assert out.loc["nps", "p_adjusted"] == pytest.approx(2 * p_nps)
    assert out.loc["csat", "p_adjusted"] == pytest.approx(max(2 * p_nps, p_csat))
    assert out.loc["nps", "significant"] is False  # adjusted p = 2 x 0.0455 = 0.091
    assert out.loc["first_response_median_h", "significant"] is None  # no SE: not tested
    assert out.loc["first_response_median_h", "difference"] == pytest.approx(-1.0)


def test_headline_changes_with_no_previous_period():
    current = pd.DataFrame(
        {
            "metric": ["nps"],
            "group": "all",
            "value": [10.0],
            "se": [2.0],
            "n": [50],
            "small_sample": False,
        }
    )
    out = cx.headline_changes(current, current.iloc[0:0])
    assert np.isnan(out["difference"].iloc[0]) and out["significant"].iloc[0] is None


def test_a_survey_verdict_does_not_depend_on_the_other_exports():
    survey = pd.DataFrame(
        {
            "metric": ["nps", "csat"],
            "group": "all",
            "value": [30.0, 70.0],
            "se": [4.0, 2.0],
            "n": [400, 380],
            "small_sample": False,
        }
    )
    before = survey.assign(value=[20.0, 69.0], se=[3.0, 2.0])
    service = pd.DataFrame(
        {
            "metric": ["fcr", "churn_rate"],
            "group": "all",
            "value": [70.0, 2.0],
            "se": [3.0, 0.3],
            "n": [200, 2000],
            "small_sample": False,
        }
    )
    alone = cx.headline_changes(survey, before).set_index("metric")
    together = cx.headline_changes(
        pd.concat([survey, service]), pd.concat([before, service.assign(value=[69.0, 2.2])])
    ).set_index("metric")
    # nps and csat are one family (the survey): Holm over those two, whatever else is sent
    assert together.loc["nps", "p_adjusted"] == pytest.approx(alone.loc["nps", "p_adjusted"])
    assert together.loc["csat", "p_adjusted"] == pytest.approx(alone.loc["csat", "p_adjusted"])
    # churn alone in its family: its adjusted p-value is its own p-value
    assert together.loc["churn_rate", "p_adjusted"] == pytest.approx(
        together.loc["churn_rate", "p_value"]
    )


def test_median_times_rest_on_the_tickets_whose_time_is_known(samples):
    tickets = cx.read_tickets(samples / "tickets.csv").data
    table = cx.headline_metrics(period="2026-10", tickets=tickets, previous=0).set_index("metric")
    october = tickets[tickets["opened_at"].dt.to_period("M") == pd.Period("2026-10")]
    assert table.loc["resolution_median_h", "n"] == october["resolved_at"].notna().sum()
    assert table.loc["first_response_median_h", "n"] == october["first_response_at"].notna().sum()
    assert table.loc["resolution_median_h", "n"] < len(october)  # open tickets are not in it


@pytest.mark.parametrize(
    ("period", "previous"), [("2026-10", 11), ("2026Q3", 3)], ids=["12-months", "4-quarters"]
)
def test_survey_rows_of_every_period_equal_the_separate_calls_on_that_period(
    samples, period, previous
):
    # the headline computes all periods in one pass per grouping; each row must be what
    # cx.nps / cx.csat / cx.ces give on that period's rows alone
    data = cx.read_responses(samples / "responses.csv").data
    table = cx.headline_metrics(
        period=period, responses=data, by="segment", weight="weight", min_n=40, previous=previous
    )
    shown = ["n", "value", "se", "ci_low", "ci_high", "small_sample"]
    first = pd.Period(period)
    for p in [first - k for k in range(previous + 1)]:
        for metric, func in (("nps", cx.nps), ("csat", cx.csat), ("ces", cx.ces)):
            rows = table[(table["period"] == str(p)) & (table["metric"] == metric)]
            overall = func(data, period=p, weight="weight", min_n=40)
            by = func(data, by="segment", period=p, weight="weight", min_n=40)
            expected = pd.concat([overall, by], ignore_index=True).rename(columns={metric: "value"})
            assert rows["group"].tolist() == ["all"] + [f"segment={s}" for s in by["segment"]]
            pd.testing.assert_frame_equal(
                rows[shown].reset_index(drop=True),
                expected[shown],
                check_dtype=False,
                check_exact=True,
            )


def test_service_rows_of_every_period_equal_the_per_period_calls(samples):
    """Twelve months of ticket indicators from one pass equal service_metrics and fcr called
    on each month; a month without tickets (August 2026 removed here) has no ticket rows."""
    tickets = cx.read_tickets(samples / "tickets.csv").data
    gap = tickets["opened_at"].dt.strftime("%Y-%m") == "2026-08"
    tickets = tickets[~gap].reset_index(drop=True)
    out = cx.headline_metrics(period="2026-10", tickets=tickets, previous=11)
    for p in pd.period_range("2025-11", "2026-10", freq="M"):
        rows = out[out["period"] == str(p)].set_index("metric")
        if str(p) == "2026-08":
            assert rows.empty
            continue
        inside = tickets[tickets["opened_at"].dt.to_period("M") == p]
        overview = cx.service_metrics(tickets, period=p).iloc[0]
        rate = cx.fcr(tickets, period=p).iloc[0]
        assert rows.at["first_response_median_h", "value"] == overview["first_response_median_h"]
        assert rows.at["first_response_median_h", "n"] == inside["first_response_at"].notna().sum()
        assert rows.at["resolution_median_h", "value"] == overview["resolution_median_h"]
        assert rows.at["resolution_median_h", "n"] == inside["resolved_at"].notna().sum()
        assert rows.at["fcr", "value"] == rate["fcr"] and rows.at["fcr", "n"] == rate["n"]
        assert (rows.at["fcr", "ci_low"], rows.at["fcr", "ci_high"]) == (
            rate["ci_low"],
            rate["ci_high"],
        )
