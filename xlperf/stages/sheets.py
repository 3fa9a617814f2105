"""The stage sheets of a workbook: 运行监控, 调整记录, and the hidden 申报指标 and 阶段 sheets.

Developer notes: a stop-gap beside the profile-driven form definition
(``xlperf.layout``), kept in one module so it can move there: each sheet is
described once below (``Column`` = model field + heading) and that description
drives both ``add_stage_sheets`` (xlsxwriter, called by the builder through its
``extra`` hook) and ``read_stage_sheets`` (openpyxl, read-only; cells are mapped
by their headings, so a reordered column still reads). Stage sheets are written
only into workbooks xlperf builds (``new --stage``, ``advance``), never patched
into a user's file. ``xlperf score`` writes the lights into the computed cells
(``light_edits``) through ``xlperf.ooxml.patch``, changing nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlperf.model import Indicator, Location
from xlperf.stages import STAGES
from xlperf.stages.model import LIKELIHOODS, Adjustment, MonitoredIndicator, Monitoring, StageData
from xlperf.workbook.printsetup import setup_plain_page

STAGE_SHEET = "阶段"
MONITOR_SHEET = "运行监控"
DECLARED_SHEET = "申报指标"
ADJUST_SHEET = "调整记录"


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    width: float = 12


FUND_COLUMNS = (
    Column("initial", "年初预算数（万元）"), Column("budget", "全年预算数（万元）"), Column("spent", "1–7月执行数（万元）"),
    Column("claimed_rate", "执行率"), Column("forecast", "全年预计执行数（万元）"), Column("reason", "执行偏差原因及纠偏措施", 30),
)
INDICATOR_COLUMNS = (
    Column("level1", "一级指标"), Column("level2", "二级指标"), Column("name", "三级指标", 20), Column("target", "年度指标值"),
    Column("progress", "1–7月完成情况"), Column("forecast", "全年预计完成情况"),
    Column("cause_funding", "偏差原因：经费保障"), Column("cause_rules", "偏差原因：制度保障"),
    Column("cause_staff", "偏差原因：人员保障"), Column("cause_hardware", "偏差原因：硬件条件保障"),
    Column("cause_other", "偏差原因：其他"), Column("likelihood", "完成目标可能性"), Column("correction", "纠偏措施", 24),
    Column("remark", "备注"),
)
DECLARED_COLUMNS = tuple(Column(f, label) for f, label in (
    ("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("nature", "指标性质"), ("reference", "参考标准"),
    ("target", "年度指标值"), ("unit", "度量单位"), ("weight", "分值"), ("rule", "计分规则")))
ADJUST_COLUMNS = (
    Column("name", "三级指标", 20), Column("field", "调整内容"), Column("before", "调整前"), Column("after", "调整后"),
    Column("reason", "调整原因", 30), Column("approved", "批准文号或日期", 16),
)
MONTH_ROW, FUND_HEAD, GOAL_ROW, IND_HEAD = 3, 5, 8, 10  # 1-based rows of the 运行监控 sheet
# computed cells, written by ``xlperf score`` (0-based column indexes on the 运行监控 sheet)
PROJECT_LIGHT = (MONTH_ROW, 3, "项目灯")  # label in C3, light in D3
BUDGET_LIGHT = (FUND_HEAD, len(FUND_COLUMNS), "预算执行进度灯")  # heading G5, light G6
LIGHT_COL = len(INDICATOR_COLUMNS)  # 灯 after the typed indicator columns
BLANK_ROWS = 30  # empty, validated rows offered below the data


def _cell(ws, row: int, col: int, value, fmt=None) -> None:
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _table(ws, head_row: int, columns, records, head_fmt, cell_fmt) -> None:
    for c, col in enumerate(columns):
        ws.write_string(head_row, c, col.label, head_fmt)
        ws.set_column(c, c, col.width)
    for r, record in enumerate(records, head_row + 1):
        for c, col in enumerate(columns):
            _cell(ws, r, c, getattr(record, col.field), cell_fmt)


def add_stage_sheets(evaluation) -> callable:
    """The builder hook that writes ``evaluation``'s stage sheets."""
    stages: StageData | None = evaluation.stages

    def extra(workbook) -> None:
        if stages is None:
            return
        head = workbook.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"})
        cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "vcenter", "locked": False})
        title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
        marker = workbook.add_worksheet(STAGE_SHEET)
        marker.write_string(0, 0, "阶段")
        marker.write_string(0, 1, stages.stage)
        marker.hide()
        m = stages.monitoring
        if m is not None:
            ws = workbook.add_worksheet(MONITOR_SHEET)
            ws.merge_range(0, 0, 0, len(INDICATOR_COLUMNS) - 1, "项目支出绩效目标执行监控表", title)
            ws.write_string(MONTH_ROW - 1, 0, "监控月份", head)
            _cell(ws, MONTH_ROW - 1, 1, m.month, cell)
            _table(ws, FUND_HEAD - 1, FUND_COLUMNS, [m.funds], head, cell)
            ws.write_string(GOAL_ROW - 1, 0, "年度总体目标执行情况", head)
            ws.merge_range(GOAL_ROW - 1, 1, GOAL_ROW - 1, len(INDICATOR_COLUMNS) - 1, "", cell)
            _cell(ws, GOAL_ROW - 1, 1, m.goal_progress, cell)
            _table(ws, IND_HEAD - 1, INDICATOR_COLUMNS, m.indicators, head, cell)
            computed = workbook.add_format({"border": 1, "align": "center", "bg_color": "#F2F2F2"})
            ws.write_string(PROJECT_LIGHT[0] - 1, PROJECT_LIGHT[1] - 1, PROJECT_LIGHT[2], head)
            ws.write_blank(PROJECT_LIGHT[0] - 1, PROJECT_LIGHT[1], None, computed)
            ws.write_string(BUDGET_LIGHT[0] - 1, BUDGET_LIGHT[1], BUDGET_LIGHT[2], head)
            ws.write_blank(BUDGET_LIGHT[0], BUDGET_LIGHT[1], None, computed)
            ws.write_string(IND_HEAD - 1, LIGHT_COL, "灯（计算）", head)
            last = IND_HEAD + len(m.indicators) + BLANK_ROWS
            col = [c.field for c in INDICATOR_COLUMNS].index("likelihood")
            ws.data_validation(IND_HEAD, col, last, col, {"validate": "list", "source": list(LIKELIHOODS)})
            ws.freeze_panes(IND_HEAD, 3)
            setup_plain_page(ws, [c.width for c in INDICATOR_COLUMNS], repeat_row=IND_HEAD - 1)
        if stages.declared:
            ws = workbook.add_worksheet(DECLARED_SHEET)
            _table(ws, 0, DECLARED_COLUMNS, stages.declared, head, cell)
            ws.hide()
        ws = workbook.add_worksheet(ADJUST_SHEET)
        _table(ws, 0, ADJUST_COLUMNS, stages.adjustments, head, cell)
        setup_plain_page(ws, [c.width for c in ADJUST_COLUMNS], repeat_row=0)

    return extra


