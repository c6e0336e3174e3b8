"""Checks and arrays for key-driver analysis: one outcome, numeric drivers, optional weights.

Every problem is an error that names the column (and rows) and the fix; nothing is dropped
without a count. Rows without the outcome cannot inform the model and are left out with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxkit._checks import check_option
from cxkit._grouping import check_columns
from cxkit._moments import Moments
from cxkit.errors import CxkitError

__all__ = [
    "DriverData",
    "DriverRows",
    "check_driver_columns",
    "check_moments",
    "driver_data",
    "driver_matrix",
    "driver_rows",
    "kept_rows",
    "left_out",
    "row_notes",
    "weight_error",
]

MAX_SHOWN = 5


@dataclass(frozen=True)
class DriverData:
    """The model's arrays: column 0 is the outcome, columns 1..k the drivers."""

    values: np.ndarray  # (n, k + 1), 0 where missing
    present: np.ndarray  # (n, k + 1), 1.0 where present
    weights: np.ndarray | None  # (n,)
    columns: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """The rows used."""
        return int(self.present.shape[0])

    @property
    def kish(self) -> float:
        """Kish's effective sample size per row, ``(Σw)² / Σw² / n`` (1 without weights)."""
        if self.weights is None:
            return 1.0
        w = self.weights
        return _kish(w.sum(), (w**2).sum(), len(w))


@dataclass(frozen=True)
class DriverRows:
    """What a fit needs of its rows when they are not in memory (a scan): counts only."""

    columns: list[str]
    rows: int
    kish: float
    notes: list[str] = field(default_factory=list)


def _check_numeric(series: pd.Series, column: str, role: str) -> None:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        found = series.dropna().astype(str).unique()[:3].tolist()
        such = f" such as {found}" if found else ""  # a scan's check sees no values
        raise CxkitError(
            f"{role} {column!r} must hold numbers; found {series.dtype} values{such}. "
            "Map its text labels to scores with a column mapping (templates/mapping.yml, "
            "`labels:`), or convert the column before fitting."
        )


def _numeric(data: pd.DataFrame, column: str, role: str) -> np.ndarray:
    _check_numeric(data[column], column, role)
    return data[column].to_numpy(dtype="float64", na_value=np.nan)


def weight_error(weight: str, bad: int, where: str = "") -> CxkitError:
    """Word the error for ``bad`` rows with the outcome whose weight is missing or negative."""
    return CxkitError(
        f"`{weight}`: {bad:,} row(s) with the outcome have a missing or negative weight"
        f"{where}. Give every response a weight, or leave out `weight=`."
    )


def _weights(data: pd.DataFrame, weight: str | None, rows: np.ndarray) -> np.ndarray | None:
    if weight is None:
        return None
    check_columns(data, [weight], parameter="weight")
    w = _numeric(data, weight, "Weight column")[rows]
    bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
    if len(bad):
        shown = ", ".join(str(i) for i in data.index[rows][bad][:MAX_SHOWN])
        raise weight_error(weight, len(bad), f" (index {shown})")
    return w


def check_driver_columns(
    data: pd.DataFrame, *, outcome: str, drivers: list[str], weight: str | None, missing: str
) -> list[str]:
    """Check the model's columns (``data`` may be an empty frame of the columns' dtypes).

    Returns the columns in the model's order: the outcome, then the drivers.
    """
    check_option("missing", missing, ("pairwise", "listwise"))
    if isinstance(drivers, str) or not len(drivers):
        raise CxkitError(f"`drivers` must be a list of column names; got {drivers!r}.")
    if outcome in drivers or len(set(drivers)) < len(drivers):
        raise CxkitError("`drivers` must be distinct columns other than the `outcome`.")
    check_columns(data, [outcome], parameter="outcome")
    check_columns(data, drivers, parameter="drivers")
    _check_numeric(data[outcome], outcome, "Outcome column")
    for column in drivers:
        _check_numeric(data[column], column, "Driver column")
    if weight is not None:
        check_columns(data, [weight], parameter="weight")
        _check_numeric(data[weight], weight, "Weight column")
    return [outcome, *drivers]


def left_out(outcome: str, without: int, unrated: int, listwise: tuple[int, int] | None) -> list:
    """Word the notes on rows left out: without the outcome, rating no driver, listwise.

    ``without``: rows without the outcome; ``unrated``: rows with it that rate no driver;
    ``listwise``: (rows rating every driver, rows with the outcome and some driver).
    """
    notes = []
    if without:
        notes.append(f"{without:,} rows without {outcome!r} were left out.")
    if unrated:
        notes.append(
            f"{unrated:,} rows with {outcome!r} rate none of the drivers and were left out."
        )
    if listwise is not None:
        complete, kept = listwise
        notes.append(
            f"Listwise: {complete:,} of {kept:,} rows rate every driver; "
            f"the other {kept - complete:,} were left out."
        )
    return notes


