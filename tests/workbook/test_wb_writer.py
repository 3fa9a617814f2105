"""Writing results into the computed cells, and nothing else."""

from __future__ import annotations

import zipfile

import pytest
from wbhelpers import build, cell, cz_sample, example, findings, grids, hand_results

from xlperf.layout import layout_for
from xlperf.ooxml.cellvalue import Formula
from xlperf.ooxml.patch import patch_workbook
from xlperf.workbook.reader import load_workbook, read_workbook
from xlperf.workbook.writer import edits_of, link, output_blocks, write_results


def _computed_cells(path, evaluation, results) -> dict[str, set[str]]:
    loaded = load_workbook(path, with_findings_sheet=True)
    return {sheet: set(cells) for sheet, cells in edits_of(output_blocks(evaluation, results, loaded.layout, loaded.placement)).items()}


def _outside(before: dict, after: dict, computed: dict[str, set[str]]) -> list[str]:
    """Cells (outside ``computed``) whose value differs between two calamine grid sets."""
    from xlperf.layout import a1

    changed = []
    for sheet in before:
        a, b = before[sheet], after[sheet]
        for r in range(max(len(a), len(b))):
            for c in range(max(len(a[r]) if r < len(a) else 0, len(b[r]) if r < len(b) else 0)):
                ref = a1(r, c)
                if ref not in computed.get(sheet, set()) and cell(a, ref) != cell(b, ref):
                    changed.append(f"{sheet}!{ref}")
    return changed


