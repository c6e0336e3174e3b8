"""Formats, encodings, separators and row numbers, read through cx.read_responses.

Each file is written by the test itself, so every expected value is visible in the test.
"""

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cxkit as cx

ROWS = [
    ("R1", "2025-03-04 10:00:00", "9", "Muy satisfecho", "Añadir más opciones, por favor"),
    ("R2", "2025-03-05 11:30:00", "6", "Satisfecho", "Entrega rápida"),
    ("R3", "2025-03-06 09:15:00", "10", "Very satisfied", ""),
]
HEADER = ("response_id", "responded_at", "nps", "csat", "comment")


def csv_text(sep=",", rows=ROWS, header=HEADER):
    def cell(v):
        quoted = v.replace('"', '""')
        return f'"{quoted}"' if (sep in v or "\n" in v or '"' in v) else v

    return "\n".join(sep.join(cell(v) for v in r) for r in [header, *rows]) + "\n"


def check_standard(res):
    assert res.rows_read == 3
    assert res.rows_accepted == 3
    assert res.data["response_id"].tolist() == ["R1", "R2", "R3"]
    assert res.data["nps"].tolist() == [9, 6, 10]
    assert res.data["csat"].tolist() == [5, 4, 5]  # 5-point satisfaction labels
    assert res.data["responded_at"].iloc[1] == pd.Timestamp("2025-03-05 11:30")
    assert res.data["comment"].iloc[0] == "Añadir más opciones, por favor"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp1252", "cp1252"), ("latin-1", "cp1252")],
)
def test_csv_encodings(write, encoding, expected):
    res = cx.read_responses(write("responses.csv", csv_text(), encoding))
    check_standard(res)
    assert res.details.source["encoding"] == expected


def test_non_utf8_byte_after_the_detection_sample_is_still_read(write):
    filler = [(f"X{i}", "2025-03-04 10:00:00", "9", "5", "ok") for i in range(5000)]
    rows = [*filler, ("R9", "2025-03-04 10:00:00", "9", "5", "Señal débil")]
    res = cx.read_responses(write("responses.csv", csv_text(rows=rows), "cp1252"))
    assert res.data["comment"].iloc[-1] == "Señal débil"
    assert res.details.source["encoding"] == "cp1252"


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators(write, sep):
    res = cx.read_responses(write("responses.csv", csv_text(sep)))
    check_standard(res)
    assert res.details.source["delimiter"] == sep


def test_spanish_excel_semicolons_and_decimal_commas(write):
    text = "Response ID;Fecha;NPS;Peso\nR1;03/04/2025;9;1,5\nR2;15/04/2025;7;1.234,25\n"
    res = cx.read_responses(write("responses.csv", text, "cp1252"))
    assert res.details.source["decimal"] == ","
    assert res.data["weight"].tolist() == [1.5, 1234.25]
    # 15/04 fixes day-first, so 03/04/2025 is 3 April
    assert res.data["responded_at"].tolist() == [
        pd.Timestamp("2025-04-03"),
        pd.Timestamp("2025-04-15"),
    ]


def test_quoted_newlines_and_quotes(write):
    rows = [
        ("R1", "2025-03-04", "9", "5", 'line one\nline "two"'),
        ("R2", "2025-03-04", "8", "4", "x"),
    ]
    res = cx.read_responses(write("responses.csv", csv_text(rows=rows)))
    assert res.data["comment"].tolist() == ['line one\nline "two"', "x"]


def test_xlsx(tmp_path):
    path = tmp_path / "responses.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER)
    ws.append(["R1", pd.Timestamp("2025-03-04 10:00").to_pydatetime(), 9, "Muy satisfecho", "hola"])
    ws.append([None] * 5)  # blank row in the middle: quarantined, not skipped
    ws.append(["R3", "2025-03-06", 10.0, 5, None])
    book.save(path)
    res = cx.read_responses(path)
    assert res.rows_read == 3
    assert res.data["nps"].tolist() == [9, 10]
    assert res.data["csat"].tolist() == [5, 5]
    assert res.data["responded_at"].tolist() == [
        pd.Timestamp("2025-03-04 10:00"),
        pd.Timestamp("2025-03-06"),
    ]
    assert res.quarantine[["row", "reason"]].values.tolist() == [[3, "blank_row"]]
    assert res.details.source["format"] == "xlsx"


