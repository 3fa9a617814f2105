"""Every shipped profile, and one written here, from `xlperf new` to a report LibreOffice opens.

The inputs are typed into the blank workbook with openpyxl, cell by cell, as staff would type
them; the expected totals are computed here by hand from the made-up figures.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlperf.cli import cli
from xlperf.examples.made_up import example_data
from xlperf.layout import Table, data_rows, layout_for, plan
from xlperf.profile import PROFILE_IDS, load_profile
from xlperf.workbook.builder import _records, _sizes, blank_evaluation  # the blank workbook's table sizes

D = Decimal


def r2(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), ROUND_HALF_UP)


def water_total(weights: tuple[Decimal, Decimal, Decimal], execution: Decimal) -> Decimal:
    """农村饮水 example: 执行率 92%; 水质 93/95, 造价 35/36.4 (reverse), 满意度 85/90; the rest complete."""
    out, eff, sat = weights
    rows = [
        execution * D("0.92"),
        out * D("0.3"), out * D("0.3") * 93 / 95, out * D("0.2"), out * D("0.2") * 35 / D("36.4"),
        eff * D("0.5"), eff * D("0.5"),
        sat * 85 / 90,
    ]
    return sum((r2(x) for x in rows), D(0))


EXPECTED = {
    "cz2020": water_total((D(50), D(30), D(10)), D(10)),  # 97.94
    "cz2020_adjusted": water_total((D(40), D(30), D(20)), D(10)),
    # 湖北: no 分值 column, each 一级's rows share its weight equally (产出 4 × 12.5, 效益 2 × 10, 满意度 10)
    "hubei2020": r2(D(20) * D("0.92")) + D("12.5") + r2(D("12.5") * 93 / 95) + D("12.5") + r2(D("12.5") * 35 / D("36.4")) + D(10) + D(10) + r2(D(10) * 85 / 90),
    "ningxia2022": water_total((D(40), D(40), D(20)), D(0)),
    # 卫生院 example: 手工 items typed one point below full when worth 4 or more; 执行率 95%;
    # 建档率 complete, 规范管理率 63/70, 满意度 81/90.
    "bumen_pingjia": D(3 + 3 + 3) + D(5) + r2(D(10) * D("0.95")) + D(4 + 4) + D(15) + r2(D(15) * 63 / 70) + r2(D(35) * 81 / 90),
    # 部门整体 example: 执行率 4829.8/5000; 户厕 1080/1200 of 10; the other 产出 (40), 效益 (30), 满意度 (10) complete.
    "bumen_zhengti": r2(D(10) * D("4829.8") / 5000) + D(40) + r2(D(10) * 1080 / 1200) + D(30) + D(10),
    "gongxing_texing": D(9 + 9) + r2(D(5) * D("0.95")) + D(4) + D("17.5") + r2(D("17.5") * 63 / 70) + r2(D(35) * 81 / 90),
}


def test_the_hand_computed_totals_are_what_the_examples_claim():
    assert EXPECTED["cz2020"] == D("97.94") and EXPECTED["bumen_pingjia"] == D("91.50") and EXPECTED["hubei2020"] == D("97.10")
    assert EXPECTED["bumen_zhengti"] == D("98.66")
    assert set(EXPECTED) | {"fj2018"} == set(PROFILE_IDS)


def _type_inputs(path: Path, profile, data: dict) -> None:
    """Type the example's inputs into the blank workbook, at the cells the layout names."""
    layout = layout_for(profile)
    spans = plan(layout, _sizes(layout, blank_evaluation(profile), profile))
    book = openpyxl.load_workbook(path)

    def put(sheet: str, row: int, col: int, value) -> None:
        if value is not None:
            book[sheet].cell(row + 1, col + 1, value)

    for key, value in [*(("project." + k, v) for k, v in data["project"].items()), ("funds.reason", data["funds"]["reason"])]:
        found = layout.slot(key)
        if found:
            form, slot = found
            put(spans[form.name].sheet, spans[form.name].first + slot.row, slot.col, value)
    records = {"funds.rows": data["funds"]["rows"], "indicators": data.get("indicators", []), "tasks": data.get("tasks", [])}
    for _sheet, block in layout.blocks():
        if not isinstance(block, Table) or block.target not in ("funds.rows", "indicators", "items", "tasks"):
            continue
        rows = records[block.target] if block.target != "items" else [i for i in data["items"] if i["level1"] == block.category]
        span = spans[block.name]
        free = list(data_rows(block, span))
        assert len(rows) <= len(free), f"{block.name}: the blank workbook has too few rows"
        for record, row in zip(rows, free):
            for column in block.data_columns:
                if column.key in record and not (block.target == "funds.rows" and column.key == "label"):
                    put(span.sheet, row, column.col, record[column.key])
    book.save(path)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # 1: check found errors (none expected below)
    return result.output


