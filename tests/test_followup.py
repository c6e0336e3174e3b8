"""Tests of cxkit.followup: a hand-built survey and follow-up log with answers worked out here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from cxkit.compare import nps_test
from cxkit.errors import CxkitError, DataFileError
from cxkit.followup import follow_up

AS_OF = "2026-01-06 12:00"


@pytest.fixture
def responses() -> pd.DataFrame:
    """Five responses needing a call (R1, R2, R4, R5, R11), one not (R3), later answers."""
    rows = [
        ("R1", "C1", "2026-01-01 10:00", 3, None, "Call me at +34 612 345 678"),
        ("R2", "C2", "2026-01-02 09:00", 9, 1, "Billing wrong, ana@example.com"),
        ("R3", "C3", "2026-01-03 12:00", 8, 4, None),
        ("R4", "C4", "2026-01-03 08:00", 5, None, "slow"),
        ("R11", "C6", "2026-01-03 20:00", 2, None, None),
        ("R5", "C5", "2026-01-04 15:00", 0, None, "never again"),
        # Later answers (none of them needs a call): 9, 7, 10, 8, 10.
        ("R6", "C1", "2026-01-10 10:00", 9, None, None),
        ("R7", "C4", "2026-01-09 10:00", 7, None, None),
        ("R8", "C5", "2026-01-12 10:00", 10, None, None),
        ("R9", "C2", "2026-01-02 09:30", 8, None, None),
        ("R10", "C2", "2026-01-15 10:00", 10, None, None),
    ]
    frame = pd.DataFrame(
        rows, columns=["response_id", "customer_id", "responded_at", "nps", "csat", "comment"]
    )
    frame["responded_at"] = pd.to_datetime(frame["responded_at"])
    frame["nps"] = frame["nps"].astype("Int8")
    frame["csat"] = frame["csat"].astype("Int8")
    return frame


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6"],
            "revenue": [100.0, 200.0, 10.0, 500.0, 300.0, 50.0],
        }
    )


LOG_CSV = """response_id,who,when,outcome
R1,Ana,2026-01-02 09:00,resolved
R2,Luis,2026-01-05,callback
R2,Luis,2026-01-06 10:00,resolved
R99,Ana,2026-01-02,resolved
R4,Ana,03/01/2026,no answer
R5,Ana,2026-01-01,no answer
R3,Ana,2026-01-04,resolved
,Ana,2026-01-04,left a message
"""

LOG_YAML = """# follow-up calls
follow_ups:
  - {response_id: R1, who: Ana, when: "2026-01-02 09:00", outcome: resolved}
  - {response_id: R2, who: Luis, when: 2026-01-05, outcome: callback}
  - {response_id: R2, who: Luis, when: 2026-01-06 10:00:00, outcome: resolved}
  - {response_id: R99, who: Ana, when: 2026-01-02, outcome: resolved}
  - {response_id: R4, who: Ana, when: 03/01/2026, outcome: no answer}
  - {response_id: R5, who: Ana, when: 2026-01-01, outcome: no answer}
  - {response_id: R3, who: Ana, when: 2026-01-04, outcome: resolved}
  - {who: Ana, when: 2026-01-04, outcome: left a message}
