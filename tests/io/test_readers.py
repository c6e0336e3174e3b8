"""Readers: each rejection reason, each file-level error, dtypes, the no-row-lost invariant."""

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxkit as cx
from cxkit.synthetic.messy import PLANTED


def quarantined(res):
    return res.quarantine[["row", "reason"]].values.tolist()


# ------------------------------------------------------------------------ rejection reasons
def test_response_rejections(write):
    text = (
        "response_id,responded_at,nps,csat,ces,stage,weight,rating_support\n"
        "R1,2025-01-01,9,5,7,adopt,1.5,4\n"  # row 2: fine
        "R2,2025-01-01,11,,,,,\n"  # row 3: NPS outside 0-10
        "R3,2025-01-01,bien,,,,,\n"  # row 4: not a score or label
        "R1,2025-01-02,8,,,,,\n"  # row 5: duplicate of row 2
        ",2025-01-02,8,,,,,\n"  # row 6: no id
        "R6,,8,,,,,\n"  # row 7: no date
        "R7,someday,8,,,,,\n"  # row 8: unreadable date
        "R8,2025-01-02,,,,adopt,,\n"  # row 9: no score at all
        "R9,2025-01-02,8,,,descubrir,,\n"  # row 10: unknown stage
        "R10,2025-01-02,8,,,,-2,\n"  # row 11: negative weight
        "R11,2025-01-02,8,,,,heavy,\n"  # row 12: weight not a number
        "R12,2025-01-02,,,,,,6\n"  # row 13: rating outside 1-5
        ",,,,,,,\n"  # row 14: blank
        "R14,2025-01-02,,,,,,3\n"  # row 15: a rating alone is a score: fine
    )
    res = cx.read_responses(write("responses.csv", text))
    assert quarantined(res) == [
        [3, "score_out_of_range"],
        [4, "invalid_score"],
        [5, "duplicate_id"],
        [6, "missing_id"],
        [7, "missing_date"],
        [8, "invalid_date"],
        [9, "no_score"],
        [10, "invalid_stage"],
        [11, "invalid_weight"],
        [12, "invalid_number"],
        [13, "score_out_of_range"],
        [14, "blank_row"],
    ]
    assert res.data["response_id"].tolist() == ["R1", "R14"]
    assert res.rows_read == 14
    details = dict(zip(res.quarantine["row"], res.quarantine["detail"], strict=True))
    assert (
        details[3] == "nps='11' is outside 0–10 (set `scales:` in the mapping if the scale differs)"
    )
    assert details[4].startswith("nps='bien' is not a score on 0–10 or a known answer label")
    assert details[5] == "response_id='R1' appears on an earlier row (first on row 2)"
    assert details[7] == "responded_at=(empty) is empty"
    assert details[8] == "responded_at='someday' is not a date"
    assert details[13].startswith("rating_support='6' is outside 1–5")


def test_several_reasons_on_one_row(write):
    text = "response_id,responded_at,nps,csat\nR1,never,12,x\nR2,2025-01-01,3,3\n"
    res = cx.read_responses(write("responses.csv", text))
    assert quarantined(res) == [[2, "invalid_date; invalid_score; score_out_of_range"]]
    assert res.details.reasons == {"invalid_date": 1, "invalid_score": 1, "score_out_of_range": 1}


def test_ticket_rejections(write):
    text = (
        "ticket_id,opened_at,first_response_at,resolved_at,contacts,reopened\n"
        "T1,2025-01-01 10:00,2025-01-01 11:00,2025-01-02 10:00,1,no\n"  # fine
        "T2,2025-01-01 10:00,2025-01-01 09:00,,1,no\n"  # response before opening
        "T3,2025-01-01 10:00,,2025-01-01 08:00,1,no\n"  # resolved before opening
        "T4,2025-01-01 10:00,,,0,no\n"  # zero contacts
        "T5,2025-01-01 10:00,,,2,perhaps\n"  # not yes/no
        "T6,2025-01-01 10:00,,,,sí\n"  # still open: fine
    )
    res = cx.read_tickets(write("tickets.csv", text))
    assert quarantined(res) == [
        [3, "response_before_open"],
        [4, "resolved_before_open"],
        [5, "invalid_count"],
        [6, "invalid_flag"],
    ]
    assert res.data["ticket_id"].tolist() == ["T1", "T6"]
    assert res.data["reopened"].tolist() == [False, True]
    assert res.data["resolved_at"].isna().tolist() == [False, True]


def test_customer_rejections(write):
    text = (
        "customer_id,segment,start_date,end_date,revenue\n"
        "C1,Pymes,2024-01-01,,100\n"
        "C2,Pymes,2024-05-01,2024-04-01,100\n"  # ends before it starts
        "C3,Pymes,2024-05-01,,-5\n"  # negative revenue
        "C1,Pymes,2024-06-01,,10\n"  # duplicate id
    )
    res = cx.read_customers(write("customers.csv", text))
    assert quarantined(res) == [
        [3, "end_before_start"],
        [4, "negative_amount"],
        [5, "duplicate_id"],
    ]


