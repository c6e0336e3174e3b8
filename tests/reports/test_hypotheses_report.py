"""The hypothesis register in the client report: config key, injected path, front-page line."""

import nbformat
import pandas as pd
import pytest
import yaml
from _configs import SAMPLES, write_config
from bs4 import BeautifulSoup

from cxkit.headline import COLUMNS
from cxkit.hypotheses import HypothesisRegister
from cxkit.reports.config import ConfigError, load_config
from cxkit.reports.hypotheses_line import hypothesis_lines
from cxkit.reports.pages import index_page
from cxkit.reports.run import _parameters
from cxkit.reports.scaffold import new_client


# ------------------------------------------------------------------------------ config key
def test_the_register_path_is_relative_to_the_config_and_optional(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "hypotheses.yml").write_text("hypotheses: []\n", encoding="utf-8")
    config = load_config(write_config(tmp_path, hypotheses="records/hypotheses.yml"))
    assert config.hypotheses == (tmp_path / "records" / "hypotheses.yml").resolve()
    assert load_config(write_config(tmp_path)).hypotheses is None
    sample = load_config(SAMPLES / "client.yml")
    assert sample.hypotheses == SAMPLES / "hypotheses.yml"
    assert "04_hypotheses" in sample.notebooks


def test_a_missing_register_is_a_config_problem_but_a_malformed_one_is_not(tmp_path):
    with pytest.raises(
        ConfigError,
        match=r"`hypotheses` file not found: '.*nowhere\.yml'; copy templates/hypotheses\.yml",
    ):
        load_config(write_config(tmp_path, hypotheses="nowhere.yml"))
    for value in (["H-001"], 3):
        with pytest.raises(
            ConfigError, match=r"`hypotheses` must be the path of the client's hypothesis register"
        ):
            load_config(write_config(tmp_path, hypotheses=value))
    (tmp_path / "hypotheses.yml").write_text("hypotheses:\n  - id: [\n", encoding="utf-8")
    config = load_config(write_config(tmp_path, hypotheses="hypotheses.yml"))  # its page says
    assert config.hypotheses == (tmp_path / "hypotheses.yml").resolve()


def test_hypotheses_path_is_set_by_the_runner(tmp_path):
    path = write_config(tmp_path, parameters={"00_quick": {"hypotheses_path": "mine.yml"}})
    with pytest.raises(ConfigError, match=r"\['hypotheses_path'\] are set by the runner"):
        load_config(path)


def test_a_new_client_gets_the_template_register_named_in_its_config(tmp_path):
    folder = new_client("Acme", tmp_path)
    text = (folder / "hypotheses.yml").read_text(encoding="utf-8")
    assert text.startswith("# Hypothesis register for Acme: one item per CX bet")
    assert HypothesisRegister.load(folder / "hypotheses.yml").problems() == []
    config = (folder / "client.yml").read_text(encoding="utf-8")
    assert "\nhypotheses: hypotheses.yml\n" in config and "  - 04_hypotheses\n" in config


# ------------------------------------------------------------------------ injected path
@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cell = nbformat.v4.new_code_cell(
        'hypotheses_path = "../data/samples/hypotheses.yml"\nlang = "en"',
        metadata={"tags": ["parameters"]},
    )
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(
        nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": kernel}),
        folder / "bets.ipynb",
    )
    return folder


def test_the_register_path_is_injected_and_none_without_the_key(tmp_path, notebooks):
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "hypotheses.yml").write_text("hypotheses: []\n", encoding="utf-8")
    options = {"notebooks_dir": str(notebooks), "notebooks": ["bets"]}
    config = load_config(write_config(tmp_path / "client", hypotheses="hypotheses.yml", **options))
    params = _parameters(config, "bets", tmp_path / "metrics.csv")
    assert params["hypotheses_path"] == str((tmp_path / "client" / "hypotheses.yml").resolve())
    assert "five_whys_path" not in params  # only what the notebook declares
    bare = load_config(write_config(tmp_path / "bare", **options))
    params = _parameters(bare, "bets", tmp_path / "metrics.csv")
    assert "hypotheses_path" in params and params["hypotheses_path"] is None


# -------------------------------------------------------------------------- front page
def metric_rows(values: list[tuple[str, str, float]]) -> pd.DataFrame:
    rows = [{"period": "2026-10", "metric": m, "group": g, "value": v} for m, g, v in values]
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


H1, H2 = "H-001 (a warmer welcome)", "H-002 (clearer billing)"  # as notebook 04 names them
SAMPLE_ROWS = [  # what notebook 04 writes on a register like the sample's
    ("hypotheses_status", "running", 2),
    ("hypotheses_status", "proposed", 1),
    ("hypotheses_status", "parked", 1),
    ("hypothesis_validated", H1, 13.5),
    ("hypothesis_inconclusive", H2, -10.7),
    ("hypotheses_problems", "all", 0),
]


