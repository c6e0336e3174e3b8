"""Which client column becomes which canonical column.

Resolution order: the mapping's ``columns`` and ``ratings`` entries; then, for a recognised
helpdesk export (:mod:`cxkit.io.helpdesk`), that export's documented columns; then built-in
synonyms (English and Spanish export names, compared without case, accents, punctuation or Spanish
articles and prepositions: "ID del cliente" is "ID cliente"); then
any column already named ``rating_*``. A mapping entry may name a column by its header or, in a
Qualtrics export, by its question text. Ticket columns that hold durations (the mapping's
``durations``, or names such as "First reply time (min)") are resolved last.

When a required column is missing, the error proposes a mapping entry only for a client column
that is plausible: its name shares a word with the canonical column's names, and its name does
not say it holds a different kind of value (a count or a duration for a date); for a date,
a name that says "date" or "fecha" is enough. For CSV files and DataFrames, the first values of
the column must also read as that kind (dates for a date, numbers for a number).
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit.errors import DataFileError, MappingError
from cxkit.io import coerce
from cxkit.io.helpdesk import Duration, HelpdeskFormat, detect_format, find_durations, unit_of_name
from cxkit.io.mapping import Mapping
from cxkit.io.schemas import RATING_PREFIX, Schema, normalize_name, synonym_key
from cxkit.io.sources import FileInfo

__all__ = ["ColumnPlan", "resolve_columns"]


@dataclass
class ColumnPlan:
    """Canonical column -> client column, in schema order, then ratings; and what is ignored."""

    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    #: Canonical column -> how a helpdesk's value reads ("replies", "reopens").
    transforms: dict[str, str] = field(default_factory=dict)
    #: Output canonical column -> the duration column it is computed from.
    durations: dict[str, Duration] = field(default_factory=dict)
    #: The recognised helpdesk export, if any.
    helpdesk: HelpdeskFormat | None = None

    @property
    def ratings(self) -> list[str]:
        """Canonical names of the rating columns."""
        return [c for c in self.columns if c.startswith(RATING_PREFIX)]


def resolve_columns(info: FileInfo, schema: Schema, mapping: Mapping) -> ColumnPlan:
    """Decide which client column feeds each canonical column of ``schema``.

    Raises
    ------
    MappingError
        A mapping entry names a column the file does not have, or a canonical name that the
        schema does not have.
    DataFileError
        A required column is neither mapped nor recognised.
    """
    chosen: dict[str, str] = {}
    for client, canonical in _explicit(info, schema, mapping):
        if canonical in chosen:
            raise MappingError(
                f"Mapping {mapping.source!r}: both {chosen[canonical]!r} and {client!r} are "
                f"mapped to {canonical!r}; keep one."
            )
        chosen[canonical] = client
    used = set(chosen.values())
    helpdesk = detect_format(info.columns) if schema.kind == "tickets" else None
    transforms = _vendor(helpdesk, info.columns, chosen, used)
    _synonyms(info, schema, chosen, used)
    durations = {}
    if schema.kind == "tickets":
        durations = find_durations(info.columns, chosen, mapping.durations)
        used |= {d.client for d in durations.values()}
    _require(info, schema, chosen, mapping)
    order = [c.name for c in schema.columns if c.name in chosen]
    order += sorted(c for c in chosen if c.startswith(RATING_PREFIX))
    return ColumnPlan(
        {c: chosen[c] for c in order},
        [c for c in info.columns if c not in used],
        transforms,
        durations,
        helpdesk,
    )


def _vendor(
    helpdesk: HelpdeskFormat | None, columns: list[str], chosen: dict[str, str], used: set[str]
) -> dict[str, str]:
    """Add a helpdesk export's documented columns; return canonical -> transform."""
    if helpdesk is None:
        return {}
    vendor, transforms = helpdesk.plan(columns)
    taken = {}
    for client, canonical in vendor.items():
        if canonical not in chosen and client not in used:
            chosen[canonical] = client
            used.add(client)
            taken[canonical] = transforms.get(canonical, "")
    return {c: t for c, t in taken.items() if t}


def _synonyms(info: FileInfo, schema: Schema, chosen: dict[str, str], used: set[str]) -> None:
    by_key = {synonym_key(c): c for c in reversed(info.columns)}
    for col in schema.columns:
        if col.name in chosen:
            continue
        for synonym in col.synonyms:
            client = by_key.get(synonym_key(synonym))
            if client is not None and client not in used:
                chosen[col.name] = client
                used.add(client)
                break
    for client in info.columns:
        name = normalize_name(client)
        if client not in used and name.startswith(RATING_PREFIX) and name not in chosen:
            chosen[name] = client
            used.add(client)


