"""Plots are tested by what they draw, not by comparing images."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit import plots


@pytest.fixture(scope="module")
def responses(samples):
    return cx.read_responses(samples / "responses.csv").data


def test_nps_trend_band_line_and_marked_changes(responses):
    table = cx.nps(responses, freq="Q")
    comparisons = cx.compare(responses, freq="Q")
    ax = plots.nps_trend(table, comparisons=comparisons, ax=plt.figure().gca())
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), table["nps"])
    assert len(ax.collections) == 2  # interval band + marked changes
    marked = ax.collections[1].get_offsets()
    assert len(marked) == comparisons["significant"].sum() > 0
    assert ax.get_ylabel() == "NPS (points)"


def test_nps_trend_without_changes_has_no_marker_legend(responses):
    ax = plots.nps_trend(cx.nps(responses, freq="M").head(3), comparisons=None, lang="es")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["NPS"]
    assert ax.get_xlabel() == "Periodo"


def test_nps_by_group_sorted_with_hollow_small_samples(responses):
    table = cx.nps(responses, by="touchpoint", min_n=900)
    ax = plots.nps_by_group(table, y="touchpoint")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == table.sort_values("nps")["touchpoint"].astype(str).tolist()
    hollow = ax.collections[-1]
    assert len(hollow.get_offsets()) == table["small_sample"].sum()


def test_nps_mix_bars_add_to_100(responses):
    table = cx.nps(responses, by="segment")
    ax = plots.nps_mix(table, y="segment")
    widths = np.array([p.get_width() for p in ax.patches]).reshape(3, len(table))
    np.testing.assert_allclose(widths.sum(axis=0), 100)


def test_retention_curves_one_step_line_per_group(samples):
    customers = cx.read_customers(samples / "customers.csv").data
    curve = cx.retention_curve(customers, by="segment", unit="M")
    ax = curve.plot()
    assert [line.get_label() for line in ax.lines] == ["Consumer", "Enterprise", "Small business"]
    assert ax.lines[0].get_ydata()[0] == 1.0


def test_response_times_ecdf_per_channel(samples):
    tickets = cx.read_tickets(samples / "tickets.csv").data
    ax = plots.response_times(tickets, hue="channel")
    assert len(ax.lines) == tickets["channel"].nunique()
    assert ax.get_xscale() == "log"


def test_plots_use_the_current_axes_when_none_is_given():
    _, ax = plt.subplots()
    table = pd.DataFrame(
        {"segment": ["a"], "n": [10], "promoters": [5], "passives": [3], "detractors": [2]}
    )
    assert plots.nps_mix(table, y="segment") is ax
