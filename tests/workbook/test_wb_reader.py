"""What staff do to a workbook, and files the reader must refuse."""

from __future__ import annotations

import re
import time

import openpyxl
import pytest
import xlsxwriter
from wbhelpers import build, cz_sample, example, rewrite_member

from xlperf.errors import WorkbookError
from xlperf.model import Indicator
from xlperf.ooxml.cellvalue import Formula
from xlperf.ooxml.patch import patch_workbook
from xlperf.workbook.reader import parse_name, read_workbook, uncached_formulas


@pytest.fixture
def cz(tmp_path):
    return build(tmp_path, "cz2020", cz_sample())


def test_parse_name():
    assert parse_name("'自评表'!$A$14:$O$45") == ("自评表", 14, 45)
    assert parse_name("自评表!$A$14:$O$45") == ("自评表", 14, 45)
    assert parse_name("'it''s'!$B$3") == ("it's", 3, 3)
    assert parse_name("#REF!") is None and parse_name("#REF!$A$1:$B$2") is None


def test_raw_values_are_kept(cz):
    # 自评表 rows: indicators 15.., H 分值, E 年度指标值, G 实际完成值, F46 单位自评总分
    patch_workbook(cz, {"自评表": {"H15": "20分", "H16": "１５", "G17": "—", "E18": "/", "H19": "-", "F46": "九十六", "E7": "180.5万元", "G15": 59.0}})
    evaluation, findings = read_workbook(cz)
    assert findings == []
    ind = evaluation.indicators
    assert (ind[0].weight, ind[1].weight, ind[2].actual, ind[3].target, ind[4].weight) == ("20分", "１５", "—", "/", "-")
    assert ind[0].actual == 59 and isinstance(ind[0].actual, int)
    assert evaluation.claimed_total == "九十六" and evaluation.funds.rows[0].budget == "180.5万元"


def test_blank_rows_are_skipped(cz):
    patch_workbook(cz, {"自评表": {f"{c}16": None for c in "ABCDEFGHJLMN"} | {"C25": "后加的指标", "H25": 3}})
    evaluation, _ = read_workbook(cz)
    names = [i.name for i in evaluation.indicators]
    assert names == ["云主机数量", "服务事项", "故障响应时间", "用户满意度", "后加的指标"][:0] or names == ["云主机数量", "故障响应时间", "服务事项", "用户满意度", "后加的指标"]
    assert evaluation.indicators[1].loc["name"].cell == "C17" and evaluation.indicators[4].loc["weight"].cell == "H25"


def test_formula_with_and_without_cached_value(cz):
    patch_workbook(cz, {"自评表": {"H15": Formula("10+10"), "H16": Formula("5*3", cached=15)}})
    evaluation, findings = read_workbook(cz)
    assert evaluation.indicators[0].weight is None and evaluation.indicators[1].weight == 15
    assert [(f.code, f.location.cell, f.message) for f in findings] == [
        ("workbook.formula_uncached", "H15", "单元格 H15 是公式但没有计算结果，请在 Excel 中打开并保存一次，或直接填写数值")]
    assert findings[0].location.sheet == "自评表" and findings[0].location.field == "indicators[0].weight"


def test_uncached_formulas_scan():
    xml = b'<sheetData><row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>2</f><v>2</v></c><c r="C1" t="s"><v>0</v></c><c r="D1"><f t="shared" si="0"/></c></row></sheetData>'
    assert uncached_formulas(xml) == {"A1", "D1"}


def test_merged_cells(tmp_path, cz):
    book = openpyxl.load_workbook(cz)
    sheet = book["自评表"]
    sheet["A16"] = None
    sheet.merge_cells("A15:A16")  # 一级指标 merged over two rows, as published tables do
    sheet.merge_cells("C17:D17")
    copy = tmp_path / "merged.xlsx"
    book.save(copy)
    evaluation, _ = read_workbook(copy)
    assert [i.level1 for i in evaluation.indicators[:2]] == ["产出指标", "产出指标"]
    assert evaluation.indicators[2].name == "故障响应时间" and evaluation.indicators[2].nature is None
    assert evaluation.project.name == "政务云运行维护项目"  # B2:J2 merged in the template


def test_rows_inserted_with_openpyxl_follow_the_header_texts(tmp_path, cz):
    """openpyxl moves cells but not defined names: the reader falls back to the header texts."""
    book = openpyxl.load_workbook(cz)
    sheet = book["自评表"]
    sheet.insert_rows(17, 2)
    sheet["C17"], sheet["H17"] = "插入的指标", 4
    sheet.insert_rows(3, 1)  # inside the project form: 主管部门 moves down
    copy = tmp_path / "inserted.xlsx"
    book.save(copy)
    evaluation, findings = read_workbook(copy)
    names = [i.name for i in evaluation.indicators]
    assert names == ["云主机数量", "系统可用率", "插入的指标", "故障响应时间", "服务事项", "用户满意度"]
    assert evaluation.indicators[2].loc["weight"].cell == "H18" and evaluation.indicators[2].weight == 4
    assert evaluation.claimed_total == 96 and evaluation.project.filled_by == "张三"
    assert evaluation.project.department == "某某市政务服务数据管理局" and evaluation.project.implementer == "某某市大数据中心"
    assert {f.code for f in findings} == {"workbook.name_lost"}


