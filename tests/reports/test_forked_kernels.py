"""Kernels forked from the zygote are the kernels a fresh start gives, and end when they should.

The reference is not written down here: the same probe notebook runs on a kernel started
afresh and on forked ones, and they must see the same. The zygote's failures (never ready,
imports failing, ended, no pidfds, a report stopped while a kernel starts) are provoked with
stand-in zygote programs.
"""

import errno
import logging
import os
import subprocess
import sys
import threading
import time

import pytest

from cxkit.reports import forked
from cxkit.reports.forked import KernelStartCancelled, Zygote, ZygoteError
from cxkit.reports.kernel import private_kernel, stop_kernels
from cxkit.reports.provisioner import ForkedProcess, ForkedProvisioner
from cxkit.reports.warm import WarmKernel
from tests.reports.test_warm_kernel import notebook, run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not forked.supported(), reason="kernels are forked on Linux only"),
]

#: What a notebook can see of how its kernel was started.
SEEN = """
import json, os, sys
import numpy as np, matplotlib.pyplot as plt
ip = get_ipython()
seen = {
    "path": sys.path,
    "argv": [sys.argv[0], *sys.argv[3:]],  # (sys.argv[1:3] is -f and its connection file)
    "cwd": os.getcwd(),
    "env": sorted(os.environ),
    "marked": os.environ.get("CXKIT_FORK_TEST"),
    "backend": plt.get_backend(),
    "linewidth": plt.rcParams["lines.linewidth"],
    "hooks": sorted(f.__name__ for f in ip.events.callbacks["post_execute"]),
    "parent": os.environ["JPY_PARENT_PID"] == str(os.getppid()),
    "session": os.getsid(0) == os.getpid(),
}
with open(out, "w") as fh:
    json.dump({"seen": seen, "draw": float(np.random.random_sample()), "pid": os.getpid()}, fh)
"""

#: A zygote that never becomes ready (it sleeps instead of importing).
NEVER_READY = [sys.executable, "-c", "import time; time.sleep(600)"]


@pytest.fixture
def fresh_module_state(monkeypatch):
    """Whatever a test gives up or starts, the next test has the process's zygote as it was."""
    monkeypatch.setattr(forked, "_GIVEN_UP", None)
    monkeypatch.setattr(forked, "_ZYGOTE", None)


def kernel_process(warm):
    return warm.manager.provisioner.process


def fork(zygote, folder, **kwargs):
    """A kernel forked from ``zygote`` with a connection file ipykernel writes itself."""
    pid = zygote.fork(["-f", str(folder / "kernel.json")], dict(os.environ), str(folder), **kwargs)
    return ForkedProcess(pid)


def test_a_forked_kernel_sees_what_a_fresh_kernel_sees(tmp_path, monkeypatch):
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    (tmp_path / "matplotlibrc").write_text("lines.linewidth: 4.5\n")  # in the kernels' folder
    assert forked.zygote_for() is not None  # started before the variable below is set
    monkeypatch.setenv("CXKIT_FORK_TEST", "given")  # so it has to come with the request
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
    assert one["seen"]["marked"] == "given"
    assert one["seen"]["linewidth"] == 4.5  # the folder's matplotlibrc, as a fresh kernel reads
    # the notebooks' folder is where the kernel runs, and on its path ("": the working folder)
    assert one["seen"]["cwd"] == str(tmp_path.resolve()) and "" in one["seen"]["path"]
    assert "inline" in one["seen"]["backend"]  # pyplot's figures show in the notebook
    assert one["seen"]["parent"] and one["seen"]["session"]
    # each forked kernel has its own NumPy random state, not the zygote's copied
    assert one["draw"] != two["draw"]


def test_a_kernel_ends_when_its_zygote_does(tmp_path):
    zygote = Zygote(dict(os.environ))
    try:
        kernel = fork(zygote, tmp_path)
        with pytest.raises(subprocess.TimeoutExpired):
            kernel.wait(timeout=0.2)
        assert kernel.poll() is None
    finally:
        zygote.stop()  # the zygote ends, and the kernel sees its parent gone
    assert kernel.wait(timeout=60) == 1  # a bound on waiting (ipykernel polls each second)
    kernel.kill()  # nothing to signal any more: no error, and nobody else signalled
    with pytest.raises(ZygoteError, match="has ended"):
        fork(zygote, tmp_path)


def test_kill_ends_a_forked_kernel_and_its_group(tmp_path):
    zygote = Zygote(dict(os.environ))
    try:
        kernel = fork(zygote, tmp_path)
        time.sleep(0.5)  # let the kernel lead its own group (kill works either way)
        group = os.getpgid(kernel.pid)
        kernel.kill()
        assert kernel.wait(timeout=30) == 1
        assert _gone(kernel.pid)  # collected by the zygote: no zombie left behind
    finally:
        zygote.stop()
    assert group == kernel.pid  # the signal went to the kernel's group, which it leads


