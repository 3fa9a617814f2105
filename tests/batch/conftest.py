"""Evaluations for the batch tests, and a folder of real workbooks built from them.

The folder holds workbooks made by the workbook builder (the bundled example,
a clean cz2020 evaluation, one with errors, one with warnings only) and damaged
files (a truncated zip, a CSV renamed .xlsx, a foreign openpyxl workbook, an
Excel lock file that must be skipped), in nested folders.
"""

from __future__ import annotations

import hashlib
import importlib.resources
from pathlib import Path

import pytest

from xlperf.model import Evaluation, Indicator


def example() -> Evaluation:
    """The bundled 宁德 2018 example (fj2018), errors and all."""
    from xlperf import jsonio

    return jsonio.load(importlib.resources.files("xlperf") / "examples" / "ningde2018.json")


def clean(name: str = "农村安全饮水巩固提升工程", unit: str = "某县水利局") -> Evaluation:
    """A cz2020 evaluation without any finding."""
    ev = Evaluation(
        profile="cz2020",
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="培训人数", nature="≥", target="≥100人", actual="110人", weight=30),
            Indicator(level1="产出指标", level2="时效指标", name="完成时间", target="2020年12月底前", actual="2020年11月", weight=20),
            Indicator(level1="效益指标", level2="社会效益指标", name="覆盖率", nature="≥", target="≥90%", actual="95%", weight=30),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", name="满意度", nature="≥", target="≥90%", actual="96%", weight=10),
        ],
    )
    ev.project.name, ev.project.unit, ev.project.year = name, unit, 2020
    total, grant = ev.funds.rows[0], ev.funds.rows[1]
    total.initial, total.budget, total.spent = 100, 100, 98
    grant.initial, grant.budget, grant.spent = 100, 100, 98
    return ev


def with_errors() -> Evaluation:
    """Weights that do not add up: 产出指标 51 of 50, 101 in all."""
    ev = clean("乡村道路养护", "某县交通运输局")
    ev.indicators[0].weight = 31
    return ev


def warnings_only() -> Evaluation:
    """执行率 80% with no reason given: a warning, no error."""
    ev = clean("社区养老服务补助", "某县民政局")
    ev.funds.rows[0].spent = ev.funds.rows[1].spent = 80
    return ev


GOOD = {
    "示例/宁德2018.xlsx": ("fj2018", example),
    "水利/安全饮水.xlsx": ("cz2020", clean),
    "交通/2020/道路养护.xlsx": ("cz2020", with_errors),
    "民政/养老补助.xlsm": ("cz2020", warnings_only),
}
DAMAGED = ["水利/截断.xlsx", "交通/2020/改名的表格.xlsx", "民政/别的表.xlsx"]
LOCK_FILE = "水利/~$安全饮水.xlsx"


def build_folder(root: Path) -> Path:
    """Write the good and the damaged workbooks under ``root``."""
    from xlperf.workbook.builder import build_workbook

    for rel, (profile, make) in GOOD.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        build_workbook(profile, make(), path, xlsm=path.suffix == ".xlsm")
    good = (root / "水利/安全饮水.xlsx").read_bytes()
    (root / "水利/截断.xlsx").write_bytes(good[: len(good) // 2])
    (root / "交通/2020/改名的表格.xlsx").write_text("项目名称,总分\n道路养护,90\n", encoding="utf-8")
    _foreign(root / "民政/别的表.xlsx")
    (root / LOCK_FILE).write_bytes(b"\x0bsomeone\x00" * 20)  # what Excel leaves while a file is open
    return root


def _foreign(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算表"
    ws.append(["科目", "金额"])
    ws.append(["办公费", 12.5])
    wb.save(path)


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def real_parts():
    """Skip unless the workbook builder and reader (another engineer's layer) are there."""
    pytest.importorskip("xlperf.workbook.builder")
    pytest.importorskip("xlperf.workbook.reader")


@pytest.fixture(scope="session")
def workbooks(real_parts, tmp_path_factory) -> Path:
    """The folder of real workbooks, built once; tests must not change it."""
    return build_folder(tmp_path_factory.mktemp("batch") / "自评表")
