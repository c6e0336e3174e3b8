"""cxkit: customer-experience strategy toolkit.

The public API, re-exported here, is what notebooks and users call::

    import cxkit as cx
    res = cx.read_responses("export.csv", mapping="export.mapping.yml")
    res.data, res.quarantine, res.summary
"""

from __future__ import annotations

from cxkit._counts import ScoreCounts
from cxkit._version import __version__
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
from cxkit.io.readers import read_customers, read_orders, read_responses, read_table, read_tickets
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
    "service_metrics",
    "stage_summary",
    "team_scorecard",
    "theme_trends",
    "themes",
    "verbatims",
]


def __getattr__(name: str):
    """Import ``cxkit.plots`` (matplotlib, seaborn) on first use, not at ``import cxkit``."""
    if name == "plots":
        import importlib

        return importlib.import_module("cxkit.plots")
    raise AttributeError(f"module 'cxkit' has no attribute {name!r}")
