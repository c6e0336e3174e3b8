"""5-whys analysis: Pareto of causes, overdue actions and verification against later data."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats import proportion

import cxkit as cx
from cxkit.rootcause import VERIFY_COLUMNS, RootCauseLog


def make_log(*entries: dict) -> RootCauseLog:
    log = RootCauseLog()
    for number, changes in enumerate(entries, start=1):
        values = {
            "opened": "2026-01-02",
            "problem": "p",
            "touchpoint": "Support",
            "stage": "advance",
            "metric": "csat",
            **changes,
        }
        log.add(values.pop("id", f"RC-{number}"), **values)
    return log


def csat_answers(month: str, satisfied: int, total: int, weight: float = 1.0) -> pd.DataFrame:
    """``total`` CSAT answers on the 15th of ``month``: ``satisfied`` of them 5, the rest 3."""
    scores = [5] * satisfied + [3] * (total - satisfied)
    return pd.DataFrame({"responded_at": pd.Timestamp(f"{month}-15"), "csat": scores, "w": weight})


def responses(*parts: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True)


# -------------------------------------------------------------------------------- Pareto
def test_pareto_counts_and_cumulative_shares():
    log = make_log(
        {"category": "process"}, {"category": "Process"}, {"category": "people"},
        {"category": "technology"}, {"category": "process"}, {},  # no category: not counted
    )  # fmt: skip
    table = log.pareto()
    assert table["category"].tolist() == ["process", "people", "technology"]  # ties: a-z
    assert table["entries"].tolist() == [3, 1, 1]
    # 3 of 5 categorised entries = 60%, then 20% each: cumulative 60, 80, 100
    np.testing.assert_allclose(table["share"], [60.0, 20.0, 20.0])
    np.testing.assert_allclose(table["cumulative_share"], [60.0, 80.0, 100.0])


def test_pareto_of_touchpoints_and_of_an_empty_log():
    log = make_log({"touchpoint": "Billing"}, {"touchpoint": "Support"}, {"touchpoint": "Billing"})
    table = log.pareto("touchpoint")
    assert table[["touchpoint", "entries"]].values.tolist() == [["Billing", 2], ["Support", 1]]
    np.testing.assert_allclose(table["cumulative_share"], [200 / 3, 100.0])  # 2 of 3, 3 of 3
    assert RootCauseLog().pareto().empty
    with pytest.raises(cx.CxkitError, match=r"`by` must be one of 'category', 'touchpoint'"):
        log.pareto("owner")


# ------------------------------------------------------------------------------- overdue
def test_overdue_actions_as_of_a_date():
    action = {"owner": "Ana"}
    log = make_log(
        {"countermeasures": [
            {**action, "action": "late", "due": dt.date(2026, 3, 1), "status": "open"},
            {**action, "action": "later", "due": dt.date(2026, 2, 1), "status": "in progress"},
            {**action, "action": "done", "due": dt.date(2026, 1, 1), "status": "done"},
            {**action, "action": "dropped", "due": dt.date(2026, 1, 1), "status": "dropped"},
            {**action, "action": "due today", "due": dt.date(2026, 3, 31), "status": "open"},
        ]},
    )  # fmt: skip
    table = log.actions(as_of="2026-03-31")
    assert table.columns.tolist() == [
        "id", "action", "owner", "due", "status", "overdue", "days_overdue",
    ]  # fmt: skip
    assert table["overdue"].tolist() == [True, True, False, False, False]
    late = log.overdue(as_of=dt.date(2026, 3, 31))
    assert late["action"].tolist() == ["later", "late"]  # most overdue first
    # 2026-02-01 to 2026-03-31: 27 + 31 = 58 days; 2026-03-01 to 2026-03-31: 30 days
    assert late["days_overdue"].tolist() == [58, 30]
    assert log.overdue(as_of="2026-02").empty is False  # a period: its last day, 2026-02-28
    assert log.overdue(as_of="2026-02")["action"].tolist() == ["later"]


def test_the_sample_logs_overdue_action_as_of_the_report_period(samples):
    log = RootCauseLog.load(samples / "five_whys.yml")
    late = log.overdue(as_of="2026-10")
    assert late[["id", "action"]].values.tolist() == [
        ["RC-002", "First-steps guide linked from the welcome e-mail"]
    ]
    assert late["days_overdue"].tolist() == [61]  # due 2026-08-31: 30 days of Sep + 31 of Oct


# -------------------------------------------------------------------------------- verify
@pytest.mark.parametrize(
    ("satisfied", "target", "expected"),
    [
        (80, 70, "recovered"),  # +40 pp, significant, 80% reaches 70%
        (80, 90, "improving"),  # significant, but 80% is short of 90%
        (80, None, "improving"),  # no target: a gain, never "recovered"
        (45, 40, "not yet"),  # +5 pp on 100 answers each: within noise, target or not
        (20, 70, "worse"),  # −20 pp, significant
    ],
)
def test_every_verdict(satisfied, target, expected):
    check = {"metric": "csat", "baseline_period": "2026-01"}
    log = make_log({"verification": {**check, **({"target": target} if target else {})}})
    data = responses(csat_answers("2026-01", 40, 100), csat_answers("2026-03", satisfied, 100))
    (row,) = log.verify(data).to_dict("records")
    assert row["verdict"] == expected
    # the top-2-box share in each month, and statsmodels' unpooled Wald test of two proportions
    assert (row["baseline"], row["latest"]) == (40.0, float(satisfied))
    test = proportion.test_proportions_2indep(
        satisfied, 100, 40, 100, method="wald", compare="diff"
    )
    low, high = proportion.confint_proportions_2indep(satisfied, 100, 40, 100, method="wald")
    assert row["p_value"] == pytest.approx(test.pvalue, rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high), rel=1e-9)
    assert row["difference"] == pytest.approx(satisfied - 40)
    assert row["latest_period"] == pd.Period("2026-03", "M")


def test_no_data_verdicts():
    log = make_log(
        {"id": "service", "metric": "fcr",
         "verification": {"metric": "fcr", "baseline_period": "2026-01"}},
        {"id": "no-baseline", "verification": {"baseline_period": "2025-06"}},
        {"id": "nothing-later", "verification": {"baseline_period": "2026-03"}},
        {"id": "no-column", "metric": "ces", "verification": {"baseline_period": "2026-01"}},
        {"id": "no-verification"},
    )  # fmt: skip
    data = responses(csat_answers("2026-01", 40, 100), csat_answers("2026-03", 80, 100))
    table = log.verify(data)
    assert table.columns.tolist() == VERIFY_COLUMNS
    assert table["id"].tolist() == ["service", "no-baseline", "nothing-later", "no-column"]
    assert table["verdict"].tolist() == ["no data"] * 4
    assert table["p_value"].isna().all() and (table["n_latest"] == 0).all()


def test_latest_is_the_last_period_up_to_as_of_at_the_baselines_granularity():
    log = make_log({"verification": {"baseline_period": "2026-01", "target": 70}})
    data = responses(
        csat_answers("2026-01", 40, 100),
        csat_answers("2026-02", 80, 100),
        csat_answers("2026-03", 45, 100),
    )
    assert log.verify(data)["latest_period"].tolist() == [pd.Period("2026-03", "M")]  # default
    by_feb = log.verify(data, as_of="2026-02")  # a period: up to its end
    assert by_feb["latest_period"].tolist() == [pd.Period("2026-02", "M")]
    assert by_feb["verdict"].tolist() == ["recovered"]
    # a date inside March: March is not complete, February is the latest period
    assert log.verify(data, as_of="2026-03-20")["latest_period"].tolist() == [
        pd.Period("2026-02", "M")
    ]
    assert log.verify(data, as_of="2026-01-31")["verdict"].tolist() == ["no data"]


def test_a_quarter_baseline_is_compared_with_the_latest_complete_quarter():
    log = make_log({"verification": {"baseline_period": "2025Q4", "target": 70}})
    data = responses(
        csat_answers("2025-11", 40, 100),
        csat_answers("2026-02", 50, 50),
        csat_answers("2026-03", 90, 100),
        csat_answers("2026-04", 0, 100),  # Q2 2026 has not ended by the data's last month
    )
    (row,) = log.verify(data).to_dict("records")
    assert row["latest_period"] == pd.Period("2026Q1", "Q-DEC")
    # Q1 2026: 50 answers of 5 in February plus 90 of 5 and 10 of 3 in March: 140 of 150
    assert row["latest"] == pytest.approx(100 * 140 / 150)
    assert row["n_latest"] == 150


def test_weights_are_honoured():
    log = make_log({"verification": {"baseline_period": "2026-01", "target": 70}})
    data = responses(
        csat_answers("2026-01", 40, 100, weight=1.0),
        csat_answers("2026-03", 50, 50, weight=3.0),  # satisfied, weighted up
        csat_answers("2026-03", 0, 50, weight=1.0),
    )
    (row,) = log.verify(data, weight="w").to_dict("records")
    # weighted share in March: 50 x 3 of 50 x 3 + 50 x 1 = 150 / 200 = 75%
    assert row["latest"] == pytest.approx(75.0)
    march = data[data["responded_at"].dt.month == 3]
    test = cx.metric_test(
        data[data["responded_at"].dt.month == 1], march, metric="csat", weight="w"
    )
    assert (row["difference"], row["p_value"]) == (test.difference, test.p_value)
    assert row["verdict"] == "recovered"
    assert log.verify(data)["latest"].tolist() == [50.0]  # unweighted: 50 of 100


def test_the_planted_support_incident_has_recovered(samples):
    """data/samples/README.md: NPS 3.1 in 2025-12 (491 answers), 22.7 in 2026-10 (600)."""
    log = RootCauseLog.load(samples / "five_whys.yml")
    data = cx.read_responses(samples / "responses.csv").data
    row = log.verify(data).set_index("id").loc["RC-001"]
    assert row["verdict"] == "recovered"
    assert (row["baseline_period"], row["latest_period"]) == (
        pd.Period("2025-12", "M"),
        pd.Period("2026-10", "M"),
    )
    assert (round(row["baseline"], 1), round(row["latest"], 1)) == (3.1, 22.7)
    assert (row["n_baseline"], row["n_latest"]) == (491, 600)
    months = data["responded_at"].dt.to_period("M")
    test = cx.nps_test(data[months == "2025-12"], data[months == "2026-10"])
    assert (row["difference"], row["ci_low"], row["p_value"]) == (
        test.difference,
        test.ci_low,
        test.p_value,
    )
    weighted = log.verify(data, weight="weight", as_of="2026-10").set_index("id")
    assert weighted.loc["RC-001", "verdict"] == "recovered"
    nps = cx.nps(data[months == "2026-10"], weight="weight")["nps"].iloc[0]
    assert weighted.loc["RC-001", "latest"] == nps
    # two months later it had not: as of 2026-01, NPS 10.5 against 3.1 on some 500 answers
    # each is a gain within noise (the test's p-value is above 0.05)
    early = log.verify(data, as_of="2026-01").set_index("id").loc["RC-001"]
    assert (early["latest_period"], early["verdict"]) == (pd.Period("2026-01", "M"), "not yet")
    assert early["p_value"] > 0.05


def test_small_bases_are_flagged():
    log = make_log({"verification": {"baseline_period": "2026-01", "target": 70}})
    data = responses(csat_answers("2026-01", 4, 10), csat_answers("2026-03", 25, 29))
    (row,) = log.verify(data, min_n=30).to_dict("records")
    assert (row["n_baseline"], row["n_latest"], row["small_sample"]) == (10, 29, True)
    assert log.verify(data, min_n=10)["small_sample"].tolist() == [False]  # 10 and 29 >= 10
