"""The 汇总 workbook prints as a reviewer expects: LibreOffice renders it to PDF, the tables
landscape and one page wide, each chart whole on a page of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import clean, example, with_errors  # noqa: E402

from xlperf.batch.formats import write_summary
from xlperf.batch.run import run_batch
from xlperf.workbook.builder import build_workbook

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
CHART_TITLES = ["等级分布（cz2020）", "等级分布（fj2018）", "总分分布（每10分一段）", "执行率与总分"]


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=180).stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("print")
    root = work / "收到"
    root.mkdir()
    build_workbook("cz2020", clean(), root / "a.xlsx")
    build_workbook("cz2020", with_errors(), root / "b.xlsx")
    build_workbook("fj2018", example(), root / "c.xlsx")
    out = work / "汇总.xlsx"
    with run_batch(root, jobs=1) as result:
        write_summary(result, out)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(work / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work), str(out)], capture_output=True, check=True, timeout=180)
    return work / "汇总.pdf"


def page_texts(pdf: Path) -> list[str]:
    pages = int(next(l.split()[-1] for l in tool("pdfinfo", str(pdf)).splitlines() if l.startswith("Pages:")))
    return ["".join(tool("pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-").split()) for i in range(1, pages + 1)]


def test_each_chart_is_whole_on_its_own_page(pdf):
    pages = page_texts(pdf)
    chart_pages = [p for p in pages if any(t in p for t in CHART_TITLES)]
    assert [next(t for t in CHART_TITLES if t in p) for p in chart_pages] == CHART_TITLES
    for page in chart_pages:
        assert "项目数" in page or "执行率" in page  # the axis titles: the chart is not cut off
    assert len(pages) == 3 + len(CHART_TITLES)  # 汇总, 问题清单, 无法读取 one page each, then one page a chart


def test_tables_print_landscape_with_repeated_header(pdf, tmp_path):
    boxes = tool("pdfinfo", "-f", "1", "-l", "1", "-box", str(pdf))
    size = next(l for l in boxes.splitlines() if l.startswith("Page    1 size") or l.startswith("Page 1 size") or "size:" in l)
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
    assert width > height


def test_every_summary_column_on_page_one_and_no_lone_bracket(pdf):
    import re

    from openpyxl import load_workbook

    book = load_workbook(pdf.with_suffix(".xlsx"), read_only=True)
    titles = [c for c in next(book["汇总"].iter_rows(min_row=1, max_row=1, values_only=True)) if c]
    book.close()
    first = page_texts(pdf)[0]
    pieces = [p for t in titles for p in re.split(r"(?=（)", "".join(str(t).split())) if p]  # a header may break before （
    assert titles and all(p in first for p in pieces), [p for p in pieces if p not in first]
    tables = tool("pdftotext", "-layout", "-f", "1", "-l", "3", str(pdf), "-")  # 汇总, 问题清单, 无法读取
    assert not re.search(r"(?m)(^|\s)[）)]", tables)
