"""Helpdesk ticket exports read without a mapping (issue 15).

The synthetic exports in ``tests/io/data/helpdesk/`` copy the column names (and, where known, the
value vocabularies) of each vendor's export; every value in them is invented. Where the names
come from, and how sure we are:

* Zendesk Support CSV export ("Id", "Requester id", "Via", "Created at", "Solved at",
  "Satisfaction Score", "Reopens", "Replies", "First reply time in minutes", "... within business
  hours", "Full resolution time in minutes", ...): the export's field list as reproduced in
  https://gist.github.com/leomao10 (snake_case field names of the CSV export), and the metric
  definitions of https://support.zendesk.com/hc/en-us/articles/4408834848154 (native duration
  metrics) and https://support.zendesk.com/hc/en-us/articles/4408886165402 (exporting ticket
  data). High confidence in the names; the headers' exact capitalisation does not matter (names
  are compared without case or punctuation).
* Zendesk Explore report: "Ticket created - Timestamp", "First reply time (min)", "Full
  resolution time (hrs)", "Public replies", "Reopens" as quoted in issue 15, and the Explore
  datasets named in the Zendesk article above. The Spanish headers of
  ``zendesk_explore_tickets_es.csv`` ("ID del ticket", "Ticket creado - Marca de tiempo",
  "Tiempo de primera respuesta (min)", ...) are our translation in Zendesk's style, modelled
  on https://support.zendesk.com/hc/es/articles/205951808 ("Tiempo de primera respuesta"):
  low confidence in the exact wording.
* Freshdesk ticket export ("Ticket ID", "Source", "Agent", "Created time", "Resolved time",
  "First response time (in hrs)", "Resolution time (in hrs)", "Agent interactions", "Email"):
  the ticket export's field list from memory of Freshdesk's export dialog; the source
  vocabulary (Email, Portal, Phone, Chat, Feedback Widget, Outbound Email) from
  https://schemas.apis.io/schemas/freshdesk/freshdesk-ticket/ . Medium confidence.
* Intercom conversations export ("Conversation ID", "Conversation started at", "Conversation
  first replied at", "Conversation last closed at", "Channel", "Teammate assigned",
  "Conversation rating"): the attribute names of the Conversations dataset in
  https://intercom.com/help/en/articles/7022438-reporting-metrics-attributes . Medium-low
  confidence that a CSV export uses these exact headers.
* HubSpot tickets export ("Ticket ID", "Ticket name", "Pipeline", "Create date", "Close date",
  "First agent email reply date", "Source", "Ticket owner"): HubSpot's default ticket
  properties, https://knowledge.hubspot.com/properties/hubspots-default-ticket-properties (read
  in its Portuguese and Italian versions: "Data de criação", "Data de fechamento", "Data de
  resposta do primeiro agente por e-mail"). Medium confidence.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.cli import main
from cxkit.io import helpdesk
from cxkit.io.timezones import TimeZoneWarning

DATA = Path(__file__).parent / "data" / "helpdesk"


def read(name, **kwargs):
    return cx.read_tickets(DATA / name, **kwargs)


def accounted(res):
    assert res.rows_accepted + res.rows_quarantined == res.rows_read


# ---------------------------------------------------------------------------- Zendesk Support
def test_zendesk_support_export():
    res = read("zendesk_support_tickets.csv")
    accounted(res)
    assert (res.rows_read, res.rows_accepted) == (6, 5)
    # ticket 106 (row 7) says its first reply time was "soon"
    assert res.quarantine[["row", "reason"]].values.tolist() == [[7, "invalid_duration"]]
    assert res.details.source["helpdesk"] == "Zendesk Support export"
    t = res.data
    assert t["ticket_id"].tolist() == ["101", "102", "103", "104", "105"]
    assert t["customer_id"].tolist() == ["9001", "9002", "9003", "9001", "9004"]  # Requester id
    assert t["channel"].tolist() == ["Web", "Email", "Phone", "Chat", "API"]  # Via
    # Satisfaction Score: Good -> 5, Bad -> 1, Offered/Unoffered -> no rating
    assert t["csat"].tolist() == [5, 1, pd.NA, pd.NA, 5]
    assert t["reopened"].tolist() == [False, True, False, False, False]  # Reopens > 0
    assert t["contacts"].tolist() == [1, 3, 1, 2, 1]  # Replies; 0 replies is one contact
    # first reply 30 minutes after 09:00 on 2 March
    assert t["first_response_at"].iloc[0] == pd.Timestamp("2026-03-02 09:30")
    # business-hours durations kept, in hours: 30, 60, -, 15, 45 minutes; 360, 960, 60, -, 120
    np.testing.assert_allclose(t["first_response_business_h"], [0.5, 1.0, np.nan, 0.25, 0.75])
    np.testing.assert_allclose(t["resolution_business_h"], [6, 16, 1, np.nan, 2])
    assert t.attrs["business_hours"] == ["first_response_business_h", "resolution_business_h"]


def test_zendesk_support_service_metrics_by_hand():
    t = read("zendesk_support_tickets.csv").data
    m = cx.service_metrics(t).iloc[0]
    assert (m["tickets"], m["open_tickets"]) == (5, 1)  # ticket 104 has no "Solved at"
    # first reply (calendar): 30, 120, -, 15, 45 minutes = 0.5, 2, 0.25, 0.75 h
    assert m["first_response_median_h"] == pytest.approx((0.5 + 0.75) / 2)
    assert m["first_response_mean_h"] == pytest.approx((0.5 + 2 + 0.25 + 0.75) / 4)
    # resolution from Created at to Solved at: 6 h, 48 h, 1 h, (open), 2 h
    assert m["resolution_median_h"] == pytest.approx((2 + 6) / 2)
    assert m["resolution_mean_h"] == pytest.approx((6 + 48 + 1 + 2) / 4)
    # FCR among the 4 solved: 101 (1 reply), 103 (0 replies), 105 (1 reply) yes; 102 no
    assert m["fcr"] == pytest.approx(100 * 3 / 4)  # percent
    assert m["reopen_rate"] == pytest.approx(100 * 1 / 4)  # percent: 102 of the 4 solved
    # business hours, summarised apart from calendar hours: 0.5, 1, 0.25, 0.75 h answered
    assert m["first_response_business_median_h"] == pytest.approx((0.5 + 0.75) / 2)
    assert m["resolution_business_mean_h"] == pytest.approx((6 + 16 + 1 + 2) / 4)


def test_service_metrics_without_business_hours_has_no_such_columns(samples):
    tickets = cx.read_tickets(samples / "tickets.csv").data
    assert not any("business" in c for c in cx.service_metrics(tickets).columns)


# ------------------------------------------------------------- Zendesk Explore, in Spanish
def test_zendesk_explore_spanish_report_with_durations_only():
    res = read("zendesk_explore_tickets_es.csv")
    accounted(res)
    assert (res.rows_read, res.rows_accepted) == (5, 4)
    assert res.quarantine[["row", "reason"]].values.tolist() == [[6, "invalid_count"]]  # "dos"
    assert res.details.source["helpdesk"] == "Zendesk Explore report"
    t = res.data
    assert t["channel"].tolist() == ["Email", "Web", "Chat", "Phone"]
    assert t["csat"].tolist() == [5, 1, pd.NA, pd.NA]  # Buena, Mala, No ofrecida, Ofrecida
    # resolution given only as "Tiempo de resolución completa (h)", decimal comma: 2,5 h
    assert t["resolved_at"].iloc[0] == pd.Timestamp("2026-03-10 11:30")
    m = cx.service_metrics(t).iloc[0]
    # first reply 30, 90, 5 minutes (7004 never answered)
    assert m["first_response_mean_h"] == pytest.approx((0.5 + 1.5 + 5 / 60) / 3)
    assert m["first_response_median_h"] == pytest.approx(0.5)
    assert m["resolution_mean_h"] == pytest.approx((2.5 + 24 + 0.5) / 3)
    assert m["open_tickets"] == 1
    assert m["fcr"] == pytest.approx(100 * 2 / 3)  # percent  # 7001, 7003 one reply; 7002 reopened
    assert m["reopen_rate"] == pytest.approx(100 * 1 / 3)  # percent


def test_zendesk_explore_report_of_issue_15_with_offsets(write):
    """The export of issue 15, English headers, timestamps with the agent's offset (-05:00)."""
    text = (
        "Ticket ID,Ticket created - Timestamp,Via,Requester email,Public replies,Reopens,"
        "First reply time (min),Full resolution time (hrs)\n"
        "1,2026-01-31T23:30:00-05:00,Web form,a@example.com,1,0,20,1.5\n"
        "2,2026-02-01T08:00:00-05:00,Email,b@example.com,2,1,60,26\n"
        "3,2026-02-01T09:00:00-05:00,Voice,a@example.com,0,0,,\n"
    )
    with pytest.warns(TimeZoneWarning, match=r"reading them in UTC-05:00, the first seen"):
        res = cx.read_tickets(write("explore.csv", text))
    accounted(res)
    assert (res.rows_read, res.rows_accepted) == (3, 3)
    assert res.details.source["helpdesk"] == "Zendesk Explore report"
    t = res.data
    # in UTC ticket 1 would open at 04:30 on 1 February; in its zone it is 31 January
    assert t["opened_at"].dt.strftime("%Y-%m").tolist() == ["2026-01", "2026-02", "2026-02"]
    assert t["channel"].tolist() == ["Web", "Email", "Phone"]
    assert t["reopened"].tolist() == [False, True, False]
    assert t["contacts"].tolist() == [1, 2, 1]
    m = cx.service_metrics(t).iloc[0]
    assert m["first_response_mean_h"] == pytest.approx((20 / 60 + 1) / 2)
    assert m["resolution_mean_h"] == pytest.approx((1.5 + 26) / 2)
    assert m["open_tickets"] == 1  # ticket 3: no resolution time yet


