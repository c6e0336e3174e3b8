"""Client configuration: one YAML file per client, validated before anything runs.

A commented template is ``templates/client.yml``; ``cxkit new-client NAME`` copies it with a
mapping, a touchpoint catalog, a 5-whys log and a hypothesis register into a new client folder.
Relative paths in the file are relative to the file's own folder. The optional ``touchpoints``
key names the client's touchpoint catalog (see :mod:`cxkit.touchpoints`); it is loaded and
checked here, and its path is injected into notebooks as ``touchpoints_path``. The optional
``five_whys`` key names the client's 5-whys log (see :mod:`cxkit.rootcause`), injected as
``five_whys_path``, the optional ``hypotheses`` key the client's hypothesis register (see
:mod:`cxkit.hypotheses`), injected as ``hypotheses_path``, and the optional ``follow_up`` key
the client's detractor follow-up log, injected as ``follow_up_path``; only their existence is
checked here, since a log or register with problems still gives a report (its page lists
them). The optional ``themes`` key names the client's theme taxonomy (see
:mod:`cxkit.themes`), loaded and checked here like the touchpoint catalog, injected as
``themes_path``.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cxkit._periods import as_period
from cxkit._resources import NOTEBOOKS
from cxkit.errors import CxkitError
from cxkit.themes import load_taxonomy
from cxkit.touchpoints import load_catalog

__all__ = [
    "NOTEBOOK_DIR",
    "ClientConfig",
    "ConfigError",
    "load_config",
    "notebook_parameters",
    "slugify",
]

#: Where the report notebooks live (the repository's ``notebooks/`` folder).
NOTEBOOK_DIR = NOTEBOOKS
_KEYS = (
    "client",
    "period",
    "language",
    "min_n",
    "redact",
    "output",
    "notebooks",
    "data",
    "parameters",
    "notebooks_dir",
    "currency",
    "timezone",
    "window",
    "touchpoints",
    "five_whys",
    "hypotheses",
    "themes",
    "follow_up",
)
_DATA_KINDS = ("responses", "tickets", "customers", "orders")
_DATA_KEYS = ("path", "mapping")
#: Parameters the runner sets itself; a config may not override them.
RUNNER_PARAMETERS = (
    "client",
    "period",
    "lang",
    "min_n",
    "redact",
    "currency",
    "timezone",
    "window",
    "metrics_path",
    "history_path",
    "responses_path",
    "tickets_path",
    "customers_path",
    "orders_path",
    "mapping_path",
    "touchpoints_path",
    "five_whys_path",
    "hypotheses_path",
    "themes_path",
    "follow_up_path",
)


class ConfigError(CxkitError):
    """A client configuration file is invalid; the message lists what is allowed."""


@dataclass(frozen=True)
class ClientConfig:
    """A validated client configuration."""

    client: str
    period: pd.Period
    language: str
    min_n: int
    redact: bool
    output: Path
    notebooks: tuple[str, ...]
    data: dict[str, dict[str, Path | None]]
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    notebooks_dir: Path = NOTEBOOK_DIR
    source: Path | None = None
    currency: str | None = None
    timezone: str | None = None
    window: int = 24
    touchpoints: Path | None = None
    five_whys: Path | None = None
    hypotheses: Path | None = None
    themes: Path | None = None
    follow_up: Path | None = None

    @property
    def slug(self) -> str:
        """The client's name as a folder name."""
        return slugify(self.client)

    def notebook_path(self, name: str) -> Path:
        """Path of notebook ``name`` (without ``.ipynb``)."""
        return self.notebooks_dir / f"{name}.ipynb"

    def with_overrides(
        self,
        *,
        period: str | None = None,
        language: str | None = None,
        output: str | Path | None = None,
    ) -> ClientConfig:
        """Return the configuration with command-line overrides applied (and validated)."""
        from dataclasses import replace

        changes: dict[str, Any] = {}
        if period is not None:
            changes["period"] = _period(period, self.source)
        if language is not None:
            changes["language"] = _language(language, self.source)
        if output is not None:
            changes["output"] = Path(output)
        return replace(self, **changes)


def slugify(name: str) -> str:
    """Turn ``name`` into a folder name: lower-case letters and digits joined by dashes."""
    text = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(part for part in text.split("-") if part) or "client"


