"""Service metrics on a hand-made ticket table; every expected number is worked out here."""

import numpy as np
import pandas as pd
import pytest

import cxkit as cx

T = pd.Timestamp


@pytest.fixture
def tickets():
    return pd.DataFrame(
        {
            "ticket_id": ["t1", "t2", "t3", "t4", "t5"],
            "channel": pd.Categorical(["chat", "chat", "email", "email", "email"]),
            "opened_at": [
                T("2025-01-01 10:00"),
                T("2025-01-01 12:00"),
                T("2025-01-02 09:00"),
                T("2025-02-01 09:00"),
                T("2025-02-03 09:00"),
            ],
            "first_response_at": [
                T("2025-01-01 10:30"),
                T("2025-01-01 13:00"),
                T("2025-01-02 13:00"),
                T("2025-02-01 17:00"),
                pd.NaT,
            ],
            "resolved_at": [
                T("2025-01-01 12:00"),
                T("2025-01-02 12:00"),
                T("2025-01-04 09:00"),
                pd.NaT,
                pd.NaT,
            ],
            "contacts": pd.array([1, 2, 1, 1, 1], dtype="Int32"),
            "reopened": pd.array([False, False, True, False, False], dtype="boolean"),
        }
    )


def test_overall(tickets):
    row = cx.service_metrics(tickets).iloc[0]
    # first responses: 0.5 h, 1 h, 4 h, 8 h (t5 not answered yet)
    assert row["tickets"] == 5 and row["open_tickets"] == 2
    assert row["first_response_median_h"] == pytest.approx((1 + 4) / 2)
    assert row["first_response_mean_h"] == pytest.approx((0.5 + 1 + 4 + 8) / 4)
    assert row["first_response_p90_h"] == pytest.approx(np.quantile([0.5, 1, 4, 8], 0.9))
    # resolved: t1 in 2 h, t2 in 24 h, t3 in 48 h
    assert row["resolution_median_h"] == pytest.approx(24)
    assert row["resolution_mean_h"] == pytest.approx((2 + 24 + 48) / 3)
    # of the 3 resolved, only t1 took one contact and was not reopened
    assert row["fcr"] == pytest.approx(100 / 3)  # percent
    assert row["reopen_rate"] == pytest.approx(100 / 3)


def test_by_channel_and_period(tickets):
    out = cx.service_metrics(tickets, by="channel", freq="M")
    assert out[["channel", "period"]].astype(str).values.tolist() == [
        ["chat", "2025-01"],
        ["email", "2025-01"],
        ["email", "2025-02"],
    ]
    assert out["tickets"].tolist() == [2, 1, 2]
    assert out["open_tickets"].tolist() == [0, 0, 2]
    assert np.isnan(out["resolution_median_h"].iloc[2])  # nothing resolved yet in Feb email
    assert out["fcr"].iloc[0] == pytest.approx(50.0)


def test_optional_columns_missing(tickets):
    row = cx.service_metrics(tickets[["ticket_id", "opened_at", "resolved_at"]]).iloc[0]
    assert np.isnan(row["first_response_median_h"]) and np.isnan(row["fcr"])
    assert row["resolution_median_h"] == pytest.approx(24)


def test_requires_opened_at():
    with pytest.raises(cx.CxkitError, match=r"`data`: column\(s\) \['opened_at'\] not found"):
        cx.service_metrics(pd.DataFrame({"ticket_id": ["a"]}))


def test_sample_tickets(samples):
    data = cx.read_tickets(samples / "tickets.csv").data
    out = cx.service_metrics(data, by="channel")
    assert out["tickets"].sum() == len(data)
    email = out.set_index("channel").loc["Email"]
    # planted email first-response median 4 h (x3 in three incident months): between the two
    assert 4.0 < email["first_response_median_h"] < 12.0


def test_fcr_and_reopen_rate_tables_with_wilson_intervals(tickets):
    from statsmodels.stats.proportion import proportion_confint

    out = cx.fcr(tickets, min_n=2).iloc[0]
    # resolved with a contact count: t1, t2, t3; only t1 took one contact and was not reopened
    assert (out["n"], out["successes"]) == (3, 1)
    assert out["fcr"] == pytest.approx(100 / 3)
    low, high = proportion_confint(1, 3, alpha=0.05, method="wilson")
    assert (out["ci_low"], out["ci_high"]) == (pytest.approx(100 * low), pytest.approx(100 * high))
    assert bool(out["small_sample"]) is False
    reopen = cx.reopen_rate(tickets, by="channel")
    assert list(reopen.columns[:7]) == [
        "channel",
        "n",
        "reopen_rate",
        "se",
        "ci_low",
        "ci_high",
        "small_sample",
    ]


def test_service_metrics_for_one_period(tickets):
    row = cx.service_metrics(tickets, period="2025-02").iloc[0]
    assert row["tickets"] == 2 and row["open_tickets"] == 2
    with pytest.raises(cx.CxkitError, match=r"no rows in period 2025-05"):
        cx.service_metrics(tickets, period="2025-05")
