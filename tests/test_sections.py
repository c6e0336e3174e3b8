"""Report sections: period-true content, the history feeding the trend, and honest skipping."""

import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit.reports.history import History
from cxkit.sections import Section, Skipped, baseline


@pytest.fixture(scope="module")
def sample(samples):
    return cx.read_client(
        responses=samples / "responses.csv",
        tickets=samples / "tickets.csv",
        customers=samples / "customers.csv",
        orders=samples / "orders.csv",
        period="2026-10",
        weight="weight",
    )


def test_trend_reads_the_history_when_the_export_holds_only_the_new_period(samples, tmp_path):
    october = cx.read_responses(samples / "responses.csv").data
    october = october[october["responded_at"] >= "2026-10-01"]
    october.to_csv(tmp_path / "responses.csv", index=False)
    history = History(tmp_path / "history.sqlite")
    for month, value in (("2026-08", 12.0), ("2026-09", 18.0)):
        row = pd.DataFrame(
            {
                "metric": ["nps"],
                "group": ["all"],
                "value": [value],
                "se": [3.0],
                "ci_low": [value - 6],
                "ci_high": [value + 6],
                "n": [300],
            }
        )
        history.store("c", pd.Period(month, "M"), row, month)
    history.store("c", pd.Period("2026Q3", "Q"), row.assign(value=99.0), "quarter")
    data = cx.read_client(responses=tmp_path / "responses.csv", period="2026-10")
    section = baseline.nps_trend(data, history=tmp_path / "history.sqlite", client="c")
    line = section.items[0].axes[0].lines[0]
    expected_october = cx.nps(october)["nps"].iloc[0]
    # August and September from the history (the quarter is not a month), October from the export
    np.testing.assert_allclose(line.get_ydata(), [12.0, 18.0, expected_october])


def test_sections_skip_with_the_reason_when_data_is_missing(samples):
    data = cx.read_client(responses=samples / "responses.csv", period="2026-10", lang="es")
    skipped = baseline.service(data)
    assert isinstance(skipped, Skipped)
    assert "no se entregó una exportación de tickets" in skipped._repr_html_()
    assert 'class="cx-skipped"' in skipped._repr_html_()
    assert isinstance(baseline.churn(data), Skipped)
    assert isinstance(baseline.nps_groups(data), Section)


def test_churn_section_uses_nothing_after_the_report_period(sample, samples):
    section = baseline.churn(sample, periods=3)
    shown = section.items[0].styler.data
    customers = cx.read_customers(samples / "customers.csv").data
    direct = cx.churn_rate(customers, period="2026-10", as_of="2026-10-31")
    assert shown.iloc[0, 0] == "October 2026"  # the report period first
    assert shown.iloc[0, 1] == f"{int(direct['n'].iloc[0]):,}"
    assert len(shown) == 3


def test_service_table_is_for_the_period_with_fcr_intervals(sample, samples):
    table = baseline.service(sample).items[0].styler.data
    tickets = cx.read_tickets(samples / "tickets.csv").data
    october = tickets[tickets["opened_at"].dt.to_period("M") == pd.Period("2026-10")]
    counts = october["channel"].value_counts()
    assert dict(zip(table["Channel"], table["Tickets"], strict=True)) == {
        k: f"{v:,}" for k, v in counts.items()
    }
    assert table["First-contact resolution (95% interval)"].str.match(r"\d+\.\d% \(").all()


def test_about_says_what_the_figures_rest_on(samples, tmp_path):
    data = cx.read_responses(samples / "responses.csv").data
    data.drop(columns="weight").to_csv(tmp_path / "responses.csv", index=False)
    client = cx.read_client(responses=tmp_path / "responses.csv", weight="weight", period="2026-10")
    items = baseline.about(client).items
    october = ((data["responded_at"] >= "2026-10-01") & (data["responded_at"] < "2026-11-01")).sum()
    assert items[0] == f"This report covers October 2026: {october:,} survey responses."
    assert "No ticket export was given for this client." in items
    assert "The responses export has no 'weight' column, so figures are unweighted." in items
    weighted = baseline.about(sample_client(samples)).items
    assert "Survey figures are weighted with the export's 'weight' column." in weighted


def sample_client(samples):
    return cx.read_client(responses=samples / "responses.csv", weight="weight", period="2026-10")
