"""The hypothesis register: the record, load/save (round trip), checks, sample sizes, evaluation."""

import copy
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cxkit.errors import CxkitError
from cxkit.experiments import ab_test, diff_in_diff, pre_post
from cxkit.hypotheses import (
    EVALUATION_COLUMNS,
    HYPOTHESIS_KEYS,
    Hypothesis,
    HypothesisError,
    HypothesisRegister,
)
from cxkit.power import sample_size
from cxkit.rootcause import RootCauseLog

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

GOOD = """\
  - id: H-001
    strategy: a warmer welcome for new customers
    customer_need: new customers not knowing how to get started
    solution: a step-by-step onboarding e-mail
    outcome: more new customers recommending us
    metric: nps
    status: running
    touchpoint: Onboarding
    stage: adopt
    owner: Head of customer success
    created: 2024-10-15
    started: 2024-11-01
    root_causes: [RC-001]
    baseline: {promoters: 39, passives: 35, detractors: 26}
    minimum_effect: 12
    design: ab
    groups: {column: variant, control: control, treatment: treatment,
             filter: {experiment: onboarding_email}}
"""


@pytest.fixture(scope="module")
def responses(samples) -> pd.DataFrame:
    return pd.read_csv(samples / "responses.csv")


@pytest.fixture
def register_file(write):
    """Write a register whose hypotheses are the given YAML text (indented under the key)."""

    def _register(items: str, header: str = "") -> Path:
        return write("hypotheses.yml", f"{header}hypotheses:\n{items}")

    return _register


def hyp(**changes) -> dict:
    """The example hypothesis as a mapping, with ``changes`` (None removes a key)."""
    data = yaml.safe_load("hypotheses:\n" + GOOD)["hypotheses"][0]
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def problems_of(tmp_path, *items, data=None, rootcause_log=None) -> list[str]:
    path = tmp_path / "register.yml"
    path.write_text(yaml.safe_dump({"hypotheses": list(items)}, allow_unicode=True), "utf-8")
    return HypothesisRegister.load(path).problems(data, rootcause_log=rootcause_log)


# ----------------------------------------------------------------------------- the record
def test_the_example_loads_as_written(register_file):
    (h,) = HypothesisRegister.load(register_file(GOOD)).hypotheses
    assert (h.id, h.status, h.metric, h.design, h.stage) == (
        "H-001",
        "running",
        "nps",
        "ab",
        "adopt",
    )
    assert h.date("started") == dt.date(2024, 11, 1) and h.date("ended") is None
    assert h.root_causes == ["RC-001"]
    assert h.groups["filter"] == {"experiment": "onboarding_email"}
    assert h.plan() == {
        "metric": "nps",
        "baseline": {"promoters": 39, "passives": 35, "detractors": 26},
        "minimum_effect": 12,
    }


def test_the_statement_in_english_and_spanish():
    h = Hypothesis(hyp())
    assert h.statement() == (
        "We believe a warmer welcome for new customers will solve new customers not knowing how "
        "to get started through a step-by-step onboarding e-mail, resulting in more new "
        "customers recommending us."
    )
    assert h.statement("es") == (
        "Creemos que a warmer welcome for new customers resolverá new customers not knowing how "
        "to get started mediante a step-by-step onboarding e-mail, lo que dará como resultado "
        "more new customers recommending us."
    )
    assert (
        Hypothesis({"strategy": "X"})
        .statement()
        .startswith("We believe X will solve [customer_need] through [solution]")
    )
    with pytest.raises(CxkitError, match=r"`lang` must be one of 'en', 'es'; got 'fr'"):
        h.statement("fr")


def test_add_writes_only_the_given_keys_in_order(tmp_path):
    register = HypothesisRegister()
    h = register.add("H-9", strategy="s", customer_need="n", solution="x", outcome="o",
                     metric="csat", baseline=60, minimum_effect=5, design="ab",
                     status="designed")  # fmt: skip
    assert list(h.data) == ["id", "strategy", "customer_need", "solution", "outcome", "metric",
                            "status", "baseline", "minimum_effect", "design"]  # fmt: skip
    assert register.problems() == []
    assert register.entries is register.hypotheses
    assert register["H-9"] is h
    with pytest.raises(CxkitError, match=r"no hypothesis 'H-0' in <new register>; its ids are H-9"):
        register["H-0"]


