"""``cxkit report --pdf`` and the print style sheet, in headless Chromium.

The PDF tests are skipped, with the reason, where Chromium is missing (``.ci/run`` installs it);
the layout test needs chromedriver too. Screenshots are kept in tests/artifacts/ (git-ignored).
"""

import base64
import io
import shutil
import unicodedata
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from cxkit.cli import main
from cxkit.reports.pages import notebook_page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
FIXTURES = Path(__file__).resolve().parent / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM, reason="needs headless Chromium: apt-get install chromium"
)
NEEDS_DRIVER = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs headless Chromium and chromedriver: apt-get install chromium chromium-driver",
)
#: A4 (210 mm) less print.css's 12 mm side margins, in CSS pixels (96 per inch): 186 / 25.4 * 96.
PRINT_WIDTH = round(186 / 25.4 * 96)  # 703


def write_config(folder: Path) -> Path:
    spec = {
        "client": "Print client",
        "period": "2026-10",
        "output": str(folder / "out"),
        "notebooks_dir": str(FIXTURES),
        "notebooks": ["00_quick"],
        "data": {"responses": str(ROOT / "data" / "samples" / "responses.csv")},
    }
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------- report.pdf
@NEEDS_CHROMIUM
def test_report_pdf_holds_the_index_then_the_sections(tmp_path, capsys):
    from pypdf import PdfReader

    assert main(["report", str(write_config(tmp_path)), "--pdf"]) == 0
    folder = tmp_path / "out" / "print-client" / "2026-10"
    reader = PdfReader(folder / "report.pdf")
    # NFKC: the PDF's text has ligatures ("ﬁ" for "fi")
    texts = [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]
    assert len(texts) >= 2  # the index and 00_quick's page, each at least one sheet
    assert "Headline indicators" in texts[0] and "Quick fixture" not in texts[0]
    assert any("Quick fixture" in t for t in texts[1:])
    assert not any("¶" in t for t in texts)  # nbconvert's heading anchors are not printed
    box = reader.pages[0].mediabox  # A4 is 595.3 x 841.9 points (210 x 297 mm at 72 per inch)
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5
    assert "printing 2 HTML page(s) to report.pdf" in capsys.readouterr().err


def test_pdf_without_chromium_is_a_clear_error_before_anything_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CXKIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser here
    assert main(["report", str(write_config(tmp_path)), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "--pdf needs Chromium or Google Chrome to print the report, and none was found" in err
    assert "apt-get install chromium" in err and "CXKIT_CHROMIUM" in err
    assert not (tmp_path / "out").exists()  # checked before any notebook ran


def test_a_wrong_cxkit_chromium_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CXKIT_CHROMIUM", str(tmp_path / "no-browser"))
    assert main(["report", str(write_config(tmp_path)), "--pdf"]) == 2
    assert "CXKIT_CHROMIUM is '" in capsys.readouterr().err


# ---------------------------------------------------------------------------- print layout
def wide_page(folder: Path) -> Path:
    """A client page holding a 10-column table and a chart 1,600 pixels wide.

    Unwrapped, the table is about 2,660 pixels wide in print (measured in Chromium 156 on a
    5,000-pixel-wide page): almost four times the printed width.
    """
    columns = [f"first_response_minutes_p{n}_by_channel" for n in range(10)]
    table = pd.DataFrame(np.arange(6 * 10).reshape(6, 10) * 1234.5, columns=columns)
    fig, ax = plt.subplots(figsize=(16, 3), dpi=100)
    ax.plot(range(24), np.linspace(20, 30, 24))
    png = io.BytesIO()
    fig.savefig(png, format="png")
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": table.to_html()}),
        nbformat.v4.new_output(
            "display_data", data={"image/png": base64.b64encode(png.getvalue()).decode()}
        ),
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("table", outputs=outputs)]
    executed = folder / "wide.ipynb"
    nbformat.write(nb, executed)
    page = folder / "wide.html"
    html = notebook_page(executed, lang="en", client="Print client", period="2026-10", title="W")
    page.write_text(html, encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@NEEDS_DRIVER
def test_printed_tables_and_charts_fit_the_page(browser, tmp_path):
    from PIL import Image

    size = {"width": PRINT_WIDTH, "height": 1100, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", size)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.get(wide_page(tmp_path).as_uri())
    assert browser.execute_script("return matchMedia('print').matches")
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert width == PRINT_WIDTH
    beyond = browser.execute_script(
        "return [...document.querySelectorAll('table, img, th, td')]"
        ".filter(e => e.getBoundingClientRect().right > arguments[0] + 0.5)"
        ".map(e => e.tagName + ' ' + e.textContent.slice(0, 30))",
        width,
    )
    assert beyond == []  # nothing would be cut at the sheet's edge
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "print-wide-page.png"
    browser.save_screenshot(str(shot))
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert pixels.shape[1] == PRINT_WIDTH
    dark = pixels.sum(axis=2) < 300
    assert dark[:, : PRINT_WIDTH // 2].any() and dark[:, PRINT_WIDTH // 2 :].any()  # table text
    # the chart's line, matplotlib's first colour #1f77b4 = (31, 119, 180), on both halves
    blue = (np.abs(pixels - [31, 119, 180]).sum(axis=2) < 60).any(axis=0)
    assert blue[: PRINT_WIDTH // 2].any() and blue[PRINT_WIDTH // 2 :].any()
