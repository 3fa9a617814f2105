"""Both profiles' reports: the outline in order, in Word and Markdown; blank inputs never leak."""

from __future__ import annotations

import re

import pytest
from reporthelpers import BAD_FRAGMENTS, blank_evaluation, docx_text

from xlperf.report import render
from xlperf.scoring import score

FJ2018_HEADINGS = [
    "一、项目概况", "（一）项目单位基本情况", "（二）项目基本情况",
    "二、项目实施基本情况", "（一）项目组织管理情况", "（二）项目财务管理情况",
    "三、项目绩效分析", "（一）项目绩效工作开展情况", "（二）项目绩效目标完成情况", "（三）项目绩效分析",
    "四、项目存在的问题和改进措施", "（一）项目存在的问题", "（二）项目改进措施",
    "五、下一步改进工作的意见和建议",
]
CZ2020_HEADINGS = [
    "一、基本情况", "（一）项目概况", "（二）项目资金", "（三）项目组织管理情况",
    "二、绩效目标及完成情况", "（一）总体目标完成情况", "（二）绩效指标完成情况",
    "三、预算执行情况", "（一）预算执行", "（二）财务管理情况",
    "四、自评结论", "（一）自评工作开展情况", "（二）自评得分", "五、存在问题及原因", "六、改进措施", "七、结果应用",
]


def in_order(text: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        assert found >= 0, f"“{needle}” missing or out of order"
        at = found + len(needle)


def heading_lines(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if re.match(r"#{2,4} [一二三四五六七（]", line)]


def test_fj2018_markdown_outline(example_md):
    assert heading_lines(example_md)[: len(FJ2018_HEADINGS)] == FJ2018_HEADINGS
    assert example_md.startswith("# 宁德市数字宁德建设办公室关于2018年度政务网等运行维护费项目支出的绩效自评报告\n")


def test_fj2018_word_outline_and_styles(example_docx):
    from docx import Document

    doc = Document(example_docx)
    styled = [(p.style.style_id, p.text) for p in doc.paragraphs if p.style.style_id.startswith("Heading")]
    expected = [("Heading1" if "、" in h[:2] else "Heading2", h) for h in FJ2018_HEADINGS]
    assert styled == expected
    title = [p.text for p in doc.paragraphs if p.style.style_id == "DocTitle"]
    assert title == ["宁德市数字宁德建设办公室", "关于2018年度政务网等运行维护费", "项目支出的绩效自评报告"]
    signature = [p.text for p in doc.paragraphs if p.style.style_id == "Signature"]
    assert signature == ["宁德市数字宁德建设办公室"]


def test_cz2020_report_in_both_formats(cz2020):
    evaluation, results = cz2020
    markdown = render(evaluation, results, fmt="md").decode("utf-8")
    assert heading_lines(markdown)[: len(CZ2020_HEADINGS)] == CZ2020_HEADINGS
    text = docx_text(render(evaluation, results, fmt="docx", charts=False))
    in_order(text, ["某县农业农村局", "关于2021年度高标准农田建设", "项目支出的绩效自评报告", *CZ2020_HEADINGS, "附件1", "项目支出绩效自评表"])
    total = f"经自评，项目得分{results.total.normalize():f}分（满分100分），自评等级为{results.grade}。"
    assert total in text and total in markdown
    assert "预算执行率95.06%（全年执行数÷全年预算数）" in text  # 456.3 ÷ 480
    assert "2022年3月15日" in text


@pytest.mark.parametrize("profile_id", ["fj2018", "cz2020"])
def test_blank_optional_inputs_leave_no_traces(profile_id):
    evaluation = blank_evaluation(profile_id)
    results = score(evaluation)
    markdown = render(evaluation, results, fmt="md").decode("utf-8")
    text = docx_text(render(evaluation, results, fmt="docx", charts=False))
    for output in (markdown, text):
        for bad in BAD_FRAGMENTS:
            assert bad not in output, f"“{bad}” in the {profile_id} report"
        assert not re.search(r"(?:[，、；]|(?<!如下)：)\s*$", output, re.MULTILINE), "a paragraph ends on a comma"
    assert "关于项目支出的绩效自评报告" in text
    assert "本部分未填写。" in text


def test_report_is_deterministic(example):
    evaluation, results = example
    first = render(evaluation, results, fmt="docx")
    assert render(evaluation, results, fmt="docx") == first