def _gone(pid: int) -> bool:
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
        with caplog.at_level(logging.WARNING, logger="cxkit.reports.provisioner"):
            seen = run(warm, probe, tmp_path, "afresh")
        assert isinstance(kernel_process(warm), subprocess.Popen)
    assert seen["seen"]["cwd"] == str(tmp_path.resolve())
    assert "Starting the kernel afresh: the kernel zygote has ended" in caplog.text
    # the next report's kernels come from a new zygote
    assert forked.zygote_for() is not warm.zygote
    assert forked.zygote_for().usable()


def test_a_zygote_never_ready_is_stopped_and_forking_given_up(tmp_path, caplog, fresh_module_state):
    zygote = Zygote(dict(os.environ), command=NEVER_READY)
    with (
        caplog.at_level(logging.WARNING, logger="cxkit.reports.forked"),
        pytest.raises(ZygoteError, match="did not answer in time"),
    ):
        fork(zygote, tmp_path, timeout=0.5)
    assert zygote.process.returncode is not None  # stopped, not left sleeping
    assert "Kernels start afresh from now on: the kernel zygote did not answer" in caplog.text
    assert not forked.supported() and forked.zygote_for() is None


def test_a_zygote_whose_imports_fail_makes_kernels_start_afresh(tmp_path, fresh_module_state):
    zygote = Zygote(dict(os.environ), command=[sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(ZygoteError, match=r"has ended \(status 3\)"):
        fork(zygote, tmp_path)
    assert forked.zygote_for() is None  # given up: not started again for every kernel


def test_a_zygote_that_cannot_start_is_given_up(monkeypatch, fresh_module_state):
    def no_process(*args, **kwargs):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.subprocess, "Popen", no_process)
    assert forked.zygote_for() is None
    assert "could not start" in forked._GIVEN_UP


def test_without_pidfds_kernels_start_afresh(monkeypatch, fresh_module_state):
    def no_pidfd(pid):
        raise OSError(errno.ENOSYS, "Function not implemented")  # Linux before 5.3

    monkeypatch.setattr(os, "pidfd_open", no_pidfd)
    assert not forked.supported()
    assert forked.zygote_for() is None


def test_the_switch_turns_forking_off(tmp_path, monkeypatch):
    monkeypatch.setenv(forked.SWITCH, "0")
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    with private_kernel() as kernel:
        warm = WarmKernel(kernel, tmp_path)
        assert warm.zygote is None
        run(warm, probe, tmp_path, "off")
        assert isinstance(kernel_process(warm), subprocess.Popen)


def test_stopping_the_report_cancels_a_kernel_waiting_for_its_zygote(tmp_path):
    """Ctrl-C while the zygote still imports: the notebook's thread ends, no kernel comes."""
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    outcome = {}
    zygote = Zygote(dict(os.environ), command=NEVER_READY)
    try:
        with private_kernel() as kernel:
            warm = WarmKernel(kernel, tmp_path)
            warm.zygote = zygote

            def notebook_thread():
                try:
                    run(warm, probe, tmp_path, "never")
                except BaseException as err:  # what the runner's thread would see
                    outcome["error"] = err

            thread = threading.Thread(target=notebook_thread)
            thread.start()
            time.sleep(1)  # the kernel's start is waiting for the zygote
            stop_kernels()  # what the report's clean-up does on an interrupt
            thread.join(timeout=30)  # a bound on waiting; START_TIMEOUT would be 300 s
            assert not thread.is_alive()
    finally:
        zygote.stop()
    assert isinstance(outcome["error"], KernelStartCancelled)
    assert not (tmp_path / "never.json").exists()


def test_a_kernel_forked_as_the_report_stops_is_killed(tmp_path, monkeypatch):
    """The reply comes just after the clean-up looked for kernels to stop: it is stopped too."""
    zygote = Zygote(dict(os.environ))
    forked_pids, original = [], Zygote.fork

    def fork_then_stop(self, *args, **kwargs):
        pid = original(self, *args, **kwargs)
        forked_pids.append(pid)
        stop_kernels()  # the clean-up, before the provisioner has recorded the kernel
        return pid

    monkeypatch.setattr(Zygote, "fork", fork_then_stop)
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    try:
        with private_kernel() as kernel:
            warm = WarmKernel(kernel, tmp_path)
            warm.zygote = zygote
            with pytest.raises(KernelStartCancelled):
                run(warm, probe, tmp_path, "late")
    finally:
        monkeypatch.undo()
        zygote.stop()
    assert forked_pids and _gone(forked_pids[0])


def test_a_zygote_ended_by_the_stopping_report_starts_no_fresh_kernel(tmp_path, monkeypatch):
    """The zygote is stopped at exit, just after the kernels: that is no reason to start afresh."""

    def ended_as_the_report_stops(self, *args, **kwargs):
        stop_kernels()
        raise ZygoteError("the kernel zygote has ended")

    monkeypatch.setattr(Zygote, "fork", ended_as_the_report_stops)
    probe = notebook(tmp_path / "seen.ipynb", SEEN)
    with private_kernel() as kernel:
        warm = WarmKernel(kernel, tmp_path)
        with pytest.raises(KernelStartCancelled):
            run(warm, probe, tmp_path, "none")
        assert warm.manager.provisioner.process is None  # nothing was launched
