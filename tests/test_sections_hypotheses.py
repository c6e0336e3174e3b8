"""Hypotheses report sections: overview, cards, register table, problems, metric rows, truths.

The numbers asserted here come from the sample files themselves: statuses and plans from
``data/samples/hypotheses.yml``, effects and group sizes from ``data/samples/responses.csv``
through :func:`cxkit.ab_test` and :func:`cxkit.sample_size`, computed in the tests.
"""

import copy
import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

import cxkit as cx
from cxkit.errors import CxkitError
from cxkit.hypotheses import STATUSES, HypothesisRegister
from cxkit.plots import effects
from cxkit.sections import Section, Skipped, hypotheses
from cxkit.synthetic.experiments import EXPERIMENTS
from cxkit.synthetic.truth import planted_effects

PERIOD_END = dt.date(2026, 10, 31)  # the last day of the report period 2026-10
HOSTILE = '<script>alert("x")</script> & "quotes"'
NBSP = "\u00a0"  # Spanish texts keep a number with its unit: "164 %", "13,5 puntos"


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def data(samples):
    return cx.read_client(responses=samples / "responses.csv", period="2026-10")


@pytest.fixture(scope="module")
def spanish(samples):
    return cx.read_client(responses=samples / "responses.csv", period="2026-10", lang="es")


@pytest.fixture(scope="module")
def result(data, samples):
    return hypotheses.analyse(samples / "hypotheses.yml", data, five_whys=samples / "five_whys.yml")


@pytest.fixture(scope="module")
def register(samples) -> list[dict]:
    """The sample register's items, as the YAML file has them."""
    text = (samples / "hypotheses.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["hypotheses"]


@pytest.fixture(scope="module")
def raw(samples) -> pd.DataFrame:
    """The sample answers as the CSV has them (not through cxkit's reader)."""
    return pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])


def by_id(register: list[dict], id_: str) -> dict:
    return next(h for h in register if h["id"] == id_)


def groups(raw: pd.DataFrame, h: dict, end: dt.date) -> tuple[pd.Series, pd.Series]:
    """The control and treatment answers of ``h``'s A/B test up to ``end``, from the CSV."""
    g = h["groups"]
    [(column, value)] = g["filter"].items()
    rows = raw[(raw[column] == value) & (raw["responded_at"].dt.date <= end)]
    metric = h["metric"]
    return (
        rows.loc[rows[g["column"]] == g["control"], metric],
        rows.loc[rows[g["column"]] == g["treatment"], metric],
    )


def front_name(h: dict) -> str:
    """How the front page names a bet: its id and strategy, "H-001 (a warmer welcome ...)"."""
    return f"{h['id']} ({h['strategy']})"


def smaller_group(raw: pd.DataFrame, h: dict, end: dt.date) -> int:
    control, treatment = groups(raw, h, end)
    return min(control.notna().sum(), treatment.notna().sum())


def planned(h: dict) -> int:
    """Answers per group the record's plan needs: cxkit.sample_size of the YAML's plan."""
    return cx.sample_size(
        metric=h["metric"],
        baseline=h["baseline"],
        minimum_effect=h["minimum_effect"],
        alpha=h["alpha"],
        power=h["power"],
    ).n_required


def markup(section: Section) -> str:
    return "".join(
        i if isinstance(i, str) else i._repr_html_() if hasattr(i, "_repr_html_") else ""
        for i in section.items
    )


def articles(result) -> dict[str, BeautifulSoup]:
    soup = BeautifulSoup(markup(hypotheses.cards(result)), "html.parser")
    return {a.select_one(".cx-id").get_text(): a for a in soup.select("article.cx-hyp")}


def write_register(path, items: list[dict]):
    path.write_text(yaml.safe_dump({"hypotheses": items}, allow_unicode=True), encoding="utf-8")
    return path


def es_number(value: float, digits: int) -> str:
    """Spanish number: a dot between thousands, a decimal comma."""
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


