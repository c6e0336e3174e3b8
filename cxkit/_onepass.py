"""Several survey metrics on the same rows, with their group key built once.

:func:`cxkit.nps`, :func:`cxkit.csat` and :func:`cxkit.ces` each select the period's rows and
build the rows' group codes (the ``by`` columns and the period of each date) before counting
their own score column. :func:`survey_metrics` does that once and counts every score column
against the same codes, then computes each table with the same code as the separate call, so
its tables are identical to theirs.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit._checks import check_option, dask_frame_of, is_scan
from cxkit._grouping import GroupKey, group_key
from cxkit._periods import resolve, select_period
from cxkit.errors import CxkitError

if TYPE_CHECKING:
    from cxkit.scan import Scan
from cxkit.survey import (
    By,
    ces,
    ces_counts,
    count_scores,
    csat,
    csat_counts,
    nps,
    nps_counts,
    weight_values,
)

__all__ = ["survey_metrics"]

#: Each metric: its function (whose keyword defaults are the options' defaults), the table
#: it computes from counts, and its scale's lowest score.
_METRICS: dict[str, tuple[Callable, Callable, int]] = {
    "nps": (nps, nps_counts, 0),
    "csat": (csat, csat_counts, 1),
    "ces": (ces, ces_counts, 1),
}
#: Options that define the rows and groups: shared by every metric of one call.
_SHARED = ("by", "freq", "period", "date", "weight")


def survey_metrics(
    data: pd.DataFrame | Scan,
    *,
    metrics: Sequence[str] | Mapping[str, Mapping[str, object]] = ("nps", "csat", "ces"),
    by: By = None,
    freq: str | None = None,
    period: str | pd.Period | None = None,
    date: str = "responded_at",
    weight: str | None = None,
    ci: float = 0.95,
    min_n: int = 30,
) -> dict[str, pd.DataFrame]:
    """Compute NPS, CSAT and CES (or some of them) on the same rows in one pass.

    Parameters
    ----------
    data : DataFrame, Scan or dask DataFrame
        Responses, with one column per metric's scores; or a :func:`cxkit.scan` (each
        metric's counts then come from its engine); or a ``dask.dataframe.DataFrame`` of
        responses (every metric counted per partition by the pandas code, in one pass).
    metrics : sequence of str, or mapping of str to dict
        The metrics, among "nps", "csat" and "ces", in the order wanted; or a mapping from
        each metric to its own options, the keyword arguments of :func:`cxkit.nps`,
        :func:`cxkit.csat` or :func:`cxkit.ces` other than the shared ones below (``score``,
        ``scale``, ``top_box``, ``method``, ``ci``, ``min_n``), e.g.
        ``{"nps": {"method": "wald"}, "csat": {"scale": 10, "top_box": 3}}``.
    by, freq, period, date, weight
        As in :func:`cxkit.nps`; shared by every metric (they define the rows and groups).
    ci : float
        Confidence level, unless a metric's options give its own.
    min_n : int
        Groups with fewer responses are flagged ``small_sample``, unless a metric's options
        give its own.

    Returns
    -------
    dict of str to DataFrame
        One table per metric, keyed by its name: the very table ``cx.nps``, ``cx.csat`` or
        ``cx.ces`` returns with the same arguments (columns in their docstrings). A group
        with no answer to one metric has no row in that metric's table only.

    Notes
    -----
    The rows of ``period`` are selected once and each row's group code (the ``by`` columns
    combined in mixed radix with the period of ``date``) is computed once
    (:func:`cxkit._grouping.group_key`); each metric then counts its score values per code
    (one ``numpy.bincount``) and computes its estimates and intervals from those counts
    exactly as its own function does.

    Examples
    --------
    >>> import pandas as pd
    >>> import cxkit as cx
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8], "csat": [5, 4, 2, None], "ces": [7, 6, 2, 5]})
    >>> tables = cx.survey_metrics(df, metrics={"nps": {}, "csat": {"top_box": 1}})
    >>> float(tables["nps"]["nps"].iloc[0]), round(float(tables["csat"]["csat"].iloc[0]), 1)
    (25.0, 33.3)
    """
    options = _options(metrics, ci=ci, min_n=min_n)
    freq, period = resolve(freq, period, function="survey_metrics")
    rows = dask_frame_of(data)
    if rows is not None:  # every metric counted per partition in one pass, then summed
        shared = {"by": by, "freq": freq, "period": period, "date": date, "weight": weight}
        return _dask_tables(rows, shared, options)
    if is_scan(data):  # a cx.scan: counts from DuckDB
        shared = {"by": by, "freq": freq, "period": period, "date": date, "weight": weight}
        return {name: _scan_table(name, data, shared, opts) for name, opts in options.items()}
    frame = select_period(_check_frame(data, options), period, date=date)
    key = group_key(frame, by=by, freq=freq, date=date)
    weights = weight_values(frame, weight)
    return {name: _table(name, frame, key, weights, weight, opts) for name, opts in options.items()}


def _options(
    metrics: Sequence[str] | Mapping[str, Mapping[str, object]], *, ci: float, min_n: int
) -> dict[str, dict[str, object]]:
    """Each metric's options, its own over ``ci``/``min_n`` over its function's defaults."""
    given = dict(metrics) if isinstance(metrics, Mapping) else {m: {} for m in metrics}
    if isinstance(metrics, str) or not given:
        raise CxkitError(
            f"`metrics` must name one or more of 'nps', 'csat', 'ces' (a list, or a dict of "
            f"each metric's options); got {metrics!r}."
        )
    out = {}
    for name, own in given.items():
        check_option("metrics", name, _METRICS)
        allowed = _own_options(name)
        unknown = sorted(set(own) - set(allowed))
        if unknown:
            raise CxkitError(
                f"`metrics`: {name} takes the options {', '.join(allowed)}; got {unknown}. "
                f"{', '.join(_SHARED)} are shared: pass them to survey_metrics itself."
            )
        out[name] = {**allowed, "ci": ci, "min_n": min_n, **own}
    return out


def _own_options(name: str) -> dict[str, object]:
    """List a metric's options (its function's keywords but the shared ones), with defaults."""
    params = inspect.signature(_METRICS[name][0]).parameters.values()
    return {p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY and p.name not in _SHARED}


def _check_frame(data: pd.DataFrame, options: dict[str, dict[str, object]]) -> pd.DataFrame:
    """Raise unless ``data`` is a DataFrame holding every metric's score column."""
    if not isinstance(data, pd.DataFrame):
        raise CxkitError(
            f"survey_metrics takes a DataFrame of responses; got {type(data).__name__}. "
            "For one column of scores, call cx.nps, cx.csat or cx.ces."
        )
    for name, opts in options.items():
        if opts["score"] not in data.columns:
            raise CxkitError(
                f"column {opts['score']!r} (the {name} scores) not found; columns are "
                f"{list(data.columns)}. Pass metrics={{{name!r}: {{'score': '<your column>'}}}}."
            )
    return data


