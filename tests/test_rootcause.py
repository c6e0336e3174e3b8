"""The 5-whys log: loading, saving (round trip), adding, tables, export and every check."""

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import cxkit as cx
from cxkit.cli import main
from cxkit.rootcause import RootCauseError, RootCauseLog, check_log

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TODAY = dt.date(2026, 11, 1)

GOOD = """\
  - id: RC-001
    opened: 2025-12-03
    problem: "NPS fell from 19.8 to 10.5 in 2025-11"
    touchpoint: Support
    stage: advance
    metric: nps
    evidence: {period: 2025-11, segment: null, value: 10.5}
    whys:
      - "First replies to e-mail took three times longer"
      - answer: "Half the e-mail team was moved to the holiday campaign"
        evidence: "staff roster, November"
      - "Nobody plans support staffing for seasonal peaks"
    root_cause: "No seasonal staffing plan for support"
    category: process
    countermeasures:
      - {action: "Seasonal staffing plan", owner: "Head of support", due: 2026-01-15, status: done}
    status: verifying
    verification: {metric: nps, baseline_period: 2025-12, target: 18, by: 2026-03}
"""


@pytest.fixture
def log_file(write):
    """Write a log whose entries are the given YAML text (indented under `entries:`)."""

    def _log(entries: str, header: str = "") -> Path:
        return write("five_whys.yml", f"{header}entries:\n{entries}")

    return _log


def entry(**changes) -> dict:
    """The issue's example entry as a mapping, with ``changes`` (None removes a key)."""
    data = yaml.safe_load("entries:\n" + GOOD)["entries"][0]
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def problems_of(tmp_path, *entries, data=None, **options) -> list[str]:
    path = tmp_path / "log.yml"
    path.write_text(yaml.safe_dump({"entries": list(entries)}, allow_unicode=True), "utf-8")
    return RootCauseLog.load(path).problems(data, today=options.pop("today", TODAY), **options)


# ----------------------------------------------------------------------------- the model
def test_the_issues_example_loads_as_written(log_file):
    log = RootCauseLog.load(log_file(GOOD))
    (e,) = log.entries
    assert (e.id, e.status, e.stage, e.metric, e.category) == (
        "RC-001",
        "verifying",
        "advance",
        "nps",
        "process",
    )
    assert e.opened == dt.date(2025, 12, 3)
    assert [w.answer for w in e.whys][1] == "Half the e-mail team was moved to the holiday campaign"
    assert e.whys[1].evidence == "staff roster, November" and e.whys[0].evidence is None
    (c,) = e.countermeasures
    assert (c.action, c.owner, c.due, c.status, c.pending) == (
        "Seasonal staffing plan",
        "Head of support",
        dt.date(2026, 1, 15),
        "done",
        False,
    )
    assert e.period("baseline_period") == pd.Period("2025-12", "M")
    assert log.problems(today=TODAY) == []


def test_the_template_and_the_sample_log_are_clean(samples):
    assert RootCauseLog.load(TEMPLATES / "five_whys.yml").entries == []
    log = RootCauseLog.load(samples / "five_whys.yml")
    responses = cx.read_responses(samples / "responses.csv").data
    assert log.problems(responses) == []
    assert [e.id for e in log.entries][:1] == ["RC-001"]


def test_add_then_save_then_load(tmp_path):
    log = RootCauseLog()
    log.add(
        "RC-9",
        opened="2026-01-02",
        problem="CSAT fell",
        touchpoint="Billing",
        stage="advance",
        metric="csat",
        whys=["a", {"answer": "b", "evidence": "c"}, "d"],
        root_cause="e",
        category="policy",
        countermeasures=[
            {"action": "f", "owner": "g", "due": dt.date(2026, 2, 1), "status": "open"}
        ],
    )
    assert list(log.entries[0].data) == [  # the contract's order; keys left as None not written
        "id", "opened", "problem", "touchpoint", "stage", "metric", "status", "whys",
        "root_cause", "category", "countermeasures",
    ]  # fmt: skip
    assert log.problems(today=TODAY) == []
    log.save(tmp_path / "new.yml")
    again = RootCauseLog.load(tmp_path / "new.yml")
    assert again.entries == log.entries
    assert again.header.startswith("# 5-whys root-cause log")


def test_to_frame_has_one_row_per_entry(samples):
    frame = RootCauseLog.load(samples / "five_whys.yml").to_frame()
    assert list(frame.columns)[:7] == [
        "id", "opened", "problem", "touchpoint", "stage", "metric", "status",
    ]  # fmt: skip
    first = frame.iloc[0]
    assert first["whys"].splitlines()[0] == (
        "1. First replies to e-mail took three times longer (12.2 h against 4.0 h)"
    )
    assert (first["countermeasures"], first["open_actions"], first["target"]) == (2, 0, 18)


