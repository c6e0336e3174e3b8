"""Touchpoint prioritization: importance × performance × reach, and the expected gain.

Each touchpoint is measured on its own (its ratings' mean and top-2-box, and how many rated it)
and weighed by how much it moves the overall outcome (:class:`cxkit.DriverAnalysis`), so a
client fixes first what matters most and performs worst. :func:`prioritize` gives one row per
touchpoint; :func:`stage_summary` adds them up by journey stage.

The analysis base is the respondents who answered the outcome and rated at least one
touchpoint; every column of both tables is computed on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxkit._checks import check_option
from cxkit._estimates import z_value
from cxkit._gainmodel import GainFit, fit_gain
from cxkit._grouping import check_columns
from cxkit._moments import resample_weights
from cxkit.drivers import DriverAnalysis
from cxkit.errors import CxkitError
from cxkit.io.schemas import JOURNEY_STAGES
from cxkit.survey import csat
from cxkit.touchpoints import TouchpointCatalog, load_catalog, rating_columns

__all__ = ["QUADRANTS", "prioritize", "stage_summary"]

#: Quadrants of the importance–performance matrix (Martilla & James 1977), keyed by
#: (importance at or above the cut, performance at or above the cut).
QUADRANTS = {
    (True, False): "fix first",
    (True, True): "keep up",
    (False, False): "low priority",
    (False, True): "possible overkill",
}
_SCALE = 5  # touchpoint ratings are 1-5; top-2-box is 4 and 5
#: How each survey outcome is coded for the expected gain, so that its mean is the metric.
_GAIN_CODING = {
    "nps": lambda s: np.select([s >= 9, s <= 6], [100.0, -100.0], 0.0),
    "csat": lambda s: np.where(s >= 4, 100.0, 0.0),
}


def _catalog(catalog, drivers: list[str]) -> tuple[TouchpointCatalog, list[str]]:
    if catalog is None:
        return TouchpointCatalog.default(drivers), []
    if isinstance(catalog, (str, Path)):
        catalog = load_catalog(catalog)
    return catalog.resolve(drivers)


def _names(catalog: TouchpointCatalog, drivers: list[str], lang: str) -> pd.DataFrame:
    """Give each driver its display name and stage; unknown drivers are named after the column."""
    names = catalog.table(lang).set_index("driver")
    unknown = [d for d in drivers if d not in names.index]
    if unknown:
        names = pd.concat(
            [names, TouchpointCatalog.default(unknown).table(lang).set_index("driver")]
        )
    return names


def _touchpoints(names: pd.DataFrame, drivers: list[str]) -> pd.DataFrame:
    """Start the table: each driver with its display name and stage."""
    return pd.DataFrame(
        {
            "driver": drivers,
            "touchpoint": names.loc[drivers, "touchpoint"].to_numpy(),
            "stage": names.loc[drivers, "stage"].to_numpy(),
        }
    )


def _importance(model: DriverAnalysis) -> pd.DataFrame:
    """Take the model's importance, share and interval, in the table's column names."""
    imp = model.importance_
    return pd.DataFrame(
        {
            "importance": imp["importance"].to_numpy(),
            "importance_low": imp["ci_low"].to_numpy(),
            "importance_high": imp["ci_high"].to_numpy(),
            "share": imp["share"].to_numpy(),
        }
    )


def _base(data: pd.DataFrame, outcome: str, drivers: list[str]) -> pd.DataFrame:
    """Keep the respondents who answered the outcome and rated at least one touchpoint."""
    check_columns(data, [outcome], parameter="outcome")
    check_columns(data, drivers, parameter="drivers")
    rated = data[drivers].notna().any(axis=1)
    return data[data[outcome].notna() & rated]


def _performance(base: pd.DataFrame, drivers: list[str], weight: str | None, ci: float):
    """Mean rating (with its interval) and top-2-box per touchpoint, via :func:`cxkit.csat`.

    One call on the ratings stacked into one column, grouped by touchpoint.
    """
    ratings = base[drivers].to_numpy(dtype=float)
    stacked = pd.DataFrame(
        {"driver": np.repeat(drivers, len(base)), "rating": ratings.ravel(order="F")}
    )
    if weight:
        stacked["weight"] = np.tile(base[weight].to_numpy(dtype=float), len(drivers))
    table = csat(
        stacked, score="rating", by="driver", scale=_SCALE, weight=weight and "weight", ci=ci
    )
    table = table.set_index("driver").loc[drivers].reset_index()
    z = z_value(ci)
    return pd.DataFrame(
        {
            "n": table["n"].astype(int).to_numpy(),
            "performance": table["mean"].to_numpy(),
            "performance_low": (table["mean"] - z * table["mean_se"]).to_numpy(),
            "performance_high": (table["mean"] + z * table["mean_se"]).to_numpy(),
            "top2_box": table["csat"].to_numpy(),
        }
    )


def _gain(
    base: pd.DataFrame,
    outcome: str,
    drivers: list[str],
    target: float,
    weight: str | None,
    settings: dict,
) -> dict[str, np.ndarray]:
    """``b_j · max(target − mean_j, 0) · reach_j`` and its bootstrap percentile interval.

    ``b_j`` comes from :func:`cxkit._gainmodel.fit_gain` on the outcome coded so that its
    mean is the metric (NPS: promoter 100, passive 0, detractor −100).
    """
    code = _GAIN_CODING.get(outcome)
    raw = base[outcome].to_numpy(dtype=float)
    y = code(raw) if code else raw
    ratings = base[drivers].to_numpy(dtype=float)
    present = np.isfinite(ratings).astype(float)
    values = np.where(present > 0, ratings, 0.0)
    w = base[weight].to_numpy(dtype=float) if weight else np.ones(len(base))

    def gain(fit: GainFit) -> np.ndarray:
        return fit.slope * np.clip(target - fit.mean, 0, None) * fit.reach

    point = fit_gain(y, values, present, w)
    out = {"reach": point.reach, "expected_gain": gain(point)}
    rng = np.random.default_rng(settings["random_state"])
    reps = [
        gain(fit_gain(y, values, present, weights))
        for weights in resample_weights(rng, w, len(w), settings["n_boot"])
    ]
    alpha = 100 * (1 - settings["ci"]) / 2
    low, high = (
        np.nanpercentile(np.concatenate(reps), [alpha, 100 - alpha], axis=0)
        if reps
        else np.full((2, len(drivers)), np.nan)
    )
    return {**out, "expected_gain_low": low, "expected_gain_high": high}


def _quadrants(table: pd.DataFrame) -> tuple[pd.Series, float, float]:
    """Importance–performance quadrant of each touchpoint; cuts at the touchpoints' means."""
    x_cut, y_cut = table["importance"].mean(), table["performance"].mean()
    keys = zip(table["importance"] >= x_cut, table["performance"] >= y_cut, strict=True)
    return pd.Series([QUADRANTS[k] for k in keys], index=table.index), x_cut, y_cut