def test_xlsx_named_sheet(tmp_path):
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    ws = book.create_sheet("Datos")
    ws.append(HEADER[:3])
    ws.append(["R1", "2025-03-04", 7])
    book.save(path)
    assert cx.read_responses(path, mapping={"sheet": "Datos"}).data["nps"].tolist() == [7]
    with pytest.raises(
        cx.DataFileError, match=r"no sheet 'Data'; the workbook has \['Notes', 'Datos'\]"
    ):
        cx.read_responses(path, mapping={"sheet": "Data"})


def test_parquet_typed_columns(tmp_path):
    path = tmp_path / "responses.parquet"
    pq.write_table(
        pa.table(
            {
                "response_id": ["R1", "R2"],
                "responded_at": pa.array(pd.to_datetime(["2025-03-04", "2025-03-05"])),
                "nps": pa.array([9, 11], pa.int64()),
                "csat": pa.array([4.0, None]),
            }
        ),
        path,
    )
    res = cx.read_responses(path)
    assert res.data["nps"].tolist() == [9]
    assert res.quarantine[["row", "reason"]].values.tolist() == [[2, "score_out_of_range"]]


def test_dataframe_source():
    frame = pd.DataFrame(
        {
            "ResponseId": ["a", "b"],
            "RecordedDate": ["2025-01-01", "2025-01-02"],
            "NPS": [10, np.nan],
        }
    )
    res = cx.read_responses(frame)
    assert res.data["nps"].tolist() == [10]
    assert res.quarantine["reason"].tolist() == ["no_score"]


QUALTRICS = (
    "StartDate,RecordedDate,ResponseId,Q1,Q2\n"
    "Start Date,Recorded Date,Response ID,"
    '"How likely are you to recommend us?\nPlease answer",How satisfied?\n'
    '"{""ImportId"":""startDate""}","{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}",'
    '"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"\n'
    "2025-03-04 10:00:00,2025-03-04 10:05:00,R_1,10 - Extremely likely,Very satisfied\n"
    "2025-03-04 11:00:00,2025-03-04 11:05:00,R_2,0 - Nada probable,Muy insatisfecho\n"
    "2025-03-04 12:00:00,2025-03-04 12:05:00,R_3,11,Satisfied\n"
)


def test_qualtrics_three_header_rows(write):
    res = cx.read_responses(
        write("responses.csv", QUALTRICS, "utf-8-sig"),
        mapping={"columns": {"Q1": "nps", "How satisfied?": "csat"}},
    )
    assert res.details.source["header_rows"] == 3
    assert res.rows_read == 3
    assert res.data["nps"].tolist() == [10, 0]
    assert res.data["csat"].tolist() == [5, 1]
    # data starts on spreadsheet row 4; the third data row is row 6
    assert res.quarantine[["row", "reason"]].values.tolist() == [[6, "score_out_of_range"]]
    assert "StartDate" in res.details.columns_ignored


def test_qualtrics_xlsx(tmp_path):
    path = tmp_path / "responses.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["ResponseId", "RecordedDate", "Q1"])
    ws.append(["Response ID", "Recorded Date", "How likely...?"])
    ws.append(['{"ImportId":"_recordId"}', '{"ImportId":"recordedDate"}', '{"ImportId":"QID1"}'])
    ws.append(["R_1", "2025-03-04 10:05:00", "9"])
    ws.append(["R_2", "2025-03-04 10:06:00", "99"])
    book.save(path)
    res = cx.read_responses(path, mapping={"columns": {"Q1": "nps"}})
    assert res.data["nps"].tolist() == [9]
    assert res.quarantine["row"].tolist() == [5]


def test_malformed_rows_keep_exact_row_numbers(write):
    text = csv_text() + "R4,2025-03-07,9,5,x,EXTRA\nR5,2025-03-08,8,4,fine\n"
    res = cx.read_responses(write("responses.csv", text))
    assert res.rows_read == 5
    assert res.data["response_id"].tolist() == ["R1", "R2", "R3", "R5"]
    q = res.quarantine
    assert q[["row", "reason"]].values.tolist() == [[5, "malformed_row"]]
    assert q["detail"].iat[0].startswith("expected 5 fields, found 6: R4,")


def test_blank_lines_are_counted_as_blank_rows(write):
    text = csv_text().replace("\nR2", "\n\nR2")
    res = cx.read_responses(write("responses.csv", text))
    assert res.rows_read == 4
    assert res.quarantine[["row", "reason"]].values.tolist() == [[3, "blank_row"]]
