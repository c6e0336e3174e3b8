"""One report run: its files, pages, failures, language, inert client names, re-runs.

Most tests run the small fixture notebooks in tests/reports/notebooks/ (00_quick reads the sample
responses and writes headline metrics; 99_fails raises on purpose); one runs the real
notebooks on the sample client.
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from _configs import FIXTURES, quiet, write_config

from cxkit.cli import main
from cxkit.reports.config import load_config
from cxkit.reports.history import History
from cxkit.reports.run import run_report


# -------------------------------------------------------------------------------- one report
@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quick")
    return run_report(load_config(write_config(folder)), progress=quiet)


def test_report_files(quick_report):
    out = quick_report.folder
    assert quick_report.ok
    assert {p.name for p in out.iterdir()} >= {
        "index.html",
        "00_quick.html",
        "metrics.csv",
        "manifest.json",
        "notebooks",
    }
    metrics = pd.read_csv(out / "metrics.csv")
    assert list(metrics.columns[:8]) == [
        "client",
        "period",
        "metric",
        "group",
        "value",
        "ci_low",
        "ci_high",
        "n",
    ]
    assert set(metrics["period"].astype(str)) == {"2026-10"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "ok" and manifest["cxkit_version"]
    assert len(manifest["inputs"]["responses.path"]["sha256"]) == 64
    assert manifest["notebooks"][0]["parameters"]["period"] == "2026-10"


def test_client_pages_have_no_code_no_fetches_and_embedded_images(quick_report):
    page = (quick_report.folder / "00_quick.html").read_text(encoding="utf-8")
    assert "import cxkit" not in page and "jp-InputArea" not in page
    assert "data:image/png;base64," in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_customer_text_is_escaped_and_redacted(quick_report):
    page = (quick_report.folder / "00_quick.html").read_text(encoding="utf-8")
    # the planted comment: 'Nice try <script>alert("cx")</script> & <b>bold</b> "quotes"'
    assert "&lt;script&gt;alert" in page
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    # the planted e-mail addresses and phone numbers are masked
    assert "ana.garcia@example.com" not in page and "+34 612 345 678" not in page
    assert "[email]" in page and "[phone]" in page


def test_without_redaction_the_address_is_shown(tmp_path):
    result = run_report(load_config(write_config(tmp_path, redact=False)), progress=quiet)
    assert "ana.garcia@example.com" in (result.folder / "00_quick.html").read_text(encoding="utf-8")


def test_index_compares_with_the_exports_previous_period(quick_report):
    index = (quick_report.folder / "index.html").read_text(encoding="utf-8")
    assert "Headline indicators" in index
    assert "vs September 2026" in index


# ---------------------------------------------------------------------------------- failures
def test_a_failing_notebook_is_marked_and_the_rest_completes(tmp_path, capsys):
    path = write_config(tmp_path, notebooks=["00_quick", "99_fails"])
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    # the raising cell is the 4th executed: papermill's injected-parameters cell runs too
    assert "99_fails failed at cell 4: ValueError: planted failure for the tests" in err
    out = tmp_path / "out" / "test-client" / "2026-10"
    assert (out / "00_quick.html").exists() and not (out / "99_fails.html").exists()
    executed = json.loads((out / "notebooks" / "99_fails.ipynb").read_text())
    assert any(
        o.get("output_type") == "error" for c in executed["cells"] for o in c.get("outputs", [])
    )
    assert "failed" in (out / "index.html").read_text(encoding="utf-8")
    assert History(tmp_path / "history.sqlite").load("Test client").empty  # nothing partial


# ---------------------------------------------------------------------------------- language
def test_spanish_report(tmp_path):
    result = run_report(load_config(write_config(tmp_path, language="es")), progress=quiet)
    index = (result.folder / "index.html").read_text(encoding="utf-8")
    page = (result.folder / "00_quick.html").read_text(encoding="utf-8")
    assert (
        'lang="es"' in index
        and "Indicadores principales" in index
        and "respecto a septiembre de 2026" in index
    )
    assert "Cuaderno rápido" in page and "Quick fixture" not in page
    assert "Periodo" in page  # the chart's axis label


# ------------------------------------------------------------------------------- injection
def test_client_name_with_quotes_and_code_is_inert(tmp_path):
    name = 'Evil "quote" \'; import pathlib; pathlib.Path("PWNED").write_text("x") # <i>x</i>'
    result = run_report(load_config(write_config(tmp_path, client=name)), progress=quiet)
    assert result.ok
    assert not (FIXTURES / "PWNED").exists() and not Path("PWNED").exists()
    page = (result.folder / "00_quick.html").read_text(encoding="utf-8")
    assert "&lt;i&gt;x&lt;/i&gt;" in page and "<i>x</i>" not in page
    executed = json.loads((result.folder / "notebooks" / "00_quick.ipynb").read_text())
    printed = [
        o for c in executed["cells"] for o in c.get("outputs", []) if o.get("name") == "stdout"
    ]
    assert printed[0]["text"] == [name + "\n"]  # the name arrived as data, intact


def test_a_rerun_leaves_nothing_stale(tmp_path):
    config = write_config(tmp_path, notebooks=["00_quick"])
    first = run_report(load_config(config), progress=quiet)
    assert (first.folder / "00_quick.html").exists()
    # the same period again, now with a notebook list whose first entry fails
    broken = write_config(tmp_path, notebooks=["99_fails"])
    (first.folder / "metrics" / "99_fails.csv").write_text("period,metric\n2026-10,stale\n")
    second = run_report(load_config(broken), progress=quiet)
    assert not second.ok
    assert not (second.folder / "metrics" / "99_fails.csv").exists()
    assert second.metrics.empty
