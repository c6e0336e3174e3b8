"""Shared by the report tests: a client config writer on the fixture notebooks."""

from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "notebooks"


def quiet(_line):
    pass


def write_config(folder: Path, **overrides) -> Path:
    spec = {
        "client": "Test client",
        "period": "2026-10",
        "language": "en",
        "redact": True,
        "output": str(folder / "out"),
        "notebooks_dir": str(FIXTURES),
        "notebooks": ["00_quick"],
        "data": {"responses": str(SAMPLES / "responses.csv")},
    }
    spec.update(overrides)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def write_notebook(path: Path, parameters: str, code: str) -> None:
    """Write a two-cell notebook: a ``parameters`` cell, then ``code``."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["kernelspec"]["language"] = "python"
    nbformat.write(nb, path)


def waiting_notebook(path: Path) -> None:
    """A notebook that writes its kernel's process id to ``ready_path``, then waits."""
    write_notebook(
        path,
        'client = "x"\nready_path = None',
        "import os, time, pathlib\n"
        "pathlib.Path(ready_path).write_text(str(os.getpid()))\n"
        "time.sleep(600)",
    )


def worker_killing_notebook(path: Path) -> None:
    """A notebook whose kernel kills the worker process (pool or Dask) running its report."""
    write_notebook(
        path,
        'client = "x"',
        "import os, signal, pathlib\n"
        "pid = os.getppid()  # the zygote, or the worker when kernels start afresh\n"
        "proc = pathlib.Path('/proc')\n"
        "while b'spawn_main' not in (proc / str(pid) / 'cmdline').read_bytes():\n"
        "    pid = int((proc / str(pid) / 'stat').read_text().rsplit(')', 1)[1].split()[1])\n"
        "os.kill(pid, signal.SIGKILL)",
    )


def dying_client(folder: Path) -> Path:
    """Write the config of "Dying client", whose one notebook kills its worker process."""
    (folder / "notebooks").mkdir()
    worker_killing_notebook(folder / "notebooks" / "97_kills.ipynb")
    return write_config(
        folder / "dies", client="Dying client", notebooks_dir=str(folder / "notebooks"),
        notebooks=["97_kills"],
    )  # fmt: skip
