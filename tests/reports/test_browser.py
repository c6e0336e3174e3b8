"""The sample report in a real browser (headless Chromium from Debian's packages).

Skipped, with the reason, where Chromium or its driver is missing (`.ci/run` installs them).
Screenshots are kept as test artifacts in tests/artifacts/ (git-ignored).
"""

import shutil
from pathlib import Path

import pytest

from cxkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs headless Chromium and chromedriver: apt-get install chromium chromium-driver",
)


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
    table = browser.find_element(By.ID, "kpis")
    assert table.is_displayed()
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) >= 5
    assert rows[0].find_elements(By.TAG_NAME, "td")[0].text == "Net Promoter Score (points)"
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


@pytest.mark.parametrize("page", ["index.html", "01_baseline_metrics.html"])
def test_printed_sample_pages_fit_the_page(browser, sample_report, page):
    """In print (templates/print.css), no table, cell or chart is wider than an A4 sheet."""
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
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
