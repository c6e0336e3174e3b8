"""Kernels forked from the zygote are the kernels a fresh start gives, and end when they should.

The reference is not written down here: the same probe notebook runs on a kernel started
afresh (``CXKIT_ZYGOTE=0``) and on forked ones, and they must see the same.
"""

import logging
import os
import subprocess
import time

import pytest

from cxkit.reports import forked
from cxkit.reports.forked import ForkedProcess, ForkedProvisioner, Zygote, ZygoteError
from cxkit.reports.kernel import private_kernel
from cxkit.reports.warm import WarmKernel
from tests.reports.test_warm_kernel import notebook, run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not forked.supported(), reason="kernels are forked on Linux only"),
]

#: What a notebook can see of how its kernel was started.
SEEN = """
import json, os, random, sys
import numpy as np, matplotlib.pyplot as plt
ip = get_ipython()
seen = {
    "path": sys.path,
    "argv0": sys.argv[0],
    "cwd": os.getcwd(),
    "env": sorted(os.environ),
    "marked": os.environ.get("CXKIT_FORK_TEST"),
    "backend": plt.get_backend(),
    "hooks": sorted(f.__name__ for f in ip.events.callbacks["post_execute"]),
    "parent": os.environ["JPY_PARENT_PID"] == str(os.getppid()),
    "session": os.getsid(0) == os.getpid(),
}
draws = [random.random(), float(np.random.random_sample())]
with open(out, "w") as fh:
    json.dump({"seen": seen, "draws": draws, "pid": os.getpid()}, fh)
"""


def kernel_process(warm):
    return warm.manager.provisioner.process


def test_a_forked_kernel_sees_what_a_fresh_kernel_sees(tmp_path, monkeypatch):
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    monkeypatch.setenv(
        "CXKIT_FORK_TEST", "given"
    )  # after the zygote started: sent with the request
    with private_kernel() as kernel:
        first, second = WarmKernel(kernel, tmp_path, 0), WarmKernel(kernel, tmp_path, 1)
        one, two = (run(w, probe, tmp_path, f"forked{i}") for i, w in enumerate((first, second)))
        assert isinstance(first.manager.provisioner, ForkedProvisioner)
        assert all(isinstance(kernel_process(w), ForkedProcess) for w in (first, second))
        fresh_kernel = WarmKernel(kernel, tmp_path, 2)
        fresh_kernel.zygote = None  # started afresh
        fresh = run(fresh_kernel, probe, tmp_path, "fresh")
        assert isinstance(kernel_process(fresh_kernel), subprocess.Popen)
    assert one["seen"] == fresh["seen"] == two["seen"]
    # the notebooks' folder is where the kernel runs, and on its path ("": the working folder)
    assert one["seen"]["cwd"] == str(tmp_path.resolve()) and "" in one["seen"]["path"]
    assert "inline" in one["seen"]["backend"]  # pyplot's figures show in the notebook
    assert one["seen"]["parent"] and one["seen"]["session"]
    assert one["seen"]["marked"] == "given"
    # each kernel draws its own random numbers (Python's and NumPy's global generators)
    assert len({one["pid"], two["pid"], fresh["pid"]}) == 3
    assert one["draws"][0] != two["draws"][0] and one["draws"][1] != two["draws"][1]


def test_a_kernel_ends_when_its_zygote_does(tmp_path):
    zygote = Zygote(dict(os.environ))
    connection = tmp_path / "kernel.json"  # ipykernel writes it, with ports of its choosing
    kernel = zygote.fork(["-f", str(connection)], dict(os.environ), str(tmp_path), timeout=300)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            kernel.wait(timeout=0.2)
        assert kernel.poll() is None
        zygote.stop()  # the zygote ends, and the kernel sees its parent gone
        assert zygote.process.returncode is not None
        assert kernel.wait(timeout=60) == 1  # a bound on waiting (ipykernel polls each second)
        assert kernel.poll() == 1
        kernel.kill()  # nothing to signal any more: no error, nobody else signalled
    finally:
        kernel.kill()
        zygote.stop()
    with pytest.raises(ZygoteError, match="has ended"):
        zygote.fork(["-f", str(connection)], dict(os.environ), None, timeout=1)


def test_kill_ends_a_forked_kernel_at_once(tmp_path):
    zygote = Zygote(dict(os.environ))
    try:
        kernel = zygote.fork(["-f", str(tmp_path / "k.json")], dict(os.environ), None, 300)
        assert kernel.poll() is None
        kernel.kill()
        assert kernel.wait(timeout=30) == 1
        assert _collected(kernel.pid)  # by the zygote: no zombie left behind
    finally:
        zygote.stop()


def _collected(pid: int) -> bool:
    """Wait (up to 30 s) until process ``pid`` is gone for good; True when it is."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_when_the_zygote_has_ended_the_kernel_starts_afresh(tmp_path, caplog):
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    with private_kernel() as kernel:
        warm = WarmKernel(kernel, tmp_path)
        warm.zygote.process.kill()
        warm.zygote.process.wait()
        with caplog.at_level(logging.WARNING, logger="cxkit.reports.forked"):
            seen = run(warm, probe, tmp_path, "afresh")
        assert isinstance(kernel_process(warm), subprocess.Popen)
    assert seen["seen"]["cwd"] == str(tmp_path.resolve())
    assert "Starting the kernel afresh: the kernel zygote has ended" in caplog.text
    # the next report's kernels come from a new zygote
    assert forked.zygote_for() is not warm.zygote
    assert forked.zygote_for().running()


def test_the_switch_turns_forking_off(monkeypatch):
    monkeypatch.setenv(forked.SWITCH, "0")
    assert forked.zygote_for() is None
    monkeypatch.setenv(forked.SWITCH, "1")
    assert forked.zygote_for() is not None
