"""Period history: every report run's metrics, in one SQLite file per client.

Re-running a period replaces that period's rows (no duplicates); a run is stored in one
transaction, so a failure stores nothing partial.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from cxkit.headline import COLUMNS

_VALUES = [c for c in COLUMNS if c != "period"]  # the period is a key of its own here

__all__ = ["History", "same_granularity"]


def same_granularity(periods: pd.Series, period: pd.Period) -> pd.Series:
    """Mark the stored period names (``"2026-10"``, ``"2026Q4"``) of ``period``'s granularity."""
    code = period.freqstr[:1]
    kind = periods.astype(str).map(lambda p: "Q" if "Q" in p else "M" if "-" in p else "Y")
    return kind == code


_SCHEMA = """
CREATE TABLE IF NOT EXISTS metrics (
    client TEXT NOT NULL, period TEXT NOT NULL, period_start TEXT NOT NULL,
    metric TEXT NOT NULL, "group" TEXT NOT NULL, value REAL, se REAL, ci_low REAL,
    ci_high REAL, n INTEGER, small_sample INTEGER, run_id TEXT NOT NULL, stored_at TEXT NOT NULL,
    PRIMARY KEY (client, period, metric, "group")
)
"""


class History:
    """The metrics history of the clients whose reports share one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def store(self, client: str, period: pd.Period, metrics: pd.DataFrame, run_id: str) -> None:
        """Replace ``period``'s metrics for ``client`` with ``metrics``, atomically."""
        rows = metrics.reindex(columns=_VALUES).assign(
            client=client,
            period=str(period),
            period_start=str(period.start_time.date()),
            run_id=run_id,
            stored_at=pd.Timestamp.now("UTC").isoformat(),
        )
        records = [
            tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row)
            for row in rows[
                ["client", "period", "period_start", *_VALUES, "run_id", "stored_at"]
            ].itertuples(index=False)  # a few dozen rows per period
        ]
        with self._connect() as db:  # commits on success, rolls back on error
            db.execute("DELETE FROM metrics WHERE client = ? AND period = ?", (client, str(period)))
            db.executemany(f"INSERT INTO metrics VALUES ({', '.join('?' * 13)})", records)

    def load(self, client: str) -> pd.DataFrame:
        """All stored metrics of ``client``, oldest period first."""
        with self._connect() as db:
            return pd.read_sql_query(
                'SELECT * FROM metrics WHERE client = ? ORDER BY period_start, metric, "group"',
                db,
                params=(client,),
            )

    def previous(self, client: str, period: pd.Period) -> tuple[str | None, pd.DataFrame]:
        """Return the latest stored period before ``period`` and its metrics (or None, empty).

        Only periods of the same granularity count: a month is compared with a month, never
        with a stored quarter or year.
        """
        stored = self.load(client)
        stored = stored[same_granularity(stored["period"], period)]
        earlier = stored[stored["period_start"] < str(period.start_time.date())]
        if earlier.empty:
            return None, stored.iloc[0:0]
        last = earlier["period"].iloc[-1]
        return last, earlier[earlier["period"] == last].reset_index(drop=True)