# ---------------------------------------------------------------------------- round trip
def test_comments_at_the_top_survive_a_save(register_file, tmp_path):
    header = "# Acme's bets\n#   kept by Ana Pérez\n\n"
    HypothesisRegister.load(register_file(GOOD, header=header)).save(tmp_path / "saved.yml")
    text = (tmp_path / "saved.yml").read_text(encoding="utf-8")
    assert text.startswith("# Acme's bets\n#   kept by Ana Pérez\n\nhypotheses:\n")
    HypothesisRegister.load(tmp_path / "saved.yml").save(tmp_path / "again.yml")
    assert (tmp_path / "again.yml").read_text(encoding="utf-8") == text  # stable


def test_the_sample_register_round_trips(samples, tmp_path):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    register.save(tmp_path / "saved.yml")
    again = HypothesisRegister.load(tmp_path / "saved.yml")
    assert again.hypotheses == register.hypotheses and again.header == register.header


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(), min_size=1, max_size=5),
    key=st.text(min_size=1),
    number=st.one_of(st.integers(), st.floats(allow_nan=False)),
)
@example(texts=["\x85", "a\u2028b", "\r\n", " lead", "#x", "yes"], key="0", number=0.1)
def test_save_then_load_loses_nothing_for_any_text(tmp_path, texts, key, number):
    register = HypothesisRegister(header="# header\n")
    register.add(key, strategy=texts[0], customer_need=texts[-1], solution=texts[0],
                 outcome=texts[-1], metric=texts[0], status=texts[-1], owner=texts[0],
                 started=texts[-1], root_causes=texts, baseline=number, minimum_effect=number,
                 groups={"column": texts[0], "control": texts[-1], "treatment": number,
                         "filter": {texts[0]: texts[-1]}},
                 evidence={"effect": number, "as_of": texts[0]}, rationale=texts[-1])  # fmt: skip
    path = tmp_path / "register.yml"
    register.save(path)
    again = HypothesisRegister.load(path)
    assert again.hypotheses == register.hypotheses
    assert again.header == "# header\n"


# ------------------------------------------------------------------------- file problems
def test_a_missing_file(tmp_path):
    with pytest.raises(HypothesisError, match=r"'.*nowhere.yml' does not exist.*templates/hypo"):
        HypothesisRegister.load(tmp_path / "nowhere.yml")


def test_a_yaml_syntax_error_gives_line_and_column(register_file):
    path = register_file("  - id: H-1\n     metric: nps\n")
    with pytest.raises(HypothesisError) as info:
        HypothesisRegister.load(path)
    message = str(info.value)
    # line 3 of the file (after `hypotheses:`), where the over-indented key's colon stands
    assert message.startswith(f"{path}: not valid YAML at line 3, column 12: ")
    assert "Traceback" not in message


def test_an_unclosed_quote_says_where_it_started(register_file):
    path = register_file('  - id: H-1\n    strategy: "warmer\n    metric: nps\n')
    with pytest.raises(HypothesisError, match=r"what is unfinished starts at line 3, column 15"):
        HypothesisRegister.load(path)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- id: H-1\n", "found a list at the top of the file"),
        ("hypothesis:\n  - id: H-1\n", r"found the key\(s\) \['hypothesis'\] but no `hypotheses`"),
        ("hypotheses: H-1\n", "found `hypotheses:` holding the str 'H-1'"),
        ("hypotheses: []\nclient: x\n", r"found unknown top-level key\(s\) \['client'\]"),
    ],
)
def test_the_top_level_must_be_a_hypotheses_list(write, text, found):
    path = write("hypotheses.yml", text)
    with pytest.raises(HypothesisError, match=r"expected one top-level key, `hypotheses:`") as e:
        HypothesisRegister.load(path)
    assert re.search(found, str(e.value))