def test_requester_emails_are_never_kept_in_clear(tmp_path):
    res = read("zendesk_explore_tickets_es.csv")
    ids = res.data["customer_id"]
    assert not ids.str.contains("@").any()
    assert ids.str.fullmatch(r"h:[0-9a-f]{16}").all()
    assert ids.iloc[0] == ids.iloc[2]  # ana@ejemplo.es twice: one customer
    assert ids.nunique() == 3
    # the quarantine shows the pseudonym too, not the address
    assert not res.quarantine.astype(str).apply(lambda c: c.str.contains("@")).any().any()
    assert "pseudonyms" in res.details.to_text()


def test_only_ids_that_are_addresses_count_as_email():
    from cxkit.io.pseudonyms import looks_like_email

    def ids(values):
        return pd.Series(values, dtype="str")

    assert looks_like_email(ids(["C1", None, " ana@ejemplo.es "]))
    assert not looks_like_email(ids(["C1", "C2", None]))
    assert not looks_like_email(ids(["team@", "@home", "a@b", "a b@c.es"]))  # an @, no address


def test_pseudonyms_depend_on_the_key(monkeypatch):
    default = read("freshdesk_tickets.csv").data["customer_id"]
    monkeypatch.setenv("CXKIT_ID_KEY", "client-secret")
    keyed = read("freshdesk_tickets.csv")
    assert (keyed.data["customer_id"] != default).all()
    assert "key from $CXKIT_ID_KEY" in keyed.details.source["customer_id"]