def load_config(path: str | Path) -> ClientConfig:
    """Read and validate a client configuration file.

    Raises
    ------
    ConfigError
        Unknown keys, missing data files, unknown notebooks or notebook parameters, bad values:
        every problem found, in one message.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"Client config {str(path)!r} does not exist. Create one with `cxkit new-client NAME`."
        )
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(f"Client config {str(path)!r} is not valid YAML: {err}") from None
    return parse_config(spec, source=path)


def parse_config(spec: object, *, source: Path) -> ClientConfig:
    """Validate a parsed configuration (see :func:`load_config`)."""
    if not isinstance(spec, MappingABC):
        raise ConfigError(f"Client config {str(source)!r} must be a mapping of keys to values.")
    problems: list[str] = []
    unknown = sorted(set(spec) - set(_KEYS))
    if unknown:
        problems.append(f"unknown key(s) {unknown}; allowed keys are {list(_KEYS)}")
    base = source.parent
    notebooks_dir = _resolve(base, spec.get("notebooks_dir")) or NOTEBOOK_DIR
    notebooks = _notebooks(spec.get("notebooks"), notebooks_dir, problems)
    data = _data(spec.get("data"), base, problems)
    touchpoints = _touchpoints(spec.get("touchpoints"), base, problems)
    five_whys = _record("five_whys", spec.get("five_whys"), base, problems)
    hypotheses = _record("hypotheses", spec.get("hypotheses"), base, problems)
    themes = _taxonomy(spec.get("themes"), base, problems)
    follow_up = _record("follow_up", spec.get("follow_up"), base, problems)
    parameters = _parameters(spec.get("parameters"), notebooks, notebooks_dir, problems)
    if not isinstance(spec.get("client"), str) or not spec.get("client", "").strip():
        problems.append("`client` must be the client's name (text)")
    _collect(problems, lambda: _period(spec.get("period"), source))
    _collect(problems, lambda: _language(spec.get("language", "en"), source))
    min_n = spec.get("min_n", 30)
    if not isinstance(min_n, int) or isinstance(min_n, bool) or min_n < 1:
        problems.append(f"`min_n` must be a whole number of at least 1; got {min_n!r}")
    _collect(problems, lambda: _window(spec.get("window", 24)))
    if not isinstance(spec.get("redact", True), bool):
        problems.append(f"`redact` must be true or false; got {spec.get('redact')!r}")
    _collect(problems, lambda: _currency(spec.get("currency")))
    _collect(problems, lambda: _timezone(spec.get("timezone")))
    if problems:  # the first problem is on the first line, which batch summaries show
        rest = "".join(f"\n  - {p}" for p in problems[1:])
        raise ConfigError(
            f"Client config {str(source)!r} has {len(problems)} problem(s): {problems[0]}{rest}"
        )
    return ClientConfig(
        client=spec["client"].strip(),
        period=_period(spec["period"], source),
        language=_language(spec.get("language", "en"), source),
        min_n=min_n,
        redact=spec.get("redact", True),
        output=_resolve(base, spec.get("output", "reports")),
        notebooks=tuple(notebooks),
        data=data,
        parameters=parameters,
        notebooks_dir=notebooks_dir,
        source=source,
        currency=_currency(spec.get("currency")),
        timezone=_timezone(spec.get("timezone")),
        window=_window(spec.get("window", 24)),
        touchpoints=touchpoints,
        five_whys=five_whys,
        hypotheses=hypotheses,
        themes=themes,
        follow_up=follow_up,
    )


def _collect(problems: list[str], check) -> None:
    try:
        check()
    except ConfigError as err:
        problems.append(str(err))


def _resolve(base: Path, value: object) -> Path | None:
    if value is None:
        return None
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _period(value: object, source: Path | None) -> pd.Period:
    """Parse a month (2026-10), quarter (2026Q4) or year (2026), written exactly so."""
    try:
        return as_period(value)
    except CxkitError:
        raise ConfigError(
            f"`period` must be a month (2026-10), quarter (2026Q4) or year (2026); got {value!r}"
        ) from None


def _window(value: object) -> int:
    """Check the periods read of an export given as a folder, glob or URL (at least one)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(
            f"`window` must be a whole number of periods of at least 1 (how many, up to the "
            f"report period, are read of an export given as a folder or glob); got {value!r}"
        )
    return value


def _currency(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value):
        raise ConfigError(f"`currency` must be an ISO 4217 code such as EUR or USD; got {value!r}")
    return value.upper()


def _timezone(value: object) -> str | None:
    if value is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"`timezone` must be a time zone name such as Europe/Madrid or America/Bogota; "
            f"got {value!r}"
        ) from None
    return str(value)


