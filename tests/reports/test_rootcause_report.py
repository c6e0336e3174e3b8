"""The 5-whys log in the client report: config key, injected path, front-page line."""

import nbformat
import pandas as pd
import pytest
from _configs import SAMPLES, write_config
from bs4 import BeautifulSoup

from cxkit.headline import COLUMNS
from cxkit.reports.config import ConfigError, load_config
from cxkit.reports.pages import index_page
from cxkit.reports.rootcause_line import rootcause_lines
from cxkit.reports.run import _parameters
from cxkit.reports.scaffold import new_client
from cxkit.rootcause import RootCauseLog

NBSP = "\u00a0"


# ------------------------------------------------------------------------------ config key
def test_the_log_path_is_relative_to_the_config_and_optional(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "five_whys.yml").write_text("entries: []\n", encoding="utf-8")
    config = load_config(write_config(tmp_path, five_whys="logs/five_whys.yml"))
    assert config.five_whys == (tmp_path / "logs" / "five_whys.yml").resolve()
    assert load_config(write_config(tmp_path)).five_whys is None
    assert load_config(SAMPLES / "client.yml").five_whys == SAMPLES / "five_whys.yml"
    assert "03_root_cause" in load_config(SAMPLES / "client.yml").notebooks


def test_a_missing_log_is_a_config_problem_but_a_malformed_one_is_not(tmp_path):
    with pytest.raises(
        ConfigError, match=r"`five_whys` file not found: '.*nowhere.yml'; copy templates/five"
    ):
        load_config(write_config(tmp_path, five_whys="nowhere.yml"))
    with pytest.raises(ConfigError, match=r"`five_whys` must be the path of the client's 5-whys"):
        load_config(write_config(tmp_path, five_whys=["RC-1"]))
    (tmp_path / "five_whys.yml").write_text("entries:\n  - id: [\n", encoding="utf-8")
    config = load_config(write_config(tmp_path, five_whys="five_whys.yml"))  # its page says
    assert config.five_whys == (tmp_path / "five_whys.yml").resolve()


def test_five_whys_path_is_set_by_the_runner(tmp_path):
    path = write_config(tmp_path, parameters={"00_quick": {"five_whys_path": "mine.yml"}})
    with pytest.raises(ConfigError, match=r"\['five_whys_path'\] are set by the runner"):
        load_config(path)


def test_a_new_client_gets_the_commented_template_named_in_its_config(tmp_path):
    folder = new_client("Acme", tmp_path)
    text = (folder / "five_whys.yml").read_text(encoding="utf-8")
    assert text.startswith("# 5-whys root-cause log for Acme: one entry per problem")
    assert RootCauseLog.load(folder / "five_whys.yml").problems() == []
    config = (folder / "client.yml").read_text(encoding="utf-8")
    assert "\nfive_whys: five_whys.yml\n" in config and "  - 03_root_cause\n" in config


# ------------------------------------------------------------------------ injected path
@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cell = nbformat.v4.new_code_cell(
        'five_whys_path = "../data/samples/five_whys.yml"\nlang = "en"',
        metadata={"tags": ["parameters"]},
    )
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(
        nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": kernel}),
        folder / "log.ipynb",
    )
    return folder


def test_the_log_path_is_injected_and_none_without_the_key(tmp_path, notebooks):
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "five_whys.yml").write_text("entries: []\n", encoding="utf-8")
    options = {"notebooks_dir": str(notebooks), "notebooks": ["log"]}
    config = load_config(write_config(tmp_path / "client", five_whys="five_whys.yml", **options))
    params = _parameters(config, "log", tmp_path / "metrics.csv")
    assert params["five_whys_path"] == str((tmp_path / "client" / "five_whys.yml").resolve())
    bare = load_config(write_config(tmp_path / "bare", **options))
    params = _parameters(bare, "log", tmp_path / "metrics.csv")
    assert "five_whys_path" in params and params["five_whys_path"] is None


# -------------------------------------------------------------------------- front page
def metric_rows(values: dict) -> pd.DataFrame:
    rows = [
        {"period": "2026-10", "metric": m, "group": g, "value": v} for (m, g), v in values.items()
    ]
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


SAMPLE_ROWS = {
    ("rootcause_open", "all"): 3,
    ("rootcause_overdue", "all"): 1,
    ("rootcause_problems", "all"): 0,
    ("rootcause_verdict", "recovered"): 1,
    ("rootcause_verdict", "not yet"): 1,
}


