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

__all__ = ["DriverData", "check_moments", "driver_data"]

MAX_SHOWN = 5


@dataclass(frozen=True)
class DriverData:
    """The model's arrays: column 0 is the outcome, columns 1..k the drivers."""

    values: np.ndarray  # (n, k + 1), 0 where missing
    present: np.ndarray  # (n, k + 1), 1.0 where present
    weights: np.ndarray | None  # (n,)
    columns: list[str]
    notes: list[str] = field(default_factory=list)


def _numeric(data: pd.DataFrame, column: str, role: str) -> np.ndarray:
    series = data[column]
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        found = series.dropna().astype(str).unique()[:3].tolist()
        raise CxkitError(
            f"{role} {column!r} must hold numbers; found {series.dtype} values such as {found}. "
            "Map its text labels to scores with a column mapping (templates/mapping.yml, "
            "`labels:`), or convert the column before fitting."
        )
    return series.to_numpy(dtype="float64", na_value=np.nan)


def _weights(data: pd.DataFrame, weight: str | None, rows: np.ndarray) -> np.ndarray | None:
    if weight is None:
        return None
    check_columns(data, [weight], parameter="weight")
    w = _numeric(data, weight, "Weight column")[rows]
    bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
    if len(bad):
        shown = ", ".join(str(i) for i in data.index[rows][bad][:MAX_SHOWN])
        raise CxkitError(
            f"`{weight}`: {len(bad):,} row(s) with the outcome have a missing or negative weight "
            f"(index {shown}). Give every response a weight, or leave out `weight=`."
        )
    return w


def driver_data(
    data: pd.DataFrame, *, outcome: str, drivers: list[str], weight: str | None, missing: str
) -> DriverData:
    """Check the columns and build the arrays (rows with the outcome; listwise if asked)."""
    check_option("missing", missing, ("pairwise", "listwise"))
    if isinstance(drivers, str) or not len(drivers):
        raise CxkitError(f"`drivers` must be a list of column names; got {drivers!r}.")
    if outcome in drivers or len(set(drivers)) < len(drivers):
        raise CxkitError("`drivers` must be distinct columns other than the `outcome`.")
    check_columns(data, [outcome], parameter="outcome")
    check_columns(data, drivers, parameter="drivers")
    columns = [outcome, *drivers]
    matrix = np.column_stack(
        [_numeric(data, outcome, "Outcome column")]
        + [_numeric(data, c, "Driver column") for c in drivers]
    )
    present = np.isfinite(matrix)
    keep = present[:, 0] & present[:, 1:].any(axis=1)
    notes = []
    if (~present[:, 0]).any():
        notes.append(f"{(~present[:, 0]).sum():,} rows without {outcome!r} were left out.")
    if (present[:, 0] & ~keep).any():
        notes.append(
            f"{(present[:, 0] & ~keep).sum():,} rows with {outcome!r} rate none of the drivers "
            "and were left out."
        )
    if missing == "listwise":
        complete = keep & present.all(axis=1)
        notes.append(
            f"Listwise: {complete.sum():,} of {keep.sum():,} rows rate every driver; "
            f"the other {(keep & ~complete).sum():,} were left out."
        )
        keep = complete
    weights = _weights(data, weight, keep)
    return DriverData(
        values=np.where(present[keep], matrix[keep], 0.0),
        present=present[keep].astype("float64"),
        weights=weights,
        columns=columns,
        notes=notes,
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
