"""Key-driver analysis: how much each driver (a touchpoint's rating) moves an outcome.

:class:`DriverAnalysis` fits in the lifelines/scikit-learn style: settings in the constructor,
``fit(data, outcome=..., drivers=...)`` returns the model, fitted results end in ``_``.
Everything is computed from the correlation matrix of the outcome and the drivers
(:mod:`cxkit._moments`), so the exact all-subsets Shapley decomposition never re-reads the data,
and a bootstrap replicate costs a few matrix products.
"""

from __future__ import annotations

import numbers
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.correlation_tools import corr_nearest
from statsmodels.tools.sm_exceptions import IterationLimitWarning

from cxkit import _importance
from cxkit._checks import check_option, dask_frame_of, is_dask_frame, is_scan
from cxkit._driverdata import DriverData, DriverRows, check_moments, driver_data
from cxkit._estimates import z_value
from cxkit._moments import Moments, pairwise_moments, resample_weights, resampled_correlations
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["METHODS", "DriverAnalysis"]

#: The importance measures :class:`DriverAnalysis` offers.
METHODS = ("shapley", "relative_weights", "regression", "correlation")
MAX_SHAPLEY = 20  # exact Shapley fits 2^k − 1 subsets: about 0.3 s at 20 drivers, 100k rows
_PSD_TOLERANCE = -1e-10
# Smallest eigenvalue of a repaired correlation matrix. Clipping a sparse pairwise matrix at
# ~0 leaves it nearly singular, and the R² of its subsets near 1 (on the sample client's month,
# bootstrap R² averaged 0.90 against 0.64); at 0.05 resamples average the point R² (0.66).
_CLIP = 0.05
_BATCH_SUBSETS = 2**23  # replicate × subset values per batch of the Shapley bootstrap


