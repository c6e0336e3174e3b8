"""cx.scan over fsspec URLs: the same rows, numbers and quarantine as the local files.

fsspec's in-memory filesystem (``memory://``) stands in for a bucket: the reference is the
pandas path on the sample file those rows came from.
"""

from __future__ import annotations

import uuid

import fsspec
import pandas as pd
import pytest

import cxkit as cx
from cxkit.errors import DataFileError
from cxkit.scan._remote import RemoteFile


@pytest.fixture
def bucket(samples):
    """The sample responses split by year into a fresh in-memory bucket (and a stray file)."""
    root = f"memory://cxkit-{uuid.uuid4().hex}/exports"
    raw = pd.read_csv(samples / "responses.csv", dtype=str, keep_default_na=False)
    for year, rows in raw.groupby(raw["responded_at"].str[:4]):
        with fsspec.open(f"{root}/responses-{year}.csv", "w") as out:
            rows.to_csv(out, index=False)
    with fsspec.open(f"{root}/readme.md", "w") as out:
        out.write("not an export")
    yield root
    fsspec.filesystem("memory").rm(root.split("://")[1].split("/")[0], recursive=True)


def test_a_folder_url_and_a_glob_url_give_the_local_numbers(bucket, samples):
    frame = cx.read_responses(samples / "responses.csv").data
    for source in (bucket, f"{bucket}/responses-*.csv"):
        scanned = cx.scan(source)
        assert [f.name for f in scanned.files] == [
            "responses-2024.csv", "responses-2025.csv", "responses-2026.csv"
        ]  # fmt: skip
        expected = cx.nps(frame, by="segment", freq="M", weight="weight")
        pd.testing.assert_frame_equal(
            cx.nps(scanned, by="segment", freq="M", weight="weight"), expected
        )
        assert scanned.summary["rows_read"] == len(frame)


def test_bad_rows_are_quarantined_under_the_url_and_a_changed_file_read_again(bucket, tmp_path):
    url = f"{bucket}/responses-2026.csv"
    with fsspec.open(url) as source:
        text = source.read().decode("utf-8")
    lines = text.splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "", 1)  # row 2 loses its response id
    with fsspec.open(url, "w") as out:
        out.write("\n".join(lines) + "\n")
    scanned = cx.scan(bucket).validate(tmp_path / "v")
    quarantine = scanned.quarantine()
    assert quarantine["file"].tolist() == [scanned.files[2].url]  # the URL, as fsspec lists it
    assert scanned.files[2].url.endswith(url.split("://")[1])
    assert quarantine["row"].tolist() == [2]
    reopened = cx.scan(tmp_path / "v")  # the validated folder, with URLs in its manifest
    assert all(isinstance(f, RemoteFile) for f in reopened.files)
    first = scanned.summary["validation"]
    with fsspec.open(url, "w") as out:
        out.write(text)  # the row mended: the file changed
    assert scanned.summary["validation"] != first
    assert scanned.summary["rows_quarantined"] == 0


def test_a_remote_file_with_no_usable_row_is_named_by_its_url(bucket):
    url = f"{bucket}/responses-2026.csv"
    with fsspec.open(url, "w") as out:
        out.write("response_id,responded_at,nps\nA,not a date,11\n")
    scanned = cx.scan(bucket)
    with pytest.raises(DataFileError, match="no usable rows") as caught:
        _ = scanned.summary
    assert scanned.files[2].url in str(caught.value) and "cxkit-remote-" not in str(caught.value)


def test_urls_name_what_is_missing():
    with pytest.raises(DataFileError, match="names no export file"):
        cx.scan(f"memory://cxkit-{uuid.uuid4().hex}/nothing/*.csv")
    with pytest.raises(DataFileError, match=r"cannot be opened: .*protocol"):
        cx.scan("nosuchprotocol://bucket/x.csv")


def test_an_unreadable_remote_file_is_named_by_its_url_not_the_local_copy(bucket):
    with fsspec.open(f"{bucket}/broken.parquet", "wb") as out:
        out.write(b"this is not parquet")
    scanned = cx.scan(f"{bucket}/broken.parquet")
    with pytest.raises(DataFileError) as caught:
        _ = scanned.summary
    assert scanned.files[0].url in str(caught.value)
    assert "cxkit-remote-" not in str(caught.value)
