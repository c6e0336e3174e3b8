"""Tests of cxkit's lazy public API: quick imports, and the same objects as before.

``import cxkit`` and ``cxkit --help`` must not load the heavy libraries (checked in a fresh
process through ``sys.modules``; the times themselves are in benchmarks/bench_imports.py, not
asserted here), and every public name must be the object its home module defines, whatever
was imported first.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import subprocess
import sys
import types

import pytest

import cxkit
import cxkit as cx

HEAVY = ("pandas", "scipy", "statsmodels", "matplotlib", "seaborn", "sklearn")

#: Public functions named like their own module: the package attribute must be the function.
SHADOWED = ("clv", "compare", "present", "prioritize", "redact", "scan", "themes", "verbatims")


def run_fresh(code: str) -> object:
    """Run ``code`` in a new Python process; return what it printed, read as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout.splitlines()[-1])


def heavy_loaded_after(code: str) -> list[str]:
    """The heavy libraries in ``sys.modules`` after ``code`` ran in a new process."""
    return run_fresh(
        f"import json, sys\n{code}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )


def test_import_cxkit_loads_no_heavy_library():
    assert heavy_loaded_after("import cxkit") == []


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        [],
        ["validate", "--help"],
        ["sample-data", "--help"],
        ["report", "--help"],
        ["batch", "--help"],
        ["new-client", "--help"],
        ["rootcause", "check", "--help"],
        ["hypotheses", "check", "--help"],
        ["hypotheses", "size", "--help"],
    ],
)
def test_cli_help_loads_no_heavy_library(args):
    code = (
        "import contextlib, io\n"
        "from cxkit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({args!r})\n"
        "    except SystemExit:\n"
        "        pass"
    )
    assert heavy_loaded_after(code) == []


@pytest.mark.parametrize("module", ["cxkit.reports.config", "cxkit.reports.run"])
def test_the_report_runner_loads_no_statistics_or_plots(module):
    """The runner's process checks the config (a theme taxonomy among it), runs the kernels and
    writes pages; the statistics run in the kernels. Importing the theme package, the register
    (statsmodels' formula API) and the headline (SciPy through retention) used to load them."""
    loaded = heavy_loaded_after(f"import {module}")
    assert loaded == ["pandas"]  # dates, periods and the metrics file are read with pandas


def test_the_first_use_of_a_metric_imports_it():
    assert "pandas" in heavy_loaded_after("import cxkit\ncxkit.nps")


def test_every_public_name_is_listed_with_its_home_module():
    assert set(cx.__all__) == set(cx._LAZY) | {"__version__", "plots"}


def test_type_checkers_see_the_same_names_and_homes():
    tree = ast.parse(inspect.getsource(cxkit))
    block = next(n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.dump(n))
    seen = {a.name: n.module for n in block.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert seen == cx._LAZY


@pytest.mark.parametrize("name", sorted(set(cx.__all__) - {"__version__", "plots"}))
def test_every_public_name_is_its_home_modules_object(name):
    home = cx._LAZY[name]
    value = getattr(cx, name)
    assert value is getattr(importlib.import_module(home), name)
    if isinstance(value, types.FunctionType | type):  # defined in (a private part of) its home
        assert value.__module__ == home or value.__module__.startswith(f"{home}.")


def test_public_names_import_with_from():
    from cxkit import nps, themes

    assert nps is importlib.import_module("cxkit.survey").nps
    assert themes is importlib.import_module("cxkit.themes._themes").themes


def test_version_is_set_at_import():
    assert "__version__" in vars(cxkit)
    assert cx.__version__ == importlib.import_module("cxkit._version").__version__


def test_plots_is_the_subpackage():
    assert cx.plots is importlib.import_module("cxkit.plots")
    assert callable(cx.plots.nps_trend)


def test_other_submodules_are_reached_as_attributes():
    assert cx.headline is importlib.import_module("cxkit.headline")


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'cxkit' has no attribute 'npss'"):
        cx.npss  # noqa: B018


def test_dir_lists_the_public_names():
    assert set(cx.__all__) <= set(dir(cx))
    assert "__all__" in dir(cx)


@pytest.mark.parametrize(
    "first",
    [
        "",
        "import cxkit.themes",
        "from cxkit.themes import load_taxonomy",
        "import cxkit.themes._themes",
        "import cxkit.sections.themes",
        "import cxkit as cx\ncx.load_taxonomy\nimport cxkit.themes",
    ],
    ids=["alone", "package", "from-package", "private-module", "sections", "after-another-name"],
)
def test_themes_is_the_function_whatever_was_imported_first(first):
    code = (
        f"import json\n{first}\n"
        "import cxkit as cx\n"
        "from cxkit.themes._themes import themes\n"
        "before = cx.themes is themes\n"
        "import cxkit.themes, cxkit.sections.themes\n"
        "print(json.dumps([before, cx.themes is themes]))"
    )
    assert run_fresh(code) == [True, True]


def test_every_function_named_like_its_module_stays_the_function():
    assert set(SHADOWED) == cx._SHADOWED
    code = (
        "import importlib, json\n"
        f"names = {SHADOWED!r}\n"
        "modules = [importlib.import_module(f'cxkit.{name}') for name in names]\n"
        "import cxkit as cx\n"
        "print(json.dumps([getattr(cx, n) is getattr(m, n) for n, m in zip(names, modules)]))"
    )
    assert run_fresh(code) == [True] * len(SHADOWED)


def test_a_shadowed_name_can_still_be_patched(monkeypatch):
    monkeypatch.setattr(cxkit, "redact", "patched")
    assert cx.redact == "patched"
