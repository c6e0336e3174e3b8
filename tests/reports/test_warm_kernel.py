"""A client's notebooks share one kernel, and each starts from the state a fresh kernel has.

The reference for "the state a fresh kernel has" is not written down here: the same probe
notebook runs on a kernel started for it alone, and the warm kernel must report the same.
"""

import json
import os
import shutil

import nbformat
import pandas as pd
import pytest
from nbclient.exceptions import DeadKernelError

from cxkit.cli import main
from cxkit.reports.config import load_config
from cxkit.reports.forked import KernelStartCancelled
from cxkit.reports.kernel import private_kernel
from cxkit.reports.run import run_report
from cxkit.reports.warm import PRELOAD, WarmKernel
from tests.reports._configs import FIXTURES, quiet, write_config

pytestmark = pytest.mark.slow

#: Changes everything kernelstate.restore() says it puts back, and leaves a variable behind.
MESS = """
import json, os, sys, warnings
import numpy as np, pandas as pd, matplotlib.pyplot as plt
left_behind = 1
pd.set_option("display.max_columns", 3)
plt.rcParams["lines.linewidth"] = 9.0
os.chdir("/")
os.environ["CXKIT_WARM_TEST"] = "set"
sys.path.append("/nowhere")
warnings.simplefilter("error")
np.seterr(all="raise")
np.set_printoptions(precision=2)
np.random.seed(1)
"""