def test_broken_name_falls_back(tmp_path, cz):
    rewrite_member(cz, "xl/workbook.xml", lambda t: re.sub(r"(<definedName name=\"xlperf_indicators\">)[^<]*", r"\1#REF!", t))
    evaluation, findings = read_workbook(cz)
    assert len(evaluation.indicators) == 5
    assert [f.code for f in findings] == ["workbook.name_lost"]


def test_renamed_sheet_is_followed_through_the_names(tmp_path):
    path = build(tmp_path, "fj2018", example())
    rewrite_member(path, "xl/workbook.xml", lambda t: t.replace('name="绩效目标"', 'name="目标表"').replace("'绩效目标'!", "'目标表'!"))
    evaluation, findings = read_workbook(path)
    assert findings == [] and len(evaluation.indicators) == 24
    assert evaluation.indicators[0].loc["name"].sheet == "目标表"


def test_renamed_sheet_without_names_is_refused(tmp_path):
    path = build(tmp_path, "fj2018", example())
    rewrite_member(path, "xl/workbook.xml", lambda t: t.replace('name="绩效目标"', 'name="目标表"'))
    with pytest.raises(WorkbookError, match="缺少工作表“绩效目标”") as caught:
        read_workbook(path)
    assert str(path) in str(caught.value)


def test_deleted_sheet_is_refused(tmp_path):
    path = build(tmp_path, "fj2018", example())

    def delete(text: str) -> str:
        text = re.sub(r'<sheet name="评分表"[^>]*/>', "", text)
        return re.sub(r"'评分表'!", "#REF!", text)

    rewrite_member(path, "xl/workbook.xml", delete)
    with pytest.raises(WorkbookError, match="缺少工作表“评分表”"):
        read_workbook(path)


def test_not_a_template(tmp_path):
    plain = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(plain)
    book.add_worksheet("Sheet1").write_string(0, 0, "项目名称")
    book.close()
    with pytest.raises(WorkbookError) as caught:
        read_workbook(plain)
    assert str(caught.value) == f"{plain}：不是由 xlperf 模板生成的工作簿，请用 xlperf new 生成模板后填写"
    settings = tmp_path / "settings.xlsx"
    book = xlsxwriter.Workbook(settings)
    book.add_worksheet("设置").write_string(1, 0, "模板")
    book.close()
    with pytest.raises(WorkbookError, match="不是由 xlperf 模板生成的工作簿"):
        read_workbook(settings)
    text = tmp_path / "data.xlsx"
    text.write_text("项目名称,分值\n一,2\n", encoding="utf-8")
    with pytest.raises(WorkbookError):
        read_workbook(text)


def test_newer_template_version_is_refused(cz):
    patch_workbook(cz, {"设置": {"B3": 2}})
    with pytest.raises(WorkbookError) as caught:
        read_workbook(cz)
    assert str(caught.value) == f"{cz}：此工作簿由更新版本的 xlperf 生成（模板版本 2），请升级：pip install -U xlperf"


def test_unknown_template_id_is_refused(cz):
    patch_workbook(cz, {"设置": {"B2": "xlperf-gd2030"}})
    with pytest.raises(WorkbookError, match="pip install -U xlperf"):
        read_workbook(cz)


def test_settings_are_read(cz):
    patch_workbook(cz, {"设置": {"B7": 5, "B8": "年初预算数", "B13": None}})
    evaluation, _ = read_workbook(cz)
    assert evaluation.settings == {"执行率分值": "5", "执行率口径": "年初预算数"}
    assert evaluation.settings_loc["执行率口径"].cell == "B8" and evaluation.settings_loc["执行率口径"].sheet == "设置"


def test_rows_over_the_cap_are_reported(tmp_path):
    evaluation = cz_sample()
    evaluation.indicators = [Indicator(name=f"指标{i}", weight=1) for i in range(2003)]
    path = build(tmp_path, "cz2020", evaluation)
    back, findings = read_workbook(path)
    assert len(back.indicators) == 2000
    assert [(f.code, f.severity.value) for f in findings] == [("workbook.too_many_rows", "error")]
    assert "2000" in findings[0].message and findings[0].location.cell == "A2015"


def test_a_hundred_thousand_rows_do_not_hang(tmp_path, cz):
    patch_workbook(cz, {"自评表": {f"C{r}": f"行{r}" for r in range(60, 100_060)}})
    start = time.perf_counter()
    evaluation, findings = read_workbook(cz)
    assert time.perf_counter() - start < 10
    assert len(evaluation.indicators) == 5 and findings == []
    # Now the indicator block itself reaches over all those rows.
    rewrite_member(cz, "xl/workbook.xml", lambda t: t.replace("'自评表'!$A$14:$P$45", "'自评表'!$A$14:$P$100100"))
    start = time.perf_counter()
    evaluation, findings = read_workbook(cz)
    assert time.perf_counter() - start < 10
    assert len(evaluation.indicators) == 2000
    assert "workbook.too_many_rows" in {f.code for f in findings}