# ----------------------------------------------------------------------- on the sample
def test_every_section_shows_something_on_the_sample(result):
    assert result.as_of == PERIOD_END  # default: the report period's last day
    assert result.problems == []  # the sample register, checked with the sample 5-whys log
    assert isinstance(hypotheses.problems(result), Skipped)  # no problems: left out
    for function in (hypotheses.overview, hypotheses.cards, hypotheses.register_table):
        section = function(result)
        assert isinstance(section, Section) and section.items, function.__name__


def test_the_overview_counts_the_statuses_and_draws_the_tested_ones(result, register):
    counts = Counter(h["status"] for h in register)
    in_order = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])  # lifecycle order
    tested = [h["id"] for h in register if h["status"] == "running"]  # the ones with a test
    text, fig, caption = hypotheses.overview(result).items
    assert text == (
        f"{len(register)} hypotheses in the register: {in_order}. As of 31 Oct 2026, "
        f"{len(tested)} of them are tested against the survey answers collected since each "
        "test started."
    )
    assert text.startswith("4 hypotheses in the register: 1 proposed, 2 running, 1 parked.")
    assert caption.startswith("Each line is a test's effect with its 95% interval")
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{i} · NPS" for i in tested]
    # each tested row's interval is drawn from ci_low to ci_high, first row on top
    intervals = {
        line.get_ydata()[0]: tuple(line.get_xdata())
        for line in ax.lines
        if len(line.get_xdata()) == 2 and len(set(line.get_ydata())) == 1
    }
    ev = result.evaluation.set_index("id")
    for position, id_ in zip([1, 0], tested, strict=True):
        assert intervals[position] == pytest.approx((ev.loc[id_, "ci_low"], ev.loc[id_, "ci_high"]))


@pytest.mark.parametrize("id_", ["H-001", "H-002"])
def test_the_effects_are_ab_tests_of_the_planted_experiments(result, register, raw, id_):
    h = by_id(register, id_)
    control, treatment = groups(raw, h, PERIOD_END)
    expected = cx.ab_test(control, treatment, metric="nps", ci=1 - h["alpha"])
    row = result.evaluation.set_index("id").loc[id_]
    assert row["effect"] == pytest.approx(expected.effect, rel=1e-9)
    assert row["ci_low"] == pytest.approx(expected.ci_low, rel=1e-9)
    assert row["ci_high"] == pytest.approx(expected.ci_high, rel=1e-9)
    assert row["p_value"] == pytest.approx(expected.p_value, rel=1e-9)
    assert (row["n_control"], row["n_treatment"]) == (
        control.notna().sum(),
        treatment.notna().sum(),
    )
    assert row["n_required"] == planned(h)
    assert not row["peeking"]  # both groups reached the planned size by the period's end


def test_the_cards_on_the_sample(result, register, raw):
    cards = articles(result)
    assert list(cards) == [h["id"] for h in register]  # one per hypothesis, in file order
    h1 = by_id(register, "H-001")
    first = cards["H-001"]
    suggested = first.select_one(".cx-badge.cx-suggested").get_text()
    assert suggested == "The evidence suggests: Validated."
    n, required = smaller_group(raw, h1, PERIOD_END), planned(h1)
    assert (n, required) == (1130, 691)  # the numbers the card shows, from the data and plan
    progress = f"{n:,} of {required:,} answers in the smaller group ({round(100 * n / required)}%)"
    assert progress == "1,130 of 691 answers in the smaller group (164%)"
    assert progress in [p.get_text() for p in first.select("p.cx-meta")]
    assert "cx-reached" in first.select_one(".cx-progress")["class"]
    assert first.select_one(".cx-peek") is None
    h3 = cards["H-003"].get_text()
    assert "From the root-cause investigations RC-001." in h3
    h4 = by_id(register, "H-004")
    texts = [p.get_text() for p in cards["H-004"].select("p")]
    assert f"Decision: {h4['decision']}" in texts and f"Why: {h4['rationale']}" in texts
    assert cards["H-004"]["class"] == ["cx-hyp", "cx-parked"]