def _explicit(info: FileInfo, schema: Schema, mapping: Mapping):
    lookup = {c: c for c in info.columns}
    lookup.update({q: c for c, q in info.questions.items() if q})
    normalized = {normalize_name(k): v for k, v in lookup.items()}
    entries = list(mapping.columns.items()) + list(mapping.ratings.items())
    missing = [k for k, _ in entries if k not in lookup and normalize_name(k) not in normalized]
    if missing:
        raise MappingError(
            f"Mapping {mapping.source!r} names column(s) {missing} that {info.path!r} "
            "does not have. "
            f"Columns found: {_quote(info.columns)}. Correct the names in the mapping."
        )
    for client, canonical in entries:
        if canonical not in schema.names and not canonical.startswith(RATING_PREFIX):
            raise MappingError(
                f"Mapping {mapping.source!r}: {client!r} is mapped to {canonical!r}, which is "
                f"not a {schema.kind} column. Allowed: {list(schema.names)} or a name "
                f"starting with {RATING_PREFIX!r} (or list it under `ratings:`)."
            )
        yield lookup.get(client) or normalized[normalize_name(client)], canonical


def _require(info: FileInfo, schema: Schema, chosen: dict[str, str], mapping: Mapping) -> None:
    missing = [c.name for c in schema.columns if c.required and c.name not in chosen]
    if schema.any_of and not any(c in chosen for c in schema.any_of):
        missing.append(" or ".join(schema.any_of))
    if not missing:
        return
    free = [c for c in info.columns if c not in chosen.values()]
    sample = _sample(info, free)
    example = "\n".join(
        f'    "{_suggest(name, free, schema, sample)}": {name.split(" or ")[0]}' for name in missing
    )
    sidecar = (
        f"{Path(info.path).stem}.mapping.yml" if info.path != "<DataFrame>" else "a mapping file"
    )
    raise DataFileError(
        f"{info.path!r}: required column(s) {missing} not found (reading {schema.kind}).\n"
        f"Columns found: {_quote(info.columns)}.\n"
        f"Fix: say which column holds each one in a mapping file, e.g.\n  columns:\n{example}\n"
        f"and pass it with --mapping (mapping=... in Python), or save it as {sidecar!r} beside "
        "the data file."
    )


#: Words that say nothing of a column's meaning on their own.
_GENERIC = frozenset({"at", "de", "del", "la", "el", "of", "the", "in", "en", "y", "and", "id",
                      "date", "time", "fecha", "hora", "timestamp", "marca", "tiempo"})  # fmt: skip
#: Words that say a column holds a date, whatever the date is of.
_DATE_WORDS = frozenset({"date", "fecha", "timestamp", "datetime", "dia", "day"})
#: Words that say a column holds a count.
_COUNT_WORDS = frozenset({"count", "number", "num", "replies", "reopens", "interactions",
                          "respuestas", "reaperturas", "numero", "veces", "total"})  # fmt: skip


def _suggest(
    canonical: str, free: list[str], schema: Schema, sample: pd.DataFrame | None = None
) -> str:
    """Return the most similar plausible free column for ``canonical``, or a placeholder."""
    names = canonical.split(" or ")
    targets = [s for n in names for s in schema.column(n).synonyms] or names
    kind = schema.column(names[0]).kind
    stems = {_stem(w) for t in targets + names for w in t.split("_") if w not in _GENERIC}
    best = (0.0, "<your column>")
    for client in free:
        norm = normalize_name(client)
        words = {_stem(w) for w in norm.split("_") if w and w not in _GENERIC}
        says_date = kind == "datetime" and bool(set(norm.split("_")) & _DATE_WORDS)
        if not (words & stems or says_date) or not _compatible(kind, client):
            continue
        if sample is not None and client in sample and not _values_fit(kind, sample[client]):
            continue
        score = max(difflib.SequenceMatcher(None, norm, t).ratio() for t in targets)
        best = max(best, (score, client))
    return best[1]


def _stem(word: str) -> str:
    return word[:5]


def _compatible(kind: str, client: str) -> bool:
    """Whether a column's name allows the canonical ``kind`` (dates are not counts or times)."""
    words = set(normalize_name(client).split("_"))
    says_count = bool(words & _COUNT_WORDS)
    says_duration = unit_of_name(client)[0] is not None
    if kind == "datetime":
        return not (says_count or says_duration)
    if kind in ("id", "category", "text", "stage"):
        return not says_duration
    return True


def _sample(info: FileInfo, columns: list[str], n: int = 200) -> pd.DataFrame | None:
    """Return the first ``n`` rows of ``columns`` as text (None when not cheap to get)."""
    try:
        if info.frame is not None:
            return info.frame.loc[:, columns].head(n).astype("str").astype("object")
        if info.format == "csv":
            return pd.read_csv(
                info.path,
                sep=info.delimiter,
                encoding=info.encoding,
                usecols=columns,
                nrows=n,
                dtype=str,
                skiprows=range(1, info.header_rows),
            )
    except (ValueError, OSError, KeyError, pd.errors.ParserError):
        return None
    return None  # XLSX, Parquet: names alone decide


def _values_fit(kind: str, values: pd.Series) -> bool:
    """Whether most present sample values read as ``kind`` (dates, numbers)."""
    present = values.dropna().astype("str")
    if present.empty or kind not in ("datetime", "number", "count"):
        return True
    text = pd.Series(present.to_numpy(), dtype="str")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        convert = coerce.to_datetime if kind == "datetime" else coerce.to_number
        bad = convert(text)[1]
    return bad.mean() <= 0.5


def _quote(names: list[str], limit: int = 40) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f", … ({len(names) - limit} more)" if len(names) > limit else "")
