"""`cxkit hypotheses check` and `cxkit hypotheses size`: output, JSON, exit codes, messages."""

import json
import math
import subprocess
import sys

import pytest
import yaml
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from cxkit.cli import main
from cxkit.power import sample_size


# ------------------------------------------------------------------------------------- size
def size(*args: str) -> list[str]:
    return ["hypotheses", "size", *args]


def test_size_conversion_matches_the_pwr_vignette(capsys):
    """R: pwr.2p.test(h = ES.h(0.55, 0.50), sig.level = 0.05, power = 0.8) -> n = 1564.7.

    The pwr vignette's example, cited in cxkit/power.py: 1,565 per group once rounded up.
    """
    assert main(size("--metric", "conversion", "--baseline", "50", "--effect", "5")) == 0
    out = capsys.readouterr().out
    assert "n per group: control 1,565, treatment 1,565 (total 3,130)" in out
    assert "baseline:        50 %" in out and "alternative:     two-sided" in out


def test_size_of_a_mean_matches_statsmodels_t_test(capsys):
    """CES, effect 0.3 on an SD of 1.2: Cohen's d = 0.3 / 1.2 = 0.25, two-sample t-test."""
    expected = math.ceil(
        TTestIndPower().solve_power(effect_size=0.3 / 1.2, alpha=0.05, power=0.8)
    )  # 252.1 -> 253 (R: pwr.t.test(d = 0.25, power = 0.8) gives n = 252.1 as well)
    args = size("--metric", "ces", "--baseline", "4.1", "--effect", "0.3", "--sd", "1.2")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"control {expected:,}, treatment {expected:,} (total {2 * expected:,})" in out
    assert "(Cohen's d = effect / sd)" in out


def test_size_of_nps_both_baseline_spellings_match_sample_size_and_a_hand_calculation(capsys):
    mix = {"promoters": 45, "passives": 35, "detractors": 20}
    ns = []
    for baseline in ("45/35/20", "promoters=45, passives=35, detractors=20"):
        assert (
            main([*size("--metric", "nps", "--baseline", baseline, "--effect", "5"), "--json"]) == 0
        )
        ns.append(json.loads(capsys.readouterr().out)["n_required"])
    assert ns[0] == ns[1] == sample_size(metric="nps", baseline=mix, minimum_effect=5).n_required
    # By hand: the codes are +1 (promoters), 0, -1 (detractors); with p = 0.45 and d = 0.20,
    # var = E[x²] - E[x]² = (p + d) - (p - d)² = 0.65 - 0.0625 = 0.5875. cxkit/power.py's NPS
    # effect size is (effect / 100) / sd, tested with the normal (z) test.
    p, d = 0.45, 0.20
    sd = math.sqrt((p + d) - (p - d) ** 2)
    n = NormalIndPower().solve_power(effect_size=5 / 100 / sd, alpha=0.05, power=0.8)
    assert ns[0] == math.ceil(n) == 3689  # n = 3688.96


