"""The DuckDB queries of a scan: score counts per group and day, and ids repeated across files.

DuckDB runs embedded (no server), over the validated Parquet parts, with a memory limit and a
spill folder beside them, so a query's memory is bounded whatever the rows: the counts' by the
number of groups × periods × score values, the repeats' by the limit (DuckDB spills its hash
tables to disk beyond it; 300M ids: 38 s, 1.07 GB, see benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

__all__ = [
    "connect",
    "day_counts",
    "grouped",
    "inside",
    "later_repeats",
    "literal",
    "name",
    "period_rows",
    "source",
    "truncated",
    "wall_time",
]

#: DuckDB's memory limit for a scan's queries (it spills beyond it).
MEMORY_LIMIT = "1GB"


@contextmanager
def connect(folder: Path) -> Iterator[object]:
    """Open an in-memory DuckDB connection whose spill files go to ``folder``/.spill."""
    import duckdb

    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    try:
        con.execute(f"SET temp_directory = {literal(str(folder / '.spill'))}")
        con.execute("SET preserve_insertion_order = false")
        yield con
    finally:
        con.close()


def day_counts(
    con,
    parts: list[Path],
    *,
    score: str,
    by: Sequence[str],
    weight: str | None,
    date: str | None = None,
    unit: str | None = None,
    within: pd.Period | None = None,
) -> pd.DataFrame:
    """Count each answered ``score`` value per ``by`` group (and ``unit`` of ``date``).

    ``unit`` ("day", "week", "month", "quarter", "year") truncates ``date`` into a column
    ``_day`` (the unit's first day: a Monday for weeks); ``within`` keeps the rows dated in
    that period. Returns the ``by`` columns, ``_day``, ``score``, ``n`` and, with ``weight``,
    ``weight_sum``, ``weight_sq_sum`` and ``weight_bad`` (scored rows whose weight is missing
    or negative).
    """
    keys = [name(c) for c in by]
    wall = wall_time(parts, date) if unit is not None or within is not None else None
    if unit is not None:
        keys.append(f"{truncated(wall, unit)} AS _day")
    keys.append(f"{name(score)} AS score")
    sums = ["count(*) AS n"]
    if weight is not None:
        w = name(weight)
        sums += [
            f"sum({w}) AS weight_sum",
            f"sum({w} * {w}) AS weight_sq_sum",
            f"count(*) FILTER (WHERE {w} IS NULL OR isnan({w}) OR {w} < 0) AS weight_bad",
        ]
    where = f"{name(score)} IS NOT NULL"
    if within is not None:
        where += f" AND {inside(wall, within)}"
    return grouped(con, parts, [*keys, *sums], where)


def grouped(
    con, parts: list[Path], select: Sequence[str], where: str | None = None
) -> pd.DataFrame:
    """Run ``SELECT select FROM parts [WHERE where] GROUP BY ALL`` and give it as a frame.

    ``select`` are SQL expressions: the group keys (any without an aggregate) and the
    aggregates; without keys, one row of aggregates over all rows.
    """
    query = f"SELECT {', '.join(select)} FROM {source(parts)}"
    if where:
        query += f" WHERE {where}"
    return con.execute(query + " GROUP BY ALL").df()


def truncated(wall: str, unit: str) -> str:
    """Write the SQL truncating the date ``wall`` (:func:`wall_time`) to its unit's first day."""
    return f"CAST(date_trunc({literal(unit)}, {wall}) AS DATE)"


def inside(wall: str, period: pd.Period) -> str:
    """Write the SQL test that the date ``wall`` falls in ``period`` (before the next's start)."""
    start, stop = (literal(str(p.start_time)) for p in (period, period + 1))
    return f"{wall} >= TIMESTAMP {start} AND {wall} < TIMESTAMP {stop}"


def period_rows(con, parts: list[Path], date: str, period: pd.Period) -> tuple[int, object, object]:
    """Rows dated in ``period`` (scored or not), and the first and last date of all rows."""
    wall = wall_time(parts, date)
    query = (
        f"SELECT count(*) FILTER (WHERE {inside(wall, period)}), min({wall}), "
        f"max({wall}) FROM {source(parts)}"
    )
    return con.execute(query).fetchone()


def later_repeats(con, parts: list[Path], unique: str) -> pd.DataFrame:
    """Every occurrence of a ``unique`` id after its first (in file, then row order).

    Returns ``_file``, ``_row`` of the repeat and ``first_file``, ``first_row`` of the first.
    Two passes, so that memory stays within DuckDB's limit however many ids there are: the
    64-bit hashes seen more than once (a fixed-width aggregate, which DuckDB spills to disk),
    then the rows with those hashes, ordered within each id (hash collisions included there
    and told apart by the id itself).
    """
    u, rows = name(unique), source(parts)
    query = f"""
        WITH suspects AS (
            SELECT hash({u}) AS h FROM {rows} GROUP BY h HAVING count(*) > 1
        ), rows AS (
            SELECT _file, _row,
                   row_number() OVER w AS k,
                   first_value(_file) OVER w AS first_file,
                   first_value(_row) OVER w AS first_row
            FROM {rows} WHERE hash({u}) IN (SELECT h FROM suspects)
            WINDOW w AS (PARTITION BY {u} ORDER BY _file, _row)
        )
        SELECT _file, _row, first_file, first_row FROM rows WHERE k > 1
    """
    return con.execute(query).df()


def source(parts: list[Path]) -> str:
    """Read the parts, by name (no glob: a folder may hold ``[``), columns matched by name.

    Files of one scan need not have the same columns (a question added in a later month):
    a column a part lacks reads as empty there.
    """
    names = ", ".join(literal(str(p)) for p in parts)
    return f"read_parquet([{names}], union_by_name = true)"


def wall_time(parts: list[Path], date: str) -> str:
    """``date`` as local wall time: time-zone aware timestamps in their own zone, as pandas."""
    zone = None
    for part in parts:
        schema = pq.read_schema(part)
        if date in schema.names:
            zone = getattr(schema.field(date).type, "tz", None)
            break
    return f"timezone({literal(zone)}, {name(date)})" if zone else name(date)


def name(column: str) -> str:
    """Quote a column name as an SQL identifier."""
    return '"' + column.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Quote a string as an SQL literal."""
    return "'" + text.replace("'", "''") + "'"
