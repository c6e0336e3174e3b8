"""Dask as an engine: survey metrics on a dask frame, or a scan with engine="dask", equal pandas.

The reference for every number is the pandas path on the same rows: ``cx.nps`` (``csat``,
``ces``, ``survey_metrics``, ``compare``) on the pandas frame that the dask frame splits into
partitions (for a folder: the files read one by one with ``cx.read_responses`` and
concatenated). Errors are compared with the pandas path's messages. Tests run on dask's
synchronous scheduler (no cluster).
"""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from test_scan import generated as scan_generated

import cxkit as cx
from cxkit.errors import CxkitError

dd = pytest.importorskip(
    "dask.dataframe", reason="dask is an optional extra: pip install -e '.[dask]'"
)

# dask's own Parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:DeprecationWarning"
)
import dask  # noqa: E402  (after the skip: dask is optional)

from cxkit.scan._dask import partition_sums, read_validated  # noqa: E402

SAMPLE_CONFIGS = [
    (cx.nps, {"by": "segment", "freq": "M", "weight": "weight"}),
    (cx.nps, {"freq": "Q", "by": "stage"}),
    (cx.nps, {"by": "touchpoint", "period": "2026Q3", "freq": "M"}),
    (cx.nps, {"by": "segment", "freq": "h"}),  # finer than a day: the pandas path takes it
    (cx.csat, {"by": ["segment", "channel"], "period": "2026-10"}),
    (cx.csat, {"by": "stage", "freq": "W", "weight": "weight"}),
    (cx.csat, {"score": "rating_support", "by": "segment", "freq": "Q-MAR"}),
    (cx.ces, {}),
    (cx.ces, {"by": ["experiment", "variant"], "freq": "Y", "weight": "weight"}),
    (cx.ces, {"scale": 7, "top_box": 2, "period": "2026", "weight": "weight", "ci": 0.9}),
]


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=1e-9)


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="module")
def sample(samples):
    frame = cx.read_responses(samples / "responses.csv").data
    return dd.from_pandas(frame, npartitions=5), frame


@pytest.mark.parametrize(("metric", "options"), SAMPLE_CONFIGS)
def test_metrics_on_a_dask_frame_equal_the_pandas_path(sample, metric, options):
    ddf, frame = sample
    assert ddf.npartitions == 5
    same(metric(ddf, **options), metric(frame, **options))


def test_survey_metrics_on_a_dask_frame_equal_the_pandas_path(sample):
    ddf, frame = sample
    options = {"nps": {"method": "wald"}, "csat": {"top_box": 1}, "ces": {"min_n": 50}}
    for shared in (
        {"by": "segment", "freq": "M", "weight": "weight", "period": "2026Q3"},
        {"by": ["stage", "channel"], "freq": "W"},
        {},
    ):
        got = cx.survey_metrics(ddf, metrics=options, **shared)
        want = cx.survey_metrics(frame, metrics=options, **shared)
        assert list(got) == ["nps", "csat", "ces"]
        for name in got:
            same(got[name], want[name])


@pytest.mark.parametrize(
    "options",
    [
        {"metric": "nps", "freq": "M", "period": "2026-10", "by": "segment"},
        {"metric": "csat", "freq": "Q", "weight": "weight"},
        {"metric": "ces", "freq": "M", "by": "segment", "weight": "weight", "lang": "es"},
        {"metric": "nps", "by": ["stage"], "freq": "W", "adjust": "fdr_bh"},
    ],
)
def test_compare_on_a_dask_frame_equals_the_pandas_path(sample, options):
    ddf, frame = sample
    same(cx.compare(ddf, **options), cx.compare(frame, **options))


def generated(rows: int, seed: int) -> pd.DataFrame:
    """test_scan's generated responses, their segment a category as the readers give it."""
    frame = scan_generated(rows, seed)
    frame["segment"] = pd.Categorical(frame["segment"])
    return frame


