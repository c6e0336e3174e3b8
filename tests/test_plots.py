"""Plots are tested by what they draw, not by comparing images.

Tick labels are read as matplotlib draws them, and written out by hand from the language's
convention (cxkit.i18n.number and percent): "0.2"/"0,2", "1,000"/"1.000", "50%"/"50\u00a0%",
and the minus sign U+2212.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.transforms import Bbox

import cxkit as cx
from cxkit import plots
from cxkit.errors import CxkitError
from cxkit.i18n import journey_text

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


# ------------------------------------------------------------------ touchpoint prioritization
QUADRANTS = ("fix first", "keep up", "low priority", "possible overkill")
#: Twelve touchpoints of a subscription business: name, stage, importance (R² share), mean rating.
TOUCHPOINTS = [
    ("Website", "attract", 0.041, 4.02),
    ("Online ads", "attract", 0.022, 3.71),
    ("Social media", "attract", 0.030, 3.88),
    ("Sales call", "accept", 0.063, 3.95),
    ("Pricing & quote", "accept", 0.094, 3.31),
    ("Contract", "accept", 0.048, 3.62),
    ("Onboarding", "adopt", 0.112, 3.44),
    ("Mobile app", "adopt", 0.085, 3.98),
    ("Billing", "adopt", 0.071, 3.29),
    ("Referral program", "amplify", 0.026, 3.92),
    ("Support", "advance", 0.104, 3.58),
    ("Renewal", "advance", 0.058, 3.74),
]


def prioritized(rows=TOUCHPOINTS) -> pd.DataFrame:
    """A table shaped like ``cx.prioritize(...)``: intervals ±30 % (importance), ±0.1 (rating)."""
    t = pd.DataFrame(rows, columns=["touchpoint", "stage", "importance", "performance"])
    t.insert(0, "driver", "rating_" + t["touchpoint"].str.lower().str.replace(" ", "_"))
    t["importance_low"], t["importance_high"] = 0.7 * t["importance"], 1.3 * t["importance"]
    t["share"] = t["importance"] / t["importance"].sum()
    t["performance_low"], t["performance_high"] = t["performance"] - 0.1, t["performance"] + 0.1
    t["top2_box"] = 40 * (t["performance"] - 2)
    t["reach"] = np.linspace(0.35, 0.9, len(t))
    t["n"] = (2000 * t["reach"]).astype(int)
    important = t["importance"] > t["importance"].mean()
    good = t["performance"] > t["performance"].mean()
    t["gap"] = t["share"] * (5 - t["performance"])
    t["quadrant"] = np.select(
        [important & ~good, important & good, ~important & ~good],
        ["fix first", "keep up", "low priority"],
        "possible overkill",
    )
    t["priority"] = 100 * t["gap"] / t["gap"].max()
    t["expected_gain"] = 20 * t["gap"]
    t["expected_gain_low"], t["expected_gain_high"] = 0.5 * t["expected_gain"], t["expected_gain"]
    return t


def crowded() -> pd.DataFrame:
    """The twelve touchpoints squeezed together: importances 0.060-0.063, ratings 3.70-3.72."""
    rows = [
        (name, stage, 0.060 + 0.001 * (i % 4), 3.70 + 0.01 * (i // 4))
        for i, (name, stage, *_) in enumerate(TOUCHPOINTS)
    ]
    return prioritized(rows)


def by_gid(artists, gid):
    return [a for a in artists if a.get_gid() == gid]


def boxes(artists) -> list:
    return [a.get_window_extent() for a in artists]


def marker_boxes(ax, points) -> list:
    """The scatter markers' display boxes: centre ± half the marker's width in pixels."""
    half = np.sqrt(points.get_sizes()[0]) / 2 * ax.figure.dpi / 72
    return [
        Bbox.from_extents(x - half, y - half, x + half, y + half)
        for x, y in ax.transData.transform(points.get_offsets())
    ]


def test_importance_performance_whiskers_span_each_interval():
    table = prioritized()
    table.loc[2, "importance_low"] = np.nan  # no bootstrap for Social media's importance
    table.loc[5, "performance_high"] = np.nan
    ax = plots.importance_performance(table, ax=plt.figure().gca())
    (across,) = by_gid(ax.collections, "x_whiskers")
    (along,) = by_gid(ax.collections, "y_whiskers")
    keep = table.index != 2
    expected = np.stack(
        [table[["importance_low", "performance"]], table[["importance_high", "performance"]]],
        axis=1,
    )[keep]
    np.testing.assert_allclose(np.array(across.get_segments()), expected)
    keep = table.index != 5
    expected = np.stack(
        [table[["importance", "performance_low"]], table[["importance", "performance_high"]]],
        axis=1,
    )[keep]
    np.testing.assert_allclose(np.array(along.get_segments()), expected)
    points = by_gid(ax.collections, "points")[0].get_offsets()
    np.testing.assert_allclose(points, table[["importance", "performance"]])


def test_importance_performance_without_intervals_draws_no_whiskers():
    table = prioritized()[["touchpoint", "stage", "importance", "performance"]]
    ax = plots.importance_performance(table, ax=plt.figure().gca())
    assert by_gid(ax.collections, "x_whiskers") == by_gid(ax.collections, "y_whiskers") == []


def test_quadrant_lines_default_to_the_average_touchpoint():
    """The cut cx.prioritize uses: the mean importance and mean rating of the 12 touchpoints."""
    table = prioritized()
    ax = plots.importance_performance(table, ax=plt.figure().gca())
    x_cut = sum(r[2] for r in TOUCHPOINTS) / 12  # 0.754 / 12 = 0.06283
    y_cut = sum(r[3] for r in TOUCHPOINTS) / 12  # 44.44 / 12 = 3.70333
    assert by_gid(ax.lines, "x_cut")[0].get_xdata()[0] == pytest.approx(x_cut)
    assert by_gid(ax.lines, "y_cut")[0].get_ydata()[0] == pytest.approx(y_cut)
    assert x_cut == pytest.approx(0.06283, abs=1e-5) and y_cut == pytest.approx(3.70333, abs=1e-5)


def test_quadrant_lines_at_explicit_cuts_stay_in_view():
    ax = plots.importance_performance(prioritized(), x_cut=0.2, y_cut=4.0, ax=plt.figure().gca())
    assert by_gid(ax.lines, "x_cut")[0].get_xdata()[0] == 0.2
    assert by_gid(ax.lines, "y_cut")[0].get_ydata()[0] == 4.0
    assert ax.get_xlim()[0] < 0.2 < ax.get_xlim()[1]


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ["Fix first", "Keep up", "Low priority", "Possible overkill"]),
        ("es", ["Corregir primero", "Mantener", "Baja prioridad", "Posible exceso"]),
    ],
)
def test_quadrant_names_in_their_corners(lang, names):
    """Importance grows rightwards and performance upwards: fix first is bottom right."""
    ax = plots.importance_performance(prioritized(), ax=plt.figure().gca(), lang=lang)
    corners = {"fix first": (1, 0), "keep up": (1, 1), "low priority": (0, 0)}
    corners["possible overkill"] = (0, 1)
    for quadrant, name in zip(QUADRANTS, names, strict=True):
        (text,) = by_gid(ax.texts, quadrant)
        assert text.get_text() == name
        assert text.xy == corners[quadrant]


@pytest.mark.parametrize("size", [(6.4, 4.8), (9, 3.8), (5, 4)])
def test_quadrant_names_cover_no_point_or_whisker(size):
    ax = plots.importance_performance(prioritized(), ax=plt.figure(figsize=size).gca())
    ax.figure.canvas.draw()
    names = boxes(by_gid(ax.texts, q)[0] for q in QUADRANTS)
    drawn = marker_boxes(ax, by_gid(ax.collections, "points")[0])
    for gid in ("x_whiskers", "y_whiskers"):
        segments = by_gid(ax.collections, gid)[0].get_segments()
        drawn += [Bbox(ax.transData.transform(s)) for s in segments]
    assert not any(n.overlaps(d) for n in names for d in drawn)


@pytest.mark.parametrize("size", [(6.4, 4.8), (9, 3.8), (5, 4)])
def test_point_labels_overlap_nothing_on_a_crowded_matrix(size):
    """Twelve touchpoints within 0.003 of importance and 0.02 of rating: every name is drawn
    once, inside the Axes, off every other name, every point and every quadrant name."""
    table = crowded()
    ax = plots.importance_performance(table, ax=plt.figure(figsize=size).gca())
    ax.figure.canvas.draw()
    labels = by_gid(ax.texts, "label")
    assert sorted(t.get_text() for t in labels) == sorted(table["touchpoint"])
    names = boxes(by_gid(ax.texts, q)[0] for q in QUADRANTS)
    markers = marker_boxes(ax, by_gid(ax.collections, "points")[0])
    inside = ax.get_window_extent()
    placed = boxes(labels)
    for i, box in enumerate(placed):
        others = placed[:i] + placed[i + 1 :]
        assert not any(box.overlaps(other) for other in others + names + markers)
        assert inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1)


def test_point_labels_far_from_their_point_are_tied_to_it():
    ax = plots.importance_performance(crowded(), ax=plt.figure().gca())
    leaders = by_gid(ax.lines, "leader")
    assert leaders, "a crowded matrix moves some names away from their points"
    starts = {tuple(np.round([line.get_xdata()[0], line.get_ydata()[0]], 6)) for line in leaders}
    points = {tuple(np.round(p, 6)) for p in crowded()[["importance", "performance"]].to_numpy()}
    assert starts <= points


def test_point_labels_land_in_the_same_places_every_time():
    def places():
        ax = plots.importance_performance(crowded(), ax=plt.figure().gca())
        return [t.get_position() for t in by_gid(ax.texts, "label")]

    assert places() == places()


def test_importance_performance_without_labels():
    ax = plots.importance_performance(prioritized(), label=None, ax=plt.figure().gca())
    assert by_gid(ax.texts, "label") == []


@pytest.mark.parametrize(
    ("lang", "stages", "title"),
    [
        (
            "en",
            ["Attract", "Accept", "Adopt", "Amplify", "Advance", "Unknown stage"],
            "Journey stage",
        ),
        (
            "es",
            ["Atracción", "Aceptación", "Adopción", "Amplificación", "Avance", "Etapa sin asignar"],
            "Etapa del recorrido",
        ),
    ],
)
def test_points_coloured_by_stage_in_journey_order(lang, stages, title):
    """Rows in reverse order, one without a stage: the legend still reads attract → advance,
    then the touchpoints whose stage is not known, each with the module's palette."""
    table = prioritized().iloc[::-1].reset_index(drop=True)
    table.loc[0, "stage"] = None
    ax = plots.importance_performance(table, ax=plt.figure().gca(), lang=lang)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == stages
    assert legend.get_title().get_text() == title
    colors = [h.get_color() for h in legend.legend_handles]
    assert colors == [*plots.PALETTE[:5], plots.PALETTE[7]]
    points = by_gid(ax.collections, "points")[0]
    np.testing.assert_allclose(points.get_facecolors()[0][:3], plots.PALETTE[7])  # no stage


