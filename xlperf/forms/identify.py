"""Which form a file holds and how it is read: an xlperf workbook by its own reader, else the
自评表 found by its labels. ``read_any`` is the one entry point for every command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xlperf.errors import WorkbookError
from xlperf.findings import Finding, info, warning
from xlperf.model import Evaluation, Location

LOOKED_FOR = (
    "未找到项目支出绩效自评表：在各工作表中查找含“三级指标”（或“指标名称”）与“年度指标值”/“实际完成值”等表头的指标表，"
    "以及“年初预算数/全年预算数/全年执行数”资金表，均未找到"
)
IMPORT_FIRST = (
    "不是 xlperf 工作簿（由其他程序制作的自评表），xlperf 不会改写它；请先导入：xlperf import 该文件 -o {name}-xlperf.xlsx，"
    "再对导入后的工作簿评分（只看得分可用 xlperf score --json 或 xlperf check）"
)
RESAVED = (
    "此 xlperf 工作簿已另存为 .{kind}，xlperf 只把评分写回 .xlsx 工作簿；请在 WPS 或 Excel 中另存为 .xlsx 后再评分"
    "（只看得分可用 xlperf score --json 或 xlperf check）"
)


def write_refusal(path: str | Path) -> str:
    """Why ``score`` does not write a file that is no .xlsx xlperf workbook: import it, or save it as .xlsx."""
    try:
        _evaluation, _findings, how = read_any(path)
    except WorkbookError:
        how = None
    if how is not None and not how.foreign:
        return RESAVED.format(kind=how.kind)
    return IMPORT_FIRST.format(name=Path(path).stem)


@dataclass(frozen=True)
class HowRead:
    """How a file was read: by xlperf's own layout, or recognised by its labels (and how sure)."""

    foreign: bool
    kind: str  # xlsx, xls, ods
    profile: str
    confidence: int = 100  # percent
    anchor: str = ""  # where the table was found
    tables: int = 1
    profile_confidence: int = 100  # percent: how sure the profile was chosen from the form

    @property
    def label(self) -> str:
        if not self.foreign:
            return "xlperf 工作簿" if self.kind in ("xlsx", "xlsm") else f"xlperf 工作簿（另存为 .{self.kind}）"
        from xlperf.forms.locate import sureness

        return (f"按表头识别（{self.kind}，{self.anchor}，识别可信度{sureness(self.confidence)} {self.confidence}%；"
                f"评分方案 {self.profile}，把握{sureness(self.profile_confidence)}）")


def not_xlperf(exc: WorkbookError) -> bool:
    """Whether the xlperf reader refused a file only because it is no xlperf workbook (foreign or .xls inside)."""
    from xlperf.workbook.identify import NOT_A_TEMPLATE

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
    from xlperf.forms.frame import choose
    from xlperf.forms.grid import load_grids
    from xlperf.forms.locate import find_forms
    from xlperf.forms.read import read_form

    if profile:
        _readable(profile, path)
    sheets = load_grids(path, kind, gated)
    if not gated:  # an xlperf workbook saved again as .xls/.ods (LibreOffice, WPS): its own layout reads it
        own = read_xlperf_grids(sheets, profile)
        if own is not None:
            return own
    matches = find_forms(sheets)
    if not matches:
        raise WorkbookError(LOOKED_FOR, path=path)
    if not 1 <= table <= len(matches):
        raise WorkbookError(f"工作簿中有 {len(matches)} 张自评表，没有第 {table} 张", path=path)
    match = matches[table - 1]
    choice, _evidence = choose(match, profile)
    _readable(choice.profile, path, choice)
    evaluation, findings = read_form(match, choice.profile, path)
    where = Location("form", match.sheet, match.anchor.split("!")[1])
    if choice.ambiguous:
        findings.insert(0, warning(
            "form.profile_ambiguous", where,
            f"表中信息（{choice.basis}）不足以区分评分方案 {choice.profile} 与 {'、'.join(choice.rivals)}，已按 {choice.profile} 读取；"
            f"如不是，请用 --profile 指定",
        ))
    elif not choice.chosen_by_user:
        findings.insert(0, info("form.profile_chosen", where, f"按表中信息（{choice.basis}）选用评分方案 {choice.profile}（把握{_sure(choice.confidence)}）"))
    if len(matches) > 1:
        others = "、".join(m.anchor for i, m in enumerate(matches, 1) if i != table)
        findings.insert(0, warning(
            "form.several_tables", where,
            f"工作簿中有 {len(matches)} 张自评表，只读取了第 {table} 张（{match.anchor}）；其余在 {others}，可用 xlperf import --table N 逐张导入",
        ))
    for sheet, rows in sheets.truncated.items():
        findings.append(warning("workbook.too_many_rows", Location("form", sheet), f"工作表“{sheet}”超过 {rows} 行，其后的行未读取"))
    return evaluation, findings, HowRead(True, kind, choice.profile, match.confidence, match.anchor, len(matches), choice.confidence)


def _sure(confidence: int) -> str:
    from xlperf.forms.locate import sureness

    return sureness(confidence)


def _readable(profile: str, path: str, choice=None) -> None:
    """A foreign form is read as a 三级指标 table: a profile of that framework (an 评分表 frame is refused with the fix)."""
    from xlperf.errors import ProfileError
    from xlperf.profile import load_profile

    try:
        chosen = load_profile(profile)
    except ProfileError as exc:
        raise WorkbookError(str(exc.message), path=path) from None
    if chosen.framework != "indicators":
        seen = f"表中信息（{choice.basis}）表明这是“{chosen.name or chosen.id}”评分表；" if choice else ""
        raise WorkbookError(
            f"{seen}其他程序制作的评分表（{chosen.id}，逐项评分标准）暂不能直接读取，只能读取三级指标表；"
            f"请用 xlperf new --profile {chosen.id} 生成模板后填写",
            path=path,
        )


def read_xlperf_grids(sheets, profile: str | None = None) -> tuple[Evaluation, list[Finding], HowRead] | None:
    """An xlperf workbook that another program saved as .xls/.ods (defined names lost): read by its
    template's layout, blocks found by their header texts. None when the grids hold no xlperf 设置 sheet."""
    from xlperf.workbook.identify import NOT_A_TEMPLATE, identify
    from xlperf.workbook.read_blocks import evaluation_from_grid

    if "设置" not in sheets.grids:
        return None
    try:
        layout = identify(list(sheets.grids), {}, sheets.grids.__getitem__, sheets.path)
    except WorkbookError as exc:
        if exc.message == NOT_A_TEMPLATE:
            return None
        raise
    evaluation, findings = evaluation_from_grid(layout, sheets.grids, {}, merged=sheets.merged, source=sheets.path)
    # The format keeps no xlperf names: every block was found by its header text, which is expected here.
    unanchored = {b.name for sheet in layout.sheets for b in sheet.blocks if getattr(b, "anchor", True) is None}
    findings = [
        f for f in findings
        if f.code != "workbook.name_lost" and not (f.code == "workbook.block_missing" and f.location.field in unanchored)
    ]
    findings.insert(0, info("workbook.resaved", Location("form", layout.sheets[0].name),
                            f"此 xlperf 工作簿已另存为 .{sheets.kind}（名称未保留），已按表头文字定位各表格；只读，评分写回请另存为 .xlsx"))
    if profile and profile != evaluation.profile:
        raise WorkbookError(f"此工作簿是 xlperf {evaluation.profile} 模板，与 --profile {profile} 不一致", path=sheets.path)
    return evaluation, findings, HowRead(False, sheets.kind, evaluation.profile)
