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
