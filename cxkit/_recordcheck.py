"""Checks shared by the record files' validation (5-whys log, hypothesis register).

Each returns problem texts worded as the record files' ``problems()`` words them:
"`field`: what was found; what to write".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cxkit.io.coerce import STAGE_SYNONYMS
from cxkit.io.labels import normalize_label
from cxkit.io.schemas import JOURNEY_STAGES

__all__ = ["blank", "choice_problems", "mapping_problems", "options", "stage_of"]


def stage_of(value: object) -> str | None:
    """Return the journey stage a text names (English or Spanish, any case), or None."""
    return STAGE_SYNONYMS.get(normalize_label(value)) if isinstance(value, str) else None


def blank(value: object) -> bool:
    """Say whether a field is empty: missing, blank text or an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def options(values: Iterable[str]) -> str:
    """Write the allowed values of a field, comma-separated."""
    return ", ".join(values)


def choice_problems(d: dict[str, Any], choices: Iterable[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Name a ``stage`` that is not a journey stage and each field whose value is not allowed.

    ``choices`` pairs a field with its allowed values (compared lower-cased, trimmed).
    """
    out = []
    if not blank(d.get("stage")) and stage_of(d["stage"]) is None:
        out.append(
            f"`stage`: {d['stage']!r} is not a journey stage; write one of "
            f"{options(JOURNEY_STAGES)}"
        )
    for key, allowed in choices:
        value = d.get(key)
        if not blank(value) and (
            not isinstance(value, str) or value.strip().lower() not in allowed
        ):
            out.append(f"`{key}`: {value!r} is not known; write one of {options(allowed)}")
    return out


def mapping_problems(
    data: dict[str, Any], fields: Iterable[tuple[str, Sequence[str]]]
) -> list[str]:
    """Check nested mappings: each ``(key, allowed keys)`` field, when written, is a mapping.

    Its keys must be among the allowed ones; a field left out is not a problem here.
    """
    out = []
    for key, allowed in fields:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            out.append(f"`{key}`: must be a mapping {{{', '.join(f'{k}: ...' for k in allowed)}}}")
            continue
        extra = sorted(str(k) for k in set(value) - set(allowed))
        if extra:
            out.append(f"`{key}`: unknown key(s) {extra}; allowed are {options(allowed)}")
    return out
