"""The sample report in a real browser (headless Chromium from Debian's packages).

Skipped, with the reason, where Chromium or its driver is missing (`.ci/run` installs them).
Screenshots are kept as test artifacts in tests/artifacts/ (git-ignored).
"""

import re
import shutil
from pathlib import Path

import pytest

from cxkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

try:
    import selenium  # noqa: F401

    SELENIUM = True
except ImportError:
    SELENIUM = False

pytestmark = [
    pytest.mark.skipif(not SELENIUM, reason="needs selenium: pip install -e '.[test]'"),
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER),
        reason="needs headless Chromium and chromedriver: apt-get install chromium chromium-driver",
    ),
]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", str(ROOT / "data" / "samples" / "client.yml"), "--out", str(out)]) == 0
    return out / "sample-client" / "2026-10"


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,1600",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def open_page(browser, path: Path, shot: str) -> list[dict]:
    browser.get(path.as_uri())
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / shot))
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_index_shows_the_kpis_without_console_errors(browser, sample_report):
    from selenium.webdriver.common.by import By

    errors = open_page(browser, sample_report / "index.html", "index.png")
    assert errors == []
    grid = browser.find_element(By.ID, "kpis")
    assert grid.is_displayed()
    cards = grid.find_elements(By.CSS_SELECTOR, "article.kpi")
    assert len(cards) == 7  # the sample exports give every headline indicator
    assert cards[0].find_element(By.TAG_NAME, "h3").text == "Net Promoter Score (points)"
    assert "October 2026" in browser.find_element(By.TAG_NAME, "header").text
    assert browser.find_element(By.ID, "summary").is_displayed()
    text = browser.execute_script("return document.querySelector('main').innerText")
    assert not re.search(r"\d[eE][+-]?\d", text)  # no scientific notation
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text)  # no snake_case names
    assert not re.search(r"\d,\d{1,2}\b", text)  # English: decimal points only
    link = browser.find_element(By.LINK_TEXT, "Baseline metrics")
    assert link.get_attribute("href").endswith("01_baseline_metrics.html")


def test_section_images_load_without_console_errors(browser, sample_report):
    errors = open_page(browser, sample_report / "01_baseline_metrics.html", "section.png")
    assert errors == []
    loaded = browser.execute_script(
        "const imgs = Array.from(document.images);"
        "return [imgs.length, imgs.every(i => i.complete && i.naturalWidth > 0)];"
    )
    assert loaded[0] >= 4 and loaded[1] is True
    # the planted comment shows as text (escaped), and the page runs no script at all
    text = browser.execute_script("return document.body.innerText")
    assert 'Nice try <script>alert("cx")</script> & <b>bold</b>' in text
    assert browser.execute_script("return document.scripts.length") == 0


# ----------------------------------------------------------- page look on hand-made pages
def fits(browser) -> bool:
    """The page does not scroll sideways (nothing is cut off or pushed off screen)."""
    return browser.execute_script(
        "const d = document.documentElement; return d.scrollWidth <= d.clientWidth;"
    )


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("width", [1200, 480])
def test_index_cards_fit_the_screen(browser, tmp_path, lang, width):
    from test_index_page import cards, monthly_history, render

    page = tmp_path / "index.html"
    page.write_text(render(lang, cards(lang, history=monthly_history(tmp_path))), "utf-8")
    browser.set_window_size(width, 1600)
    try:
        assert open_page(browser, page, f"index-cards-{lang}-{width}.png") == []
        assert fits(browser)
        overflowing = browser.execute_script(
            "return Array.from(document.querySelectorAll('article.kpi *'))"
            ".filter(e => e.scrollWidth > e.closest('article').clientWidth).length;"
        )
        assert overflowing == 0  # no text or sparkline sticks out of its card
        assert browser.execute_script("return document.querySelectorAll('svg.spark').length") == 1
    finally:
        browser.set_window_size(1200, 1600)


def styled_table(columns: int) -> str:
    """A pandas Styler table as the section pages make them (cx-table, num cells, caption)."""
    import pandas as pd

    comment = "The agent never called back and the second ticket was closed without an answer. " * 3
    data = {"Segment": ["Consumer", "Enterprise"], "Comment": [comment, "Fine."]}
    data.update({f"Indicator {i}": [1234.5 + i, 24.3] for i in range(columns)})
    frame = pd.DataFrame(data)
    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    classes.iloc[:, 2:] = "num"
    return (
        frame.style.hide(axis="index")
        .set_table_attributes('class="cx-table"')
        .set_caption("NPS by segment, October 2026")
        .set_td_classes(classes)
        .to_html()
    )