def test_an_empty_file_is_an_empty_register(write):
    assert HypothesisRegister.load(write("h.yml", "# nothing yet\n")).hypotheses == []
    assert HypothesisRegister.load(write("h.yml", "hypotheses:\n")).hypotheses == []


def test_the_template_documents_every_key_and_loads(tmp_path):
    text = (TEMPLATES / "hypotheses.yml").read_text(encoding="utf-8")
    for key in HYPOTHESIS_KEYS:
        assert re.search(rf"^#\s+{key}:", text, re.M), key
    path = tmp_path / "hypotheses.yml"
    path.write_text(text.replace("{client}", "Acme"), encoding="utf-8")
    register = HypothesisRegister.load(path)
    assert register.hypotheses == [] and "Acme" in register.header


def test_the_templates_full_example_is_a_clean_hypothesis(tmp_path):
    text = (TEMPLATES / "hypotheses.yml").read_text(encoding="utf-8")
    block = text.split("to use it):\n", 1)[1].split("\n#\n", 1)[0]
    items = yaml.safe_load("\n".join(line[2:] for line in block.splitlines()))
    assert list(items[0]) == list(HYPOTHESIS_KEYS)  # every key, in the order cxkit writes them
    path = tmp_path / "hypotheses.yml"
    path.write_text(yaml.safe_dump({"hypotheses": items}), encoding="utf-8")
    assert HypothesisRegister.load(path).problems() == []


# ------------------------------------------------------------------- hypothesis problems
def test_every_problem_names_the_file_the_id_and_the_field(tmp_path):
    found = problems_of(
        tmp_path, hyp(strategy=None, stage="later"), hyp(id="H-002", metric="mood", status="done")
    )
    where = f"{tmp_path / 'register.yml'}: hypothesis"
    assert found == [
        f"{where} H-001, `strategy`: missing; every hypothesis needs id, strategy, "
        "customer_need, solution, outcome, metric, status",
        f"{where} H-001, `stage`: 'later' is not a journey stage; write one of attract, accept, "
        "adopt, amplify, advance",
        f"{where} H-002, `metric`: 'mood' is not known; write one of nps, proportion, "
        "conversion, retention, churn, rate, fcr, csat, mean, ces, handle_time, "
        "resolution_time, first_response_time",
        f"{where} H-002, `status`: 'done' is not known; write one of proposed, designed, "
        "running, validated, invalidated, inconclusive, parked",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": None}, "hypothesis 1 (no id), `id`: missing"),
        ({"design": "rct"}, "`design`: 'rct' is not known; write one of ab, pre_post, "
         "diff_in_diff"),
        ({"hunch": "x"}, "`hunch`: unknown key(s); allowed keys are id, strategy,"),
        ({"started": "soon"}, "`started`: 'soon' is not a date; write it as 2026-01-15"),
        ({"ended": dt.date(2024, 1, 1)},
         "`ended`: 2024-01-01 is before `started` (2024-11-01); correct the dates"),
        ({"outcome": 12}, "`outcome`: must be a text; found 12. Write it in quotes"),
        ({"alpha": 5}, "`alpha`: 5 must be a number between 0 and 1"),
        ({"power": "high"}, "`power`: 'high' must be a number between 0 and 1"),
        ({"sd": -1}, "`sd`: -1 must be a number above 0"),
        ({"minimum_effect": 0}, "`minimum_effect`: 0 must be a non-zero number (the smallest "
         "change worth detecting"),
        ({"baseline": {"promoters": 50, "detractors": 20}},
         "`baseline`: no sample size can be computed from the plan: `baseline` for NPS must be "
         "the mix of answers in percent"),
        ({"metric": "ces", "baseline": 5.2, "minimum_effect": 0.3},
         "`sd`: missing; a test of a mean (ces) needs the standard deviation of one answer"),
        ({"id": ["H-1", "H-2"]}, "`id`: must be a text such as H-001; found ['H-1', 'H-2']"),
        ({"root_causes": {"RC-001": 1}}, "`root_causes`: must be a list of 5-whys ids, such as "
         "[RC-001, RC-004]; found {'RC-001': 1}"),
        ({"groups": {"column": "variant", "treatment": "t"}},
         "`groups`: design ab needs column, control, treatment; missing control"),
        ({"groups": {"column": "variant", "control": "c", "treatment": "t", "arm": 1}},
         "`groups`: unknown key(s) ['arm']; allowed are column, control, treatment, "
         "change_date, filter"),
        ({"design": "pre_post", "groups": {"change_date": "May"}},
         "`groups.change_date`: 'May' is not a date"),
        ({"groups": {"column": "variant", "control": "c", "treatment": "t", "filter": "x"}},
         "`groups.filter`: must be a mapping {column: value}"),
        ({"groups": "variant"}, "`groups`: must be a mapping {column: ..., control: ..."),
        ({"evidence": {"effect": "big"}}, "`evidence`: effect must be numbers"),
        ({"evidence": {"lift": 3}}, "`evidence`: unknown key(s) ['lift']; allowed are effect, "
         "ci_low, ci_high, p_value, n_control, n_treatment, as_of"),
    ],
)  # fmt: skip
def test_each_problem(tmp_path, changes, expected):
    found = problems_of(tmp_path, hyp(**changes))
    assert len(found) == 1, found
    assert expected in found[0]


