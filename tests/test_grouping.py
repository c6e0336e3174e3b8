"""Grouping columns: names that are not columns are errors, periods come from the date."""

import pandas as pd
import pytest

import cxkit as cx
from cxkit._grouping import check_columns, group_frame


def test_missing_by_or_weight_columns_are_errors_never_silent(samples):
    data = cx.read_responses(samples / "responses.csv").data.drop(columns=["weight"])
    with pytest.raises(cx.CxkitError, match=r"`weight`: column\(s\) \['weight'\] not found"):
        cx.nps(data, weight="weight")
    with pytest.raises(cx.CxkitError, match=r"`by`: column\(s\) \['region'\] not found"):
        cx.csat(data, by="region")
    with pytest.raises(cx.CxkitError, match=r"`by/weight`: column\(s\) \['weight'\]"):
        cx.headline_metrics(responses=data, weight="weight")


def test_group_frame_adds_the_period_column():
    frame = pd.DataFrame(
        {"s": ["a", "b"], "when": pd.to_datetime(["2025-01-31 23:59", "2025-02-01 00:00"])}
    )
    out = group_frame(frame, by="s", freq="M", date="when")
    assert out["period"].astype(str).tolist() == ["2025-01", "2025-02"]
    check_columns(frame, ["s"], parameter="by")  # no error


def test_no_rows_give_an_empty_table_with_periods_too(samples):
    # an empty export (or an empty dask partition) is not an error: no groups, no rows
    frame = cx.read_responses(samples / "responses.csv").data.iloc[:0]
    table = cx.nps(frame, by="segment", freq="M")
    assert table.empty and list(table.columns[:2]) == ["segment", "period"]


@pytest.mark.parametrize("freq", ["2M", "12h", "3W"])
def test_a_multiple_frequency_is_refused_rather_than_mislabelled(samples, freq):
    # pandas' to_period("2M") keeps every month apart under a "2M" label: no two-month groups
    frame = cx.read_responses(samples / "responses.csv").data
    with pytest.raises(cx.CxkitError, match=r"`freq` must be a single period .* a multiple"):
        cx.nps(frame, freq=freq)
