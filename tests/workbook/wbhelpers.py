"""Helpers for the workbook tests: sample evaluations, hand-built Results, grids, LibreOffice."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xlperf import jsonio
from xlperf.findings import Finding, Severity
from xlperf.model import Evaluation, FundRow, Funds, Goal, Indicator, Location, ProjectInfo
from xlperf.results import FundsResult, Results, Score, Subtotal
from xlperf.workbook.builder import build_workbook

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "workbook_templates"
EXAMPLE = ROOT / "xlperf" / "examples" / "ningde2018.json"
LO_EDIT = Path(__file__).with_name("lo_edit.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def cz_sample() -> Evaluation:
    """A small cz2020 evaluation with the awkward values staff type."""
    return Evaluation(
        profile="cz2020",
        project=ProjectInfo(
            unit="某某市大数据中心", department="某某市政务服务数据管理局", implementer="某某市大数据中心",
            name="政务云运行维护项目", year=2020, attribute="经常性", period="2020年1月1日至2020年12月31日",
            filled_by="张三", phone="0593-1234567", duties="负责政务云平台运行维护。", overview="项目概况……",
        ),
        funds=Funds(
            rows=[
                FundRow("年度资金总额", 200, 180.5, 170.25, 180.5, 170),
                FundRow("当年财政拨款", 150, 150, 145.5),
                FundRow("上年结转资金", 50, 30.5, 24.75),
                FundRow("其他资金"),
            ],
            claimed_rate="94.32%",
            reason="部分设备采购延至次年。",
        ),
        goal=Goal(expected="保障政务云平台稳定运行。", achieved="平台全年稳定运行。"),
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="云主机数量", nature="≥", target="≥57台", unit="台", actual=59, weight=20),
            Indicator(level1="产出指标", level2="质量指标", name="系统可用率", target="≥99.9%", actual="99.95%", weight=15),
            Indicator(level1="产出指标", level2="时效指标", name="故障响应时间", nature="≤", target="≤2小时", actual="1.5小时", weight=15, reason="—"),
            Indicator(level1="效益指标", level2="社会效益指标", name="服务事项", nature="定性", target="有效支撑", actual="达成年度指标", weight=30, claimed_score=28),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", name="用户满意度", target="≥90%", actual="=93%", weight=10, rule="正向"),
        ],
        claimed_total=96,
        claimed_grade="优",
        problems=["个别设备老化。"],
        measures=["按计划更新设备。"],
        suggestions=["建议增加运维人员。"],
        settings={"小数位数": "2"},
    )


def example() -> Evaluation:
    return jsonio.load(EXAMPLE)


def score(points, weight, ratio=None, explanation="", status="met") -> Score:
    d = lambda v: None if v is None else Decimal(str(v))  # noqa: E731
    return Score(d(points), d(weight), d(ratio), "positive", "正向指标", explanation, status)


def hand_results(evaluation: Evaluation, findings: list[Finding] | None = None) -> Results:
    """Results with simple, predictable numbers: row i scores i + 0.5 with ratio 100 + i."""
    indicators = [score(i + 0.5, 10, 100 + i, f"说明{i}") for i in range(len(evaluation.indicators))]
    items = [score(i + 0.25, 5, None, f"评分项{i}") for i in range(len(evaluation.items))]
    funds = FundsResult(Decimal("94.32"), "全年预算数", Decimal("100"), Decimal("94.18"), Decimal("10.25"), score(9.43, 10, 94.32))
    subtotals = [Subtotal("产出指标", Decimal(50), Decimal("44.5"), Decimal(50)), Subtotal("预算执行率", Decimal(10), Decimal("9.43"), Decimal(10)),
                 Subtotal("投入", Decimal(31), Decimal(29), Decimal(30)), Subtotal("过程", Decimal(30), Decimal("24.84"), Decimal(30))]
    return Results(evaluation.profile, indicators, items, funds, subtotals, Decimal("93.93"), Decimal(100), "优", list(findings or []))


def findings(n: int) -> list[Finding]:
    sheets = ["自评表", "评分表"]
    return [Finding(Severity.WARNING if i % 2 else Severity.ERROR, f"test.code{i}", Location(field=f"f{i}", sheet=sheets[i % 2], cell=f"G{12 + i}"), f"问题{i}")
            for i in range(n)]


def build(tmp_path: Path, profile: str, evaluation: Evaluation | None, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    build_workbook(profile, evaluation, path)
    return path


def grids(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    finally:
        book.close()


def cell(grid: list[list], ref: str):
    letters = re.match(r"[A-Z]+", ref)[0]
    row = int(ref[len(letters):]) - 1
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    col -= 1
    if row < len(grid) and col < len(grid[row]):
        return grid[row][col]
    return ""


def rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one zip member with ``change(text) -> text`` (to imitate what Excel does to workbook.xml)."""
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            z.writestr(info, data)
    tmp.replace(path)


def _has_uno() -> bool:
    if not shutil.which("soffice") or not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


HAS_UNO = _has_uno()


def lo_edit(src: Path, dst: Path, actions: list) -> Path:
    """Let real LibreOffice insert rows / type values / rename sheets, and save as .xlsx."""
    if not HAS_UNO:
        pytest.skip("LibreOffice with python3-uno is not installed")
    result = subprocess.run([SYSTEM_PYTHON, str(LO_EDIT), str(src), str(dst), json.dumps(actions, ensure_ascii=False)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert dst.exists()
    return dst


def soffice_convert(src: Path, outdir: Path, fmt: str, profile: Path) -> Path:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   capture_output=True, timeout=120, check=True)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out