def test_size_json_holds_the_sample_size_fields(capsys):
    args = size("--metric", "conversion", "--baseline", "50", "--effect", "5", "--ratio", "2")
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    expected = sample_size(metric="conversion", baseline=50, minimum_effect=5, ratio=2)
    for field in ("n", "n_required", "n_treatment", "n_treatment_required", "effect_size"):
        assert payload[field] == pytest.approx(getattr(expected, field))
    assert payload["n_treatment_required"] == math.ceil(2 * payload["n"] - 1e-6)
    assert payload["n_total"] == payload["n_required"] + payload["n_treatment_required"]
    assert payload["baseline"] == 50 and payload["ratio"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--metric", "nps", "--baseline", "45/35", "--effect", "5"],
            "--baseline for NPS must be the answer mix in percent, promoters/passives/"
            "detractors, e.g. --baseline 45/35/20 or --baseline promoters=45,passives=35,"
            "detractors=20; got '45/35'.",
        ),
        (
            [
                "--metric",
                "nps",
                "--baseline",
                "promoters=45,passive=35,detractors=20",
                "--effect",
                "5",
            ],
            "got 'promoters=45,passive=35,detractors=20'",
        ),
        (
            ["--metric", "nps", "--baseline", "45/35/30", "--effect", "5"],
            "--baseline shares must be percentages between 0 and 100 that sum to 100",
        ),
        (
            ["--metric", "conversion", "--baseline", "45/35/20", "--effect", "5"],
            "--baseline for conversion must be a number (a rate in percent, e.g. --baseline 62); "
            "got '45/35/20'.",
        ),
        (
            ["--metric", "satisfaction", "--baseline", "50", "--effect", "5"],
            "--metric must be one of 'nps', 'proportion', 'conversion'",
        ),
        (
            ["--metric", "ces", "--baseline", "4", "--effect", "0.3"],
            "--sd is needed for a mean such as 'ces': the standard deviation of one response, "
            "from past data (e.g. --sd 1.5).",
        ),
        (
            ["--metric", "conversion", "--baseline", "98", "--effect", "5"],
            "--baseline + --effect must be a percentage between 0 and 100",
        ),
        (
            [
                "--metric",
                "conversion",
                "--baseline",
                "50",
                "--effect",
                "-5",
                "--alternative",
                "larger",
            ],
            "use a positive effect or --alternative two-sided",
        ),
    ],
)
def test_size_bad_input_names_the_option_and_the_fix(args, message, capsys):
    assert main(size(*args)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cxkit: error: ") and message in err
    assert "Traceback" not in err and "`" not in err  # options, not Python parameter names


# ------------------------------------------------------------------------------------ check
def hypothesis(**changes):
    """A running A/B test of NPS on the sample data's onboarding e-mail (clean as it is)."""
    record = {
        "id": "H-010",
        "strategy": "a warmer welcome",
        "customer_need": "new customers not knowing how to start",
        "solution": "an onboarding e-mail",
        "outcome": "NPS up 12 points",
        "metric": "nps",
        "status": "running",
        "started": "2024-11-01",
        "baseline": {"promoters": 39, "passives": 35, "detractors": 26},
        "minimum_effect": 12,
        "design": "ab",
        "groups": {
            "column": "variant",
            "control": "control",
            "treatment": "treatment",
            "filter": {"experiment": "onboarding_email"},
        },
    }
    record.update(changes)
    return record


def register(tmp_path, *records):
    path = tmp_path / "hypotheses.yml"
    path.write_text(yaml.safe_dump({"hypotheses": list(records)}), encoding="utf-8")
    return path


def test_check_the_sample_register_with_its_data_and_log_exits_0(samples, capsys):
    args = [
        "hypotheses", "check", str(samples / "hypotheses.yml"),
        "--data", str(samples / "responses.csv"),
        "--five-whys", str(samples / "five_whys.yml"),
    ]  # fmt: skip
    assert main(args) == 0
    assert capsys.readouterr().out == f"{samples / 'hypotheses.yml'}: no problems\n"


def test_check_a_hand_made_clean_register_with_the_sample_data(tmp_path, samples, capsys):
    path = register(tmp_path, hypothesis())
    assert main(["hypotheses", "check", str(path), "--data", str(samples / "responses.csv")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_check_validated_without_evidence_exits_1(tmp_path, capsys):
    path = register(tmp_path, hypothesis(status="validated", ended="2025-01-31"))
    assert main(["hypotheses", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: hypothesis H-010, `evidence`: a hypothesis cannot be validated")
    assert err == f"cxkit: 1 problem(s) in {path}\n"


def test_check_an_unknown_root_cause_with_five_whys_exits_1(tmp_path, samples, capsys):
    path = register(tmp_path, hypothesis(root_causes=["RC-001", "RC-999"]))
    assert main(["hypotheses", "check", str(path)]) == 0  # without the log, ids are not checked
    capsys.readouterr()
    args = ["hypotheses", "check", str(path), "--five-whys", str(samples / "five_whys.yml")]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out == (
        f"{path}: hypothesis H-010, `root_causes`: RC-999 not in the 5-whys log; write ids the "
        "log has (RC-001, ...)\n"
    )  # RC-001 is the sample log's first entry


def test_check_a_groups_column_not_in_the_data_exits_1(tmp_path, samples, capsys):
    groups = {"column": "arm", "control": "a", "treatment": "b"}
    path = register(tmp_path, hypothesis(groups=groups))
    args = ["hypotheses", "check", str(path), "--data", str(samples / "responses.csv")]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == f"{path}: hypothesis H-010, `groups.column`: the data has no column 'arm'\n"
    assert "1 problem(s)" in err


def test_check_a_yaml_syntax_error_exits_1_with_line_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text("hypotheses:\n  - id: [\n", encoding="utf-8")
    assert main(["hypotheses", "check", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{bad}: not valid YAML at line 3, column 1")
    assert "1 problem(s)" in err and "Traceback" not in out + err


def test_check_a_missing_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "none.yml"
    assert main(["hypotheses", "check", str(missing)]) == 2
    assert f"Hypothesis register '{missing}' does not exist" in capsys.readouterr().err


def test_check_a_file_that_is_not_utf8_exits_2_and_a_wrong_top_level_exits_1(tmp_path, capsys):
    # As `cxkit rootcause check`: a file that cannot be read is an error (exit 2); a file that
    # reads but is not a register (syntax, top-level key) is a problem of that file (exit 1).
    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes("hypotheses:\n- id: H-1\n  owner: Begoña\n".encode("latin-1"))
    assert main(["hypotheses", "check", str(latin1)]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err
    wrong = tmp_path / "wrong.yml"
    wrong.write_text("entries: []\n", encoding="utf-8")
    assert main(["hypotheses", "check", str(wrong)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{wrong}: expected one top-level key, `hypotheses:`")


def test_check_a_folder_says_give_a_file(tmp_path, capsys):
    assert main(["hypotheses", "check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"The hypothesis register '{tmp_path}' is a folder; give a file, e.g. " in err
    assert str(tmp_path / "hypotheses.yml") in err


def test_check_an_unreadable_five_whys_log_exits_2_naming_it(tmp_path, capsys):
    path = register(tmp_path, hypothesis())
    log = tmp_path / "five_whys.yml"
    log.write_text("entries:\n  - id: [\n", encoding="utf-8")
    assert main(["hypotheses", "check", str(path), "--five-whys", str(log)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"cxkit: error: --five-whys: {log}: not valid YAML at line")
    missing = tmp_path / "none.yml"
    assert main(["hypotheses", "check", str(path), "--five-whys", str(missing)]) == 2
    assert f"5-whys log '{missing}' does not exist" in capsys.readouterr().err


def test_help_lists_the_hypotheses_commands():
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "cxkit.cli", *args], capture_output=True, text=True, check=True
        ).stdout

    assert "check a hypothesis register, size a test" in run("--help")
    assert "responses per group a test needs" in run("hypotheses", "--help")
    assert "promoters=45,passives=35,detractors=20" in run("hypotheses", "size", "--help")