def test_missing_groups_empty_partitions_and_a_period_in_few_partitions(tmp_path):
    """Rows sorted by date: the period's rows are in one or two of seven partitions."""
    frame = generated(3000, seed=5).sort_values("responded_at", ignore_index=True)
    empty = dd.from_pandas(frame.iloc[:0], npartitions=1)
    ddf = dd.concat([dd.from_pandas(frame, npartitions=6), empty])
    assert ddf.npartitions == 7
    for metric in (cx.nps, cx.csat, cx.ces):
        for options in (
            {"by": "segment", "freq": "W", "weight": "weight", "period": "2025-03"},
            {"by": "segment", "freq": "M", "weight": "weight"},
            {"freq": "D"},
        ):
            same(metric(ddf, **options), metric(frame, **options))


def test_partition_sums_sums_a_pandas_count_over_partitions_in_a_tree():
    frame = generated(2000, seed=9)
    ddf = dd.from_pandas(frame, npartitions=9)

    def count(part: pd.DataFrame) -> pd.DataFrame:
        grouped = part.groupby(["segment"], observed=True, dropna=False, as_index=False)
        return grouped.agg(rows=("ces", "size"), weight=("weight", "sum"))

    got = partition_sums(ddf, count, ["segment"], split_every=2)  # a tree of four levels
    got = got.sort_values("segment", ignore_index=True)
    want = count(frame).sort_values("segment", ignore_index=True)
    same(got, want)
    assert got["rows"].sum() == 2000 and got["segment"].isna().sum() == 1