# ---------------------------------------------------------------------------- lifecycle
PROPOSED = {k: v for k, v in hyp().items() if k in HYPOTHESIS_KEYS[:7]}


@pytest.mark.parametrize(
    ("status", "removed", "expected"),
    [
        ("designed", "minimum_effect", "`minimum_effect`: missing for a designed hypothesis; "
         "write the smallest effect worth detecting"),
        ("designed", "baseline", "`baseline`: missing for a designed hypothesis; write the "
         "control group's expected value (NPS: the answer mix)"),
        ("designed", "design", "`design`: missing for a designed hypothesis; write how the test "
         "compares groups (ab, pre_post, diff_in_diff)"),
        ("running", "groups", "`groups`: a running hypothesis needs its groups, e.g. {column: "
         "variant, control: control, treatment: treatment}, or {change_date: 2026-05-01}"),
        ("running", "started", "`started`: a running hypothesis needs the date its test started"),
        ("validated", "evidence", "`evidence`: a hypothesis cannot be validated without evidence "
         "(missing effect, ci_low, ci_high, p_value); run evaluate() and apply() or write it"),
        ("invalidated", "evidence", "`evidence`: a hypothesis cannot be invalidated without "
         "evidence"),
        ("inconclusive", "started", "`started`: an inconclusive hypothesis needs the date"),
    ],
)  # fmt: skip
def test_a_status_needs_what_its_stage_of_the_lifecycle_needs(tmp_path, status, removed, expected):
    evidence = {"effect": 1.0, "ci_low": -1.0, "ci_high": 3.0, "p_value": 0.4}
    changes = {"evidence": evidence, removed: None}
    found = problems_of(tmp_path, hyp(status=status, **changes))
    assert len(found) == 1, found
    assert expected in found[0]


def test_the_lifecycle_from_proposed_to_validated(tmp_path):
    steps = [
        ("proposed", PROPOSED),
        ("parked", PROPOSED),
        ("designed", hyp(groups=None, started=None)),
        ("running", hyp()),
        ("inconclusive", hyp()),  # an inconclusive test may have no evidence written
        ("validated", hyp(evidence={"effect": 13.5, "ci_low": 7.0, "ci_high": 20.0,
                                    "p_value": 0.00004})),
    ]  # fmt: skip
    for status, record in steps:
        assert problems_of(tmp_path, {**record, "status": status}) == [], status


