"""Shared fixtures: file writers for small hand-made exports, and the sample folder."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # tests draw without a screen

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture
def write(tmp_path: Path):
    """Write ``text`` to ``tmp_path / name`` in ``encoding`` and return the path."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
