"""``xlperf batch`` over a mixed folder: 监控 workbooks give the lights per project and unit, 申报 ones the
target-quality findings, 自评 ones are scored as before; each grouped in its own sheet."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from xlperf import jsonio
from xlperf.batch import run_batch, write_summary
from xlperf.cli import cli
from xlperf.sources import load_evaluation
from xlperf.stages.monitoring import assess_monitoring

from .conftest import clean

EXAMPLES = Path(__file__).resolve().parents[2] / "xlperf" / "examples"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def stage_book(tmp_path: Path, folder: Path, name: str, example: str, stage: str, change) -> Path:
    ev = jsonio.load(EXAMPLES / example)
    change(ev)
    data = tmp_path / f"{name}.json"
    jsonio.dump(ev, data)
    out = folder / f"{name}.xlsx"
    result = run("new", "--stage", stage, "--data", data, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def behind(ev):
    """甲局's second project: 300 of ≥1200 served by July (300 ÷ (1200 ÷ 12 × 7) = 42.9% → 红),
    50 of 300 万元 spent (50 × 12 × 100 ÷ (300 × 7) = 28.6% → 红)."""
    ev.stages.monitoring.indicators[0].progress = "300"
    ev.stages.monitoring.funds.spent = 50
    ev.project.name = "老年助餐补助"


def other_unit(ev):
    ev.project.unit = "某区卫健局"


def cost_with_ge(ev):
    ev.indicators[3].target = "≥1500"  # a cost indicator written with ≥
    ev.indicators[3].nature = "≥"


def test_mixed_folder_grouped_by_stage(tmp_path):
    folder = tmp_path / "报送"
    (folder / "乙").mkdir(parents=True)
    a = stage_book(tmp_path, folder, "甲-监控1", "jiankong2024.json", "监控", lambda ev: None)
    b = stage_book(tmp_path, folder, "甲-监控2", "jiankong2024.json", "监控", behind)
    c = stage_book(tmp_path, folder / "乙", "乙-监控", "jiankong2024.json", "监控", other_unit)
    stage_book(tmp_path, folder, "申报", "shenbao2024.json", "申报", cost_with_ge)
    assert run("new", "--data", _json(tmp_path, clean()), "-o", folder / "自评.xlsx").exit_code == 0

    with run_batch(folder, jobs=1) as result:
        rows = {r.rel: r.stage_row for r in result.records if r.stage_row is not None}
        assert [r.rel for r in result.projects] == ["自评.xlsx"]  # only the 自评 is scored and averaged
        assert result.statistics().count == 1
        # the lights, hand-computed (docstring of ``behind``) and equal to the one core on each file
        assert (rows["甲-监控1.xlsx"].project_light, rows["甲-监控1.xlsx"].budget_light) == ("黄", "绿")
        assert (rows["甲-监控2.xlsx"].project_light, rows["甲-监控2.xlsx"].budget_light) == ("红", "红")
        assert rows["甲-监控2.xlsx"].indicator_light == "红" and dict(rows["甲-监控2.xlsx"].counts) == {"红": 1, "黄": 1, "绿": 5}
        for path, rel in ((a, "甲-监控1.xlsx"), (b, "甲-监控2.xlsx"), (c, "乙/乙-监控.xlsx")):
            core = assess_monitoring(load_evaluation(path)[0])
            assert rows[rel].project_light == core.project and rows[rel].budget_light == core.budget.light
            assert [light for light, n in rows[rel].counts for _ in range(n)] == \
                sorted((x.light for x in core.indicators), key=["红", "黄", "绿"].index)
        assert rows["申报.xlsx"].stage == "申报" and rows["申报.xlsx"].errors >= 1
        found = [(rel, row[4]) for rel, row in result.findings()]
        assert ("申报.xlsx", "target.cost_lower_bound") in found
        assert result.exit_code == 1  # the 申报 has an error

        summary = tmp_path / "汇总.xlsx"
        write_summary(result, summary)
        wb = openpyxl.load_workbook(summary)
        assert {"汇总", "监控灯", "监控灯（按单位）", "申报审核", "问题清单"} <= set(wb.sheetnames)
        lights = wb["监控灯"]
        head = [c.value for c in lights[1]]
        assert head[:8] == ["序号", "单位", "项目名称", "年度", "监控月份", "项目灯", "预算执行进度灯", "指标进度灯"]
        table = {r[head.index("文件")]: dict(zip(head, r)) for r in lights.iter_rows(min_row=2, values_only=True)}
        assert table["甲-监控2.xlsx"]["项目灯"] == "红" and table["甲-监控2.xlsx"]["指标红灯数"] == 1
        assert table["乙/乙-监控.xlsx"]["单位"] == "某区卫健局"
        units = wb["监控灯（按单位）"]
        head = [c.value for c in units[1]]
        per_unit = {r[0]: dict(zip(head, r)) for r in units.iter_rows(min_row=2, values_only=True)}
        assert per_unit["某区民政局"]["项目数"] == 2 and per_unit["某区民政局"]["项目红灯"] == 1
        assert per_unit["某区民政局"]["项目黄灯"] == 1 and per_unit["某区民政局"]["指标绿灯"] == 11
        assert per_unit["某区卫健局"]["项目数"] == 1 and per_unit["某区卫健局"]["项目红灯"] == 0
        declared = [r for r in wb["申报审核"].iter_rows(min_row=2, values_only=True)]
        assert len(declared) == 1 and declared[0][5] >= 1 and declared[0][7] == "申报.xlsx"
        problems = [r[0] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
        assert "申报.xlsx" in problems

        out = tmp_path / "汇总.json"
        write_summary(result, out)
        stages = json.loads(out.read_text(encoding="utf-8"))["stages"]
        assert sorted(s["stage"] for s in stages) == ["申报", "监控", "监控", "监控"]
        assert next(s for s in stages if s["file"] == "甲-监控2.xlsx")["indicator_lights"] == {"红": 1, "黄": 1, "绿": 5}

        written = write_summary(result, tmp_path / "汇总.csv")
        assert [p.name for p in written][-2:] == ["汇总_监控灯.csv", "汇总_申报审核.csv"]
        import csv

        with open(tmp_path / "汇总_监控灯.csv", encoding="utf-8-sig", newline="") as f:
            table = {row["文件"]: row for row in csv.DictReader(f)}
        assert table["甲-监控2.xlsx"]["项目灯"] == "红" and table["甲-监控2.xlsx"]["指标红灯数"] == "1"

    shown = run("batch", folder, "-o", tmp_path / "cli.xlsx")
    assert shown.exit_code == 1
    assert "申报 1 个" in shown.output and "运行监控 3 个" in shown.output and "红灯 1 个" in shown.output


def _json(tmp_path: Path, ev) -> Path:
    path = tmp_path / "clean.json"
    jsonio.dump(ev, path)
    return path
