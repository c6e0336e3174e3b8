"""Client reports: config checks, pages, metrics, history, failures, languages, batches.

Most tests run the small fixture notebooks in tests/reports/notebooks/ (00_quick reads the sample
responses and writes headline metrics; 99_fails raises on purpose); one runs the real
notebooks on the sample client.
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxkit.cli import main
from cxkit.reports.config import ConfigError, load_config
from cxkit.reports.history import History
from cxkit.reports.run import run_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "notebooks"


def quiet(_line):
    pass


def write_config(folder: Path, **overrides) -> Path:
    spec = {
        "client": "Test client",
        "period": "2026-10",
        "language": "en",
        "redact": True,
        "output": str(folder / "out"),
        "notebooks_dir": str(FIXTURES),
        "notebooks": ["00_quick"],
        "data": {"responses": str(SAMPLES / "responses.csv")},
    }
    spec.update(overrides)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- configuration
def test_config_errors_are_all_listed(tmp_path):
    path = write_config(
        tmp_path,
        colour="blue",
        period="October",
        language="fr",
        notebooks=["00_quick", "42_missing"],
        data={"responses": "nowhere.csv", "surveys": "x.csv"},
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "has 6 problem(s)" in message
    assert "unknown key(s) ['colour']; allowed keys are ['client'" in message
    assert "unknown notebook(s) ['42_missing']; available: ['00_quick', '99_fails']" in message
    assert re.search(r"`data.responses.path` file not found: '.*nowhere.csv'", message)
    assert (
        "unknown data kind 'surveys'; allowed: ['responses', 'tickets', 'customers', 'orders']"
        in message
    )
    assert (
        "`period` must be a month (2026-10), quarter (2026Q4) or year (2026); got 'October'"
        in message
    )
    assert "`language` must be one of 'en', 'es'; got 'fr'" in message


def test_unknown_and_reserved_notebook_parameters(tmp_path):
    path = write_config(tmp_path, parameters={"00_quick": {"nope": 1, "client": "x"}})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    expected = "`parameters.00_quick`: unknown parameter(s) ['nope']; the notebook declares"
    assert expected + " ['client', 'lang'" in message
    assert "['client'] are set by the runner" in message


def test_new_client_scaffold(tmp_path, capsys):
    assert main(["new-client", 'Acme "Retail"', "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "acme-retail"
    assert sorted(p.name for p in folder.iterdir()) == [
        "client.yml",
        "data",
        "five_whys.yml",
        "hypotheses.yml",
        "mapping.yml",
    ]
    assert yaml.safe_load((folder / "client.yml").read_text())["client"] == 'Acme "Retail"'
    with pytest.raises(ConfigError, match=r"`data.responses.path` file not found"):
        load_config(folder / "client.yml")
    assert main(["new-client", 'Acme "Retail"', "--dir", str(tmp_path)]) == 2  # never overwrites


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


# ----------------------------------------------------------------------------------- history
def test_history_next_period_and_idempotent_rerun(tmp_path):
    september = run_report(load_config(write_config(tmp_path, period="2026-09")), progress=quiet)
    assert september.ok
    responses = pd.read_csv(SAMPLES / "responses.csv")
    only_october = tmp_path / "october.csv"
    responses[responses["responded_at"].str.startswith("2026-10")].to_csv(only_october, index=False)
    config = write_config(tmp_path, data={"responses": str(only_october)})
    run_report(load_config(config), progress=quiet)
    history = History(tmp_path / "history.sqlite")
    stored = history.load("Test client")
    counts = stored.groupby("period").size().to_dict()
    index = (tmp_path / "out" / "test-client" / "2026-10" / "index.html").read_text(
        encoding="utf-8"
    )
    # the export holds October only: September came from the history
    assert "vs September 2026" in index
    run_report(load_config(config), progress=quiet)  # the same period again
    assert history.load("Test client").groupby("period").size().to_dict() == counts


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


# ------------------------------------------------------------------------------------ batch
def test_batch_isolates_a_failing_client(tmp_path, capsys):
    good = write_config(tmp_path / "good", client="Good client")
    bad_data = tmp_path / "bad.csv"
    bad_data.write_text("nothing,useful\n1,2\n", encoding="utf-8")
    bad = write_config(tmp_path / "bad", client="Bad client", data={"responses": str(bad_data)})
    portfolio = tmp_path / "portfolio.yml"
    portfolio.write_text(yaml.safe_dump({"clients": [str(good), str(bad)]}), encoding="utf-8")
    assert main(["batch", str(portfolio), "--workers", "2"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"Good client\s+ok", out)
    # an unreadable export is a config error, found before any kernel starts
    assert re.search(
        r"Bad client\s+error .*`data.responses`: .*not found \(reading responses\)", out
    )
    assert "1 of 2 client(s) completed" in out
    assert (tmp_path / "good" / "out" / "good-client" / "2026-10" / "index.html").exists()


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