#: Reports what a notebook can see of that state.
PROBE = """
import json, os, sys, warnings
import numpy as np, pandas as pd, matplotlib.pyplot as plt
state = {
    "left_behind": "left_behind" in globals(),
    "max_columns": pd.get_option("display.max_columns"),
    "linewidth": plt.rcParams["lines.linewidth"],
    "rc": sorted((k, repr(v)) for k, v in plt.rcParams.items()),
    "backend": plt.get_backend(),
    "cwd": os.getcwd(),
    "env": os.environ.get("CXKIT_WARM_TEST"),
    "nowhere": "/nowhere" in sys.path,
    "error_filters": sum(f[0] == "error" for f in warnings.filters),
    "divide": np.geterr()["divide"],
    "precision": np.get_printoptions()["precision"],
}
first_draw = float(np.random.random_sample())
with open(out, "w") as fh:
    json.dump({"state": state, "pid": os.getpid(), "draw": first_draw}, fh)
"""


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('out = "unused.json"', metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(nb, path)
    return str(path)


def run(warm, source, tmp_path, name):
    out = tmp_path / f"{name}.json"
    warm.execute(
        source, str(tmp_path / f"{name}.ipynb"), parameters={"out": str(out)},
        progress_bar=False,
    )  # fmt: skip
    return json.loads(out.read_text()) if out.exists() else None


def test_a_second_notebook_sees_a_fresh_kernels_state_on_the_same_kernel(tmp_path):
    mess = notebook(tmp_path / "mess.ipynb", MESS, PROBE)
    probe = notebook(tmp_path / "probe.ipynb", PROBE)
    with private_kernel() as kernel:
        fresh = run(WarmKernel(kernel, tmp_path), probe, tmp_path, "fresh")  # a kernel of its own
        warm = WarmKernel(kernel, tmp_path)
        messed = run(warm, mess, tmp_path, "messed")
        after = run(warm, probe, tmp_path, "after")
    assert after["pid"] == messed["pid"] != fresh["pid"]  # warm: the same kernel process
    # the mess did change every probed thing but the backend (the inline one, kept)
    assert {k for k in fresh["state"] if messed["state"][k] == fresh["state"][k]} == {"backend"}
    assert after["state"] == fresh["state"]
    assert fresh["state"]["cwd"] == str(tmp_path.resolve())  # the kernel starts where it's told
    # the global generator was seeded afresh, not left at seed 1 (its first draw is
    # numpy's RandomState(1).random_sample() = 0.417022004702574)
    assert messed["draw"] == pytest.approx(0.417022004702574, abs=1e-15)
    assert after["draw"] != pytest.approx(0.417022004702574, abs=1e-15)


def test_a_notebook_that_kills_its_kernel_fails_and_the_next_gets_a_fresh_one(tmp_path):
    probe = notebook(tmp_path / "probe.ipynb", PROBE)
    kill = notebook(tmp_path / "kill.ipynb", "import os\nos._exit(1)")
    with private_kernel() as kernel:
        warm = WarmKernel(kernel, tmp_path)
        before = run(warm, probe, tmp_path, "before")
        with pytest.raises(DeadKernelError):
            run(warm, kill, tmp_path, "kill")
        after = run(warm, probe, tmp_path, "after")
    assert after["pid"] != before["pid"]
    assert after["state"] == before["state"]


def test_a_report_marks_the_notebook_that_killed_its_kernel_and_runs_the_rest(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "00_quick.ipynb", notebooks)
    notebook(notebooks / "98_kills_kernel.ipynb", "import os\nos._exit(1)")
    path = write_config(
        tmp_path, notebooks_dir=str(notebooks), notebooks=["98_kills_kernel", "00_quick"]
    )
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert "98_kills_kernel failed: the kernel died while the notebook ran" in err
    out = tmp_path / "out" / "test-client" / "2026-10"
    assert (out / "00_quick.html").exists() and not (out / "98_kills_kernel.html").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    status = {n["name"]: n["status"] for n in manifest["notebooks"]}
    assert status == {"98_kills_kernel": "failed", "00_quick": "ok"}


def test_an_abandoned_warm_kernel_starts_no_kernel_any_more(tmp_path):
    """After an interrupt, a notebook's retry must not start a kernel for a report that is gone."""
    probe = notebook(tmp_path / "probe.ipynb", PROBE)
    with private_kernel() as kernel:
        warm = WarmKernel(kernel, tmp_path)
        warm.abandon()
        with pytest.raises(KernelStartCancelled):
            run(warm, probe, tmp_path, "after")
        assert warm.manager is None
    assert not (tmp_path / "after.json").exists()


def test_notebooks_side_by_side_give_the_same_report_in_the_configs_order(tmp_path):
    """Two kernels (the default on two cores) against one: same statuses, order and metrics."""
    outcomes = {}
    for jobs in (1, 2):
        path = write_config(tmp_path / f"jobs{jobs}", notebooks=["99_fails", "00_quick"])
        result = run_report(load_config(path), progress=quiet, jobs=jobs)
        outcomes[jobs] = result
    one, two = outcomes[1], outcomes[2]
    assert [(n.name, n.status, n.error) for n in two.notebooks] == [
        (n.name, n.status, n.error) for n in one.notebooks
    ]
    assert [n.name for n in two.notebooks] == ["99_fails", "00_quick"]
    assert two.notebooks[0].error.startswith("cell 4: ValueError: planted failure")
    pd.testing.assert_frame_equal(two.metrics, one.metrics)
    assert len(one.metrics) > 0


def test_kernels_sharing_the_cores_use_their_share_of_blas_threads(tmp_path, monkeypatch):
    """threads=1: numpy's BLAS in the kernel runs one thread (threadpoolctl reads the library's
    own setting); the user's own setting wins; threads=None leaves the library's default."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    probe = notebook(
        tmp_path / "blas.ipynb",
        "import json, os, numpy, threadpoolctl\n"
        "blas = [i['num_threads'] for i in threadpoolctl.threadpool_info()"
        " if i['user_api'] == 'blas']\n"
        "json.dump({'blas': blas, 'mkl': os.environ.get('MKL_NUM_THREADS')}, open(out, 'w'))",
    )
    with private_kernel() as kernel:
        one = run(WarmKernel(kernel, tmp_path, 0, threads=1), probe, tmp_path, "one")
        monkeypatch.setenv("MKL_NUM_THREADS", "3")
        mine = run(WarmKernel(kernel, tmp_path, 1, threads=1), probe, tmp_path, "mine")
        monkeypatch.delenv("MKL_NUM_THREADS")
        default = run(WarmKernel(kernel, tmp_path, 2), probe, tmp_path, "default")
    assert one["blas"] and set(one["blas"]) == {1}
    assert one["mkl"] == "1" and mine["mkl"] == "3" and default["mkl"] is None
    assert default["blas"] == [min(os.cpu_count(), b) for b in default["blas"]]


def test_a_new_kernel_comes_with_the_notebooks_imports_and_nothing_else(tmp_path):
    """Before the first cell: the modules every cxkit notebook imports are loaded, no name of
    the preload is left in the namespace, and its objects are frozen out of garbage collection
    (what keeps ``%reset`` between notebooks cheap)."""
    probe = notebook(
        tmp_path / "preload.ipynb",
        "loaded = sorted(m for m in PRELOAD if m in __import__('sys').modules)\n"
        "frozen = __import__('gc').get_freeze_count()\n"
        "left = '_m' in globals()\n"
        "print('first output', flush=True)\n"
        "__import__('json').dump([loaded, frozen, left], open(out, 'w'))",
    )
    with private_kernel() as kernel:
        warm = WarmKernel(kernel, tmp_path)
        executed = tmp_path / "preload_out.ipynb"
        parameters = {"out": str(tmp_path / "p.json"), "PRELOAD": list(PRELOAD)}
        warm.execute(probe, str(executed), parameters=parameters, progress_bar=False)
    loaded, frozen, left = json.loads((tmp_path / "p.json").read_text())
    assert loaded == sorted(PRELOAD) and not left
    assert frozen > 10_000  # pandas, matplotlib, seaborn and cxkit: ~150,000 objects
    # the kernel's first message to the notebook is not lost by the shorter wait for readiness
    outputs = nbformat.read(executed, as_version=4).cells[-1].outputs
    assert [o.get("text") for o in outputs] == ["first output\n"]
