"""Safe runs: a report is built aside and swapped in whole; an interrupted run changes nothing.

Each interrupt test first makes a good report of 2026-10 with the quick fixture notebook, then
starts ``cxkit report`` again as a subprocess with a second notebook that says it is running
(it writes its process id to a file) and then waits; the test sends the signal only once that
file exists, so the run is certainly in the middle of a notebook.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from _configs import waiting_notebook

from cxkit.reports import forked
from cxkit.reports import run as run_module
from cxkit.reports.config import load_config
from cxkit.reports.history import History
from cxkit.reports.run import run_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "notebooks"
INTERRUPTED = "cxkit: interrupted; the previous report is unchanged and nothing was stored"
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="signals are sent the POSIX way")
pytestmark = pytest.mark.slow  # every test runs reports


def write_config(folder: Path, notebooks: list[str]) -> Path:
    spec = {
        "client": "Safe client",
        "period": "2026-10",
        "language": "en",
        "output": str(folder / "out"),
        "notebooks_dir": str(folder / "notebooks"),
        "notebooks": notebooks,
        "data": {"responses": str(SAMPLES / "responses.csv")},
        "parameters": {"98_waits": {"ready_path": str(folder / "ready")}}
        if "98_waits" in notebooks
        else {},
    }
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256: the report exactly as it is."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(config: Path, env: dict[str, str], **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cxkit.cli", "report", str(config)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


@contextmanager
def short_temp():
    """A temporary folder of the runner's own, with a short path: it holds Unix sockets."""
    folder = Path(tempfile.mkdtemp(prefix="cxkit-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def environment(temp: Path) -> dict[str, str]:
    """The runner's temporary folders go to ``temp``, so the test can see what is left."""
    return {**os.environ, "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def first_report(tmp_path_factory):
    """A client folder whose 2026-10 report was made once, by ``cxkit report`` in a subprocess."""
    folder = tmp_path_factory.mktemp("client")
    (folder / "notebooks").mkdir()
    shutil.copy(FIXTURES / "00_quick.ipynb", folder / "notebooks")
    waiting_notebook(folder / "notebooks" / "98_waits.ipynb")
    with short_temp() as temp:
        first = cli(write_config(folder, ["00_quick"]), environment(temp))
        _, err = first.communicate(timeout=300)
        left = list(temp.iterdir())
    assert first.returncode == 0, err
    return folder, err, left


@pytest.fixture
def client(first_report, tmp_path):
    """A copy of the client folder with its first report, the environment, a temporary folder."""
    template, _, _ = first_report
    folder = tmp_path / "client"
    shutil.copytree(template, folder)
    with short_temp() as temp:
        yield folder, environment(temp), temp


def interrupt(folder: Path, env: dict[str, str], sig: int) -> tuple[int, str]:
    """Run the report with the waiting notebook, send ``sig`` once it waits; return code, stderr."""
    proc = cli(write_config(folder, ["00_quick", "98_waits"]), env, start_new_session=True)
    wait_until_ready(folder, proc)
    if forked.supported():  # (and so the check that none is left after can see one)
        assert zygotes(Path(env["TMPDIR"])), "the report's kernels come from a zygote"
    os.killpg(proc.pid, sig)  # as a terminal does: the whole foreground process group
    err = finish(proc, folder)
    return proc.returncode, err


def wait_until_ready(folder: Path, proc: subprocess.Popen) -> None:
    """Wait until the waiting notebook has written its kernel's process id."""
    ready = folder / "ready"
    deadline = time.monotonic() + 300  # a bound on waiting, not a speed requirement
    while not (ready.exists() and ready.read_text()) and proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the waiting notebook never started: " + proc.communicate()[1])
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()[1]


def finish(proc: subprocess.Popen, folder: Path) -> str:
    """Wait for the interrupted command to exit and return its stderr; kill it if it hangs."""
    try:
        return proc.communicate(timeout=120)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        os.kill(int((folder / "ready").read_text()), signal.SIGKILL)
        pytest.fail("the command did not stop when interrupted: " + proc.communicate()[1])


def zygotes(temp: Path) -> list[int]:
    """Kernel zygotes still running with ``temp`` as TMPDIR, and kernels forked from them.

    (A forked kernel shows its zygote's command line and first environment in /proc.)
    """
    found = []
    mark = f"TMPDIR={temp}".encode()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command, environ = (entry / "cmdline").read_bytes(), (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if b"cxkit.reports.zygote" in command and mark in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def report_folder(folder: Path) -> Path:
    return folder / "out" / "safe-client" / "2026-10"


# ------------------------------------------------------------------------------ normal runs
def test_a_normal_run_is_quiet_and_leaves_no_temporary_folders(first_report):
    folder, err, left = first_report
    assert "Kernel is running over TCP" not in err
    assert "WARNING" not in err
    assert left == []  # no cxkit-jupyter-<pid> left behind
    assert [p.name for p in (folder / "out" / "safe-client").iterdir()] == ["2026-10"]


# ------------------------------------------------------------------------------- interrupts
@POSIX_ONLY
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],  # 128 + the signal's number, as shells do
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupted_run_leaves_the_previous_report_and_history(client, sig, code):
    folder, env, temp = client
    before = snapshot(report_folder(folder))
    assert {"index.html", "00_quick.html", "metrics.csv", "manifest.json"} <= set(before)
    stored = History(folder / "history.sqlite").load("Safe client")
    returncode, err = interrupt(folder, env, sig)
    assert returncode == code, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == INTERRUPTED
    assert err.count("cxkit: ") == 1  # one line about it, nothing else from cxkit
    assert snapshot(report_folder(folder)) == before
    after = History(folder / "history.sqlite").load("Safe client")
    assert after.drop(columns="stored_at").equals(stored.drop(columns="stored_at"))
    assert after["stored_at"].tolist() == stored["stored_at"].tolist()
    assert [p.name for p in (folder / "out" / "safe-client").iterdir()] == ["2026-10"]
    assert list(temp.iterdir()) == []
    assert zygotes(temp) == []
    kernel_pid = int((folder / "ready").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(kernel_pid, 0)  # the waiting notebook's kernel was stopped (and reaped)


# ----------------------------------------------------------------------- errors mid-build
def test_an_error_while_building_leaves_the_previous_report(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    shutil.copy(FIXTURES / "00_quick.ipynb", tmp_path / "notebooks")
    config = load_config(write_config(tmp_path, ["00_quick"]))
    first = run_report(config, progress=lambda _: None)
    before = snapshot(first.folder)

    def broken_index(**_):
        raise OSError("disk full (planted)")

    monkeypatch.setattr(run_module, "index_page", broken_index)
    with pytest.raises(OSError, match=r"disk full \(planted\)"):
        run_report(config, progress=lambda _: None)
    assert snapshot(first.folder) == before
    assert [p.name for p in first.folder.parent.iterdir()] == ["2026-10"]


def test_a_completed_run_replaces_the_whole_report(tmp_path):
    (tmp_path / "notebooks").mkdir()
    shutil.copy(FIXTURES / "00_quick.ipynb", tmp_path / "notebooks")
    config = load_config(write_config(tmp_path, ["00_quick"]))
    first = run_report(config, progress=lambda _: None)
    (first.folder / "leftover.html").write_text("from an older run")
    second = run_report(config, progress=lambda _: None)
    assert second.folder == first.folder
    assert not (second.folder / "leftover.html").exists()
    assert (second.folder / "00_quick.html").exists()
    executed = Path(second.notebooks[0].executed)
    assert executed == second.folder / "notebooks" / "00_quick.ipynb" and executed.exists()
    # paths written down (manifest, the injected metrics_path) name the report's real folder
    for written in (second.folder / "manifest.json", executed):
        text = written.read_text(encoding="utf-8")
        assert ".building-" not in text and str(second.folder / "metrics") in text


# ------------------------------------------------------------------------------------ batch
@POSIX_ONLY
@pytest.mark.parametrize(
    ("sig", "code", "group"),
    [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)],  # Ctrl-C; `kill <pid>`
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupted_batch_leaves_the_previous_report(client, sig, code, group):
    folder, env, temp = client
    before = snapshot(report_folder(folder))
    config = write_config(folder, ["98_waits"])
    portfolio = folder / "portfolio.yml"
    portfolio.write_text(yaml.safe_dump({"clients": [str(config)]}), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxkit.cli", "batch", str(portfolio), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_until_ready(folder, proc)
    if group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    err = finish(proc, folder)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "cxkit: interrupted; reports not yet complete were left as they were"
    ]
    assert snapshot(report_folder(folder)) == before
    assert [p.name for p in (folder / "out" / "safe-client").iterdir()] == ["2026-10"]
    assert list(temp.iterdir()) == []
    assert zygotes(temp) == []
    with pytest.raises(ProcessLookupError):
        os.kill(int((folder / "ready").read_text()), 0)


def test_a_relative_out_folder_is_the_callers_not_the_notebooks(tmp_path, monkeypatch):
    # the notebooks run with the notebooks folder as their working folder: a relative --out
    # once sent their metrics there, and metrics.csv came out empty
    (tmp_path / "notebooks").mkdir()
    shutil.copy(FIXTURES / "00_quick.ipynb", tmp_path / "notebooks")
    config = write_config(tmp_path, ["00_quick"])
    monkeypatch.chdir(tmp_path)
    from cxkit.cli import main

    assert main(["report", str(config), "--out", "relative"]) == 0
    metrics = (tmp_path / "relative" / "safe-client" / "2026-10" / "metrics.csv").read_text()
    assert "2026-10,nps" in metrics  # 00_quick stores the period's headline NPS
    assert sorted(p.name for p in (tmp_path / "notebooks").iterdir()) == ["00_quick.ipynb"]


@POSIX_ONLY
def test_ctrl_c_during_the_swap_waits_and_is_then_dropped():
    from cxkit.reports.aside import signals_held

    reached = []
    with signals_held():  # as around storing the history and swapping the folders
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C now would raise KeyboardInterrupt at once
        reached.append("end of the block")
    reached.append("after the block")  # the report is complete: nothing is left to stop
    assert reached == ["end of the block", "after the block"]