def test_the_lines_in_english_and_spanish():
    rows = metric_rows(SAMPLE_ROWS)
    assert hypothesis_lines(rows, "en") == [
        "4 hypotheses (1 proposed, 2 running, 1 parked).",  # lifecycle order, not row order
        f"The evidence supports {H1}.",
        f"Inconclusive so far: {H2}.",
        "No result was read before its planned sample size.",
    ]
    assert hypothesis_lines(rows, "es") == [
        "4 hipótesis (1 propuesta, 2 en curso, 1 aparcada).",
        f"La evidencia respalda {H1}.",
        f"Sin conclusión por ahora: {H2}.",
        "Ningún resultado se leyó antes de su tamaño de muestra previsto.",
    ]


def test_spanish_plurals_peeks_and_problems():
    rows = metric_rows(
        [
            ("hypotheses_status", "proposed", 2),
            ("hypotheses_status", "running", 2),
            ("hypotheses_status", "invalidated", 2),
            ("hypothesis_peeking", H1, 19.8),
            ("hypothesis_peeking", H2, -4.0),
            ("hypotheses_problems", "all", 3),
        ]
    )
    es = hypothesis_lines(rows, "es")
    assert es[0] == "6 hipótesis (2 propuestas, 2 en curso, 2 refutadas)."
    assert es[1] == (
        f"Leídas antes del tamaño de muestra previsto (decida solo cuando se alcance): {H1}; {H2}."
    )
    assert es[2] == (
        "El registro tiene 3 problema(s) que corregir; la página de hipótesis los enumera."
    )
    en = hypothesis_lines(rows, "en")
    assert en == [
        "6 hypotheses (2 proposed, 2 running, 2 invalidated).",
        f"Read before the planned sample size (decide only when it is reached): {H1}; {H2}.",
        "The register has 3 problem(s) to correct; the hypotheses page lists them.",
    ]
    assert hypothesis_lines(pd.DataFrame(columns=COLUMNS), "en") == []
    other = metric_rows([("rootcause_open", "all", 3)])  # another notebook's rows only
    assert hypothesis_lines(other, "es") == []
    empty = metric_rows([("hypotheses_problems", "all", 0)])  # a new client's empty register
    assert hypothesis_lines(empty, "en") == []
    broken = metric_rows([("hypotheses_problems", "all", 1)])  # no bets, but a stray item
    assert hypothesis_lines(broken, "en") == [
        "The register has 1 problem(s) to correct; the hypotheses page lists them."
    ]


def test_the_index_page_shows_the_card_as_of_the_periods_end():
    lines = ["4 hypotheses (1 proposed, 2 running, 1 parked).", "<b>not markup</b>"]
    page = index_page(lang="en", client="C", period="2026-10", kpi_rows=[], sections=[],
                      previous_period=None, hypotheses=lines)  # fmt: skip
    card = BeautifulSoup(page, "html.parser").select_one("#hypotheses")
    assert card.h2.get_text() == "Hypotheses"
    assert card.p.get_text() == (
        "The bets of the hypothesis register, as of 31 Oct 2026: 4 hypotheses (1 proposed, "
        "2 running, 1 parked). <b>not markup</b>"
    )
    assert "&lt;b&gt;" in page and "<b>not markup" not in page
    for none in (None, []):
        without = index_page(lang="es", client="C", period="2026-10", kpi_rows=[], sections=[],
                             previous_period=None, hypotheses=none)  # fmt: skip
        assert 'id="hypotheses"' not in without


# ------------------------------------------------------------------------- whole report
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_notebook_04_in_a_report_with_the_sample_register(tmp_path, lang):
    from _configs import quiet

    from cxkit.reports.config import NOTEBOOK_DIR
    from cxkit.reports.run import run_report

    for name in ("hypotheses.yml", "five_whys.yml"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    register = yaml.safe_load((SAMPLES / "hypotheses.yml").read_text(encoding="utf-8"))
    h1 = next(h for h in register["hypotheses"] if h["id"] == "H-001")
    config = load_config(write_config(tmp_path, notebooks_dir=str(NOTEBOOK_DIR),
                                      notebooks=["04_hypotheses"], hypotheses="hypotheses.yml",
                                      five_whys="five_whys.yml", language=lang))  # fmt: skip
    result = run_report(config, progress=quiet)
    assert result.ok, result.notebooks
    html = (result.folder / "04_hypotheses.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert len(page.select("article.cx-hyp")) == len(register["hypotheses"])
    assert not page.select(".cx-problems")
    assert "<script" not in html.lower()
    # a client page: no code cells, no prompts, no analyst-only output
    assert "jp-InputArea" not in html and "input_area" not in html
    assert "In [" not in html and "In&nbsp;[" not in html
    assert "hypotheses.analyse" not in html and "import cxkit" not in html
    assert "as planted" not in html and "como se plantó" not in html  # analyst cells left out
    index = BeautifulSoup(result.index.read_text("utf-8"), "html.parser")
    card = index.select_one("#hypotheses").get_text(" ", strip=True)
    name = f"{h1['id']} ({h1['strategy']})"
    supports = {"en": "The evidence supports", "es": "La evidencia respalda"}[lang]
    assert f"{supports} {name}." in card
