"""``xlperf batch`` over a folder of real workbooks (built by the workbook builder) and damaged files.

Every expected number comes from ``evaluate_file`` run on the same file here,
never typed in; the originals are hashed before and after.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import xlperf.batch.review as review
from xlperf.batch import run_batch, write_summary
from xlperf.cli.batch import batch_command
from xlperf.errors import XlperfError
from xlperf.scoring import text
from xlperf.sources import evaluate_file
from xlperf.values import to_decimal

from .conftest import DAMAGED, GOOD, LOCK_FILE, hashes

pytestmark = pytest.mark.usefixtures("real_parts")


def batch(*args: str):
    result = CliRunner().invoke(batch_command, [str(a) for a in args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def direct(workbooks):
    """evaluate_file on each good file, and the reason for each damaged one, in sorted order."""
    good = {rel: evaluate_file(workbooks / rel) for rel in sorted(GOOD)}
    reasons = {}
    for rel in DAMAGED:
        with pytest.raises(XlperfError) as failure:
            evaluate_file(workbooks / rel)
        reasons[rel] = failure.value.message
    return good, reasons


@pytest.fixture(scope="module")
def summary(workbooks, tmp_path_factory):
    """One CLI run with --jobs 1 and one with --jobs 2; the originals hashed around them."""
    before = hashes(workbooks)
    out = tmp_path_factory.mktemp("summary")
    runs = {jobs: batch(workbooks, "-o", out / f"jobs{jobs}" / "汇总.xlsx", "--jobs", jobs) for jobs in (1, 2)}
    assert hashes(workbooks) == before
    return out, runs


def table(path: Path, sheet: str) -> list[dict]:
    rows = list(openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_rows_and_totals_match_evaluate_file(summary, direct):
    out, runs = summary
    assert runs[1].exit_code == 1, runs[1].output
    rows = table(out / "jobs1" / "汇总.xlsx", "汇总")
    good, _ = direct
    projects, stats = rows[: len(good)], rows[len(good) + 1]
    assert [r["文件"] for r in projects] == sorted(good, key=lambda rel: rel.split("/"))
    for row in projects:
        evaluation, results = good[row["文件"]]
        assert row["单位"] == (text(evaluation.project.unit) or None)
        assert row["项目名称"] == text(evaluation.project.name)
        assert row["年度"] == int(to_decimal(evaluation.project.year))
        assert row["评分方案"] == results.profile
        assert row["全年预算数"] == pytest.approx(float(to_decimal(evaluation.funds.total.budget)))
        assert row["全年执行数"] == pytest.approx(float(to_decimal(evaluation.funds.total.spent)))
        assert row["执行率"] == pytest.approx(float(results.funds.rate) / 100)
        for sub in results.subtotals:
            assert row[sub.level1] == pytest.approx(float(sub.points)), sub.level1
        assert row["总分"] == pytest.approx(float(results.total))
        assert (row["等级"], row["错误数"], row["警告数"]) == (results.grade, results.errors, results.warnings)
    assert "预算执行率" in rows[0] and "投入" in rows[0]  # cz2020 and fj2018 一级 side by side
    totals = [r.total for _, r in good.values()]
    rates = [r.funds.rate for _, r in good.values()]
    assert stats["序号"] == "统计" and stats["单位"] == len(good)
    assert stats["总分"] == pytest.approx(float(sum(totals) / len(totals)))
    assert stats["执行率"] == pytest.approx(float(sum(rates) / len(rates)) / 100)
    assert "已处理 7/7" in runs[1].output


def test_findings_match_evaluate_file(summary, direct):
    out, _ = summary
    good, _ = direct
    rows = table(out / "jobs1" / "汇总.xlsx", "问题清单")
    order = sorted(good, key=lambda rel: rel.split("/"))
    expected = [
        {"文件": rel, "单元格": str(f.location), "级别": f.severity.label, "代码": f.code, "说明": f.message}
        for rel in order for f in good[rel][1].findings
    ]
    assert rows == expected
    assert any(r["单元格"] and "!" in r["单元格"] for r in rows)  # findings point at cells


def test_unreadable_lists_damaged_files_with_chinese_reasons(summary, direct):
    out, _ = summary
    _, reasons = direct
    rows = table(out / "jobs1" / "汇总.xlsx", "无法读取")
    assert {r["文件"]: r["原因"] for r in rows} == reasons
    everything = json.dumps([table(out / "jobs1" / "汇总.xlsx", s) for s in ("汇总", "问题清单", "无法读取")], ensure_ascii=False, default=str)
    assert LOCK_FILE not in everything  # the Excel lock file is skipped, not reported


def test_jobs_1_and_2_give_identical_bytes(summary):
    out, runs = summary
    assert runs[1].exit_code == runs[2].exit_code == 1
    assert (out / "jobs1" / "汇总.xlsx").read_bytes() == (out / "jobs2" / "汇总.xlsx").read_bytes()


def test_links_are_relative_to_the_summary(summary, workbooks):
    out, _ = summary
    ws = openpyxl.load_workbook(out / "jobs1" / "汇总.xlsx")["汇总"]
    column = [c.value for c in ws[1]].index("文件") + 1
    link = ws.cell(2, column).hyperlink.target.replace("\\", "/")
    assert (out / "jobs1" / link).resolve() == (workbooks / ws.cell(2, column).value).resolve()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_summary(summary, direct, tmp_path):
    out, _ = summary
    good, _ = direct
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
         "--outdir", str(tmp_path), str(out / "jobs1" / "汇总.xlsx")],
        check=True, capture_output=True, timeout=120,
    )
    rows = list(csv.reader((tmp_path / "汇总.csv").open(encoding="utf-8")))
    header = rows[0]
    assert header[:3] == ["序号", "单位", "项目名称"]
    for row in rows[1: 1 + len(good)]:
        _, results = good[row[header.index("文件")]]
        assert row[header.index("总分")] == f"{results.total:.2f}"
        assert row[header.index("执行率")] == f"{results.funds.rate:.2f}%"
        assert row[header.index("等级")] == results.grade
    assert rows[2 + len(good)][0] == "统计"


def test_csv_and_json_through_the_command(workbooks, direct, tmp_path):
    good, reasons = direct
    before = hashes(workbooks)
    ran = batch(workbooks, "--format", "csv", "-o", tmp_path / "汇总.csv", "--jobs", "2")
    assert ran.exit_code == 1
    rows = list(csv.DictReader((tmp_path / "汇总.csv").open(encoding="utf-8-sig")))
    assert {r["文件"]: r["总分"] for r in rows} == {rel: f"{res.total:.2f}" for rel, (_, res) in good.items()}
    findings = list(csv.DictReader((tmp_path / "汇总_问题清单.csv").open(encoding="utf-8-sig")))
    assert len(findings) == sum(len(res.findings) for _, res in good.values())
    unreadable = list(csv.DictReader((tmp_path / "汇总_无法读取.csv").open(encoding="utf-8-sig")))
    assert {r["文件"]: r["原因"] for r in unreadable} == reasons

    assert batch(workbooks, "-o", tmp_path / "汇总.json").exit_code == 1  # format from the suffix
    doc = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    assert {p["file"]: p["total"] for p in doc["projects"]} == {rel: float(res.total) for rel, (_, res) in good.items()}
    assert {u["file"]: u["reason"] for u in doc["unreadable"]} == reasons
    assert [f["code"] for f in doc["findings"] if f["file"] == "示例/宁德2018.xlsx"] == [f.code for f in good["示例/宁德2018.xlsx"][1].findings]
    assert hashes(workbooks) == before


def test_summary_inside_the_folder_is_not_reviewed(workbooks, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(workbooks, folder)
    assert batch(folder, "-o", folder / "汇总.xlsx").exit_code == 1
    assert batch(folder, "-o", folder / "汇总.xlsx").exit_code == 1
    files = [r["文件"] for r in table(folder / "汇总.xlsx", "汇总")] + [r["文件"] for r in table(folder / "汇总.xlsx", "无法读取")]
    assert "汇总.xlsx" not in files
    # an earlier summary under another name is recognised and skipped, not called unreadable
    ran = batch(folder, "-o", folder / "二次汇总.xlsx")
    assert "跳过汇总表 1 个" in ran.output
    assert "汇总.xlsx" not in [r["文件"] for r in table(folder / "二次汇总.xlsx", "无法读取")]


def test_command_failures_exit_2_in_chinese(tmp_path):
    ran = batch(tmp_path / "没有这个文件夹")
    assert ran.exit_code == 2 and "文件夹不存在" in ran.output
    (tmp_path / "空").mkdir()
    (tmp_path / "空" / "说明.txt").write_text("x")
    ran = batch(tmp_path / "空")
    assert ran.exit_code == 2 and "没有找到 .xlsx、.xlsm、.xls、.ods 或 .et 表格文件" in ran.output
    ran = batch(tmp_path, "--jobs", "0")
    assert ran.exit_code == 2 and "--jobs" in ran.output and "无效" in ran.output
    ran = batch(tmp_path, "--format", "pdf")
    assert ran.exit_code == 2 and "不支持的汇总格式" in ran.output
    ran = batch(tmp_path, "--format", "csv", "-o", tmp_path / "汇总.xlsx")
    assert ran.exit_code == 2 and "扩展名 .xlsx 与格式 csv 不符" in ran.output
    ran = batch()
    assert ran.exit_code == 2 and "缺少参数“目录”（要评审的文件夹" in ran.output


def test_help_is_chinese():
    ran = CliRunner().invoke(batch_command, ["--help"], prog_name="xlperf batch")
    assert ran.exit_code == 0
    for words in ("用法：xlperf batch [选项] 目录", "选项", "-o, --output 文件", "--reports 文件夹", "-j, --jobs N",
                  "--format [xlsx|csv|json]", "退出码", "显示本帮助并退出"):
        assert words in ran.output, words
    assert "Usage" not in ran.output and "Options" not in ran.output


def test_registered_in_the_main_command():
    from xlperf.cli import cli

    if "batch" not in cli.commands:
        pytest.skip("the lead registers batch_command in xlperf/cli.py")
    ran = CliRunner().invoke(cli, ["batch", "--help"])
    assert ran.exit_code == 0 and "批量评审" in ran.output


def _reports_available() -> bool:
    try:
        from xlperf.report import write_report  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _reports_available(), reason="xlperf.report.write_report is not there yet")
def test_reports_mirror_the_folders(workbooks, direct, tmp_path):
    good, _ = direct
    before = hashes(workbooks)
    ran = batch(workbooks, "-o", tmp_path / "汇总.xlsx", "--reports", tmp_path / "报告", "--jobs", "2")
    assert ran.exit_code == 1
    rows = {r["文件"]: r for r in table(tmp_path / "汇总.xlsx", "汇总")[: len(good)]}
    for rel, (evaluation, _) in good.items():
        report = rows[rel]["自评报告"]
        assert report.startswith(str(Path(rel).parent.as_posix()) + "/") or "/" not in rel
        assert text(evaluation.project.name) in report and report.endswith(".docx")
        assert (tmp_path / "报告" / report).stat().st_size > 0
    assert not list((tmp_path / "报告").rglob(".*"))  # no temporary files left
    assert hashes(workbooks) == before


def test_a_failing_report_is_recorded_and_the_batch_goes_on(workbooks, tmp_path, monkeypatch):
    import sys
    import types

    written = []

    def write_report(evaluation, results, out_path, fmt="docx", charts=True):
        if "养老" in text(evaluation.project.name):
            raise RuntimeError("模板缺失")
        Path(out_path).write_bytes(b"docx")
        written.append(out_path)
        return Path(out_path)

    fake = types.ModuleType("xlperf.report")
    fake.write_report = write_report
    monkeypatch.setitem(sys.modules, "xlperf.report", fake)
    with run_batch(workbooks, jobs=1, reports_dir=tmp_path / "报告") as result:
        write_summary(result, tmp_path / "汇总.xlsx")
        assert result.exit_code == 1
    assert len(written) == len(GOOD) - 1
    rows = table(tmp_path / "汇总.xlsx", "无法读取")
    assert {"文件": "民政/养老补助.xlsm", "原因": "自评报告未能生成：程序内部错误：RuntimeError: 模板缺失"} in rows
    names = sorted(p.relative_to(tmp_path / "报告").as_posix() for p in (tmp_path / "报告").rglob("*.docx"))
    assert names == ["交通/2020/乡村道路养护（2020年度）自评报告.docx", "水利/农村安全饮水巩固提升工程（2020年度）自评报告.docx",
                     "示例/2018年度政务网等运行维护费（2018年度）自评报告.docx"]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patched reader reaches workers only by fork")
def test_a_crashing_worker_costs_only_its_file(workbooks, monkeypatch, direct):
    real = review.evaluate_file

    def crash_on_one(path):
        if Path(path).name == "安全饮水.xlsx":
            os._exit(3)  # as a segfault in a reader would
        return real(path)

    monkeypatch.setattr(review, "evaluate_file", crash_on_one)
    good, reasons = direct
    with run_batch(workbooks, jobs=2) as result:
        unreadable = dict(result.unreadable)
        assert unreadable.pop("水利/安全饮水.xlsx").startswith("程序内部错误：读取此文件时工作进程意外退出")
        assert unreadable == reasons
        assert sorted(r.rel for r in result.projects) == sorted(set(good) - {"水利/安全饮水.xlsx"})


def test_level1_points_are_decimals_in_the_record(workbooks, direct):
    good, _ = direct
    with run_batch(workbooks, jobs=1) as result:
        for record in result.projects:
            _, results = good[record.rel]
            assert record.project.level1 == tuple((s.level1, s.points) for s in results.subtotals)
            assert isinstance(record.project.total, Decimal)
            assert [(r[4], r[5]) for r in result.findings_of(record.rel)] == [(f.code, f.message) for f in results.findings]