def test_set_status_follows_the_lifecycle():
    register = HypothesisRegister()
    register.add("H-1", **{k: v for k, v in PROPOSED.items() if k not in ("id", "status")})
    with pytest.raises(CxkitError) as info:
        register.set_status("H-1", "validated")
    assert str(info.value) == (
        "hypothesis H-001 cannot move from 'proposed' to 'validated'; from 'proposed' it may "
        "move to designed, parked."
    ).replace("H-001", "H-1")
    with pytest.raises(CxkitError) as info:
        register.set_status("H-1", "designed")
    assert str(info.value).startswith(
        "hypothesis H-1 cannot be designed yet: `design`: missing for a designed hypothesis"
    )
    assert register["H-1"].status == "proposed"  # left as it was
    register["H-1"].data.update(design="ab", minimum_effect=12, baseline=hyp()["baseline"])
    register.set_status("H-1", "designed")
    with pytest.raises(CxkitError, match=r"cannot be running yet: `groups`: a running"):
        register.set_status("H-1", "running")
    register["H-1"].data.update(groups=hyp()["groups"], started="2024-11-01")
    register.set_status("H-1", "running")
    with pytest.raises(CxkitError, match=r"cannot be validated yet: `evidence`: a hypothesis "
                       r"cannot be validated without evidence"):  # fmt: skip
        register.set_status("H-1", "validated")
    register.set_status("H-1", "inconclusive")  # a stopped test needs no evidence
    register.set_status("H-1", "running")  # and may run again
    register["H-1"].data["evidence"] = {"effect": 13.5, "ci_low": 7.0, "ci_high": 20.0,
                                        "p_value": 0.00004}  # fmt: skip
    assert register.set_status("H-1", "validated").status == "validated"
    with pytest.raises(CxkitError, match=r"from 'validated' it may move to nothing \(it is final"):
        register.set_status("H-1", "parked")


def test_duplicate_ids_and_items_that_are_not_mappings(tmp_path):
    found = problems_of(tmp_path, hyp(), "just a line", hyp())
    assert found[0].endswith(
        "hypothesis 2 must be a mapping (- id: ..., strategy: ...); found str 'just a line'"
    )
    assert found[1].endswith(
        "hypothesis H-001, `id`: 2 hypotheses use this id; ids must be unique, renumber them"
    )
    assert len(found) == 2
    register = HypothesisRegister.load(tmp_path / "register.yml")
    register.save(tmp_path / "saved.yml")  # kept, in its place, for the author to correct
    saved = yaml.safe_load((tmp_path / "saved.yml").read_text("utf-8"))
    assert saved["hypotheses"][1] == "just a line"


def test_root_causes_are_checked_against_the_log_when_given(tmp_path, samples):
    log = RootCauseLog.load(samples / "five_whys.yml")
    assert problems_of(tmp_path, hyp(), rootcause_log=log) == []
    found = problems_of(tmp_path, hyp(root_causes=["RC-001", "RC-404"]), rootcause_log=log)
    assert [p.split(", ", 1)[1] for p in found] == [
        "`root_causes`: RC-404 not in the 5-whys log; write ids the log has (RC-001, ...)"
    ]
    assert problems_of(tmp_path, hyp(root_causes=["RC-404"])) == []  # without the log


# ------------------------------------------------------------------ problems with data
@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"column": "arm", "control": "control", "treatment": "treatment"},
         "`groups.column`: the data has no column 'arm'"),
        ({"column": "variant", "control": "control", "treatment": "new"},
         "`groups.treatment`: 'new' is not a value of column 'variant' in the rows the filter "
         "keeps"),
        ({"column": "variant", "control": "control", "treatment": "treatment",
          "filter": {"experiment": "nothing"}},
         "`groups.filter`: no rows of the data match {'experiment': 'nothing'}"),
        ({"column": "variant", "control": "control", "treatment": "treatment",
          "filter": {"test": "x"}}, "`groups.filter`: the data has no column 'test'"),
    ],
)  # fmt: skip
def test_groups_are_checked_against_the_data(tmp_path, responses, groups, expected):
    found = problems_of(tmp_path, hyp(groups=groups, status="designed"), data=responses)
    assert [p.split(", ", 1)[1] for p in found] == [expected]


