"""A Python that has imported what kernels need, and forks a kernel for each request.

Starting a kernel costs about two seconds of CPU before it runs a cell: the interpreter,
IPython and ipykernel, then pandas, matplotlib, seaborn and cxkit (:data:`PRELOAD`). A batch
paid that for every client. This process pays it once: it imports all of that, then waits
for requests on a pipe; each request (a kernel's arguments, environment and working folder)
makes a forked child that becomes the kernel. The zygote itself never runs a notebook, so
every kernel starts from the same imported state, and clients stay isolated: each kernel is a
process of its own, in a session of its own, with its own random state.

Run as ``python -m cxkit.reports.zygote READ_FD WRITE_FD`` by
:class:`cxkit.reports.forked.Zygote`: requests are JSON lines read from ``READ_FD``; replies
are JSON lines written to ``WRITE_FD`` (``{"ready": pid}`` once, then ``{"pid": pid}`` or
``{"error": why}`` per request). The zygote ends when the request pipe closes or its runner
kills it; its kernels then see their parent gone and end too (ipykernel's parent poller).

Notes
-----
The pattern is Android's Zygote and the forkserver of :mod:`multiprocessing`; it needs
``fork``, so it is used on Linux only. What a forked kernel can see that differs from one
started with ``python -m ipykernel_launcher``: the process's command line in ``/proc``, the
parent process (the zygote), the string-hash seed (shared by the kernels of one zygote), and
other settings read when a library is imported (the zygote's environment is the runner's;
matplotlib's settings file is read again for the kernel's folder). The zygote forks with a
thread or two of OpenBLAS and Arrow's allocator running; both libraries prepare for a fork,
and Python 3.12's warning about it is silenced here.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib.util
import json
import os
import signal
import sys
import tempfile
import traceback
import warnings

__all__ = ["main"]

#: The settings file matplotlib read in the zygote (see :func:`_read_settings_file`).
_MATPLOTLIBRC = ""
#: What a kernel started with ``python -m ipykernel_launcher`` has as ``sys.argv[0]``.
_LAUNCHER = importlib.util.find_spec("ipykernel_launcher").origin

#: What every cxkit notebook imports first (pandas, matplotlib and seaborn through the plots,
#: SciPy's statistics through seaborn): about 1.3 s, imported by the zygote once, or by a new
#: kernel before it is ready (:data:`cxkit.reports.warm.KERNEL_ARGUMENTS`).
PRELOAD = ("pandas", "cxkit", "cxkit.plots", "cxkit.sections")


def main(argv: list[str] | None = None) -> None:
    """Import the kernel's modules, then fork a kernel for each request until the pipe closes."""
    global _MATPLOTLIBRC
    read_fd, write_fd = (int(a) for a in (argv if argv is not None else sys.argv[1:]))
    # matplotlib reads its backend when imported: the one ipykernel would set (IPKernelApp's
    # init_gui_pylab), so that pyplot's figures show inline in the kernels
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher does: the
        del sys.path[0]  # kernel's folder comes back first with IPython's own set-up
    for module in ("ipykernel.kernelapp", *PRELOAD):
        __import__(module)
    _MATPLOTLIBRC = sys.modules["matplotlib"].matplotlib_fname()
    gc.freeze()  # the modules' objects: out of every later collection, here and in the kernels
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides; it closes the pipe
    with os.fdopen(read_fd, "r") as requests, os.fdopen(write_fd, "w") as replies:
        _reply(replies, {"ready": os.getpid()})
        for line in requests:
            request = json.loads(line)
            try:
                with warnings.catch_warnings():  # Python 3.12+ warns of forking with threads
                    warnings.simplefilter("ignore", DeprecationWarning)  # (see the notes)
                    pid = os.fork()
            except OSError as err:  # e.g. the user's process limit: the runner starts afresh
                _reply(replies, {"error": str(err)})
                continue
            if pid == 0:
                _become_kernel(request, (read_fd, write_fd))
            _reply(replies, {"pid": pid})


def _reply(replies, message: dict[str, object]) -> None:
    replies.write(json.dumps(message) + "\n")
    replies.flush()


def _reap(_signum: int, _frame: object) -> None:
    """Collect every kernel that has ended, so that none is left a zombie."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _become_kernel(request: dict[str, object], pipes: tuple[int, int]) -> None:
    """In the forked child: become the kernel the request describes; never returns."""
    code = 1
    try:
        parent = _settle(request, pipes)
        sys.argv = [_LAUNCHER, *request["argv"]]
        from ipykernel.kernelapp import launch_new_instance

        # ipykernel read JPY_PARENT_PID when the zygote imported it: given as an argument
        launch_new_instance(argv=[*request["argv"], f"--IPKernelApp.parent_handle={parent}"])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _settle(request: dict[str, object], pipes: tuple[int, int]) -> int:
    """Make this forked child the process jupyter_client would have started; give its parent.

    A session of its own; no pipe to the runner, standard input from the null device; the
    signals' default handling; the request's environment, working folder and thread counts;
    its own random state. The parent is the zygote: the kernel ends when it does.
    """
    os.setsid()
    for fd in pipes:
        os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for signum in (signal.SIGCHLD, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    zygote_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(request["env"])
    parent = os.getppid()
    os.environ["JPY_PARENT_PID"] = str(parent)
    if request.get("cwd"):
        os.chdir(request["cwd"])
    _limit_threads(request["env"], zygote_env)
    _read_settings_file()
    tempfile.tempdir = None  # found again from the kernel's TMPDIR
    _fresh_random_state()
    return parent


#: Each thread pool's API (threadpoolctl's names) and the variables it reads when loaded.
_THREAD_SETTINGS = {
    "openblas": ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"),
    "mkl": ("MKL_NUM_THREADS", "OMP_NUM_THREADS"),
    "openmp": ("OMP_NUM_THREADS",),
}


def _limit_threads(env: dict[str, str], zygote_env: dict[str, str]) -> None:
    """Give the kernel the linear-algebra thread counts its environment asks for.

    The libraries read them when loaded, in the zygote; where the kernel's environment asks
    for another count, it is set in the loaded library with threadpoolctl. (Libraries loaded
    later read the kernel's environment themselves.)
    """

    def wanted(settings: dict[str, str], names: tuple[str, ...]) -> str | None:
        return next((settings[n] for n in names if settings.get(n)), None)

    limits = {
        api: int(count)
        for api, names in _THREAD_SETTINGS.items()
        if (count := wanted(env, names)) not in (None, wanted(zygote_env, names))
        and count.isdigit()
    }
    if limits:
        from threadpoolctl import ThreadpoolController

        pools = ThreadpoolController()
        for api, count in limits.items():
            pools.select(internal_api=api).limit(limits=count)


def _read_settings_file() -> None:
    """Read the ``matplotlibrc`` a kernel started here would read, if not the zygote's.

    matplotlib reads the first of ``./matplotlibrc``, ``$MATPLOTLIBRC`` and the user's file
    when imported: in the zygote's folder and environment, not the kernel's.
    """
    matplotlib = sys.modules["matplotlib"]
    wanted = matplotlib.matplotlib_fname()
    if wanted != _MATPLOTLIBRC:
        matplotlib.rc_file(wanted)  # over matplotlib's defaults, the backend left as it is


def _fresh_random_state() -> None:
    """Seed NumPy's global generator anew: forked kernels would otherwise all share one state.

    (Python's :mod:`random` reseeds itself in a forked child.)
    """
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


if __name__ == "__main__":
    main()