class DriverAnalysis(SummaryRepr):
    """Relative importance of drivers for an outcome, with bootstrap intervals.

    Parameters
    ----------
    method : {"shapley", "relative_weights", "regression", "correlation"}
        - ``"shapley"``: the exact Shapley/LMG decomposition of R² over all driver subsets
          (relaimpo's ``lmg``); up to 20 drivers.
        - ``"relative_weights"``: Johnson's (2000) relative weights; they sum to R².
        - ``"regression"``: standardized OLS coefficients ``β = R_xx⁻¹ r_xy``.
        - ``"correlation"``: each driver's Pearson correlation with the outcome.
    ci : float
        Confidence level of the intervals.
    n_boot : int
        Bootstrap resamples of respondents. ``0`` gives no bootstrap: then ``regression`` and
        ``correlation`` keep their textbook intervals (t for OLS, Fisher z for r) and
        ``shapley`` and ``relative_weights`` have none.
    random_state : int or numpy Generator, optional
        Seed of the bootstrap, for reproducible intervals.

    Attributes
    ----------
    importance_ : DataFrame
        ``driver, importance, share, ci_low, ci_high, rank, n``: ``importance`` is the share of
        R² (shapley, relative_weights), the standardized coefficient (regression) or the
        correlation (correlation); ``share`` is ``|importance| / Σ|importance|`` and sums to 1;
        ``rank`` 1 is the most important; ``n`` the rows with both the outcome and the driver.
    r2_ : float
        R² of the outcome on all drivers.
    n_ : int
        Rows used: with the outcome and at least one driver (pairwise), or every driver (listwise).
    coef_ : Series
        Unstandardized coefficients (outcome units per driver unit): ``β_j · sd_y / sd_j``.
    notes_ : list of str
        What the analyst should know: rows left out, a corrected correlation matrix, failed
        bootstrap resamples.

    Notes
    -----
    With ``missing="pairwise"`` each correlation uses the rows where both columns are present,
    so a sparse ratings table keeps all its data. Such a matrix can fail to be positive
    semi-definite; it is then replaced by the nearest correlation matrix (Higham 2002, via
    ``statsmodels.stats.correlation_tools.corr_nearest``) and ``notes_`` says so.
    Bootstrap resamples respondents with replacement (their survey weights travel with them)
    and gives percentile intervals (Efron & Tibshirani 1993, ch. 13).

    Examples
    --------
    >>> model = cx.DriverAnalysis(n_boot=500, random_state=1).fit(
    ...     responses, outcome="nps", drivers=["rating_support", "rating_billing"])
    >>> model.importance_
    """

    def __init__(
        self,
        method: str = "shapley",
        *,
        ci: float = 0.95,
        n_boot: int = 1000,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self.method = check_option("method", method, METHODS)
        z_value(ci)  # checks 0 < ci < 1
        whole = isinstance(n_boot, numbers.Real) and float(n_boot).is_integer()
        if isinstance(n_boot, bool) or not whole or n_boot < 0:
            raise CxkitError(f"`n_boot` must be a whole number ≥ 0; got {n_boot!r}.")
        self.ci, self.n_boot, self.random_state = ci, int(n_boot), random_state

    def fit(
        self,
        data: pd.DataFrame,
        *,
        outcome: str,
        drivers: list[str],
        weight: str | None = None,
        missing: str = "pairwise",
    ) -> DriverAnalysis:
        """Fit the model on ``data``; return ``self``.

        Parameters
        ----------
        data : DataFrame or Scan
            One row per respondent; or a :func:`cxkit.scan` of exports too large for
            memory, whose pairwise moments DuckDB sums (the same fit, with ``n_boot=0``);
            or a ``dask.dataframe.DataFrame`` (or a scan with ``engine="dask"``), whose
            pairwise sums are computed per partition by the pandas code and added (the
            same fit, with ``n_boot=0``; memory for (drivers + 1)² sums, not the rows).
        outcome : str
            The numeric outcome column (e.g. an NPS score, or its ±100 promoter coding).
        drivers : list of str
            Numeric driver columns (e.g. ratings 1–5, empty where not rated).
        weight : str, optional
            Survey weights column.
        missing : {"pairwise", "listwise"}
            Correlate each pair over the rows where both are present (default), or use only
            the rows that rate every driver.
        """
        if isinstance(drivers, str):  # list("ab") would fit columns "a" and "b"
            raise CxkitError(f"`drivers` must be a list of column names; got {drivers!r}.")
        if self.method == "shapley" and len(drivers) > MAX_SHAPLEY:
            raise CxkitError(
                f"Exact Shapley importance takes at most {MAX_SHAPLEY} drivers (it solves 2^k "
                f"regressions); got {len(drivers)}. Use method='relative_weights', which "
                "ranks drivers much the same way at any number of drivers, or group drivers."
            )
        prepared, moments = self._moments_of(data, outcome, list(drivers), weight, missing)
        check_moments(moments, prepared.columns, missing=missing)
        self.notes_ = list(prepared.notes)
        corr = self._positive(moments.corr, prepared.columns)
        self.outcome_, self.drivers_, self.missing_ = outcome, list(drivers), missing
        self.n_ = prepared.rows
        self.r2_ = float(_importance.r_squared(corr))
        self.coef_ = pd.Series(
            _importance.regression(corr) * moments.sd[0] / moments.sd[1:], index=self.drivers_
        )
        self._moments = moments
        point = self._measure(corr[None])[0]
        low, high = self._intervals(prepared, corr, moments)
        self.importance_ = self._table(point, low, high, moments)
        return self

    # -- computing -------------------------------------------------------------------------

    def _moments_of(
        self, data, outcome: str, drivers: list[str], weight: str | None, missing: str
    ) -> tuple[DriverData | DriverRows, Moments]:
        """Check the columns and compute the pairwise moments: from the rows, dask or DuckDB."""
        if not is_scan(data) and not is_dask_frame(data):
            prepared = driver_data(
                data, outcome=outcome, drivers=drivers, weight=weight, missing=missing
            )
            return prepared, pairwise_moments(prepared.values, prepared.present, prepared.weights)
        if self.n_boot:
            raise CxkitError(
                "A cx.scan or a dask frame is fitted from its correlation matrix, summed by "
                "DuckDB or dask without holding the rows, so its respondents cannot be "
                f"resampled (n_boot={self.n_boot}). Pass n_boot=0: regression and correlation "
                "keep their textbook intervals; shapley and relative_weights then have none."
            )
        options = {"outcome": outcome, "drivers": drivers, "weight": weight, "missing": missing}
        rows = dask_frame_of(data)
        if rows is not None:  # a dask frame, or a scan on the dask engine
            from cxkit.scan._dask_drivers import driver_moments as dask_moments

            moments, counted = dask_moments(rows, **options)
        else:
            from cxkit.scan._drivers import driver_moments

            moments, counted = driver_moments(data, **options)
        return counted, moments

    def _positive(self, corr: np.ndarray, columns: list[str]) -> np.ndarray:
        """Return ``corr``, or the nearest correlation matrix if it is not positive semidefinite."""
        values = np.linalg.eigvalsh(corr)
        if values[0] >= _PSD_TOLERANCE:
            _check_collinear(corr, columns)
            return corr
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IterationLimitWarning)
            fixed = corr_nearest(corr, threshold=_CLIP, n_fact=100)
        self.notes_.append(
            "The pairwise correlation matrix was not positive semi-definite (smallest "
            f"eigenvalue {values[0]:.2g}); the nearest correlation matrix was used (Higham 2002)."
        )
        return fixed

    def _measure(self, corr: np.ndarray) -> np.ndarray:
        """Compute the method's importance for a stack of correlation matrices, in batches."""
        if self.method == "correlation":
            return corr[:, 1:, 0]
        if self.method == "regression":
            return _importance.regression(corr)
        if self.method == "relative_weights":
            return _importance.relative_weights(corr)
        step = max(1, _BATCH_SUBSETS // 2 ** (corr.shape[-1] - 1))
        return np.concatenate(
            [_importance.shapley(corr[i : i + step]) for i in range(0, len(corr), step)]
        )

    def _intervals(
        self, prepared: DriverData, corr: np.ndarray, moments: Moments
    ) -> tuple[np.ndarray, np.ndarray]:
        k = corr.shape[0] - 1
        if self.n_boot:
            self._boot = self._bootstrap(prepared)
            alpha = 100 * (1 - self.ci) / 2
            low, high = np.percentile(self._boot["importance"], [alpha, 100 - alpha], axis=0)
            return low, high
        self._boot = None
        if self.method == "correlation":
            return _fisher(corr[1:, 0], _kish(moments.count[0, 1:], prepared), self.ci)
        if self.method == "regression":
            n = _kish(moments.count.min(), prepared)
            return _ols_interval(corr, n, self.ci)
        return np.full(k, np.nan), np.full(k, np.nan)

    def _bootstrap(self, prepared: DriverData) -> dict[str, np.ndarray]:
        """Resample respondents ``n_boot`` times; the importance of each resample."""
        rng = np.random.default_rng(self.random_state)
        n = prepared.values.shape[0]
        parts = [
            resampled_correlations(prepared.values, prepared.present, w)
            for w in resample_weights(rng, prepared.weights, n, self.n_boot)
        ]
        corr = np.concatenate([c for c, _ in parts])
        usable, smallest = _usable(corr, np.concatenate([sd for _, sd in parts]))
        if usable.sum() < max(2, self.n_boot // 2):
            raise CxkitError(
                f"Only {usable.sum()} of {self.n_boot} bootstrap resamples were usable: "
                "the ratings are too sparse. Use fewer drivers or n_boot=0."
            )
        stack, bad = corr[usable], smallest[usable] < _PSD_TOLERANCE
        self._note_resamples(int((~usable).sum()), int(bad.sum()))
        stack[bad] = _clip_eigenvalues(stack[bad], _CLIP)
        return {"importance": self._measure(stack)}

    def _note_resamples(self, failed: int, repaired: int) -> None:
        if failed:
            self.notes_.append(
                f"{failed:,} of {self.n_boot:,} bootstrap resamples could not be used (a pair "
                "of columns without overlap or variance, or collinear drivers) and were left out "
                "of the intervals."
            )
        if repaired:
            self.notes_.append(
                f"{repaired:,} of {self.n_boot:,} bootstrap resamples gave a pairwise correlation "
                "matrix that is not positive semi-definite (few respondents rate some pairs of "
                "touchpoints); their eigenvalues were clipped at 0.05 (Higham 2002), which adds "
                "noise to the intervals."
            )

    def _table(
        self, point: np.ndarray, low: np.ndarray, high: np.ndarray, moments: Moments
    ) -> pd.DataFrame:
        size = np.abs(point)
        order = (-size).argsort(kind="stable")
        rank = np.empty(len(point), dtype=int)
        rank[order] = np.arange(1, len(point) + 1)
        return pd.DataFrame(
            {
                "driver": self.drivers_,
                "importance": point,
                "share": size / size.sum() if size.sum() > 0 else np.nan,
                "ci_low": low,
                "ci_high": high,
                "rank": rank,
                "n": moments.count[0, 1:],
            }
        )

    # -- showing ---------------------------------------------------------------------------

    @property
    def summary(self) -> pd.DataFrame:
        """The importance table, most important first."""
        self._check_fitted()
        return self.importance_.sort_values("rank").reset_index(drop=True)

    def _caption(self) -> str:
        return (
            f"{_LABELS[self.method]} of {len(self.drivers_)} drivers of {self.outcome_!r}: "
            f"R² = {self.r2_:.3f}, n = {self.n_:,} ({self.missing_})"
        )

    def __repr__(self) -> str:
        if not hasattr(self, "importance_"):
            return f"DriverAnalysis(method={self.method!r}, n_boot={self.n_boot}) (not fitted)"
        notes = "".join(f"\n{note}" for note in self.notes_)
        return f"{self._caption()}\n{self.summary.to_string(index=False)}{notes}"

    def _repr_html_(self) -> str:
        if not hasattr(self, "importance_"):
            return f"<p>{self!r}</p>"
        import html

        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes_)
        return f"<p><b>{html.escape(self._caption())}</b></p>{super()._repr_html_()}{notes}"

    def plot(self, ax: Axes | None = None, lang: str = "en") -> Axes:
        """Bars of importance with their intervals (:func:`cxkit.plots.driver_importance`)."""
        from cxkit import plots

        self._check_fitted()
        return plots.driver_importance(self.importance_, y="driver", ax=ax, lang=lang)

    def _check_fitted(self) -> None:
        if not hasattr(self, "importance_"):
            raise CxkitError("This DriverAnalysis is not fitted yet: call .fit(data, ...) first.")


_LABELS = {
    "shapley": "Shapley (LMG) importance",
    "relative_weights": "Relative weights",
    "regression": "Standardized coefficients",
    "correlation": "Correlations",
}


def _kish(count: np.ndarray | int, prepared: DriverData | DriverRows) -> np.ndarray:
    """Scale counts by Kish's design effect of the weights, ``n_eff = (Σw)² / Σw²``."""
    return np.asarray(count, dtype=float) * prepared.kish


def _fisher(r: np.ndarray, n: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Fisher z interval of a correlation: ``tanh(atanh r ± z / sqrt(n − 3))``."""
    half = z_value(ci) / np.sqrt(np.clip(n - 3, 1e-9, None))
    return np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half)


def _ols_interval(corr: np.ndarray, n: float, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Student-t interval of standardized OLS coefficients.

    ``se_j² = (1 − R²) / (n − k − 1) · (R_xx⁻¹)_jj``: the OLS standard error of a coefficient
    when outcome and drivers are standardized (equal to statsmodels' on z-scored data).
    """
    k = corr.shape[0] - 1
    df = n - k - 1
    beta = _importance.regression(corr)
    se = np.sqrt((1 - _importance.r_squared(corr)) / df * np.diag(np.linalg.inv(corr[1:, 1:])))
    t = stats.t.ppf(0.5 + ci / 2, df)
    return beta - t * se, beta + t * se


def _usable(corr: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which resampled correlation matrices can be used, and each one's smallest eigenvalue.

    A resample is left out when a pair of columns has no overlap or no variance (a correlation
    or a standard deviation that is not finite and positive), or when its drivers are collinear
    while the matrix is positive semi-definite: it lost the rows that tell two drivers apart.
    A matrix that is not positive semi-definite is repaired instead. ``smallest`` is NaN for
    the matrices not usable for the first reason.
    """
    usable = np.isfinite(corr).all(axis=(1, 2)) & (sd > 0).all(axis=1)
    smallest = np.full(len(corr), np.nan)
    smallest[usable] = np.linalg.eigvalsh(corr[usable])[:, 0]
    drivers = np.linalg.eigvalsh(corr[usable][:, 1:, 1:])[:, 0]
    usable[usable] = ~((drivers <= 1e-8) & (smallest[usable] >= _PSD_TOLERANCE))
    return usable, smallest


def _clip_eigenvalues(stack: np.ndarray, threshold: float) -> np.ndarray:
    """Raise each matrix's eigenvalues below ``threshold`` to it; back to a unit diagonal.

    ``R' = Q max(Λ, t) Qᵀ``, then ``R'_ij / sqrt(R'_ii R'_jj)``: statsmodels'
    ``corr_clipped`` (Higham 2002) for a stack of matrices that each have an eigenvalue
    below ``t``, in one batched eigendecomposition instead of one call per matrix.
    """
    values, vectors = np.linalg.eigh(stack)
    fixed = (vectors * np.maximum(values, threshold)[..., None, :]) @ np.swapaxes(vectors, -1, -2)
    sd = np.sqrt(np.diagonal(fixed, axis1=-2, axis2=-1))
    return fixed / sd[..., None, :] / sd[..., :, None]


def _check_collinear(corr: np.ndarray, columns: list[str]) -> None:
    values, vectors = np.linalg.eigh(corr[1:, 1:])
    if values[0] > 1e-8:
        return
    involved = [columns[1 + i] for i in np.flatnonzero(np.abs(vectors[:, 0]) > 0.1)]
    raise CxkitError(
        f"Drivers {involved} are collinear (one is a combination of the others), so their "
        "importance cannot be told apart. Leave one of them out of `drivers`."
    )
