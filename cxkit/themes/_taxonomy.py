"""Theme taxonomy: each theme's key, its label in English and Spanish, its phrases per language.

A taxonomy is one small YAML file per client (commented example: ``templates/themes.yml``)::

    themes:
      billing:
        label: {en: Billing errors, es: Errores de facturación}
        en: ["charged twice", "wrong invoice", "overcharg*"]
        es: ["cobro doble", "factura incorrecta", "me cobraron de más"]

A theme needs a label in both languages and at least one phrase (in either language). A phrase
is one or more words; a word ending in ``*`` is a prefix. How phrases match is described in
:func:`cxkit.themes.themes`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit._checks import check_option
from cxkit._results import SummaryRepr
from cxkit._yamlfile import read_yaml
from cxkit.themes._errors import ThemeError
from cxkit.themes._language import LANGUAGES

__all__ = ["Taxonomy", "Theme", "load_taxonomy"]

_KEYS = ("label", *LANGUAGES)
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_EXAMPLE = "See templates/themes.yml for a commented example."


@dataclass(frozen=True)
class Theme:
    """One theme: its key (the tag column's name), labels and phrases per language."""

    key: str
    label_en: str
    label_es: str
    phrases: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, repr=False)
class Taxonomy(SummaryRepr):
    """The themes of one client, in file order.

    Build it with :func:`load_taxonomy` (a YAML file) or :meth:`from_dict` (the same shape as
    a Python mapping).

    Attributes
    ----------
    themes : tuple of Theme
        The themes, in file order.
    source : str
        The file the taxonomy was read from, or ``"<dict>"``.
    """

    themes: tuple[Theme, ...]
    source: str = "<dict>"
    _by_key: dict[str, Theme] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {t.key: t for t in self.themes})

    @classmethod
    def from_dict(cls, spec: object, *, source: str = "<dict>") -> Taxonomy:
        """Validate a parsed taxonomy (``{"themes": {key: {...}}}``) and return it.

        Raises
        ------
        ThemeError
            Every problem in one message, each naming the theme and field and the fix.
        """
        return _parse(spec, source)

    @property
    def keys(self) -> list[str]:
        """The theme keys, in file order."""
        return [t.key for t in self.themes]

    def label(self, theme: str, lang: str = "en") -> str:
        """Return the label of theme ``theme`` in ``lang`` ("en" or "es")."""
        check_option("lang", lang, LANGUAGES)
        if theme not in self._by_key:
            raise ThemeError(
                f"no theme {theme!r} in the taxonomy ({self.source}); themes are {self.keys}."
            )
        return getattr(self._by_key[theme], f"label_{lang}")

    @property
    def summary(self) -> pd.DataFrame:
        """One row per theme: ``theme, label_en, label_es, phrases_en, phrases_es``."""
        rows = [
            (t.key, t.label_en, t.label_es, *("; ".join(t.phrases[g]) for g in LANGUAGES))
            for t in self.themes
        ]
        return pd.DataFrame(
            rows, columns=["theme", "label_en", "label_es", "phrases_en", "phrases_es"]
        )


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a theme taxonomy YAML file.

    Parameters
    ----------
    path : str or Path
        The taxonomy file (see ``templates/themes.yml``).

    Returns
    -------
    Taxonomy
        Its themes in file order.

    Raises
    ------
    ThemeError
        The file is missing or not YAML (with line and column), or it has problems: every
        problem in one message, each naming the theme key, the field, what was found and the fix.
    """
    spec = read_yaml(
        path,
        what="Theme taxonomy",
        fix="Check the path, or copy templates/themes.yml there and write the client's themes.",
        error=ThemeError,
    )
    return _parse(spec, str(path))


def _parse(spec: object, source: str) -> Taxonomy:
    entries = _entries(spec, source)
    problems: list[str] = []
    themes = [_theme(key, entry, problems) for key, entry in entries.items()]
    if problems:
        rest = "".join(f"\n  - {p}" for p in problems[1:])
        raise ThemeError(
            f"Theme taxonomy {source!r} has {len(problems)} problem(s): {problems[0]}{rest}"
            f"\n{_EXAMPLE}"
        )
    return Taxonomy(tuple(t for t in themes if t is not None), source)


def _entries(spec: object, source: str) -> Mapping:
    """Return the ``themes`` mapping of a parsed file; raise ThemeError if there is none."""
    if not isinstance(spec, Mapping):
        found = f"{_kind(spec)} at the top of the file"
    elif "themes" not in spec:
        found = f"the key(s) {sorted(str(k) for k in spec)} but no `themes`"
    elif not isinstance(spec["themes"], Mapping) or not spec["themes"]:
        found = f"`themes:` holding {_kind(spec['themes'])}"
    else:
        unknown = sorted(str(k) for k in set(spec) - {"themes"})
        if not unknown:
            return spec["themes"]
        found = f"unknown top-level key(s) {unknown} beside it"
    raise ThemeError(
        f"Theme taxonomy {source!r}: expected one top-level key, `themes:`, holding one entry "
        f"per theme (key: {{label: ..., en: [...], es: [...]}}); found {found}. Write a "
        f"`themes:` line and the themes, indented, under it. {_EXAMPLE}"
    )


def _theme(key: object, entry: object, problems: list[str]) -> Theme | None:
    """Return one validated theme, or None after adding its problems."""
    where = f"theme {key!r}"
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append(
            f"{where}: a theme key must start with a letter and hold only letters, digits and "
            "underscores (it becomes a column name); rename it, e.g. `late_delivery`"
        )
    if not isinstance(entry, Mapping):
        problems.append(
            f"{where} must be a mapping with keys {list(_KEYS)}; found {_kind(entry)}. Write "
            "`label: {en: ..., es: ...}` and `en: [...]`, `es: [...]` under it, indented"
        )
        return None
    unknown = sorted(str(k) for k in set(entry) - set(_KEYS))
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {unknown}; allowed keys are {list(_KEYS)}. Remove or "
            "rename them (phrases go under `en:` and `es:`)"
        )
    labels = _labels(where, entry.get("label"), problems)
    phrases = {lang: _phrases(where, lang, entry.get(lang), problems) for lang in LANGUAGES}
    if not any(phrases.values()) and all(entry.get(lang) is None for lang in LANGUAGES):
        problems.append(
            f"{where} has no phrases; add `en: [...]` and/or `es: [...]` with the words "
            "customers use for it"
        )
    if labels is None or problems:
        return None
    return Theme(str(key), labels[0], labels[1], phrases)


def _labels(where: str, value: object, problems: list[str]) -> tuple[str, str] | None:
    """Return ``(en, es)`` from ``label: {en: ..., es: ...}``."""
    fix = "Write `label: {en: Billing errors, es: Errores de facturación}`"
    if value is None:
        problems.append(f"{where} has no `label`; add one in both languages. {fix}")
        return None
    if not isinstance(value, Mapping):
        problems.append(f"{where}: `label` must give both languages; found {_kind(value)}. {fix}")
        return None
    found: list[str] = []
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            what = "is missing" if text is None else f"is {text!r}, not a text"
            problems.append(f"{where}: `label` {what} in {lang!r}. {fix}")
        else:
            found.append(text.strip())
    unknown = sorted(str(k) for k in set(value) - set(LANGUAGES))
    if unknown:
        problems.append(f"{where}: unknown language(s) {unknown} under `label`. {fix}")
    return (found[0], found[1]) if len(found) == 2 and not unknown else None


def _phrases(where: str, lang: str, value: object, problems: list[str]) -> tuple[str, ...]:
    """Return the validated phrases of one language (empty when the key is absent)."""
    if value is None:
        return ()
    fix = f'Write `{lang}: ["phrase one", "phrase two"]`'
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: `{lang}` must be a list of phrases; found {_kind(value)}. {fix}")
        return ()
    out = []
    for number, phrase in enumerate(value, start=1):
        if not isinstance(phrase, str):
            problems.append(
                f"{where}: `{lang}` phrase {number} is {_kind(phrase)}, not a text. Quote it"
            )
        elif not re.search(r"[^\W_]", phrase):
            problems.append(
                f"{where}: `{lang}` phrase {number} ({phrase!r}) has no word to match; a phrase "
                "needs at least one letter or digit (`*` alone matches everything). Write the "
                "words or remove it"
            )
        else:
            out.append(phrase.strip())
    return tuple(out)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (str, int, float)):
        return f"the {type(value).__name__} {value!r}"
    if isinstance(value, (list, dict)) and not value:
        return f"an empty {type(value).__name__}"
    return f"a {type(value).__name__}"