@pytest.mark.parametrize(("columns", "scrolls"), [(2, False), (16, True)])
def test_section_tables_wrap_text_and_scroll_inside_their_card(browser, tmp_path, columns, scrolls):
    import nbformat

    from cxkit.reports.pages import notebook_page

    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output("display_data", data={"text/html": styled_table(columns)})
    nb.cells = [nbformat.v4.new_code_cell("t", outputs=[output])]
    nbformat.write(nb, tmp_path / "t.ipynb")
    page = tmp_path / "section.html"
    html = notebook_page(
        tmp_path / "t.ipynb", lang="en", client="Acme", period="2026-10", title="T"
    )
    page.write_text(html, encoding="utf-8")
    assert open_page(browser, page, f"section-table-{columns}.png") == []
    assert fits(browser)  # the page itself never scrolls sideways
    box = browser.execute_script(
        "const t = document.querySelector('table.cx-table'); const w = t.parentElement;"
        "const c = t.querySelectorAll('tbody td')[1];"  # the long comment
        "return {scroll: w.scrollWidth, client: w.clientWidth, overflow: getComputedStyle(w)"
        ".overflowX, comment: c.getBoundingClientRect().height, line: parseFloat("
        "getComputedStyle(c).lineHeight)};"
    )
    assert (box["scroll"] > box["client"]) is scrolls  # a wide table scrolls in its card
    assert box["overflow"] == "auto"
    assert box["comment"] > 2 * box["line"]  # the comment wraps instead of running off


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "01_baseline_metrics.html",
        "02_touchpoint_prioritization.html",
        "03_root_cause.html",
        "04_hypotheses.html",
        "05_voice_of_customer.html",
    ],
)
def test_printed_sample_pages_fit_the_page(browser, sample_report, page):
    """In print (templates/print.css), no table, cell or chart is wider than an A4 sheet, and
    no header word is broken over two lines."""
    from test_pdf import SPLIT_HEADER_WORDS

    width = round(186 / 25.4 * 96)  # A4's 210 mm less 2 x 12 mm margins, in CSS pixels: 703
    size = {"width": width, "height": 1100, "deviceScaleFactor": 1, "mobile": False}
    try:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", size)
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        browser.get((sample_report / page).as_uri())
        beyond = browser.execute_script(
            "return [...document.querySelectorAll('table, th, td, img, pre')]"
            ".filter(e => e.getBoundingClientRect().right > arguments[0] + 0.5)"
            ".map(e => e.tagName + ' ' + e.textContent.slice(0, 30))",
            width,
        )
        assert beyond == []
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        assert browser.execute_script(SPLIT_HEADER_WORDS) == []  # headers wrap between words
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sample_report_read_in_the_browser(browser, tmp_path_factory, lang):
    """What the reader sees (the page's rendered text): period named, locale numbers, no code.

    Screenshots of the index and the section page are kept in tests/artifacts/.
    """
    out = tmp_path_factory.mktemp(f"read-{lang}")
    config = str(ROOT / "data" / "samples" / "client.yml")
    assert main(["report", config, "--lang", lang, "--out", str(out)]) == 0
    report = out / "sample-client" / "2026-10"
    month = {"en": "October 2026", "es": "octubre de 2026"}[lang]
    # not 03: the sample 5-whys log is written in English, decimal points included ("19.8")
    pages = ("index.html", "01_baseline_metrics.html", "02_touchpoint_prioritization.html",
             "04_hypotheses.html", "05_voice_of_customer.html")  # fmt: skip
    for page in pages:
        shot = f"sample-{lang}-{page.removesuffix('.html')}.png"
        assert open_page(browser, report / page, shot) == []
        seen = browser.execute_script("return document.body.innerText")
        assert month in seen
        assert not re.search(r"\d\.\d+e[+-]\d", seen)  # no scientific notation
        assert not re.search(r"\b[a-z]+_[a-z]+\b", seen)  # no code names such as group_vs_rest
        if lang == "es":
            assert re.search(r"\d,\d", seen)
            numbers = re.sub(r"\d{1,3}(\.\d{3})+(?!\d)", "", seen.split("cxkit")[0])
            assert not re.search(r"\d\.\d", numbers)  # decimal commas, never points
