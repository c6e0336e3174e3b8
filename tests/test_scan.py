"""cx.scan: metrics counted by DuckDB equal the pandas path's; validation conserves rows.

The reference for every number is the pandas path on the same rows: ``cx.nps`` (``csat``,
``ces``) on the frame ``cx.read_responses`` gives for the same file (for a folder: the files
read one by one and concatenated, less the rows a later file repeats). Validation counts are
written out from the rows planted in each file.
"""

from __future__ import annotations

import importlib
import json

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.errors import CxkitError, DataFileError

SAMPLE_CONFIGS = [
    (cx.nps, {"by": "segment", "freq": "M", "weight": "weight"}),
    (cx.nps, {"freq": "Q", "by": "stage"}),
    (cx.nps, {"by": "touchpoint", "period": "2026Q3", "freq": "M"}),
    (cx.csat, {"by": ["segment", "channel"], "period": "2026-10"}),
    (cx.csat, {"by": "stage", "freq": "W", "weight": "weight"}),
    (cx.ces, {}),
    (cx.ces, {"by": ["experiment", "variant"], "freq": "Y", "weight": "weight"}),
    (cx.nps, {"score": "rating_support", "by": "segment"}),
]


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=1e-9)


@pytest.fixture(scope="module")
def sample_scan(samples):
    return cx.scan(samples / "responses.csv"), cx.read_responses(samples / "responses.csv").data


@pytest.mark.parametrize(("metric", "options"), SAMPLE_CONFIGS)
def test_metrics_on_a_scan_equal_the_pandas_path_on_the_sample(sample_scan, metric, options):
    scanned, frame = sample_scan
    if options.get("score") == "rating_support":  # a 1-5 rating read as CSAT, not NPS
        metric = cx.csat
    same(metric(scanned, **options), metric(frame, **options))


