"""One face for every result: the metric table's shape, and result objects' ``summary``.

Every metric function returns :func:`metric_table`'s shape. Result objects (a two-sample
test, a retention curve, a read) subclass :class:`SummaryRepr` and define ``summary``; Jupyter
then shows that table as HTML with every value escaped, and ``repr`` is its text form.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["METRIC_COLUMNS", "SummaryRepr", "metric_table"]

#: The columns every metric table has after its group columns; ``value`` is named after the
#: metric (``nps``, ``csat``, ``churn_rate``, ...).
METRIC_COLUMNS = ("n", "value", "se", "ci_low", "ci_high", "small_sample")


class SummaryRepr:
    """Mixin: ``_repr_html_`` and ``__repr__`` from the subclass's ``summary`` DataFrame.

    A subclass gives ``summary`` as a field or a property.
    """

    summary: pd.DataFrame

    def __repr__(self) -> str:
        return f"{type(self).__name__}\n{self.summary.to_string(index=False)}"

    def _repr_html_(self) -> str:
        return self.summary.to_html(
            index=False, escape=True, float_format=lambda v: f"{v:.4g}", na_rep=""
        )


def metric_table(
    groups: pd.DataFrame,
    metric: str,
    estimate: dict[str, np.ndarray],
    min_n: int,
    extra: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Assemble the one shape of every metric table.

    Group columns, then ``n``, the value column named ``metric``, ``se``, ``ci_low``,
    ``ci_high``, ``small_sample`` (``n < min_n``), then the metric's own extra columns.
    ``estimate`` holds ``n, value, se, ci_low, ci_high``.
    """
    groups = groups.reset_index(drop=True)
    columns = {name: groups[name] for name in groups.columns}
    columns |= {"n": estimate["n"], metric: estimate["value"]}
    columns |= {name: estimate[name] for name in ("se", "ci_low", "ci_high")}
    columns["small_sample"] = np.asarray(estimate["n"]) < min_n
    columns |= extra or {}
    return pd.DataFrame(columns, index=groups.index)  # built at once: inserting is slow
