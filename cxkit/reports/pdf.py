"""``report.pdf``: the report's pages printed by headless Chromium, joined in order with pypdf.

Each page (the index first, then one page per section) is printed by its own headless
Chromium with a new, empty profile, so no extension, setting or network service of anyone's
browser takes part; the page's print style sheet (``templates/print.css``) sets A4 and keeps
tables and charts within the page. The parts are joined with :class:`pypdf.PdfWriter`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cxkit.errors import CxkitError
from cxkit.reports.processes import kill_group

__all__ = ["CHROMIUM_NAMES", "find_chromium", "print_pdf"]

#: Programs tried, in order, when ``CXKIT_CHROMIUM`` does not name the browser.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",  # Chromium 111 and later
    "--print-to-pdf-no-header",  # earlier versions
)
_SECONDS = 180  # a page that takes longer than this to print is stuck, not slow


def find_chromium() -> str:
    """Return the path of the browser that prints: ``$CXKIT_CHROMIUM``, else one on PATH.

    Raises
    ------
    CxkitError
        When no Chromium or Google Chrome is found, saying how to install or name one.
    """
    chosen = os.environ.get("CXKIT_CHROMIUM")
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise CxkitError(
                f"CXKIT_CHROMIUM is {chosen!r}, which is not a program that can be run. Set it "
                "to the path of Chromium or Google Chrome, or unset it to search PATH."
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise CxkitError(
        "--pdf needs Chromium or Google Chrome to print the report, and none was found on PATH "
        f"(looked for {', '.join(CHROMIUM_NAMES)}). Install one (Debian or Ubuntu: "
        "`apt-get install chromium`) or set CXKIT_CHROMIUM to its path; the HTML report itself "
        "does not need it."
    )


def print_pdf(pages: list[Path], out: Path, *, chromium: str | None = None) -> Path:
    """Print ``pages`` (HTML files) in order into one PDF file ``out``; return ``out``.

    Parameters
    ----------
    pages : list of Path
        The HTML pages, in the order they appear in the PDF.
    out : Path
        The PDF file to write.
    chromium : str, optional
        The browser to print with (default: :func:`find_chromium`).
    """
    from pypdf import PdfWriter

    chromium = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="cxkit-pdf-") as tmp:
        writer = PdfWriter()
        for number, page in enumerate(pages):
            writer.append(str(_print_page(chromium, Path(page), Path(tmp) / str(number))))
        with Path(out).open("wb") as fh:
            writer.write(fh)
    return Path(out)


def _print_page(chromium: str, page: Path, work: Path) -> Path:
    """Print one page with a browser of its own (new empty profile in ``work``)."""
    work.mkdir(parents=True)
    target = work / "page.pdf"
    argv = [
        chromium,
        *_FLAGS,
        f"--user-data-dir={work / 'profile'}",
        f"--print-to-pdf={target}",
        page.resolve().as_uri(),
    ]
    browser = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its helper processes share a group that can be stopped
    )
    try:
        _, err = browser.communicate(timeout=_SECONDS)
    except subprocess.TimeoutExpired:
        kill_group(browser)
        raise CxkitError(
            f"Chromium did not finish printing {page.name} in {_SECONDS} s. Open the page in a "
            "browser to check it, then run the report again."
        ) from None
    except BaseException:  # interrupted: take the browser down with us
        kill_group(browser)
        raise
    if browser.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise CxkitError(
            f"Chromium ({chromium}) could not print {page.name} to PDF (exit code "
            f"{browser.returncode}: {detail[0]}). Check that it starts: `{chromium} --headless "
            "--no-sandbox --version`."
        )
    return target
