"""The .docx opened directly in LibreOffice lays out as in Word: 28 characters a line, 22 lines a page.

The report is converted twice: as is, by a plain ``soffice --convert-to pdf`` (what a user
gets opening the file in Writer; no rewritten grid, only the shipped fontconfig aliases), and through
``convert_to_pdf`` (the ``--pdf`` route). Characters per line and page count must agree within
10 %, and sit at GB/T 9704's 28 a line; every font in both PDFs is a CJK face.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import unicodedata

import pytest

from xlperf.report import convert_to_pdf
from xlperf.report.style import TEMPLATES

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
FONT_ALIASES = TEMPLATES / "fonts-xlperf.conf"
CJK_FONT = ("CJK", "Song", "Hei", "Kai", "Fang", "Ming", "Han", "WenQuanYi", "SimSun", "UKai", "UMing")


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=180).stdout


@pytest.fixture(scope="module")
def direct(example_docx, tmp_path_factory):
    """Writer as a Linux user has it after installing the shipped font aliases (README, 字体)."""
    work = tmp_path_factory.mktemp("lo-direct")
    source = work / "report.docx"
    shutil.copyfile(example_docx, source)
    fonts_conf = work / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<include>{FONT_ALIASES}</include></fontconfig>", encoding="utf-8")
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(work), str(source)],
        capture_output=True, check=True, timeout=180, env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
    )
    return work / "report.pdf"


@pytest.fixture(scope="module")
def routed(example_docx, tmp_path_factory):
    return convert_to_pdf(example_docx, tmp_path_factory.mktemp("lo-route") / "report.pdf")


def pages(pdf) -> int:
    return int(next(line.split()[-1] for line in tool("pdfinfo", str(pdf)).splitlines() if line.startswith("Pages:")))


def body_line_lengths(pdf) -> list[int]:
    """Characters on each full body line of pages 2–4 (lines with at least 20 Chinese characters)."""
    text = tool("pdftotext", "-layout", "-enc", "UTF-8", "-f", "2", "-l", "4", str(pdf), "-")
    lengths = []
    for line in text.splitlines():
        chars = line.strip().replace(" ", "")
        if sum(unicodedata.east_asian_width(c) in "WF" for c in chars) >= 20:
            lengths.append(len(chars))
    return lengths


def lines_per_page(pdf) -> int:
    """The most text lines on one of pages 2–6 (without the page number line)."""
    most = 0
    for page in range(2, 7):
        text = tool("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
        most = max(most, len([line for line in text.splitlines() if line.strip()]) - 1)
    return most


def test_direct_conversion_has_the_gbt9704_grid(direct):
    lengths = body_line_lengths(direct)
    assert len(lengths) > 30
    assert statistics.median(lengths) == 28
    assert lines_per_page(direct) == 22


def test_direct_and_pdf_route_agree_within_ten_percent(direct, routed):
    direct_chars, routed_chars = statistics.median(body_line_lengths(direct)), statistics.median(body_line_lengths(routed))
    assert abs(direct_chars - routed_chars) <= 0.1 * routed_chars
    assert abs(pages(direct) - pages(routed)) <= 0.1 * pages(routed)


@pytest.mark.parametrize("which", ["direct", "routed"])
def test_only_cjk_fonts(which, request):
    pdf = request.getfixturevalue(which)
    names = [line.split()[0] for line in tool("pdffonts", str(pdf)).splitlines()[2:] if line.strip()]
    assert names
    assert all(any(k.lower() in name.lower() for k in CJK_FONT) for name in names), names
