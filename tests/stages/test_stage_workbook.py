"""One workbook across the year: 申报 → 监控 → 自评 by the commands, values typed once, LibreOffice at each stage."""

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlperf import jsonio
from xlperf.cli import cli
from xlperf.sources import load_evaluation
from xlperf.stages import stage_of
from xlperf.stages.sheets import MONITOR_SHEET, has_stage_sheets

EXAMPLES = Path(__file__).resolve().parents[2] / "xlperf" / "examples"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def type_into(path: Path, cells: dict[tuple[str, str], object]) -> None:
    """What staff do in Excel: type values into cells, save."""
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    wb.save(path)


def declaration_data(tmp_path: Path) -> Path:
    data = json.loads((EXAMPLES / "shenbao2024.json").read_text(encoding="utf-8"))
    for ind in data["indicators"]:
        ind["reference"] = None  # the cz2020 workbook has no 参考标准 column
    path = tmp_path / "申报数据.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_one_workbook_through_the_year(tmp_path):
    # 申报: the indicator tree and targets, typed once
    declared = tmp_path / "申报.xlsx"
    assert run("new", "--stage", "申报", "--data", declaration_data(tmp_path), "-o", declared).exit_code == 0
    assert has_stage_sheets(declared)
    checked = run("check", declared)
    assert checked.exit_code == 0 and "绩效目标申报" in checked.output and "未发现问题" in checked.output

    # 监控: advance, then staff type only the progress
    monitored = tmp_path / "监控.xlsx"
    assert run("advance", declared, "--to", "监控", "-o", monitored).exit_code == 0
    ev, _ = load_evaluation(monitored)
    assert stage_of(ev) == "监控"
    rows = ev.stages.monitoring.indicators
    assert [r.target for r in rows] == [i.target for i in ev.indicators]  # carried, not retyped
    typed = {(MONITOR_SHEET, "B3"): 7, (MONITOR_SHEET, "C6"): 160, (MONITOR_SHEET, "E6"): 295}
    progress = ["780", "96%", "99%", "800", "70%", "部分达成", "92%"]
    for i, value in enumerate(progress):
        row = rows[i].loc["progress"]
        typed[(row.sheet, row.cell)] = value
        typed[(row.sheet, rows[i].loc["likelihood"].cell)] = "确定能" if i != 5 else "有可能"
    typed[(MONITOR_SHEET, rows[5].loc["cause_rules"].cell)] = "运营规范尚在修订"
    typed[(MONITOR_SHEET, rows[5].loc["correction"].cell)] = "9月底前出台运营规范"
    type_into(monitored, typed)
    scored = run("score", monitored, "--json")
    assert scored.exit_code == 0, scored.output
    lights = json.loads(scored.output)
    assert lights["project_light"] == "黄" and lights["budget"]["light"] == "绿"
    assert [x["light"] for x in lights["indicators"]] == ["绿", "绿", "绿", "绿", "绿", "黄", "绿"]
    assert lights["findings"] == []
    written = openpyxl.load_workbook(monitored)[MONITOR_SHEET]  # score wrote the lights, nothing else
    assert (written["D3"].value, written["G6"].value) == ("黄", "绿")
    assert [written.cell(r.loc["name"].cell and int(r.loc["name"].cell[1:]), 15).value for r in rows] == \
        ["绿", "绿", "绿", "绿", "绿", "黄", "绿"]
    assert written["E11"].value == "780" and written["B3"].value == 7
    assert "未改动" in run("score", monitored).output  # idempotent
    assert load_evaluation(monitored)[0].stages.monitoring.indicators[5].correction == "9月底前出台运营规范"
    report = run("report", monitored, "-o", tmp_path / "监控报告.md")
    assert report.exit_code == 0 and "项目总体为黄灯" in (tmp_path / "监控报告.md").read_text(encoding="utf-8")

    # 自评: advance, type the actuals; the summer's promise on 服务老年人数 is broken
    final = tmp_path / "自评.xlsx"
    assert run("advance", monitored, "--to", "自评", "-o", final).exit_code == 0
    ev, _ = load_evaluation(final)
    assert stage_of(ev) == "自评" and ev.stages.monitoring.indicators[0].progress == "780"
    typed = {}
    for ind, actual in zip(ev.indicators, ["1100人", "96%", "99%", "1450元", "82%", "达成年度指标", "92%"]):
        where = ind.loc["actual"]
        typed[(where.sheet, where.cell)] = actual
    for row in ev.funds.rows[:2]:
        where = row.loc["spent"]
        typed[(where.sheet, where.cell)] = 295
    type_into(final, typed)
    result = run("check", final, "--json")
    data = json.loads(result.output)
    promise = [f for f in data["findings"] if f["code"] == "promise.not_kept"]
    assert len(promise) == 1 and promise[0]["sheet"] and promise[0]["cell"] == ev.indicators[0].loc["actual"].cell
    assert run("score", final).exit_code in (0, 1)
    assert has_stage_sheets(final)  # writing scores kept the stage sheets
    again, _ = load_evaluation(final)
    assert again.stages.monitoring.indicators[5].correction == "9月底前出台运营规范"

    # LibreOffice opens the workbook at every stage
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(declared), str(monitored), str(final)],
                   check=True, capture_output=True, timeout=300)
    assert sorted(p.name for p in out.glob("*.pdf")) == ["申报.pdf", "监控.pdf", "自评.pdf"]


def test_new_from_last_year_starts_the_declaration(tmp_path, final):
    for ind in final.indicators:
        ind.reference = None
    final.stages = None  # last year's plain 自评
    last = tmp_path / "2024.json"
    jsonio.dump(final, last)
    out = tmp_path / "2025申报.xlsx"
    result = run("new", "--stage", "申报", "--from", last, "-o", out)
    assert result.exit_code == 0, result.output
    ev, _ = load_evaluation(out)
    assert stage_of(ev) == "申报" and ev.project.year == 2025


def test_blank_monitoring_workbook(tmp_path):
    out = tmp_path / "监控空白.xlsx"
    assert run("new", "--stage", "监控", "-o", out).exit_code == 0
    ev, _ = load_evaluation(out)
    assert stage_of(ev) == "监控" and ev.stages.monitoring is not None
    result = run("check", out)
    assert result.exit_code == 1 and "监控表没有任何指标行" in result.output


def test_plain_workbook_is_untouched_by_stages(tmp_path):
    out = tmp_path / "自评.xlsx"
    assert run("new", "-o", out).exit_code == 0
    assert not has_stage_sheets(out)
    assert load_evaluation(out)[0].stages is None
