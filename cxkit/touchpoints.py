"""Touchpoint catalog: which rating column is which touchpoint, its names and journey stage.

Survey exports carry one sparse rating column per touchpoint (``rating_*``, empty where the
customer did not use it). A catalog is one small YAML file per client (commented example:
``templates/touchpoints.yml``)::

    touchpoints:
      - column: rating_onboarding          # the canonical rating column
        name: {en: Onboarding, es: Bienvenida}
        stage: adopt                       # attract, accept, adopt, amplify or advance
      - column: rating_support
        name: Support                      # one text: the same name in both languages
        stage: advance

``name`` is optional (made from the column name when left out) and a missing language falls
back to the other. Stages are matched as the readers match them: case, accents and the
Spanish names (``adopción``) do not matter. :meth:`TouchpointCatalog.resolve` fits a catalog
to the rating columns of one export and says, in plain words, what did not match.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxkit._checks import check_option
from cxkit._results import SummaryRepr
from cxkit._yamlfile import read_yaml
from cxkit.errors import CxkitError
from cxkit.io.coerce import STAGE_SYNONYMS
from cxkit.io.labels import normalize_label
from cxkit.io.schemas import JOURNEY_STAGES, RATING_PREFIX

__all__ = [
    "CATALOG_COLUMNS",
    "UNKNOWN_STAGE",
    "CatalogError",
    "TouchpointCatalog",
    "load_catalog",
    "rating_columns",
]

#: The columns of :attr:`TouchpointCatalog.frame`, in order.
CATALOG_COLUMNS = ("driver", "touchpoint_en", "touchpoint_es", "stage")
#: The stage of a rating column the catalog does not describe.
UNKNOWN_STAGE = "unknown"
_LANGUAGES = ("en", "es")
_ENTRY_KEYS = ("column", "name", "stage")
_EXAMPLE = "See templates/touchpoints.yml for a commented example."
_NO_FILE = "<default>"


class CatalogError(CxkitError):
    """A touchpoint catalog file is missing or malformed: the message says where and the fix."""


@dataclass(frozen=True, eq=False, repr=False)
class TouchpointCatalog(SummaryRepr):
    """Touchpoints of one client: rating column, display names and journey stage.

    Build it with :func:`load_catalog` (a YAML file) or :meth:`default` (names made from the
    column names); fit it to one export with :meth:`resolve`.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per touchpoint, in file order, with columns ``driver`` (the rating column),
        ``touchpoint_en``, ``touchpoint_es`` (display names) and ``stage`` (one of
        :data:`cxkit.JOURNEY_STAGES`, or ``"unknown"`` for a column the file does not describe).
    source : str
        The file the catalog was read from, or ``"<default>"``.
    """

    frame: pd.DataFrame
    source: str = _NO_FILE

    def __post_init__(self) -> None:
        if tuple(self.frame.columns) != CATALOG_COLUMNS:
            raise CatalogError(
                f"A touchpoint catalog's frame must have the columns {list(CATALOG_COLUMNS)}; "
                f"got {list(self.frame.columns)}. Build one with cx.load_catalog(path) or "
                "TouchpointCatalog.default(columns)."
            )

    @property
    def summary(self) -> pd.DataFrame:
        """The catalog as a table (the notebook shows it): same columns as :attr:`frame`."""
        return self.frame.copy()

    @classmethod
    def default(cls, columns: Iterable[str]) -> TouchpointCatalog:
        """Return a catalog naming each column after itself, stage ``"unknown"``.

        ``rating_mobile_app`` becomes "Mobile app" in both languages.

        Parameters
        ----------
        columns : iterable of str
            Rating columns, in the order the catalog should list them.

        Returns
        -------
        TouchpointCatalog
        """
        rows = [(c, _name_from_column(c), _name_from_column(c), UNKNOWN_STAGE) for c in columns]
        return cls(pd.DataFrame(rows, columns=list(CATALOG_COLUMNS)))

    def names(self, lang: str = "en") -> dict[str, str]:
        """Return ``{rating column: display name}`` in ``lang`` ("en" or "es"), in catalog order."""
        check_option("lang", lang, _LANGUAGES)
        return dict(zip(self.frame["driver"], self.frame[f"touchpoint_{lang}"], strict=True))

    def table(self, lang: str = "en") -> pd.DataFrame:
        """Return the catalog in one language: columns ``driver``, ``touchpoint``, ``stage``."""
        check_option("lang", lang, _LANGUAGES)
        out = self.frame[["driver", f"touchpoint_{lang}", "stage"]]
        return out.rename(columns={f"touchpoint_{lang}": "touchpoint"}).reset_index(drop=True)

    def resolve(self, columns: Iterable[str]) -> tuple[TouchpointCatalog, list[str]]:
        """Fit the catalog to the rating columns of one export.

        Parameters
        ----------
        columns : iterable of str
            The export's columns (a DataFrame's columns will do); only ``rating_*`` ones count.

        Returns
        -------
        catalog : TouchpointCatalog
            The catalog's entries whose column is in the export, in catalog order, then the
            export's rating columns the catalog lacks, with names made from the column names
            and stage ``"unknown"``.
        notes : list of str
            Plain-English notes for the analyst: one naming the catalog entries not in this
            export, one naming the export's rating columns not in the catalog (empty if none).
        """
        present = list(dict.fromkeys(c for c in columns if _is_rating(c)))
        catalogued, in_data = set(self.frame["driver"]), set(present)
        missing = [c for c in self.frame["driver"] if c not in in_data]
        extra = [c for c in present if c not in catalogued]
        kept = self.frame[self.frame["driver"].isin(present)]
        frame = pd.concat([kept, TouchpointCatalog.default(extra).frame]) if extra else kept
        notes = _notes(missing, extra, self.names("en"), self.source)
        return TouchpointCatalog(frame.reset_index(drop=True), self.source), notes


def _notes(missing: list[str], extra: list[str], names: dict[str, str], source: str) -> list[str]:
    """Return the analyst's notes on a catalog fitted to one export (see ``resolve``)."""
    notes = []
    catalog = "The default catalog" if source == _NO_FILE else f"The touchpoint catalog ({source})"
    if missing:
        listed = ", ".join(f"{names[c]} ({c})" for c in missing)
        notes.append(
            f"Not in this export: {listed}. {catalog} lists "
            f"{_them(missing)}, but the data has no such column, so "
            f"{'it is' if len(missing) == 1 else 'they are'} left out."
        )
    if extra and source == _NO_FILE:
        notes.append(
            f"No touchpoint catalog describes {', '.join(extra)}: shown with a name made from "
            "the column name and stage 'unknown'. Give the client a touchpoints.yml (see "
            "templates/touchpoints.yml) to name the touchpoints and give their journey stage."
        )
    elif extra:
        notes.append(
            f"Not in the touchpoint catalog ({source}): {', '.join(extra)}. Shown with a name "
            f"made from the column name and stage 'unknown'; add {_them(extra)} to the catalog "
            "to give a name and a journey stage."
        )
    return notes