def test_csv_and_excel_export(tmp_path, samples):
    log = RootCauseLog.load(samples / "five_whys.yml")
    log.to_csv(tmp_path / "entries.csv")
    log.to_csv(tmp_path / "actions.csv", table="actions")
    assert (tmp_path / "entries.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's UTF-8
    back = pd.read_csv(tmp_path / "entries.csv", encoding="utf-8-sig")
    assert back["id"].tolist() == [e.id for e in log.entries]
    assert len(pd.read_csv(tmp_path / "actions.csv")) == sum(
        len(e.countermeasures) for e in log.entries
    )
    log.to_excel(tmp_path / "log.xlsx")
    sheets = pd.read_excel(tmp_path / "log.xlsx", sheet_name=None)
    assert list(sheets) == ["entries", "actions"]
    assert sheets["entries"]["problem"].tolist() == log.to_frame()["problem"].tolist()
    with pytest.raises(cx.CxkitError, match=r"`table` must be one of 'entries', 'actions'"):
        log.to_csv(tmp_path / "x.csv", table="whys")


# ---------------------------------------------------------------------------- round trip
def test_comments_at_the_top_survive_a_save(log_file, tmp_path):
    header = "# Acme's investigations\n#   kept by Ana Pérez\n\n"
    path = log_file(GOOD, header=header)
    RootCauseLog.load(path).save(tmp_path / "saved.yml")
    text = (tmp_path / "saved.yml").read_text(encoding="utf-8")
    assert text.startswith("# Acme's investigations\n#   kept by Ana Pérez\n\nentries:\n")
    RootCauseLog.load(tmp_path / "saved.yml").save(tmp_path / "again.yml")
    assert (tmp_path / "again.yml").read_text(encoding="utf-8") == text  # stable


def test_unicode_and_quotes_survive(tmp_path):
    tricky = 'Él dijo: "no" — it\'s #1: 50% «sí»\n  y ñandú 🙂'
    log = RootCauseLog()
    log.add("RC-ñ", opened="2026-01-02", problem=tricky, touchpoint="yes", stage="adopt",
            metric="nps", whys=["null", "2025-01-01", "- a", "'quoted'"])  # fmt: skip
    log.save(tmp_path / "log.yml")
    assert "Él dijo" in (tmp_path / "log.yml").read_text(encoding="utf-8")  # not \xc9 escapes
    again = RootCauseLog.load(tmp_path / "log.yml").entries[0]
    assert again.get("problem") == tricky
    assert again.get("touchpoint") == "yes"  # a text, not YAML's boolean
    assert [w.answer for w in again.whys] == ["null", "2025-01-01", "- a", "'quoted'"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(), min_size=1, max_size=6), key=st.text(min_size=1))
@example(texts=["\x85", "a\u2028b", "\r\n", " lead", "#x", "yes"], key="0")  # NEL etc. found
def test_save_then_load_loses_nothing_for_any_text(tmp_path, texts, key):
    log = RootCauseLog(header="# header\n")
    log.add(key, opened=texts[0], problem=texts[-1], touchpoint=texts[0], stage=texts[-1],
            metric="nps", whys=[*texts, {"answer": texts[0], "evidence": texts[-1]}],
            root_cause=texts[-1],
            countermeasures=[{"action": t, "owner": t} for t in texts])  # fmt: skip
    path = tmp_path / "log.yml"
    log.save(path)
    again = RootCauseLog.load(path)
    assert again.entries == log.entries
    assert again.header == "# header\n"


# ------------------------------------------------------------------------- file problems
def test_a_missing_file(tmp_path):
    with pytest.raises(RootCauseError, match=r"'.*nowhere.yml' does not exist.*templates/five"):
        RootCauseLog.load(tmp_path / "nowhere.yml")


def test_a_yaml_syntax_error_gives_line_and_column(log_file):
    path = log_file("  - id: RC-1\n     problem: NPS fell\n")
    with pytest.raises(RootCauseError) as info:
        RootCauseLog.load(path)
    message = str(info.value)
    # line 3 of the file (after `entries:`), where the over-indented key's colon stands
    assert message.startswith(f"{path}: not valid YAML at line 3, column 13: ")
    assert "Traceback" not in message
    assert check_log(path) == [message]


