"""``cxkit new-client``: a client folder made from the templates."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from cxkit._resources import TEMPLATES
from cxkit.reports.config import ConfigError, slugify

__all__ = ["new_client"]


_FILES = {
    "client.yml": "client.yml",
    "mapping.yml": "mapping.yml",
    "touchpoints.yml": "touchpoints.yml",
    "five_whys.yml": "five_whys.yml",
    "hypotheses.yml": "hypotheses.yml",
    "follow_up.yml": "follow_up.yml",
    "themes.yml": "themes.yml",
}


def new_client(name: str, parent: Path) -> Path:
    """Create ``parent/<slug of name>/`` from the templates; return the folder.

    The client's name is written into ``client.yml`` as a YAML string (quotes escaped), so any
    name is safe. An existing folder is never overwritten. The folder is written under a
    temporary name and renamed when complete, so a failed or interrupted run leaves nothing
    behind (folders made for ``parent`` included).
    """
    if not name.strip():
        raise ConfigError("The client's name is empty.")
    folder = Path(parent) / slugify(name)
    if folder.exists():
        raise ConfigError(f"{str(folder)!r} already exists; choose another name or --dir.")
    made = _first_missing(Path(parent))
    building = Path(parent) / f".{folder.name}.creating-{uuid.uuid4().hex[:8]}"
    try:
        (building / "data").mkdir(parents=True)
        for target, source in _FILES.items():
            text = (TEMPLATES / source).read_text(encoding="utf-8")
            quoted = json.dumps(name, ensure_ascii=False)  # a valid YAML double-quoted string
            text = text.replace('"{client}"', quoted).replace("{client}", name.replace("\n", " "))
            (building / target).write_text(text, encoding="utf-8")
        building.rename(folder)
    except BaseException:
        shutil.rmtree(made or building, ignore_errors=True)
        raise
    return folder


def _first_missing(path: Path) -> Path | None:
    """Return the outermost folder of ``path`` that does not exist yet (None if it exists)."""
    missing = None
    for place in (path, *path.parents):
        if place.exists():
            break
        missing = place
    return missing