def _rows(ws, head_row: int, columns, make, path: str):
    """Records below a heading row (1-based), mapped by heading; stops at the first empty row."""
    rows = list(ws.iter_rows(min_row=head_row, values_only=False))
    if not rows:
        return []
    heads = {str(c.value).strip(): i for i, c in enumerate(rows[0]) if c.value is not None}
    records = []
    for cells in rows[1:]:
        values = {}
        for col in columns:
            i = heads.get(col.label)
            if i is not None and i < len(cells):
                values[col.field] = cells[i]
        if all(_value(c) is None for c in values.values()):
            break
        record = make()
        index = len(records)
        for name, c in values.items():
            setattr(record, name, _value(c))
            record.loc[name] = Location(field=f"{path}[{index}].{name}", sheet=ws.title, cell=c.coordinate)
        records.append(record)
    return records


def _value(c):
    from xlperf.jsonio import canonical

    value = getattr(c, "value", None)
    return canonical(value, dates=False) if not isinstance(value, str) or value.strip() else None


def read_stage_sheets(path: str | Path) -> StageData | None:
    """The stage data of an xlperf workbook; None when it has no 阶段 sheet (a plain 自评)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    try:
        if STAGE_SHEET not in wb.sheetnames:
            return None
        stage = str(wb[STAGE_SHEET]["B1"].value or "自评").strip()
        stages = StageData(stage=stage if stage in STAGES else "自评")
        if MONITOR_SHEET in wb.sheetnames:
            ws = wb[MONITOR_SHEET]
            m = Monitoring()
            m.month = _value(ws.cell(MONTH_ROW, 2))
            m.loc["month"] = Location(field="monitoring.month", sheet=ws.title, cell=ws.cell(MONTH_ROW, 2).coordinate)
            m.goal_progress = _value(ws.cell(GOAL_ROW, 2))
            funds = _rows(ws, FUND_HEAD, FUND_COLUMNS, lambda: m.funds, "monitoring.funds")
            if funds:
                m.funds.loc = {k: Location(field=f"monitoring.funds.{k}", sheet=v.sheet, cell=v.cell) for k, v in m.funds.loc.items()}
            m.indicators = _rows(ws, IND_HEAD, INDICATOR_COLUMNS, MonitoredIndicator, "monitoring.indicators")
            stages.monitoring = m
        if DECLARED_SHEET in wb.sheetnames:
            stages.declared = _rows(wb[DECLARED_SHEET], 1, DECLARED_COLUMNS, Indicator, "declared")
        if ADJUST_SHEET in wb.sheetnames:
            stages.adjustments = _rows(wb[ADJUST_SHEET], 1, ADJUST_COLUMNS, Adjustment, "adjustments")
        return stages
    finally:
        wb.close()


def has_stage_sheets(path: str | Path) -> bool:
    """Cheap test (workbook.xml only) so plain 自评 files are never opened a second time."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f"name={quoteattr(STAGE_SHEET)}" in xml or f"name='{STAGE_SHEET}'" in xml


def attach_stages(evaluation, path: str | Path | None) -> None:
    """Read the stage sheets of ``path`` into ``evaluation`` (nothing for a plain 自评 workbook)."""
    if path and Path(path).is_file() and has_stage_sheets(path):
        evaluation.stages = read_stage_sheets(path)


def light_edits(evaluation, result) -> dict[str, dict[str, str]]:
    """The computed cells of the 运行监控 sheet: the project's, the budget's and each indicator's light."""
    from xlperf.ooxml.cells import ref

    shown = lambda light: light or "无法判断"  # noqa: E731
    cells = {
        ref(PROJECT_LIGHT[0], PROJECT_LIGHT[1] + 1): shown(result.project),
        ref(BUDGET_LIGHT[0] + 1, BUDGET_LIGHT[1] + 1): shown(result.budget.light),
    }
    for row, light in zip(evaluation.stages.monitoring.indicators, result.indicators):
        where = row.loc.get("name")
        if where is None or where.sheet != MONITOR_SHEET or not where.cell:
            continue
        number = int("".join(ch for ch in where.cell if ch.isdigit()))
        cells[ref(number, LIGHT_COL + 1)] = shown(light.light)
    return {MONITOR_SHEET: cells}