def _libreoffice_opens(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=240,
    )
    pdf = out / (path.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000, f"LibreOffice did not convert {path.name}"


def _cycle(tmp_path: Path, profile_arg: str, data: dict, expected: Decimal, libreoffice: bool = True) -> None:
    book = tmp_path / "自评表.xlsx"
    assert "已生成" in _run("new", "--profile", profile_arg, "-o", str(book))
    profile = load_profile(profile_arg)
    _type_inputs(book, profile, data)
    scored = _run("score", str(book))
    assert f"总分 {expected}" in scored, scored
    checked = _run("check", str(book))
    assert "错误 0 项" in checked, checked
    report = tmp_path / "报告.docx"
    _run("report", str(book), "-o", str(report))
    assert report.is_file()
    if libreoffice:
        if not shutil.which("soffice"):
            pytest.skip("LibreOffice (soffice) is not installed")
        _libreoffice_opens(book, tmp_path)
        _libreoffice_opens(report, tmp_path)


@pytest.mark.parametrize("profile_id", sorted(EXPECTED))
def test_shipped_profile_new_fill_score_check_report(tmp_path, profile_id):
    _cycle(tmp_path, profile_id, example_data(load_profile(profile_id)), EXPECTED[profile_id])


CUSTOM = textwrap.dedent(
    """\
    # 海南型：项目决策 20、项目管理 25、项目绩效 55（执行率在项目管理中评分）
    id = "hainan_test"
    name = "海南（测试写的方案）"
    framework = "rubric"
    total = 100

    [[grades]]
    min = 85
    label = "优秀"
    [[grades]]
    min = 0
    label = "一般"

    [[categories]]
    name = "项目决策"
    weight = 20
    subcategories = ["立项", "目标"]

    [[categories]]
    name = "项目管理"
    weight = 25
    subcategories = ["资金管理"]

    [[categories]]
    name = "项目绩效"
    weight = 55
    subcategories = ["产出数量", "项目效益"]

    [[items]]
    level1 = "项目管理"
    level2 = "资金管理"
    name = "预算执行率"
    weight = 25
    rule = "正向"
    source = "资金使用率"
    target = "100%"
    """
)


def test_new_profile_written_here_builds_a_workbook_that_scores(tmp_path):
    path = tmp_path / "海南.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    assert "方案有效" in _run("profile", "check", str(path))
    data = example_data(load_profile(path))
    # 项目决策 (no defaults): one manual item worth 20 typed at full; 执行率 95% of 25;
    # 项目绩效 55: 建档率 27.5 complete, 规范管理率 27.5 × 63/70 … and 满意度 goes to it too (the last category).
    names = [(i["name"], i["weight"]) for i in data["items"]]
    assert ("项目决策综合评价", 20.0) in names
    weights = {i["name"]: D(str(i["weight"])) for i in data["items"]}
    expected = D(20) + r2(D(25) * D("0.95")) + weights["居民电子健康档案建档率"] + r2(weights["高血压患者规范管理率"] * 63 / 70) + r2(weights["群众满意度"] * 81 / 90)
    _cycle(tmp_path, str(path), data, expected, libreoffice=False)


def test_the_workbook_scores_with_its_embedded_profile_when_the_file_is_gone(tmp_path):
    path = tmp_path / "本省.toml"
    path.write_text(CUSTOM.replace("hainan_test", "gone_test"), encoding="utf-8")
    book = tmp_path / "b.xlsx"
    data = example_data(load_profile(path))
    _run("new", "--profile", str(path), "-o", str(book))
    _type_inputs(book, load_profile(path), data)
    path.unlink()
    # a fresh interpreter: nothing cached, the file is gone
    out = subprocess.run(["python", "-m", "xlperf", "score", str(book)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "评分方案 gone_test" in out.stdout and "项目决策 20.00/20" in out.stdout


def test_a_workbook_made_before_profiles_were_embedded_still_reads():
    from xlperf.workbook.reader import read_workbook

    old = Path(__file__).resolve().parents[1] / "workbook" / "data" / "ningde2018_before_embedding.xlsx"
    evaluation, findings = read_workbook(old)
    assert evaluation.profile == "fj2018" and len(evaluation.items) > 10 and not [f for f in findings if f.severity == "error"]


def test_batch_over_custom_and_shipped_profiles_has_their_columns(tmp_path):
    folder = tmp_path / "收到"
    folder.mkdir()
    path = tmp_path / "海南.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    book = folder / "海南.xlsx"
    _run("new", "--profile", str(path), "-o", str(book))
    _type_inputs(book, load_profile(path), example_data(load_profile(path)))
    shutil.copy(Path(__file__).resolve().parents[2] / "xlperf" / "examples" / "ningxia2022.xlsx", folder / "宁夏.xlsx")
    summary = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(summary)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    sheets = openpyxl.load_workbook(summary, read_only=True)
    headers = {str(c) for ws in sheets.worksheets for row in ws.iter_rows(max_row=3, values_only=True) for c in row if c}
    assert {"项目决策", "项目绩效", "产出指标", "满意度指标"} <= headers, headers


def test_weights_typed_in_the_settings_sheet_are_used_and_warned(tmp_path):
    from xlperf.profile import setting_keys

    book = tmp_path / "b.xlsx"
    _run("new", "--profile", "cz2020", "-o", str(book))
    profile = load_profile("cz2020")
    _type_inputs(book, profile, example_data(profile))
    layout = layout_for(profile)
    span = plan(layout)["xlperf_settings"]
    keys = list(setting_keys(profile))
    wb = openpyxl.load_workbook(book)
    for key, value in (("产出指标分值", 40), ("满意度指标分值", 20)):
        row = span.first + 1 + keys.index(key)
        assert wb["设置"].cell(row + 1, 1).value == key
        wb["设置"].cell(row + 1, 2, value)
    wb.save(book)
    out = _run("check", str(book))
    assert "产出指标”的分值改为40（评分方案默认50）" in out, out
    assert "产出指标 " in _run("score", str(book))
