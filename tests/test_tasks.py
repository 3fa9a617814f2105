"""部门整体支出: the 年度主要任务 table a profile declares (``[form] blocks = ["tasks"]``), read, scored, written, reported."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from xlperf.cli import cli
from xlperf.examples import made_up_json, made_up_workbook
from xlperf.jsonio import from_json, to_json
from xlperf.layout import layout_for
from xlperf.profile import load_profile
from xlperf.scoring import score
from xlperf.workbook.builder import build_workbook
from xlperf.workbook.reader import read_workbook

D = Decimal


def _data() -> dict:
    return json.loads(made_up_json("bumen_zhengti").read_text(encoding="utf-8"))


def test_the_profile_declares_the_task_table_and_only_it_has_one():
    tables = {t.target for _s, t in layout_for("bumen_zhengti").blocks() if hasattr(t, "target")}
    assert "tasks" in tables
    headers = [c.header for c in layout_for("bumen_zhengti").tables("tasks")[0].columns]
    assert headers[:4] == ["年度主要任务", "主要内容", "预算数（万元）", "执行数（万元）"]
    assert not layout_for("cz2020").tables("tasks")
    profile = load_profile("bumen_zhengti")
    assert "财预〔2013〕53号" in profile.source and profile.form.blocks == ("tasks",)


def test_the_example_workbook_reads_its_tasks_and_scores_by_hand(tmp_path):
    evaluation, findings = read_workbook(made_up_workbook("bumen_zhengti"))
    assert [t.name for t in evaluation.tasks] == ["高标准农田建设", "动物疫病防控", "农村人居环境整治", "机关运行保障"]
    assert evaluation.tasks[2].loc["spent"].cell.startswith("G")
    results = score(evaluation)
    assert [r.rate for r in results.tasks] == [D("96.25"), D("99.08"), D("88.39"), D("99.71")]  # 2310/2400, 376.5/380, 548/620, 1595.3/1600
    assert results.total == D("98.66") and not results.findings, results.findings
    # JSON keeps them, and a project's JSON has no "tasks" key at all
    assert from_json(to_json(evaluation)).tasks == evaluation.tasks
    assert "tasks" not in to_json(read_workbook(made_up_workbook("cz2020"))[0])


def test_score_writes_each_task_rate_beside_it(tmp_path):
    book = tmp_path / "部门.xlsx"
    build_workbook("bumen_zhengti", from_json(_data()), book)
    result = CliRunner().invoke(cli, ["score", str(book)], catch_exceptions=False)
    assert result.exit_code == 0 and "总分 98.66" in result.output, result.output
    evaluation, _ = read_workbook(book)
    ws = openpyxl.load_workbook(book)["自评表"]
    rate_col = layout_for("bumen_zhengti").tables("tasks")[0].column("rate").col + 1
    rows = [int(t.loc["name"].cell[1:]) for t in evaluation.tasks]
    assert [ws.cell(r, rate_col).value for r in rows] == [0.9625, 0.9908, 0.8839, 0.9971]


def test_what_does_not_add_up_is_found_at_its_cell(tmp_path):
    data = _data()
    data["tasks"][0]["spent"] = 2500  # over its budget of 2400, and the tasks no longer add up to 全年执行数
    data["tasks"][2]["note"] = None  # 88.39% without a word of why
    data["tasks"][3]["budget"] = "一千六百"
    book = tmp_path / "部门.xlsx"
    build_workbook("bumen_zhengti", from_json(data), book)
    evaluation, _ = read_workbook(book)
    found = {f.code: f for f in score(evaluation).findings}
    assert found["task.over_budget"].location.cell == evaluation.tasks[0].loc["spent"].cell
    assert "执行数2500.00万元超过预算数2400.00万元" in found["task.over_budget"].message
    assert found["task.low_rate"].location.cell == evaluation.tasks[2].loc["note"].cell
    assert found["task.unreadable"].severity == "error" and "一千六百" in found["task.unreadable"].message
    assert "各项年度主要任务的执行数合计5019.80万元" in found["task.spent_sum"].message
    assert "task.budget_sum" not in found  # one budget unreadable: its sum is not compared


def test_a_project_profile_refuses_task_data_rather_than_lose_it(tmp_path):
    import pytest

    from xlperf.errors import DataError

    data = _data()
    data["profile"] = "cz2020"
    with pytest.raises(DataError, match="tasks"):
        build_workbook("cz2020", from_json(data), tmp_path / "x.xlsx")


def test_batch_and_report_of_the_department_example(tmp_path):
    folder = tmp_path / "收到"
    folder.mkdir()
    (folder / "部门.xlsx").write_bytes(Path(made_up_workbook("bumen_zhengti")).read_bytes())
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(tmp_path / "汇总.xlsx")], catch_exceptions=False)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    report = tmp_path / "报告.docx"
    result = CliRunner().invoke(cli, ["report", str(folder / "部门.xlsx"), "-o", str(report)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    import re
    import zipfile

    text = re.sub("<[^>]+>", "", zipfile.ZipFile(report).read("word/document.xml").decode())
    assert "年度主要任务4项：高标准农田建设，预算数2400.00万元，执行数2310.00万元，执行率96.25%" in text
