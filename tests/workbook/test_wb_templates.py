"""The layout, and the committed templates rebuilt part by part."""

from __future__ import annotations

import re
import zipfile

import pytest
from wbhelpers import TEMPLATES, build, grids

from xlperf.layout import COMPUTED, INPUT, LAYOUT_IDS, Table, layout_for, plan
from xlperf.profile import load_profile
from xlperf.model import FundRow, Goal, Indicator, ProjectInfo, RubricItem, field_names
from xlperf.workbook.reader import read_workbook

# Model fields a layout deliberately has no cell for.
NOT_HELD = {  # by the profile's framework
    "indicators": {"items." + name for name in field_names(RubricItem)},
    "rubric": {"indicators.weight", "indicators.claimed_score", "indicators.not_applicable", "indicators.rule"},
}


def normalise(name: str, data: bytes) -> bytes:
    """The one normaliser for volatile fields: XlsxWriter output with fixed dates has none."""
    return data


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_template_rebuilds_identically(tmp_path, profile):
    rebuilt = build(tmp_path, profile, None, f"{profile}.xlsx")
    with zipfile.ZipFile(TEMPLATES / f"{profile}.xlsx") as committed, zipfile.ZipFile(rebuilt) as fresh:
        assert committed.namelist() == fresh.namelist()
        for name in committed.namelist():
            assert normalise(name, fresh.read(name)) == normalise(name, committed.read(name)), f"{profile}.xlsx: {name} differs; run python -m xlperf.workbook.builder"


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_every_model_field_has_a_cell(profile):
    held = layout_for(profile).held_fields
    wanted = {f"project.{n}" for n in field_names(ProjectInfo)} | {f"goal.{n}" for n in field_names(Goal)}
    wanted |= {f"funds.rows.{n}" for n in field_names(FundRow)} | {"funds.claimed_rate", "funds.reason", "claimed_total", "claimed_grade"}
    wanted |= {f"indicators.{n}" for n in field_names(Indicator)} | {f"items.{n}" for n in field_names(RubricItem)}
    wanted |= {"problems", "measures", "suggestions", "settings"}
    assert wanted - held == NOT_HELD[load_profile(profile).framework]


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_blocks_have_unique_names_and_computed_cells_marked(profile):
    layout = layout_for(profile)
    names = [b.name for _s, b in layout.blocks()]
    assert len(names) == len(set(names)) and all(n.startswith("xlperf_") for n in names)
    assert layout.settings_sheet.name == "设置" and layout.findings_sheet.name == "校验结果" and layout.help_sheet.name == "填表说明"
    for table in (b for _s, b in layout.blocks() if isinstance(b, Table) and b.target in ("indicators", "items")):
        assert {c.key for c in table.columns if c.role == COMPUTED} >= {"ratio"} if table.target == "indicators" else {"points", "explanation"}


def _sheet_xml(path, index: int) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_template_protection_names_validation_print(profile):
    path = TEMPLATES / f"{profile}.xlsx"
    layout = layout_for(profile)
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        styles = z.read("xl/styles.xml").decode("utf-8")
    for _sheet, block in layout.blocks():
        assert f'<definedName name="{block.name}">' in workbook
    for i, sheet in enumerate(layout.sheets, start=1):
        xml = _sheet_xml(path, i)
        protection = re.search(r"<sheetProtection[^>]*/>", xml)
        assert protection and "password" not in protection[0] and 'insertRows="0"' in protection[0], sheet.name
        if sheet.role == "input":
            assert '<pageSetup paperSize="9"' in xml and 'fitToHeight="0"' in xml
    assert "宋体" in styles and 'locked="0"' in styles
    first = _sheet_xml(path, 1)
    assert "<dataValidation " in first
    xml = _sheet_xml(path, 3 if profile == "fj2018" else 1)
    if profile == "fj2018":
        assert 'state="frozen"' in xml  # 绩效目标: panes frozen below the header
        assert "达成年度指标" in xml and 'showErrorMessage="1"' in xml


def test_cz2020_form_matches_the_official_layout():
    g = grids(TEMPLATES / "cz2020.xlsx")["自评表"]
    spans = plan(layout_for("cz2020"))
    assert g[0][0] == "项目支出绩效自评表（    年度）"
    assert [g[1][0], g[2][0], g[2][5]] == ["项目名称", "主管部门", "实施单位"]
    funds = spans["xlperf_funds"].first
    assert g[funds][0] == "项目资金\n（万元）"  # broken before the bracket for print, never a lone ）
    assert g[funds][3:9] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert [g[funds + i][1] for i in range(1, 5)] == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
    header = spans["xlperf_indicators"].first
    assert g[header][:10] == ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    assert g[header][10:15] == ["完成比值", "自评得分", "不适用", "计分规则", "得分说明"]
    assert spans["xlperf_indicators"].last - header - 1 >= 30
    assert g[spans["xlperf_indicators"].last][0] == "总分"


@pytest.mark.parametrize("profile", LAYOUT_IDS)
def test_template_reads_back_blank(profile):
    evaluation, findings = read_workbook(TEMPLATES / f"{profile}.xlsx")
    assert findings == []
    assert evaluation.profile == profile and evaluation.indicators == []
    assert [r.label for r in evaluation.funds.rows] == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
    assert all(getattr(evaluation.project, n) is None for n in field_names(ProjectInfo))
    if profile == "fj2018":
        assert len(evaluation.items) == 20 and evaluation.items[0].name == "项目实施时间与计划时间的差异情况"
        assert {i.level1 for i in evaluation.items} == {"投入", "过程"}
    assert evaluation.settings == {}


def test_input_and_computed_cells_look_different():
    layout = layout_for("cz2020")
    table = layout.block("xlperf_indicators")
    path = TEMPLATES / "cz2020.xlsx"
    xml = _sheet_xml(path, 1)
    row = plan(layout)["xlperf_indicators"].first + 2
    style = {m[1]: m[2] for m in re.finditer(r'<c r="([A-Z]+)' + str(row) + r'" s="(\d+)"', xml)}
    inputs = {style[chr(65 + c.col)] for c in table.columns if c.role == INPUT and c.kind == "text"}
    computed = {style[chr(65 + c.col)] for c in table.columns if c.role == COMPUTED}
    assert inputs and computed and not inputs & computed
