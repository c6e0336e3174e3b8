"""Aggregates of a scan's validated rows per group (and period), as the pandas path groups.

The metrics beyond the surveys (:mod:`cxkit.scan._tickets`, :mod:`cxkit.scan._customers`)
ask DuckDB for SQL aggregates per ``by`` group and calendar period; this module builds the
keys, keeps one period's rows, and gives the table back with the group columns as the pandas
path has them (:func:`cxkit._grouping.group_frame`): categories in the readers' order, a
``period`` column of pandas periods, groups sorted, missing values a group of their own, last.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxkit._grouping import by_names, sort_groups, to_period
from cxkit.scan._columns import check_columns, check_dates, unit
from cxkit.scan._duck import connect, grouped, inside, name, period_rows, truncated, wall_time
from cxkit.scan._files import parts
from cxkit.scan._scan import Scan, _as_read, _some_rows_in

__all__ = ["aggregate", "columns"]


def columns(scan: Scan) -> dict[str, str]:
    """Give the validated rows' columns and their dtypes (validating the files if needed)."""
    return scan._validated()[1]["columns"]


def aggregate(
    scan: Scan,
    select: Sequence[str],
    *,
    by: str | Sequence[str] | None,
    freq: str | None = None,
    period: pd.Period | None = None,
    date: str,
    required: Sequence[str] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Run the SQL aggregates ``select`` per ``by`` group (and ``freq`` period of ``date``).

    Parameters
    ----------
    select : sequence of str
        SQL aggregates with their names (``"count(*) AS tickets"``).
    by, freq, date
        As for the pandas metrics; the periods go into a column ``period``.
    period : pandas.Period, optional
        Only the rows whose ``date`` falls in it; none at all is an error, as in pandas.
    required : sequence of str
        Columns the metric needs (reported as ``data``'s, as the pandas path does).

    Returns
    -------
    (DataFrame, list of str)
        The group columns, then the aggregates, one row per observed group, sorted; and the
        group columns' names.
    """
    folder, manifest = scan._validated()
    names = by_names(by)
    dated = freq is not None or period is not None
    check_columns(manifest["columns"], data=required, by=names)
    if dated:
        check_dates(manifest["columns"], manifest["kind"], date)
    data = parts(folder)
    wall = wall_time(data, date) if dated else None
    keys = [name(c) for c in names]
    if freq is not None:
        keys.append(f"{truncated(wall, unit(freq))} AS period")
    with connect(folder) as con:
        where = inside(wall, period) if period is not None else None
        table = grouped(con, data, [*keys, *select, "count(*) AS _rows"], where)
        if period is not None and not table["_rows"].sum():
            _some_rows_in(period_rows(con, data, date, period), period, date)
    table = table.drop(columns="_rows")
    for column in names:
        table[column] = _as_read(table[column], manifest, column)
    if freq is not None:
        table["period"] = to_period(pd.to_datetime(table["period"]), freq)
        names.append("period")
    return sort_groups(table, names), names
