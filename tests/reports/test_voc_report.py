"""The voice of the customer in the client report: config keys, injected paths, notebook 05."""

import nbformat
import pytest
import yaml
from _configs import SAMPLES, quiet, write_config
from bs4 import BeautifulSoup

from cxkit.reports.config import NOTEBOOK_DIR, ConfigError, load_config
from cxkit.reports.run import _parameters, run_report


def test_the_taxonomy_and_the_log_are_optional_paths_relative_to_the_config(tmp_path):
    for name in ("themes.yml", "follow_up.csv"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    config = load_config(write_config(tmp_path, themes="themes.yml", follow_up="follow_up.csv"))
    assert config.themes == (tmp_path / "themes.yml").resolve()
    assert config.follow_up == (tmp_path / "follow_up.csv").resolve()
    bare = load_config(write_config(tmp_path / "bare"))
    assert bare.themes is None and bare.follow_up is None
    sample = load_config(SAMPLES / "client.yml")
    assert (sample.themes, sample.follow_up) == (SAMPLES / "themes.yml", SAMPLES / "follow_up.csv")
    assert "05_voice_of_customer" in sample.notebooks


def test_a_broken_taxonomy_is_refused_before_anything_runs(tmp_path):
    (tmp_path / "themes.yml").write_text("themes:\n  billing:\n    en: [x]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"`themes`: .*billing"):
        load_config(write_config(tmp_path, themes="themes.yml"))
    with pytest.raises(ConfigError, match=r"`follow_up` file not found: .*copy templates/follow"):
        load_config(write_config(tmp_path, follow_up="calls.csv"))
    with pytest.raises(ConfigError, match=r"\['themes_path'\] are set by the runner"):
        load_config(write_config(tmp_path, parameters={"00_quick": {"themes_path": "x.yml"}}))


def test_both_paths_are_injected_and_none_without_their_keys(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cell = nbformat.v4.new_code_cell(
        'themes_path = "../data/samples/themes.yml"\nfollow_up_path = None\nlang = "en"',
        metadata={"tags": ["parameters"]},
    )
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": kernel})
    nbformat.write(nb, folder / "voc.ipynb")
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "themes.yml").write_bytes((SAMPLES / "themes.yml").read_bytes())
    options = {"notebooks_dir": str(folder), "notebooks": ["voc"]}
    config = load_config(write_config(tmp_path / "client", themes="themes.yml", **options))
    params = _parameters(config, "voc", tmp_path / "metrics.csv")
    assert params["themes_path"] == str((tmp_path / "client" / "themes.yml").resolve())
    assert "follow_up_path" in params and params["follow_up_path"] is None  # never the sample's


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_notebook_05_in_a_report_with_the_sample_files(tmp_path, lang):
    for name in ("themes.yml", "follow_up.csv"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    data = {k: str(SAMPLES / f"{k}.csv") for k in ("responses", "tickets", "customers")}
    config = load_config(write_config(tmp_path, notebooks_dir=str(NOTEBOOK_DIR),
                                      notebooks=["05_voice_of_customer"], data=data,
                                      themes="themes.yml", follow_up="follow_up.csv",
                                      language=lang))  # fmt: skip
    result = run_report(config, progress=quiet)
    assert result.ok, result.notebooks
    html = (result.folder / "05_voice_of_customer.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert "<script" not in html.lower()
    assert "jp-InputArea" not in html and "import cxkit" not in html
    assert len(page.select("table.cx-table")) == 3  # themes, follow-up queue, scorecard
    assert page.select("ul.cx-quotes li")
    taxonomy = yaml.safe_load((SAMPLES / "themes.yml").read_text(encoding="utf-8"))["themes"]
    billing = taxonomy["billing"]["label"][lang]  # the planted detractor theme
    card = BeautifulSoup(result.index.read_text("utf-8"), "html.parser").select_one("#voc")
    assert billing in card.get_text(" ", strip=True)
