"""The README's table of metric functions agrees with their signatures and their output."""

import inspect
import re
from pathlib import Path

import pytest

import cxkit as cx

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
ROWS = re.findall(r"^\| `cx\.(\w+)` \| `([^`]*)` \| `([^`]*)` \|$", README, flags=re.M)


def names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",")]


def test_the_table_lists_every_metric_function():
    assert {r[0] for r in ROWS} == {
        "nps",
        "csat",
        "ces",
        "survey_metrics",
        "fcr",
        "reopen_rate",
        "churn_rate",
        "compare",
        "service_metrics",
        "cohort_retention",
        "clv",
        "verbatims",
    }


@pytest.fixture(scope="module")
def frames(samples):
    return {
        "responses": cx.read_responses(samples / "responses.csv").data,
        "tickets": cx.read_tickets(samples / "tickets.csv").data,
        "customers": cx.read_customers(samples / "customers.csv").data,
    }


SOURCE = {
    "nps": "responses",
    "csat": "responses",
    "ces": "responses",
    "survey_metrics": "responses",
    "compare": "responses",
    "verbatims": "responses",
    "fcr": "tickets",
    "reopen_rate": "tickets",
    "service_metrics": "tickets",
    "churn_rate": "customers",
    "cohort_retention": "customers",
    "clv": "customers",
}


@pytest.mark.parametrize(("name", "arguments", "columns"), ROWS, ids=[r[0] for r in ROWS])
def test_signature_and_columns_match(name, arguments, columns, frames):
    func = getattr(cx, name)
    params = list(inspect.signature(func).parameters.values())
    assert params[0].name == "data"
    assert all(p.kind is p.KEYWORD_ONLY for p in params[1:])
    assert [p.name for p in params[1:]] == names(arguments)
    out = func(frames[SOURCE[name]])
    if isinstance(out, dict):  # cx.survey_metrics: one table per metric, each its own row's
        assert list(out) == names(columns)
        return
    assert list(out.columns) == names(columns)


def test_the_readme_examples_on_the_sample_data_run(monkeypatch):
    """Every ```python block of the README that works on data/samples runs as written."""
    import matplotlib

    matplotlib.use("Agg")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README, flags=re.S) if "samples" in b]
    assert blocks
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