def _priority(table: pd.DataFrame) -> pd.Series:
    """``100 · s_j / max s`` with ``s_j = share_j · max(gap_j, 0) · reach_j``."""
    score = table["share"].abs() * table["gap"].clip(lower=0) * table["reach"]
    top = score.max()
    return 100 * score / top if top > 0 else score * 0.0


def prioritize(
    data: pd.DataFrame,
    *,
    outcome: str = "nps",
    drivers: list[str] | None = None,
    catalog: TouchpointCatalog | str | Path | None = None,
    target: float | None = None,
    weight: str | None = None,
    method: str = "shapley",
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int | np.random.Generator | None = None,
    min_n: int = 30,
    lang: str = "en",
) -> pd.DataFrame:
    """Rank touchpoints by what to fix first: importance, performance, reach and expected gain.

    Parameters
    ----------
    data : DataFrame
        Survey responses: the outcome column and a rating column (1–5, empty where not rated)
        per touchpoint.
    outcome : str
        The overall outcome: ``"nps"`` (0–10), ``"csat"`` (1–5) or any numeric column.
    drivers : list of str, optional
        The touchpoints' rating columns; default every ``rating_*`` column.
    catalog : TouchpointCatalog or path, optional
        Display names and journey stages (``touchpoints.yml``); default the column names,
        stage "unknown".
    target : float, optional
        The rating every touchpoint is measured against (1–5); default the best touchpoint's
        mean rating.
    weight : str, optional
        Survey weights column.
    method, n_boot, ci, random_state
        As in :class:`cxkit.DriverAnalysis` (importance) — the bootstrap also gives the
        expected gain's interval.
    min_n : int
        Touchpoints rated by fewer respondents are flagged ``small_sample``.
    lang : {"en", "es"}
        Language of the touchpoint names.

    Returns
    -------
    DataFrame
        One row per touchpoint, highest priority first: ``driver, touchpoint, stage, n,
        importance, importance_low, importance_high, share, performance, performance_low,
        performance_high, top2_box, reach, gap, quadrant, priority, expected_gain,
        expected_gain_low, expected_gain_high, small_sample``. ``attrs`` holds ``target``, the
        quadrant cuts ``importance_cut`` and ``performance_cut``, ``r2``, ``n`` and ``notes``.

    Notes
    -----
    - ``importance`` is the driver's Shapley share of R² (or the chosen method's measure) in a
      model of the outcome's score (NPS 0–10) on every touchpoint's rating.
    - ``performance`` is the mean rating (weighted linearization interval), ``top2_box`` the
      percent rating 4 or 5, ``reach`` the share of the analysis base who rated it.
    - ``gap = target − performance``.
    - ``quadrant`` (importance–performance analysis, Martilla & James 1977): importance at or
      above the touchpoints' mean importance, and performance below their mean performance, is
      "fix first"; both at or above is "keep up"; both below "low priority"; low importance and
      high performance "possible overkill".
    - ``priority = 100 · s_j / max s`` with ``s_j = share_j · max(gap_j, 0) · reach_j``: what
      matters, falls short and touches many customers comes first.
    - ``expected_gain = b_j · max(target − performance_j, 0) · reach_j``: the change in the
      outcome (NPS points for NPS, percentage points for CSAT) if the touchpoint's mean rating
      rose to the target, everything else fixed, with ``b_j`` the coefficient of a linear model
      of the outcome coded so its mean is the metric (NPS: promoter 100, passive 0, detractor
      −100). It is an association in these data, not a promise: customers who rate a
      touchpoint well may differ in other ways.
    """
    check_option("lang", lang, ("en", "es"))
    drivers = list(drivers) if drivers is not None else rating_columns(data)
    if not drivers:
        raise CxkitError(
            "No touchpoint ratings: `data` has no 'rating_*' columns. Pass `drivers=[...]`, or "
            "map the export's rating questions to rating_<touchpoint> columns."
        )
    catalog, notes = _catalog(catalog, drivers)
    base = _base(data, outcome, drivers)
    settings = {"ci": ci, "n_boot": n_boot, "random_state": random_state}
    model = DriverAnalysis(method, **settings).fit(
        base, outcome=outcome, drivers=drivers, weight=weight
    )
    table = _touchpoints(_names(catalog, drivers, lang), drivers)
    table = table.join(_performance(base, drivers, weight, ci))
    table = table.join(_importance(model))
    target = float(table["performance"].max() if target is None else target)
    gain = _gain(base, outcome, drivers, target, weight, settings)
    table["reach"] = gain.pop("reach")
    table["gap"] = target - table["performance"]
    table["quadrant"], x_cut, y_cut = _quadrants(table)
    table["priority"] = _priority(table)
    table = table.assign(**gain, small_sample=table["n"] < min_n)[_COLUMNS]
    table = table.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
    table.attrs.update(
        target=target,
        importance_cut=x_cut,
        performance_cut=y_cut,
        r2=model.r2_,
        n=model.n_,
        notes=notes + model.notes_,
    )
    return table


