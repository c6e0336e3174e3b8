"""The metric core imports SciPy and statsmodels where they are used, not at import.

Checked in a fresh process through ``sys.modules``, like tests/test_imports.py; the times are
in benchmarks/bench_imports.py, not asserted here.
"""

from __future__ import annotations

import pytest
from test_imports import run_fresh

STATS = ("scipy", "scipy.stats", "statsmodels")


def stats_loaded_after(code: str) -> list[str]:
    """The statistics libraries in ``sys.modules`` after ``code`` ran in a new process."""
    return run_fresh(
        f"import json, sys\n{code}\nprint(json.dumps([m for m in {STATS!r} if m in sys.modules]))"
    )


@pytest.mark.parametrize("name", ["nps", "csat", "ces", "nps_counts", "survey_metrics"])
def test_reaching_a_survey_metric_loads_no_statistics_library(name):
    assert stats_loaded_after(f"import cxkit\ncxkit.{name}") == []


def test_the_metric_core_modules_load_no_statistics_library():
    code = "import cxkit._counts, cxkit._estimates, cxkit._grouping, cxkit._periods, cxkit.survey"
    assert stats_loaded_after(code) == []


def test_an_nps_call_needs_neither_scipy_stats_nor_statsmodels():
    # z comes from scipy.special.ndtri, the function scipy.stats.norm.ppf calls
    loaded = stats_loaded_after("import cxkit\ncxkit.nps([10, 9, 3, 7])")
    assert "scipy.stats" not in loaded and "statsmodels" not in loaded


def test_a_csat_call_imports_statsmodels_for_its_interval():
    assert "statsmodels" in stats_loaded_after("import cxkit\ncxkit.csat([5, 4, 2, 1])")


def test_comparing_periods_and_holm_loads_neither_scipy_stats_nor_statsmodels():
    """The report runner's front page compares periods (normal and Welch t) and adjusts by Holm:
    scipy.special's distribution functions, no scipy.stats (~0.5 s) nor statsmodels."""
    code = (
        "import numpy as np\n"
        "from cxkit._estimates import Estimate, adjust, difference\n"
        "one = np.array([1.0, 2.0])\n"
        "normal = Estimate(one * 50, one, one / 10, one)\n"
        "welch = Estimate(one * 50, one, one / 10, one, df=one * 49)\n"
        "p = difference(normal, normal).p_value, difference(welch, welch).p_value\n"
        "adjust(np.array([0.01, 0.2, np.nan]), 'holm')"
    )
    loaded = stats_loaded_after(code)
    assert "scipy.stats" not in loaded and "statsmodels" not in loaded
