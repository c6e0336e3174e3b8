"""Plots of the baseline metrics, touchpoint priorities and tested hypotheses, seaborn-shaped.

Each function takes the table to draw as ``data``, names its columns with ``x=``, ``y=`` and
``hue=``, draws on ``ax`` (or the current Axes) and returns the Axes. No function calls
``plt.show()`` or changes global style. Labels are in English or Spanish (``lang``); every
plot uses the same colour-blind-safe palette (:data:`PALETTE`), and writes its tick labels in
the language's number format ("0,2" and "50 %" in Spanish).
"""

from cxkit.plots._style import PALETTE
from cxkit.plots.baseline import nps_by_group, nps_mix, nps_trend, response_times, retention_curves
from cxkit.plots.experiments import effects
from cxkit.plots.journey import journey_stages
from cxkit.plots.touchpoints import driver_importance, importance_performance

__all__ = [
    "PALETTE",
    "driver_importance",
    "effects",
    "importance_performance",
    "journey_stages",
    "nps_by_group",
    "nps_mix",
    "nps_trend",
    "response_times",
    "retention_curves",
]
