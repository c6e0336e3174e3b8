"""cx.scan of tickets and customers: service metrics, FCR, reopen rate and churn from DuckDB.

The reference for every number is the pandas path on the same rows: ``cx.service_metrics``
(``fcr``, ``reopen_rate``, ``churn_rate``) on the frame ``cx.read_tickets`` (``read_customers``)
gives for the same file; for a folder, on the files read one by one and concatenated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.errors import CxkitError

TICKET_CONFIGS = [
    {},
    {"by": "channel"},
    {"by": ["channel", "agent"], "freq": "M"},
    {"by": "agent", "period": "2026-10"},
    {"freq": "W"},
    {"by": "channel", "freq": "Q", "date": "resolved_at"},
]
CHURN_CONFIGS = [
    {},
    {"by": "segment"},
    {"by": "segment", "freq": "Q"},
    {"period": "2026-10"},
    {"by": "segment", "period": "2026Q2"},
    {"freq": "W"},
    {"freq": "Y", "as_of": "2026-06-30"},
]


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=1e-9)


@pytest.fixture(scope="module")
def tickets(samples):
    return cx.scan(samples / "tickets.csv", kind="tickets"), cx.read_tickets(
        samples / "tickets.csv"
    ).data


@pytest.fixture(scope="module")
def customers(samples):
    path = samples / "customers.csv"
    return cx.scan(path, kind="customers"), cx.read_customers(path).data


@pytest.mark.parametrize("options", TICKET_CONFIGS)
@pytest.mark.parametrize("metric", [cx.service_metrics, cx.fcr, cx.reopen_rate])
def test_ticket_metrics_on_a_scan_equal_the_pandas_path(tickets, metric, options):
    scanned, frame = tickets
    same(metric(scanned, **options), metric(frame, **options))


@pytest.mark.parametrize("options", CHURN_CONFIGS)
def test_churn_on_a_scan_equals_the_pandas_path(customers, options):
    scanned, frame = customers
    same(cx.churn_rate(scanned, **options), cx.churn_rate(frame, **options))


def generated_tickets(rows: int, seed: int) -> pd.DataFrame:
    """Tickets with open, unanswered and unknown-contact ones, and business-hours durations."""
    rng = np.random.default_rng(seed)
    opened = pd.Timestamp("2026-01-01") + pd.to_timedelta(
        rng.integers(0, 200 * 24 * 60, rows), "min"
    )
    answered = rng.random(rows) < 0.9
    resolved = rng.random(rows) < 0.8
    first = opened + pd.to_timedelta(rng.exponential(5, rows), "h")
    done = opened + pd.to_timedelta(rng.exponential(40, rows), "h")
    business = np.round(rng.exponential(3, rows), 2)
    return pd.DataFrame(
        {
            "ticket_id": [f"T{seed}-{i}" for i in range(rows)],
            "channel": rng.choice(["email", "chat", "phone", None], rows),
            "opened_at": opened,
            "first_response_at": first.where(answered),
            "resolved_at": done.where(resolved),
            "contacts": pd.array(
                np.where(rng.random(rows) < 0.1, None, rng.integers(1, 4, rows)), dtype="Int64"
            ),
            "reopened": pd.array(
                np.where(rng.random(rows) < 0.05, None, rng.random(rows) < 0.1), dtype="boolean"
            ),
            "first_response_business_h": np.where(answered, business, np.nan),
        }
    )


@pytest.fixture(scope="module")
def ticket_folder(tmp_path_factory):
    """Three Parquet files of generated tickets, and the pandas reading of each, concatenated."""
    folder = tmp_path_factory.mktemp("tickets")
    for seed in range(3):
        generated_tickets(1_500, seed).to_parquet(folder / f"tickets-{seed}.parquet")
    reads = [cx.read_tickets(p).data for p in sorted(folder.glob("*.parquet"))]
    return folder, pd.concat(reads, ignore_index=True)


@pytest.mark.parametrize(
    "options", [{}, {"by": "channel", "freq": "M"}, {"by": "channel", "period": "2026-03"}]
)
@pytest.mark.parametrize("metric", [cx.service_metrics, cx.fcr, cx.reopen_rate])
def test_ticket_metrics_on_a_folder_with_open_tickets_and_business_hours(
    ticket_folder, metric, options
):
    folder, frame = ticket_folder
    assert frame["resolved_at"].isna().any() and frame["contacts"].isna().any()
    assert frame["channel"].isna().any()  # a group of its own, last
    scanned = cx.scan(folder, kind="tickets")
    same(metric(scanned, **options), metric(frame, **options))


def test_business_hours_stay_apart_from_calendar_hours_on_a_scan(ticket_folder):
    folder, frame = ticket_folder
    table = cx.service_metrics(cx.scan(folder, kind="tickets"))
    business = frame["first_response_business_h"].dropna()
    # pandas' default quantile is linear interpolation (type 7), as DuckDB's quantile_cont
    assert table["first_response_business_median_h"].iloc[0] == pytest.approx(business.median())
    assert table["first_response_business_p90_h"].iloc[0] == pytest.approx(business.quantile(0.9))
    assert "resolution_business_median_h" not in table.columns  # no such column in the files


def test_ticket_metrics_on_a_scan_name_what_is_missing(samples, ticket_folder):
    scanned = cx.scan(samples / "tickets.csv", kind="tickets")
    with pytest.raises(CxkitError, match=r"`by`: column\(s\) \['team'\] not found"):
        cx.service_metrics(scanned, by="team")
    with pytest.raises(CxkitError, match="no rows in period 2019-01"):
        cx.fcr(scanned, period="2019-01")
    with pytest.raises(CxkitError, match=r"`freq`: a scan on DuckDB groups by calendar periods"):
        cx.service_metrics(scanned, freq="W-MON")  # weeks ending Monday: not DuckDB's weeks
    bare = pd.DataFrame(
        {"ticket_id": ["a", "b"], "opened_at": pd.to_datetime(["2026-01-02", "2026-01-03"])}
    )
    folder, _ = ticket_folder
    bare.to_parquet(folder.parent / "bare.parquet")
    no_contacts = cx.scan(folder.parent / "bare.parquet", kind="tickets")
    with pytest.raises(CxkitError, match=r"`data`: column\(s\) \['contacts'\] not found"):
        cx.fcr(no_contacts)
    # without the optional columns the summary is still made: all open, no times
    table = cx.service_metrics(no_contacts)
    assert table[["tickets", "open_tickets"]].iloc[0].tolist() == [2, 2]
    assert table["first_response_median_h"].isna().all()


def test_the_old_period_spelling_warns_at_the_callers_line_for_a_scan(samples):
    scanned = cx.scan(samples / "tickets.csv", kind="tickets")
    with pytest.warns(DeprecationWarning) as caught:
        cx.fcr(scanned, period="M")
    assert caught[0].filename == __file__


def test_churn_on_a_scan_names_a_missing_date_column(customers):
    scanned, _ = customers
    with pytest.raises(CxkitError, match="column 'ended' not found"):
        cx.churn_rate(scanned, end="ended")
    with pytest.raises(CxkitError, match="outside the customer history"):
        cx.churn_rate(scanned, period="2019-01")