@pytest.mark.parametrize(
    ("lang", "x_label", "y_label", "x_tick", "y_tick"),
    [
        ("en", "Importance (share of the outcome's variance it explains)",
         "Performance (mean rating, 1–5)", "0.06", "3.6"),
        ("es", "Importancia (parte de la varianza del resultado que explica)",
         "Desempeño (valoración media, 1–5)", "0,06", "3,6"),
    ],
)  # fmt: skip
def test_importance_performance_axes_in_the_language(lang, x_label, y_label, x_tick, y_tick):
    """Importances 0.02-0.15 are ticked every 0.02 and ratings every 0.2 (matplotlib's choice),
    written with the language's decimal mark."""
    ax = plots.importance_performance(prioritized(), ax=plt.figure().gca(), lang=lang)
    assert (ax.get_xlabel(), ax.get_ylabel()) == (x_label, y_label)
    x_ticks, y_ticks = drawn_labels(ax.xaxis), drawn_labels(ax.yaxis)
    assert x_tick in x_ticks and y_tick in y_ticks
    other = "." if lang == "es" else ","
    assert not any(other in s for s in x_ticks + y_ticks)


@pytest.mark.parametrize(
    ("argument", "column"),
    [("x", "lmg"), ("y", "csat"), ("label", "name"), ("hue", "segment")],
)
def test_importance_performance_names_a_missing_column(argument, column):
    with pytest.raises(CxkitError, match=rf"`{argument}`: column\(s\) \['{column}'\] not found"):
        plots.importance_performance(prioritized(), **{argument: column})


