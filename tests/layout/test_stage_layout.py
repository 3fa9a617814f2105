"""The stage sheets' definition (xlperf.layout.stages): derived from the profile, and it places what the builder writes."""

import openpyxl
import pytest

from xlperf.layout import LAYOUT_IDS, Layout
from xlperf.layout.geometry import _check
from xlperf.layout.stages import DECLARED_SHEET, MONITOR_SHEET, stage_layout
from xlperf.model import Evaluation, Indicator
from xlperf.stages.advance import advance
from xlperf.stages.model import StageData
from xlperf.stages.sheets import add_stage_sheets, read_stage_sheets


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_every_profile_has_well_formed_stage_sheets(profile):
    stages = stage_layout(profile)
    _check(Layout(profile, "", 0, stages.sheets))  # no overlapping cells, nothing outside the sheet
    spans = stages.spans
    assert spans["xlperf_monitor_head"].first == 2 and spans["xlperf_monitor_indicators"].first == 9


def test_headings_come_from_the_profile():
    cz, fj = stage_layout("cz2020"), stage_layout("fj2018")
    assert cz.block("xlperf_declared").column("name").header == "三级指标"
    assert fj.block("xlperf_declared").column("name").header == "指标名称"
    assert fj.block("xlperf_monitor_indicators").column("target").header == "绩效目标值"
    assert cz.block("xlperf_monitor_funds").column("spent").header == f"1–{cz.month}月执行数（万元）"
    assert "参考标准" in cz.declared_headers()["reference"]  # older workbooks still read


def test_a_rubric_profile_workbook_round_trips(tmp_path):
    import xlsxwriter

    ev = Evaluation(profile="fj2018", stages=StageData(stage="申报"))
    ev.indicators = [Indicator(level1="产出", level2="数量", name="培训人次", target="≥500", unit="人次", weight=10)]
    moved = advance(ev, "监控")
    path = tmp_path / "fj.xlsx"
    book = xlsxwriter.Workbook(path)
    add_stage_sheets(moved)(book)
    book.close()
    ws = openpyxl.load_workbook(path)[MONITOR_SHEET]
    assert ws["C10"].value == "指标名称" and ws["C11"].value == "培训人次"
    back = read_stage_sheets(path, "fj2018")
    assert back.stage == "监控" and back.monitoring.indicators[0].target == "≥500"
    assert back.declared[0].weight == 10 and back.declared[0].unit == "人次"
    assert openpyxl.load_workbook(path)[DECLARED_SHEET].sheet_state == "hidden"
