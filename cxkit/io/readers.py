"""Read client exports into canonical frames: ``read_responses``, ``read_tickets``, ...

Each reader detects the file's format, resolves columns (mapping file, then built-in names),
converts every column to its canonical dtype, applies the row rules of its kind and returns a
:class:`~cxkit.io.result.ReadResult`. A bad row is quarantined with its reason; a file that cannot
be used at all raises :class:`~cxkit.errors.DataFileError`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit._checks import check_option
from cxkit.errors import DataFileError, MappingError
from cxkit.io import coerce, helpdesk, pseudonyms, ticket_values
from cxkit.io.columns import ColumnPlan, resolve_columns
from cxkit.io.labels import builtin_labels
from cxkit.io.mapping import Mapping, load_mapping
from cxkit.io.result import ReadResult, ReadSummary
from cxkit.io.schemas import RATING_PREFIX, SCHEMAS, Column, Schema
from cxkit.io.sources import FileInfo, RawTable, peek, read_raw
from cxkit.io.timezones import TimeZoneWarning, first_zone, resolve_timezone
from cxkit.io.validation import REASONS, Problems

__all__ = ["read_customers", "read_orders", "read_responses", "read_table", "read_tickets"]

Source = str | Path | pd.DataFrame
MappingLike = Mapping | dict | str | Path | None

#: Default scales of the score columns; the mapping's ``scales`` overrides them.
DEFAULT_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "rating": (1, 5)}
_FEW_VALUES = {"score", "category", "stage", "flag", "count"}


def read_responses(
    source: Source, *, mapping: MappingLike = None, timezone: str | None = None
) -> ReadResult:
    """Read survey responses (NPS, CSAT, CES, ratings) into the canonical responses frame.

    Parameters
    ----------
    source : str, Path or DataFrame
        A CSV, XLSX, Parquet or Qualtrics export, or a DataFrame already loaded.
    mapping : path, dict or Mapping, optional
        Column mapping (see ``templates/mapping.yml``). Without one, a ``<name>.mapping.yml``
        beside the file is used if present, else cxkit's built-in column names and labels.
    timezone : str, optional
        The client's time zone ("Europe/Madrid", "UTC", "+02:00"): timestamps written with an
        offset or zone name are converted to it. Overrides the mapping's ``timezone:``; without
        either, the first offset seen in the file is used and the summary says so.

    Returns
    -------
    ReadResult
        ``.data`` with columns ``response_id, customer_id, responded_at, nps, csat, ces,
        segment, channel, touchpoint, stage, comment, weight`` (those present) and
        ``rating_*``; ``.quarantine``; ``.summary``.

    Raises
    ------
    DataFileError
        Missing, unreadable or empty file, no usable rows, or a required column missing
        (``response_id``, ``responded_at`` and at least one of ``nps``, ``csat``, ``ces``).

    Examples
    --------
    >>> import cxkit as cx
    >>> res = cx.read_responses("data/samples/responses.csv")  # doctest: +SKIP
    >>> res.rows_accepted + res.rows_quarantined == res.rows_read  # doctest: +SKIP
    True
    """
    return read_table(source, "responses", mapping=mapping, timezone=timezone)


def read_tickets(
    source: Source, *, mapping: MappingLike = None, timezone: str | None = None
) -> ReadResult:
    """Read support tickets into the canonical tickets frame (see :func:`read_responses`).

    Required columns: ``ticket_id``, ``opened_at``. Rows whose first response or resolution
    precedes the opening are quarantined.

    The ticket exports of Zendesk (Support export, Explore reports), Freshdesk, Intercom and
    HubSpot are recognised by their column names (:mod:`cxkit.io.helpdesk`); the summary names
    the format. First-reply and resolution *times* ("First reply time (min)") become
    ``first_response_at``/``resolved_at`` from ``opened_at``; business-hours times are kept as
    ``first_response_business_h``/``resolution_business_h`` and listed in
    ``data.attrs["business_hours"]``. E-mail addresses used as customer ids are pseudonymized
    (:mod:`cxkit.io.pseudonyms`).
    """
    return read_table(source, "tickets", mapping=mapping, timezone=timezone)


def read_customers(
    source: Source, *, mapping: MappingLike = None, timezone: str | None = None
) -> ReadResult:
    """Read customers into the canonical customers frame (see :func:`read_responses`).

    Required columns: ``customer_id``, ``start_date``. ``end_date`` is empty while the
    customer is active; an end before the start, or negative revenue, is quarantined.
    """
    return read_table(source, "customers", mapping=mapping, timezone=timezone)


def read_orders(
    source: Source, *, mapping: MappingLike = None, timezone: str | None = None
) -> ReadResult:
    """Read orders into the canonical orders frame (see :func:`read_responses`).

    Required columns: ``customer_id``, ``order_date``, ``amount``; negative amounts are
    quarantined.
    """
    return read_table(source, "orders", mapping=mapping, timezone=timezone)


def read_table(
    source: Source, kind: str, *, mapping: MappingLike = None, timezone: str | None = None
) -> ReadResult:
    """Read ``source`` as a table of ``kind`` ("responses", "tickets", "customers", "orders")."""
    return read_table_rows(source, kind, mapping=mapping, timezone=timezone)[0]


def read_table_rows(
    source: Source,
    kind: str,
    *,
    mapping: MappingLike = None,
    timezone: str | None = None,
    row_offset: int = 0,
) -> tuple[ReadResult, np.ndarray]:
    """Read as :func:`read_table` does; also give the file row number of each accepted row.

    ``row_offset`` is added to every row number (in the quarantine and its details too): for
    a chunk of a larger file, the rows before it. (For :mod:`cxkit.scan`, which names rows
    across files and chunks.)
    """
    schema = SCHEMAS[check_option("kind", kind, SCHEMAS)]
    path = None if isinstance(source, pd.DataFrame) else Path(source)
    spec = load_mapping(mapping, path)
    if spec.kind is not None and spec.kind != kind:
        raise MappingError(
            f"Mapping {spec.source!r} is for {spec.kind} (its `kind:`), but the file is being "
            f"read as {kind}. Pass the mapping meant for this file, or correct `kind:`."
        )
    info = peek(
        source,
        encoding=spec.encoding,
        delimiter=spec.delimiter,
        decimal=spec.decimal,
        sheet=spec.sheet,
    )
    plan = resolve_columns(info, schema, spec)
    kinds = {name: _column(schema, name).kind for name in plan.columns}
    wanted = {client: kinds[name] in _FEW_VALUES for name, client in plan.columns.items()}
    raw = read_raw(info, {**wanted, **{d.client: False for d in plan.durations.values()}})
    if row_offset:
        raw.rows = raw.rows + row_offset
    if len(raw.frame) + len(raw.malformed) == 0:
        raise DataFileError(
            f"{info.path!r} has a header but no data rows. Export the data again, or check "
            "that you picked the right file."
        )
    problems = Problems(len(raw.frame))
    notes: dict[str, object] = {}
    zone = _client_zone(raw.frame, plan, kinds, timezone, spec, notes)
    data = _convert(raw.frame, plan, kinds, spec, info.decimal, problems, zone)
    _apply_durations(raw.frame, plan, data, info.decimal, problems, notes)
    _pseudonymize(data, notes)
    _row_rules(schema, data, raw.frame, raw.rows, plan, problems)
    problems.only_blank()
    result = _assemble(info, schema, plan, spec, raw, data, problems, notes)
    return _some_rows(info, result), raw.rows[~problems.rejected()]


def _some_rows(info: FileInfo, result: ReadResult) -> ReadResult:
    """Return ``result``, or raise when every row was quarantined."""
    if result.rows_accepted == 0:
        raise DataFileError(
            f"{info.path!r}: no usable rows; all {result.rows_read:,} were quarantined "
            f"({_reason_list(result.details.reasons)}). First problem: row "
            f"{result.quarantine['row'].iat[0]}: {result.quarantine['detail'].iat[0]}. "
            "Check the column mapping and the file's format.",
            result=result,
        )
    return result


def _client_zone(
    raw: pd.DataFrame,
    plan: ColumnPlan,
    kinds: dict[str, str],
    timezone: str | None,
    spec: Mapping,
    notes: dict[str, object],
):
    """Return the zone timestamps are read in: given, else the first one seen (said once)."""
    given = timezone or spec.timezone
    if given is not None:
        where = "timezone=" if timezone else f"Mapping {spec.source!r}, `timezone`"
        zone = resolve_timezone(given, where)
        notes["timezone"] = f"{zone} (given)"
        return zone
    for name, client in plan.columns.items():
        zone = first_zone(raw[client]) if kinds[name] == "datetime" else None
        if zone is not None:
            notes["timezone"] = f"{zone} (the first offset seen, in {client!r})"
            warnings.warn(
                f"Timestamps carry time zones and no client time zone was given: reading them "
                f"in {zone}, the first seen (in {client!r}). Set `timezone:` in the mapping "
                "(or timezone= when reading) to choose the client's zone.",
                TimeZoneWarning,
                stacklevel=4,
            )
            return zone
    return None


def _column(schema: Schema, name: str) -> Column:
    return Column(name, "score") if name.startswith(RATING_PREFIX) else schema.column(name)


def _reason_list(reasons: dict[str, int]) -> str:
    return ", ".join(f"{r}: {n:,}" for r, n in reasons.items())


def _convert(
    raw: pd.DataFrame,
    plan: ColumnPlan,
    kinds: dict[str, str],
    spec: Mapping,
    decimal: str,
    problems: Problems,
    zone=None,
) -> dict[str, pd.Series]:
    data = {}
    for name, client in plan.columns.items():
        column = raw[client]
        kind = kinds[name]
        if name in plan.transforms:
            data[name] = _helpdesk_count(plan.transforms[name], client, column, decimal, problems)
        elif kind == "score":
            data[name] = _score(name, client, column, spec, problems, _extra_labels(name, plan))
        elif kind == "datetime":
            values, bad = coerce.to_datetime(
                column, dayfirst=spec.dayfirst, fmt=spec.date_format, column=client, timezone=zone
            )
            problems.add("invalid_date", bad, "is not a date", client)
            data[name] = values
        elif kind in ("number", "count"):
            data[name] = _number(kind, client, column, decimal, problems)
        else:
            data[name] = _simple(name, kind, client, column, spec, problems, plan)
    return data


def _number(kind: str, client: str, column: pd.Series, decimal: str, problems: Problems):
    convert = coerce.to_number if kind == "number" else coerce.to_count
    values, bad = convert(column, decimal)
    reason = "invalid_number" if kind == "number" else "invalid_count"
    message = "is not " + ("a number" if kind == "number" else "a whole number ≥ 1")
    problems.add(reason, bad, message, client)
    return values


def _helpdesk_count(
    transform: str, client: str, column: pd.Series, decimal: str, problems: Problems
) -> pd.Series:
    """Read a helpdesk's reply count (as contacts) or reopen count (as the reopened flag)."""
    if transform == "replies":
        values, bad = ticket_values.replies_to_contacts(column, decimal)
    else:
        values, bad = ticket_values.reopens_to_flag(column, decimal)
    problems.add("invalid_count", bad, "is not a whole number ≥ 0", client)
    return values