def test_a_pre_post_design_needs_the_date_column(tmp_path, responses):
    pre = hyp(design="pre_post", groups={"change_date": dt.date(2026, 3, 1)})
    assert problems_of(tmp_path, pre, data=responses) == []
    (found,) = problems_of(tmp_path, pre, data=responses.drop(columns="responded_at"))
    assert found.endswith("`groups.change_date`: the data has no column 'responded_at'")


def test_a_running_test_below_its_sample_size_is_a_problem_with_data(tmp_path, responses):
    early = responses[responses["responded_at"] < "2025-03-01"]
    found = problems_of(tmp_path, hyp(), data=early)
    n = sample_size(metric="nps", baseline=hyp()["baseline"], minimum_effect=12).n_required
    rows = early[(early["experiment"] == "onboarding_email") & early["nps"].notna()]
    counts = rows["variant"].value_counts()
    assert [p.split(", ", 1)[1] for p in found] == [
        f"`status`: running, and the planned sample size is not reached yet "
        f"({counts['control']} control and {counts['treatment']} treatment answers of {n} per "
        "group); reading the result now is peeking"
    ]
    assert problems_of(tmp_path, hyp(), data=responses) == []  # reached on the whole file
    register = HypothesisRegister.load(tmp_path / "register.yml")
    assert register.problems(early, peeking=False) == []  # left to evaluate(): the report's way
    no_ces = responses.drop(columns="ces")
    (found,) = problems_of(tmp_path, hyp(metric="ces", sd=1.5, minimum_effect=0.3), data=no_ces)
    assert found.endswith("`metric`: the data has no 'ces' column to measure it with")


# ------------------------------------------------------------------------- sample sizes
def test_sample_size_is_cxkit_power_sample_size_of_the_record(register_file):
    register = HypothesisRegister.load(register_file(GOOD))
    expected = sample_size(
        metric="nps", baseline={"promoters": 39, "passives": 35, "detractors": 26},
        minimum_effect=12,
    )  # fmt: skip
    assert register.sample_size("H-001") == expected
    assert register.sample_size("H-001").n_required == 691  # the same, as a number to read
    assert register.sample_size("H-001", power=0.9) == sample_size(
        **{**register["H-001"].plan(), "power": 0.9}
    )
    register.add("H-2", strategy="s", customer_need="n", solution="x", outcome="o",
                 metric="handle_time", baseline=8, minimum_effect=-1, sd=4, alpha=0.1)  # fmt: skip
    assert register.sample_size("H-2") == sample_size(
        metric="handle_time", baseline=8, minimum_effect=-1, sd=4, alpha=0.1
    )


# --------------------------------------------------------------------------- evaluation
def test_the_sample_register_is_clean(samples, responses):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    log = RootCauseLog.load(samples / "five_whys.yml")
    assert register.problems(responses, rootcause_log=log) == []
    assert [h.status for h in register.hypotheses] == ["running", "running", "proposed", "parked"]


