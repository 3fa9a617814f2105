"""Build a filled workbook, read it back: every field, and every field's cell."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from wbhelpers import build, cell, cz_sample, example, grids

from xlperf import jsonio
from xlperf.errors import DataError
from xlperf.layout import layout_for
from xlperf.model import Evaluation, Indicator, Location, RubricItem, field_names
from xlperf.workbook.builder import build_workbook
from xlperf.workbook.reader import cell_value, read_workbook


def _records(evaluation: Evaluation):
    yield "project", evaluation.project
    yield "goal", evaluation.goal
    yield "funds", evaluation.funds
    for i, row in enumerate(evaluation.funds.rows):
        yield f"funds.rows[{i}]", row
    for i, x in enumerate(evaluation.indicators):
        yield f"indicators[{i}]", x
    for i, x in enumerate(evaluation.items):
        yield f"items[{i}]", x


def _check_locations(evaluation: Evaluation, path, profile: str) -> None:
    """Every held field has a loc naming its JSON path, and the cell there holds the value."""
    g = grids(path)
    held = layout_for(profile).held_fields
    for prefix, record in _records(evaluation):
        group = prefix.split("[")[0]
        names = ("claimed_rate", "reason") if group == "funds" else field_names(type(record))
        for name in names:
            if f"{group}.{name}" not in held:
                continue
            loc = record.loc.get(name)
            assert loc is not None, f"{prefix}.{name} has no location"
            assert loc.field == f"{prefix}.{name}" and loc.sheet and loc.cell
            if name == "level1" and group == "items":
                continue  # the merged 一级 cell of the block
            assert cell_value(cell(g[loc.sheet], loc.cell)) == getattr(record, name), f"{prefix}.{name} at {loc}"


def test_cz2020_round_trip(tmp_path):
    original = cz_sample()
    path = build(tmp_path, "cz2020", original)
    evaluation, findings = read_workbook(path)
    assert findings == []
    assert jsonio.to_json(evaluation) == jsonio.to_json(original)
    assert evaluation.source == str(path)
    _check_locations(evaluation, path, "cz2020")
    # Spot checks against the official layout.
    assert evaluation.project.loc["name"] == Location("project.name", "自评表", "B2")
    assert evaluation.funds.rows[0].loc["budget"] == Location("funds.rows[0].budget", "自评表", "E7")
    assert evaluation.indicators[0].loc["target"] == Location("indicators[0].target", "自评表", "E15")
    assert evaluation.indicators[4].loc["rule"].cell == "N19"
    assert evaluation.total_loc == Location("claimed_total", "自评表", "F46")
    assert evaluation.settings == {"小数位数": "2"} and evaluation.settings_loc["小数位数"].cell == "B13"
    assert evaluation.problems == ["个别设备老化。"]
    title = grids(path)["自评表"][0][0]
    assert title == "项目支出绩效自评表（2020年度）"


def test_fj2018_example_round_trip(tmp_path):
    original = example()
    path = build(tmp_path, "fj2018", original)
    evaluation, findings = read_workbook(path)
    assert findings == []
    assert jsonio.to_json(evaluation) == jsonio.to_json(original)
    _check_locations(evaluation, path, "fj2018")
    assert [i.level1 for i in evaluation.items].count("产出与效益") == 17
    first_output = next(i for i, x in enumerate(evaluation.items) if x.level1 == "产出与效益")
    assert evaluation.items[first_output].loc["level1"].cell == evaluation.items[first_output].loc["name"].cell.replace("C", "A")
    assert evaluation.indicators[0].loc["reference"] == Location("indicators[0].reference", "绩效目标", "E3")


def test_text_is_written_as_text_never_as_formula(tmp_path):
    evaluation = cz_sample()
    evaluation.indicators[0].name = "=SUM(A1:A2)"
    evaluation.indicators[1].reason = "+1"
    evaluation.indicators[2].unit = "@台"
    evaluation.indicators[3].target = "-5"
    evaluation.indicators[4].actual = "１２３"  # full-width digits
    path = build(tmp_path, "cz2020", evaluation)
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    back, _ = read_workbook(path)
    assert [back.indicators[0].name, back.indicators[1].reason, back.indicators[2].unit, back.indicators[3].target, back.indicators[4].actual] == [
        "=SUM(A1:A2)", "+1", "@台", "-5", "１２３"]


def test_numbers_dates_and_booleans_keep_their_type(tmp_path):
    evaluation = cz_sample()
    evaluation.project.filled_on = dt.date(2021, 3, 15)
    evaluation.indicators[0].weight = 12.5
    evaluation.indicators[1].target = "57"  # text that looks like a number stays text
    evaluation.indicators[2].not_applicable = True
    path = build(tmp_path, "cz2020", evaluation)
    back, _ = read_workbook(path)
    assert back.project.filled_on == dt.date(2021, 3, 15)
    assert back.indicators[0].weight == 12.5 and back.indicators[1].target == "57" and back.indicators[2].not_applicable is True


def test_many_rows_grow_the_block(tmp_path):
    evaluation = cz_sample()
    evaluation.indicators = [Indicator(level1="产出指标", name=f"指标{i}", target=f"≥{i}", actual=i, weight=1) for i in range(45)]
    path = build(tmp_path, "cz2020", evaluation)
    back, findings = read_workbook(path)
    assert findings == [] and len(back.indicators) == 45 and back.indicators[44].name == "指标44"
    assert back.claimed_total == 96  # the forms below the grown block are found too


def test_builder_refuses_data_without_a_cell(tmp_path):
    evaluation = cz_sample()
    evaluation.items = [RubricItem(level1="投入", name="x")]
    with pytest.raises(DataError, match=r"items\[0\]\.level1"):
        build_workbook("cz2020", evaluation, tmp_path / "x.xlsx")
    fj = example()
    fj.indicators[0].weight = 3
    with pytest.raises(DataError, match=r"indicators\[0\]\.weight"):
        build_workbook("fj2018", fj, tmp_path / "y.xlsx")
    fj = example()
    fj.items[0].level1 = "其他"
    with pytest.raises(DataError, match="不是评分表的一级指标"):
        build_workbook("fj2018", fj, tmp_path / "z.xlsx")
    with pytest.raises(DataError, match="评分方案"):
        build_workbook("cz2020", example(), tmp_path / "w.xlsx")


def test_builder_writes_to_a_stream_deterministically():
    import io

    a, b = io.BytesIO(), io.BytesIO()
    build_workbook("cz2020", cz_sample(), a)
    build_workbook("cz2020", cz_sample(), b)
    assert a.getvalue() == b.getvalue() and a.getvalue()[:2] == b"PK"


def test_xlsm_hook_gets_the_first_sheet(tmp_path):
    seen = []

    def macros(workbook, worksheet):
        seen.append((workbook.worksheets()[0] is worksheet, worksheet.name))

    build_workbook("fj2018", None, tmp_path / "m.xlsm", xlsm=True, macros=macros)
    assert seen == [(True, "基本情况")]
    layout = layout_for("fj2018")
    assert [b.caption for b in layout.buttons] == ["评分", "校验", "生成报告"]
    g = grids(tmp_path / "m.xlsm")["基本情况"]
    cap = layout.button_caption
    assert g[cap.row][cap.col].startswith("xlperf")
    # the button cells are free
    for b in layout.buttons:
        assert cell(g, b.cell) == ""