def test_an_unclosed_quote_says_where_it_started(log_file):
    path = log_file('  - id: RC-1\n    problem: "NPS fell\n    metric: nps\n')
    (message,) = check_log(path)
    assert "(what is unfinished starts at line 3, column 14)" in message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- id: RC-1\n", "found a list at the top of the file"),
        ("entry:\n  - id: RC-1\n", r"found the key\(s\) \['entry'\] but no `entries`"),
        ("entries: RC-1\n", "found `entries:` holding the str 'RC-1'"),
        ("entries: []\nclient: x\n", r"found unknown top-level key\(s\) \['client'\]"),
    ],
)
def test_the_top_level_must_be_an_entries_list(write, text, found):
    path = write("five_whys.yml", text)
    with pytest.raises(RootCauseError, match=r"expected one top-level key, `entries:`") as info:
        RootCauseLog.load(path)
    assert re.search(found, str(info.value))


def test_an_empty_file_is_an_empty_log(write):
    assert RootCauseLog.load(write("five_whys.yml", "# nothing yet\n")).entries == []
    assert RootCauseLog.load(write("five_whys.yml", "entries:\n")).entries == []


# ------------------------------------------------------------------------ entry problems
def test_every_problem_names_the_file_the_entry_and_the_field(tmp_path):
    found = problems_of(
        tmp_path,
        entry(problem=None, stage="later", whys=["a", "  ", "c"]),
        entry(id="RC-002", category="luck", status="done"),
    )
    where = f"{tmp_path / 'log.yml'}: entry"
    assert found == [
        f"{where} RC-001, `problem`: missing; every entry needs id, opened, problem, touchpoint, "
        "stage, metric, status",
        f"{where} RC-001, `stage`: 'later' is not a journey stage; write one of attract, accept, "
        "adopt, amplify, advance",
        f"{where} RC-001, `whys` item 2: the why is empty; write the answer or remove the line",
        f"{where} RC-002, `status`: 'done' is not known; write one of open, investigating, "
        "acting, verifying, closed",
        f"{where} RC-002, `category`: 'luck' is not known; write one of people, process, "
        "product, policy, technology, partner",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": None}, "entry 1 (no id), `id`: missing"),
        ({"whys": ["a", "b"]}, "`whys`: 2 why(s) before the root cause, fewer than the "
         "minimum of 3; keep asking why"),
        ({"whys": [{"answer": ""}, "b", "c"]}, "`whys` item 1: the why is empty"),
        ({"whys": [["a"], "b", "c"]}, "`whys` item 1: must be a text or {answer: ..., evidence"),
        ({"whys": "because"}, "`whys`: must be a list of answers (- ...); found 'because'"),
        ({"category": None}, "`category`: missing for a root cause; write one of people"),
        ({"metric": "revenue"}, "`metric`: 'revenue' is not known; write one of nps, csat, ces,"),
        ({"opened": "yesterday"}, "`opened`: 'yesterday' is not a date; write it as 2026-01-15"),
        ({"opened": dt.date(2026, 11, 2)}, "`opened`: 2026-11-02 is in the future (today is "
         "2026-11-01); correct the date"),
        ({"rootcause": "x"}, "`rootcause`: unknown key(s); allowed keys are id, opened,"),
        ({"problem": 42}, "`problem`: must be a text; found 42. Write it in quotes"),
        ({"countermeasures": [{"action": "a", "due": dt.date(2026, 1, 1), "status": "open"}]},
         "`countermeasures` item 1 (`owner`): missing; name who is responsible"),
        ({"countermeasures": [{"action": "a", "owner": "b", "status": "open"}]},
         "`countermeasures` item 1 (`due`): missing; give a due date such as 2026-01-15"),
        ({"countermeasures": [{"action": "a", "owner": "b", "due": "soon", "status": "open"}]},
         "`countermeasures` item 1 (`due`): 'soon' is not a date"),
        ({"countermeasures": [{"action": "a", "owner": "b", "due": dt.date(2026, 1, 1),
                               "status": "started"}]},
         "`countermeasures` item 1 (`status`): 'started' is not known; write one of open, in "
         "progress, done, dropped"),
        ({"countermeasures": ["call them"]}, "`countermeasures` item 1: must be a mapping"),
        ({"status": "closed", "root_cause": None, "category": None},
         "`root_cause`: a closed entry needs its root cause; write it, or reopen the entry"),
        ({"status": "closed", "countermeasures": [
            {"action": "Plan", "owner": "b", "due": dt.date(2026, 1, 1), "status": "in progress"}]},
         "`countermeasures`: a closed entry has actions still open (Plan); mark them done or "
         "dropped, or reopen the entry"),
        ({"evidence": {"period": "November"}}, "`evidence.period`: 'November' is not a period"),
        ({"evidence": {"period": "2026-12"}}, "`evidence.period`: 2026-12 is in the future"),
        ({"evidence": {"month": "2025-11"}}, "`evidence`: unknown key(s) ['month']; allowed are "
         "period, segment, value"),
        ({"verification": {"metric": "nps", "target": 18}},
         "`verification.baseline_period`: missing; give the period to compare with"),
        ({"verification": {"baseline_period": "2027-01"}},
         "`verification.baseline_period`: 2027-01 is in the future"),
        ({"verification": {"baseline_period": "2025-12", "target": "high"}},
         "`verification.target`: 'high' is not a number"),
        ({"verification": {"baseline_period": "2025-12", "by": "spring"}},
         "`verification.by`: 'spring' is not a date or period"),
        ({"verification": {"baseline_period": "2025-12", "metric": "mood"}},
         "`verification.metric`: 'mood' is not known"),
        ({"verification": "nps"}, "`verification`: must be a mapping {metric: ..., "),
    ],
)  # fmt: skip
def test_each_problem(tmp_path, changes, expected):
    found = problems_of(tmp_path, entry(**changes))
    assert len(found) == 1, found
    assert expected in found[0]


