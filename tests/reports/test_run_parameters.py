"""What the runner injects into a notebook's parameters: the touchpoint catalog's path."""

from pathlib import Path

import nbformat
import pytest
from _configs import SAMPLES, write_config

from cxkit.reports.config import load_config
from cxkit.reports.run import _parameters


@pytest.fixture
def notebooks(tmp_path) -> Path:
    """A folder with one notebook whose parameters cell declares a touchpoint catalog path."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cell = nbformat.v4.new_code_cell(
        'responses_path = "../data/samples/responses.csv"\n'
        'touchpoints_path = "../data/samples/touchpoints.yml"\n'
        'lang = "en"',
        metadata={"tags": ["parameters"]},
    )
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": kernel})
    nbformat.write(notebook, folder / "catalog.ipynb")
    return folder


def config_for(tmp_path: Path, notebooks: Path, **overrides):
    return load_config(
        write_config(
            tmp_path / "client", notebooks_dir=str(notebooks), notebooks=["catalog"], **overrides
        )
    )


def test_the_catalog_path_is_injected(tmp_path, notebooks):
    catalog = tmp_path / "client" / "touchpoints.yml"
    catalog.parent.mkdir()
    catalog.write_text((SAMPLES / "touchpoints.yml").read_text(encoding="utf-8"), "utf-8")
    config = config_for(tmp_path, notebooks, touchpoints="touchpoints.yml")
    params = _parameters(config, "catalog", tmp_path / "metrics.csv")
    assert params["touchpoints_path"] == str(catalog.resolve())


def test_without_a_catalog_none_is_injected_so_the_samples_never_stand_in(tmp_path, notebooks):
    params = _parameters(config_for(tmp_path, notebooks), "catalog", tmp_path / "metrics.csv")
    assert "touchpoints_path" in params
    assert params["touchpoints_path"] is None


def test_a_notebook_that_does_not_declare_it_gets_no_catalog_path(tmp_path):
    config = load_config(write_config(tmp_path, touchpoints=str(SAMPLES / "touchpoints.yml")))
    params = _parameters(config, "00_quick", tmp_path / "metrics.csv")  # a fixture notebook
    assert config.touchpoints == SAMPLES / "touchpoints.yml"
    assert "touchpoints_path" not in params