def test_order_rejections_allow_repeat_customers(write):
    text = "customer_id,order_date,amount\nC1,2024-01-01,10\nC1,2024-01-02,-3\nC1,2024-01-03,x\n"
    res = cx.read_orders(write("orders.csv", text))
    assert quarantined(res) == [[3, "negative_amount"], [4, "invalid_number"]]
    assert res.data["amount"].tolist() == [10.0]


# ---------------------------------------------------------------------------- dtypes, API
def test_canonical_dtypes(samples):
    data = cx.read_responses(samples / "responses.csv").data
    assert str(data["nps"].dtype) == "Int8"
    assert pd.api.types.is_datetime64_dtype(data["responded_at"])
    assert isinstance(data["segment"].dtype, pd.CategoricalDtype)
    assert list(data["stage"].cat.categories) == list(cx.JOURNEY_STAGES)
    assert data["response_id"].dtype == "str"
    assert data["weight"].dtype == "float64"
    assert [c for c in data.columns if c.startswith("rating_")][:2] == ["rating_ads", "rating_app"]
    tickets = cx.read_tickets(samples / "tickets.csv").data
    assert str(tickets["contacts"].dtype) == "Int32"
    assert str(tickets["reopened"].dtype) == "boolean"


def test_result_repr_and_summary(samples):
    res = cx.read_responses(samples / "responses_messy_qualtrics.csv")
    text = repr(res)
    assert "rows read 300, accepted 294, quarantined 6" in text
    html = res._repr_html_()
    assert "<table>" in html and "blank_row" in html
    assert res.details.to_dict()["rows_read"] == 300


def test_messy_sample_reports_exactly_the_planted_rows(samples):
    # data/samples/README.md lists these; cxkit/synthetic/messy.py plants them (row = index + 4).
    res = cx.read_responses(samples / "responses_messy_qualtrics.csv")
    assert quarantined(res) == [[i + 4, reason] for i, _, reason in PLANTED]
    assert res.details.source["mapping"].endswith("responses_messy_qualtrics.mapping.yml")
    assert sorted(c for c in res.data.columns if c.startswith("rating_")) == [
        "rating_billing",
        "rating_delivery",
        "rating_onboarding",
        "rating_support",
    ]


def test_html_repr_escapes_values(write):
    text = "response_id,responded_at,nps\n<b>x</b>,2025-01-01,99\nR2,2025-01-01,9\n"
    html = cx.read_responses(write("responses.csv", text))._repr_html_()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


# ------------------------------------------------------------------------ file-level errors
def test_missing_file(tmp_path):
    with pytest.raises(cx.DataFileError, match=r"nope.csv': file not found"):
        cx.read_responses(tmp_path / "nope.csv")


def test_empty_file(write):
    with pytest.raises(cx.DataFileError, match=r"responses.csv' is empty \(0 bytes\)"):
        cx.read_responses(write("responses.csv", ""))


def test_header_only(write):
    with pytest.raises(cx.DataFileError, match=r"has a header but no data rows"):
        cx.read_responses(write("responses.csv", "response_id,responded_at,nps\n"))


def test_folder_and_old_excel(tmp_path, write):
    with pytest.raises(cx.DataFileError, match=r"is a folder"):
        cx.read_responses(tmp_path)
    with pytest.raises(cx.DataFileError, match=r"old Excel .xls files are not supported"):
        cx.read_responses(write("responses.xls", "x"))


def test_unreadable_workbook(write):
    with pytest.raises(cx.DataFileError, match=r"cannot be opened as an Excel workbook"):
        cx.read_responses(write("responses.xlsx", "not a zip"))


def test_missing_required_column_names_file_columns_and_fix(write):
    path = write("encuesta.csv", "Response ID,Fecha envío,NPS\nR1,2025-01-01,9\n")
    with pytest.raises(cx.DataFileError) as info:
        cx.read_responses(path)
    message = str(info.value)
    assert (
        "encuesta.csv': required column(s) ['responded_at'] not found (reading responses)"
        in message
    )
    assert "Columns found: 'Response ID', 'Fecha envío', 'NPS'." in message
    assert '"Fecha envío": responded_at' in message  # the suggested mapping entry
    assert "'encuesta.mapping.yml'" in message
    # and the suggested entry does fix it
    assert (
        cx.read_responses(path, mapping={"columns": {"Fecha envío": "responded_at"}}).rows_accepted
        == 1
    )


def test_no_score_column(write):
    with pytest.raises(
        cx.DataFileError, match=r"required column\(s\) \['nps or csat or ces'\] not found"
    ):
        cx.read_responses(
            write("responses.csv", "response_id,responded_at,comment\nR1,2025-01-01,hi\n")
        )


def test_no_usable_rows_keeps_the_result(write):
    with pytest.raises(
        cx.DataFileError, match=r"no usable rows; all 2 were quarantined \(score_out_of_range: 2\)"
    ) as info:
        cx.read_responses(
            write(
                "responses.csv",
                "response_id,responded_at,nps\nR1,2025-01-01,12\nR2,2025-01-01,13\n",
            )
        )
    assert info.value.result.rows_quarantined == 2