def test_the_minimum_of_whys_is_configurable_and_applies_only_with_a_root_cause(tmp_path):
    two = entry(whys=["a", "b"])
    assert problems_of(tmp_path, two, min_whys=2) == []
    assert problems_of(tmp_path, entry(whys=["a"], root_cause=None, category=None)) == []


def test_duplicate_ids_and_entries_that_are_not_mappings(tmp_path):
    found = problems_of(tmp_path, entry(), "just a line", entry())
    assert found[0].endswith("entry 2 must be a mapping (- id: ..., problem: ...); found str "
                             "'just a line'")  # fmt: skip
    assert found[1].endswith(
        "entry RC-001, `id`: 2 entries use this id; ids must be unique, renumber them"
    )
    assert len(found) == 2
    log = RootCauseLog.load(tmp_path / "log.yml")
    log.save(tmp_path / "saved.yml")  # kept, in its place, for the author to correct
    assert (
        yaml.safe_load((tmp_path / "saved.yml").read_text("utf-8"))["entries"][1] == "just a line"
    )
    log.entries.append(log.entries[0])  # entries changed by hand are checked too
    assert "3 entries use this id" in log.problems(today=TODAY)[-1]


def test_a_done_or_dropped_action_may_be_overdue_without_a_problem(tmp_path):
    dropped = {"action": "a", "owner": "b", "due": dt.date(2020, 1, 1), "status": "dropped"}
    assert problems_of(tmp_path, entry(status="closed", countermeasures=[dropped])) == []
    late = {**dropped, "status": "open"}
    assert problems_of(tmp_path, entry(countermeasures=[late])) == []  # overdue: analysis


def test_touchpoints_and_metrics_are_checked_against_the_data(tmp_path):
    data = pd.DataFrame(
        {"nps": [9], "touchpoint": ["Mobile app"], "rating_home_visit": [4], "weight": [1.0]}
    )
    for name in ("Mobile app", "mobile APP", "rating_home_visit", "Home visit"):
        assert problems_of(tmp_path, entry(touchpoint=name), data=data) == [], name
    found = problems_of(tmp_path, entry(touchpoint="Shop", metric="csat"), data=data)
    assert [p.split(", ", 1)[1] for p in found] == [
        "`touchpoint`: 'Shop' is not a touchpoint of the data (its `touchpoint` values or "
        "rating_* columns); write it as the data names it",
        "`metric`: the data has no 'csat' column to measure it with",
    ]
    assert problems_of(tmp_path, entry(touchpoint="Shop")) == []  # without data: not checked


# ---------------------------------------------------------------------------------- CLI
def test_cli_check_on_the_sample_log_exits_0(samples, capsys):
    args = ["rootcause", "check", str(samples / "five_whys.yml")]
    assert main(args) == 0
    assert main([*args, "--data", str(samples / "responses.csv")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_cli_check_lists_every_problem_and_exits_1(tmp_path, capsys):
    path = tmp_path / "log.yml"
    path.write_text(
        yaml.safe_dump({"entries": [entry(stage="later"), entry(status="x")]}), encoding="utf-8"
    )
    assert main(["rootcause", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.count(str(path)) == 3  # two stage/status problems and the duplicate id
    assert "Traceback" not in out + err and "3 problem(s)" in err


def test_cli_check_a_syntax_error_exits_1_and_a_missing_file_2(tmp_path, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text("entries:\n  - id: [\n", encoding="utf-8")
    assert main(["rootcause", "check", str(bad)]) == 1
    assert "not valid YAML at line 3, column 1" in capsys.readouterr().out
    assert main(["rootcause", "check", str(tmp_path / "none.yml")]) == 2
    assert "does not exist" in capsys.readouterr().err
