"""The command line: output, JSON, exit codes, quarantine files and help texts."""

import json
import subprocess
import sys

import pandas as pd
import pytest

import cxkit as cx
from cxkit.cli import infer_kind, main


def test_validate_text_summary(samples, capsys):
    assert main(["validate", str(samples / "responses_messy_qualtrics.csv")]) == 0
    out = capsys.readouterr().out
    assert "rows read 300, accepted 294, quarantined 6" in out
    assert "score_out_of_range" in out and "columns ignored: StartDate" in out


def test_validate_json(samples, capsys):
    assert main(["validate", str(samples / "responses_messy_qualtrics.csv"), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"rows_read", "rows_accepted", "rows_quarantined", "reasons"} <= payload.keys()
    assert payload["rows_accepted"] + payload["rows_quarantined"] == payload["rows_read"] == 300
    assert payload["reasons"]["blank_row"] == 1


def test_validate_writes_quarantine(samples, tmp_path, capsys):
    out = tmp_path / "q" / "rejected.csv"
    assert (
        main(["validate", str(samples / "responses_messy_qualtrics.csv"), "--quarantine", str(out)])
        == 0
    )
    rejected = pd.read_csv(out, encoding="utf-8-sig")
    assert rejected.columns[:3].tolist() == ["row", "reason", "detail"]
    assert "ResponseId" in rejected.columns  # original values under the file's own names
    assert len(rejected) == 6
    assert "6 quarantined row(s)" in capsys.readouterr().err


def test_validate_several_files_quarantine_folder(samples, tmp_path):
    files = [str(samples / "responses_messy_qualtrics.csv"), str(samples / "customers.csv")]
    assert main(["validate", *files, "--quarantine", str(tmp_path)]) == 0
    assert (tmp_path / "responses_messy_qualtrics.quarantine.csv").exists()
    assert (tmp_path / "customers.quarantine.csv").exists()


def test_validate_bad_file_exits_2_and_goes_on(samples, tmp_path, capsys):
    bad = tmp_path / "responses.csv"
    bad.write_text("Response ID,Fecha envío,NPS\nR1,2025-01-01,9\n", encoding="utf-8")
    code = main(["validate", str(bad), str(samples / "customers.csv")])
    captured = capsys.readouterr()
    assert code == 2
    assert "required column(s) ['responded_at'] not found" in captured.err
    assert "rows read 3,000" in captured.out  # the second file was still validated


def test_validate_missing_file_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "responses.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_kind_must_be_told_when_the_name_does_not_say(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "cannot tell from the file name" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("responses_2025.csv", "responses"),
        ("encuesta-marzo.xlsx", "responses"),
        ("Clientes.csv", "customers"),
        ("tickets_q1.parquet", "tickets"),
        ("pedidos.csv", "orders"),
    ],
)
def test_infer_kind(name, kind):
    assert infer_kind(name) == kind


def test_ambiguous_dates_warn_on_stderr(tmp_path, capsys):
    path = tmp_path / "responses.csv"
    path.write_text("response_id,responded_at,nps\nR1,03/04/2025,9\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "warning:" in capsys.readouterr().err


def test_sample_data(tmp_path, capsys):
    assert (
        main(
            ["sample-data", "--out", str(tmp_path), "--rows", "400", "--seed", "3", "--lang", "es"]
        )
        == 0
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "README.md",
        "customers.csv",
        "follow_up.csv",
        "orders.csv",
        "responses.csv",
        "responses_messy_qualtrics.csv",
        "responses_messy_qualtrics.mapping.yml",
        "tickets.csv",
    ]
    # the follow-up log is none of the kinds `validate` reads (responses, tickets, customers,
    # orders)
    tables = [p for p in sorted(tmp_path.glob("*.csv")) if p.name != "follow_up.csv"]
    assert main(["validate", *map(str, tables)]) == 0


def test_sample_data_rejects_tiny_sizes(tmp_path, capsys):
    assert main(["sample-data", "--out", str(tmp_path), "--rows", "5"]) == 2
    assert "--rows must be at least 100" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["sample-data", "--help"]])
def test_help_texts(args):
    done = subprocess.run(
        [sys.executable, "-m", "cxkit.cli", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "usage: cxkit" in done.stdout
    assert len(done.stdout) > 300


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_console_script_is_installed():
    import shutil
    from pathlib import Path

    script = Path(sys.executable).with_name("cxkit")
    found = script if script.exists() else shutil.which("cxkit")
    assert found, "the `cxkit` command is not installed: pip install -e ."
    done = subprocess.run([str(found), "--version"], capture_output=True, text=True, check=False)
    assert done.stdout.startswith("cxkit ")


def test_validate_takes_the_clients_time_zone(tmp_path, capsys):
    path = tmp_path / "tickets.csv"
    # opened 23:30 UTC on 31 October = 00:30 on 1 November in Madrid (UTC+1 in winter)
    path.write_text(
        "ticket_id,opened_at,channel\nt1,2026-10-31T23:30:00+00:00,Email\n", encoding="utf-8"
    )
    assert main(["validate", str(path), "--timezone", "Europe/Madrid", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"]["timezone"] == "Europe/Madrid (given)"
    opened = cx.read_tickets(path, timezone="Europe/Madrid").data["opened_at"].iloc[0]
    assert str(opened) == "2026-11-01 00:30:00"
