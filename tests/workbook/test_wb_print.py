"""Every shipped profile's workbook prints as a submittable form: LibreOffice renders it to PDF.

For each profile's filled example, scored, and its blank template: each sheet on A4 in the
orientation ``printsetup`` derives, all printed columns on one page width (every header of the
sheet's table on the page where the table starts), no header or label breaking to a lone ）, and
the computed 计算说明/得分说明/校验结果 text whole on the page (the rows grew to fit it).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from xlperf.examples import example_workbook, made_up_ids, made_up_workbook
from xlperf.layout import LAYOUT_IDS, Table, layout_for, plan
from xlperf.scoring import score
from xlperf.workbook.printsetup import landscape, printed_columns
from xlperf.workbook.reader import read_workbook
from xlperf.workbook.writer import write_results

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
TEMPLATES = __import__("pathlib").Path(__file__).resolve().parents[2] / "workbook_templates"


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=300).stdout


def example_of(profile: str):
    return example_workbook() if profile == "fj2018" else made_up_workbook(profile)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """profile → (scored example PDF, blank template PDF, evaluation, results); one soffice run for all."""
    work = tmp_path_factory.mktemp("print")
    books, data = [], {}
    for profile in LAYOUT_IDS:
        scored = work / f"{profile}.xlsx"
        shutil.copyfile(example_of(profile), scored)
        evaluation, _ = read_workbook(scored)
        results = score(evaluation)
        write_results(scored, evaluation, results)
        blank = work / f"blank_{profile}.xlsx"
        shutil.copyfile(TEMPLATES / f"{profile}.xlsx", blank)
        books += [scored, blank]
        data[profile] = (evaluation, results)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(work / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work), *map(str, books)], capture_output=True, check=True, timeout=600)
    return {p: (work / f"{p}.pdf", work / f"blank_{p}.pdf", *data[p]) for p in LAYOUT_IDS}


def pages(pdf) -> list[tuple[str, bool]]:
    """(layout text, landscape) of each page."""
    sizes = []
    for line in tool("pdfinfo", "-f", "1", "-l", "999", str(pdf)).splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = (float(x) for x in line.split("size:")[1].split("pts")[0].split("x"))
            sizes.append(w > h)
    return [(tool("pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"), wide) for i, wide in enumerate(sizes, 1)]


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("profile", LAYOUT_IDS)
@pytest.mark.parametrize("which", ["scored", "blank"])
def test_each_sheet_prints_one_page_wide_in_its_orientation(pdfs, profile, which):
    pdf = pdfs[profile][0 if which == "scored" else 1]
    printed = pages(pdf)
    layout = layout_for(profile)
    spans = plan(layout)
    for sheet in layout.sheets:
        tables = [b for b in sheet.blocks if isinstance(b, Table) and not b.joined]
        if sheet.role != "input" or not tables:
            continue
        table = tables[0]
        # a header broken for print shows its lines apart: look for each piece
        headers = [piece for c in table.columns if c.header and c.col < printed_columns(sheet)
                   for piece in re.split(r"(?=（)|(?<=、)", squeeze(c.header)) if piece]
        anchor = squeeze(table.anchor.header)
        title = squeeze(sheet.title or "")
        where = [i for i, (text, _) in enumerate(printed) if title in squeeze(text) and all(h in squeeze(text) for h in headers)]
        assert where, f"{profile} {sheet.name}: not every header of {table.name} on one page ({headers})"
        assert printed[where[0]][1] == landscape(sheet), f"{profile} {sheet.name}: orientation"
        assert anchor in squeeze(printed[where[0]][0])
    assert spans  # the layout planned


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_no_header_or_label_breaks_to_a_lone_bracket(pdfs, profile):
    for pdf in pdfs[profile][:2]:
        for text, _wide in pages(pdf):
            for line in text.splitlines():
                assert not re.search(r"(^|\s)[）)]", line), f"{pdf.name}: a line starts with a closing bracket: {line!r}"


def test_computed_text_shows_whole_in_print(pdfs):
    """fj2018 prints 计算说明 (绩效目标) and 得分说明 (评分表); 校验结果 prints each 说明."""
    pdf, _blank, evaluation, results = pdfs["fj2018"]
    text = squeeze(tool("pdftotext", str(pdf), "-"))  # reading order: a wrapped cell's lines stay together
    explanations = [squeeze(s.explanation) for s in (*results.indicators, *results.items) if s.explanation]
    assert len(explanations) > 20
    for explanation in explanations:
        assert explanation[-8:] in text, explanation  # the end of the text: not cut off by a short row
    messages = [squeeze(f.message) for f in results.findings]
    assert messages
    for message in messages:
        assert message[-8:] in text, message


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_page_counts_stay_small(pdfs, profile):
    """One page wide: a filled workbook prints on a handful of pages, not dozens of strips."""
    scored, blank, *_ = pdfs[profile]
    sheets = len([s for s in layout_for(profile).sheets])
    assert len(pages(scored)) <= 2 * sheets + 2
    assert len(pages(blank)) <= 2 * sheets
