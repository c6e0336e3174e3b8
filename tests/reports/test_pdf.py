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
#: JavaScript: the words of table headers that the page shows broken over two lines (a break
#: after a word's hyphen, as in "p-value", is one between words).
SPLIT_HEADER_WORDS = """
const split = [];
for (const th of document.querySelectorAll('th')) {
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/[^\\s-]+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
      if (lines.size > 1) split.push(word[0]);
    }
  }
}
return split;
"""


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

    Unwrapped, the table is about 2,650 pixels wide in print (measured in Chromium 156 on a
    5,000-pixel-wide page): almost four times the printed width. Its headers are words, as on
    client pages: in print a header wraps between words only, never inside one.
    """
    columns = [f"Median first reply (min), P{n} by channel" for n in range(10)]
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
    assert browser.execute_script(SPLIT_HEADER_WORDS) == []  # headers wrap between words
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


def service_page(folder: Path) -> Path:
    """The sample report's Spanish service table (October 2026), as a client page.

    Its last column does not wrap (numbers keep together), so in print the narrow columns
    are squeezed: with headers free to break anywhere, Chromium printed "Cana l", "Ticke ts".
    """
    headers = [
        "Canal",
        "Tickets",
        "Aún abiertos",
        "Primera respuesta, mediana (horas)",
        "Resolución, mediana (horas)",
        "Resolución en el primer contacto (intervalo del 95 %)",
    ]
    rows = [
        ["Chat", "72", "18", "0,1", "2,0", "74,1 % (61,1–83,9)"],
        ["Email", "126", "28", "4,0", "25,9", "65,3 % (55,5–74,0)"],
        ["Phone", "66", "12", "0,0", "0,8", "75,9 % (63,1–85,4)"],
    ]
    frame = pd.DataFrame(rows, columns=headers)
    classes = pd.DataFrame("num", index=frame.index, columns=frame.columns)
    classes["Canal"] = ""
    html = (
        frame.style.hide(axis="index")
        .set_table_attributes('class="cx-table"')
        .set_caption("Tickets abiertos en octubre de 2026; tiempos en horas desde la apertura.")
        .set_td_classes(classes)
        .to_html()
    )
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output("display_data", data={"text/html": html})
    nb.cells = [nbformat.v4.new_code_cell("t", outputs=[output])]
    nbformat.write(nb, folder / "service.ipynb")
    page = folder / "service.html"
    html = notebook_page(
        folder / "service.ipynb", lang="es", client="Print client", period="2026-10", title="S"
    )
    page.write_text(html, encoding="utf-8")
    return page


@NEEDS_DRIVER
def test_printed_headers_break_between_words_only(browser, tmp_path):
    size = {"width": PRINT_WIDTH, "height": 1100, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", size)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.get(service_page(tmp_path).as_uri())
    assert browser.execute_script(SPLIT_HEADER_WORDS) == []
    lines = browser.execute_script(
        "return [...document.querySelectorAll('th')].map(th => Math.round("
        "th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight)))"
    )
    assert max(lines) > 1  # the long headers do wrap, between their words
    beyond = browser.execute_script(
        "return document.querySelector('table').getBoundingClientRect().right"
    )
    assert beyond <= PRINT_WIDTH + 0.5


#: The heights of blank space above a table's heading on a fresh sheet: from 800 pixels to the
#: sheet's foot (297 mm less print.css's 14 + 16 mm margins: 267 / 25.4 * 96 = 1,009 pixels).
OFFSETS = range(800, 1010, 6)


def tables_page(folder: Path) -> Path:
    """A client page of tables, each on a sheet of its own below blank space of OFFSETS height.

    Each block is a heading and a table with a caption, a header row and 6 rows: across the
    offsets, the heading, the caption and the header row each come at the sheet's foot.
    Every text is unique ("Heading 03", "Caption 03", "Channel 03", "row 03-00") so the PDF's
    text says which sheet holds it.
    """
    nb = nbformat.v4.new_notebook()
    for k, offset in enumerate(OFFSETS):
        rows = pd.DataFrame({f"Channel {k:02}": [f"row {k:02}-{i:02}" for i in range(6)]})
        rows[f"Tickets {k:02}"] = range(6)
        html = rows.style.hide(axis="index").set_caption(f"Caption {k:02}").to_html()
        output = nbformat.v4.new_output("display_data", data={"text/html": html})
        space = f'<div style="break-before: page; height: {offset}px"></div>'
        nb.cells += [
            nbformat.v4.new_markdown_cell(f"{space}\n\n## Heading {k:02}"),
            nbformat.v4.new_code_cell("t", outputs=[output]),
        ]
    nbformat.write(nb, folder / "tables.ipynb")
    page = folder / "tables.html"
    html = notebook_page(
        folder / "tables.ipynb", lang="en", client="Print client", period="2026-10", title="T"
    )
    page.write_text(html, encoding="utf-8")
    return page


@NEEDS_CHROMIUM
def test_printed_tables_keep_caption_and_header_with_their_rows(tmp_path):
    """No heading, caption or header row is left at a sheet's foot without the table's first
    row, and a table that runs onto the next sheet repeats its header row there."""
    from pypdf import PdfReader

    from cxkit.reports.pdf import print_pdf

    pdf = print_pdf([tables_page(tmp_path)], tmp_path / "tables.pdf", chromium=CHROMIUM)
    sheets = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(sheets) > len(OFFSETS)

    def sheet_of(text: str) -> int:
        return next(n for n, sheet in enumerate(sheets) if text in sheet)

    continued = 0
    for k in range(len(OFFSETS)):
        block = (f"Heading {k:02}", f"Caption {k:02}", f"Channel {k:02}", f"row {k:02}-00")
        assert {sheet_of(text) for text in block} == {sheet_of(block[-1])}, block
        with_rows = {n for n, sheet in enumerate(sheets) if f"row {k:02}-" in sheet}
        assert all(f"Channel {k:02}" in sheets[n] for n in with_rows), k
        continued += len(with_rows) > 1
    assert continued > 0  # some tables did run onto a second sheet
