"""Human-edited record files (the 5-whys log, the hypothesis register): one shared reader/writer.

Such a file is YAML with one top-level key holding a list of records. Comment lines (and blank
lines) at the top are its header: :func:`header_of` keeps them and :func:`write_text` writes
them back first. Records are written with PyYAML's safe dumper, which quotes whatever text
needs it, so saving then loading gives back the same records (Unicode and quotes included).
Syntax errors name the line and column, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cxkit.errors import CxkitError

__all__ = ["RecordFile", "header_of"]


@dataclass(frozen=True)
class RecordFile:
    """What one kind of record file is called, its key, its error, and how to fix it."""

    what: str  # "5-whys log"
    key: str  # "entries"
    error: type[CxkitError]
    missing_fix: str  # what to do when the file does not exist
    shape: str  # the records' first keys, for the message about the top level
    template: str  # "templates/five_whys.yml"

    @property
    def example(self) -> str:
        return f"See {self.template} for a commented example."

    def read_text(self, path: Path) -> str:
        """Return the file's text, or raise :attr:`error` saying what to do."""
        if not path.is_file():
            raise self.error(f"{self.what} {str(path)!r} does not exist. {self.missing_fix}")
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise self.error(
                f"{self.what} {str(path)!r} is not UTF-8 text ({err.reason} at byte "
                f"{err.start}). Save it as UTF-8 in the editor."
            ) from None

    def parse_text(self, text: str, source: str) -> list[Any]:
        """Parse the file's text and return its list of records.

        Raises
        ------
        error
            A YAML syntax error (with its line and column, counted from 1), or a top level
            that is not the one key holding a list.
        """
        try:
            spec = yaml.safe_load(text)
        except yaml.MarkedYAMLError as err:
            raise self.error(f"{source}: not valid YAML at {_located(err)}") from None
        except yaml.YAMLError as err:
            raise self.error(f"{source}: not valid YAML: {err}") from None
        if spec is None:
            return []
        key = self.key
        if isinstance(spec, dict) and set(spec) == {key}:
            items = spec[key]
            if items is None:
                return []
            if isinstance(items, list):
                return items
            found = f"`{key}:` holding {_kind(items)}"
        elif isinstance(spec, dict) and key in spec:
            found = f"unknown top-level key(s) {sorted(str(k) for k in spec if k != key)}"
        elif isinstance(spec, dict):
            found = f"the key(s) {sorted(str(k) for k in spec)} but no `{key}`"
        else:
            found = f"{_kind(spec)} at the top of the file"
        raise self.error(
            f"{source}: expected one top-level key, `{key}:`, holding a list of {key} "
            f"({self.shape}); found {found}. {self.example}"
        )

    def write_text(self, header: str, items: list[Any]) -> str:
        """Return the file's text: the header, then the key and each record."""
        body = yaml.dump(
            {self.key: items},
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=float("inf"),
        )
        return (header + "\n" if header else "") + body


def header_of(text: str) -> str:
    """Return the comment and blank lines at the top of ``text`` (with their line ends)."""
    lines = text.splitlines(keepends=True)
    kept = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        kept.append(line)
    return "".join(kept).rstrip("\n ") + "\n" if "".join(kept).strip() else ""


def _located(err: yaml.MarkedYAMLError) -> str:
    """Say where and what a YAML syntax error is, and how such errors are usually fixed."""
    where = _at(err.problem_mark or err.context_mark)
    what = " ".join(str(p) for p in (err.context, err.problem) if p)
    if err.context_mark and err.problem_mark and err.context_mark.line != err.problem_mark.line:
        what += f" (what is unfinished starts at {_at(err.context_mark)})"
    return (
        f"{where}: {what}. Check the indentation and the quotes on that line (a text with a "
        "colon followed by a space needs quotes)."
    )


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with texts holding Unicode line separators double-quoted.

    In a single-quoted or plain scalar, NEL (U+0085), LS and PS are line breaks that the loader
    folds; double quotes write them as escapes, so they come back as they were.
    """


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(ch in value for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _at(mark: yaml.Mark | None) -> str:
    """Write a YAML position as people count it: "line 3, column 14"."""
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "an unknown place"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (str, int, float)):
        return f"the {type(value).__name__} {value!r}"
    return f"a {type(value).__name__}"
