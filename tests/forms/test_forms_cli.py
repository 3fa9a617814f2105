"""Foreign forms through the commands: import, check, score, report, batch — never written."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from foreign import Style, joined, sample, write_form, write_sheet
from openpyxl import Workbook

from xlperf import jsonio
from xlperf.carryover import next_year
from xlperf.cli import cli
from xlperf.errors import WorkbookError
from xlperf.forms.identify import LOOKED_FOR, read_any
from xlperf.sources import load_evaluation
from xlperf.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def forms(tmp_path_factory, soffice_profile) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("foreign")
    out = {"xlsx": write_form(joined(sample()), folder / "外来表.xlsx", Style(split_target=False))}
    if shutil.which("soffice"):
        for fmt in ("xls", "ods"):
            subprocess.run(["soffice", f"-env:UserInstallation=file://{soffice_profile}", "--headless", "--convert-to", fmt,
                            "--outdir", str(folder), str(out["xlsx"])], capture_output=True, timeout=300, check=True)
            out[fmt] = folder / f"外来表.{fmt}"
    return out


def test_import_writes_an_xlperf_workbook_with_everything_carried_over(forms, tmp_path):
    for fmt, path in forms.items():
        before = digest(path)
        target = tmp_path / f"导入-{fmt}.xlsx"
        ran = run("import", str(path), "-o", str(target))
        assert ran.exit_code == 0, ran.output
        assert "按表头识别" in ran.output and "已导入 5 条绩效指标" in ran.output
        imported, _findings = read_workbook(target)
        original, _f, _h = read_any(path)
        assert jsonio.to_json(imported) == jsonio.to_json(original)
        assert digest(path) == before
        # ready for score, report and next year's new --from
        assert run("score", str(target)).exit_code in (0, 1)
        # (building a cz2020 workbook from --from fails in main for any cz2020 workbook: carryover sets
        # 参考标准, which cz2020 has no column for; the imported workbook is read like any other)
        following = next_year(load_evaluation(target)[0])
        assert [i.name for i in following.indicators] == [i.name for i in original.indicators]


def test_a_foreign_form_is_byte_identical_after_check_score_report_batch(forms, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    for path in forms.values():
        shutil.copy(path, folder / path.name)
    (folder / "子目录").mkdir()
    write_form(joined(sample()), folder / "子目录" / "另一张.xlsx", Style(order=("name", "level1", "level2", "target", "actual", "weight", "claimed_score", "reason")))
    before = {p: digest(p) for p in folder.rglob("*") if p.is_file()}
    for path in before:
        assert run("check", str(path)).exit_code in (0, 1)
        ran = run("score", str(path))
        assert ran.exit_code == 2 and "xlperf import" in ran.output
        ran = run("score", "--json", str(path))
        assert ran.exit_code in (0, 1) and json.loads(ran.output)["total"] == pytest.approx(97.43)
        ran = run("report", str(path), "-o", str(tmp_path / f"{path.stem}{path.suffix}.docx"))
        assert ran.exit_code == 0, ran.output
    summary = tmp_path / "汇总.json"
    ran = run("batch", str(folder), "-o", str(summary), "--format", "json", "--jobs", "1")
    assert ran.exit_code in (0, 1), ran.output
    assert {p: digest(p) for p in folder.rglob("*") if p.is_file()} == before
    data = json.loads(summary.read_text(encoding="utf-8"))
    projects = data["projects"]
    assert len(projects) == len(before)
    assert all("按表头识别" in row["read_as"] and "可信度高" in row["read_as"] for row in projects)


def test_batch_mixes_xlperf_workbooks_and_foreign_forms(forms, tmp_path):
    folder = tmp_path / "混合"
    folder.mkdir()
    shutil.copy(forms["xlsx"], folder / "外来.xlsx")
    assert run("new", "--data", str(_json(tmp_path)), "-o", str(folder / "本系统.xlsx")).exit_code == 0
    summary = tmp_path / "汇总.json"
    ran = run("batch", str(folder), "-o", str(summary), "--format", "json", "--jobs", "1")
    assert ran.exit_code in (0, 1), ran.output
    data = json.loads(summary.read_text(encoding="utf-8"))
    projects = data["projects"]
    how = {row["file"]: row["read_as"] for row in projects}
    assert how["本系统.xlsx"] == "xlperf 工作簿" and how["外来.xlsx"].startswith("按表头识别")
    totals = {row["file"]: row["total"] for row in projects}
    assert totals["本系统.xlsx"] == totals["外来.xlsx"]


def _json(tmp_path: Path) -> Path:
    path = tmp_path / "data.json"
    path.write_text(jsonio.dumps(joined(sample())), encoding="utf-8")
    return path


def test_a_workbook_without_a_form_gets_one_line_saying_what_was_looked_for(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "部门预算表"
    wb.active["B2"] = 123
    path = tmp_path / "别的表.xlsx"
    wb.save(path)
    ran = run("check", str(path))
    assert ran.exit_code == 2
    lines = [line for line in ran.output.splitlines() if line.strip()]
    assert len(lines) == 1 and LOOKED_FOR in lines[0] and "三级指标" in lines[0]


def test_several_tables_one_per_sheet_and_two_in_one_sheet(tmp_path):
    first = joined(sample())
    second = joined(sample())
    second.project.name = "第二个项目"
    second.indicators[0].actual = 40
    wb = Workbook()
    ws = wb.active
    ws.title = "项目一"
    after = write_sheet(ws, first, Style())
    write_sheet(ws, second, Style(), top=after + 2)  # two tables in one sheet
    write_sheet(wb.create_sheet("项目三"), first, Style(category_rows=True))
    path = tmp_path / "多张.xlsx"
    wb.save(path)
    one, findings, how = read_any(path)
    assert how.tables == 3 and one.project.name == "政务云运行维护项目"
    assert any(f.code == "form.several_tables" for f in findings)
    two, _f, _h = read_any(path, table=2)
    assert two.project.name == "第二个项目" and two.indicators[0].actual == 40 and len(two.indicators) == 5
    three, _f, _h = read_any(path, table=3)
    assert jsonio.to_json(three)["indicators"] == jsonio.to_json(one)["indicators"]
    ran = run("import", str(path), "--table", "2", "-o", str(tmp_path / "二.xlsx"))
    assert ran.exit_code == 0 and read_workbook(tmp_path / "二.xlsx")[0].project.name == "第二个项目"
    with pytest.raises(WorkbookError, match="没有第 4 张"):
        read_any(path, table=4)


def test_what_cannot_be_placed_is_reported_by_cell(tmp_path):
    evaluation = joined(sample())
    path = write_form(evaluation, tmp_path / "附加.xlsx", Style(order=("level1", "level2", "name", "target", "actual", "weight", "claimed_score", "reason", "method"), fund_labels=("年度资金总额", "其中：当年财政拨款", "中央补助", "其他资金")))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["自评表"]
    header = next(r for r in range(1, 40) if ws.cell(r, 3).value == "三级指标")
    ws.cell(header + 1, 9, "按比例计分")
    ws.cell(header + 2, 9, "按比例计分")
    wb.save(path)
    _e, findings, _h = read_any(path)
    by_code = {f.code: f for f in findings}
    unread = by_code["form.column_unread"]
    assert "得分计算方法" in unread.message and str(unread.location).startswith("自评表!I")
    fund = by_code["form.fund_row_unknown"]
    assert "中央补助" in fund.message and fund.location.cell.endswith("7")


def test_printed_category_weights_that_differ_from_the_profile_are_flagged(tmp_path):
    evaluation = joined(sample())
    path = write_form(evaluation, tmp_path / "云南.xlsx", Style(category_rows=True))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["自评表"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "产出指标（50分）":
                cell.value = "产出指标（40分）"
    wb.save(path)
    _e, findings, _h = read_any(path)
    flagged = [f for f in findings if f.code == "form.category_weight"]
    assert len(flagged) == 1 and "40 分" in flagged[0].message and "50 分" in flagged[0].message


def test_wps_et_files(forms, tmp_path):
    if "xls" not in forms:
        pytest.skip("LibreOffice (soffice) is not installed")
    readable = tmp_path / "WPS表.et"
    shutil.copy(forms["xls"], readable)  # WPS saves .et in the Excel 97-2003 format when asked to stay compatible
    evaluation, _f, how = read_any(readable)
    assert how.kind == "xls" and len(evaluation.indicators) == 5
    data = forms["xls"].read_bytes()
    own = tmp_path / "WPS专有.et"
    own.write_bytes(data.replace("Workbook".encode("utf-16-le"), "ETDocmnt".encode("utf-16-le")))  # no BIFF stream
    ran = run("check", str(own))
    assert ran.exit_code == 2 and "另存为” .xlsx" in ran.output


def test_the_commands_run_without_a_traceback_from_a_fresh_process(forms):
    ran = subprocess.run([sys.executable, "-m", "xlperf", "check", str(forms["xlsx"])], capture_output=True, text=True, cwd=ROOT, check=False)
    assert ran.returncode in (0, 1) and "读取方式：按表头识别" in ran.stdout and "Traceback" not in ran.stderr
