"""cx.survey_metrics: the same tables as cx.nps, cx.csat and cx.ces, from one group key.

Every expected table here is the separate call's own output with the same arguments, so the
one-pass call is checked cell for cell (``assert_frame_equal``, exact) against the functions
whose numbers tests/test_survey.py checks against published values and statsmodels.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit._grouping import group_codes, group_frame, group_key, period_codes

SEPARATE = {"nps": cx.nps, "csat": cx.csat, "ces": cx.ces}


@pytest.fixture(scope="module")
def responses(samples):
    return cx.read_responses(samples / "responses.csv").data


@pytest.fixture(scope="module")
def messy():
    """Generated responses with missing scores, dates, segments and an empty segment level."""
    rng = np.random.default_rng(14)
    n = 3000
    seconds = (rng.random(n) * 2 * 365 * 86400).astype("timedelta64[s]")
    frame = pd.DataFrame(
        {
            "segment": pd.Categorical(
                rng.choice(["a", "b", "c"], n), categories=["a", "b", "c", "never"]
            ),
            "channel": rng.choice(["app", "web", None], n),
            "responded_at": pd.Series(np.datetime64("2025-01-01T00:00:00") + seconds),
            "nps": pd.array(rng.integers(0, 11, n), dtype="Int8"),
            "csat": rng.integers(1, 6, n).astype("float64"),
            "ces": pd.array(rng.integers(1, 8, n), dtype="Int64"),
            "ltr10": rng.integers(1, 11, n),
            "w": rng.uniform(0.2, 3.0, n),
        }
    )
    frame.loc[rng.random(n) < 0.1, "nps"] = pd.NA
    frame.loc[rng.random(n) < 0.3, "csat"] = np.nan
    frame.loc[frame["channel"] == "web", "ces"] = pd.NA  # a whole group unanswered for CES
    frame.loc[[5, 77], "responded_at"] = pd.NaT
    return frame


def assert_same_as_separate(data, metrics=("nps", "csat", "ces"), own=None, **shared):
    together = cx.survey_metrics(data, metrics=own or metrics, **shared)
    assert list(together) == list(own or metrics)
    for name in together:
        expected = SEPARATE[name](data, **shared, **(own or {}).get(name, {}))
        pd.testing.assert_frame_equal(together[name], expected, check_exact=True)


@pytest.mark.parametrize(
    "shared",
    [
        {},
        {"by": "segment"},
        {"by": ["segment", "touchpoint"], "freq": "M"},
        {"freq": "Q", "weight": "weight"},
        {"by": "segment", "period": "2026-10", "weight": "weight"},
        {"by": "touchpoint", "freq": "W", "period": "2026Q3"},
        {"by": "segment", "ci": 0.9, "min_n": 50},
    ],
    ids=["overall", "by", "by-freq", "freq-weight", "period-weight", "week-in-quarter", "ci"],
)
def test_equals_the_separate_calls_on_the_sample_data(responses, shared):
    assert_same_as_separate(responses, **shared)


@pytest.mark.parametrize(
    "shared",
    [
        {"by": ["segment", "channel"], "freq": "M"},
        {"by": "channel", "freq": "Y", "weight": "w"},
        {"by": "segment", "period": "2025-06"},
        {"freq": "D"},
    ],
    ids=["missing-groups", "weighted", "period", "days"],
)
def test_equals_the_separate_calls_with_missing_scores_dates_and_groups(messy, shared):
    # the "never" segment has no rows and CES has no answer from web: those rows are absent
    assert_same_as_separate(messy, **shared)
    if "by" in shared and "channel" in shared["by"]:
        ces = cx.survey_metrics(messy, metrics=["ces"], **shared)["ces"]
        assert "web" not in set(ces["channel"].dropna())


def test_each_metric_keeps_its_own_options(messy):
    own = {
        "nps": {"method": "wald", "min_n": 10},
        "csat": {"score": "ltr10", "scale": 10, "top_box": 3, "ci": 0.8},
        "ces": {"scale": 7, "top_box": 2},
    }
    assert_same_as_separate(messy, own=own, by="segment", freq="Q", weight="w")


def test_metrics_in_the_order_asked(messy):
    assert list(cx.survey_metrics(messy, metrics=["ces", "nps"])) == ["ces", "nps"]


def test_the_old_period_granularity_still_warns_and_works(responses):
    with pytest.warns(DeprecationWarning, match=r"survey_metrics\(freq='M'\)"):
        old = cx.survey_metrics(responses, metrics=["nps"], period="M")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pd.testing.assert_frame_equal(old["nps"], cx.nps(responses, period="M"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metrics": ["nps", "churn"]}, r"`metrics` must be one of 'nps', 'csat', 'ces'"),
        ({"metrics": "nps"}, r"`metrics` must name one or more of 'nps', 'csat', 'ces'"),
        ({"metrics": []}, r"`metrics` must name one or more"),
        ({"metrics": {"csat": {"by": "segment"}}}, r"csat takes the options score, scale"),
        ({"metrics": {"nps": {"score": "ltr"}}}, r"column 'ltr' \(the nps scores\) not found"),
        ({"by": "region"}, r"`by`: column\(s\) \['region'\] not found"),
        ({"weight": "wt"}, r"`weight`: column\(s\) \['wt'\] not found"),
        ({"period": "2020-01"}, r"no rows in period 2020-01"),
    ],
)
def test_errors_name_what_to_fix(responses, kwargs, message):
    with pytest.raises(cx.CxkitError, match=message):
        cx.survey_metrics(responses, **kwargs)


def test_a_series_is_an_error_that_points_to_the_single_metrics():
    with pytest.raises(cx.CxkitError, match=r"takes a DataFrame .* call cx.nps"):
        cx.survey_metrics(pd.Series([10, 9]))


def test_scores_off_the_scale_are_named_as_in_the_separate_call(messy):
    bad = messy.assign(csat=messy["csat"].where(messy.index != 9, 6.0))
    with pytest.raises(cx.CxkitError, match=r"`csat`: 1 value\(s\) are not whole scores on 1–5"):
        cx.survey_metrics(bad)


def test_a_missing_weight_is_named_as_in_the_separate_call(messy):
    row = int(np.flatnonzero(messy["nps"].notna().to_numpy())[0])  # a scored NPS response
    bad = messy.assign(w=messy["w"].where(messy.index != row))
    message = rf"`w`: 1 scored response\(s\) have a missing or negative weight \(positions {row}\)"
    with pytest.raises(cx.CxkitError, match=message):
        cx.nps(bad, weight="w")
    with pytest.raises(cx.CxkitError, match=message):
        cx.survey_metrics(bad, metrics=["nps"], weight="w")


# ------------------------------------------------------------------ the shared group key
@pytest.mark.parametrize("freq", ["D", "W", "W-MON", "M", "Q", "Y", "h"])
@pytest.mark.parametrize("by", [None, "segment", ["channel", "segment"]])
def test_group_key_equals_the_codes_of_the_group_columns(messy, by, freq):
    key = group_key(messy, by=by, freq=freq, date="responded_at")
    codes, table = group_codes(group_frame(messy, by=by, freq=freq, date="responded_at"))
    np.testing.assert_array_equal(key.codes, codes)
    pd.testing.assert_frame_equal(key.table, table)


@pytest.mark.parametrize("freq", ["D", "W", "M", "Q", "Y"])
@pytest.mark.parametrize("tz", [None, "America/Bogota"])
def test_period_codes_equal_those_of_pandas_to_period(freq, tz):
    rng = np.random.default_rng(3)
    seconds = (rng.random(4000) * 4 * 365 * 86400).astype("timedelta64[s]")
    dates = pd.Series(np.datetime64("1968-06-01T00:00:00") + seconds)  # spans the 1970 epoch
    dates.iloc[[0, 99]] = pd.NaT
    if tz:
        dates = dates.dt.tz_localize("UTC").dt.tz_convert(tz)
    codes, levels = period_codes(dates, freq)
    periods = (dates.dt.tz_localize(None) if tz else dates).dt.to_period(freq)
    decoded = pd.Series(levels.take(codes), dtype=periods.dtype)
    pd.testing.assert_series_equal(decoded, periods, check_names=False)
    observed = periods.dropna()
    assert levels[0] == observed.min() and levels[-2] == observed.max() and pd.isna(levels[-1])


def test_period_codes_of_no_dates_at_all():
    codes, levels = period_codes(pd.Series(pd.to_datetime([None, None])), "M")
    assert codes.tolist() == [0, 0] and len(levels) == 1 and pd.isna(levels[0])
