"""The report's first and last pages as GB/T 9704 lays them out, checked on LibreOffice's PDF of the .docx.

The title breaks between words (7.3.1) with a blank line before the body; the 成文日期 stands
under the 署名, 右空四字 (7.3.5.1); 附件1 reproduces the whole 自评表 (project, 项目资金, 年度总体
目标, every indicator row, 总分, 等级) on landscape pages with the header row repeated; every font
in the PDF is a CJK face.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from docx import Document

from xlperf.report import write_report
from xlperf.report.style import BODY_PT, INDENT_PT, TEMPLATES

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
CJK_FONT = ("CJK", "Song", "Hei", "Kai", "Fang", "Ming", "Han", "WenQuanYi", "SimSun", "UKai", "UMing")


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=180).stdout


@pytest.fixture(scope="module", params=["fj2018", "cz2020"])
def report(request, example, cz2020, tmp_path_factory):
    evaluation, results = example if request.param == "fj2018" else cz2020
    work = tmp_path_factory.mktemp(f"gbt-{request.param}")
    docx = write_report(evaluation, results, work / "report.docx")
    fonts_conf = work / "fonts.conf"  # as a Linux user has it after installing the shipped aliases (README, 字体)
    fonts_conf.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<include>{TEMPLATES / 'fonts-xlperf.conf'}</include></fontconfig>", encoding="utf-8")
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(work / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work), str(docx)], capture_output=True, check=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)})
    return evaluation, results, docx, work / "report.pdf"


def page_sizes(pdf) -> list[tuple[float, float]]:
    sizes = []
    for line in tool("pdfinfo", "-f", "1", "-l", "99", str(pdf)).splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = line.split("size:")[1].split("pts")[0].split("x")
            sizes.append((float(w), float(h)))
    return sizes


def page_text(pdf, page: int, layout: bool = True) -> str:
    """A page's text; without ``layout`` each table cell's lines come together (a wrapped name stays whole)."""
    return tool("pdftotext", *(["-layout"] if layout else []), "-f", str(page), "-l", str(page), str(pdf), "-")


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_title_lines_break_between_words_and_a_blank_line_follows(report):
    _evaluation, _results, docx, pdf = report
    doc = Document(docx)
    paragraphs = doc.paragraphs
    titles = [i for i, p in enumerate(paragraphs) if p.style.style_id == "DocTitle"]
    lines = [paragraphs[i].text for i in titles]
    assert len(lines) >= 2 and lines[-1] == "项目支出的绩效自评报告"  # broken before, not inside, 项目支出
    assert lines[-2].startswith("关于")
    assert titles == list(range(titles[0], titles[0] + len(titles)))
    assert paragraphs[titles[-1] + 1].text == ""  # the blank line under the title
    first = [squeeze(line) for line in page_text(pdf, 1).splitlines() if line.strip()]
    assert first[: len(lines)] == [squeeze(line) for line in lines]  # each title paragraph is one printed line


def test_date_under_the_signature_four_characters_from_the_right(report):
    evaluation, _results, docx, _pdf = report
    doc = Document(docx)
    signature = [p for p in doc.paragraphs if p.style.style_id == "Signature" and p.text.strip()]
    if not evaluation.project.filled_on:  # no 填报日期: the 署名 alone
        assert [p.text for p in signature] == [str(evaluation.project.unit).strip()]
        return
    assert [p.text for p in signature] == [str(evaluation.project.unit).strip(), signature[-1].text]
    assert signature[-1].text.startswith(("2018年", "2019年", "2022年", "2023年", "2024年"))
    date, unit = signature[-1], signature[0]
    assert date.paragraph_format.right_indent.pt == pytest.approx(2 * INDENT_PT)  # 右空四字
    # the 署名 centred on the date: its right indent moves by half the difference of the widths
    from xlperf.report.title import text_width

    char = BODY_PT - 0.25
    offset = (text_width(date.text) - text_width(unit.text)) / 2 * char
    assert unit.paragraph_format.right_indent.pt == pytest.approx(max(0.0, 2 * INDENT_PT + offset), abs=0.1)


def test_annex_1_is_the_whole_form_on_landscape_pages(report):
    evaluation, results, _docx, pdf = report
    sizes = page_sizes(pdf)
    texts = [page_text(pdf, i, layout=False) for i in range(1, len(sizes) + 1)]
    first = next(i for i, t in enumerate(texts) if squeeze(t).startswith("附件1"))
    assert all(h > w for w, h in sizes[:first])  # the body portrait
    assert all(w > h for w, h in sizes[first:])  # 附件1 (and what follows) landscape
    annex = squeeze("".join(texts[first:]))
    for label in ("项目名称", "主管部门", "实施单位", "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率",
                  "年度总体目标", "实际完成情况", "总分", "自评等级"):
        assert label in annex, label
    names = [squeeze(str(x.name)) for x in (evaluation.indicators if evaluation.profile == "cz2020" else evaluation.items) if x.name]
    assert names and all(name in annex for name in names)
    assert squeeze(str(evaluation.project.name)) in annex
    for row in evaluation.funds.rows:
        assert row.label in annex
    annex_pages = [squeeze(t) for t in texts[first:]]
    annex_pages = annex_pages[: next((i for i, t in enumerate(annex_pages) if t.startswith("附件2")), len(annex_pages))]
    with_rows = [t for t in annex_pages if any(name in t for name in names)]
    assert all("一级指标" in t and "二级指标" in t and "三级指标" in t and "得分" in t for t in with_rows)  # the header row repeated on every page the table runs onto
    assert f"自评等级{results.grade}" in annex


def test_every_font_is_cjk(report):
    *_rest, pdf = report
    rows = tool("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        assert any(mark in row for mark in CJK_FONT), row