def driver_matrix(data: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Give the model's columns as floats (NaN where missing) and where they are present."""
    matrix = np.column_stack([data[c].to_numpy(dtype="float64", na_value=np.nan) for c in columns])
    return matrix, np.isfinite(matrix)


def kept_rows(present: np.ndarray, missing: str) -> tuple[np.ndarray, dict[str, int]]:
    """Tell which rows the model uses, and count the rows left out and kept.

    Rows with the outcome (column 0) and some driver (``"pairwise"``) or every driver
    (``"listwise"``). The counts, for :func:`row_notes`: ``without`` (no outcome),
    ``unrated`` (the outcome and no driver), ``kept`` (the outcome and some driver) and
    ``complete`` (the outcome and every driver); additive over parts of the rows.
    """
    keep = present[:, 0] & present[:, 1:].any(axis=1)
    complete = keep & present.all(axis=1)
    counts = {
        "without": int((~present[:, 0]).sum()),
        "unrated": int((present[:, 0] & ~keep).sum()),
        "kept": int(keep.sum()),
        "complete": int(complete.sum()),
    }
    return (complete if missing == "listwise" else keep), counts


def driver_rows(columns: list[str], counts, missing: str, weight: str | None) -> DriverRows:
    """Build :class:`DriverRows` from counts summed over the rows (a scan's, by any engine).

    ``counts``: :func:`kept_rows`' counts, and with ``weight`` the kept rows' ``weight_sum``
    and ``weight_sq`` (Σw, Σw²), for the Kish factor :attr:`DriverData.kish` gives.
    """
    rows = int(counts["complete" if missing == "listwise" else "kept"])
    kish = 1.0
    if weight is not None and counts["weight_sq"]:
        kish = _kish(counts["weight_sum"], counts["weight_sq"], rows)
    return DriverRows(columns, rows, kish, row_notes(columns[0], counts, missing))


def _kish(weight_sum: float, weight_sq: float, rows: int) -> float:
    """Kish's effective sample size per row: ``(Σw)² / Σw² / n``."""
    return float(weight_sum**2 / weight_sq / rows)


def row_notes(outcome: str, counts, missing: str) -> list[str]:
    """Word :func:`kept_rows`' counts (a mapping, summed over parts or not) as the notes."""
    listwise = (int(counts["complete"]), int(counts["kept"])) if missing == "listwise" else None
    return left_out(outcome, int(counts["without"]), int(counts["unrated"]), listwise)


def driver_data(
    data: pd.DataFrame, *, outcome: str, drivers: list[str], weight: str | None, missing: str
) -> DriverData:
    """Check the columns and build the arrays (rows with the outcome; listwise if asked)."""
    columns = check_driver_columns(
        data, outcome=outcome, drivers=drivers, weight=weight, missing=missing
    )
    matrix, present = driver_matrix(data, columns)
    keep, counts = kept_rows(present, missing)
    weights = _weights(data, weight, keep)
    return DriverData(
        values=np.where(present[keep], matrix[keep], 0.0),
        present=present[keep].astype("float64"),
        weights=weights,
        columns=columns,
        notes=row_notes(outcome, counts, missing),
    )


def check_moments(moments: Moments, columns: list[str], *, missing: str) -> None:
    """Raise a clear error for a column without variance or a pair too thin to correlate."""
    k = len(columns) - 1
    for i, column in enumerate(columns):
        if not moments.sd[i] > 0:
            count = moments.count[i, i]
            seen = "no values" if count == 0 else f"{count:,} values, all equal"
            raise CxkitError(
                f"{column!r} has no variance ({seen} among the rows used): it cannot explain or be "
                f"explained. Leave it out of `drivers`."
            )
    need = k + 2
    if moments.count[0, 0] < need:
        raise CxkitError(
            f"Only {moments.count[0, 0]:,} usable rows for {k} drivers; the model needs at least "
            f"drivers + 2 = {need}. Use fewer drivers or more responses"
            + (", or missing='pairwise'." if missing == "listwise" else ".")
        )
    thin = np.argwhere(np.triu(moments.count < 3) | np.triu(~np.isfinite(moments.corr)))
    if len(thin):
        i, j = thin[0]
        raise CxkitError(
            f"Only {moments.count[i, j]:,} rows have both {columns[i]!r} and {columns[j]!r} (or "
            "they do not vary together), so they cannot be correlated. Leave one of them out of "
            "`drivers`, or merge rare touchpoints."
        )