def test_importance_performance_of_no_touchpoint_says_so():
    with pytest.raises(CxkitError, match="`data` has no rows"):
        plots.importance_performance(prioritized().head(0))


def test_journey_text_names_every_stage_and_quadrant_in_both_languages():
    keys = {*cx.JOURNEY_STAGES, "unknown", *QUADRANTS}
    assert set(journey_text("en")) == set(journey_text("es")) == keys
    with pytest.raises(CxkitError, match="`lang`"):
        journey_text("fr")


# ------------------------------------------------------------------ driver importance bars
def test_driver_importance_sorted_most_important_on_top_with_whiskers():
    table = prioritized()
    table.loc[4, ["importance_low", "importance_high"]] = np.nan  # Pricing: no bootstrap
    ax = plots.driver_importance(table, ax=plt.figure().gca())
    ranked = table.sort_values("importance", ascending=False)
    top_down = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert top_down == ranked["touchpoint"].tolist()  # y defaults to "touchpoint"
    widths = [p.get_width() for p in ax.patches][::-1]
    np.testing.assert_allclose(widths, ranked["importance"])
    (whiskers,) = by_gid(ax.collections, "x_whiskers")
    bottom_up = table.sort_values("importance").reset_index(drop=True)
    rows = bottom_up.index[bottom_up["touchpoint"] != "Pricing & quote"]
    expected = [
        [(bottom_up.loc[i, "importance_low"], i), (bottom_up.loc[i, "importance_high"], i)]
        for i in rows
    ]
    np.testing.assert_allclose(np.array(whiskers.get_segments()), expected)
    assert len(by_gid(ax.collections, "caps")[0].get_offsets()) == 2 * len(rows)
    assert ax.get_xlim()[1] >= table["importance_high"].max()  # every whisker in view