def _extra_labels(name: str, plan: ColumnPlan) -> dict[str, float]:
    """Return a helpdesk's satisfaction labels for the tickets' csat ("Good", "Offered", ...)."""
    if name != "csat" or plan.helpdesk is None:
        return {}
    return {**helpdesk.SATISFACTION_LABELS, **dict.fromkeys(helpdesk.NO_RATING, np.nan)}


def _apply_durations(
    raw: pd.DataFrame,
    plan: ColumnPlan,
    data: dict[str, pd.Series],
    decimal: str,
    problems: Problems,
    notes: dict[str, object],
) -> None:
    """Turn duration columns into their canonical columns (see :mod:`cxkit.io.helpdesk`)."""
    for output, duration in plan.durations.items():
        hours, bad = ticket_values.to_hours(raw[duration.client], duration.unit, decimal)
        problems.add(
            "invalid_duration", bad, f"is not a duration in {duration.unit} (≥ 0)", duration.client
        )
        data[output] = ticket_values.apply_duration(duration, hours, data.get("opened_at"))
    if plan.durations:
        notes["durations"] = [d.describe() for d in plan.durations.values()]
        notes["business_hours"] = [o for o, d in plan.durations.items() if d.business_hours]


def _pseudonymize(data: dict[str, pd.Series], notes: dict[str, object]) -> None:
    """Replace e-mail addresses used as customer ids by keyed pseudonyms."""
    ids = data.get("customer_id")
    if ids is None or not pseudonyms.looks_like_email(ids):
        return
    data["customer_id"], how = pseudonyms.pseudonymize(ids)
    notes["customer_id"] = f"e-mail addresses replaced by keyed pseudonyms ({how})"


