"""Real LibreOffice: rows inserted inside blocks, renamed sheets, and a scored workbook converted to CSV."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal

import pytest
from wbhelpers import build, cell, cz_sample, example, grids, hand_results, lo_edit

from xlperf.workbook.reader import read_workbook
from xlperf.workbook.writer import write_results

pytestmark = pytest.mark.libreoffice


def test_rows_inserted_in_libreoffice_are_followed(tmp_path):
    src = build(tmp_path, "cz2020", cz_sample())
    edited = lo_edit(src, tmp_path / "edited.xlsx", [
        ["insert", "自评表", 16, 2],  # inside the indicator block, between the first and second indicator
        ["set", "自评表", "C16", "新增指标甲"], ["set", "自评表", "E16", "≥3个"], ["set", "自评表", "H16", 2],
        ["insert", "自评表", 47, 1],  # on the 总分 row: the new row joins the block
        ["set", "自评表", "C47", "新增指标乙"],
        ["insert", "自评表", 3, 1],  # inside the project form
    ])
    evaluation, findings = read_workbook(edited)
    assert findings == []  # every block found through its (grown) defined name
    names = [i.name for i in evaluation.indicators]
    assert names == ["云主机数量", "新增指标甲", "系统可用率", "故障响应时间", "服务事项", "用户满意度", "新增指标乙"]
    assert evaluation.indicators[1].loc["weight"].cell == "H17" and evaluation.indicators[1].weight == 2
    assert evaluation.indicators[1].target == "≥3个"
    assert evaluation.project.department == "某某市政务服务数据管理局" and evaluation.project.loc["department"].cell == "B4"
    assert evaluation.claimed_total == 96 and evaluation.total_loc.cell == "F50"

    results = hand_results(evaluation)
    assert write_results(edited, evaluation, results) is True
    g = grids(edited)["自评表"]
    assert (cell(g, "I17"), cell(g, "I18"), cell(g, "I19"), cell(g, "I48")) == (1.5, "", 2.5, 6.5)  # row 18: the blank inserted row
    assert (cell(g, "A49"), cell(g, "I49"), cell(g, "B50")) == ("总分", 93.93, "优")
    assert write_results(edited, evaluation, results) is False


def test_rubric_rows_inserted_at_a_subtotal_join_the_block_above(tmp_path):
    src = build(tmp_path, "fj2018", example())
    edited = lo_edit(src, tmp_path / "edited.xlsx", [
        ["insert", "评分表", 15, 1],  # on the 投入小计 row
        ["set", "评分表", "C15", "投入新增项"], ["set", "评分表", "D15", 1],
        ["insert", "评分表", 18, 1],  # inside 过程
        ["set", "评分表", "C18", "过程新增项"],
    ])
    evaluation, findings = read_workbook(edited)
    assert findings == []
    by_name = {i.name: i for i in evaluation.items}
    assert by_name["投入新增项"].level1 == "投入" and by_name["投入新增项"].weight == 1
    assert by_name["过程新增项"].level1 == "过程"
    assert [i.level1 for i in evaluation.items].count("投入") == 11


def test_sheet_renamed_in_libreoffice_is_followed(tmp_path):
    src = build(tmp_path, "fj2018", example())
    edited = lo_edit(src, tmp_path / "renamed.xlsx", [["rename", "绩效目标", "2018绩效目标"]])
    evaluation, findings = read_workbook(edited)
    assert findings == [] and len(evaluation.indicators) == 24
    assert evaluation.indicators[0].loc["name"].sheet == "2018绩效目标"


def test_libreoffice_shows_the_written_scores(tmp_path, soffice_profile):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    path = build(tmp_path, "cz2020", cz_sample())
    evaluation, _ = read_workbook(path)
    results = hand_results(evaluation)
    results.indicators[0] = type(results.indicators[0])(Decimal("20"), Decimal("20"), Decimal("103.51"), "positive", "正向", "59÷57=103.51%，达到目标值，得满分20分", "met")
    write_results(path, evaluation, results)
    from wbhelpers import soffice_convert

    out = soffice_convert(path, tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", soffice_profile)
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    text = "\n".join(",".join(r) for r in rows)
    assert "项目支出绩效自评表（2020年度）" in text
    row15 = rows[14]
    assert row15[2] == "云主机数量" and row15[8] == "20" and row15[10] == "103.51%" and row15[14].startswith("59÷57")
    total = next(r for r in rows if r and r[0] == "总分")
    assert total[7] == "100" and total[8] == "93.93"
    assert next(r for r in rows if r and r[0] == "自评等级")[1] == "优"
