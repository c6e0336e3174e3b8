"""Dask as an engine for the other metrics: tickets, churn and key drivers equal the pandas path.

The reference for every number is the pandas path on the same rows: ``cx.service_metrics``
(``fcr``, ``reopen_rate``, ``churn_rate``, ``DriverAnalysis.fit``) on the pandas frame that the
dask frame splits into partitions (for a folder: the files read one by one with the readers and
concatenated). Errors are compared with the pandas path's messages. Tests run on dask's
synchronous scheduler (no cluster); a scan on the dask engine must not ask DuckDB for anything.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.errors import CxkitError
from cxkit.retention import count_customers

dd = pytest.importorskip(
    "dask.dataframe", reason="dask is an optional extra: pip install -e '.[dask]'"
)

# dask's own Parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:DeprecationWarning"
)
import dask  # noqa: E402  (after the skip: dask is optional)
import test_scan_service  # noqa: E402
from test_scan_drivers import LISTWISE, ratings, same_fit  # noqa: E402
from test_scan_service import CHURN_CONFIGS, TICKET_CONFIGS  # noqa: E402

#: Three Parquet files of generated tickets (open ones, no contacts, a missing channel,
#: business hours), and the pandas reading of each, concatenated: the DuckDB tests' fixture.
ticket_folder = test_scan_service.ticket_folder
TICKET_METRICS = [cx.service_metrics, cx.fcr, cx.reopen_rate]
#: Beyond DuckDB's calendar periods: the pandas path (and dask's) take any frequency.
OTHER_FREQS = [{"by": "channel", "freq": "h"}, {"freq": "W-MON"}, {"by": "agent", "freq": "Q-MAR"}]


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=1e-9)


def message(call, data, **options) -> str:
    with pytest.raises(CxkitError) as caught:
        call(data, **options)
    return str(caught.value)


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture
def no_duckdb(monkeypatch):
    """Make every DuckDB query of the metrics fail: a dask-engine scan must not reach them."""

    def refuse(*args, **kwargs):
        raise AssertionError("DuckDB was asked on the dask engine")

    for name in ("cxkit.scan._grouped", "cxkit.scan._drivers", "cxkit.scan._scan"):
        monkeypatch.setattr(importlib.import_module(name), "connect", refuse)


@pytest.fixture(scope="module")
def tickets(samples):
    frame = cx.read_tickets(samples / "tickets.csv").data
    return dd.from_pandas(frame, npartitions=5), frame


@pytest.fixture(scope="module")
def customers(samples):
    frame = cx.read_customers(samples / "customers.csv").data
    return dd.from_pandas(frame, npartitions=4), frame


@pytest.fixture(scope="module")
def responses(samples):
    frame = cx.read_responses(samples / "responses.csv").data
    drivers = sorted(c for c in frame.columns if c.startswith("rating_"))
    return dd.from_pandas(frame, npartitions=5), frame, drivers


# -- tickets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("options", TICKET_CONFIGS + OTHER_FREQS)
@pytest.mark.parametrize("metric", TICKET_METRICS)
def test_ticket_metrics_on_a_dask_frame_equal_the_pandas_path(tickets, metric, options):
    ddf, frame = tickets
    assert ddf.npartitions == 5
    same(metric(ddf, **options), metric(frame, **options))


@pytest.mark.parametrize(
    "options",
    [{}, {"by": "channel", "freq": "M"}, {"by": "channel", "period": "2026-03"}, {"freq": "h"}],
)
@pytest.mark.parametrize("metric", TICKET_METRICS)
def test_ticket_metrics_on_a_dask_scan_of_a_folder(ticket_folder, no_duckdb, metric, options):
    folder, frame = ticket_folder
    assert frame["channel"].isna().any() and frame["resolved_at"].isna().any()
    scanned = cx.scan(folder, kind="tickets", engine="dask")
    same(metric(scanned, **options), metric(frame, **options))


def test_business_hours_and_groups_split_over_partitions(ticket_folder):
    """Rows in random order: every group's tickets lie in every partition, and one is empty."""
    _, frame = ticket_folder
    shuffled = frame.sample(frac=1, random_state=3, ignore_index=True)
    ddf = dd.concat([dd.from_pandas(shuffled, npartitions=6), dd.from_pandas(frame[:0], 1)])
    table = cx.service_metrics(ddf, by="channel")
    same(table, cx.service_metrics(frame, by="channel"))
    business = frame["first_response_business_h"].dropna()
    whole = cx.service_metrics(ddf)  # all tickets meet in one partition
    assert whole["first_response_business_p90_h"].iat[0] == pytest.approx(business.quantile(0.9))
    assert table["channel"].isna().iat[-1]  # missing channel: a group of its own, last