def test_evaluate_finds_the_planted_effect_and_not_the_null(samples, responses):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    before = copy.deepcopy([h.data for h in register.hypotheses])
    table = register.evaluate(responses)
    assert [h.data for h in register.hypotheses] == before  # records untouched
    assert list(table.columns) == EVALUATION_COLUMNS
    assert table["id"].tolist() == ["H-001", "H-002"]  # running ones only
    experiments = ("onboarding_email", "invoice_redesign")
    for row, experiment in zip(table.itertuples(), experiments, strict=True):
        rows = responses[responses["experiment"] == experiment]
        direct = ab_test(rows.loc[rows["variant"] == "control", "nps"],
                         rows.loc[rows["variant"] == "treatment", "nps"], metric="nps")  # fmt: skip
        assert (row.n_control, row.n_treatment) == (direct.n_control, direct.n_treatment)
        for key in ("effect", "ci_low", "ci_high", "p_value"):
            assert getattr(row, key) == pytest.approx(getattr(direct, key), rel=1e-12)
        assert row.n_required == register.sample_size(row.id).n_required
        assert not row.peeking
    first, second = table.to_dict("records")
    assert first["suggested_status"] == "validated"  # planted +12: measured +13.5 (+7.0, +20.0)
    assert first["reason"] == (  # the effect and interval above, rounded as printed
        "effect +13.5\u00a0points (+7.0 to +20.0): the 95% interval excludes 0 on the expected side"
    )
    assert second["suggested_status"] == "inconclusive"  # planted null: -10.7 (-22.2, +0.8)
    assert second["reason"] == (
        "effect \u221210.7\u00a0points (\u221222.2 to +0.8): the 95% interval covers 0"
    )
    spanish = register.evaluate(responses, lang="es")
    assert spanish["reason"].tolist() == [  # the same numbers, in Spanish words and decimals
        "efecto +13,5\u00a0puntos (+7,0 a +20,0): el intervalo del 95\u00a0% excluye el 0 del "
        "lado esperado",
        "efecto \u221210,7\u00a0puntos (\u221222,2 a +0,8): el intervalo del 95\u00a0% incluye "
        "el 0",
    ]
    assert first["as_of"] == dt.date(2026, 10, 31)


def test_reading_before_the_planned_size_is_peeking(samples, responses):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    table = register.evaluate(responses, as_of="2025-03")
    first = table.iloc[0]
    rows = responses[(responses["experiment"] == "onboarding_email")
                     & (responses["responded_at"] < "2025-04-01")]  # fmt: skip
    direct = ab_test(rows.loc[rows["variant"] == "control", "nps"],
                     rows.loc[rows["variant"] == "treatment", "nps"], metric="nps")  # fmt: skip
    assert first["effect"] == pytest.approx(direct.effect)
    assert first["as_of"] == dt.date(2025, 3, 31)
    assert bool(first["peeking"]) and first["suggested_status"] == "running"
    assert first["reason"] == (
        f"read before the planned 691 answers per group ({direct.n_control} control, "
        f"{direct.n_treatment} treatment): keep collecting; deciding now would be peeking"
    )
    second = table.iloc[1]  # the invoice test had not started: no answers to read
    assert second["suggested_status"] == "running" and bool(second["peeking"])
    assert second["reason"] == (
        "cannot be read from the data: the control group has 0 nps answer(s); at least 2 needed"
    )


def test_weights_go_to_the_ab_test(samples, responses):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    row = register.evaluate(responses, weight="weight").iloc[0]
    rows = responses[responses["experiment"] == "onboarding_email"]
    c, t = rows[rows["variant"] == "control"], rows[rows["variant"] == "treatment"]
    direct = ab_test(c["nps"], t["nps"], metric="nps", weight_control=c["weight"],
                     weight_treatment=t["weight"])  # fmt: skip
    assert row["effect"] == pytest.approx(direct.effect, rel=1e-12)


def test_pre_post_and_diff_in_diff_designs(responses):
    register = HypothesisRegister()
    common = dict(strategy="s", customer_need="n", solution="x", outcome="o", metric="nps",
                  status="running", started="2026-03-01", minimum_effect=20,
                  baseline={"promoters": 45, "passives": 35, "detractors": 20})  # fmt: skip
    register.add("PP", design="pre_post", groups={"change_date": "2026-03-01",
                 "filter": {"touchpoint": "Support"}}, **common)  # fmt: skip
    register.add("DD", design="diff_in_diff", groups={"column": "segment",
                 "treatment": "Consumer", "change_date": "2026-03-01"}, **common)  # fmt: skip
    assert register.problems(responses) == []
    table = register.evaluate(responses).set_index("id")
    support = responses[responses["touchpoint"] == "Support"]
    direct = pre_post(support, outcome="nps", change_date="2026-03-01")
    assert table.loc["PP", "effect"] == pytest.approx(direct.effect, rel=1e-12)
    assert table.loc["PP", "n_control"] == direct.n_control
    direct = diff_in_diff(responses, outcome="nps", group="segment", treated="Consumer",
                          change_date="2026-03-01")  # fmt: skip
    assert table.loc["DD", "effect"] == pytest.approx(direct.effect, rel=1e-12)
    assert table.loc["DD", "p_value"] == pytest.approx(direct.p_value, rel=1e-12)
    with_weight = register.evaluate(responses, weight="weight").set_index("id")
    assert with_weight.loc["PP", "reason"] == (
        "cannot be read from the data: weights are used for A/B tests only, not for design "
        "'pre_post'"
    )


