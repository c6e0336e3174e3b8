"""Packaging: dependencies listed once, CI runs the README's command, the public API exists."""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

import cxkit as cx

ROOT = Path(__file__).resolve().parents[1]


def pyproject_requirements():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        reqs += extra
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in reqs}


def environment_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python", "pip")):
            name, spec = re.match(r"^([A-Za-z0-9_.-]+)(.*)$", dep).groups()
            out[name.lower()] = spec.strip()
    return out, env


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    conda, env = environment_requirements()
    assert conda == pyproject_requirements()
    pip_part = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert pip_part == ["-e ."], "environment.yml must install cxkit itself with pip"


def test_jupyterlab_is_an_extra_not_a_dependency_of_reports():
    """JupyterLab's dependencies bring jsonschema's format checkers (rfc3987-syntax), which
    compile grammars when nbformat imports jsonschema: about 0.7 s in every report run
    (benchmarks/RESULTS.md). Reports and tests do not need JupyterLab; analysts install it
    with the ``lab`` extra, and the README says so."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {Requirement(r).name.lower() for r in meta["dependencies"]}
    assert "jupyterlab" not in core and "jupyter-events" not in core
    assert [Requirement(r).name for r in meta["optional-dependencies"]["lab"]] == ["jupyterlab"]
    assert 'pip install -e ".[lab]"' in (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(python3 -m venv .*?)\n```", text)


def test_ci_runs_the_readme_test_command():
    commands = readme_commands()
    assert len(commands) == 2, "the README gives exactly two set-up commands"
    run, test = commands
    assert "cxkit report data/samples/client.yml" in run
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_public_api_is_explicit():
    assert len(cx.__all__) == len(set(cx.__all__))
    for name in cx.__all__:
        assert hasattr(cx, name), name
    assert callable(cx.read_responses) and cx.__version__


def test_layout():
    for folder in ("cxkit", "notebooks", "templates", "data/samples", "tests", "benchmarks", ".ci"):
        assert (ROOT / folder).is_dir(), folder


def test_every_subpackage_is_listed_for_the_wheel():
    """setuptools builds the wheel from ``[tool.setuptools] packages``: a subpackage missing
    there works in the editable checkout and is absent from a user's install."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(meta["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cxkit").rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"


def test_imports_do_not_reach_into_reports():
    """``import cxkit`` loads nothing from cxkit.reports (running and rendering only)."""
    code = "import sys, cxkit; print([m for m in sys.modules if m.startswith('cxkit.reports')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_wheel_installed_outside_the_checkout_makes_a_report(tmp_path):
    """Build the wheel, install it into a new venv, report on a copy of the sample client.

    The new venv borrows this environment's dependencies through a ``.pth`` line (installing
    them again would only test pip); cxkit itself must come from the wheel, so templates and
    notebooks must be inside it.
    """
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("cxkit-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    (Path(site) / "borrowed_dependencies.pth").write_text(deps + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    client = tmp_path / "client"
    shutil.copytree(ROOT / "data" / "samples", client)
    config = (client / "client.yml").read_text(encoding="utf-8")
    (client / "client.yml").write_text(config.replace("../../reports", "reports"))
    where = subprocess.run(
        [str(python), "-c", "import cxkit; print(cxkit.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(site), f"cxkit was imported from {where}, not the wheel"
    # the borrowed packages' data files (nbconvert's templates) are in this prefix's share/
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    run = subprocess.run(
        [str(venv / "bin" / "cxkit"), "report", str(client / "client.yml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert (client / "reports" / "sample-client" / "2026-10" / "index.html").is_file()


def test_the_kernel_is_installed_into_the_environment_not_the_user():
    # a user-level kernel named `cxkit` is shared by every clone: the last one installed wins
    for command in readme_commands():
        assert "ipykernel install --sys-prefix --name cxkit" in command
        assert "--user" not in command


def test_the_environments_kernels_come_before_the_users(tmp_path):
    """An old user-level `cxkit` kernel (another clone's) cannot shadow this environment's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "user")
    code = "from jupyter_core.paths import jupyter_path; print('\\n'.join(jupyter_path('kernels')))"
    found = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    ours = str(Path(sys.prefix) / "share" / "jupyter" / "kernels")
    assert found.index(ours) < found.index(str(tmp_path / "user" / "kernels"))