_COLUMNS = [
    "driver", "touchpoint", "stage", "n", "importance", "importance_low", "importance_high",
    "share", "performance", "performance_low", "performance_high", "top2_box", "reach", "gap",
    "quadrant", "priority", "expected_gain", "expected_gain_low", "expected_gain_high",
    "small_sample",
]  # fmt: skip


def stage_summary(
    data: pd.DataFrame,
    *,
    priorities: pd.DataFrame,
    outcome: str = "nps",
    weight: str | None = None,
) -> pd.DataFrame:
    """Sum up touchpoints by journey stage: where in the journey the experience breaks.

    Parameters
    ----------
    data : DataFrame
        The responses :func:`prioritize` was given.
    priorities : DataFrame
        :func:`prioritize`'s table.
    outcome, weight : str
        As given to :func:`prioritize` (they set the analysis base and the weights).

    Returns
    -------
    DataFrame
        One row per stage present, in journey order (attract … advance, then unknown):
        ``stage, touchpoints, importance, share, performance, top2_box, reach, expected_gain,
        weakest``. ``importance``, ``share`` and ``expected_gain`` add up the stage's
        touchpoints (Shapley shares are additive); ``performance`` and ``top2_box`` are over
        all the stage's ratings (weighted); ``reach`` is the share of the analysis base who
        rated at least one of its touchpoints; ``weakest`` the touchpoint with the lowest mean.
    """
    drivers = priorities["driver"].tolist()
    base = _base(data, outcome, drivers)
    w = base[weight].to_numpy(float) if weight else np.ones(len(base))
    rows = []
    order = [*JOURNEY_STAGES, "unknown"]
    for stage in [s for s in order if s in set(priorities["stage"])]:
        part = priorities[priorities["stage"] == stage]
        ratings = base[part["driver"]].to_numpy(float)
        rated = ~np.isnan(ratings)
        mass = (rated * w[:, None]).sum()
        rows.append(
            {
                "stage": stage,
                "touchpoints": len(part),
                "importance": part["importance"].sum(),
                "share": part["share"].sum(),
                "performance": np.nansum(ratings * w[:, None]) / mass,
                "top2_box": 100 * ((ratings >= 4) * w[:, None]).sum() / mass,
                "reach": (rated.any(axis=1) * w).sum() / w.sum(),
                "expected_gain": part["expected_gain"].sum(),
                "weakest": part.loc[part["performance"].idxmin(), "touchpoint"],
            }
        )
    return pd.DataFrame(rows)
