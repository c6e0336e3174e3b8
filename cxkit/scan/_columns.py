"""Checks of what a metric asks of a scan's validated columns, worded as the pandas path's.

A scan knows its columns from its manifest (each one's dtype as the readers gave it), so a
missing column, a date column that holds no dates, or a frequency DuckDB cannot truncate to
is an error before any query runs, not an SQL error from inside DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from cxkit.errors import CxkitError

__all__ = ["check_columns", "check_dates", "unit"]

#: The periods DuckDB truncates dates to, by pandas frequency (pandas' weeks "W" run Monday to
#: Sunday, as DuckDB's do; other anchors, such as "W-MON" or fiscal quarters, do not match).
_UNITS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
#: The reader that gives each kind of rows, for the error about a column holding no dates.
_READERS = {
    "responses": "cx.read_responses",
    "tickets": "cx.read_tickets",
    "customers": "cx.read_customers",
    "orders": "cx.read_orders",
}


def check_columns(known: Mapping[str, str], **wanted: Iterable[str | None]) -> None:
    """Raise naming the parameter whose columns the validated rows lack.

    ``wanted`` maps each parameter (``by=[...]``, ``date=[...]``) to the columns it names;
    None is skipped.
    """
    for parameter, columns in wanted.items():
        missing = [c for c in columns if c is not None and c not in known]
        if missing:
            raise CxkitError(
                f"`{parameter}`: column(s) {missing} not found; columns are {list(known)}. "
                f"Name a column that exists, or leave out `{parameter}=`."
            )


def check_dates(known: Mapping[str, str], kind: str, *columns: str | None) -> None:
    """Raise naming a column that is not among ``known`` dates (as the pandas path does)."""
    for column in columns:
        if column is None:
            continue
        check_columns(known, date=[column])
        if not known[column].startswith("datetime64"):
            raise CxkitError(
                f"column {column!r} holds {known[column]}, not dates; read the data with "
                f"{_READERS.get(kind, 'the readers')} or name a date column."
            )


def unit(freq: str) -> str:
    """Give DuckDB's ``date_trunc`` unit for a pandas period frequency, or raise naming it."""
    for code, truncation in _UNITS.items():
        try:
            if pd.PeriodDtype(freq) == pd.PeriodDtype(code):
                return truncation
        except (TypeError, ValueError):
            break
    raise CxkitError(
        f"`freq`: a scan on DuckDB groups by calendar periods {list(_UNITS)} (weeks from Monday "
        f'to Sunday); got {freq!r}. Use one of those, or scan with engine="dask", which takes '
        "any pandas frequency."
    )
