"""Parquet read through Arrow's fast path: same results as the CSV of the same data, and as before.

Each Parquet file is built in ``tmp_path`` from ``data/samples/responses.csv`` (12,009 rows),
sometimes with a few rows spoiled by hand. "Before" is the reader as it was until the fast path:
``pq.read_table(path, columns=...).to_pandas()``, every column in its Parquet type.
"""

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cxkit as cx
from cxkit.io import sources


def sample_text(samples) -> pd.DataFrame:
    """The sample responses as text, empty cells missing, as cxkit's CSV reader sees them."""
    return pd.read_csv(samples / "responses.csv", dtype=str, keep_default_na=False, na_values=[""])


def spoiled(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows 2, 3, 4 and 6 of the file (positions 0, 1, 2, 4) broken in four ways."""
    frame = frame.copy()
    frame.loc[0, "nps"] = "11"  # out of range
    frame.loc[1, "csat"] = "great"  # text in a score column
    frame.loc[2, "response_id"] = None  # missing id
    frame.loc[4, "rating_app"] = "-1"  # out of range in a rating
    return frame


def write_both(frame: pd.DataFrame, tmp_path, parquet_frame=None):
    """Write ``frame`` as CSV, and ``parquet_frame`` (default: ``frame``) as Parquet."""
    csv_path, parquet_path = tmp_path / "responses.csv", tmp_path / "responses.parquet"
    frame.to_csv(csv_path, index=False)
    (frame if parquet_frame is None else parquet_frame).to_parquet(parquet_path, index=False)
    return csv_path, parquet_path


def read_as_before(monkeypatch, path):
    """Read ``path`` with the Parquet reader as it was before the fast path."""
    with monkeypatch.context() as m:
        m.setattr(
            sources,
            "_read_parquet",
            lambda info, columns: pq.read_table(info.path, columns=list(columns)).to_pandas(),
        )
        return cx.read_responses(path)


def assert_same_as_csv(from_parquet, from_csv):
    """Same frame, quarantine and summary; Parquet has no header line, so row numbers are 1 less.

    A CSV's first record is spreadsheet row 2 (the header is row 1); a Parquet file's is row 1.
    """
    pd.testing.assert_frame_equal(from_parquet.data, from_csv.data)
    expected = from_csv.quarantine.assign(row=from_csv.quarantine["row"] - 1)
    pd.testing.assert_frame_equal(from_parquet.quarantine, expected)
    pd.testing.assert_frame_equal(from_parquet.summary, from_csv.summary)
    mine, theirs = from_parquet.details.to_dict(), from_csv.details.to_dict()
    for key in ("file", "source"):
        mine.pop(key), theirs.pop(key)
    assert mine == theirs
    assert from_parquet.details.source == {"format": "parquet", "header_rows": 0, "mapping": None}


def assert_same_result(new, old):
    pd.testing.assert_frame_equal(new.data, old.data)
    pd.testing.assert_frame_equal(new.quarantine, old.quarantine)
    pd.testing.assert_frame_equal(new.summary, old.summary)
    assert new.details == old.details


@pytest.mark.parametrize("spoil", [False, True], ids=["clean", "bad rows"])
def test_text_parquet_reads_as_its_csv_and_as_before(samples, tmp_path, monkeypatch, spoil):
    frame = sample_text(samples)
    frame = spoiled(frame) if spoil else frame
    csv_path, parquet_path = write_both(frame, tmp_path)
    new = cx.read_responses(parquet_path)
    assert_same_as_csv(new, cx.read_responses(csv_path))
    assert_same_result(new, read_as_before(monkeypatch, parquet_path))
    if spoil:  # the four spoiled rows are quarantined for what was done to them
        assert new.quarantine.set_index("row").loc[[1, 2, 3, 5], "reason"].tolist() == [
            "score_out_of_range",
            "invalid_score",
            "missing_id",
            "score_out_of_range",
        ]
        assert new.quarantine.set_index("row").loc[2, "detail"].startswith("csat='great'")


def test_typed_parquet_reads_as_before_and_as_its_csv(samples, tmp_path, monkeypatch):
    """Scores as floats, dates as timestamps, as ``pd.read_csv`` types them."""
    text = spoiled(sample_text(samples)).drop(columns=["csat"])  # csat: all numbers, typed
    typed = pd.read_csv(samples / "responses.csv").drop(columns=["csat"])
    typed = typed.assign(
        nps=text["nps"],  # stays text (it holds "11" written as text: read the same)
        response_id=text["response_id"],
        responded_at=pd.to_datetime(typed["responded_at"]),
        rating_app=pd.to_numeric(text["rating_app"]),
    )
    csv_path, parquet_path = write_both(text, tmp_path, parquet_frame=typed)
    new = cx.read_responses(parquet_path)
    assert_same_result(new, read_as_before(monkeypatch, parquet_path))
    from_csv = cx.read_responses(csv_path)
    pd.testing.assert_frame_equal(new.data, from_csv.data)
    assert new.quarantine["row"].tolist() == (from_csv.quarantine["row"] - 1).tolist()
    assert new.quarantine["reason"].tolist() == from_csv.quarantine["reason"].tolist()
    # a typed score is quoted as Parquet holds it (-1.0); the CSV's as written (-1)
    assert new.quarantine.set_index("row").loc[5, "detail"].startswith("rating_app='-1.0'")


def test_categorical_columns_in_the_file(samples, tmp_path, monkeypatch):
    frame = spoiled(sample_text(samples))
    stored = frame.astype({c: "category" for c in ("nps", "csat", "segment", "channel", "stage")})
    csv_path, parquet_path = write_both(frame, tmp_path, parquet_frame=stored)
    assert pa.types.is_dictionary(pq.read_schema(parquet_path).field("segment").type)
    new = cx.read_responses(parquet_path)
    assert_same_as_csv(new, cx.read_responses(csv_path))
    assert_same_result(new, read_as_before(monkeypatch, parquet_path))


def test_score_and_category_text_is_read_dictionary_encoded(samples, tmp_path, monkeypatch):
    _, parquet_path = write_both(sample_text(samples), tmp_path)
    raw = {}
    read = sources._read_parquet
    monkeypatch.setattr(
        sources, "_read_parquet", lambda info, cols: raw.setdefault("frame", read(info, cols))
    )
    cx.read_responses(parquet_path)
    dtypes = raw["frame"].dtypes.astype(str)
    assert (dtypes[["nps", "csat", "segment", "stage", "rating_app"]] == "category").all()
    assert (dtypes[["response_id", "customer_id", "responded_at", "comment"]] == "str").all()


def test_typed_float_scores_are_read_as_codes_with_their_values(samples, tmp_path, monkeypatch):
    """Float score columns arrive as codes of their exact values; pandas' own dtypes are kept."""
    typed = pd.read_csv(samples / "responses.csv")
    typed["responded_at"] = pd.to_datetime(typed["responded_at"])
    typed.loc[0, "nps"] = 7.5  # not a whole number: invalid_score, as before
    typed.loc[1, "csat"] = 1e9  # far out of range: score_out_of_range, as before
    typed["ces"] = typed["ces"].astype("Float64")  # pandas' nullable floats: restored as such
    path = tmp_path / "responses.parquet"
    typed.to_parquet(path, index=False)
    raw = {}
    read = sources._read_parquet
    monkeypatch.setattr(
        sources, "_read_parquet", lambda info, cols: raw.setdefault("frame", read(info, cols))
    )
    new = cx.read_responses(path)
    monkeypatch.undo()
    frame = raw["frame"]
    for name in ("nps", "csat", "rating_app"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype)
        assert frame[name].cat.categories.dtype == "float64"
        pd.testing.assert_series_equal(
            frame[name].astype("float64"), typed[name], check_names=False
        )
    assert frame["ces"].dtype == "Float64"
    assert_same_result(new, read_as_before(monkeypatch, path))
    reasons = new.quarantine.set_index("row")["reason"]
    assert reasons[1] == "invalid_score" and reasons[2] == "score_out_of_range"


def test_extra_columns_are_not_read(samples, tmp_path, monkeypatch):
    frame = sample_text(samples)
    extra = frame.assign(internal_notes="x" * 200, crm_payload=frame["comment"])
    csv_path, parquet_path = write_both(extra, tmp_path)
    asked, loaded = [], []
    read = pq.ParquetFile.read

    def spy(self, *args, **kwargs):
        asked.extend(kwargs["columns"])
        table = read(self, *args, **kwargs)
        loaded.extend(table.column_names)
        return table

    monkeypatch.setattr(sources.pq.ParquetFile, "read", spy)
    new = cx.read_responses(parquet_path)
    assert "response_id" in asked and "nps" in asked
    assert "internal_notes" not in asked and "crm_payload" not in asked
    assert sorted(loaded) == sorted(asked)
    monkeypatch.undo()
    assert_same_as_csv(new, cx.read_responses(csv_path))
    assert new.details.columns_ignored == ["internal_notes", "crm_payload"]


@pytest.mark.parametrize(
    "content",
    [b"response_id,nps\nR1,9\n", b"PAR1" + b"\x00" * 64, b"PAR1\x15\x04garbage-without-footer"],
    ids=["csv text", "zeros", "no footer"],
)
def test_not_parquet_errors_unchanged(tmp_path, monkeypatch, content):
    path = tmp_path / "responses.parquet"
    path.write_bytes(content)
    with pytest.raises(cx.DataFileError, match=r"cannot be read as Parquet") as new:
        cx.read_responses(path)
    with pytest.raises(cx.DataFileError) as old:
        read_as_before(monkeypatch, path)
    assert str(new.value) == str(old.value)


def test_truncated_parquet_errors_unchanged(samples, tmp_path, monkeypatch):
    _, whole = write_both(sample_text(samples), tmp_path)
    path = tmp_path / "cut.parquet"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(cx.DataFileError, match=r"cannot be read as Parquet") as new:
        cx.read_responses(path)
    with pytest.raises(cx.DataFileError) as old:
        read_as_before(monkeypatch, path)
    assert str(new.value) == str(old.value)


def test_sliced_frame_with_its_index_reads_as_before(samples, tmp_path, monkeypatch):
    """A frame written from a slice keeps its index in pandas' metadata: same rows as before."""
    frame = spoiled(sample_text(samples)).iloc[1:500]
    path = tmp_path / "responses.parquet"
    frame.to_parquet(path)  # index stored: a RangeIndex starting at 1
    new = cx.read_responses(path)
    assert_same_result(new, read_as_before(monkeypatch, path))
    assert new.quarantine["row"].tolist()[:3] == [1, 2, 4]  # positions in the file, from 1


def test_no_rows_error_unchanged(samples, tmp_path, monkeypatch):
    path = tmp_path / "responses.parquet"
    sample_text(samples).iloc[:0].to_parquet(path, index=False)
    with pytest.raises(cx.DataFileError, match="has a header but no data rows") as new:
        cx.read_responses(path)
    with pytest.raises(cx.DataFileError) as old:
        read_as_before(monkeypatch, path)
    assert str(new.value) == str(old.value)


@pytest.mark.parametrize(
    "spoil",
    ["nan_values", "negative_zero", "half_floats"],
)
def test_float_scores_that_cannot_be_codes_read_as_before(samples, tmp_path, monkeypatch, spoil):
    """NaN stored as a value (not a null), -0.0 beside 0.0, float16: read as the floats they are."""
    typed = pd.read_csv(samples / "responses.csv")
    typed["responded_at"] = pd.to_datetime(typed["responded_at"])
    table = pa.Table.from_pandas(typed, preserve_index=False)
    nps = table.column("nps").to_numpy(zero_copy_only=False).copy()
    if spoil == "nan_values":  # NaN as a value, as pyarrow, polars or Spark may write it
        column = pa.array(nps, from_pandas=False)
    elif spoil == "negative_zero":
        nps[[0, 1]] = [-0.0, 0.0]
        column = pa.array(nps, from_pandas=True)
    else:
        column = pa.array(nps, from_pandas=True).cast(pa.float16())
    table = table.set_column(table.schema.get_field_index("nps"), "nps", column)
    path = tmp_path / "responses.parquet"
    pq.write_table(table, path)
    assert_same_result(cx.read_responses(path), read_as_before(monkeypatch, path))
