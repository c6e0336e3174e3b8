"""cxkit: customer-experience strategy toolkit.

The public API, re-exported here, is what notebooks and users call::

    import cxkit as cx
    res = cx.read_responses("export.csv", mapping="export.mapping.yml")
    res.data, res.quarantine, res.summary

``import cxkit`` is quick: each public name is imported from its home module on first use
(PEP 562), so pandas, SciPy and statsmodels load only when a function needs them.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING

from cxkit._version import __version__

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time, __getattr__ imports these
    from cxkit._counts import ScoreCounts
    from cxkit._onepass import survey_metrics
    from cxkit.channels import channel_preferences
    from cxkit.clv import clv
    from cxkit.compare import MetricTest, NPSTest, compare, metric_test, nps_test
    from cxkit.drivers import DriverAnalysis
    from cxkit.errors import (
        AmbiguousDateWarning,
        CxkitError,
        CxkitWarning,
        DataFileError,
        MappingError,
    )
    from cxkit.experiments import ExperimentResult, ab_test, diff_in_diff, pre_post
    from cxkit.followup import follow_up
    from cxkit.headline import headline_changes, headline_metrics, save_metrics
    from cxkit.hypotheses import HypothesisRegister
    from cxkit.io.client import ClientData, read_client
    from cxkit.io.mapping import Mapping, load_mapping
    from cxkit.io.readers import (
        read_customers,
        read_orders,
        read_responses,
        read_table,
        read_tickets,
    )
    from cxkit.io.result import ReadResult, ReadSummary
    from cxkit.io.schemas import JOURNEY_STAGES, SCHEMAS
    from cxkit.io.timezones import TimeZoneWarning
    from cxkit.io.validation import REASONS
    from cxkit.power import SampleSize, sample_size
    from cxkit.present import ClientTable, present
    from cxkit.prioritize import prioritize, stage_summary
    from cxkit.redact import redact
    from cxkit.retention import RetentionCurve, churn_rate, cohort_retention, retention_curve
    from cxkit.rootcause import RootCauseError, RootCauseLog
    from cxkit.scan import Scan, scan
    from cxkit.scorecard import team_scorecard
    from cxkit.service import fcr, reopen_rate, service_metrics
    from cxkit.survey import ces, csat, nps, nps_counts
    from cxkit.themes import Taxonomy, ThemeError, load_taxonomy, theme_trends, themes
    from cxkit.touchpoints import CatalogError, TouchpointCatalog, load_catalog, rating_columns
    from cxkit.verbatims import verbatims

__all__ = [
    "JOURNEY_STAGES",
    "REASONS",
    "SCHEMAS",
    "AmbiguousDateWarning",
    "CatalogError",
    "ClientData",
    "ClientTable",
    "CxkitError",
    "CxkitWarning",
    "DataFileError",
    "DriverAnalysis",
    "ExperimentResult",
    "HypothesisRegister",
    "Mapping",
    "MappingError",
    "MetricTest",
    "NPSTest",
    "ReadResult",
    "ReadSummary",
    "RetentionCurve",
    "RootCauseError",
    "RootCauseLog",
    "SampleSize",
    "Scan",
    "ScoreCounts",
    "Taxonomy",
    "ThemeError",
    "TimeZoneWarning",
    "TouchpointCatalog",
    "__version__",
    "ab_test",
    "ces",
    "channel_preferences",
    "churn_rate",
    "clv",
    "cohort_retention",
    "compare",
    "csat",
    "diff_in_diff",
    "fcr",
    "follow_up",
    "headline_changes",
    "headline_metrics",
    "load_catalog",
    "load_mapping",
    "load_taxonomy",
    "metric_test",
    "nps",
    "nps_counts",
    "nps_test",
    "plots",
    "pre_post",
    "present",
    "prioritize",
    "rating_columns",
    "read_client",
    "read_customers",
    "read_orders",
    "read_responses",
    "read_table",
    "read_tickets",
    "redact",
    "reopen_rate",
    "retention_curve",
    "sample_size",
    "save_metrics",
    "scan",
    "service_metrics",
    "stage_summary",
    "survey_metrics",
    "team_scorecard",
    "theme_trends",
    "themes",
    "verbatims",
]


#: Each public name's home module.
_HOMES = {
    "cxkit._counts": ("ScoreCounts",),
    "cxkit._onepass": ("survey_metrics",),
    "cxkit.channels": ("channel_preferences",),
    "cxkit.clv": ("clv",),
    "cxkit.compare": ("MetricTest", "NPSTest", "compare", "metric_test", "nps_test"),
    "cxkit.drivers": ("DriverAnalysis",),
    "cxkit.errors": (
        "AmbiguousDateWarning",
        "CxkitError",
        "CxkitWarning",
        "DataFileError",
        "MappingError",
    ),
    "cxkit.experiments": ("ExperimentResult", "ab_test", "diff_in_diff", "pre_post"),
    "cxkit.followup": ("follow_up",),
    "cxkit.headline": ("headline_changes", "headline_metrics", "save_metrics"),
    "cxkit.hypotheses": ("HypothesisRegister",),
    "cxkit.io.client": ("ClientData", "read_client"),
    "cxkit.io.mapping": ("Mapping", "load_mapping"),
    "cxkit.io.readers": (
        "read_customers",
        "read_orders",
        "read_responses",
        "read_table",
        "read_tickets",
    ),
    "cxkit.io.result": ("ReadResult", "ReadSummary"),
    "cxkit.io.schemas": ("JOURNEY_STAGES", "SCHEMAS"),
    "cxkit.io.timezones": ("TimeZoneWarning",),
    "cxkit.io.validation": ("REASONS",),
    "cxkit.power": ("SampleSize", "sample_size"),
    "cxkit.present": ("ClientTable", "present"),
    "cxkit.prioritize": ("prioritize", "stage_summary"),
    "cxkit.redact": ("redact",),
    "cxkit.retention": ("RetentionCurve", "churn_rate", "cohort_retention", "retention_curve"),
    "cxkit.rootcause": ("RootCauseError", "RootCauseLog"),
    "cxkit.scan": ("Scan", "scan"),
    "cxkit.scorecard": ("team_scorecard",),
    "cxkit.service": ("fcr", "reopen_rate", "service_metrics"),
    "cxkit.survey": ("ces", "csat", "nps", "nps_counts"),
    "cxkit.themes": ("Taxonomy", "ThemeError", "load_taxonomy", "theme_trends", "themes"),
    "cxkit.touchpoints": ("CatalogError", "TouchpointCatalog", "load_catalog", "rating_columns"),
    "cxkit.verbatims": ("verbatims",),
}

#: Public name -> the module it is imported from on first use.
_LAZY = {name: home for home, names in _HOMES.items() for name in names}

#: Public functions named like their own module (``cx.themes`` is the function, not the package).
_SHADOWED = frozenset(name for name, home in _LAZY.items() if home == f"{__name__}.{name}")


def __getattr__(name: str) -> object:
    """Import a public name from its home module on first use, and keep it here.

    ``cx.plots`` and other submodules (``cx.headline``) are imported on first use too.
    """
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # next time, a plain attribute: no __getattr__
        return value
    if _is_submodule(name):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_submodule(name: str) -> bool:
    """Whether ``cxkit.<name>`` is a module or subpackage that can be imported."""
    if not name.isidentifier() or name.startswith("__"):
        return False
    return importlib.util.find_spec(f"{__name__}.{name}") is not None


def __dir__() -> list[str]:
    """List the module's attributes and every public name, imported or not yet."""
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """The cxkit module, whose public functions are never replaced by same-named submodules.

    Importing a submodule sets it as an attribute of its package, so ``import cxkit.themes``
    would make ``cx.themes`` the package instead of the function :func:`cxkit.themes.themes`.
    Those settings are skipped; the function is found by :func:`__getattr__` as usual.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
