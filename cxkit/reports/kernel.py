"""A Jupyter kernel that is certainly this Python: named explicitly, found first.

A user-level ``python3`` or ``cxkit`` kernelspec may point at another environment. The report
runner (and the tests) use a private kernelspec whose ``argv`` is ``sys.executable``, written
to a folder of its own that is put first on ``JUPYTER_PATH``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["KERNEL_NAME", "ensure_kernel"]

KERNEL_NAME = "cxkit-runner"


def ensure_kernel(root: Path | None = None) -> str:
    """Write the kernelspec (once per process) and put its folder first on JUPYTER_PATH.

    Returns the kernel name to pass to papermill.
    """
    root = Path(root or Path(tempfile.gettempdir()) / f"cxkit-jupyter-{os.getpid()}")
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "cxkit (this Python)", "language": "python"})
    )
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if str(root) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), *[p for p in paths if p]])
    return KERNEL_NAME
