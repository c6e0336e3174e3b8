"""cxkit batch --scheduler: the clients' reports on a Dask cluster, each failure kept to its client.

The batches run on ``local:2`` (a LocalCluster of two one-thread worker processes, started and
closed by the command), on the fixture notebooks of the other report tests.
"""

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from _configs import dying_client, waiting_notebook, write_config

from cxkit.cli import main
from cxkit.reports import cluster

pytest.importorskip(
    "distributed", reason='cxkit batch --scheduler needs the dask extra: pip install -e ".[dask]"'
)

LINUX_ONLY = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the worker through /proc"
)


def write_portfolio(folder: Path, configs: list[Path]) -> Path:
    path = folder / "portfolio.yml"
    path.write_text(yaml.safe_dump({"clients": [str(c) for c in configs]}), encoding="utf-8")
    return path


def batch(*args: str) -> tuple[int, str]:
    """Run ``cxkit batch`` in-process; return its exit code and what it printed (the summary)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["batch", *args])
    return code, out.getvalue()


def without_seconds(summary: str) -> str:
    return re.sub(r"  +\d+\.\d  ", "  <s>  ", summary)


def error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("cxkit: error: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


# ------------------------------------------------------------------- a batch on local:2
@pytest.fixture(scope="module")
def both_batches(tmp_path_factory):
    """One portfolio (a good client, a failing notebook, an unreadable export), run twice:
    in the process pool, then on ``local:2``."""
    tmp = tmp_path_factory.mktemp("portfolio")
    bad_data = tmp / "bad.csv"
    bad_data.write_text("nothing,useful\n1,2\n", encoding="utf-8")
    portfolio = write_portfolio(
        tmp,
        [
            write_config(tmp / "good", client="Good client"),
            write_config(
                tmp / "fails", client="Failing client", notebooks=["00_quick", "99_fails"]
            ),
            write_config(tmp / "bad", client="Bad client", data={"responses": str(bad_data)}),
        ],
    )
    pool = batch(str(portfolio), "--workers", "2")
    on_cluster = batch(str(portfolio), "--scheduler", "local:2")
    return tmp, pool, on_cluster


@pytest.mark.slow
def test_a_cluster_batch_isolates_the_failing_clients(both_batches):
    tmp, _, (code, out) = both_batches
    assert code == 1
    assert re.search(r"Good client\s+ok", out)
    assert re.search(r"Failing client\s+failed .*99_fails: cell 4: ValueError: planted", out)
    assert re.search(r"Bad client\s+error .*`data.responses`: .*not found", out)
    assert "1 of 3 client(s) completed" in out
    assert (tmp / "good" / "out" / "good-client" / "2026-10" / "index.html").exists()
    assert (tmp / "fails" / "out" / "failing-client" / "2026-10" / "00_quick.html").exists()


@pytest.mark.slow
def test_a_cluster_batch_gives_the_pool_summary(both_batches):
    _, (pool_code, pool_out), (code, out) = both_batches
    assert code == pool_code
    assert without_seconds(out) == without_seconds(pool_out)


@LINUX_ONLY
@pytest.mark.slow
def test_a_worker_that_dies_is_its_clients_line(tmp_path):
    dies = dying_client(tmp_path)
    good = write_config(tmp_path / "good", client="Good client")
    code, out = batch(str(write_portfolio(tmp_path, [dies, good])), "--scheduler", "local:2")
    assert code == 1
    assert re.search(r"Dying client\s+error .*its Dask worker died while running the report", out)
    assert re.search(r"Good client\s+ok", out)
    assert "1 of 2 client(s) completed" in out


@LINUX_ONLY
@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_an_interrupted_cluster_batch_stops_its_reports(tmp_path, sig, code):
    (tmp_path / "notebooks").mkdir()
    waiting_notebook(tmp_path / "notebooks" / "98_waits.ipynb")
    ready = tmp_path / "ready"
    config = write_config(
        tmp_path / "waits", client="Waiting client", notebooks_dir=str(tmp_path / "notebooks"),
        notebooks=["98_waits"], parameters={"98_waits": {"ready_path": str(ready)}},
    )  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxkit.cli", "batch", str(write_portfolio(tmp_path, [config])),
         "--scheduler", "local:2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300  # a bound on waiting, not a speed requirement
    try:
        while not (ready.exists() and ready.read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, "never started"
            time.sleep(0.1)
        # Ctrl-C reaches the whole foreground group; SIGTERM (`kill <pid>`) the command alone
        (os.killpg if sig == signal.SIGINT else os.kill)(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, err
    assert err.strip().splitlines() == [
        "cxkit: interrupted; reports not yet complete were left as they were"
    ]
    with pytest.raises(ProcessLookupError):
        os.kill(int(ready.read_text()), 0)  # the report's kernel was stopped
    assert list((tmp_path / "waits" / "out" / "waiting-client").iterdir()) == []  # no .building-


# ------------------------------------------------------------------------------- errors
@pytest.fixture
def portfolio(tmp_path) -> Path:
    return write_portfolio(tmp_path, [tmp_path / "acme" / "client.yml"])


@pytest.mark.parametrize("value", ["local:0", "local:-1", "local:two", "local:"])
def test_local_needs_a_positive_number_of_workers(portfolio, capsys, value):
    assert main(["batch", str(portfolio), "--scheduler", value]) == 2
    assert (
        "--scheduler local:N needs N, the number of worker processes to start here, as a "
        f"positive integer, e.g. --scheduler local:2; got {value!r}."
    ) in error(capsys)


def test_without_dask_the_error_says_how_to_install_it(portfolio, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    assert main(["batch", str(portfolio), "--scheduler", "local:2"]) == 2
    err = error(capsys)
    assert "--scheduler needs Dask, and 'distributed' is not installed" in err
    assert 'pip install -e ".[dask]"' in err


def test_an_unreachable_scheduler_is_named(portfolio, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1.0)
    assert main(["batch", str(portfolio), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = error(capsys)
    assert "--scheduler 'tcp://127.0.0.1:9': no Dask scheduler answered there within 1 s" in err
    assert "that `dask scheduler` runs there, or use --scheduler local:N" in err


@pytest.mark.parametrize("value", ["tcp://", "host:87x6", "foo://host:8786"])
def test_a_malformed_address_is_named(portfolio, capsys, value):
    assert main(["batch", str(portfolio), "--scheduler", value]) == 2
    assert f"--scheduler {value!r} is not a Dask scheduler's address (" in error(capsys)


def test_workers_and_scheduler_are_not_given_together(portfolio, capsys):
    assert main(["batch", str(portfolio), "--scheduler", "local:2", "--workers", "3"]) == 2
    assert "--workers is for the local process pool; with --scheduler" in error(capsys)