def test_a_period_in_few_partitions_and_an_empty_partition(ticket_folder):
    _, frame = ticket_folder
    ordered = frame.sort_values("opened_at", ignore_index=True)
    ddf = dd.concat([dd.from_pandas(ordered, npartitions=7), dd.from_pandas(ordered[:0], 1)])
    for metric in TICKET_METRICS:
        for options in ({"by": "channel", "period": "2026-02", "freq": "W"}, {"period": "2026-05"}):
            same(metric(ddf, **options), metric(ordered, **options))


# -- churn -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options", [*CHURN_CONFIGS, {"by": "segment", "freq": "Q-MAR"}, {"freq": "W-MON"}]
)
def test_churn_on_a_dask_frame_equals_the_pandas_path(customers, options):
    ddf, frame = customers
    same(cx.churn_rate(ddf, **options), cx.churn_rate(frame, **options))


def test_a_partition_is_counted_per_group_start_and_end_period(customers):
    _, frame = customers
    table = count_customers(frame, by="segment", freq="Q", start="start_date", end="end_date")
    assert table["_customers"].sum() == len(frame)  # every customer, once
    assert table[["segment", "start_date", "end_date"]].duplicated().sum() == 0
    starts = table["start_date"]
    assert (starts == starts.dt.to_period("Q").dt.start_time).all()  # a quarter's first day
    quarters = frame["start_date"].dt.to_period("Q").nunique()
    assert len(table) <= frame["segment"].nunique() * quarters * (quarters + 1)  # not customers


def test_churn_on_a_dask_scan_of_a_folder(samples, tmp_path, no_duckdb):
    """The sample's customers in three CSV files (the header repeated in each)."""
    header, *lines = (samples / "customers.csv").read_text(encoding="utf-8").splitlines()
    for part, start in enumerate(range(0, len(lines), 1_100)):
        chunk = "\n".join([header, *lines[start : start + 1_100]]) + "\n"
        (tmp_path / f"customers-{part}.csv").write_text(chunk, encoding="utf-8")
    files = sorted(tmp_path.glob("*.csv"))
    frame = pd.concat([cx.read_customers(p).data for p in files], ignore_index=True)
    scanned = cx.scan(tmp_path, kind="customers", engine="dask")
    for options in ({"by": "segment", "freq": "Q"}, {"period": "2026-10"}, {"freq": "W-MON"}):
        same(cx.churn_rate(scanned, **options), cx.churn_rate(frame, **options))


# -- key drivers -----------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [None, "weight"])
@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
@pytest.mark.parametrize("method", ["shapley", "relative_weights", "regression", "correlation"])
def test_a_fit_on_a_dask_frame_equals_the_fit_on_the_frame(responses, method, missing, weight):
    ddf, frame, drivers = responses
    options = {
        "outcome": "nps",
        "drivers": LISTWISE if missing == "listwise" else drivers,
        "weight": weight,
        "missing": missing,
    }
    same_fit(
        cx.DriverAnalysis(method, n_boot=0).fit(frame, **options),
        cx.DriverAnalysis(method, n_boot=0).fit(ddf, **options),
    )


def test_values_far_from_zero_are_centred_as_in_the_pandas_path():
    """Amounts near 1e8: raw sums of squares would lose the variance's digits."""
    frame = ratings(3_000, seed=4)
    frame["spend"] = 1e8 + frame["rating_billing"].astype("float64") * 10
    options = {"outcome": "nps", "drivers": ["rating_app", "spend"], "weight": "weight"}
    same_fit(
        cx.DriverAnalysis("regression", n_boot=0).fit(frame, **options),
        cx.DriverAnalysis("regression", n_boot=0).fit(dd.from_pandas(frame, 4), **options),
    )