def _scan_table(
    name: str, data: object, shared: dict[str, object], opts: dict[str, object]
) -> pd.DataFrame:
    """Compute one metric's table on a :func:`cxkit.scan` (counts from DuckDB)."""
    from_counts, low, high, rest = _scale(name, opts)
    counts = data.score_counts(
        score=opts["score"], low=low, high=high, function="survey_metrics", **shared
    )
    return from_counts(counts, **rest)


def _dask_tables(
    rows: object, shared: dict[str, object], options: dict[str, dict[str, object]]
) -> dict[str, pd.DataFrame]:
    """Compute every metric's table on a dask frame: their counts in one pass over it."""
    from cxkit.scan._dask import survey_score_counts

    _check_frame(rows._meta, options)  # the pandas path's errors, from the empty meta
    scales = {name: _scale(name, opts) for name, opts in options.items()}
    counts = survey_score_counts(
        rows,
        {name: (options[name]["score"], low, high) for name, (_, low, high, _) in scales.items()},
        **shared,
    )
    return {name: f(counts[name], **rest) for name, (f, _, _, rest) in scales.items()}


def _scale(name: str, opts: dict[str, object]) -> tuple[object, int, int, dict[str, object]]:
    """Give a metric's function from counts, its scale's ends and its options for it."""
    _, from_counts, low = _METRICS[name]
    high = 10 if name == "nps" else opts["scale"]
    return from_counts, low, high, {k: v for k, v in opts.items() if k not in ("score", "scale")}


def _table(
    name: str,
    frame: pd.DataFrame,
    key: GroupKey,
    weights: np.ndarray | None,
    weight: str | None,
    opts: dict[str, object],
) -> pd.DataFrame:
    """Count one metric's scores against the shared key and compute its table."""
    from_counts, low, high, rest = _scale(name, opts)
    counts = count_scores(
        frame, key, score=opts["score"], low=low, high=high, weights=weights, weight=weight
    )
    return from_counts(counts, **rest)
