"""Key-driver analysis on a scan: DuckDB sums the pairwise moments, cxkit fits from them.

:class:`cxkit.DriverAnalysis` needs only the pairwise-complete sums of :mod:`cxkit._moments`
(``N``, ``Sx``, ``Sxx``, ``Sxy`` and the pair counts), which are sums over rows: DuckDB
computes them in two passes over the validated rows (each column's mean where present, to
centre the values as :func:`cxkit._moments.pairwise_moments` does; then the sums), with the
counts for the notes on rows left out. Memory: (drivers + 1)² numbers, whatever the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit._driverdata import DriverRows, check_driver_columns, driver_rows, weight_error
from cxkit._moments import Moments, moments_from_sums
from cxkit.scan._duck import connect, grouped, name, source
from cxkit.scan._files import parts
from cxkit.scan._scan import Scan

__all__ = ["driver_moments"]


def driver_moments(
    scan: Scan, *, outcome: str, drivers: list[str], weight: str | None, missing: str
) -> tuple[Moments, DriverRows]:
    """Give the moments and row counts :class:`cxkit.DriverAnalysis` fits from.

    The rows used are those with the outcome and at least one driver (``"pairwise"``) or
    every driver (``"listwise"``), as :func:`cxkit._driverdata.driver_data` keeps them.
    """
    folder, manifest = scan._validated()
    schema = pd.DataFrame({c: pd.Series(dtype=d) for c, d in manifest["columns"].items()})
    columns = check_driver_columns(
        schema, outcome=outcome, drivers=drivers, weight=weight, missing=missing
    )
    present = [f"coalesce(isfinite(CAST({name(c)} AS DOUBLE)), false)" for c in columns]
    rated = " OR ".join(present[1:]) if missing == "pairwise" else " AND ".join(present[1:])
    keep = f"{present[0]} AND ({rated})"
    data = parts(folder)
    with connect(folder) as con:
        first = _first_pass(con, data, columns, present, keep, weight)
        if weight is not None and first["bad_weights"]:
            raise weight_error(weight, int(first["bad_weights"]), " (in the scanned rows)")
        shift = np.array([first[f"shift_{i}"] for i in range(len(columns))])
        sums = _pair_sums(con, data, columns, present, keep, weight, np.nan_to_num(shift))
    rows = driver_rows(columns, first, missing, weight)
    return moments_from_sums(*sums, np.nan_to_num(shift)), rows


def _first_pass(con, data, columns, present, keep, weight) -> pd.Series:
    """Count the rows left out and kept, each column's mean where present, and the weights."""
    some = " OR ".join(present[1:])
    every = " AND ".join(present[1:])
    select = [
        f"count(*) FILTER (WHERE NOT {present[0]}) AS without",
        f"count(*) FILTER (WHERE {present[0]} AND NOT ({some})) AS unrated",
        f"count(*) FILTER (WHERE {present[0]} AND ({some})) AS kept",
        f"count(*) FILTER (WHERE {present[0]} AND {every}) AS complete",
    ]
    for i, (column, here) in enumerate(zip(columns, present, strict=True)):
        select.append(f"avg(CAST({name(column)} AS DOUBLE)) FILTER (WHERE {keep} AND {here})")
        select[-1] += f" AS shift_{i}"
    if weight is not None:
        w = f"CAST({name(weight)} AS DOUBLE)"
        select += [
            f"count(*) FILTER (WHERE {keep} AND NOT coalesce(isfinite({w}) AND {w} >= 0, false))"
            " AS bad_weights",
            f"sum({w}) FILTER (WHERE {keep}) AS weight_sum",
            f"sum({w} * {w}) FILTER (WHERE {keep}) AS weight_sq",
        ]
    return grouped(con, data, select).iloc[0]


def _pair_sums(con, data, columns, present, keep, weight, shift) -> list[np.ndarray]:
    """Sum, per pair of columns over the rows where both are present: count, N, Sx, Sxx, Sxy.

    As matrix products in :func:`cxkit._moments.pairwise_moments`: with ``m_i`` 1 where
    column i is present (else 0), ``c_i`` its value less ``shift_i`` (0 where missing) and
    ``w`` the weight, ``N_ij = Σ w m_i m_j``, ``Sx_ij = Σ w c_i m_j``, ``Sxx_ij = Σ w c_i² m_j``
    and ``Sxy_ij = Σ w c_i c_j``; the subquery computes ``m``, ``c`` and ``w`` once per row.
    """
    p = len(columns)
    rows = [f"CAST({here} AS DOUBLE) AS m{i}" for i, here in enumerate(present)]
    rows += [
        f"CASE WHEN {here} THEN CAST({name(c)} AS DOUBLE) - {float(s)!r} ELSE 0 END AS c{i}"
        for i, (c, here, s) in enumerate(zip(columns, present, shift, strict=True))
    ]
    rows.append(f"CAST({name(weight)} AS DOUBLE) AS w" if weight is not None else "1.0 AS w")
    select = []
    for i in range(p):
        for j in range(p):
            select += [
                f"sum(m{i} * m{j})",
                f"sum(w * m{i} * m{j})",
                f"sum(w * c{i} * m{j})",
                f"sum(w * c{i} * c{i} * m{j})",
                f"sum(w * c{i} * c{j})",
            ]
    query = (
        f"SELECT {', '.join(select)} FROM (SELECT {', '.join(rows)} "
        f"FROM {source(data)} WHERE {keep})"
    )
    values = np.nan_to_num(np.array(con.execute(query).fetchone(), dtype="float64"))
    return list(values.reshape(p, p, 5).transpose(2, 0, 1))