# ------------------------------------------------------------------------------- Freshdesk
def test_freshdesk_export():
    res = read("freshdesk_tickets.csv")
    accounted(res)
    assert (res.rows_read, res.rows_accepted) == (6, 5)
    # ticket 5 (row 6) was resolved the day before it was created
    assert res.quarantine[["row", "reason"]].values.tolist() == [[6, "resolved_before_open"]]
    assert res.details.source["helpdesk"] == "Freshdesk ticket export"
    t = res.data
    assert t["channel"].tolist() == ["Web", "Email", "Phone", "Chat", "Email"]  # Source
    assert t["contacts"].tolist() == [1, 2, 1, 1, 1]  # Agent interactions, 0 -> 1
    # "First response time (in hrs)": 1.5, 0.25, 0.5, 0.1 and "00:45:00" (clock text)
    hours = (t["first_response_at"] - t["opened_at"]) / pd.Timedelta(hours=1)
    np.testing.assert_allclose(hours, [1.5, 0.25, 0.5, 0.1, 0.75])
    m = cx.service_metrics(t).iloc[0]
    assert m["first_response_median_h"] == pytest.approx(0.5)  # of 0.1 0.25 0.5 0.75 1.5
    assert m["first_response_mean_h"] == pytest.approx((1.5 + 0.25 + 0.5 + 0.1 + 0.75) / 5)
    # Resolved time - Created time: 4 h, 24 h, (open), 0.5 h, 3 h
    assert m["resolution_median_h"] == pytest.approx((3 + 4) / 2)
    assert m["resolution_mean_h"] == pytest.approx((4 + 24 + 0.5 + 3) / 4)
    assert m["fcr"] == pytest.approx(100 * 3 / 4)  # percent  # tickets 1, 4, 6 in one interaction


