"""Stopping the helper processes a report starts (kernels, the browser that prints PDFs)."""

from __future__ import annotations

import os
import signal
import subprocess

__all__ = ["kill_group"]


def kill_group(process: subprocess.Popen) -> None:
    """Kill ``process`` and, on POSIX, its process group (it leads a session of its own).

    A process that has already gone is fine; the call returns once it has been reaped (a
    kernel forked from the zygote, :class:`cxkit.reports.provisioner.ForkedProcess`: once it
    has ended; it kills its own group, and the zygote reaps it).
    """
    try:
        if os.name == "posix" and isinstance(process, subprocess.Popen):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
