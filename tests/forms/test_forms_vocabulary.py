"""The printed label variants seen on real forms, and what each is read as."""

from __future__ import annotations

import pytest
from foreign import Style, joined, sample, write_form

from xlperf.forms import vocabulary as V
from xlperf.forms.identify import read_any


@pytest.mark.parametrize("printed, field", [
    ("年初预算数(A)", "initial"), ("年初预算数（A）", "initial"), ("全年执行数(B)", "spent"), ("执行率(B/A)", "rate"),
    ("全年预算数", "budget"), ("分值", "weight"), ("得分", "points"),
])
def test_fund_columns(printed, field):
    assert V.fund_field(printed) == field


@pytest.mark.parametrize("printed, field", [
    ("一级指标", "level1"), ("二级 指标", "level2"), ("三级指标", "name"), ("指标名称", "name"), ("年度指标值", "target"),
    ("指标值", "target"), ("度量单位", "unit"), ("计量单位", "unit"), ("指标性质", "nature"), ("实际完成值", "actual"),
    ("全年实际完成值", "actual"), ("分值", "weight"), ("权重", "weight"), ("得分", "claimed_score"), ("自评得分", "claimed_score"),
    ("偏差原因分析及改进措施", "reason"), ("未完成原因分析", "reason"), ("產出指標", None), ("實際完成值", "actual"),
    ("得分计算方法", None),
])
def test_indicator_columns(printed, field):
    assert V.indicator_field(printed) == field


@pytest.mark.parametrize("printed, row", [
    ("年度资金总额", "年度资金总额"), ("其中：当年财政拨款", "当年财政拨款"), ("本年一般公共预算拨款", "当年财政拨款"),
    ("上年结转资金", "上年结转资金"), ("其他资金", "其他资金"), ("中央补助", None),
])
def test_fund_rows(printed, row):
    assert V.fund_row(printed) == row


@pytest.mark.parametrize("printed, nature", [
    ("1", "≥"), ("2", "＞"), ("3", "＝"), ("4", "＜"), ("5", "≤"), ("6", "定性"), (">=", "≥"), ("≤", "≤"), ("正向指标", "≥"),
    ("反向指标", "≤"), ("定性", "定性"), ("定量", None), ("9", None), ("约等于", False),
])
def test_natures(printed, nature):
    assert V.nature_of(printed) == nature


def test_category_labels_with_points():
    assert V.norm("产出指标（50分）") == "产出指标" and V.printed_points("产出指标（50分）") == 50
    assert V.norm("產出指標(40分)") == "产出指标" and V.printed_points("產出指標(40分)") == 40
    assert V.printed_points("产出指标") is None


def test_a_percent_formatted_actual_is_flagged_not_scored_silently(tmp_path):
    evaluation = joined(sample())
    path = write_form(evaluation, tmp_path / "百分比.xlsx", Style())
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["自评表"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "99.95%":
                cell.value = 0.9995
                cell.number_format = "0.00%"
                where = cell.coordinate
    wb.save(path)
    _e, findings, _h = read_any(path)
    flagged = [f for f in findings if f.code == "form.percent_cell"]
    assert len(flagged) == 1 and flagged[0].location.cell == where and "99.95%" in flagged[0].message


def test_an_indicator_whose_name_starts_like_a_note_is_read(tmp_path):
    evaluation = joined(sample())
    evaluation.indicators[0].name = "注册企业数量"
    evaluation.indicators[1].name = "说明会场次"
    path = write_form(evaluation, tmp_path / "注.xlsx", Style(order=("name", "level1", "level2", "target", "actual", "weight", "claimed_score", "reason"), merge_level1=False))
    read, _f, _h = read_any(path)
    assert [i.name for i in read.indicators] == [i.name for i in evaluation.indicators]
