"""Time zones: one client zone, so that tickets land in the right month (issue 15)."""

import warnings

import pandas as pd
import pytest

import cxkit as cx
from cxkit.io.timezones import TimeZoneWarning

EDGE = (
    "ticket_id,opened_at,resolved_at\n"
    "T1,2026-03-31T23:30:00-05:00,2026-04-01T01:30:00-05:00\n"  # 23:30 on 31 March, UTC-5
    "T2,2026-04-01T00:30:00-05:00,2026-04-01T02:30:00-05:00\n"
    "T3,2026-03-31 22:00,\n"  # no offset: already client time
)


def months(data):
    return data["opened_at"].dt.strftime("%Y-%m").tolist()


def test_default_zone_is_the_first_offset_seen_and_said_once(write):
    """In UTC, T1 would open at 04:30 on 1 April; in its own zone (UTC-5) it is still March."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = cx.read_tickets(write("tickets.csv", EDGE))
    zone_warnings = [w for w in caught if issubclass(w.category, TimeZoneWarning)]
    assert len(zone_warnings) == 1  # two date columns, one message
    assert "UTC-05:00, the first seen (in 'opened_at')" in str(zone_warnings[0].message)
    assert months(res.data) == ["2026-03", "2026-04", "2026-03"]
    assert res.data["opened_at"].iloc[0] == pd.Timestamp("2026-03-31 23:30")
    assert res.data.attrs["timezone"] == "UTC-05:00"
    assert "time zone: UTC-05:00 (the first offset seen, in 'opened_at')" in res.details.to_text()
    by_month = cx.service_metrics(res.data, freq="M")
    assert by_month["tickets"].tolist() == [2, 1]  # March: T1, T3; April: T2


def test_client_zone_from_the_mapping(write):
    text = "ticket_id,opened_at\nT1,2026-03-31T22:30:00Z\nT2,2026-03-31 23:30\n"
    res = cx.read_tickets(write("tickets.csv", text), mapping={"timezone": "Europe/Madrid"})
    # Madrid is UTC+2 from 29 March 2026 (summer time): 22:30Z is 00:30 on 1 April
    assert res.data["opened_at"].tolist() == [
        pd.Timestamp("2026-04-01 00:30"),
        pd.Timestamp("2026-03-31 23:30"),  # no offset: taken as Madrid time already
    ]
    assert res.details.source["timezone"] == "Europe/Madrid (given)"


def test_reader_argument_overrides_the_mapping(write):
    text = "ticket_id,opened_at\nT1,2026-03-31T22:30:00Z\n"
    res = cx.read_tickets(
        write("tickets.csv", text), mapping={"timezone": "Europe/Madrid"}, timezone="UTC"
    )
    assert res.data["opened_at"].iloc[0] == pd.Timestamp("2026-03-31 22:30")


def test_offsets_without_colon_and_zone_names(write):
    text = (
        "ticket_id,opened_at\n"
        "T1,2026-03-31 23:30:00 +0200\n"  # 21:30 UTC
        "T2,2026-03-31 23:30 Europe/Madrid\n"  # summer time: also 21:30 UTC
        "T3,2026-03-31 23:30:00 UTC\n"
    )
    res = cx.read_tickets(write("tickets.csv", text), timezone="UTC")
    assert res.data["opened_at"].tolist() == [
        pd.Timestamp("2026-03-31 21:30"),
        pd.Timestamp("2026-03-31 21:30"),
        pd.Timestamp("2026-03-31 23:30"),
    ]


def test_unknown_time_zone_is_a_clear_error(write):
    path = write("tickets.csv", "ticket_id,opened_at\nT1,2026-03-31\n")
    with pytest.raises(cx.MappingError, match=r"timezone=: 'Mars/Olympus' is not a time zone"):
        cx.read_tickets(path, timezone="Mars/Olympus")
    with pytest.raises(cx.MappingError, match=r"`timezone`: 'CEST\+' is not a time zone"):
        cx.read_tickets(path, mapping={"timezone": "CEST+"})


def test_files_without_offsets_are_unchanged(write, samples):
    with warnings.catch_warnings():
        warnings.simplefilter("error", TimeZoneWarning)
        res = cx.read_tickets(samples / "tickets.csv")
    assert "timezone" not in res.details.source
    assert res.data["opened_at"].iloc[0] == pd.Timestamp("2024-11-01 03:23:27")
