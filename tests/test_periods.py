"""One period versus a granularity: parsing, selection and the deprecated spelling."""

import pandas as pd
import pytest

import cxkit as cx
from cxkit._periods import as_period, resolve, select_period


@pytest.mark.parametrize(
    ("text", "freq"), [("2026-10", "M"), ("2026Q4", "Q"), ("2026", "Y"), (2026, "Y")]
)
def test_as_period(text, freq):
    assert as_period(text) == pd.Period(str(text), freq=freq)


@pytest.mark.parametrize("bad", ["M", "2026-13", "Oct 2026", "2026-1", 3.5])
def test_as_period_rejects_anything_else(bad):
    with pytest.raises(cx.CxkitError, match=r"`period` must be one period: a month \(2026-10\)"):
        as_period(bad)


def test_resolve_accepts_the_old_granularity_with_a_warning():
    with pytest.warns(DeprecationWarning, match=r"nps\(period='Q'\) now means one period"):
        assert resolve(None, "Q", function="nps") == ("Q", None)
    assert resolve("M", "2026-10", function="nps") == ("M", pd.Period("2026-10", "M"))


def test_select_period_names_the_range_when_empty():
    frame = pd.DataFrame({"d": pd.to_datetime(["2025-01-05", "2025-03-20"]), "x": [1, 2]})
    assert select_period(frame, pd.Period("2025-03", "M"), date="d")["x"].tolist() == [2]
    with pytest.raises(cx.CxkitError, match=r"no rows in period 2025-02.*2025-01-05 to 2025-03-20"):
        select_period(frame, pd.Period("2025-02", "M"), date="d")


def test_metrics_restricted_to_one_period_equal_the_metric_on_its_rows(samples):
    data = cx.read_responses(samples / "responses.csv").data
    october = data[data["responded_at"].dt.to_period("M") == pd.Period("2026-10", "M")]
    pd.testing.assert_frame_equal(
        cx.nps(data, by="segment", period="2026-10"), cx.nps(october, by="segment")
    )
    pd.testing.assert_frame_equal(cx.ces(data, period="2026-10"), cx.ces(october))


def test_compare_period_keeps_that_periods_rows_and_adjusts_over_them(samples):
    data = cx.read_responses(samples / "responses.csv").data
    table = cx.compare(data, freq="M", period="2026-10", by="segment")
    assert set(table["period"].astype(str)) == {"2026-10"}
    # 3 segments against their September, 3 segments against the rest
    assert table["comparison"].value_counts().to_dict() == {"period": 3, "group_vs_rest": 3}
    from statsmodels.stats.multitest import multipletests

    expected = multipletests(table["p_value"], method="holm")[1]
    pd.testing.assert_series_equal(
        table["p_adjusted"], pd.Series(expected, name="p_adjusted"), check_names=False
    )
    with pytest.raises(cx.CxkitError, match=r"not a period of `freq` 'Q'"):
        cx.compare(data, freq="Q", period="2026-10")
    # without freq, a quarter's comparisons are per quarter (the default "M" does not clash)
    quarter = cx.compare(data, period="2026Q3")
    assert (
        set(quarter["period"].astype(str)) == {"2026Q3"}
        and quarter["reference"].iloc[0] == "2026Q2"
    )
    with pytest.raises(cx.CxkitError, match=r"no responses in period 2019-01"):
        cx.compare(data, period="2019-01")


@pytest.mark.parametrize(
    "call",
    [
        lambda r, t, c: cx.nps(r, period="M"),
        lambda r, t, c: cx.ces(r, period="Q"),
        lambda r, t, c: cx.compare(r, period="Q"),
        lambda r, t, c: cx.service_metrics(t, period="M"),
        lambda r, t, c: cx.fcr(t, period="M"),
        lambda r, t, c: cx.churn_rate(c, period="Q"),
    ],
    ids=["nps", "ces", "compare", "service_metrics", "fcr", "churn_rate"],
)
def test_the_deprecation_warning_names_the_callers_line(samples, call):
    frames = (
        cx.read_responses(samples / "responses.csv").data,
        cx.read_tickets(samples / "tickets.csv").data,
        cx.read_customers(samples / "customers.csv").data,
    )
    with pytest.warns(DeprecationWarning) as caught:
        call(*frames)
    assert caught[0].filename == __file__  # this test's line, not a cxkit module's


def test_a_period_selects_aware_dates_by_their_wall_time():
    # 23:30 in Bogotá on 31 October is 04:30 UTC on 1 November: October by the local clock
    stamps = pd.Series(pd.to_datetime(["2026-10-31 23:30", "2026-11-01 00:30"]))
    aware = pd.DataFrame({"at": stamps.dt.tz_localize("America/Bogota")})
    assert select_period(aware, pd.Period("2026-10", "M"), date="at").index.tolist() == [0]