def test_driver_importance_reads_the_driver_analysis_table():
    """DriverAnalysis.importance_: no touchpoint column, interval in ci_low/ci_high."""
    table = pd.DataFrame(
        {
            "driver": ["rating_support", "rating_billing", "rating_app"],
            "importance": [0.05, 0.11, 0.02],
            "share": [0.28, 0.61, 0.11],
            "ci_low": [0.03, 0.08, np.nan],
            "ci_high": [0.07, 0.14, np.nan],
            "rank": [2, 1, 3],
            "n": [800, 800, 800],
        }
    )
    ax = plots.driver_importance(table, ax=plt.figure().gca())
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "rating_app",
        "rating_support",
        "rating_billing",
    ]
    segments = by_gid(ax.collections, "x_whiskers")[0].get_segments()
    np.testing.assert_allclose(segments, [[(0.03, 1), (0.07, 1)], [(0.08, 2), (0.14, 2)]])


def test_driver_importance_negative_values_start_at_zero():
    """Correlations from -0.3 to 0.4: every bar starts at 0, negative ones run leftwards in
    the palette's vermilion; Spanish ticks every 0.1 with the minus sign and decimal comma."""
    table = pd.DataFrame({"driver": ["a", "b", "c", "d"], "importance": [0.4, -0.3, 0.1, -0.05]})
    ax = plots.driver_importance(table, ax=plt.figure().gca(), lang="es")
    assert [p.get_x() for p in ax.patches] == [0, 0, 0, 0]
    assert [p.get_width() for p in ax.patches] == [-0.3, -0.05, 0.1, 0.4]
    np.testing.assert_allclose(ax.patches[0].get_facecolor()[:3], plots.PALETTE[3])
    np.testing.assert_allclose(ax.patches[3].get_facecolor()[:3], plots.PALETTE[0])
    minus = "\u2212"
    assert drawn_labels(ax.xaxis) == [
        f"{minus}0,3",
        f"{minus}0,2",
        f"{minus}0,1",
        "0,0",
        "0,1",
        "0,2",
        "0,3",
        "0,4",
    ]
    assert ax.get_xlabel().startswith("Importancia")
    assert by_gid(ax.collections, "x_whiskers") == []


def test_driver_importance_names_a_missing_column():
    with pytest.raises(CxkitError, match=r"`x`: column\(s\) \['lmg'\] not found"):
        plots.driver_importance(prioritized(), x="lmg")
    with pytest.raises(CxkitError, match=r"`y`: column\(s\) \['driver'\] not found"):
        plots.driver_importance(pd.DataFrame({"importance": [0.1]}))


# ------------------------------------------------------------------ journey stage strip
def stage_summary() -> pd.DataFrame:
    """One row per stage of the twelve touchpoints, as the lead's stage summary shapes it."""
    table = prioritized()
    summary = table.groupby("stage", sort=False).agg(
        touchpoints=("touchpoint", "size"),
        importance=("importance", "sum"),
        performance=("performance", "mean"),
        reach=("reach", "max"),
    )
    summary["share"] = summary["importance"] / summary["importance"].sum()
    return summary.reset_index()


def cells(ax) -> list:
    return [p for p in ax.patches if p.get_gid() in (*cx.JOURNEY_STAGES, "unknown")]