def weighted_folder(tmp_path):
    """Three Parquet exports with weights; the pandas frame of their rows."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for part, rows in enumerate((1500, 2300, 900)):
        generated(rows, seed=part).to_parquet(folder / f"2026-{part:02d}.parquet", index=False)
    frame = pd.concat(
        [cx.read_responses(p).data for p in sorted(folder.glob("*.parquet"))], ignore_index=True
    )
    return folder, frame


def test_a_scan_on_the_dask_engine_equals_the_pandas_path(tmp_path):
    folder, frame = weighted_folder(tmp_path)
    scanned = cx.scan(folder, engine="dask")
    assert scanned.engine == "dask" and "engine='dask'" in repr(scanned)
    for metric in (cx.nps, cx.csat, cx.ces):
        for options in (
            {"by": "segment", "freq": "M", "weight": "weight"},
            {"freq": "Q"},
            {"by": "segment", "period": "2025-06", "freq": "W"},
            {"freq": "h"},  # finer than a day: DuckDB's engine refuses it, dask's does not
        ):
            same(metric(scanned, **options), metric(frame, **options))
    shared = {"by": "segment", "freq": "M", "weight": "weight", "period": "2025Q2"}
    got, want = cx.survey_metrics(scanned, **shared), cx.survey_metrics(frame, **shared)
    for name in ("nps", "csat", "ces"):
        same(got[name], want[name])
    options = {"metric": "csat", "by": "segment", "freq": "Q", "weight": "weight"}
    same(cx.compare(scanned, **options), cx.compare(frame, **options))
    assert scanned.summary["rows_accepted"] == 4700


def test_the_validated_rows_read_by_dask_have_the_readers_dtypes(tmp_path):
    folder, frame = weighted_folder(tmp_path)
    scanned = cx.scan(folder, engine="dask").validate(tmp_path / "validated")
    rows = scanned.dask_rows()
    assert rows.npartitions == 3
    got = rows.compute().reset_index(drop=True)  # the rows as read: no _file or _row
    pd.testing.assert_frame_equal(got, frame)
    assert cx.scan(folder).dask_rows() is None  # DuckDB's engine
    reopened = cx.scan(tmp_path / "validated", engine="dask")
    same(cx.nps(reopened, by="segment"), cx.nps(frame, by="segment"))


def test_a_scans_dask_rows_keep_its_temporary_folder_while_they_are_used(tmp_path):
    folder, frame = weighted_folder(tmp_path)
    rows = cx.scan(folder, engine="dask").dask_rows()  # the scan itself is not kept
    consumers = rows[rows["segment"] == "Consumer"]
    del rows
    gc.collect()  # the scan's folder would go with it, were the graph not holding it
    expected = cx.nps(frame[frame["segment"] == "Consumer"])
    same(cx.nps(consumers), expected)


def test_a_folder_whose_files_have_other_columns_is_read_with_every_column(tmp_path):
    """(test_scan's test of such files runs on both engines; here the rows dask reads.)"""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "1.csv").write_text("response_id,responded_at,nps\nA,2026-09-01,9\nB,2026-09-02,3\n")
    (folder / "2.csv").write_text("response_id,responded_at,nps,csat\nC,2026-10-01,10,5\n")
    scanned = cx.scan(folder, engine="dask")
    folder_rows = read_validated(*scanned._validated())
    assert folder_rows["csat"].isna().sum().compute() == 2


def message(call, data, **options) -> str:
    with pytest.raises(CxkitError) as caught:
        call(data, **options)
    return str(caught.value)


@pytest.mark.parametrize(
    ("call", "options"),
    [
        (cx.nps, {"by": "region"}),
        (cx.nps, {"score": "likelihood"}),
        (cx.csat, {"weight": "w"}),
        (cx.ces, {"period": "2026-10", "date": "answered_at"}),
        (cx.ces, {"freq": "M", "date": "answered_at"}),
        (cx.nps, {"freq": "M", "date": "nps"}),  # not dates
        (cx.nps, {"period": "2030-01"}),
        (cx.nps, {"freq": "fortnight"}),
        (cx.survey_metrics, {"metrics": {"csat": {"score": "satisfaction"}}}),
        (cx.survey_metrics, {"by": "region"}),
        (cx.survey_metrics, {"period": "2019Q1"}),
        (cx.compare, {"metric": "ces", "by": "region"}),
    ],
)
def test_errors_from_the_rows_are_the_pandas_paths(sample, call, options):
    ddf, frame = sample
    assert message(call, ddf, **options) == message(call, frame, **options)


def test_a_missing_weight_is_an_error_as_in_the_pandas_path():
    frame = generated(500, seed=7)
    frame.loc[[3, 420], "weight"] = [np.nan, -1.0]
    ddf = dd.from_pandas(frame, npartitions=4)  # the two rows in different partitions
    wanted = "`weight`: 2 scored response(s) have a missing or negative weight"
    for data in (frame, ddf):
        with pytest.raises(CxkitError, match=re.escape(wanted)):
            cx.ces(data, weight="weight")
        with pytest.raises(CxkitError, match=re.escape(wanted)):
            cx.survey_metrics(data, metrics=["ces"], weight="weight")
    frame.loc[[3, 420], "ces"] = pd.NA  # unanswered: their weights do not matter
    same(cx.ces(dd.from_pandas(frame, npartitions=4), weight="weight"),
         cx.ces(frame, weight="weight"))  # fmt: skip


def test_a_period_with_rows_but_no_scores_is_empty_as_in_the_pandas_path():
    frame = pd.DataFrame(
        {
            "responded_at": pd.to_datetime(["2026-09-01", "2026-10-02", "2026-10-09"]),
            "nps": pd.array([9, None, None], dtype="Int8"),
        }
    )
    ddf = dd.from_pandas(frame, npartitions=2)
    same(cx.nps(ddf, period="2026-10"), cx.nps(frame, period="2026-10"))
    assert cx.nps(ddf, period="2026-10").empty
    assert message(cx.nps, ddf, period="2026-11") == message(cx.nps, frame, period="2026-11")


def test_the_dask_engine_without_dask_names_the_fix(monkeypatch, samples):
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)  # import dask.dataframe fails
    with pytest.raises(CxkitError, match=re.escape('pip install -e ".[dask]"')):
        cx.scan(samples / "responses.csv", engine="dask")
    with pytest.raises(CxkitError, match=r"`engine` must be one of 'duckdb', 'dask'; got 'spark'"):
        cx.scan(samples / "responses.csv", engine="spark")


def test_the_pandas_path_does_not_import_dask():
    code = (
        "import json, sys\nimport pandas as pd\nimport cxkit as cx\n"
        "frame = pd.DataFrame({'nps': [10, 9, 3], 'csat': [5, 4, 1], 'ces': [7, 1, 2]})\n"
        "cx.nps(frame); cx.survey_metrics(frame); cx.compare(frame.assign("
        "responded_at=pd.to_datetime(['2026-01-01', '2026-02-01', '2026-02-02'])))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'dask')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == []
