"""Time zones: timestamps written with a UTC offset or a zone name, read in one client time zone.

Helpdesks export timestamps in UTC (``2026-03-31T22:30:00Z``), with the agent's offset
(``2026-03-31 23:30:00 +0200``) or with a zone name (``2026-03-31 23:30 Europe/Madrid``).
cxkit reads every such value as the wall-clock time in **one** client time zone, so that a ticket
opened at 23:30 on the 31st in the client's zone lands in that month, not the next:

1. the zone is the reader's ``timezone=`` argument, else the mapping's ``timezone:`` key;
2. without either, it is the first offset or zone seen in the file (said once, in the read's
   summary and in a :class:`TimeZoneWarning`);
3. values without an offset are taken as already written in the client time zone.

The canonical frame holds naive ``datetime64`` wall-clock times in that zone; the zone used is in
``ReadResult.details.source["timezone"]`` and ``ReadResult.data.attrs["timezone"]``.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxkit.errors import CxkitWarning, MappingError

__all__ = ["TimeZoneWarning", "first_zone", "has_zone", "parse_zoned", "resolve_timezone"]

#: A value ends in an offset (``Z``, ``+02:00``, ``-0500``), ``UTC``/``GMT`` or an IANA name.
_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?|\s?(?:UTC|GMT))$"
_NAMED = r"\s[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?$"
ZONE_PATTERN = f"(?:{_OFFSET})|(?:{_NAMED})"
_TIME = r"\d{1,2}:\d{2}"  # only values with a time of day can carry a zone


class TimeZoneWarning(CxkitWarning):
    """Timestamps carried time zones and no client time zone was given: the first one was used."""


def resolve_timezone(value: str | dt.tzinfo | None, where: str) -> dt.tzinfo | None:
    """Turn ``value`` (an IANA name such as "Europe/Madrid", "UTC" or "+02:00") into a zone.

    Raises
    ------
    MappingError
        ``value`` is not a known zone; ``where`` names the parameter or mapping key.
    """
    if value is None or isinstance(value, dt.tzinfo):
        return value
    text = str(value).strip()
    offset = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        delta = dt.timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
        return dt.timezone(sign * delta)
    if text.upper() in ("UTC", "GMT", "Z"):
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MappingError(
            f"{where}: {text!r} is not a time zone. Use an IANA name such as 'Europe/Madrid' "
            "or 'America/Mexico_City', 'UTC', or a fixed offset such as '+02:00'."
        ) from None


def has_zone(text: pa.ChunkedArray) -> np.ndarray:
    """Mask of values that end in a UTC offset or a zone name (after a time of day)."""
    zoned = pc.and_(
        pc.match_substring_regex(text, ZONE_PATTERN),
        pc.match_substring_regex(text, _TIME),
    )
    return zoned.fill_null(False).to_numpy(zero_copy_only=False)


def first_zone(raw: pd.Series) -> dt.tzinfo | None:
    """Return the zone of the first value (in file order) that carries one, or None."""
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz
    if not (pd.api.types.is_string_dtype(raw.dtype) or raw.dtype == object):
        return None
    from cxkit.io.coerce import arrow_text  # coerce imports this module

    text = arrow_text(raw)
    hits = np.flatnonzero(has_zone(text))
    if not len(hits):
        return None
    return _zone_of(str(text[int(hits[0])]))


def _zone_of(value: str) -> dt.tzinfo | None:
    """Return the zone written in one value: its IANA name, or its fixed offset."""
    named = re.search(_NAMED, value)
    if named:
        try:
            return zoneinfo.ZoneInfo(named.group(0).strip())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
    cleaned = re.sub(r"\s?(?:UTC|GMT)$", "+00:00", value)
    try:
        return pd.Timestamp(cleaned).tz
    except ValueError:
        return None


def parse_zoned(text: pd.Series, target: dt.tzinfo) -> pd.Series:
    """Parse values that carry a zone; return naive wall-clock times in ``target``.

    Values with an offset (or UTC) are parsed in one vectorised call; values with a zone name
    are parsed once per distinct zone name. Unreadable values become ``NaT``.
    """
    named = _is_named(text).to_numpy()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if (~named).any():
        out[~named] = _wall(_parse_offsets(text[~named]), target)
    if named.any():
        out[named] = _wall(_parse_named(text[named]), target)
    return out


def _wall(values: pd.Series, target: dt.tzinfo) -> pd.Series:
    return values.dt.tz_convert(target).dt.tz_localize(None).astype("datetime64[us]")


def _is_named(text: pd.Series) -> pd.Series:
    return text.str.contains(_NAMED, regex=True, na=False)


def _parse_offsets(text: pd.Series) -> pd.Series:
    """ISO 8601 text with an offset, ``Z`` or a ``UTC``/``GMT`` suffix, as UTC."""
    cleaned = text.str.replace(r"\s?(?:UTC|GMT)$", "+00:00", regex=True)
    return pd.to_datetime(cleaned, format="ISO8601", utc=True, errors="coerce")


def _parse_named(text: pd.Series) -> pd.Series:
    """``<ISO date and time> <Area/City>``, localized per distinct zone name, as UTC."""
    parts = text.str.extract(r"^(?P<when>.*?)\s(?P<zone>[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)$")
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    for name in parts["zone"].dropna().unique():
        rows = (parts["zone"] == name).to_numpy()
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue  # an unknown zone name: those values stay unreadable
        local = pd.to_datetime(parts["when"][rows], format="ISO8601", errors="coerce")
        localized = local.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        out[rows] = localized.dt.tz_convert("UTC")
    return out