def generated(rows: int, seed: int) -> pd.DataFrame:
    """Responses with weights, a group with missing labels, and unanswered scores."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 600, rows), unit="D")
    segment = rng.choice(["Consumer", "Enterprise", "Small business", None], rows)
    return pd.DataFrame(
        {
            "response_id": [f"S{seed}-{i}" for i in range(rows)],
            "responded_at": days,
            "nps": pd.array(np.where(rng.random(rows) < 0.1, None, rng.integers(0, 11, rows)),
                            dtype="Int8"),
            "csat": pd.array(np.where(rng.random(rows) < 0.4, None, rng.integers(1, 6, rows)),
                             dtype="Int8"),
            "ces": pd.array(rng.integers(1, 8, rows), dtype="Int8"),
            "segment": segment,
            "weight": rng.uniform(0.2, 3.0, rows),
        }
    )  # fmt: skip


def test_a_folder_of_parquet_files_with_weights_equals_the_pandas_path(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    for part, rows in enumerate((1500, 2300, 900)):
        generated(rows, seed=part).to_parquet(folder / f"2026-{part:02d}.parquet", index=False)
    scanned = cx.scan(folder)
    frame = pd.concat(
        [cx.read_responses(p).data for p in sorted(folder.glob("*.parquet"))], ignore_index=True
    )
    for metric in (cx.nps, cx.csat, cx.ces):
        for options in ({"by": "segment", "freq": "M", "weight": "weight"}, {"freq": "Q"}):
            same(metric(scanned, **options), metric(frame, **options))
    assert scanned.summary["rows_read"] == 4700 == scanned.summary["rows_accepted"]
    globbed = cx.scan(str(folder / "2026-0[01].parquet"))  # the first two files only
    assert [p.name for p in globbed.files] == ["2026-00.parquet", "2026-01.parquet"]
    same(cx.nps(globbed), cx.nps(frame.iloc[:3800]))


HEADER = "response_id,responded_at,nps,segment\n"
FIRST = HEADER + (
    "A1,2026-10-01,9,Consumer\n"
    "A2,2026-10-02,11,Consumer\n"  # row 3: nps outside 0-10
    "A3,not a date,5,Enterprise\n"  # row 4: invalid date
    ",2026-10-04,7,Enterprise\n"  # row 5: no id
    "A1,2026-10-05,3,Consumer\n"  # row 6: A1 again (same file)
    "A6,2026-10-06,10,Enterprise\n"
)
SECOND = HEADER + (
    "B1,2026-10-07,6,Consumer\n"
    "A6,2026-10-08,8,Enterprise\n"  # row 3: A6, first in the first file (row 7)
    "B3,2026-10-09,10,Consumer\n"
)
THIRD = HEADER + "C1,2026-10-10,2,Enterprise\n"


def test_validation_conserves_rows_and_names_every_reason(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, text in (("1.csv", FIRST), ("2.csv", SECOND), ("3.csv", THIRD)):
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "validated"
    scanned = cx.scan(folder).validate(out)
    summary = scanned.summary
    # 6 + 3 + 1 data rows; accepted: A1, A6 | B1, B3 | C1
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_quarantined"]) == (
        10,
        5,
        5,
    )
    assert summary["reasons"] == {
        "score_out_of_range": 1,
        "invalid_date": 1,
        "missing_id": 1,
        "duplicate_id": 2,
    }
    assert [f["rows_read"] for f in summary["files"]] == [6, 3, 1]
    quarantine = scanned.quarantine()
    assert len(quarantine) == 5
    repeat = quarantine[quarantine["detail"].str.contains("earlier file")]
    assert repeat[["row"]].to_numpy().tolist() == [[3]]
    assert repeat["file"].iat[0].endswith("2.csv")
    assert "response_id='A6' appears in an earlier file (1.csv, row 7)" in repeat["detail"].iat[0]
    assert json.loads((out / "manifest.json").read_text())["rows_accepted"] == 5
    accepted = pd.concat([pd.read_parquet(p) for p in sorted((out / "data").glob("*.parquet"))])
    assert sorted(accepted["response_id"]) == ["A1", "A6", "B1", "B3", "C1"]
    # NPS of the accepted rows: scores 9, 10, 6, 10, 2: promoters 3, detractors 2 of 5 -> 20
    assert cx.nps(scanned)["nps"].iat[0] == pytest.approx(100 * (3 - 2) / 5, abs=1e-12)


def test_a_changed_file_is_validated_again(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + "X1,2026-10-01,10,Consumer\n", encoding="utf-8")
    scanned = cx.scan(path)
    assert cx.nps(scanned)["n"].iat[0] == 1
    path.write_text(HEADER + "X1,2026-10-01,10,Consumer\nX2,2026-10-02,0,Consumer\n")
    again = cx.nps(scanned)
    assert again["n"].iat[0] == 2 and again["nps"].iat[0] == pytest.approx(0.0, abs=1e-12)


def test_bad_arguments_are_named(sample_scan, tmp_path):
    scanned, _ = sample_scan
    with pytest.raises(CxkitError, match=r"`by`: column\(s\) \['region'\] not found"):
        cx.nps(scanned, by="region")
    with pytest.raises(
        CxkitError, match=r"a scan on DuckDB groups by calendar periods .* engine=\"dask\""
    ):
        cx.nps(scanned, freq="h")
    with pytest.raises(CxkitError, match="no rows in period 2030-01"):
        cx.nps(scanned, period="2030-01")
    with pytest.raises(CxkitError, match=r"`engine` must be one of 'duckdb', 'dask'; got 'spark'"):
        cx.scan(tmp_path, engine="spark")
    with pytest.raises(DataFileError, match="does not exist"):
        cx.scan(tmp_path / "missing.csv")
    with pytest.raises(DataFileError, match="has no export files"):
        cx.scan(tmp_path)
    with pytest.raises(DataFileError, match=r"no export file .* matches"):
        cx.scan(str(tmp_path / "*.parquet"))


def test_a_missing_weight_is_an_error_as_in_the_pandas_path(tmp_path):
    frame = generated(50, seed=7)
    frame.loc[3, "weight"] = np.nan
    frame.to_parquet(tmp_path / "w.parquet", index=False)
    read = cx.read_responses(tmp_path / "w.parquet").data
    with pytest.raises(CxkitError, match="`weight`: 1 scored response"):
        cx.ces(read, weight="weight")
    with pytest.raises(CxkitError, match="`weight`: 1 scored response"):
        cx.ces(cx.scan(tmp_path / "w.parquet"), weight="weight")


def test_a_large_parquet_file_validated_in_chunks_is_read_as_a_whole(tmp_path, monkeypatch):
    """Chunks of at most 700 rows: the rows, reasons and details of reading the file at once."""
    chunks = importlib.import_module("cxkit.scan._chunks")  # (cx.scan is the function)
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 700)
    frame = generated(3000, seed=11)
    frame.loc[2499, "response_id"] = frame.loc[9, "response_id"]  # repeats row 10, chunk 4
    frame.loc[1200, "response_id"] = frame.loc[1100, "response_id"]  # within chunk 2
    frame["nps"] = frame["nps"].astype("Int16")
    frame.loc[2100, "nps"] = 12  # outside 0-10, chunk 4
    path = tmp_path / "big.parquet"
    frame.to_parquet(path, index=False, row_group_size=1000)  # each group read as 700 + 300
    whole = cx.read_responses(path)
    scanned = cx.scan(path).validate(tmp_path / "validated")
    assert len(list((tmp_path / "validated" / "data").glob("part-00000-*.parquet"))) == 6
    summary = scanned.summary
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_quarantined"]) == (
        whole.rows_read,
        whole.rows_accepted,
        whole.rows_quarantined,
    )
    assert (
        summary["reasons"] == whole.details.reasons == {"duplicate_id": 2, "score_out_of_range": 1}
    )
    columns = ["row", "reason", "detail"]
    got = scanned.quarantine()[columns].sort_values("row").reset_index(drop=True)
    want = whole.quarantine[columns].astype({"reason": "string", "detail": "string"})
    pd.testing.assert_frame_equal(got, want.reset_index(drop=True), check_dtype=False)
    for metric in (cx.nps, cx.csat, cx.ces):
        same(
            metric(scanned, by="segment", freq="Q", weight="weight"),
            metric(whole.data, by="segment", freq="Q", weight="weight"),
        )


def test_survey_metrics_on_a_scan_equal_the_pandas_path(sample_scan):
    scanned, frame = sample_scan
    options = {"nps": {"method": "wald"}, "csat": {"top_box": 1}, "ces": {}}
    shared = {"by": "segment", "freq": "M", "weight": "weight", "period": "2026Q3"}
    got = cx.survey_metrics(scanned, metrics=options, **shared)
    want = cx.survey_metrics(frame, metrics=options, **shared)
    assert list(got) == ["nps", "csat", "ces"]
    for name in got:
        same(got[name], want[name])


def test_a_validated_folder_opens_as_it_is(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, text in (("1.csv", FIRST), ("2.csv", SECOND), ("3.csv", THIRD)):
        (folder / name).write_text(text, encoding="utf-8")
    first = cx.scan(folder).validate(tmp_path / "validated")
    expected = cx.nps(first)
    for path in folder.iterdir():  # the exports may be gone: the folder is what is read
        path.unlink()
    reopened = cx.scan(tmp_path / "validated")
    same(cx.nps(reopened), expected)
    assert reopened.summary["rows_quarantined"] == 5 and len(reopened.quarantine()) == 5
    with pytest.raises(CxkitError, match="holds validated responses, not tickets"):
        cx.scan(tmp_path / "validated", kind="tickets")


def test_a_period_with_rows_but_no_scores_is_empty_as_in_the_pandas_path(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("response_id,responded_at,nps,csat\nA,2026-09-01,9,4\nB,2026-10-02,,5\n")
    frame, scanned = cx.read_responses(path).data, cx.scan(path)
    same(cx.nps(scanned, period="2026-10"), cx.nps(frame, period="2026-10"))
    assert cx.nps(scanned, period="2026-10").empty
    message = "no rows in period 2026-11 .* the data cover 2026-09-01 to 2026-10-02"
    for data in (frame, scanned):
        with pytest.raises(CxkitError, match=message):
            cx.nps(data, period="2026-11")


def test_a_validation_that_stops_half_way_leaves_no_manifest(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "1.csv").write_text(FIRST, encoding="utf-8")
    out = tmp_path / "validated"
    cx.scan(folder).validate(out)
    assert (out / "manifest.json").is_file()
    (folder / "2.csv").write_text("no,columns,we,know\n1,2,3,4\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"2\.csv"):
        cx.scan(folder).validate(out)
    assert not (out / "manifest.json").exists()
    with pytest.raises(DataFileError, match="has no export files"):
        cx.scan(out)  # not taken for a validated folder


#: Both engines where dask is installed (an optional extra); DuckDB's alone otherwise.
ENGINES = [
    "duckdb",
    pytest.param(
        "dask",
        marks=[
            pytest.mark.skipif(
                importlib.util.find_spec("dask") is None, reason="dask (the [dask] extra) absent"
            ),
            # dask's own Parquet reader calls reset_index(inplace=True), deprecated in pandas 3.1
            pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning"),
        ],
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_files_with_different_columns_are_read_by_name(tmp_path, engine):
    """A CSAT question and a channel added in a later month: earlier rows lack them."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "1.csv").write_text(
        "response_id,responded_at,nps,segment\nA,2026-09-01,9,Consumer\nB,2026-09-02,3,Consumer\n"
    )
    (folder / "2.csv").write_text(
        "response_id,responded_at,nps,csat,channel,segment\n"
        "C,2026-10-01,10,5,Email,Enterprise\nD,2026-10-02,7,2,Phone,Consumer\n"
    )
    frame = pd.concat([cx.read_responses(folder / n).data for n in ("1.csv", "2.csv")])
    frame = frame.reset_index(drop=True)
    scanned = cx.scan(folder, engine=engine)
    same(cx.csat(scanned), cx.csat(frame))
    got, want = cx.nps(scanned, by="channel"), cx.nps(frame, by="channel")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)  # categories vs. concat's
    assert cx.nps(scanned)["n"].iat[0] == 4