def _score(
    name: str,
    client: str,
    column: pd.Series,
    spec: Mapping,
    problems: Problems,
    extra: dict[str, float] | None = None,
) -> pd.Series:
    family = "rating" if name.startswith(RATING_PREFIX) else name
    low, high = spec.scale_for(name, DEFAULT_SCALES[family])
    labels = {**builtin_labels(family, low, high), **(extra or {}), **spec.labels_for(name)}
    values, invalid, out_of_range = coerce.to_score(column, low, high, labels)
    problems.add(
        "invalid_score",
        invalid,
        f"is not a score on {low}–{high} or a known answer label "
        "(add it under `labels:` in the mapping)",
        client,
    )
    problems.add(
        "score_out_of_range",
        out_of_range,
        f"is outside {low}–{high} (set `scales:` in the mapping if the scale differs)",
        client,
    )
    return values


def _simple(
    name: str,
    kind: str,
    client: str,
    column: pd.Series,
    spec: Mapping,
    problems: Problems,
    plan: ColumnPlan,
) -> pd.Series:
    if kind == "id":
        return coerce.to_id(column)[0]
    if kind == "text":
        return coerce.to_text(column)
    if kind == "category":
        vocabulary = helpdesk.CHANNELS if name == "channel" and plan.helpdesk else {}
        return coerce.to_category(column, {**vocabulary, **spec.values.get(name, {})})
    if kind == "stage":
        values, bad = coerce.to_stage(column, spec.values.get(name))
        problems.add(
            "invalid_stage",
            bad,
            "is not a journey stage (attract, accept, adopt, amplify, advance; "
            "map other names under `values: stage:`)",
            client,
        )
        return values
    values, bad = coerce.to_flag(column)
    problems.add("invalid_flag", bad, "is not yes/no", client)
    return values


