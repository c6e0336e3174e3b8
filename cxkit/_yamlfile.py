"""Read a human-edited YAML file (mapping, touchpoint catalog, logs) with errors people can act on.

Every such file is read the same way: a missing file names the path and the fix, and a syntax
error names the line and column where YAML stopped understanding it, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cxkit.errors import CxkitError

__all__ = ["read_yaml"]


def read_yaml(path: str | Path, *, what: str, fix: str, error: type[CxkitError]) -> Any:
    """Parse the YAML file at ``path``.

    Parameters
    ----------
    path : str or Path
        The file.
    what : str
        What the file is, for messages ("Mapping file", "Touchpoint catalog").
    fix : str
        What to do when the file does not exist.
    error : CxkitError subclass
        The exception to raise.

    Raises
    ------
    error
        The file does not exist, is not UTF-8 text, or is not valid YAML (with line and column,
        counted from 1).
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} {str(path)!r} does not exist. {fix}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise error(
            f"{what} {str(path)!r} is not UTF-8 text ({err.reason}); save it as UTF-8."
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise error(
            f"{what} {str(path)!r} is not valid YAML{where}: {problem}. Check the indentation "
            "and quotes there."
        ) from None
