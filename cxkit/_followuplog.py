"""Read a follow-up log (CSV or YAML) into entries, and check them against the responses.

A log has one entry per call attempt: ``response_id, who, when, outcome``. File-level problems
(missing file, not UTF-8, a missing column, invalid YAML) raise :class:`DataFileError`; bad
*entries* are quarantined with a reason, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from cxkit._yamlfile import read_yaml
from cxkit.errors import CxkitError, DataFileError

__all__ = ["LOG_COLUMNS", "REASONS", "check_entries", "read_log"]

#: The log's columns (CSV) or keys (YAML); ``response_id`` and ``when`` are required.
LOG_COLUMNS = ("response_id", "who", "when", "outcome")
_REQUIRED = ("response_id", "when")
#: Quarantine reason code -> what it means and how to fix it.
REASONS = {
    "missing_response_id": "no response_id: add the id of the survey response that was called",
    "unknown_response": "response_id not in the responses: check the id, or the responses file",
    "no_call_needed": "the response is not a detractor (NPS 0-6) or CSAT 1-2: check the id",
    "missing_date": "no `when`: add the date of the call (YYYY-MM-DD or YYYY-MM-DD HH:MM)",
    "bad_date": "`when` is not a date: write it as YYYY-MM-DD or YYYY-MM-DD HH:MM",
    "before_response": "`when` is before the response was given: check the date or the id",
}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_FIX_COLUMNS = (
    "The log needs the columns response_id and when (who and outcome are optional); rename "
    "the file's columns or add them."
)


def read_log(log: str | Path | pd.DataFrame | None) -> pd.DataFrame:
    """Read the log into entries: ``row`` (file row or YAML entry), the four columns, as text.

    CSV rows are numbered as in a spreadsheet (the header is row 1), YAML entries from 1, and
    a DataFrame's rows by its index.
    """
    if log is None:
        return pd.DataFrame(columns=["row", *LOG_COLUMNS])
    if isinstance(log, pd.DataFrame):
        return _entries(log.copy(), "the `log` DataFrame", rows=list(log.index))
    path = Path(log)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _entries(_read_csv(path), f"Follow-up log {str(path)!r}", first_row=2)
    if suffix in (".yml", ".yaml"):
        return _entries(_read_yaml(path), f"Follow-up log {str(path)!r}", first_row=1)
    raise CxkitError(
        f"`log`: {str(path)!r} is neither a .csv nor a .yml/.yaml file. Save the follow-up "
        "log as CSV or YAML, or pass a DataFrame."
    )


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise DataFileError(f"Follow-up log {str(path)!r} does not exist. Check the path.")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(
            f"Follow-up log {str(path)!r} is not UTF-8 text ({err.reason}); save it as UTF-8."
        ) from None
    except pd.errors.EmptyDataError:
        raise DataFileError(f"Follow-up log {str(path)!r} is empty. {_FIX_COLUMNS}") from None
    except pd.errors.ParserError as err:
        raise DataFileError(f"Follow-up log {str(path)!r} is not valid CSV: {err}") from None


def _read_yaml(path: Path) -> pd.DataFrame:
    spec = read_yaml(path, what="Follow-up log", fix="Check the path.", error=DataFileError)
    if isinstance(spec, dict) and set(spec) == {"follow_ups"}:
        spec = spec["follow_ups"]
    if spec is None:
        spec = []
    if not isinstance(spec, list) or not all(isinstance(item, dict) for item in spec):
        raise DataFileError(
            f"Follow-up log {str(path)!r}: expected a list of entries (optionally under a "
            "`follow_ups:` key), each with keys response_id, who, when, outcome; found "
            f"{type(spec).__name__}. Write one `- response_id: ...` block per call."
        )
    return pd.DataFrame(spec) if spec else pd.DataFrame(columns=list(LOG_COLUMNS))


def _entries(
    frame: pd.DataFrame, source: str, first_row: int = 0, rows: list | None = None
) -> pd.DataFrame:
    """Keep the log's columns (requiring response_id and when) and number the rows."""
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{source}: column(s) {missing} missing; found {list(frame.columns)}. {_FIX_COLUMNS}"
        )
    out = frame.reindex(columns=list(LOG_COLUMNS)).reset_index(drop=True)
    out.insert(0, "row", rows if rows is not None else range(first_row, first_row + len(out)))
    for column in ("response_id", "who", "outcome"):
        out[column] = out[column].map(_text).astype(object)
    return out


def _text(value) -> object:
    """Return stripped text, or None for a missing or empty value."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def parse_when(value) -> tuple[pd.Timestamp | None, bool, str | None]:
    """Return (timestamp, date only?, problem) for one ``when`` value.

    Accepts date and datetime objects (YAML) and ISO text: YYYY-MM-DD, optionally with
    HH:MM[:SS]. Anything else ("03/04/2026", "tomorrow") is a ``bad_date``: day-first or
    month-first cannot be guessed safely.
    """
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value).tz_localize(None), False, None
    if isinstance(value, dt.date):
        return pd.Timestamp(value), True, None
    text = _text(value)
    if text is None:
        return None, False, "missing_date"
    if not _ISO.match(text):
        return None, False, "bad_date"
    try:
        return pd.Timestamp(text), len(text) == 10, None
    except ValueError:
        return None, False, "bad_date"


def check_entries(
    entries: pd.DataFrame, responded: pd.Series, flagged: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split entries into accepted ones and a quarantine with reasons.

    ``responded`` maps response_id -> responded_at; ``flagged`` maps response_id -> needs a
    call. Accepted entries gain ``when_at`` (timestamp) and ``date_only``.
    """
    parsed = [parse_when(v) for v in entries["when"]]
    entries = entries.assign(
        when_at=pd.Series([p[0] for p in parsed], index=entries.index, dtype="datetime64[ns]"),
        date_only=[p[1] for p in parsed],
    )
    reasons = [[p[2]] if p[2] else [] for p in parsed]
    ids = entries["response_id"]
    known = ids.isin(responded.index)
    at = ids.map(responded).astype("datetime64[ns]")
    start = at.where(~entries["date_only"], at.dt.normalize())
    for i, (rid, ok) in enumerate(zip(ids, known, strict=True)):
        if pd.isna(rid):
            reasons[i].insert(0, "missing_response_id")
        elif not ok:
            reasons[i].insert(0, "unknown_response")
        elif not flagged.get(rid, False):
            reasons[i].insert(0, "no_call_needed")
    before = (entries["when_at"] < start).fillna(False).to_numpy()
    for i in range(len(entries)):
        if before[i]:
            reasons[i].append("before_response")
    bad = pd.Series([bool(r) for r in reasons], index=entries.index)
    quarantine = entries.loc[bad, ["row", *LOG_COLUMNS]].copy()
    quarantine["when"] = quarantine["when"].map(lambda v: None if v is None else str(v))
    quarantine["reason"] = [", ".join(r) for r in reasons if r]
    quarantine["fix"] = ["; ".join(REASONS[c] for c in r) for r in reasons if r]
    return entries.loc[~bad].reset_index(drop=True), quarantine.reset_index(drop=True)
