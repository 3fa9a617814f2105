"""``xlperf batch`` audits the 自评报告 found beside the workbooks (``batch.narratives``).

A folder of several workbooks and reports: consistent ones, one altered in its text, one altered in
its workbook only (seen only through the pairing), one report in another folder than its workbook,
the published seed report with no workbook (audited as text alone), a reviewer's copy (skipped).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlperf.examples import made_up_workbook

SEED = Path(__file__).resolve().parents[1] / "audit" / "data" / "2018-ningde-egov-self-evaluation-report.txt"


def _report(workbook: Path, out: Path) -> Path:
    from xlperf.report import write_report
    from xlperf.sources import evaluate_file

    evaluation, results = evaluate_file(workbook)
    return write_report(evaluation, results, out, fmt=out.suffix.lstrip("."), charts=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("submissions")
    (root / "水利局").mkdir()
    (root / "卫健委").mkdir()
    (root / "交通局").mkdir()
    (root / "材料").mkdir()
    water = root / "水利局" / "饮水工程自评表.xlsx"
    shutil.copy(made_up_workbook("cz2020"), water)
    _report(water, root / "水利局" / "饮水工程自评报告.docx")  # consistent, same folder
    health = root / "卫健委" / "公卫自评表.xlsx"
    shutil.copy(made_up_workbook("bumen_pingjia"), health)
    text = _report(health, root / "卫健委" / "公卫绩效报告.md").read_text(encoding="utf-8")
    (root / "卫健委" / "公卫绩效报告.md").write_text(text.replace("实际支出817.00万元", "实际支出807.00万元"), encoding="utf-8")
    road = root / "交通局" / "道路自评表.xlsx"
    shutil.copy(made_up_workbook("hubei2020"), road)
    # its report lies in another folder and says 136公里 where the workbook (and its own ratio) says 126
    text = _report(road, root / "材料" / "x.md").read_text(encoding="utf-8")
    (root / "材料" / "x.md").unlink()
    (root / "材料" / "湖北项目自评报告.md").write_text(text, encoding="utf-8")
    shutil.copy(SEED, root / "材料" / "宁德自评报告.txt")
    (root / "材料" / "说明.txt").write_text("不是报告", encoding="utf-8")
    shutil.copy(root / "水利局" / "饮水工程自评报告.docx", root / "水利局" / "饮水工程自评报告_审核稿.docx")
    return root


def _run(folder, tmp_path, fmt="json"):
    from click.testing import CliRunner

    from xlperf.cli import cli

    out = tmp_path / f"汇总.{fmt}"
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1"])
    return result, out


def test_reports_found_and_paired(folder):
    from xlperf.batch.discover import discover
    from xlperf.batch.narratives import find_reports
    from xlperf.batch.run import run_batch

    assert find_reports(folder) == ["卫健委/公卫绩效报告.md", "材料/宁德自评报告.txt", "材料/湖北项目自评报告.md", "水利局/饮水工程自评报告.docx"]
    with run_batch(folder, jobs=1) as result:
        pairs = {a.rel: a.workbook for a in result.audits.items}
        assert len(discover(folder).files) == 3
    assert pairs["水利局/饮水工程自评报告.docx"] == "水利局/饮水工程自评表.xlsx"
    assert pairs["卫健委/公卫绩效报告.md"] == "卫健委/公卫自评表.xlsx"
    # the cz2020 and hubei2020 examples describe the same project name: the folder decides for the first,
    # and for the report in 材料/ two workbooks fit equally, so it is audited as text alone, not against a guess
    assert pairs["材料/湖北项目自评报告.md"] is None
    assert pairs["材料/宁德自评报告.txt"] is None


def test_findings_join_the_summary(folder, tmp_path):
    result, out = _run(folder, tmp_path)
    assert result.exit_code == 1, result.output
    assert "另审核自评报告 4 份" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    audits = {a["file"]: a for a in data["report_audits"]}
    assert audits["水利局/饮水工程自评报告.docx"]["errors"] == 0
    assert audits["卫健委/公卫绩效报告.md"]["errors"] >= 1
    assert audits["材料/宁德自评报告.txt"]["errors"] >= 10
    rows = [f for f in data["findings"] if f["file"] == "卫健委/公卫绩效报告.md"]
    assert any("807" in f["message"] and f["location"].startswith("第") for f in rows)
    assert not any(f["file"].endswith("审核稿.docx") for f in data["findings"])
    by_file = {p["file"]: p for p in data["projects"]}
    assert by_file["卫健委/公卫自评表.xlsx"]["report_audit"][0]["file"] == "卫健委/公卫绩效报告.md"
    assert by_file["交通局/道路自评表.xlsx"]["report_audit"] == []


def test_xlsx_summary_has_the_column_and_rows(folder, tmp_path):
    result, out = _run(folder, tmp_path, "xlsx")
    assert result.exit_code == 1
    book = openpyxl.load_workbook(out)
    head = [c.value for c in book["汇总"][1]]
    assert "报告审核" in head
    col = head.index("报告审核")
    cells = [row[col].value for row in book["汇总"].iter_rows(min_row=2, max_row=4)]
    assert any(c and "公卫绩效报告.md：错误" in c for c in cells)
    assert any(c and "未发现矛盾" in c for c in cells)
    files = [row[0].value for row in book["问题清单"].iter_rows(min_row=2)]
    assert "材料/宁德自评报告.txt" in files and "卫健委/公卫绩效报告.md" in files


def test_workbook_change_seen_only_through_pairing(folder, tmp_path):
    """The report is left alone; the workbook beside it changes: the batch's pairing finds it."""
    root = tmp_path / "one"
    shutil.copytree(folder / "水利局", root)
    (root / "饮水工程自评报告_审核稿.docx").unlink()
    book = openpyxl.load_workbook(root / "饮水工程自评表.xlsx")
    ws = book["自评表"]
    hit = next(c for row in ws.iter_rows() for c in row if c.value in (126, "126"))
    hit.value = 116
    book.save(root / "饮水工程自评表.xlsx")
    result, out = _run(root, tmp_path)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["report_audits"][0]["workbook"] == "饮水工程自评表.xlsx"
    assert any("116" in f["message"] and f["code"] == "audit.against" for f in data["findings"])


def test_no_audit_and_reports_only(folder, tmp_path):
    from click.testing import CliRunner

    from xlperf.cli import cli

    out = tmp_path / "汇总.json"
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1", "--no-audit"])
    assert "report_audits" not in json.loads(out.read_text(encoding="utf-8"))
    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(SEED, only / "宁德自评报告.txt")
    result = CliRunner().invoke(cli, ["batch", str(only), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["report_audits"][0]["workbook"] is None
