"""Where the shipped templates and notebooks are, in a checkout or an installed wheel.

``templates/`` and ``notebooks/`` sit at the top of the repository and are packaged as
``cxkit.templates`` and ``cxkit.notebooks`` (see ``pyproject.toml``), so ``importlib.resources``
finds them the same way in an editable install and in a wheel.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["NOTEBOOKS", "TEMPLATES"]

#: The templates folder: client config, mapping, logs and the report pages' Jinja templates.
TEMPLATES = Path(str(files("cxkit.templates")))
#: The report notebooks folder.
NOTEBOOKS = Path(str(files("cxkit.notebooks")))
