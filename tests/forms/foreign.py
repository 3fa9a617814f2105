"""Foreign 自评表 as units, WPS and provincial systems make them, written with openpyxl.

``write_form(evaluation, path, style)`` lays the evaluation out as a published form would:
the 10号 附件1 (title, 项目名称, 项目资金 with 年初预算数(A)…, 年度总体目标, 绩效指标, 总分),
with options for the variants seen on real forms. LibreOffice then converts it to .xls/.ods.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from xlperf.model import Evaluation, FundRow, Funds, Goal, Indicator, ProjectInfo


@dataclass
class Style:
    order: tuple[str, ...] = ("level1", "level2", "name", "target", "actual", "weight", "claimed_score", "reason")
    split_target: bool = False  # 年度指标值 over 指标性质 / 指标值 / 度量单位 (two-row header)
    merge_level1: bool = True  # 一级指标 merged down its rows
    category_rows: bool = False  # a heading row 产出指标（50分） above each 一级's rows
    blank_rows: bool = False
    notes: bool = True  # 注：… under the table
    traditional: bool = False
    codes: bool = False  # 指标性质 as the system codes 1 ≥ … 5 ≤ 6 定性
    fund_labels: tuple[str, ...] = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
    headers: dict[str, str] = field(default_factory=dict)  # field → printed header
    points: dict[str, int] = field(default_factory=lambda: {"产出指标": 50, "效益指标": 30, "满意度指标": 10})  # printed 一级 weights
    level1_points: bool = False  # 一级 cells print their weight: 产出指标（40分）
    fund_weight: int | None = 10  # the funds block's 分值 (None: 执行率 shown, no 分值/得分 columns)


HEADERS = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值", "actual": "实际完成值",
    "weight": "分值", "claimed_score": "得分", "reason": "偏差原因分析及改进措施", "nature": "指标性质", "unit": "度量单位",
    "method": "得分计算方法",
}
CODES = {"≥": 1, "＞": 2, "＝": 3, "＜": 4, "≤": 5, "定性": 6}
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def sample() -> Evaluation:
    """What a published 附件1 holds (no xlperf-only fields), with the awkward values units type."""
    return Evaluation(
        profile="cz2020",
        project=ProjectInfo(department="某某市政务服务数据管理局", implementer="某某市大数据中心", name="政务云运行维护项目", year=2020),
        funds=Funds(
            rows=[FundRow("年度资金总额", 200, 180.5, 170.25), FundRow("当年财政拨款", 150, 150, 145.5), FundRow("上年结转资金", 50, 30.5, 24.75), FundRow("其他资金")],
            claimed_rate="94.32%",
        ),
        goal=Goal(expected="保障政务云平台稳定运行。", achieved="平台全年稳定运行。"),
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="云主机数量", nature="≥", target="57", unit="台", actual=59, weight=20, claimed_score=20),
            Indicator(level1="产出指标", level2="质量指标", name="系统可用率", nature="≥", target="99.9%", actual="99.95%", weight=15, claimed_score=15),
            Indicator(level1="产出指标", level2="时效指标", name="故障响应时间", nature="≤", target="2", unit="小时", actual=1.5, weight=15, claimed_score=15, reason="—"),
            Indicator(level1="效益指标", level2="社会效益指标", name="服务事项", nature="定性", target="有效支撑", actual="达成年度指标", weight=30, claimed_score=28, reason="个别事项延期"),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", name="用户满意度", nature="≥", target="90%", actual="93%", weight=10, claimed_score=10),
        ],
        claimed_total=97.43,
    )


def without(evaluation: Evaluation, *keys: str) -> Evaluation:
    """The evaluation without the indicator fields a layout has no column for."""
    out = copy.deepcopy(evaluation)
    for indicator in out.indicators:
        for key in keys:
            setattr(indicator, key, None)
    return out


def _label(text: str, style: Style) -> str:
    if not style.traditional:
        return text
    return text.translate(str.maketrans({"产": "產", "标": "標", "质": "質", "时": "時", "数": "數", "满": "滿", "实": "實", "际": "際", "项": "項", "总": "總", "资": "資", "预": "預", "执": "執", "级": "級"}))


def _put(ws, row: int, col: int, value, *, rows: int = 1, cols: int = 1, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    cell.border = _BOX
    if bold:
        cell.font = Font(bold=True)
    if rows > 1 or cols > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)


def write_sheet(ws, evaluation: Evaluation, style: Style, top: int = 1) -> int:
    """Lay one 自评表 out from row ``top``; returns the row after it."""
    order = list(style.order)
    columns: list[tuple[str, str | None]] = []  # (field, parent header) per sheet column from A
    for key in order:
        if key == "target" and style.split_target:
            columns += [("nature", "年度指标值"), ("target", "年度指标值"), ("unit", "年度指标值")]
        else:
            columns.append((key, None))
    width = max(len(columns), 9)
    p, f, g = evaluation.project, evaluation.funds, evaluation.goal
    r = top
    _put(ws, r, 1, _label(f"项目支出绩效自评表（{p.year}年度）", style), cols=width, bold=True)
    r += 1
    if style.blank_rows:
        r += 1
    _put(ws, r, 1, _label("项目名称", style))
    _put(ws, r, 2, p.name, cols=width - 1)
    r += 1
    _put(ws, r, 1, "主管部门")
    _put(ws, r, 2, p.department, cols=3)
    _put(ws, r, 5, "实施单位", cols=2)
    _put(ws, r, 7, p.implementer, cols=width - 6)
    r += 1
    _put(ws, r, 1, _label("项目资金（万元）", style), rows=len(f.rows) + 1)
    _put(ws, r, 2, None, cols=2)
    heads = ("年初预算数(A)", "全年预算数", "全年执行数(B)", "分值", "执行率(B/A)", "得分")
    if style.fund_weight is None:
        heads = ("年初预算数(A)", "全年预算数", "全年执行数(B)", "", "执行率(B/A)", "")
    for i, head in enumerate(heads):
        _put(ws, r, 4 + i, _label(head, style) or None, bold=True)
    for i, row in enumerate(f.rows):
        rr = r + 1 + i
        _put(ws, rr, 2, _label(style.fund_labels[i], style), cols=2)
        for j, key in enumerate(("initial", "budget", "spent")):
            _put(ws, rr, 4 + j, getattr(row, key))
        if i == 0:
            _put(ws, rr, 7, style.fund_weight)
            _put(ws, rr, 8, f.claimed_rate)
            _put(ws, rr, 9, None if style.fund_weight is None else 9.43)
    r += len(f.rows) + 1
    _put(ws, r, 1, _label("年度总体目标", style), rows=2)
    _put(ws, r, 2, "预期目标", cols=4)
    _put(ws, r, 6, _label("实际完成情况", style), cols=width - 5)
    _put(ws, r + 1, 2, g.expected, cols=4)
    _put(ws, r + 1, 6, g.achieved, cols=width - 5)
    r += 2
    if style.blank_rows:
        r += 1
    # the indicator header
    two = style.split_target
    c = 1
    while c <= len(columns):
        key, parent = columns[c - 1]
        header = style.headers.get(key, HEADERS[key])
        if parent:
            span = sum(1 for k, par in columns if par == parent)
            _put(ws, r, c, _label(parent, style), cols=span, bold=True)
            for k in range(span):
                sub_key = columns[c - 1 + k][0]
                _put(ws, r + 1, c + k, _label(style.headers.get(sub_key, {"target": "指标值"}.get(sub_key, HEADERS[sub_key])), style), bold=True)
            c += span
            continue
        _put(ws, r, c, _label(header, style), rows=2 if two else 1, bold=True)
        c += 1
    r += 2 if two else 1
    groups: list[tuple[str, list[Indicator]]] = []
    for ind in evaluation.indicators:
        if not groups or groups[-1][0] != ind.level1:
            groups.append((ind.level1, []))
        groups[-1][1].append(ind)
    l1_col = next((i + 1 for i, (k, _p) in enumerate(columns) if k == "level1"), None)
    weights = style.points
    for level1, rows in groups:
        if style.category_rows:
            _put(ws, r, 1, _label(f"{level1}（{weights.get(level1, 0)}分）", style), cols=len(columns), bold=True)
            r += 1
        first = r
        for ind in rows:
            for i, (key, _p) in enumerate(columns):
                value = getattr(ind, key, None)
                if key == "level1" and style.merge_level1 and r != first:
                    continue
                if key == "level1" and style.level1_points and value in weights:
                    value = f"{value}（{weights[value]}分）"
                if key == "nature" and style.codes and value in CODES:
                    value = CODES[value]
                _put(ws, r, i + 1, value)
            r += 1
            if style.blank_rows and ind is rows[0]:
                r += 1  # an empty row inside a block
        if l1_col and style.merge_level1 and r - first > 1:
            ws.merge_cells(start_row=first, start_column=l1_col, end_row=r - 1, end_column=l1_col)
    # 总分
    wcol = next((i + 1 for i, (k, _p) in enumerate(columns) if k == "weight"), None)
    scol = next((i + 1 for i, (k, _p) in enumerate(columns) if k == "claimed_score"), None)
    _put(ws, r, 1, "总分", cols=2)
    if wcol:
        _put(ws, r, wcol, sum(weights.values()) + (style.fund_weight or 0))
    if scol:
        _put(ws, r, scol, evaluation.claimed_total)
    r += 1
    if style.notes:
        ws.cell(row=r + 1, column=1, value="注：1.本表金额单位为万元。2.得分保留两位小数。")
        r += 2
    return r + 1


def write_form(evaluation: Evaluation, path: Path, style: Style | None = None, *, sheets: list[str] | None = None, lead_sheet: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    if lead_sheet:
        ws.title = "填表说明"
        ws["A1"] = "请按要求填写各项内容。"
        ws = wb.create_sheet("自评表")
    else:
        ws.title = "自评表"
    write_sheet(ws, evaluation, style or Style())
    wb.save(path)
    return path


def joined(evaluation: Evaluation) -> Evaluation:
    """The same data with 指标性质 and 度量单位 written into 年度指标值 (``≥57台``), as most forms print it."""
    out = copy.deepcopy(evaluation)
    for indicator in out.indicators:
        sign = indicator.nature if indicator.nature in ("≥", "＞", "＝", "≤", "＜") else ""
        indicator.target = f"{sign}{indicator.target}{indicator.unit or ''}"
        indicator.nature = None
        indicator.unit = None
    return out
