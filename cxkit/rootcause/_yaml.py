"""Reading and writing the log file: comments at the top kept, syntax errors located.

The file is YAML with one top-level key, ``entries:``. Comment lines (and blank lines) at the
top of the file are its header: :func:`read_log` keeps them and :func:`write_log` writes them
back first. Entries are written with PyYAML's safe dumper, which quotes whatever text needs it,
so saving then loading gives back the same entries (Unicode and quotes included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cxkit.errors import CxkitError

__all__ = ["RootCauseError", "header_of", "parse_text", "read_text", "write_text"]

EXAMPLE = "See templates/five_whys.yml for a commented example."


class RootCauseError(CxkitError):
    """A 5-whys log cannot be read: missing, not YAML, or not a list of entries."""


def read_text(path: Path) -> str:
    """Return the file's text, or raise :class:`RootCauseError` saying what to do."""
    if not path.is_file():
        raise RootCauseError(
            f"5-whys log {str(path)!r} does not exist. Check the path, or copy "
            "templates/five_whys.yml there and write the client's investigations in it."
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise RootCauseError(
            f"5-whys log {str(path)!r} is not UTF-8 text ({err.reason} at byte {err.start}). "
            "Save it as UTF-8 in the editor."
        ) from None


def header_of(text: str) -> str:
    """Return the comment and blank lines at the top of ``text`` (with their line ends)."""
    lines = text.splitlines(keepends=True)
    kept = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        kept.append(line)
    return "".join(kept).rstrip("\n ") + "\n" if "".join(kept).strip() else ""


def parse_text(text: str, source: str) -> list[Any]:
    """Parse the log's text and return its ``entries`` list.

    Raises
    ------
    RootCauseError
        A YAML syntax error (with its line and column, counted from 1), or a top level that
        is not one ``entries:`` key holding a list.
    """
    try:
        spec = yaml.safe_load(text)
    except yaml.MarkedYAMLError as err:
        where = _at(err.problem_mark or err.context_mark)
        what = " ".join(str(p) for p in (err.context, err.problem) if p)
        if err.context_mark and err.problem_mark and err.context_mark.line != err.problem_mark.line:
            what += f" (what is unfinished starts at {_at(err.context_mark)})"
        raise RootCauseError(
            f"{source}: not valid YAML at {where}: {what}. Check the indentation and the "
            "quotes on that line (a text with a colon followed by a space needs quotes)."
        ) from None
    except yaml.YAMLError as err:
        raise RootCauseError(f"{source}: not valid YAML: {err}") from None
    if spec is None:
        return []
    if isinstance(spec, dict) and set(spec) == {"entries"}:
        entries = spec["entries"]
        if entries is None:
            return []
        if isinstance(entries, list):
            return entries
        found = f"`entries:` holding {_kind(entries)}"
    elif isinstance(spec, dict) and "entries" in spec:
        found = f"unknown top-level key(s) {sorted(str(k) for k in spec if k != 'entries')}"
    elif isinstance(spec, dict):
        found = f"the key(s) {sorted(str(k) for k in spec)} but no `entries`"
    else:
        found = f"{_kind(spec)} at the top of the file"
    raise RootCauseError(
        f"{source}: expected one top-level key, `entries:`, holding a list of entries "
        f"(- id: ..., opened: ..., problem: ...); found {found}. {EXAMPLE}"
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


def write_text(header: str, entries: list[dict[str, Any]]) -> str:
    """Return the file's text: the header, then ``entries:`` and each entry."""
    body = yaml.dump(
        {"entries": entries},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )
    return (header + "\n" if header else "") + body


def _at(mark: yaml.Mark | None) -> str:
    """Write a YAML position as people count it: "line 3, column 14"."""
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "an unknown place"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (str, int, float)):
        return f"the {type(value).__name__} {value!r}"
    return f"a {type(value).__name__}"
