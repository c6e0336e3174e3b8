"""Column mapping: how a client's export becomes a canonical table.

A mapping is a small YAML file (commented example: ``templates/mapping.yml``) or a dict::

    columns:            # client column -> canonical column
      "Fecha de envío": responded_at
      "Q1": nps
    ratings:            # client columns holding touchpoint/attribute ratings
      "Q5_1": onboarding          # becomes rating_onboarding
    scales:             # score scales: top value (scale starts at 1) or [low, high]
      csat: 5
      ces: 7
      ratings: [1, 5]
    labels:             # answer text -> score, added to (and overriding) the built-in labels
      csat: {"Encantado": 5}
    values:             # recode category values before they are checked
      stage: {"Atracción": attract}
    dates: {dayfirst: true, format: "%d/%m/%Y %H:%M"}
    decimal: ","        # decimal separator of numbers in a CSV (default: "," when ";" separates)
    encoding: cp1252    # CSV encoding (default: detected)
    delimiter: ";"      # CSV separator (default: detected)
    sheet: Respuestas   # XLSX sheet (default: the first)
    timezone: Europe/Madrid   # client time zone of timestamps (default: first offset seen)
    durations:          # columns holding times instead of timestamps (tickets)
      "Reply time (min)": first_response              # unit read from the name
      "Tiempo": {to: resolution, unit: hours, business_hours: true}

Every key is optional. When no mapping is given, a file ``<name>.mapping.yml`` beside the data
file is used if it exists.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxkit._yamlfile import read_yaml
from cxkit.errors import MappingError
from cxkit.io.helpdesk import UNITS, Duration, unit_of_name
from cxkit.io.labels import normalize_label
from cxkit.io.schemas import RATING_PREFIX, normalize_name
from cxkit.io.timezones import resolve_timezone

__all__ = ["Mapping", "load_mapping"]

_KEYS = (
    "kind",
    "columns",
    "ratings",
    "scales",
    "labels",
    "values",
    "dates",
    "decimal",
    "encoding",
    "delimiter",
    "sheet",
    "timezone",
    "durations",
)
_DURATION_KEYS = ("to", "unit", "business_hours")
_DATE_KEYS = ("dayfirst", "format")


@dataclass(frozen=True)
class Mapping:
    """A validated column mapping. Build it with :func:`load_mapping` or :meth:`from_dict`."""

    columns: dict[str, str] = field(default_factory=dict)
    ratings: dict[str, str] = field(default_factory=dict)
    scales: dict[str, tuple[int, int]] = field(default_factory=dict)
    labels: dict[str, dict[str, int]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    dayfirst: bool | None = None
    date_format: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    kind: str | None = None
    timezone: str | None = None
    durations: dict[str, Duration] = field(default_factory=dict)
    source: str = "<dict>"

    @classmethod
    def from_dict(cls, spec: MappingABC[str, Any] | None, *, source: str = "<dict>") -> Mapping:
        """Validate a mapping given as a dictionary (for example, parsed YAML)."""
        spec = {} if spec is None else spec
        if not isinstance(spec, MappingABC):
            _fail(source, "the file must hold a mapping of keys", type(spec).__name__)
        unknown = sorted(set(spec) - set(_KEYS))
        if unknown:
            _fail(source, f"unknown key(s) {unknown}; allowed keys are {list(_KEYS)}")
        dates = _dict_of(spec, "dates", source)
        bad_dates = sorted(set(dates) - set(_DATE_KEYS))
        if bad_dates:
            _fail(source, f"unknown key(s) {bad_dates} under `dates`; allowed: {list(_DATE_KEYS)}")
        return cls(
            columns={
                str(k): _canonical(v, source) for k, v in _dict_of(spec, "columns", source).items()
            },
            ratings=_ratings(spec.get("ratings"), source),
            scales={
                str(k): _scale(k, v, source) for k, v in _dict_of(spec, "scales", source).items()
            },
            labels=_labels(_dict_of(spec, "labels", source), source),
            values=_values(_dict_of(spec, "values", source), source),
            dayfirst=_optional(dates, "dayfirst", bool, source),
            date_format=_optional(dates, "format", str, source),
            decimal=_choice(spec, "decimal", (".", ","), source),
            encoding=_optional(spec, "encoding", str, source),
            delimiter=_optional(spec, "delimiter", str, source),
            sheet=_optional(spec, "sheet", (str, int), source),
            kind=_optional(spec, "kind", str, source),
            timezone=_timezone(spec, source),
            durations=_durations(_dict_of(spec, "durations", source), source),
            source=source,
        )

    def scale_for(self, column: str, default: tuple[int, int]) -> tuple[int, int]:
        """Return the (low, high) scale of a score column, falling back to ``default``."""
        if column in self.scales:
            return self.scales[column]
        if column.startswith(RATING_PREFIX) and "ratings" in self.scales:
            return self.scales["ratings"]
        return default

    def labels_for(self, column: str) -> dict[str, int]:
        """Return the mapping's own labels for a score column (ratings share ``labels.ratings``)."""
        shared = self.labels.get("ratings", {}) if column.startswith(RATING_PREFIX) else {}
        return {**shared, **self.labels.get(column, {})}