"""


def _value(result, measure: str):
    return result.summary.set_index("measure").loc[measure]


def test_queue_counts_rates_and_sla_worked_out_by_hand(responses, customers, write):
    result = follow_up(responses, log=write("log.csv", LOG_CSV), customers=customers, as_of=AS_OF)
    queue = result.queue.set_index("response_id")
    # Needing a call: NPS <= 6 (R1, R4, R11, R5) or CSAT <= 2 (R2); R3 (8, 4) does not.
    assert sorted(queue.index) == ["R1", "R11", "R2", "R4", "R5"]
    assert _value(result, "needing_call")["value"] == 5
    assert _value(result, "followed_up")["value"] == 2  # R1 and R2
    assert _value(result, "pending")["value"] == 3
    # Due = response + 2 days. Pending R4 (due Jan 5 08:00) and R11 (due Jan 5 20:00) are
    # past due on Jan 6 12:00; R5 (due Jan 6 15:00) is not.
    assert _value(result, "overdue")["value"] == 2
    # R1 called 23 h after: 23 / 24 days. R2's first call is a date alone (Jan 5): counted
    # from the start of its day (Jan 2), 3 days, and after the due day (Jan 4): breached.
    assert queue.loc["R1", "days_to_follow_up"] == pytest.approx(23 / 24)
    assert queue.loc["R2", "days_to_follow_up"] == pytest.approx(3.0)
    assert not queue.loc["R1", "sla_breached"]
    assert queue.loc["R2", "sla_breached"]
    assert queue.loc["R2", "attempts"] == 2
    assert queue.loc["R2", "outcome"] == "callback"  # the first attempt
    assert list(queue["sla_breached"][["R4", "R11", "R5"]]) == [True, True, False]
    median = _value(result, "median_days_to_follow_up")["value"]
    assert median == pytest.approx((23 / 24 + 3.0) / 2)
    # Follow-up rate 2 / 5 with statsmodels' Wilson interval; breaches R2, R4, R11: 3 / 5.
    rate = _value(result, "follow_up_rate")
    low, high = proportion_confint(2, 5, alpha=0.05, method="wilson")
    assert rate["value"] == pytest.approx(40.0)
    assert (rate["ci_low"], rate["ci_high"]) == pytest.approx((100 * low, 100 * high))
    assert _value(result, "sla_breaches")["value"] == 3
    assert _value(result, "sla_breach_rate")["value"] == pytest.approx(60.0)
    assert queue.loc["R4", "revenue"] == 500.0
    assert queue.loc["R1", "comment"] == "Call me at [phone]"
    assert queue.loc["R2", "comment"] == "Billing wrong, [email]"


def test_queue_is_newest_day_first_then_most_valuable(responses, customers):
    result = follow_up(responses, customers=customers, as_of=AS_OF)
    # Jan 4: R5. Jan 3: R4 (revenue 500) before R11 (50), though R11 came later that day.
    assert list(result.queue["response_id"]) == ["R5", "R4", "R11", "R2", "R1"]


def test_bad_log_rows_are_quarantined_with_reasons(responses, write):
    result = follow_up(responses, log=write("log.csv", LOG_CSV), as_of=AS_OF)
    quarantine = result.quarantine.set_index("row")  # spreadsheet rows: header is row 1
    assert quarantine["reason"].to_dict() == {
        5: "unknown_response",
        6: "bad_date",
        7: "before_response",
        8: "no_call_needed",
        9: "missing_response_id",
    }
    assert "YYYY-MM-DD" in quarantine.loc[6, "fix"]
    assert quarantine.loc[6, "when"] == "03/01/2026"
    assert _value(result, "log_rows")["value"] == 8
    assert _value(result, "log_quarantined")["value"] == 5
    assert len(result.log) == 3  # 8 rows = 3 accepted + 5 quarantined: none lost
    assert "5 log row(s) quarantined" in repr(result)


def test_yaml_log_gives_the_same_result_as_the_csv_log(responses, customers, write):
    from_csv = follow_up(responses, log=write("log.csv", LOG_CSV), customers=customers)
    from_yaml = follow_up(responses, log=write("log.yml", LOG_YAML), customers=customers)
    pd.testing.assert_frame_equal(from_csv.queue, from_yaml.queue)
    pd.testing.assert_frame_equal(from_csv.summary, from_yaml.summary)
    assert list(from_yaml.quarantine["row"]) == [4, 5, 6, 7, 8]  # YAML entries from 1
    assert list(from_yaml.quarantine["reason"]) == list(from_csv.quarantine["reason"])


def test_csv_export_round_trip_with_a_byte_order_mark(responses, customers, write, tmp_path):
    result = follow_up(responses, log=write("log.csv", LOG_CSV), customers=customers)
    path = result.to_csv(tmp_path / "queue.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == list(result.queue.columns)
    assert list(back["response_id"]) == list(result.queue["response_id"])
    assert list(back["followed_up"]) == list(result.queue["followed_up"])
    assert list(back["nps"]) == [0, 5, 2, 9, 3]  # R5, R4, R11, R2, R1: whole numbers
    assert path.read_text(encoding="utf-8-sig").split("\n")[2].split(",")[3] == "5"  # not 5.0
    assert list(back["comment"].fillna("")) == list(result.queue["comment"].fillna(""))
    when = pd.to_datetime(back["when"]).astype("datetime64[ns]")
    pd.testing.assert_series_equal(when, result.queue["when"], check_names=False)


def test_later_scores_match_the_nps_test_called_directly(responses, write):
    result = follow_up(responses, log=write("log.csv", LOG_CSV), as_of=AS_OF)
    later = result.later_scores
    # Called back: R1 -> C1's next answer after the call, R6 (9); R2 -> after its first
    # call's day (Jan 5), R10 (10), not R9 (Jan 2, before the call). Not called back:
    # R4 -> R7 (7), R5 -> R8 (10); R11's customer never answered again.
    direct = nps_test(np.array([7, 10]), np.array([9, 10]))
    assert (later.n_followed, later.n_not_followed, later.n_without_later) == (2, 2, 1)
    assert later.followed == pytest.approx(direct.estimate_b)
    assert later.not_followed == pytest.approx(direct.estimate_a)
    assert later.difference == pytest.approx(direct.difference)
    assert (later.ci_low, later.ci_high) == pytest.approx((direct.ci_low, direct.ci_high))
    assert later.p_value == pytest.approx(direct.p_value)
    assert "not causal" in later.note


def test_later_scores_without_a_follow_up_say_so(responses):
    later = follow_up(responses).later_scores
    assert np.isnan(later.difference)
    assert later.n_followed == 0
    assert "both" in later.note
    assert repr(later).startswith("Later nps: no comparison (later answers: 0 followed up")


def test_as_of_defaults_to_the_last_response(responses):
    result = follow_up(responses)
    assert result.as_of == pd.Timestamp("2026-01-15 10:00")
    assert _value(result, "overdue")["value"] == 5  # nothing called, all past due


def test_log_as_a_dataframe_and_without_who_or_outcome(responses):
    log = pd.DataFrame({"response_id": ["R1"], "when": ["2026-01-01 12:00"]})
    result = follow_up(responses, log=log, as_of=AS_OF)
    row = result.queue.set_index("response_id").loc["R1"]
    assert row["followed_up"] and row["days_to_follow_up"] == pytest.approx(2 / 24)
    assert pd.isna(row["who"])


def test_bad_input_names_the_column_or_file(responses, write, tmp_path):
    with pytest.raises(CxkitError, match="`data`: column\\(s\\) \\['customer_id'\\] not found"):
        follow_up(responses.drop(columns="customer_id"))
    with pytest.raises(CxkitError, match="'responded_at' must hold naive dates"):
        follow_up(responses.assign(responded_at="2026-01-01"))
    with pytest.raises(CxkitError, match="column 'nps' must hold whole numbers 0-10; found '11'"):
        follow_up(responses.assign(nps=11))
    with pytest.raises(CxkitError, match="'response_id' must be unique"):
        follow_up(responses.assign(response_id="R1"))
    with pytest.raises(CxkitError, match="`customers`: column\\(s\\) \\['revenue'\\]"):
        follow_up(responses, customers=pd.DataFrame({"customer_id": ["C1"]}))
    path = write("log.csv", "response_id,who,date\nR1,Ana,2026-01-02\n")
    with pytest.raises(DataFileError, match=r"log\.csv'.*\['when'\] missing.*rename"):
        follow_up(responses, log=path)
    with pytest.raises(DataFileError, match="does not exist"):
        follow_up(responses, log=tmp_path / "nope.csv")
    with pytest.raises(CxkitError, match=r"neither a \.csv nor a \.yml"):
        follow_up(responses, log=tmp_path / "log.txt")
    with pytest.raises(DataFileError, match="not valid YAML at line"):
        follow_up(responses, log=write("bad.yml", "follow_ups:\n  - [unclosed\n"))
    with pytest.raises(DataFileError, match="expected a list of entries"):
        follow_up(responses, log=write("odd.yml", "follow_ups: 3\n"))


def test_log_dataframe_rows_keep_their_index_and_bad_settings_are_named(responses):
    log = pd.DataFrame({"response_id": ["R1", "R42"], "when": ["2026-01-02", "2026-01-02"]})
    log.index = [10, 11]
    result = follow_up(responses, log=log)
    assert result.quarantine[["row", "reason"]].values.tolist() == [[11, "unknown_response"]]
    with pytest.raises(CxkitError, match="`as_of` must be a date"):
        follow_up(responses, as_of="next week")
    with pytest.raises(CxkitError, match="`sla_days` must be a number of days >= 0"):
        follow_up(responses, sla_days=-1)
    with pytest.raises(CxkitError, match="`ci` must be between 0 and 1"):
        follow_up(responses, ci=95)


def test_csat_only_responses_compare_later_csat(responses, write):
    # Without an NPS column, CSAT 1-2 flags the call and later CSAT is compared (top-2-box).
    data = responses.drop(columns="nps").assign(
        csat=pd.array([1, 2, 5, 1, 4, 2, 5, 2, 4, 3, 5], dtype="Int8")
    )
    result = follow_up(data, log=write("log.csv", "response_id,when\nR1,2026-01-02\n"))
    # Rows in fixture order R1, R2, R3, R4, R11, R5, R6, R7, ...: CSAT <= 2 are R1 (1),
    # R2 (2), R4 (1), R5 (2) and R7 (2).
    assert sorted(result.queue["response_id"]) == ["R1", "R2", "R4", "R5", "R7"]
    assert result.later_scores.metric == "csat"


def test_numeric_response_ids_match_the_log_text_and_an_empty_log_is_fine(responses, write):
    data = responses.assign(response_id=range(1, len(responses) + 1))  # R1 -> 1, R2 -> 2
    result = follow_up(data, log=write("log.csv", "response_id,when\n1,2026-01-02\n"))
    assert result.queue.set_index("response_id").loc["1", "followed_up"]
    empty = follow_up(responses, log=write("empty.csv", "response_id,who,when,outcome\n"))
    assert _value(empty, "log_rows")["value"] == 0
    assert not empty.queue["followed_up"].any()
    with pytest.raises(CxkitError, match="'response_id' is empty in row\\(s\\) \\[0\\]"):
        follow_up(responses.assign(response_id=[None, *responses["response_id"][1:]]))
