"""A profile declares the columns its form shows: 指标性质/度量单位 as columns or inside 指标值, a 分值 column or weights implied.

The profile is written here (a framework none of the shipped ones has: declared 二级 weights, no
分值 column); the workbook goes new → typed as staff would → score → check → report, and LibreOffice
opens it. The expected total is computed here by hand.
"""

from __future__ import annotations

import shutil
import textwrap
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlperf.examples.made_up import example_data
from xlperf.layout import Table, layout_for, plan
from xlperf.layout.forms import IMPLIED_WEIGHT_HEADER
from xlperf.profile import load_profile
from xlperf.workbook.builder import _sizes, blank_evaluation
from xlperf.workbook.reader import read_workbook

from test_profiles_end_to_end import _libreoffice_opens, _run, _type_inputs, r2

D = Decimal

SUBWEIGHTS = textwrap.dedent(
    """\
    # 测试写的方案：二级指标有规定分值，表上没有“分值”栏，指标性质、度量单位各占一栏
    id = "erji_test"
    name = "二级定分（测试）"
    framework = "indicators"
    total = 100

    [form]
    nature = "column"
    unit = "column"
    weights = "equal"

    [execution]
    weight = 10

    [[grades]]
    min = 90
    label = "优"
    [[grades]]
    min = 0
    label = "其他"

    [[categories]]
    name = "产出指标"
    weight = 50
    subweights = { "数量指标" = 10, "质量指标" = 20, "时效指标" = 5, "成本指标" = 15 }

    [[categories]]
    name = "效益指标"
    weight = 25
    subcategories = ["社会效益指标", "可持续影响指标"]

    [[categories]]
    name = "满意度指标"
    weight = 15
    subcategories = ["服务对象满意度指标"]
    """
)

# 农村饮水 example: 执行率 92%; 数量 126/120 (full 10), 质量 93/95 of 20, 时效 full 5, 造价 35/36.4 of 15 (reverse);
# 效益 two rows sharing 25; 满意度 85/90 of 15.
EXPECTED = r2(D(10) * D("0.92")) + D(10) + r2(D(20) * 93 / 95) + D(5) + r2(D(15) * 35 / D("36.4")) + D("12.5") + D("12.5") + r2(D(15) * 85 / 90)


def _header_texts(book: Path, table: Table, profile) -> list[str]:
    """The header row of ``table`` as built: the row that starts with its first header."""
    ws = openpyxl.load_workbook(book)[layout_for(profile).sheet_of(table.name).name]
    row = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == table.columns[0].header)
    return [str(v).replace("\n", "") for v in row if v is not None]  # the builder may wrap a long header


def test_a_profile_without_a_weight_column_scores_with_its_declared_weights(tmp_path):
    assert EXPECTED == D("97.37")
    path = tmp_path / "二级定分.toml"
    path.write_text(SUBWEIGHTS, encoding="utf-8")
    assert "方案有效" in _run("profile", "check", str(path))
    profile = load_profile(path)
    data = example_data(profile)
    assert all("weight" not in row and row["nature"] and row["unit"] for row in data["indicators"])  # typed as this form has them
    book = tmp_path / "自评表.xlsx"
    assert "已生成" in _run("new", "--profile", str(path), "-o", str(book))
    table = layout_for(profile).tables("indicators")[0]
    headers = _header_texts(book, table, profile)
    assert "指标性质" in headers and "度量单位" in headers and "分值" not in headers and IMPLIED_WEIGHT_HEADER in headers
    _type_inputs(book, profile, data)
    scored = _run("score", str(book))
    assert f"总分 {EXPECTED}" in scored, scored
    checked = _run("check", str(book))
    assert "错误 0 项" in checked and "缺少分值" not in checked, checked
    # the weights the profile gave are written beside the rows, and read back as nothing typed
    evaluation, _ = read_workbook(book)
    assert all(ind.weight is None for ind in evaluation.indicators)
    ws = openpyxl.load_workbook(book)["自评表"]
    column = table.column("weight").col + 1
    shown = [ws.cell(int(ind.loc["name"].cell[1:]), column).value for ind in evaluation.indicators]
    assert shown == [10, 20, 5, 15, 12.5, 12.5, 15]
    report = tmp_path / "报告.docx"
    _run("report", str(book), "-o", str(report))
    assert report.is_file()
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    _libreoffice_opens(book, tmp_path)
    _libreoffice_opens(report, tmp_path)


def test_a_level2_the_profile_gives_no_weight_is_an_error_at_its_cell(tmp_path):
    path = tmp_path / "二级定分.toml"
    path.write_text(SUBWEIGHTS, encoding="utf-8")
    profile = load_profile(path)
    data = example_data(profile)
    data["indicators"][0]["level2"] = "数量指标（自拟）"
    book = tmp_path / "b.xlsx"
    _run("new", "--profile", str(path), "-o", str(book))
    _type_inputs(book, profile, data)
    out = _run("check", str(book))
    assert "二级指标“数量指标（自拟）”不在评分方案为“产出指标”规定的二级指标" in out, out
    assert "缺少分值" not in out


def test_hubei_form_has_no_weight_nature_or_unit_column_and_scores_by_equal_shares():
    from xlperf.examples import made_up_workbook
    from xlperf.scoring import score

    profile = load_profile("hubei2020")
    headers = [c.header for c in layout_for(profile).tables("indicators")[0].columns if c.col < 10]
    assert headers == ["一级指标", "二级指标", "三级指标", "年度指标值（含符号和单位）", "实际完成值", "得分", "偏差原因分析及改进措施"]
    evaluation, findings = read_workbook(made_up_workbook("hubei2020"))
    results = score(evaluation)
    assert [s.weight for s in results.indicators] == [D("12.5")] * 4 + [D(10)] * 3
    assert results.total == D("97.10") and not [f for f in results.findings if f.severity == "error"]


def test_equal_shares_add_up_exactly():
    from xlperf.implied_weights import equal_shares

    assert equal_shares(D(50), 3, D("0.01")) == [D("16.67"), D("16.67"), D("16.66")]
    assert sum(equal_shares(D(10), 7, D("0.01"))) == D(10)
    assert equal_shares(D(30), 0, D("0.01")) == []


def test_fixed_weights_come_from_each_category(tmp_path):
    from xlperf.jsonio import from_json
    from xlperf.scoring import score

    text = SUBWEIGHTS.replace('weights = "equal"', 'weights = "fixed"').replace("id = \"erji_test\"", "id = \"fixed_test\"")
    text = text.replace('subweights = { "数量指标" = 10, "质量指标" = 20, "时效指标" = 5, "成本指标" = 15 }', "indicator_weight = 12.5")
    text = text.replace('weight = 25\n', 'weight = 25\nindicator_weight = 12.5\n').replace('weight = 15\nsubcategories = ["服务对象', 'weight = 15\nindicator_weight = 15\nsubcategories = ["服务对象')
    path = tmp_path / "fixed.toml"
    path.write_text(text, encoding="utf-8")
    profile = load_profile(path)
    assert [c.indicator_weight for c in profile.categories] == [D("12.5"), D("12.5"), D(15)]
    results = score(from_json(example_data(profile)), profile)
    assert [s.weight for s in results.indicators] == [D("12.5")] * 6 + [D(15)]