def test_the_lines_in_english_and_spanish():
    rows = metric_rows(SAMPLE_ROWS)  # what notebook 03 writes on the sample log
    assert rootcause_lines(rows, "en") == [
        "3 open investigations, 1 overdue countermeasure.",
        "Verification against the survey: 1 recovered, 1 not yet.",
    ]
    assert rootcause_lines(rows, "es") == [
        "3 investigaciones abiertas, 1 contramedida vencida.",
        "Verificación con la encuesta: 1 recuperada, 1 todavía no.",
    ]
    rows.loc[rows["group"] == "recovered", "value"] = 2
    assert (
        rootcause_lines(rows, "es")[1]
        == "Verificación con la encuesta: 2 recuperadas, 1 todavía no."
    )
    rows.loc[rows["metric"] == "rootcause_problems", "value"] = 2
    assert rootcause_lines(rows, "en")[-1] == (
        "The log has 2 problem(s) to correct; the root-cause page lists them."
    )
    assert rootcause_lines(pd.DataFrame(columns=COLUMNS), "en") == []


def test_the_index_page_shows_the_card_as_of_the_periods_end():
    lines = ["1 open investigation, 2 overdue countermeasures.", "<b>not markup</b>"]
    page = index_page(lang="en", client="C", period="2026-10", kpi_rows=[], sections=[],
                      previous_period=None, rootcause=lines)  # fmt: skip
    card = BeautifulSoup(page, "html.parser").select_one("#rootcause")
    assert card.h2.get_text() == "Root causes"
    assert card.p.get_text() == (
        "Investigations of the 5-whys log, as of 31 Oct 2026: 1 open investigation, 2 overdue "
        "countermeasures. <b>not markup</b>"
    )
    assert "&lt;b&gt;" in page
    without = index_page(lang="es", client="C", period="2026-10", kpi_rows=[], sections=[],
                         previous_period=None)  # fmt: skip
    assert 'id="rootcause"' not in without


# ------------------------------------------------------------------------- whole report
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_notebook_03_in_a_report_with_the_sample_log(tmp_path, lang):
    from _configs import quiet

    from cxkit.reports.config import NOTEBOOK_DIR
    from cxkit.reports.run import run_report

    (tmp_path / "five_whys.yml").write_bytes((SAMPLES / "five_whys.yml").read_bytes())
    config = load_config(write_config(tmp_path, notebooks_dir=str(NOTEBOOK_DIR),
                                      notebooks=["03_root_cause"], five_whys="five_whys.yml",
                                      language=lang))  # fmt: skip
    result = run_report(config, progress=quiet)
    assert result.ok, result.notebooks
    page = BeautifulSoup((result.folder / "03_root_cause.html").read_text("utf-8"), "html.parser")
    assert len(page.select(".cx-ladder")) == 5 and not page.select(".cx-problems")
    assert "<script" not in str(page).lower()
    index = BeautifulSoup(result.index.read_text("utf-8"), "html.parser")
    card = index.select_one("#rootcause").get_text(" ", strip=True)
    assert ("3 open investigations, 1 overdue countermeasure." in card) == (lang == "en")
    assert ("1 recuperada, 1 todavía no" in card) == (lang == "es")


@pytest.mark.slow
def test_a_malformed_log_gives_a_problems_section_not_a_failed_report(tmp_path):
    from _configs import quiet

    from cxkit.reports.config import NOTEBOOK_DIR
    from cxkit.reports.run import run_report

    (tmp_path / "five_whys.yml").write_text(
        'entries:\n  - id: RC-1\n    problem: "<script>x</script>\n    stage: adopt\n',
        encoding="utf-8",
    )
    options = {"notebooks_dir": str(NOTEBOOK_DIR), "notebooks": ["03_root_cause"]}
    config = load_config(write_config(tmp_path, five_whys="five_whys.yml", **options))
    result = run_report(config, progress=quiet)
    assert result.ok, result.notebooks
    html = (result.folder / "03_root_cause.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    problems = page.select_one(".cx-problems").get_text()
    assert "not valid YAML at line 5, column 1" in problems
    assert "The 5-whys log could not be read; correct it and run the report again." in html
    assert "<script>x" not in html
    assert not page.select(".cx-ladder")  # nothing else could be read
    assert not BeautifulSoup(result.index.read_text("utf-8"), "html.parser").select("#rootcause")
