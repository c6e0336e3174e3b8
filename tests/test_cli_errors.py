"""Every command line mistake gets a message saying what to fix and exit code 2, no traceback.

Each test runs ``cxkit`` in-process, so an uncaught exception fails the test with its traceback.
"""

import os
from pathlib import Path

import pytest

from cxkit.cli import main
from cxkit.reports import scaffold

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "data" / "samples" / "responses_messy_qualtrics.csv")  # 6 rows quarantined


def error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("cxkit: error: ") and "Traceback" not in err
    return err


@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "a_file"
    path.write_text("not a folder")
    return path


# ------------------------------------------------------------------------------------ batch
def test_batch_with_invalid_yaml(tmp_path, capsys):
    portfolio = tmp_path / "portfolio.yml"
    portfolio.write_text("clients: [acme/client.yml\n")  # the list is never closed
    assert main(["batch", str(portfolio)]) == 2
    err = error(capsys)
    assert "portfolio.yml' is not valid YAML" in err and "line 1" in err
    assert "clients:\n    - acme/client.yml" in err  # what a portfolio looks like


def test_batch_and_report_given_a_folder(tmp_path, capsys):
    assert main(["batch", str(tmp_path)]) == 2
    assert f"The portfolio '{tmp_path}' is a folder; give a file" in error(capsys)
    assert main(["report", str(tmp_path)]) == 2
    assert f"e.g. {tmp_path / 'client.yml'}" in error(capsys)


def test_batch_with_no_workers(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "portfolio.yml"), "--workers", "0"]) == 2
    assert "--workers must be at least 1 (one process per client); got 0." in error(capsys)


def test_report_out_is_a_file(a_file, capsys):
    config = ROOT / "data" / "samples" / "client.yml"
    assert main(["report", str(config), "--out", str(a_file)]) == 2
    assert f"--out '{a_file}' is a file; give a folder." in error(capsys)


# ------------------------------------------------------------------------------- quarantine
def test_quarantine_to_a_folder(tmp_path, capsys):
    assert main(["validate", SAMPLE, "--quarantine", str(tmp_path)]) == 2
    assert f"--quarantine '{tmp_path}' is a folder; give a file, e.g. " in error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_quarantine_inside_a_file(a_file, capsys):
    out = a_file / "rejected.csv"
    assert main(["validate", SAMPLE, "--quarantine", str(out)]) == 2
    assert f"would go in '{a_file}', which is a file, not a folder" in error(capsys)


def test_quarantine_folder_for_several_files_is_a_file(a_file, capsys):
    assert main(["validate", SAMPLE, SAMPLE, "--quarantine", str(a_file)]) == 2
    assert "is a file, but several files are read: give a folder" in error(capsys)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_quarantine_to_an_unwritable_path(capsys):
    # /dev/full refuses every write (even root's) with "No space left on device"
    assert main(["validate", SAMPLE, "--quarantine", "/dev/full"]) == 2
    err = error(capsys)
    assert "cannot write the quarantined rows of" in err and "to '/dev/full'" in err
    assert os.strerror(28) in err  # ENOSPC


# ------------------------------------------------------------------------------ sample data
def test_sample_data_out_is_a_file(a_file, capsys):
    assert main(["sample-data", "--out", str(a_file)]) == 2
    assert f"--out '{a_file}' is a file; give a folder." in error(capsys)


# ------------------------------------------------------------------------------- new-client
def test_new_client_dir_is_a_file(a_file, capsys):
    assert main(["new-client", "Acme", "--dir", str(a_file)]) == 2
    assert f"--dir '{a_file}' is a file; give a folder." in error(capsys)


def test_a_failed_new_client_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    # the third template is missing, as in a damaged installation: two files are written first
    files = dict(scaffold._FILES)
    files["five_whys.yml"] = "no_such_template.yml"
    monkeypatch.setattr(scaffold, "_FILES", files)
    parent = tmp_path / "clients" / "2026"  # neither folder exists yet
    assert main(["new-client", "Acme", "--dir", str(parent)]) == 2
    assert "no_such_template.yml" in error(capsys)
    assert list(tmp_path.iterdir()) == []  # not even the folders made for --dir


def test_an_interrupted_new_client_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold.json, "dumps", interrupted)  # after the data folder is made
    assert main(["new-client", "Acme", "--dir", str(tmp_path)]) == 130
    assert capsys.readouterr().err == "cxkit: interrupted; no client folder was created\n"
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------- history
@pytest.mark.parametrize("damage", ["folder", "not a database"])
def test_a_damaged_history_file(tmp_path, capsys, damage):
    config = tmp_path / "client.yml"
    samples = ROOT / "data" / "samples"
    config.write_text(f"client: x\nperiod: 2026-10\ndata:\n  responses: {samples}/responses.csv\n")
    history = tmp_path / "history.sqlite"  # beside the config, where the runner keeps it
    if damage == "folder":
        history.mkdir()
    else:
        history.write_text("this is not SQLite")
    assert main(["report", str(config), "--out", str(tmp_path / "out")]) == 2
    err = error(capsys)
    assert f"The history file '{history}' cannot be used" in err and "move it away" in err