def test_categories_seen_in_later_chunks_are_sorted_as_the_readers_sort_them(tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.import_module("cxkit.scan._chunks"), "CHUNK_ROWS", 3)
    frame = generated(9, seed=3).assign(segment=["B", "C", "B", "C", "B", "C", "A", "A", "B"])
    path = tmp_path / "c.parquet"
    frame.to_parquet(path, index=False, row_group_size=3)
    whole = cx.read_responses(path).data
    same(cx.nps(cx.scan(path), by="segment"), cx.nps(whole, by="segment"))


def test_an_empty_row_group_is_no_record(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(importlib.import_module("cxkit.scan._chunks"), "CHUNK_ROWS", 3)
    table = pa.Table.from_pandas(generated(6, seed=4), preserve_index=False)
    path = tmp_path / "g.parquet"
    with pq.ParquetWriter(path, table.schema) as writer:
        for piece in (table.slice(0, 3), table.slice(3, 0), table.slice(3, 3)):
            writer.write_table(piece)
    assert [pq.ParquetFile(path).metadata.row_group(g).num_rows for g in range(3)] == [3, 0, 3]
    same(cx.ces(cx.scan(path)), cx.ces(cx.read_responses(path).data))


def test_a_file_with_no_usable_row_is_an_error_as_in_the_readers(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "A1,2026-10-01,11,Consumer\nA2,not a date,5,Consumer\n")
    with pytest.raises(DataFileError, match="no usable rows"):
        cx.read_responses(path)
    with pytest.raises(DataFileError, match=r"bad\.csv'?: no usable rows; all 2 were quarantined"):
        cx.nps(cx.scan(path))


def test_a_folder_validated_again_by_another_scan_is_not_read_as_this_scans(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEADER + "A1,2026-10-01,10,Consumer\n")
    b.write_text(HEADER + "B1,2026-10-01,0,Consumer\n")
    first = cx.scan(a).validate(tmp_path / "shared")
    second = cx.scan(b).validate(tmp_path / "shared")
    assert cx.nps(second)["nps"].iat[0] == -100
    with pytest.raises(CxkitError, match="validated again"):
        cx.nps(first)


def test_paths_with_brackets_and_globs_that_match_other_files(tmp_path):
    folder = tmp_path / "run[1]"
    folder.mkdir()
    (folder / "r.csv").write_text(HEADER + "A1,2026-10-01,10,Consumer\n")
    (folder / "r.mapping.yml").write_text("kind: responses\n")  # beside the file: not an export
    scanned = cx.scan(str(folder).replace("[", "[[]") + "/*")
    assert [p.name for p in scanned.files] == ["r.csv"]
    assert cx.nps(scanned.validate(folder / "validated"))["n"].iat[0] == 1


def test_a_frame_with_a_column_named_like_the_scan_method_is_a_frame():
    frame = pd.DataFrame({"nps": [10, 9, 3], "score_counts": [1, 2, 3]})
    assert cx.nps(frame)["n"].iat[0] == 3
    assert cx.survey_metrics(frame, metrics=["nps"])["nps"]["n"].iat[0] == 3


@pytest.mark.parametrize(
    "options",
    [
        {"metric": "nps", "freq": "M", "period": "2026-10", "by": "segment"},
        {"metric": "csat", "freq": "Q", "weight": "weight"},
        {"metric": "ces", "freq": "M", "by": "segment", "weight": "weight", "lang": "es"},
    ],
)
def test_compare_on_a_scan_equals_the_pandas_path(sample_scan, options):
    scanned, frame = sample_scan
    same(cx.compare(scanned, **options), cx.compare(frame, **options))


def test_the_old_period_spelling_warns_at_the_callers_line(sample_scan):
    scanned, _ = sample_scan
    for metric in (cx.nps, cx.survey_metrics):
        with pytest.warns(DeprecationWarning) as caught:
            metric(scanned, period="M")
        assert {w.filename for w in caught} == {__file__}


def test_a_corrupt_parquet_file_is_a_data_file_error_naming_it(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"not parquet at all")
    scanned = cx.scan(tmp_path)
    with pytest.raises(DataFileError, match=r"broken\.parquet.*cannot be read as Parquet"):
        _ = scanned.summary


def test_every_metric_on_a_scan_takes_the_same_frequencies_and_names_a_text_date(samples):
    # one check for all metrics: "Q-DEC" is pandas' "Q" (DuckDB's quarters), "W-MON" is not
    responses = cx.scan(samples / "responses.csv")
    tickets = cx.scan(samples / "tickets.csv", kind="tickets")
    frame = cx.read_responses(samples / "responses.csv").data
    same(cx.nps(responses, freq="Q-DEC"), cx.nps(frame, freq="Q-DEC"))
    for call in (
        lambda: cx.nps(responses, freq="W-MON"),
        lambda: cx.service_metrics(tickets, freq="W-MON"),
    ):
        with pytest.raises(CxkitError, match=r"a scan on DuckDB groups by calendar periods"):
            call()
    for call in (
        lambda: cx.nps(responses, freq="M", date="segment"),
        lambda: cx.service_metrics(tickets, period="2026-10", date="channel"),
        lambda: cx.churn_rate(
            cx.scan(samples / "customers.csv", kind="customers"), start="segment"
        ),
    ):
        with pytest.raises(CxkitError, match=r"column '\w+' holds category, not dates"):
            call()