def _language(value: object, source: Path | None) -> str:
    if value not in ("en", "es"):
        raise ConfigError(f"`language` must be one of 'en', 'es'; got {value!r}")
    return str(value)


def available_notebooks(folder: Path) -> list[str]:
    """Names of the notebooks in ``folder``, without ``.ipynb``."""
    return sorted(p.stem for p in folder.glob("*.ipynb"))


def _notebooks(value: object, folder: Path, problems: list[str]) -> list[str]:
    known = available_notebooks(folder)
    if value is None:
        return known
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        problems.append(f"`notebooks` must be a list of notebook names; available: {known}")
        return []
    missing = [v for v in value if v not in known]
    if missing:
        problems.append(f"unknown notebook(s) {missing}; available: {known}")
    return [v for v in value if v in known]


def _data(value: object, base: Path, problems: list[str]) -> dict[str, dict[str, Path | None]]:
    if not isinstance(value, MappingABC) or not value:
        problems.append(f"`data` must map data kinds {list(_DATA_KINDS)} to files")
        return {}
    out = {}
    for kind, entry in value.items():
        if kind not in _DATA_KINDS:
            problems.append(f"unknown data kind {kind!r}; allowed: {list(_DATA_KINDS)}")
            continue
        entry = {"path": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, MappingABC) or set(entry) - set(_DATA_KEYS) or "path" not in entry:
            problems.append(f"`data.{kind}` must be a file path or {{path: ..., mapping: ...}}")
            continue
        files = {key: _resolve(base, entry.get(key)) for key in _DATA_KEYS}
        if _url(entry["path"]):  # an fsspec URL (s3://bucket/exports/) stays as written
            files["path"] = str(entry["path"])
        if files["mapping"] is not None and not files["mapping"].is_file():
            problems.append(f"`data.{kind}.mapping` file not found: {str(files['mapping'])!r}")
        if not local_file(files["path"]):
            _export_files(kind, files["path"], problems)
        out[kind] = files
    return out


def _url(value: object) -> bool:
    """Tell whether a data path is an fsspec URL (checked without importing the scan code)."""
    if not isinstance(value, str) or "://" not in value:
        return False
    from cxkit.scan._remote import is_url

    return is_url(value)


def local_file(path: Path | str) -> bool:
    """Tell whether a data path is one local file (else a folder, a glob or a URL: a scan)."""
    return isinstance(path, Path) and path.is_file()


def _export_files(kind: str, path: Path | str, problems: list[str]) -> None:
    """Check that a data path that is not a file is a folder, glob or URL of exports."""
    if isinstance(path, Path) and not path.is_dir() and not glob.has_magic(str(path)):
        problems.append(f"`data.{kind}.path` file not found: {str(path)!r}")
        return
    from cxkit.scan._files import export_files

    try:
        export_files(path)
    except CxkitError as err:
        problems.append(f"`data.{kind}.path`: {err}")


def scan_folder(config: ClientConfig, kind: str) -> Path:
    """Give the folder where export ``kind``, a folder or glob, is validated between reports."""
    return (config.output / config.slug / ".scans" / kind).absolute()


