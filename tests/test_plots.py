"""Plots are tested by what they draw, not by comparing images.

Tick labels are read as matplotlib draws them, and written out by hand from the language's
convention (cxkit.i18n.number and percent): "0.2"/"0,2", "1,000"/"1.000", "50%"/"50\u00a0%",
and the minus sign U+2212.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import cxkit as cx
from cxkit import plots

NBSP = "\u00a0"


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


# ------------------------------------------------------------------ tick labels in the language
def drawn_labels(axis) -> list[str]:
    """The tick labels matplotlib draws on ``axis`` (major and minor, in view), left to right."""
    axis.get_figure(root=True).canvas.draw()
    low, high = sorted(axis.get_view_interval())
    ticks = sorted(axis.get_major_ticks() + axis.get_minor_ticks(), key=lambda t: t.get_loc())
    return [
        t.label1.get_text() for t in ticks if low <= t.get_loc() <= high and t.label1.get_text()
    ]


@pytest.fixture(scope="module")
def tickets(samples):
    return cx.read_tickets(samples / "tickets.csv").data


@pytest.mark.parametrize(
    ("lang", "first_response", "resolution"),
    [
        ("en", ["0.01", "0.1", "1", "10", "100"], ["0.1", "1", "10", "100", "1,000"]),
        ("es", ["0,01", "0,1", "1", "10", "100"], ["0,1", "1", "10", "100", "1.000"]),
    ],
)
def test_response_times_log_axis_writes_plain_numbers(tickets, lang, first_response, resolution):
    """The sample's hours span 0.01-100 (first response) and 0.1-1,000 (resolution): one
    label per power of ten, as the language writes it, never 10^-2 notation."""
    ax = plots.response_times(tickets, ax=plt.figure().gca(), lang=lang)
    assert drawn_labels(ax.xaxis) == first_response
    ax = plots.response_times(tickets, kind="resolution", ax=plt.figure().gca(), lang=lang)
    assert drawn_labels(ax.xaxis) == resolution


def test_response_times_narrow_log_axis_labels_its_2s_and_5s():
    """Hours 1.5-8 hold no power of ten, so 2 and 5 are labelled instead (else: no label)."""
    opened = pd.Timestamp("2026-10-01 09:00")
    hours = pd.to_timedelta([1.5, 2, 3, 4, 6, 8], unit="h")
    table = pd.DataFrame({"opened_at": opened, "first_response_at": opened + hours})
    ax = plots.response_times(table.assign(channel="email"), lang="es")
    assert drawn_labels(ax.xaxis) == ["2", "5"]


@pytest.mark.parametrize(("lang", "half"), [("en", "50%"), ("es", f"50{NBSP}%")])
def test_shares_are_drawn_as_percentages(samples, tickets, lang, half):
    """Both y axes hold 0-1 shares; matplotlib ticks them every 0.2, i.e. every 20 %."""
    sign = "%" if lang == "en" else f"{NBSP}%"
    every_20 = [f"{n}{sign}" for n in range(0, 101, 20)]
    customers = cx.read_customers(samples / "customers.csv").data
    curve = cx.retention_curve(customers, by="segment", unit="M")
    for ax in (
        curve.plot(ax=plt.figure().gca(), lang=lang),
        plots.response_times(tickets, ax=plt.figure().gca(), lang=lang),
    ):
        assert drawn_labels(ax.yaxis) == every_20
        assert ax.yaxis.get_major_formatter()(0.5, 0) == half


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["24.0", "24.2", "24.4", "24.6", "24.8", "25.0"]),
        ("es", ["24,0", "24,2", "24,4", "24,6", "24,8", "25,0"]),
    ],
)
def test_nps_trend_ticks_take_the_decimals_of_their_spacing(lang, expected):
    """A flat trend (24.0-25.0) is ticked every 0.2: one decimal, with the language's mark."""
    table = pd.DataFrame(
        {
            "period": ["2026-08", "2026-09", "2026-10"],
            "nps": [24.1, 24.5, 24.9],
            "ci_low": [24.0] * 3,
            "ci_high": [25.0] * 3,
        }
    )
    ax = plots.nps_trend(table, ax=plt.figure().gca(), lang=lang)
    assert drawn_labels(ax.yaxis) == expected
    assert drawn_labels(ax.xaxis) == ["2026-08", "2026-09", "2026-10"]  # periods kept


def test_negative_nps_ticks_take_the_minus_sign_and_decimal_comma():
    """Intervals from -2 to 1 are ticked every 0.5: "−1,5" with U+2212, not a hyphen."""
    table = pd.DataFrame(
        {
            "segment": ["a", "b"],
            "nps": [-1.2, 0.4],
            "ci_low": [-2.0, -0.5],
            "ci_high": [-0.5, 1.0],
            "small_sample": [False, True],
        }
    )
    ax = plots.nps_by_group(table, ax=plt.figure().gca(), lang="es")
    minus = "\u2212"
    expected = [f"{minus}2,0", f"{minus}1,5", f"{minus}1,0", f"{minus}0,5", "0,0", "0,5", "1,0"]
    assert drawn_labels(ax.xaxis) == expected
    assert drawn_labels(ax.yaxis) == ["a", "b"]  # the groups' names are kept


def test_nps_mix_draws_the_weighted_shares(samples):
    data = cx.read_responses(samples / "responses.csv").data
    table = cx.nps(data, by="segment", weight="weight")
    ax = plots.nps_mix(table, y="segment")
    widths = np.array([p.get_width() for p in ax.patches]).reshape(3, len(table))
    np.testing.assert_allclose(widths[0], table["detractors_pct"])  # drawn first, on the left
    np.testing.assert_allclose(widths[2] - widths[0], table["nps"])  # promoters - detractors