def rating_columns(frame: pd.DataFrame) -> list[str]:
    """Return the ``rating_*`` columns of a responses frame, in the frame's order."""
    return [c for c in frame.columns if _is_rating(c)]


def _is_rating(column: object) -> bool:
    return isinstance(column, str) and column.startswith(RATING_PREFIX)


def load_catalog(path: str | Path) -> TouchpointCatalog:
    """Read and validate a touchpoint catalog YAML file.

    Parameters
    ----------
    path : str or Path
        The catalog file (see ``templates/touchpoints.yml``).

    Returns
    -------
    TouchpointCatalog
        Its entries in file order.

    Raises
    ------
    CatalogError
        The file is missing or not YAML, or it has problems: every problem in one message,
        each naming the entry (numbered from 1) and its column, what was found and the fix.
    """
    spec = read_yaml(
        path,
        what="Touchpoint catalog",
        fix="Check the path, or copy templates/touchpoints.yml there and list the client's "
        "touchpoints in it.",
        error=CatalogError,
    )
    return _parse(spec, str(path))


def _parse(spec: object, source: str) -> TouchpointCatalog:
    entries = _entries(spec, source)
    problems: list[str] = []
    rows = [_entry(number, entry, problems) for number, entry in enumerate(entries, start=1)]
    _duplicates(entries, problems)
    if problems:
        rest = "".join(f"\n  - {p}" for p in problems[1:])
        raise CatalogError(
            f"Touchpoint catalog {source!r} has {len(problems)} problem(s): {problems[0]}{rest}"
            f"\n{_EXAMPLE}"
        )
    return TouchpointCatalog(pd.DataFrame(rows, columns=list(CATALOG_COLUMNS)), source)


def _duplicates(entries: list[object], problems: list[str]) -> None:
    """Add a problem for every entry whose column an earlier entry already describes."""
    first: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        column = entry.get("column") if isinstance(entry, MappingABC) else None
        if not isinstance(column, str):
            continue
        column = column.strip()
        if column in first:
            problems.append(
                f"entries {first[column]} and {number} both describe column {column!r}; "
                "keep one of them"
            )
        else:
            first[column] = number


