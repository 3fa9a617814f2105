"""Which form a file holds and how it is read: an xlperf workbook by its own reader, else the
自评表 found by its labels. ``read_any`` is the one entry point for every command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xlperf.errors import WorkbookError
from xlperf.findings import Finding, warning
from xlperf.model import Evaluation, Location

LOOKED_FOR = (
    "未找到项目支出绩效自评表：在各工作表中查找含“三级指标”（或“指标名称”）与“年度指标值”/“实际完成值”等表头的指标表，"
    "以及“年初预算数/全年预算数/全年执行数”资金表，均未找到"
)
IMPORT_FIRST = (
    "不是 xlperf 工作簿（由其他程序制作的自评表），xlperf 不会改写它；请先导入：xlperf import 该文件 -o {name}-xlperf.xlsx，"
    "再对导入后的工作簿评分（只看得分可用 xlperf score --json 或 xlperf check）"
)
FOREIGN_PROFILES = ("cz2020",)  # the frameworks a foreign 指标 table can be read under


@dataclass(frozen=True)
class HowRead:
    """How a file was read: by xlperf's own layout, or recognised by its labels (and how sure)."""

    foreign: bool
    kind: str  # xlsx, xls, ods
    profile: str
    confidence: int = 100  # percent
    anchor: str = ""  # where the table was found
    tables: int = 1

    @property
    def label(self) -> str:
        if not self.foreign:
            return "xlperf 工作簿"
        from xlperf.forms.locate import sureness

        return f"按表头识别（{self.kind}，{self.anchor}，识别可信度{sureness(self.confidence)} {self.confidence}%）"


def not_xlperf(exc: WorkbookError) -> bool:
    """Whether the xlperf reader refused a file only because it is no xlperf workbook (foreign or .xls inside)."""
    from xlperf.workbook.reader import NOT_A_TEMPLATE

    return exc.message == NOT_A_TEMPLATE or exc.message.startswith("是旧版 Excel 97-2003")


def read_any(path: str | Path, profile: str | None = None, table: int = 1) -> tuple[Evaluation, list[Finding], HowRead]:
    """Read an xlperf workbook or a foreign 自评表: the Evaluation, findings about the file, how it was read.

    An .xlsx/.xlsm goes to the xlperf reader first (the common case in a batch costs nothing more);
    anything it refuses as not its own, and every other spreadsheet, is recognised by its labels.
    """
    display = os.fspath(path)
    if display.lower().endswith((".xlsx", ".xlsm")):
        from xlperf.workbook.reader import NOT_A_TEMPLATE, read_workbook

        try:
            evaluation, findings = read_workbook(display)
        except WorkbookError as exc:
            if not not_xlperf(exc):
                raise
            if exc.message == NOT_A_TEMPLATE:  # a sound OOXML package (the gate passed): read it by its labels
                return read_foreign(display, "xlsx", profile, table, gated=True)
        else:
            if profile and profile != evaluation.profile:
                raise WorkbookError(f"此工作簿是 xlperf {evaluation.profile} 模板，与 --profile {profile} 不一致", path=display)
            return evaluation, findings, HowRead(False, "xlsx", evaluation.profile)
    from xlperf.forms.grid import file_kind

    return read_foreign(display, file_kind(display), profile, table)


def read_foreign(path: str, kind: str, profile: str | None = None, table: int = 1, gated: bool = False) -> tuple[Evaluation, list[Finding], HowRead]:
    from xlperf.forms.grid import load_grids
    from xlperf.forms.locate import find_forms
    from xlperf.forms.read import read_form

    profile = profile or "cz2020"
    if profile not in FOREIGN_PROFILES:
        raise WorkbookError(f"外来表格目前只能按 {'、'.join(FOREIGN_PROFILES)}（三级指标表）读取，不能按 {profile} 读取", path=path)
    sheets = load_grids(path, kind, gated)
    matches = find_forms(sheets)
    if not matches:
        raise WorkbookError(LOOKED_FOR, path=path)
    if not 1 <= table <= len(matches):
        raise WorkbookError(f"工作簿中有 {len(matches)} 张自评表，没有第 {table} 张", path=path)
    match = matches[table - 1]
    evaluation, findings = read_form(match, profile, path)
    if len(matches) > 1:
        others = "、".join(m.anchor for i, m in enumerate(matches, 1) if i != table)
        findings.insert(0, warning(
            "form.several_tables", Location("form", match.sheet, match.anchor.split("!")[1]),
            f"工作簿中有 {len(matches)} 张自评表，只读取了第 {table} 张（{match.anchor}）；其余在 {others}，可用 xlperf import --table N 逐张导入",
        ))
    for sheet, rows in sheets.truncated.items():
        findings.append(warning("workbook.too_many_rows", Location("form", sheet), f"工作表“{sheet}”超过 {rows} 行，其后的行未读取"))
    return evaluation, findings, HowRead(True, kind, profile, match.confidence, match.anchor, len(matches))
