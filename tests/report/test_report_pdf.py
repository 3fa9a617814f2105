"""The example's report through LibreOffice, the real word processor, read back with poppler.

One conversion per module. Expected figures come from ``score()``, not typed.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from xlperf.report import charts, convert_to_pdf, report_profile
from xlperf.report.context import build_context
from xlperf.report.sentences import pct, pts

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]

HEADINGS = [
    "一、项目概况", "（一）项目单位基本情况", "（二）项目基本情况",
    "二、项目实施基本情况", "（一）项目组织管理情况", "（二）项目财务管理情况",
    "三、项目绩效分析", "（一）项目绩效工作开展情况", "（二）项目绩效目标完成情况", "（三）项目绩效分析",
    "四、项目存在的问题和改进措施", "（一）项目存在的问题", "（二）项目改进措施",
    "五、下一步改进工作的意见和建议", "附件1", "项目支出绩效自评评分表", "附件2", "校验发现的问题",
]
CJK = re.compile(r"CJK|Song|Hei|Kai|Fang|Ming|Han|WenQuanYi|SimSun", re.IGNORECASE)


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.fixture(scope="module")
def pdf(example_docx):
    return convert_to_pdf(example_docx)


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return tool("pdftotext", "-enc", "UTF-8", str(pdf), "-")


def flat(text: str) -> str:
    """pdftotext breaks lines and spaces digits from Chinese: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def test_title_and_headings_in_order(text):
    body = flat(text)
    assert body.startswith("宁德市数字宁德建设办公室关于2018年度政务网等运行维护费项目支出的绩效自评报告")
    at = 0
    for heading in HEADINGS:
        found = body.find(heading, at)
        assert found >= 0, f"“{heading}” missing or out of order"
        at = found + len(heading)


def test_sentences_and_figures_from_the_core(text, example):
    evaluation, results = example
    body = flat(text)
    i = next(i for i, ind in enumerate(evaluation.indicators) if ind.name == "市委市政府云移云平台使用人数")
    assert f"①市委市政府云移云平台使用人数，参考标准55人，绩效目标值57人，实际完成值59人，目标完成比值{pct(results.indicators[i].ratio)}" in body
    assert pct(results.indicators[i].ratio) == "103.51%"
    rate = pct(results.funds.rate)
    assert f"7.投入-资金落实-资金使用率。资金使用率大于95%得满分2分。实际资金使用率为{rate}，此项得0分。" in body
    assert f"项目自评{pts(results.total)}分，自评等级{results.grade}" in body
    assert f"实际支出191.12万元，资金使用率{rate}；结余{results.funds.balance:.2f}万元" in body
    for subtotal in results.subtotals:
        assert f"实际得分{pts(subtotal.points)}分。" in body


def test_text_round_trips_without_missing_glyphs(text):
    assert "\ufffd" not in text
    body = flat(text)
    for sentence in (
        "宁德市数字宁德建设办公室是负责规划、协调全市信息化建设，并向市委、市政府提供信息化建设及决策咨询建议的主要部门。",
        "3.固定资产利用率不高。由于缺少人员等原因，固定资产未指定专人管理，固定资产未及时报废，导致固定资产利用率不高。",
        "（一）建议要求增加专业的财务人员或者向社会招聘专职财务人员，对财务人员进行专业化、系统化管理。",
    ):
        assert sentence in body


def test_fonts_are_embedded_cjk_and_not_type3(pdf):
    rows = tool("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    fonts = [(r.split()[0], r) for r in rows]
    assert any(CJK.search(name) for name, _ in fonts), rows
    for name, row in fonts:
        assert "Type 3" not in row, row
        cols = row.split()
        # name type [type…] encoding emb sub uni id gen: emb is the fifth field from the end
        assert cols[-5] == "yes", f"{name} not embedded"


def test_page_count_is_plausible(pdf):
    pages = int(re.search(r"Pages:\s+(\d+)", tool("pdfinfo", str(pdf))).group(1))
    # GB/T 9704 layout (3号, 22 lines of about 28 characters) of the sample's full text, the
    # 37-row 评分表 and the findings appendix: the published sample is denser than 3号.
    assert 8 <= pages <= 20, pages


def test_page_numbers_in_the_footer(text):
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)


def chart_text(text: str, caption: str) -> str:
    """What LibreOffice drew for the chart above ``caption``: the text since the last full stop before it."""
    body = flat(text)
    at = body.find(caption)
    assert at >= 0, f"caption “{caption}” missing"
    return body[body.rfind("。", 0, at) + 1: at]


def test_charts_are_drawn_with_their_labels(text, example):
    evaluation, results = example
    data = build_context(evaluation, results, report_profile(evaluation, results))["chart_data"]
    ratios = chart_text(text, "图1绩效指标目标完成比值")
    for word in (charts.MET_NAME, charts.SHORT_NAME, charts.TARGET_NAME, "0%", "100%"):
        assert word in ratios, word
    for row in data["ratios"]:
        assert row["label"] in ratios, row["label"]  # the category axis, names as the context gives them
    for score in results.indicators:
        if score.ratio is not None and score.status != "not_applicable":
            assert pct(score.ratio) in ratios  # the data labels, from the core
    scores = chart_text(text, "图2各一级指标得分与满分")
    assert charts.FULL_NAME in scores and charts.POINTS_NAME in scores
    for subtotal in results.subtotals:
        assert subtotal.level1 in scores and pts(subtotal.points) in scores


def test_charts_are_vector_not_images(pdf):
    rows = tool("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert rows == []  # the report has no raster image at all: the charts are drawn as paths and text