def _touchpoints(value: object, base: Path, problems: list[str]) -> Path | None:
    """Return the touchpoint catalog's path; add the catalog's problems to ``problems``."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(
            f"`touchpoints` must be the path of the client's touchpoint catalog, such as "
            f"touchpoints.yml; got {value!r}"
        )
        return None
    path = _resolve(base, value)
    if not path.is_file():
        problems.append(
            f"`touchpoints` file not found: {str(path)!r}; copy templates/touchpoints.yml "
            "there and fill it in, or remove the key"
        )
        return None
    try:
        load_catalog(path)
    except CxkitError as err:
        problems.append("`touchpoints`: " + str(err).replace("\n", "\n    "))
    return path


def _taxonomy(value: object, base: Path, problems: list[str]) -> Path | None:
    """Return the theme taxonomy's path; add the taxonomy's problems to ``problems``."""
    path = _record("themes", value, base, problems)
    if path is not None:
        try:
            load_taxonomy(path)
        except CxkitError as err:
            problems.append("`themes`: " + str(err).replace("\n", "\n    "))
    return path


#: Record files a config may name: key -> (what it is, its template in templates/).
_RECORDS = {
    "five_whys": ("the client's 5-whys log", "five_whys.yml"),
    "hypotheses": ("the client's hypothesis register", "hypotheses.yml"),
    "themes": ("the client's theme taxonomy", "themes.yml"),
    "follow_up": ("the client's detractor follow-up log (CSV or YAML)", "follow_up.yml"),
}


def _record(key: str, value: object, base: Path, problems: list[str]) -> Path | None:
    """Return the path of record file ``key`` (5-whys log, hypothesis register); it must exist.

    Its content is not checked here: a record with problems still gives a report, whose page
    lists them (``cxkit rootcause check`` and ``cxkit hypotheses check`` list them beforehand).
    """
    if value is None:
        return None
    what, template = _RECORDS[key]
    if not isinstance(value, str) or not value.strip():
        problems.append(f"`{key}` must be the path of {what}, such as {template}; got {value!r}")
        return None
    path = _resolve(base, value)
    if not path.is_file():
        problems.append(
            f"`{key}` file not found: {str(path)!r}; copy templates/{template} there, "
            "or remove the key"
        )
        return None
    return path


def notebook_parameters(path: Path) -> set[str]:
    """Names declared in a notebook's ``parameters`` cell (papermill's inspection)."""
    import papermill as pm

    return set(pm.inspect_notebook(str(path)))


def _parameters(
    value: object, notebooks: list[str], folder: Path, problems: list[str]
) -> dict[str, dict[str, Any]]:
    if value is None:
        return {}
    if not isinstance(value, MappingABC):
        problems.append("`parameters` must map notebook names to {parameter: value}")
        return {}
    out = {}
    for name, params in value.items():
        if name not in notebooks:
            problems.append(f"`parameters.{name}`: not a selected notebook; selected: {notebooks}")
            continue
        if not isinstance(params, MappingABC):
            problems.append(f"`parameters.{name}` must map parameter names to values")
            continue
        declared = notebook_parameters(folder / f"{name}.ipynb")
        unknown = sorted(set(params) - declared)
        if unknown:
            problems.append(
                f"`parameters.{name}`: unknown parameter(s) {unknown}; the notebook declares "
                f"{sorted(declared)}"
            )
        reserved = sorted(set(params) & set(RUNNER_PARAMETERS))
        if reserved:
            problems.append(
                f"`parameters.{name}`: {reserved} are set by the runner from the config's own keys"
            )
        out[name] = dict(params)
    return out


def check_data(config: ClientConfig, progress: Callable[[str], None] | None = None) -> None:
    """Read every export of ``config`` with its mapping, and check it covers the report period.

    Run before the first kernel starts, so a bad mapping, an unreadable export or a report
    period with no data is a configuration error (exit 2) and nothing is run or stored.

    Raises
    ------
    ConfigError
        Every problem found, one per export, in one message: the export that cannot be read
        and why, or the range of dates it covers when the report period is outside it.
    """
    from cxkit.io.client import check_covers
    from cxkit.io.readers import read_table

    problems = []
    for kind, files in config.data.items():
        try:
            if not local_file(files["path"]):
                _check_scan(config, kind, files, progress)
                continue
            read = read_table(
                files["path"], kind, mapping=files.get("mapping"), timezone=config.timezone
            )
            check_covers(kind, read, config.period)
        except CxkitError as err:
            problems.append(f"`data.{kind}`: {str(err).strip()}")
    if problems:
        rest = "".join(f"\n  - {p}" for p in problems[1:])
        raise ConfigError(
            f"Client config {str(config.source)!r}: {len(problems)} export(s) cannot be used for "
            f"{config.period}: {problems[0]}{rest}"
        )


def _check_scan(
    config: ClientConfig, kind: str, files: dict[str, Path | None], progress=None
) -> None:
    """Validate a folder or glob export into :func:`scan_folder` (unless current); check it.

    The notebooks then open the validated folder as it is, so the exports are read once per
    change, not once per notebook or report.
    """
    from cxkit.io.client import KINDS, check_covers
    from cxkit.scan._prepared import prepared_scan
    from cxkit.scan._window import window_read

    scan = prepared_scan(
        files["path"],
        kind,
        scan_folder(config, kind),
        mapping=files.get("mapping"),
        timezone=config.timezone,
        progress=None if progress is None else lambda line: progress(f"{config.client} · {line}"),
    )
    if KINDS[kind] is not None:
        read = window_read(scan, str(files["path"]), KINDS[kind], (config.period,) * 2)
        check_covers(kind, read, config.period)
