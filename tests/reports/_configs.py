"""Shared by the report tests: a client config writer on the fixture notebooks."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "notebooks"


def quiet(_line):
    pass


def write_config(folder: Path, **overrides) -> Path:
    spec = {
        "client": "Test client",
        "period": "2026-10",
        "language": "en",
        "redact": True,
        "output": str(folder / "out"),
        "notebooks_dir": str(FIXTURES),
        "notebooks": ["00_quick"],
        "data": {"responses": str(SAMPLES / "responses.csv")},
    }
    spec.update(overrides)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path