def _row_rules(
    schema: Schema,
    data: dict[str, pd.Series],
    raw: pd.DataFrame,
    rows: np.ndarray,
    plan: ColumnPlan,
    problems: Problems,
) -> None:
    problems.add("blank_row", _blank_rows(raw), "every field read is empty")
    for col in schema.columns:
        if col.name not in data or not col.required:
            continue
        missing = data[col.name].isna().to_numpy() & raw[plan.columns[col.name]].isna().to_numpy()
        reason = (
            "missing_date" if col.kind == "datetime" else "missing_id" if col.kind == "id" else None
        )
        if reason:
            problems.add(reason, missing, "is empty", plan.columns[col.name])
    if schema.unique_id in data:
        _duplicates(data[schema.unique_id], plan.columns[schema.unique_id], rows, problems)
    _kind_rules(schema.kind, data, plan, problems)


def _blank_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows whose every column read is empty, one column at a time (no frame of flags)."""
    blank = np.ones(len(raw), dtype=bool)
    for name in raw.columns:
        if not blank.any():
            break
        blank &= raw[name].isna().to_numpy()
    return blank


def _duplicates(ids: pd.Series, client: str, rows: np.ndarray, problems: Problems) -> None:
    mask, first = coerce.repeated(ids)
    notes = {pos: f" (first on row {rows[start]})" for pos, start in first.items()}
    problems.add("duplicate_id", mask, "appears on an earlier row", client, notes)


#: Row rules by kind: (reason, later column, earlier column) pairs that must be in order...
ORDER_RULES = {
    "tickets": (
        ("response_before_open", "first_response_at", "opened_at"),
        ("resolved_before_open", "resolved_at", "opened_at"),
    ),
    "customers": (("end_before_start", "end_date", "start_date"),),
}
#: ... and (reason, column) pairs that must not be negative.
NEGATIVE_RULES = {
    "responses": (("invalid_weight", "weight"),),
    "customers": (("negative_amount", "revenue"),),
    "orders": (("negative_amount", "amount"),),
}


def _kind_rules(
    kind: str, data: dict[str, pd.Series], plan: ColumnPlan, problems: Problems
) -> None:
    cols = {**{out: d.client for out, d in plan.durations.items()}, **plan.columns}
    for reason, later, earlier in ORDER_RULES.get(kind, ()):
        if later in data and earlier in data:
            wrong = (data[later] < data[earlier]).fillna(False).to_numpy(dtype=bool)
            problems.add(reason, wrong, f"{cols[later]} is earlier than {cols[earlier]}")
    for reason, name in NEGATIVE_RULES.get(kind, ()):
        if name in data:
            negative = (data[name] < 0).fillna(False).to_numpy(dtype=bool)
            problems.add(reason, negative, "is negative", cols[name])
    if kind == "responses":
        scores = [c for c in ("nps", "csat", "ces", *plan.ratings) if c in data]
        none = np.logical_and.reduce([data[c].isna().to_numpy() for c in scores])
        bad_score = problems.rejected("invalid_score", "score_out_of_range")  # emptied, not absent
        problems.add("no_score", none & ~bad_score, "no NPS, CSAT, CES or rating given")


def _assemble(
    info: FileInfo,
    schema: Schema,
    plan: ColumnPlan,
    spec: Mapping,
    raw: RawTable,
    data: dict[str, pd.Series],
    problems: Problems,
    notes: dict[str, object],
) -> ReadResult:
    rejected = problems.rejected()
    bad = np.flatnonzero(rejected)
    quarantine = _quarantine(info, plan, raw, data, problems, bad, notes)
    keep = ~rejected
    order = [c for c in schema.names if c in data] + [c for c in data if c not in schema.names]
    frame = pd.DataFrame(
        {
            name: (data[name] if not bad.size else data[name][keep]).reset_index(drop=True)
            for name in order
        },
        copy=False,
    )
    frame.attrs.update(_attrs(plan, notes))
    summary = ReadSummary(
        file=info.path,
        kind=schema.kind,
        rows_read=len(raw.frame) + len(raw.malformed),
        rows_accepted=len(frame),
        rows_quarantined=len(quarantine),
        reasons=_count_reasons(quarantine),
        columns=dict(plan.columns),
        columns_ignored=list(plan.ignored),
        source={
            **info.describe(),
            "mapping": None if spec == Mapping() else spec.source,
            **({"helpdesk": plan.helpdesk.name} if plan.helpdesk else {}),
            **notes,
        },
    )
    return ReadResult(frame, quarantine, summary)


def _quarantine(
    info: FileInfo,
    plan: ColumnPlan,
    raw: RawTable,
    data: dict[str, pd.Series],
    problems: Problems,
    bad: np.ndarray,
    notes: dict[str, object],
) -> pd.DataFrame:
    """Rejected rows: row number, reasons, details, original values (malformed rows too)."""
    in_file_order = [c for c in info.columns if c in raw.frame.columns]
    original = raw.frame.iloc[bad][in_file_order].astype("object").reset_index(drop=True)
    if "customer_id" in notes:  # never show the e-mail addresses in clear, even here
        original[plan.columns["customer_id"]] = data["customer_id"].iloc[bad].to_numpy()
    explained = problems.describe(raw.frame, bad)
    quarantine = pd.concat([pd.DataFrame({"row": raw.rows[bad]}), explained, original], axis=1)
    if len(raw.malformed):
        malformed = raw.malformed.assign(reason="malformed_row")[["row", "reason", "detail"]]
        quarantine = pd.concat([quarantine, malformed], ignore_index=True).sort_values(
            "row", kind="stable"
        )
    return quarantine.reset_index(drop=True)


def _attrs(plan: ColumnPlan, notes: dict[str, object]) -> dict[str, object]:
    """Return what the canonical frame carries about itself (see :mod:`cxkit.io.schemas`)."""
    attrs: dict[str, object] = {}
    if plan.helpdesk is not None:
        attrs["helpdesk"] = plan.helpdesk.name
    if "timezone" in notes:
        attrs["timezone"] = str(notes["timezone"]).split(" (")[0]
    if notes.get("business_hours"):
        attrs["business_hours"] = list(notes["business_hours"])
    return attrs


def _count_reasons(quarantine: pd.DataFrame) -> dict[str, int]:
    if quarantine.empty:
        return {}
    counts = quarantine["reason"].str.split("; ").explode().value_counts()
    return {r: int(counts[r]) for r in REASONS if r in counts.index}