def test_journey_stages_one_cell_per_stage_in_journey_order():
    summary = stage_summary().iloc[::-1]  # rows in any order
    ax = plots.journey_stages(summary, ax=plt.figure(figsize=(9, 2.5)).gca())
    assert [c.get_gid() for c in cells(ax)] == list(cx.JOURNEY_STAGES)
    assert [c.get_x() for c in cells(ax)] == pytest.approx([0.03, 1.03, 2.03, 3.03, 4.03])
    assert [t.get_text() for t in by_gid(ax.texts, "stage")] == [
        "Attract", "Accept", "Adopt", "Amplify", "Advance"
    ]  # fmt: skip
    # attract: mean of 4.02, 3.71, 3.88 = 3.87; adopt: mean of 3.44, 3.98, 3.29 = 3.57
    values = [t.get_text() for t in by_gid(ax.texts, "value")]
    assert values == ["3.87", "3.63", "3.57", "3.92", "3.66"]


def test_journey_stages_deepest_colour_at_the_lowest_rating():
    ax = plots.journey_stages(stage_summary(), ax=plt.figure(figsize=(9, 2.5)).gca())
    darkness = [1 - np.mean(c.get_facecolor()[:3]) for c in cells(ax)]
    assert np.argmax(darkness) == 2  # adopt, 3.57
    assert np.argmin(darkness) == 3  # amplify, 3.92
    ax = plots.journey_stages(stage_summary(), value="share", ax=plt.figure().gca())
    darkness = [1 - np.mean(c.get_facecolor()[:3]) for c in cells(ax)]
    assert np.argmax(darkness) == 2  # adopt carries the most importance: 0.268 of 0.754


def test_journey_stages_notes_give_the_share_of_importance_and_reach():
    """Attract: importance 0.041 + 0.022 + 0.030 = 0.093 of 0.754 = 12 %; reach 0.45."""
    ax = plots.journey_stages(stage_summary(), ax=plt.figure(figsize=(9, 2.5)).gca(), lang="es")
    notes = by_gid(ax.texts, "notes")[0].get_text()
    assert notes == f"importancia 12{NBSP}%\nalcance 45{NBSP}%"
    assert by_gid(ax.texts, "value")[0].get_text() == "3,87"


def test_journey_stages_grey_out_a_stage_without_data_and_put_unknown_last():
    summary = stage_summary()
    summary = summary[summary["stage"] != "amplify"]
    unknown = pd.DataFrame({"stage": [None], "importance": [0.01], "performance": [3.5]})
    summary = pd.concat([unknown, summary], ignore_index=True)
    ax = plots.journey_stages(summary, ax=plt.figure(figsize=(9, 2.5)).gca(), lang="es")
    assert [c.get_gid() for c in cells(ax)] == [*cx.JOURNEY_STAGES, "unknown"]
    values = [t.get_text() for t in by_gid(ax.texts, "value")]
    assert values[3] == "sin datos" and values[5] == "3,50"
    assert cells(ax)[3].get_hatch() == "///"
    assert by_gid(ax.texts, "stage")[5].get_text() == "Etapa sin asignar"


def test_journey_stages_texts_fit_their_cells():
    """A narrow figure in Spanish: names, values and notes are shrunk until they fit."""
    ax = plots.journey_stages(stage_summary(), ax=plt.figure(figsize=(5, 2)).gca(), lang="es")
    ax.figure.canvas.draw()
    for kind in ("stage", "value", "notes"):
        for cell, text in zip(cells(ax), by_gid(ax.texts, kind), strict=True):
            box = cell.get_window_extent()
            assert box.x0 < text.get_window_extent().x0 < text.get_window_extent().x1 < box.x1


def test_journey_stages_wants_one_row_per_known_stage():
    with pytest.raises(CxkitError, match=r"more than one row for stage\(s\) \['attract'"):
        plots.journey_stages(prioritized())
    bad = stage_summary().assign(stage=["attract", "accept", "adopt", "amplify", "retain"])
    with pytest.raises(CxkitError, match=r"\['retain'\], which are not journey stages"):
        plots.journey_stages(bad)
    with pytest.raises(CxkitError, match=r"`value`: column\(s\) \['nps'\] not found"):
        plots.journey_stages(stage_summary(), value="nps")


@pytest.mark.parametrize(
    "draw",
    [plots.importance_performance, plots.driver_importance, plots.journey_stages],
)
def test_prioritization_plots_draw_on_the_current_axes(draw):
    _, ax = plt.subplots()
    data = stage_summary() if draw is plots.journey_stages else prioritized()
    assert draw(data) is ax
