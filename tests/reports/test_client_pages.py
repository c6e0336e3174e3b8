"""Issue 7's defects, each reproduced on the real notebook 01 and the sample client.

Every figure on a client page is for the period the page names; only the client's own exports
are used; pages are written for people in the report's language.
"""

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

import cxkit as cx
from cxkit.cli import main
from cxkit.reports.history import History

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
PAGE = "01_baseline_metrics.html"


def client_folder(tmp_path: Path, kinds=("responses", "tickets", "customers", "orders"), **extra):
    """A client folder holding copies of the sample exports named in ``kinds``."""
    folder = tmp_path / "client"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        shutil.copy(SAMPLES / f"{kind}.csv", folder / "data" / f"{kind}.csv")
    spec = {
        "client": "Page client",
        "period": "2026-10",
        "language": "en",
        "currency": "EUR",
        "output": "reports",
        "notebooks": ["01_baseline_metrics"],
        "data": {kind: f"data/{kind}.csv" for kind in kinds},
    }
    spec.update(extra)
    (folder / "client.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return folder


def text_of(html: str) -> str:
    """What a reader sees: no style sheet, no tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The sample client's section page and index, in English and Spanish."""
    out = {}
    for lang in ("en", "es"):
        folder = tmp_path_factory.mktemp(lang)
        config = SAMPLES / "client.yml"
        assert main(["report", str(config), "--lang", lang, "--out", str(folder)]) == 0
        report = folder / "sample-client" / "2026-10"
        out[lang] = {p: (report / p).read_text(encoding="utf-8") for p in (PAGE, "index.html")}
    return out


@pytest.fixture(scope="module")
def responses():
    return cx.read_responses(SAMPLES / "responses.csv").data


def test_segment_table_counts_the_report_period_only(pages, responses):
    october = responses[responses["responded_at"].dt.to_period("M") == pd.Period("2026-10")]
    consumer = october[(october["segment"] == "Consumer") & october["nps"].notna()]
    whole = responses[(responses["segment"] == "Consumer") & responses["nps"].notna()]
    page = pages["en"][PAGE]
    row = re.search(r">Consumer</td>\s*<td[^>]*>([\d,]+)</td>", page)
    assert row and row.group(1) == f"{len(consumer):,}"  # 248 answers in October
    assert f"{len(whole):,}" not in text_of(page)  # 4,488 over the whole export


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pages_are_written_for_people(pages, lang):
    for name, html in pages[lang].items():
        body = text_of(html)
        assert not re.search(r"\d\.\d+e[+-]\d", body), f"scientific notation on {name}"
        headers = [text_of(h) for h in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", html, flags=re.S)]
        assert headers or name == "index.html"  # the index shows cards, not tables
        assert not [h for h in headers if re.search(r"\b[a-z]+_[a-z_]+\b", h)]
        for raw in ("NaN", "False", "True", "group_vs_rest", "¶", "Unnamed"):
            assert raw not in body, f"{raw!r} on {name} ({lang})"
    main_part = re.search(r"<main>(.*)</main>", pages[lang][PAGE], flags=re.S).group(1)
    section = text_of(main_part)  # the footer's version number is not a figure
    if lang == "es":
        assert re.search(r"\d,\d\s%", section) and "intervalo del 95 %" in section
        # no decimal point anywhere once thousands separators (1.234) are taken out
        assert not re.search(r"\d\.\d", re.sub(r"\d{1,3}(\.\d{3})+(?!\d)", "", section))
    else:
        assert "95% interval" in section and "€" in section


def test_a_period_outside_the_export_is_a_config_error(tmp_path, capsys):
    folder = client_folder(tmp_path)
    for period in ("2026-11", "2019-01"):
        code = main(["report", str(folder / "client.yml"), "--period", period])
        err = capsys.readouterr().err
        assert code == 2, err
        assert f"report period {period}" in err and "covers 2024-11-01 to 2026-10-31" in err
        assert not (folder / "reports" / "page-client" / period).exists()
    assert (
        not (folder / "history.sqlite").exists()
        or History(folder / "history.sqlite").load("Page client").empty
    )


def test_a_survey_only_client_gets_no_one_elses_figures(tmp_path):
    folder = client_folder(tmp_path, kinds=("responses",))
    assert main(["report", str(folder / "client.yml")]) == 0
    report = folder / "reports" / "page-client" / "2026-10"
    metrics = pd.read_csv(report / "metrics.csv")
    assert set(metrics["metric"]) == {"nps", "csat", "ces"}  # no ticket or churn figures
    page = text_of((report / PAGE).read_text(encoding="utf-8"))
    assert "Service" not in page and "Churn" not in page and "Lifetime value" not in page
    executed = (report / "notebooks" / "01_baseline_metrics.ipynb").read_text(encoding="utf-8")
    assert "Left out of this report: no ticket export was given for this client." in executed


def test_responses_without_a_weight_column_are_reported_unweighted(tmp_path):
    folder = client_folder(tmp_path, kinds=("responses",))
    data = pd.read_csv(folder / "data" / "responses.csv")
    data.drop(columns=["weight"]).to_csv(folder / "data" / "responses.csv", index=False)
    assert (
        cx.read_client(responses=folder / "data" / "responses.csv", weight="weight").weight is None
    )
    assert main(["report", str(folder / "client.yml")]) == 0
    executed = folder / "reports" / "page-client" / "2026-10" / "notebooks"
    text = (executed / "01_baseline_metrics.ipynb").read_text(encoding="utf-8")
    assert "has no &#x27;weight&#x27; column, so figures are unweighted" in text or (
        "has no 'weight' column, so figures are unweighted" in text
    )


def test_the_readme_walkthrough_on_a_new_client(tmp_path, monkeypatch):
    """README "Client reports": new-client, put the exports in data/, report in Spanish."""
    monkeypatch.chdir(tmp_path)
    assert main(["new-client", "Acme Retail", "--dir", "clients"]) == 0
    client = tmp_path / "clients" / "acme-retail"
    for kind in ("responses", "tickets", "customers", "orders"):
        shutil.copy(SAMPLES / f"{kind}.csv", client / "data" / f"{kind}.csv")
    assert main(["report", str(client / "client.yml"), "--period", "2026-10", "--lang", "es"]) == 0
    index = client / "reports" / "acme-retail" / "2026-10" / "index.html"
    assert "Acme Retail" in index.read_text(encoding="utf-8")


@pytest.mark.parametrize(("period", "name"), [("2026-06", "June 2026"), ("2026Q3", "Q3 2026")])
def test_a_past_period_is_reported_from_the_same_exports(tmp_path, period, name):
    folder = client_folder(tmp_path)
    assert main(["report", str(folder / "client.yml"), "--period", period]) == 0
    report = folder / "reports" / "page-client" / period
    assert name in text_of((report / "index.html").read_text(encoding="utf-8"))
    assert (report / PAGE).is_file()
    metrics = pd.read_csv(report / "metrics.csv")
    assert set(metrics["period"].astype(str)) == {period}
    assert {"nps", "fcr", "churn_rate"} <= set(metrics["metric"])


def test_a_period_the_export_covers_only_in_part_is_refused(tmp_path, capsys):
    folder = client_folder(tmp_path)
    # the sample exports end on 2026-10-31: the fourth quarter has begun, not ended
    assert main(["report", str(folder / "client.yml"), "--period", "2026Q4"]) == 2
    err = capsys.readouterr().err
    assert "covers only part of the report period 2026Q4" in err and "nothing in 2026-12" in err