# -------------------------------------------------------------------------------- Intercom
def test_intercom_export_in_the_client_time_zone():
    res = read("intercom_conversations.csv", timezone="America/Mexico_City")
    accounted(res)
    assert (res.rows_read, res.rows_accepted) == (4, 3)
    # c4 was rated 6 on a 1-5 scale
    assert res.quarantine[["row", "reason"]].values.tolist() == [[5, "score_out_of_range"]]
    assert res.details.source["helpdesk"] == "Intercom conversations export"
    t = res.data
    # Mexico City is UTC-6 all year since 2022: 05:30Z on 1 April is 23:30 on 31 March
    assert t["opened_at"].tolist()[:2] == [
        pd.Timestamp("2026-03-31 15:00"),
        pd.Timestamp("2026-03-31 23:30"),
    ]
    assert t["channel"].tolist() == ["Chat", "Email", "Phone"]
    assert t["csat"].tolist() == [5, 2, pd.NA]  # Conversation rating
    m = cx.service_metrics(t).iloc[0]
    assert m["first_response_mean_h"] == pytest.approx((10 / 60 + 1) / 2)  # 10 min, 1 h
    assert m["resolution_mean_h"] == pytest.approx((1 + 4) / 2)  # 1 h, 4 h
    by_month = cx.service_metrics(t, freq="M")
    assert dict(zip(by_month["period"].astype(str), by_month["tickets"], strict=True)) == {
        "2026-03": 2,
        "2026-04": 1,
    }


# --------------------------------------------------------------------------------- HubSpot
def test_hubspot_export():
    res = read("hubspot_tickets.csv")
    accounted(res)
    assert (res.rows_read, res.rows_accepted) == (4, 3)
    assert res.quarantine[["row", "reason"]].values.tolist() == [[5, "duplicate_id"]]
    assert res.details.source["helpdesk"] == "HubSpot tickets export"
    t = res.data
    assert t["channel"].tolist() == ["Email", "Chat", "Web"]  # Source: Form -> Web
    assert t["agent"].tolist() == ["Ana", "Ben", "Ana"]  # Ticket owner
    m = cx.service_metrics(t).iloc[0]
    # first agent reply 1 h and 0.5 h after creation; closed after 8 h and 24 h
    assert m["first_response_median_h"] == pytest.approx((1 + 0.5) / 2)
    assert m["resolution_mean_h"] == pytest.approx((8 + 24) / 2)
    assert (m["tickets"], m["open_tickets"]) == (3, 1)