def test_mapping_names_a_missing_column(write):
    path = write("responses.csv", "response_id,responded_at,Q1\nR1,2025-01-01,9\n")
    with pytest.raises(
        cx.MappingError,
        match=r"names column\(s\) \['Q9'\] that .* does not have. Columns found: 'response_id'",
    ):
        cx.read_responses(path, mapping={"columns": {"Q9": "nps"}})


def test_mapping_to_unknown_canonical_name(write):
    path = write("responses.csv", "response_id,responded_at,Q1\nR1,2025-01-01,9\n")
    with pytest.raises(
        cx.MappingError, match=r"'Q1' is mapped to 'promoter', which is not a responses column"
    ):
        cx.read_responses(path, mapping={"columns": {"Q1": "promoter"}})


def test_unknown_kind():
    with pytest.raises(
        cx.CxkitError,
        match=r"`kind` must be one of 'responses', 'tickets', 'customers', 'orders'; got 'survey'",
    ):
        cx.read_table("x.csv", "survey")


# --------------------------------------------------------------------- no row is ever lost
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "9",
            "10 - Extremely likely",
            "Muy satisfecho",
            "11",
            "-1",
            "N/A",
            "2025-01-01",
            "01/13/2025",
            "never",
            "R1",
            "R2",
            "attract",
            "Adopción",
            "x",
            "1,5",
            "a,b",
            'say "hi"',
            "line\nbreak",
            "<script>",
            "é",
        ]
    ),
    st.text(max_size=6),
)
ROW = st.lists(CELLS, min_size=5, max_size=5)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(ROW, min_size=1, max_size=25),
    extra=st.lists(st.integers(0, 24), max_size=3),
    blank=st.lists(st.integers(0, 24), max_size=3, unique=True),
    sep=st.sampled_from([",", ";"]),
)
def test_rows_accepted_plus_quarantined_equals_rows_read(tmp_path_factory, rows, extra, blank, sep):
    """Random cells, rows with a field too many and empty lines: every record is accounted for."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(["response_id", "responded_at", "nps", "csat", "stage"])
    lines = []
    for i, row in enumerate(rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([c.replace("\r", "") for c in row] + (["extra"] if i in extra else []))
        lines.append(buffer.getvalue() + ("\n" if i in blank else ""))
    path = tmp_path_factory.mktemp("inv") / "responses.csv"
    header = sep.join(["response_id", "responded_at", "nps", "csat", "stage"]) + "\n"
    path.write_text(header + "".join(lines), encoding="utf-8")
    try:
        res = cx.read_responses(path, mapping={"dates": {"dayfirst": False}})
    except cx.DataFileError as err:
        res = getattr(err, "result", None)
        if res is None:  # only "no usable rows" may raise once the header is fine
            raise
    assert res.rows_accepted + res.rows_quarantined == res.rows_read
    assert res.rows_read == len(rows) + len([b for b in blank if b < len(rows)])
    assert len(res.data) == res.rows_accepted and len(res.quarantine) == res.rows_quarantined
    assert sorted(res.quarantine["row"].tolist()) == res.quarantine["row"].tolist()


def test_mapping_kind_must_match(write):
    path = write("responses.csv", "response_id,responded_at,nps\nR1,2025-01-01,9\n")
    with pytest.raises(
        cx.MappingError,
        match=r"is for tickets \(its `kind:`\), but the file is being read as responses",
    ):
        cx.read_responses(path, mapping={"kind": "tickets"})


def test_binary_garbage_is_a_clear_error(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(
        cx.DataFileError, match=r"responses.csv' is not a text file \(it holds NUL bytes\)"
    ):
        cx.read_responses(path)


def test_utf16_is_a_clear_error(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes("response_id,responded_at,nps\nR1,2025-01-01,9\n".encode("utf-16"))
    with pytest.raises(cx.DataFileError, match=r"is UTF-16 text, which cxkit does not read"):
        cx.read_responses(path)


def test_no_score_is_not_claimed_for_a_bad_score_but_stacks_with_other_reasons(write):
    text = (
        "response_id,responded_at,nps,weight\n"
        "R1,2025-01-01,11,1\n"  # row 2: a bad score is the reason, not "no score"
        "R2,2025-01-01,,-1\n"  # row 3: no score and a negative weight, both reported
        "R3,2025-01-01,9,1\n"
    )
    res = cx.read_responses(write("responses.csv", text))
    assert quarantined(res) == [[2, "score_out_of_range"], [3, "no_score; invalid_weight"]]


def test_read_result_summary_is_a_table_like_every_result(samples):
    res = cx.read_responses(samples / "responses_messy_qualtrics.csv")
    table = res.summary
    assert list(table.columns) == ["measure", "rows", "meaning"]
    counts = dict(zip(table["measure"], table["rows"], strict=True))
    assert counts["read"] == counts["accepted"] + counts["quarantined"]
    assert counts["quarantined"] == 6  # the six planted bad rows (data/samples/README.md)
    assert {k: v for k, v in counts.items() if k in cx.REASONS} == res.details.reasons