def test_apply_writes_the_evidence_and_the_suggested_status(samples, responses, tmp_path):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    table = register.evaluate(responses)
    assert register.apply(table) == ["H-001", "H-002"]
    first = register["H-001"]
    assert first.status == "validated"
    assert first.evidence == {
        "effect": round(table.loc[0, "effect"], 3),
        "ci_low": round(table.loc[0, "ci_low"], 3),
        "ci_high": round(table.loc[0, "ci_high"], 3),
        "p_value": float(f"{table.loc[0, 'p_value']:.4g}"),
        "n_control": 1176,
        "n_treatment": 1130,
        "as_of": dt.date(2026, 10, 31),
    }
    assert register["H-002"].status == "inconclusive"
    assert register.problems(responses) == []  # validated with its evidence: legal
    register.save(tmp_path / "after.yml")
    assert HypothesisRegister.load(tmp_path / "after.yml").hypotheses == register.hypotheses
    decided = copy.deepcopy(register["H-001"].data)
    assert register.apply(register.evaluate(responses, as_of="2025-06")) == []
    assert register["H-001"].data == decided  # a decided hypothesis keeps its evidence


def test_a_decision_read_before_the_planned_size_is_flagged(samples, responses):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    register["H-001"].data.update(status="inconclusive")
    row = register.evaluate(responses, as_of="2025-03").iloc[0]
    assert bool(row["peeking"]) and row["suggested_status"] == "inconclusive"
    assert row["reason"].startswith("decided before the planned 691 answers per group (")
    assert row["reason"].endswith("treatment): the decision rests on a peek")


# ------------------------------------------------------------------------ tables, export
def test_to_frame_and_export(samples, tmp_path):
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    frame = register.to_frame()
    assert frame["id"].tolist() == ["H-001", "H-002", "H-003", "H-004"]
    assert frame.loc[0, "statement"] == register["H-001"].statement()
    assert frame.loc[0, "baseline"] == "P 39 / N 35 / D 26"
    assert frame["n_required"].tolist()[:2] == [691, 229]
    assert pd.isna(frame.loc[2, "n_required"])  # proposed: no plan yet
    assert frame.loc[2, "root_causes"] == "RC-001"
    assert register.to_frame("es").loc[0, "statement"].startswith("Creemos que ")
    register.to_csv(tmp_path / "h.csv")
    assert pd.read_csv(tmp_path / "h.csv")["id"].tolist() == frame["id"].tolist()
    register.to_excel(tmp_path / "h.xlsx")
    sheet = pd.read_excel(tmp_path / "h.xlsx", sheet_name="hypotheses")
    assert sheet["statement"].tolist() == frame["statement"].tolist()
    assert "<table" in register._repr_html_()


def test_evaluate_reads_what_the_reading_layer_returns(samples, responses):
    """cx.read_responses keeps the experiment and variant columns, so a notebook that reads the
    export the usual way gets the same evidence as the raw CSV gives."""
    import cxkit as cx

    read = cx.read_responses(samples / "responses.csv").data
    register = HypothesisRegister.load(samples / "hypotheses.yml")
    via_reader = register.evaluate(read).set_index("id")
    raw = register.evaluate(responses).set_index("id")
    for column in ("effect", "ci_low", "ci_high", "p_value", "n_control", "n_treatment"):
        pd.testing.assert_series_equal(via_reader[column], raw[column], check_dtype=False)
    assert via_reader.loc["H-001", "suggested_status"] == "validated"