def test_the_register_table_on_the_sample(result, register, raw):
    soup = BeautifulSoup(hypotheses.register_table(result).items[0].to_html(), "html.parser")
    rows = [[td.get_text() for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert [r[0] for r in rows] == [f"{h['id']}: {h['strategy']}" for h in register]
    assert [r[1] for r in rows] == ["NPS", "NPS", "NPS", "Conversion"]  # the YAML's metrics
    h1 = by_id(register, "H-001")
    n, required = smaller_group(raw, h1, PERIOD_END), planned(h1)
    assert rows[0][4] == f"{n:,} ({required:,})"
    assert rows[0][6] == "Validated" and rows[1][6] == "Inconclusive"
    assert rows[2][4:] == ["–", "–", "–"]  # H-003: proposed, no plan, not tested


def test_spanish_labels(spanish, samples, register, raw):
    result = hypotheses.analyse(
        samples / "hypotheses.yml", spanish, five_whys=samples / "five_whys.yml"
    )
    assert (
        hypotheses.overview(result)
        .items[0]
        .startswith("4 hipótesis en el registro: 1 propuesta, 2 en curso, 1 aparcada.")
    )
    cards = articles(result)
    first = cards["H-001"]
    assert (
        first.select_one(".cx-badge.cx-suggested").get_text() == "La evidencia sugiere: Validada."
    )
    h1 = by_id(register, "H-001")
    n, required = smaller_group(raw, h1, PERIOD_END), planned(h1)
    share = round(100 * n / required)
    progress = (
        f"{es_number(n, 0)} de {es_number(required, 0)} respuestas en el grupo menor "
        f"({share}{NBSP}%)"
    )
    assert progress == f"1.130 de 691 respuestas en el grupo menor (164{NBSP}%)"
    assert progress in first.get_text()
    ev = result.evaluation.set_index("id").loc["H-001"]
    reading = (
        f"+{es_number(ev['effect'], 1)}{NBSP}puntos (+{es_number(ev['ci_low'], 1)} a "
        f"+{es_number(ev['ci_high'], 1)})"
    )
    assert reading in first.get_text()  # decimal commas
    assert "Viene de las investigaciones de causa raíz RC-001." in cards["H-003"].get_text()
    decision = by_id(register, "H-004")["decision"]
    assert f"Decisión: {decision}" in cards["H-004"].get_text()
    table = hypotheses.register_table(result).items[0].to_html()
    assert "Validada" in table and "No concluyente" in table and "Aparcada" in table


# ------------------------------------------------------------------------------ peeking
def test_a_test_read_before_its_planned_size_is_marked_as_a_peek(data, samples, register, raw):
    early = dt.date(2025, 3, 31)
    result = hypotheses.analyse(
        samples / "hypotheses.yml",
        data,
        as_of=early.isoformat(),
        five_whys=samples / "five_whys.yml",
    )
    h1 = by_id(register, "H-001")
    control, treatment = groups(raw, h1, early)
    n_c, n_t = control.notna().sum(), treatment.notna().sum()
    required = planned(h1)
    assert min(n_c, n_t) < required  # so this reading is a peek
    card = articles(result)["H-001"]
    peek = card.select_one(".cx-peek")
    assert peek is not None
    assert peek.get_text() == (
        f"read before the planned {required:,} answers per group ({n_c:,} control, {n_t:,} "
        "treatment): keep collecting; deciding now would be peeking"
    )
    assert card.select_one(".cx-badge.cx-suggested") is None  # no suggestion from a peek
    assert "cx-reached" not in card.select_one(".cx-progress")["class"]
    rows = hypotheses.hypothesis_metrics(result, "2026-10")
    peeking = rows[rows["metric"] == "hypothesis_peeking"]
    assert peeking["group"].tolist() == [front_name(h1)]
    expected = cx.ab_test(control, treatment, metric="nps", ci=1 - h1["alpha"])
    assert peeking["value"].iloc[0] == pytest.approx(expected.effect, rel=1e-9)
    assert peeking["n"].iloc[0] == min(n_c, n_t)
    assert not rows["metric"].str.startswith("hypothesis_valid").any()
    # the register's own check would call it a problem; the report leaves it to the card
    answers = data.responses[data.responses["responded_at"].dt.date <= early]
    strict = HypothesisRegister.load(samples / "hypotheses.yml").problems(answers, peeking=True)
    assert any("not reached" in p for p in strict)
    assert not any("not reached" in p for p in result.problems)
    section = hypotheses.problems(result)
    assert "not reached" not in (markup(section) if isinstance(section, Section) else "")


# ----------------------------------------------------------------------------- escaping
def test_every_text_written_by_people_is_escaped(tmp_path, data, samples, register):
    first, parked = copy.deepcopy(by_id(register, "H-001")), copy.deepcopy(by_id(register, "H-004"))
    for h in (first, parked):
        for key in ("strategy", "owner", "touchpoint", "decision", "rationale"):
            h[key] = HOSTILE
    first["id"] = HOSTILE
    odd = copy.deepcopy(by_id(register, "H-003"))
    odd["stage"], odd["root_causes"] = HOSTILE, [HOSTILE]  # two problems that quote it
    path = write_register(tmp_path / "hostile.yml", [first, parked, odd])
    result = hypotheses.analyse(path, data, five_whys=samples / "five_whys.yml")
    assert len(result.problems) == 2
    pages = [
        markup(hypotheses.cards(result)),
        hypotheses.register_table(result).items[0].to_html(),
        markup(hypotheses.problems(result)),
    ]
    for page in pages:
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
    cards = BeautifulSoup(pages[0], "html.parser").select("article.cx-hyp")
    assert cards[0].select_one(".cx-id").get_text() == HOSTILE
    assert cards[0].select_one(".cx-statement").get_text().startswith(f"We believe {HOSTILE} will")
    where = cards[0].select("p.cx-meta")[1].get_text()
    assert where == f"Touchpoint {HOSTILE} · stage Adopt · owner {HOSTILE}"
    texts = [p.get_text() for p in cards[1].select("p")]
    assert f"Decision: {HOSTILE}" in texts and f"Why: {HOSTILE}" in texts
    assert f"From the root-cause investigations {HOSTILE}." in cards[2].get_text()
    table = BeautifulSoup(pages[1], "html.parser")
    row = [td.get_text() for td in table.select("tbody tr")[0].select("td")]
    assert row[0] == f"{HOSTILE}: {HOSTILE}" and row[3] == HOSTILE  # id: strategy; owner
    problems = [li.get_text() for li in BeautifulSoup(pages[2], "html.parser").select("li")]
    assert all(HOSTILE in p for p in problems)


# ------------------------------------------------------------------- broken registers
def test_a_malformed_register_gives_a_problems_section_and_the_rest(tmp_path, data, register):
    items = copy.deepcopy(register)
    by_id(items, "H-003")["status"] = "maybe"
    result = hypotheses.analyse(write_register(tmp_path / "bad.yml", items), data)
    section = hypotheses.problems(result)
    assert section.items[0] == (
        "The hypothesis register has 1 problem(s) to correct; what could be read is shown below."
    )
    assert "hypothesis H-003, `status`: &#x27;maybe&#x27; is not known" in markup(section)
    assert len(articles(result)) == len(items)  # the rest is still shown
    assert isinstance(hypotheses.overview(result), Section)
    assert isinstance(hypotheses.register_table(result), Section)
    rows = hypotheses.hypothesis_metrics(result, "2026-10")
    assert rows.loc[rows["metric"] == "hypotheses_problems", "value"].tolist() == [1]


def test_an_unreadable_register_gives_only_the_problems_section(tmp_path, data):
    path = tmp_path / "bad.yml"
    path.write_text("hypotheses:\n  - id: [\n", encoding="utf-8")
    result = hypotheses.analyse(path, data)
    section = hypotheses.problems(result)
    assert section.items[0] == (
        "The hypothesis register could not be read; correct it and run the report again."
    )
    assert "line 3, column 1" in markup(section)
    for function in (hypotheses.overview, hypotheses.cards, hypotheses.register_table):
        assert isinstance(function(result), Skipped), function.__name__
    assert hypotheses.hypothesis_metrics(result, "2026-10").empty


def test_without_a_register_every_section_is_skipped_with_the_reason(data):
    result = hypotheses.analyse(None, data)
    assert isinstance(result, Skipped)
    for function in (
        hypotheses.problems,
        hypotheses.overview,
        hypotheses.cards,
        hypotheses.register_table,
    ):
        section = function(result)
        assert isinstance(section, Skipped)
        assert "no hypothesis register is given for this client" in repr(section)
    assert hypotheses.hypothesis_metrics(result, "2026-10").empty


def test_an_empty_register_says_there_are_no_hypotheses_yet(tmp_path, data):
    path = tmp_path / "empty.yml"
    path.write_text("hypotheses: []\n", encoding="utf-8")
    result = hypotheses.analyse(path, data)
    assert result.problems == []
    for function in (hypotheses.overview, hypotheses.cards, hypotheses.register_table):
        section = function(result)
        assert isinstance(section, Skipped) and "no hypotheses yet" in repr(section)


def test_an_unreadable_5_whys_log_is_a_problem(tmp_path, data, samples):
    log = tmp_path / "five_whys.yml"
    log.write_text("entries:\n  - id: [\n", encoding="utf-8")
    result = hypotheses.analyse(samples / "hypotheses.yml", data, five_whys=log)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "root_causes are not checked, since the 5-whys log cannot be read"
    )
    assert str(log) in result.problems[0]
    assert isinstance(hypotheses.cards(result), Section)


def test_a_root_cause_not_in_the_log_is_named(tmp_path, data, samples, register):
    items = copy.deepcopy(register)
    by_id(items, "H-003")["root_causes"] = ["RC-999"]
    path = write_register(tmp_path / "rc.yml", items)
    result = hypotheses.analyse(path, data, five_whys=samples / "five_whys.yml")
    assert len(result.problems) == 1
    assert "hypothesis H-003, `root_causes`: RC-999 not in the 5-whys log" in result.problems[0]
    # without the log, the id cannot be checked and is no problem
    assert hypotheses.analyse(path, data).problems == []


# ------------------------------------------------------------------------- metric rows
def test_metric_rows_for_the_front_page(result, register):
    rows = hypotheses.hypothesis_metrics(result, "2026-10")
    statuses = rows[rows["metric"] == "hypotheses_status"].set_index("group")["value"]
    assert statuses.to_dict() == dict(Counter(h["status"] for h in register))
    ev = result.evaluation.set_index("id")
    for metric, id_ in (("hypothesis_validated", "H-001"), ("hypothesis_inconclusive", "H-002")):
        (row,) = rows[rows["metric"] == metric].to_dict("records")
        assert row["group"] == front_name(by_id(register, id_))
        assert (row["value"], row["ci_low"], row["ci_high"]) == (
            ev.loc[id_, "effect"],
            ev.loc[id_, "ci_low"],
            ev.loc[id_, "ci_high"],
        )
        assert row["n"] == min(ev.loc[id_, "n_control"], ev.loc[id_, "n_treatment"])
    assert rows.loc[rows["metric"] == "hypotheses_problems", "value"].tolist() == [0]
    assert set(rows["metric"]) == {
        "hypotheses_status",
        "hypothesis_validated",
        "hypothesis_inconclusive",
        "hypotheses_problems",
    }
    assert (rows["period"] == "2026-10").all()
    assert list(rows.columns) == cx.headline.COLUMNS


# ---------------------------------------------------------------------- planted truths
def test_the_planted_effects_are_found_as_planted(result, spanish, samples, register):
    planted = {e.name: e.nps_effect for e in EXPERIMENTS}
    assert planted == {"onboarding_email": 12, "invoice_redesign": 0}  # the README's table
    assert by_id(register, "H-001")["groups"]["filter"] == {"experiment": "onboarding_email"}
    assert by_id(register, "H-002")["groups"]["filter"] == {"experiment": "invoice_redesign"}
    assert planted_effects(result) == (
        "H-001 (onboarding_email, planted effect +12 NPS points): Validated, as planted. "
        "H-002 (invoice_redesign, no planted effect): Inconclusive, as planted."
    )
    es = hypotheses.analyse(samples / "hypotheses.yml", spanish)
    assert planted_effects(es, lang="es") == (
        "H-001 (onboarding_email, efecto plantado de +12 puntos de NPS): Validada, como se "
        "plantó. H-002 (invoice_redesign, sin efecto plantado): No concluyente, como se plantó."
    )


def test_a_peek_at_the_true_effect_is_not_as_planted(data, samples):
    result = hypotheses.analyse(samples / "hypotheses.yml", data, as_of="2025-01-31")
    assert bool(result.evaluation.set_index("id").loc["H-001", "peeking"])
    assert (
        "H-001 (onboarding_email, planted effect +12 NPS points): Running, NOT as planted."
        in planted_effects(result)
    )


def test_nothing_planted_to_compare_with(tmp_path, data, register):
    before_after = copy.deepcopy(by_id(register, "H-001"))
    before_after["design"] = "pre_post"
    before_after["groups"] = {"change_date": "2026-01-01"}  # a real test, but not planted
    result = hypotheses.analyse(write_register(tmp_path / "r.yml", [before_after]), data)
    assert result.evaluation["effect"].notna().all()
    nothing = (
        "None of these hypotheses tests one of the sample client's planted experiments: there "
        "is no planted truth to compare with."
    )
    assert planted_effects(result) == nothing
    assert planted_effects(hypotheses.analyse(None, data)) == nothing
    assert planted_effects(result, lang="es").startswith("Ninguna de estas hipótesis prueba")


# ------------------------------------------------------------------------- forest plot
def test_the_forest_plot_draws_each_interval():
    import matplotlib.pyplot as plt

    rows = pd.DataFrame(
        {
            "label": ["A", "B", "C"],
            "effect": [5.0, -2.0, 0.5],
            "ci_low": [1.0, -6.0, -3.5],
            "ci_high": [9.0, 2.0, 4.5],
            "minimum_effect": [4.0, np.nan, 3.0],
            "suggested_status": ["validated", "inconclusive", "running"],
        }
    )
    _, ax = plt.subplots()
    effects(rows, ax=ax)
    intervals = [
        (tuple(line.get_xdata()), tuple(line.get_ydata()))
        for line in ax.lines
        if len(line.get_xdata()) == 2 and len(set(line.get_ydata())) == 1
    ]
    # one line per row, first row on top (y = 2), from ci_low to ci_high
    assert intervals == [((1.0, 9.0), (2, 2)), ((-6.0, 2.0), (1, 1)), ((-3.5, 4.5), (0, 0))]
    points = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
    assert points == rows["effect"].tolist()
    diamonds = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "D"]
    assert diamonds == [4.0, 3.0]  # no diamond without a planned minimum
    ticks = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    assert ticks == {2: "A", 1: "B", 0: "C"}
    with pytest.raises(CxkitError, match=r"`data`: column\(s\) \['ci_high'\] not found"):
        effects(rows.drop(columns="ci_high"), ax=ax)