def _entries(spec: object, source: str) -> list[object]:
    """Return the ``touchpoints`` list of a parsed file; raise CatalogError if there is none."""
    if not isinstance(spec, MappingABC):
        found = f"{_kind(spec)} at the top of the file"
    elif "touchpoints" not in spec:
        found = f"the key(s) {sorted(str(k) for k in spec)} but no `touchpoints`"
    elif not isinstance(spec["touchpoints"], list):
        found = f"`touchpoints:` holding {_kind(spec['touchpoints'])}"
    else:
        unknown = sorted(str(k) for k in set(spec) - {"touchpoints"})
        if not unknown:
            return list(spec["touchpoints"])
        found = f"unknown top-level key(s) {unknown} beside it"
    raise CatalogError(
        f"Touchpoint catalog {source!r}: expected one top-level key, `touchpoints:`, holding a "
        f"list of entries (- column: ..., name: ..., stage: ...); found {found}. Write a "
        f"`touchpoints:` line and the entries, indented, under it (nothing else). {_EXAMPLE}"
    )


def _entry(number: int, entry: object, problems: list[str]) -> tuple[str, str, str, str] | None:
    """Return one validated row ``(column, name_en, name_es, stage)``, or None on problems."""
    if not isinstance(entry, MappingABC):
        problems.append(
            f"entry {number} must be a mapping with keys {list(_ENTRY_KEYS)}; found "
            f"{_kind(entry)}. Write it as `- column: rating_..., name: ..., stage: ...`"
        )
        return None
    column = _column(number, entry, problems)
    where = f"entry {number} ({column or 'no column'})"
    unknown = sorted(str(k) for k in set(entry) - set(_ENTRY_KEYS))
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {unknown}; allowed keys are {list(_ENTRY_KEYS)}. "
            "Remove or rename them"
        )
    stage = _stage(where, entry.get("stage"), problems)
    names = _names(where, entry.get("name"), column, problems)
    if column is None or stage is None or names is None:
        return None
    return (column, names[0], names[1], stage)


def _column(number: int, entry: MappingABC, problems: list[str]) -> str | None:
    column = entry.get("column")
    if isinstance(column, str) and column.strip().startswith(RATING_PREFIX):
        return column.strip()
    if column is None:
        problems.append(
            f"entry {number} has no `column`; add the rating column it describes, "
            "e.g. `column: rating_onboarding`"
        )
    else:
        problems.append(
            f"entry {number}: `column` must be a canonical rating column starting with "
            f"{RATING_PREFIX!r}; found {column!r}. Write the name cxkit reads it as (a mapping's "
            f"`ratings:` turns 'Q5_1: onboarding' into rating_onboarding)"
        )
    return None


def _stage(where: str, value: object, problems: list[str]) -> str | None:
    allowed = ", ".join(JOURNEY_STAGES)
    if value is None:
        problems.append(f"{where} has no `stage`; add `stage:` with one of {allowed}")
        return None
    stage = STAGE_SYNONYMS.get(normalize_label(value)) if isinstance(value, str) else None
    if stage is None:
        problems.append(
            f"{where}: `stage` is {value!r}, not a journey stage; write one of {allowed}"
        )
        return None
    return stage


def _names(
    where: str, value: object, column: str | None, problems: list[str]
) -> tuple[str, str] | None:
    """Return ``(en, es)`` from a text, an ``{en, es}`` mapping or nothing (from the column)."""
    if isinstance(value, MappingABC):
        unknown = sorted(str(k) for k in set(value) - set(_LANGUAGES))
        if unknown:
            problems.append(
                f"{where}: unknown language(s) {unknown} under `name`; allowed are "
                f"{list(_LANGUAGES)}. Write `name: {{en: ..., es: ...}}`"
            )
    elif value is not None:
        value = dict.fromkeys(_LANGUAGES, value)
    given = {lang: value[lang] for lang in _LANGUAGES if (value or {}).get(lang) is not None}
    bad = [v for v in given.values() if not isinstance(v, str) or not v.strip()]
    if bad:
        problems.append(
            f"{where}: `name` must be a text or {{en: text, es: text}}; found {bad[0]!r}. "
            "Write the name in quotes"
        )
        return None
    fallback = _name_from_column(column or "")
    en = given.get("en", given.get("es", fallback)).strip()
    es = given.get("es", given.get("en", fallback)).strip()
    return (en, es)


def _name_from_column(column: str) -> str:
    """Return a display name made from a column name: ``rating_mobile_app`` -> "Mobile app"."""
    text = column[len(RATING_PREFIX) :] if column.startswith(RATING_PREFIX) else column
    text = " ".join(text.replace("_", " ").split()) or column
    return text[:1].upper() + text[1:]


def _them(items: list[str]) -> str:
    return "it" if len(items) == 1 else "them"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (str, int, float)):
        return f"the {type(value).__name__} {value!r}"
    return f"a {type(value).__name__}"