# ------------------------------------------------------------------------- cxkit validate
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("zendesk_support_tickets.csv", "Zendesk Support export"),
        ("zendesk_explore_tickets_es.csv", "Zendesk Explore report"),
        ("freshdesk_tickets.csv", "Freshdesk ticket export"),
        ("intercom_conversations.csv", "Intercom conversations export"),
        ("hubspot_tickets.csv", "HubSpot tickets export"),
    ],
)
def test_validate_names_the_detected_format(name, shown, capsys):
    assert main(["validate", str(DATA / name), "--kind", "tickets"]) == 0
    out = capsys.readouterr().out
    assert f"format: {shown} (recognised by its column names)" in out
    assert "@" not in out


# ------------------------------------------------------------------ vocabulary and mapping
def test_mapping_overrides_the_channel_vocabulary():
    res = read(
        "zendesk_support_tickets.csv", mapping={"values": {"channel": {"Web form": "Portal"}}}
    )
    assert res.data["channel"].tolist()[:2] == ["Portal", "Email"]


def test_mapping_declares_a_duration_the_name_does_not_explain(write):
    path = write(
        "tickets.csv",
        "ticket_id,opened_at,Espera\nT1,2026-03-02 09:00,90\nT2,2026-03-02 10:00,30\n",
    )
    res = cx.read_tickets(
        path, mapping={"durations": {"Espera": {"to": "first_response", "unit": "minutes"}}}
    )
    assert res.data["first_response_at"].tolist() == [
        pd.Timestamp("2026-03-02 10:30"),  # 09:00 + 90 min
        pd.Timestamp("2026-03-02 10:30"),  # 10:00 + 30 min
    ]


def test_mapping_duration_without_a_unit_is_an_error(write):
    path = write("tickets.csv", "ticket_id,opened_at,Espera\nT1,2026-03-02 09:00,90\n")
    with pytest.raises(cx.MappingError, match=r"`durations.Espera` needs `unit:`"):
        cx.read_tickets(path, mapping={"durations": {"Espera": "first_response"}})


def test_plain_tickets_are_not_taken_for_a_helpdesk_export(samples):
    res = cx.read_tickets(samples / "tickets.csv")
    assert "helpdesk" not in res.details.source
    assert "format:" not in res.details.to_text()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("First reply time in minutes", ("first_response", "minutes", False)),
        ("First reply time in minutes within business hours", ("first_response", "minutes", True)),
        ("Full resolution time - Business hours (hrs)", ("resolution", "hours", True)),
        ("Tiempo de primera respuesta (horas laborables)", ("first_response", "hours", True)),
        ("First resolution time in minutes", None),  # not the full resolution
        ("Time to close", None),  # no unit in the name: a mapping must say it
        ("Requester wait time in minutes", None),
    ],
)
def test_duration_names(name, expected):
    assert helpdesk.parse_duration_name(name) == expected


# ------------------------------------------------------------------------ the Fix suggestion
def test_fix_suggestion_never_pairs_a_count_with_a_date(write):
    """Issue 15: the suggested mapping paired "Reopens" with opened_at."""
    path = write("tickets.csv", "Ticket,Subject,Reopens,Replies\n1,Hello,0,1\n")
    with pytest.raises(cx.DataFileError, match=r"required column\(s\) \['opened_at'\]") as info:
        cx.read_tickets(path)
    message = str(info.value)
    assert '"<your column>": opened_at' in message
    assert '"Reopens"' not in message and '"Replies"' not in message


def test_fix_suggestion_still_proposes_a_plausible_date(write):
    path = write("tickets.csv", "Ticket,Fecha de alta,Reopens\n1,2026-03-02,0\n")
    with pytest.raises(cx.DataFileError, match=r'"Fecha de alta": opened_at'):
        cx.read_tickets(path)


def test_fix_suggestion_checks_the_values_too(write):
    """ "Fecha de alta" says date, but its values are names: no suggestion."""
    path = write("tickets.csv", "Ticket,Fecha de alta\n1,Ana\n2,Ben\n")
    with pytest.raises(cx.DataFileError, match=r'"<your column>": opened_at'):
        cx.read_tickets(path)
