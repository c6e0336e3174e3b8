"""Reading and writing the register file: comments at the top kept, syntax errors located.

The file is YAML with one top-level key, ``hypotheses:``. It is read and written as the 5-whys
log is (:mod:`cxkit.rootcause._yaml`, whose header and dumper this module uses): the comment
lines at the top come back first on save, and texts are quoted so that a save then a load gives
back the same hypotheses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cxkit.errors import CxkitError
from cxkit.rootcause._yaml import _at, _Dumper, _kind, header_of

__all__ = ["HypothesisError", "header_of", "parse_text", "read_text", "write_text"]

EXAMPLE = "See templates/hypotheses.yml for a commented example."


class HypothesisError(CxkitError):
    """A hypothesis register cannot be read: missing, not YAML, or not a list of hypotheses."""


def read_text(path: Path) -> str:
    """Return the file's text, or raise :class:`HypothesisError` saying what to do."""
    if not path.is_file():
        raise HypothesisError(
            f"Hypothesis register {str(path)!r} does not exist. Check the path, or copy "
            "templates/hypotheses.yml there and write the client's bets in it."
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise HypothesisError(
            f"Hypothesis register {str(path)!r} is not UTF-8 text ({err.reason} at byte "
            f"{err.start}). Save it as UTF-8 in the editor."
        ) from None


def parse_text(text: str, source: str) -> list[Any]:
    """Parse the register's text and return its ``hypotheses`` list.

    Raises
    ------
    HypothesisError
        A YAML syntax error (with its line and column, counted from 1), or a top level that
        is not one ``hypotheses:`` key holding a list.
    """
    try:
        spec = yaml.safe_load(text)
    except yaml.MarkedYAMLError as err:
        where = _at(err.problem_mark or err.context_mark)
        what = " ".join(str(p) for p in (err.context, err.problem) if p)
        if err.context_mark and err.problem_mark and err.context_mark.line != err.problem_mark.line:
            what += f" (what is unfinished starts at {_at(err.context_mark)})"
        raise HypothesisError(
            f"{source}: not valid YAML at {where}: {what}. Check the indentation and the "
            "quotes on that line (a text with a colon followed by a space needs quotes)."
        ) from None
    except yaml.YAMLError as err:
        raise HypothesisError(f"{source}: not valid YAML: {err}") from None
    if spec is None:
        return []
    if isinstance(spec, dict) and set(spec) == {"hypotheses"}:
        items = spec["hypotheses"]
        if items is None:
            return []
        if isinstance(items, list):
            return items
        found = f"`hypotheses:` holding {_kind(items)}"
    elif isinstance(spec, dict) and "hypotheses" in spec:
        found = f"unknown top-level key(s) {sorted(str(k) for k in spec if k != 'hypotheses')}"
    elif isinstance(spec, dict):
        found = f"the key(s) {sorted(str(k) for k in spec)} but no `hypotheses`"
    else:
        found = f"{_kind(spec)} at the top of the file"
    raise HypothesisError(
        f"{source}: expected one top-level key, `hypotheses:`, holding a list of hypotheses "
        f"(- id: ..., strategy: ..., metric: ...); found {found}. {EXAMPLE}"
    )


def write_text(header: str, hypotheses: list[object]) -> str:
    """Return the file's text: the header, then ``hypotheses:`` and each hypothesis."""
    body = yaml.dump(
        {"hypotheses": hypotheses},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )
    return (header + "\n" if header else "") + body