def load_mapping(
    mapping: Mapping | MappingABC | str | Path | None, data_path: Path | None = None
) -> Mapping:
    """Return a validated :class:`Mapping` from a path, a dict, a Mapping or ``None``.

    With ``None``, a sidecar file ``<data file stem>.mapping.yml`` (or ``.yaml``) beside
    ``data_path`` is used if it exists; otherwise the empty mapping (built-in names and labels).
    """
    if isinstance(mapping, Mapping):
        return mapping
    if mapping is None:
        sidecar = _sidecar(data_path)
        return Mapping() if sidecar is None else _from_file(sidecar)
    if isinstance(mapping, (str, Path)):
        return _from_file(Path(mapping))
    return Mapping.from_dict(mapping)


def _sidecar(data_path: Path | None) -> Path | None:
    if data_path is None:
        return None
    for suffix in (".mapping.yml", ".mapping.yaml"):
        candidate = data_path.with_name(data_path.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def _from_file(path: Path) -> Mapping:
    spec = read_yaml(
        path,
        what="Mapping file",
        fix="Check the path, or leave the mapping out to use cxkit's built-in column names.",
        error=MappingError,
    )
    return Mapping.from_dict(spec, source=str(path))


def _fail(source: str, problem: str, found: object = None) -> None:
    tail = "" if found is None else f" (found {found})"
    raise MappingError(
        f"Mapping {source!r}: {problem}{tail}. See templates/mapping.yml for a commented example."
    )


def _dict_of(spec: MappingABC, key: str, source: str) -> dict:
    value = spec.get(key) or {}
    if not isinstance(value, MappingABC):
        _fail(source, f"`{key}` must be a mapping of keys to values", type(value).__name__)
    return dict(value)


def _optional(spec: MappingABC, key: str, kind: type | tuple[type, ...], source: str) -> Any:
    value = spec.get(key)
    if value is not None and not isinstance(value, kind):
        _fail(source, f"`{key}` has the wrong type", f"{value!r}")
    return value


def _choice(spec: MappingABC, key: str, allowed: tuple[str, ...], source: str) -> str | None:
    value = spec.get(key)
    if value is not None and value not in allowed:
        _fail(source, f"`{key}` must be one of {list(allowed)}", repr(value))
    return value


def _canonical(name: object, source: str) -> str:
    if not isinstance(name, str) or not name.strip():
        _fail(source, "every `columns` entry must map to a canonical column name", repr(name))
    return name.strip()


def _ratings(spec: object, source: str) -> dict[str, str]:
    if spec is None:
        return {}
    if isinstance(spec, list):
        spec = {str(c): str(c) for c in spec}
    if not isinstance(spec, MappingABC):
        _fail(
            source,
            "`ratings` must be a list of columns or a mapping column -> touchpoint",
            repr(spec),
        )
    out = {}
    for client, name in spec.items():
        slug = normalize_name(name)
        out[str(client)] = slug if slug.startswith(RATING_PREFIX) else RATING_PREFIX + slug
    return out


def _scale(column: object, value: object, source: str) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2:
        return (1, value)
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and value[0] < value[1]
    ):
        return (int(value[0]), int(value[1]))
    _fail(source, f"scale of {column!r} must be a top value (e.g. 5) or [low, high]", repr(value))
    raise AssertionError  # unreachable: _fail raises


def _labels(spec: dict, source: str) -> dict[str, dict[str, int]]:
    out = {}
    for column, table in spec.items():
        if not isinstance(table, MappingABC):
            _fail(source, f"`labels.{column}` must map answer text to a score", repr(table))
        for label, score in table.items():
            if not isinstance(score, int) or isinstance(score, bool):
                _fail(
                    source,
                    f"`labels.{column}` score for {label!r} must be a whole number",
                    repr(score),
                )
        out[str(column)] = {normalize_label(k): int(v) for k, v in table.items()}
    return out


def _values(spec: dict, source: str) -> dict[str, dict[str, str]]:
    out = {}
    for column in spec:
        recode = _dict_of(spec, column, source)
        out[str(column)] = {normalize_label(k): str(v) for k, v in recode.items()}
    return out


def _timezone(spec: MappingABC, source: str) -> str | None:
    value = _optional(spec, "timezone", str, source)
    resolve_timezone(value, f"Mapping {source!r}, `timezone`")
    return value


def _durations(spec: dict, source: str) -> dict[str, Duration]:
    out = {}
    for client, entry in spec.items():
        entry = {"to": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, MappingABC) or set(entry) - set(_DURATION_KEYS):
            _fail(
                source,
                f"`durations.{client}` must be first_response or resolution, or a mapping "
                f"with keys {list(_DURATION_KEYS)}",
                repr(entry),
            )
        out[str(client)] = _duration(str(client), entry, source)
    return out


def _duration(client: str, entry: MappingABC, source: str) -> Duration:
    target = entry.get("to")
    if target not in ("first_response", "resolution"):
        _fail(source, f"`durations.{client}.to` must be first_response or resolution", target)
    named_unit, named_business = unit_of_name(client)
    unit = entry.get("unit") or named_unit
    if unit not in UNITS:
        _fail(
            source,
            f"`durations.{client}` needs `unit:` (one of {list(UNITS)}); the column name "
            "does not say it",
            repr(entry.get("unit")),
        )
    business = entry.get("business_hours", named_business)
    if not isinstance(business, bool):
        _fail(source, f"`durations.{client}.business_hours` must be true or false", business)
    return Duration(client, target, unit, business)