def test_cz2020_results_land_in_the_computed_cells(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    evaluation, _ = read_workbook(path)
    results = hand_results(evaluation, findings(3))
    before = grids(path)
    assert write_results(path, evaluation, results) is True
    after = grids(path)
    g = after["自评表"]
    # indicators: 得分 I, 完成比值 K (a fraction under a 0.00% format), 得分说明 O
    assert [cell(g, f"I{r}") for r in range(15, 20)] == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert [cell(g, f"K{r}") for r in range(15, 20)] == [1.0, 1.01, 1.02, 1.03, 1.04]
    assert cell(g, "O15") == "说明0" and cell(g, "I20") == "" and cell(g, "O44") == ""
    # funds total row: 分值 执行率 得分 到位率 到位及时率 结余
    assert [cell(g, c + "7") for c in "GHILMN"] == [10.0, 0.9432, 9.43, 1.0, 0.9418, 10.25]
    assert cell(g, "H8") == ""  # the breakdown rows get no 执行率
    assert (cell(g, "H45"), cell(g, "I45"), cell(g, "B46")) == (100.0, 93.93, "优")
    assert g[0][0] == "项目支出绩效自评表（2020年度）"
    # 分项汇总: 产出指标 row and 预算执行率 row
    assert [cell(g, c + "50") for c in "DEF"] == [50.0, 50.0, 44.5] and [cell(g, c + "53") for c in "DEF"] == [10.0, 10.0, 9.43]
    assert cell(g, "D51") == ""  # 效益指标: no subtotal in these results
    # 校验结果
    f = after["校验结果"]
    assert f[1][0] == "共 3 条：错误 2 条，警告 1 条"
    assert f[3][:5] == [1.0, "错误", "自评表!G12", "test.code0", "问题0"]
    # every other cell is as it was
    assert _outside(before, after, _computed_cells(path, evaluation, results)) == []
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()
    assert """<f>HYPERLINK("#'自评表'!G12","自评表!G12")</f><v>自评表!G12</v>""" in xml


def test_second_run_changes_nothing(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    evaluation, _ = read_workbook(path)
    results = hand_results(evaluation, findings(2))
    assert write_results(path, evaluation, results) is True
    data = path.read_bytes()
    assert write_results(path, evaluation, results) is False
    again, _ = read_workbook(path)
    assert write_results(path, again, hand_results(again, findings(2))) is False
    assert path.read_bytes() == data


def test_findings_shrink_from_five_to_two(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    evaluation, _ = read_workbook(path)
    write_results(path, evaluation, hand_results(evaluation, findings(5)))
    assert [row[0] for row in grids(path)["校验结果"][3:8]] == [1.0, 2.0, 3.0, 4.0, 5.0]
    write_results(path, evaluation, hand_results(evaluation, findings(2)))
    f = grids(path)["校验结果"]
    assert f[1][0] == "共 2 条：错误 1 条，警告 1 条"
    assert [row[:2] for row in f[3:5]] == [[1.0, "错误"], [2.0, "警告"]]
    assert all(all(v == "" for v in row) for row in f[5:8])
    write_results(path, evaluation, hand_results(evaluation, []))
    f = grids(path)["校验结果"]
    assert f[1][0] == "未发现问题" and len(f) <= 3


def test_rows_without_a_record_are_cleared(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    patch_workbook(path, {"自评表": {"I30": 9, "K30": 0.5, "O30": "旧的说明"}})
    evaluation, _ = read_workbook(path)
    write_results(path, evaluation, hand_results(evaluation))
    g = grids(path)["自评表"]
    assert (cell(g, "I30"), cell(g, "K30"), cell(g, "O30")) == ("", "", "")


def test_fj2018_subtotals_total_and_grade(tmp_path):
    path = build(tmp_path, "fj2018", example())
    evaluation, _ = read_workbook(path)
    results = hand_results(evaluation)
    before = grids(path)
    write_results(path, evaluation, results)
    after = grids(path)
    g = after["评分表"]
    assert cell(g, "L3") == 0.25 and cell(g, "O3") == "评分项0" and cell(g, "L4") == 1.25
    assert (cell(g, "A15"), cell(g, "D15"), cell(g, "L15")) == ("投入小计", 31.0, 29.0)
    assert (cell(g, "A28"), cell(g, "D28"), cell(g, "L28")) == ("过程小计", 30.0, 24.84)
    assert cell(g, "D49") == ""  # 产出与效益: no subtotal in these results
    assert (cell(g, "A50"), cell(g, "D50"), cell(g, "L50"), cell(g, "D51")) == ("总分", 100.0, 93.93, "优")
    funds = after["资金"]
    assert funds[2][6:12] == [1.0, 0.9418, 0.9432, 10.25, 10.0, 9.43]
    goals = after["绩效目标"]
    assert [goals[r][8] for r in (2, 3)] == [1.0, 1.01] and goals[2][10] == "说明0"
    assert _outside(before, after, _computed_cells(path, evaluation, results)) == []


def test_output_blocks_are_one_rectangle_per_run_of_computed_columns(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    evaluation, _ = read_workbook(path)
    loaded = load_workbook(path, with_findings_sheet=True)
    blocks = output_blocks(evaluation, hand_results(evaluation), loaded.layout, loaded.placement)
    refs = {(b.sheet, b.ref) for b in blocks}
    assert {("自评表", "I15:I44"), ("自评表", "K15:K44"), ("自评表", "O15:O44"), ("自评表", "G7:I7"), ("自评表", "L7:N7")} <= refs
    assert ("自评表", "D50:F53") in refs and ("自评表", "A1") in refs


def test_evaluation_without_locations_uses_the_workbook_rows(tmp_path):
    from xlperf import jsonio

    path = build(tmp_path, "cz2020", cz_sample())
    evaluation = jsonio.from_json(jsonio.to_json(cz_sample()))  # no workbook locations
    write_results(path, evaluation, hand_results(evaluation))
    assert cell(grids(path)["自评表"], "I19") == 4.5


def test_write_to_a_copy_leaves_the_source_alone(tmp_path):
    path = build(tmp_path, "cz2020", cz_sample())
    data = path.read_bytes()
    evaluation, _ = read_workbook(path)
    copy = tmp_path / "scored.xlsx"
    assert write_results(path, evaluation, hand_results(evaluation), dst=copy) is True
    assert path.read_bytes() == data and cell(grids(copy)["自评表"], "I15") == 0.5


def test_link_quotes_sheet_names():
    assert link("绩效指标", "G12") == Formula('HYPERLINK("#\'绩效指标\'!G12","绩效指标!G12")', cached="绩效指标!G12")
    assert link("it's", "A1").text == 'HYPERLINK("#\'it\'\'s\'!A1","it\'s!A1")'


def test_real_scoring_writes_and_reads_back(tmp_path):
    scoring = pytest.importorskip("xlperf.scoring")
    path = build(tmp_path, "fj2018", example())
    evaluation, file_findings = read_workbook(path)
    results = scoring.score(evaluation)
    assert write_results(path, evaluation, results) is True
    g = grids(path)
    assert cell(g["评分表"], "L50") == pytest.approx(float(results.total))
    assert write_results(path, evaluation, results) is False
    assert layout_for("fj2018").findings_sheet.name in g