def test_a_fit_on_a_dask_scan_of_a_folder(tmp_path, no_duckdb):
    for seed in range(3):
        ratings(1_500, seed).to_parquet(tmp_path / f"part-{seed}.parquet")
    frame = pd.concat(
        [cx.read_responses(p).data for p in sorted(tmp_path.glob("*.parquet"))], ignore_index=True
    )
    scanned = cx.scan(tmp_path, engine="dask")
    options = {"outcome": "nps", "drivers": ["rating_app", "rating_support", "rating_billing"]}
    for method, weight in (("shapley", "weight"), ("regression", None)):
        same_fit(
            cx.DriverAnalysis(method, n_boot=0).fit(frame, **options, weight=weight),
            cx.DriverAnalysis(method, n_boot=0).fit(scanned, **options, weight=weight),
        )


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "options"),
    [
        (cx.service_metrics, {"by": "team"}),
        (cx.service_metrics, {"period": "2019-01"}),
        (cx.service_metrics, {"freq": "M", "date": "closed_at"}),
        (cx.fcr, {"by": "channel", "period": "2030-01"}),
        (cx.reopen_rate, {"period": "2026-10", "date": "closed_at"}),
        (cx.fcr, {"freq": "fortnight"}),
    ],
)
def test_ticket_errors_are_the_pandas_paths(tickets, call, options):
    ddf, frame = tickets
    assert message(call, ddf, **options) == message(call, frame, **options)


def test_a_rate_without_its_column_is_the_pandas_error():
    bare = pd.DataFrame(
        {"ticket_id": ["a", "b"], "opened_at": pd.to_datetime(["2026-01-02", "2026-01-03"])}
    )
    ddf = dd.from_pandas(bare, npartitions=2)
    assert message(cx.fcr, ddf) == message(cx.fcr, bare)
    assert "`data`: column(s) ['reopened'] not found" in message(cx.reopen_rate, ddf)
    same(cx.service_metrics(ddf), cx.service_metrics(bare))  # all open, no times


@pytest.mark.parametrize("options", [{"end": "ended"}, {"by": "region"}, {"period": "2019-01"}])
def test_churn_errors_are_the_pandas_paths(customers, options):
    ddf, frame = customers
    assert message(cx.churn_rate, ddf, **options) == message(cx.churn_rate, frame, **options)


def test_churn_from_a_column_of_numbers_names_it(customers):
    ddf, _ = customers  # (the pandas path raises numpy's TypeError comparing numbers and dates)
    assert "column 'revenue' holds float64, not dates" in message(
        cx.churn_rate, ddf, start="revenue"
    )


def test_a_dask_fit_has_no_bootstrap_and_names_bad_columns(responses):
    ddf, frame, drivers = responses
    with pytest.raises(CxkitError, match=r"cannot be resampled \(n_boot=200\). Pass n_boot=0"):
        cx.DriverAnalysis("shapley", n_boot=200).fit(ddf, outcome="nps", drivers=drivers)
    for options in (
        {"outcome": "nps", "drivers": ["rating_app", "rating_nowhere"]},
        {"outcome": "nps", "drivers": ["rating_app", "segment"]},  # categories, not numbers
        {"outcome": "nps", "drivers": drivers, "weight": "segment"},
        {"outcome": "nps", "drivers": ["rating_app"], "missing": "some"},
    ):
        fit = cx.DriverAnalysis(n_boot=0).fit
        # the same sentence, less the example values a frame shows and dask's meta has not
        shown = re.sub(r" such as \[[^\]]*\]", "", message(fit, frame, **options))
        assert message(fit, ddf, **options) == shown


def test_missing_weights_are_counted_over_partitions(responses):
    _, frame, _ = responses
    planted = frame.copy()
    planted.loc[planted.index[[2, 5000, 9000]], "weight"] = [np.nan, -1.0, np.nan]
    used = planted["nps"].notna() & planted[LISTWISE].notna().any(axis=1)
    expected = int(used.iloc[[2, 5000, 9000]].sum())
    ddf = dd.from_pandas(planted, npartitions=5)  # the three rows in three partitions
    wanted = f"`weight`: {expected} row(s) with the outcome have a missing or negative weight"
    for data in (planted, ddf):
        with pytest.raises(CxkitError, match=re.escape(wanted)):
            cx.DriverAnalysis(n_boot=0).fit(data, outcome="nps", drivers=LISTWISE, weight="weight")


def test_the_pandas_path_of_these_metrics_does_not_import_dask(samples):
    code = (
        "import json, sys\nimport cxkit as cx\n"
        f"t = cx.read_tickets({str(samples / 'tickets.csv')!r}).data\n"
        "cx.service_metrics(t, by='channel'); cx.fcr(t); cx.reopen_rate(t, freq='M')\n"
        f"c = cx.read_customers({str(samples / 'customers.csv')!r}).data\n"
        "cx.churn_rate(c, by='segment')\n"
        f"r = cx.read_responses({str(samples / 'responses.csv')!r}).data\n"
        "cx.DriverAnalysis(n_boot=0).fit(r, outcome='nps', drivers=['rating_app', "
        "'rating_support'])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'dask')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == []
