"""Every notebook executes top to bottom with papermill on the sample data, with its defaults."""

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from cxkit.reports.kernel import ensure_kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="session")
def kernel(tmp_path_factory):
    """The runner's own kernelspec for this interpreter (a user-level kernel may not be)."""
    return ensure_kernel(tmp_path_factory.mktemp("jupyter"))


def test_there_are_notebooks():
    # guards the parametrized tests below, which would silently run zero times on an empty list
    assert NOTEBOOKS, "notebooks/ has no notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "outputs in git"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_on_the_samples(path, tmp_path, kernel):
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path), str(out), kernel_name=kernel, cwd=str(path.parent), progress_bar=False
    )
    executed = nbformat.read(out, as_version=4)
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    images = [
        o for c in executed.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert images, "the notebook drew no chart"


@pytest.mark.slow
def test_baseline_notebook_in_spanish(tmp_path, kernel):
    path = ROOT / "notebooks" / "01_baseline_metrics.ipynb"
    out = tmp_path / "es.ipynb"
    pm.execute_notebook(
        str(path),
        str(out),
        kernel_name=kernel,
        cwd=str(path.parent),
        parameters={"lang": "es", "compare_freq": "M"},
        progress_bar=False,
    )
    executed = nbformat.read(out, as_version=4)
    # what the code printed, not the notebook's own (Spanish) narrative
    outputs = json.dumps([c.get("outputs", []) for c in executed.cells if c.cell_type == "code"])
    assert "respecto a" in outputs and "dentro del ruido" in outputs
