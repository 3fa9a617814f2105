"""Build the xlperf workbooks with XlsxWriter: empty templates, or filled from an Evaluation.

Everything comes from ``xlperf.layout``; the output is deterministic (fixed
document dates, in-memory zip with fixed member times), so rebuilding a
template gives the same bytes. User text is written with ``write_string``:
a leading ``=``, ``+``, ``-`` or ``@`` never becomes a formula.

``python -m xlperf.workbook.builder [DIR]`` regenerates ``workbook_templates/``.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

from xlperf.errors import DataError
from xlperf.layout import (
    CATEGORY,
    COMPUTED,
    EXECUTION_ROW,
    FIXED,
    INPUT,
    NOTE,
    SERIAL,
    Choice,
    Form,
    Label,
    Layout,
    Sheet,
    Slot,
    Span,
    Table,
    data_rows,
    PROFILE_CHUNK,
    PROFILE_SHEET,
    layout_for,
    plan,
    title_text,
)
from xlperf.model import Evaluation, RubricItem, field_names
from xlperf.ooxml.cells import col_letter
from xlperf.profile import Profile, load_profile, setting_default, setting_help, setting_keys
from xlperf.workbook.printsetup import fitted_label, label_lines, setup_page

FIXED_DATE = _dt.datetime(2020, 1, 1)  # document dates: fixed so rebuilds are identical
FONT = "宋体"
TEXT_FONT = "仿宋"  # long narrative text
INPUT_FILL = "#FFF2CC"  # light yellow: staff type here
COMPUTED_FILL = "#E7E6E6"  # grey: xlperf computes
FINDINGS_ROWS = 200  # 校验结果 rows styled in advance
MAX_HEIGHT = 409  # Excel's largest row height (points)
LINE_HEIGHT = 14.5

Macros = Callable[[Any, Any], None]


# ---------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------


class Styles:
    """The handful of cell formats, made once per workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self._wb = workbook
        self._cache: dict[tuple, Any] = {}

    def get(self, style: str, kind: str = "text", *, date: str | None = None) -> Any:
        key = (style, kind, date)
        if key not in self._cache:
            self._cache[key] = self._wb.add_format(self._props(style, kind, date))
        return self._cache[key]

    @staticmethod
    def _props(style: str, kind: str, date: str | None) -> dict:
        base = {"font_name": FONT, "font_size": 10.5, "valign": "vcenter", "text_wrap": True, "border": 1}
        if style == "title":
            return {"font_name": FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        if style == "hint":
            return {"font_name": FONT, "font_size": 9, "font_color": "#7F7F7F", "valign": "vcenter", "text_wrap": True}
        if style == "label":
            return base | {"align": "center"}
        if style in ("header", "footer"):
            return base | {"align": "center", "bold": True}
        if style == "note":
            return base | {"align": "left", "font_size": 9.5}
        props = dict(base)
        if style == INPUT:
            props |= {"bg_color": INPUT_FILL, "locked": False}
        elif style == COMPUTED:
            props |= {"bg_color": COMPUTED_FILL}
        if kind == "long":
            props |= {"valign": "top", "align": "left"}
            if style == INPUT:
                props["font_name"] = TEXT_FONT
                props["font_size"] = 11
        elif kind == "percent":
            props |= {"num_format": "0.00%", "align": "right"}
        elif kind == "money":
            props |= {"num_format": "0.00", "align": "right"}
        elif kind in ("score", "number"):
            props |= {"align": "center"}
        elif kind in ("setting", "literal"):
            props |= {"num_format": "@"}  # typed 95% or 2018-12 stays text, as typed
        elif kind == "date":
            props |= {"align": "center"}  # no date format: a number typed here must stay a number
        elif kind == "footer":
            props |= {"bold": True, "align": "center"}
        if date:
            props["num_format"] = date
        return props


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def _put(ws, styles: Styles, row: int, col: int, value, style: str, kind: str) -> None:
    """Write one value as what it is: text as text, numbers as numbers, dates as dates."""
    if isinstance(value, _dt.datetime):
        ws.write_datetime(row, col, value, styles.get(style, kind, date="yyyy-mm-dd hh:mm:ss"))
    elif isinstance(value, _dt.date):
        ws.write_datetime(row, col, _dt.datetime.combine(value, _dt.time()), styles.get(style, kind, date="yyyy-mm-dd"))
    elif value is None or value == "":
        ws.write_blank(row, col, None, styles.get(style, kind))
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, styles.get(style, kind))
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(row, col, float(value) if not isinstance(value, int) else value, styles.get(style, kind))
    else:
        ws.write_string(row, col, str(value), styles.get(style, kind))


def _cell(ws, styles: Styles, row: int, col: int, rows: int, cols: int, value, style: str, kind: str = "text") -> None:
    """A cell or a merged range holding ``value`` at its top-left."""
    if rows > 1 or cols > 1:
        ws.merge_range(row, col, row + rows - 1, col + cols - 1, "", styles.get(style, kind))
        if value is not None and value != "":
            _put(ws, styles, row, col, value, style, kind)
    else:
        _put(ws, styles, row, col, value, style, kind)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(value, width: float) -> int:
    """Rough number of wrapped lines a value takes in a column group ``width`` wide."""
    if value is None or value == "":
        return 1
    text = value if isinstance(value, str) else str(value)
    usable = max(width * 1.1 - 1, 2)  # 10.5-point text is narrower than the width unit's 11 points
    return sum(max(1, math.ceil(_width(part) / usable)) for part in text.split("\n"))


# ---------------------------------------------------------------------------
# Model access
# ---------------------------------------------------------------------------


def _get(evaluation: Evaluation, path: str):
    value: Any = evaluation
    for part in path.split("."):
        value = getattr(value, part)
    return value


def blank_evaluation(profile: Profile) -> Evaluation:
    """What an empty template holds: the profile's default 评分表 items, the four fund rows."""
    items = [RubricItem(**{k: v for k, v in item.items() if k in field_names(RubricItem)}) for item in profile.items]
    return Evaluation(profile=profile.key or profile.id, items=items)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_fits(evaluation: Evaluation, layout: Layout, profile: Profile) -> None:
    """Refuse data the workbook has no cell for, rather than lose it."""
    held = layout.held_fields
    problems: list[str] = []
    targets = {"indicators": evaluation.indicators, "items": evaluation.items, "funds.rows": evaluation.funds.rows}
    for target, records in targets.items():
        for i, record in enumerate(records):
            for name in field_names(type(record)):
                if not _is_blank(getattr(record, name)) and f"{target}.{name}" not in held:
                    problems.append(f"{target}[{i}].{name}（{layout.profile} 工作簿没有这一栏）")
    if "items.level1" in held:
        names = "、".join(c.name for c in profile.categories)
        for i, item in enumerate(evaluation.items):
            if profile.category(str(item.level1 or "")) is None:
                problems.append(f"items[{i}].level1“{item.level1 or ''}”不是评分表的一级指标（应为 {names} 之一）")
    if not evaluation.funds.rows:
        problems.append("funds.rows 不能为空（至少要有“年度资金总额”一行）")
    if problems:
        more = f"等 {len(problems)} 处" if len(problems) > 5 else ""
        raise DataError("以下数据在工作簿中没有对应的单元格，无法写入：" + "；".join(problems[:5]) + more)


# ---------------------------------------------------------------------------
# What goes into each table
# ---------------------------------------------------------------------------


def _records(table: Table, evaluation: Evaluation, profile: Profile) -> list:
    """The rows a table is built with: records (input tables) or row labels (fixed tables)."""
    if table.target == "indicators":
        return list(evaluation.indicators)
    if table.target == "items":
        return [item for item in evaluation.items if str(item.level1 or "") == table.category]
    if table.target == "funds.rows":
        return list(evaluation.funds.rows)
    if table.target in ("problems", "measures", "suggestions"):
        return [text for text in getattr(evaluation, table.target) if not _is_blank(text)]
    if table.target == "settings":
        return list(setting_keys(profile))
    if table.target == "subtotals":
        return [c.name for c in profile.categories] + [EXECUTION_ROW]
    return []


def _sizes(layout: Layout, evaluation: Evaluation, profile: Profile) -> dict[str, int]:
    sizes = {}
    for _sheet, block in layout.blocks():
        if isinstance(block, Table):
            n = len(_records(block, evaluation, profile))
            sizes[block.name] = max(block.min_rows, n + block.spare) if block.spare else max(block.min_rows, n)
    return sizes


def _row_value(table: Table, column, record, index: int, evaluation: Evaluation, profile: Profile):
    if column.role == COMPUTED:
        return None
    if column.kind == SERIAL:
        return index + 1
    if column.kind == CATEGORY:
        return table.category
    if table.target in ("problems", "measures", "suggestions"):
        return record
    if table.target == "settings":
        if column.key == "key":
            return record
        if column.key == "value":
            return evaluation.settings.get(record)
        return f"{setting_help(profile, record)}。默认：{setting_default(profile, record)}"
    if table.target == "subtotals":
        return record
    return getattr(record, column.key)


# ---------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------


class _Builder:
    def __init__(self, layout: Layout, profile: Profile, evaluation: Evaluation, wb: xlsxwriter.Workbook):
        self.layout = layout
        self.profile = profile
        self.evaluation = evaluation
        self.wb = wb
        self.styles = Styles(wb)
        self.spans = plan(layout, _sizes(layout, evaluation, profile))
        self.worksheets: dict[str, Any] = {}

    def build(self) -> None:
        for sheet in self.layout.sheets:
            ws = self.wb.add_worksheet(sheet.name)
            self.worksheets[sheet.name] = ws
            self._sheet(sheet, ws)
        for _sheet, block in self.layout.blocks():
            self._define(block)
        self._embed_profile()

    def _embed_profile(self) -> None:
        """The profile's TOML in a hidden sheet, so the workbook scores the same where the file is missing."""
        text = self.profile.text
        if not text:
            return
        ws = self.wb.add_worksheet(PROFILE_SHEET)
        for i in range(0, len(text), PROFILE_CHUNK):
            ws.write_string(i // PROFILE_CHUNK, 0, text[i : i + PROFILE_CHUNK])
        ws.protect()
        ws.hide()

    # -- sheets ---------------------------------------------------------------------------

    def _sheet(self, sheet: Sheet, ws) -> None:
        for col, width in enumerate(sheet.widths):
            ws.set_column(col, col, width)
        if sheet.title:
            ws.set_row(0, 30)
            _cell(ws, self.styles, 0, 0, 1, sheet.title_cols, sheet.title, "title")
        heights: dict[int, float] = {}
        for block in sheet.blocks:
            span = self.spans[block.name]
            if isinstance(block, Form):
                self._form(ws, sheet, block, span, heights)
            else:
                self._table(ws, sheet, block, span, heights)
        if sheet is self.layout.sheets[0] and self.layout.button_caption:
            cap = self.layout.button_caption
            _cell(ws, self.styles, cap.row, cap.col, cap.rows, cap.cols, cap.text, "hint")
        if sheet.role == "help":
            self._help(ws)
        if sheet.role == "findings":
            self._findings(ws, sheet)
        for row, height in sorted(heights.items()):
            ws.set_row(row, height)
        self._page(ws, sheet)
        ws.protect("", {"insert_rows": True, "delete_rows": True, "format_rows": True, "format_columns": True})

    def _page(self, ws, sheet: Sheet) -> None:
        setup_page(ws, sheet, self.spans)

    # -- blocks ---------------------------------------------------------------------------

    def _form(self, ws, sheet: Sheet, form: Form, span: Span, heights: dict[int, float]) -> None:
        for i, height in enumerate(form.heights):
            if height:
                heights[span.first + i] = height
        for label in form.labels:
            width = sum(sheet.widths[label.col : label.col + label.cols])
            text = fitted_label(label.text, width) if label.style in ("label", "header") else label.text
            if text != label.text and label.rows == 1:
                row = span.first + label.row
                heights[row] = min(MAX_HEIGHT, max(heights.get(row, 0), label_lines(text, width) * LINE_HEIGHT + 6))
            _cell(ws, self.styles, span.first + label.row, label.col, label.rows, label.cols, text, label.style)
        for slot in form.slots:
            value = self._slot_value(slot)
            style = "title" if slot.kind == "title" else ("label" if slot.role == FIXED else slot.role)
            _cell(ws, self.styles, span.first + slot.row, slot.col, slot.rows, slot.cols, value, style, slot.kind)
            if slot.role == INPUT and slot.choices:
                self._validate(ws, span.first + slot.row, slot.col, span.first + slot.row, slot.col, slot.choices)
            if slot.kind == "long" and value:
                width = sum(sheet.widths[slot.col : slot.col + slot.cols])
                row = span.first + slot.row
                heights[row] = min(MAX_HEIGHT, max(heights.get(row, 0), (_lines(value, width) + 0.5) * LINE_HEIGHT + 6))

    def _slot_value(self, slot: Slot):
        if slot.key == "title":
            return title_text(self.evaluation.project.year)
        if slot.key == "meta.template":
            return self.layout.template_id
        if slot.key == "meta.version":
            return self.layout.version
        if slot.key == "meta.profile":
            return self.profile.id
        if slot.role == COMPUTED:
            return None
        return _get(self.evaluation, slot.key)

    def _table(self, ws, sheet: Sheet, table: Table, span: Span, heights: dict[int, float]) -> None:
        rows = data_rows(table, span)
        if not table.joined:
            if table.header_height:
                heights[span.first] = table.header_height
            for column in table.columns:
                width = sum(sheet.widths[column.col : column.col + column.cols])
                header = fitted_label(column.header, width)
                if header != column.header:
                    heights[span.first] = min(MAX_HEIGHT, max(heights.get(span.first, 0), label_lines(header, width) * LINE_HEIGHT + 6))
                _cell(ws, self.styles, span.first, column.col, 1, column.cols, header, "header")
        if table.caption:
            _cell(ws, self.styles, span.first, 0, len(rows) + 1, 1, fitted_label(table.caption, sheet.widths[0]), "label")
        records = _records(table, self.evaluation, self.profile)
        for i, row in enumerate(rows):
            record = records[i] if i < len(records) else None
            if table.row_height:
                heights[row] = table.row_height
            needed = 1
            for column in table.columns:
                if column.kind == CATEGORY:
                    continue
                if record is None:
                    value = i + 1 if column.kind == SERIAL else None
                else:
                    value = _row_value(table, column, record, i, self.evaluation, self.profile)
                if column.role == COMPUTED:
                    style = COMPUTED if (not column.total_only or i == 0) else "label"
                else:
                    style = {FIXED: "label", INPUT: INPUT}[column.role]
                    if column.kind == NOTE:
                        style = "note"
                _cell(ws, self.styles, row, column.col, 1, column.cols, value, style, column.kind)
                if value is not None and column.role == INPUT:
                    needed = max(needed, _lines(value, sum(sheet.widths[column.col : column.col + column.cols])))
            if needed > 1:
                heights[row] = min(MAX_HEIGHT, max(heights.get(row, 0), needed * LINE_HEIGHT + 6))
        category = table.column("level1") if table.category else None
        if category is not None and rows:
            _cell(ws, self.styles, rows.start, category.col, len(rows), 1, table.category, "label")
        if rows:
            for column in table.columns:
                if column.role == INPUT and column.choices:
                    self._validate(ws, rows.start, column.col, rows.stop - 1, column.col, column.choices)
        if table.footer:
            row = span.last
            heights.setdefault(row, 24)
            for item in table.footer:
                if isinstance(item, Label):
                    _cell(ws, self.styles, row, item.col, item.rows, item.cols, item.text, item.style)
                else:
                    _cell(ws, self.styles, row, item.col, item.rows, item.cols, None, COMPUTED, item.kind)

    def _validate(self, ws, r1: int, c1: int, r2: int, c2: int, key: str) -> None:
        choice: Choice | None = self.layout.choices.get(key)
        if choice is None or not choice.values:  # a profile with no such list: no drop-down
            return
        options = {
            "validate": "list",
            "source": list(choice.values),
            "error_type": "warning" if choice.strict else "information",
            "show_error": choice.strict,
            "ignore_blank": True,
        }
        if choice.strict:
            options |= {"error_title": "请从列表中选择", "error_message": "建议从下拉列表中选择：" + "、".join(choice.values)}
        if choice.message:
            options |= {"input_message": choice.message[:255]}
        ws.data_validation(r1, c1, r2, c2, options)

    def _define(self, block) -> None:
        span = self.spans[block.name]
        sheet = self.layout.sheet_of(block.name)
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        self.wb.define_name(block.name, f"={quoted}!$A${span.first + 1}:${col_letter(len(sheet.widths))}${span.last + 1}")

    # -- help and findings ----------------------------------------------------------------

    def _help(self, ws) -> None:
        ws.set_column(1, 1, 110)
        row = 0
        ws.set_row(0, 30)
        _cell(ws, self.styles, 0, 0, 1, 2, "填表说明", "title")
        row = 2
        for line in instructions(self.layout, self.profile):
            if line.startswith("# "):
                ws.write_string(row, 1, line[2:], self.styles.get("header"))
            elif line == "LEGEND":
                ws.write_blank(row, 0, None, self.styles.get(INPUT))
                ws.write_string(row, 1, "浅黄色：由单位填写（输入单元格，未锁定）", self.styles.get("note"))
                row += 1
                ws.write_blank(row, 0, None, self.styles.get(COMPUTED))
                ws.write_string(row, 1, "灰色：由 xlperf 计算并在评分时填写（已锁定，请勿修改）", self.styles.get("note"))
                row += 1
                ws.write_blank(row, 0, None, self.styles.get("label"))
                ws.write_string(row, 1, "白色：表头和固定文字（已锁定）", self.styles.get("note"))
            else:
                ws.write_string(row, 1, line, self.styles.get("note"))
                ws.set_row(row, max(20, _lines(line, 108) * LINE_HEIGHT + 4))
            row += 1
        ws.set_paper(9)

    def _findings(self, ws, sheet: Sheet) -> None:
        table = next(t for t in sheet.tables if t.target == "findings")
        first = self.spans[table.name].last + 1
        for row in range(first, first + FINDINGS_ROWS):
            for column in table.columns:
                ws.write_blank(row, column.col, None, self.styles.get(COMPUTED, column.kind))


def instructions(layout: Layout, profile: Profile) -> list[str]:
    """The 填表说明 text; ``# `` starts a heading, ``LEGEND`` is the colour legend."""
    sheets = "、".join(f"“{s.name}”" for s in layout.sheets if s.role == "input")
    lines = [
        f"本工作簿由 xlperf 生成（模板 {layout.template_id}，模板版本 {layout.version}，评分方案 {profile.id}：{profile.title}）。",
        "# 一、颜色",
        "LEGEND",
        "# 二、填写什么",
        f"请在 {sheets} 中填写浅黄色单元格。数字直接填写数字（金额单位为万元）；指标值可以带符号和单位，例如 ≥57人、≤90万元、100%、2018年12月底前。",
        "不适用的指标在“不适用”栏填“是”；定性指标的实际完成值可从下拉列表选择“达成年度指标”等三档之一，并在“自评得分”栏填写该档区间内的得分。",
        "“计分规则”一般留空（按指标性质计分）；需要时可填 正向、反向、等于、定性、按期、是否、手工、执行率，或 阈值>95%、分档>95%:100%;>80%:80%;其他:0、每减少30扣1 等。",
        "# 三、哪些由 xlperf 计算",
        "灰色单元格由 xlperf 计算：完成比值、得分、得分说明、小计、总分、自评等级、执行率、资金到位率、到位及时率、结余。手工改动会在下次评分时被覆盖。",
        "单位自己填报的总分、等级和执行率请填在“单位自评总分”“单位自评等级”“单位填报执行率/填报的资金使用率”中，xlperf 会与计算结果核对。",
        "# 四、增加或删除行",
        "表格的行数不够时：在表格中间任意一行（或表格下方的合计、小计、提示行）上单击右键，选择“插入”整行，新行就属于这张表。请不要在合计行下方添加行，那里的内容不会被读取。",
        "不需要的行直接清空内容即可，空行不计入；工作表已保护（没有密码），可插入行、调整行高列宽。如确需修改表格结构，可在“审阅 → 撤销工作表保护”中取消保护。",
        "请不要修改工作表名称、表头文字，不要删除“设置”表。",
        "# 五、评分、校验、生成报告",
        "Excel 中：启用宏后点击首页的“评分”“校验”“生成报告”按钮。",
        "命令行：xlperf score 文件名.xlsx（评分并把结果写回灰色单元格）；xlperf check 文件名.xlsx（只校验）；xlperf report 文件名.xlsx（生成自评报告）。",
        "评分、校验发现的问题列在“校验结果”表中，点击“位置”可跳到对应的单元格。",
        "# 六、设置",
        "“设置”表列出可以改写的评分参数（执行率分值、定性档下限、等级分界等），留空即使用评分方案的默认值，说明栏中写有默认值。",
    ]
    return lines


def build_workbook(
    profile_id: str | Profile,
    evaluation: Evaluation | None,
    path_or_stream: str | Path | BinaryIO,
    *,
    xlsm: bool = False,
    macros: Macros | None = None,
    extra: Callable[[Any], None] | None = None,
) -> None:
    """Build a workbook for ``profile_id``: an empty template, or filled with ``evaluation``'s inputs.

    ``extra(workbook)`` adds sheets before closing (the 申报/监控 stage sheets, ``xlperf.stages.sheets``).

    ``xlsm=True`` calls ``macros(workbook, first_worksheet)`` before closing (by
    default ``xlperf.ooxml.vba.add_macros`` with the layout's buttons).
    """
    profile = profile_id if isinstance(profile_id, Profile) else load_profile(profile_id)
    layout = layout_for(profile)
    if evaluation is None:
        evaluation = blank_evaluation(profile)
    elif evaluation.profile not in (profile.id, profile.key):
        raise DataError(f"数据的评分方案是“{evaluation.profile}”，不能写入 {profile.id} 工作簿")
    _check_fits(evaluation, layout, profile)
    target = str(path_or_stream) if isinstance(path_or_stream, Path) else path_or_stream
    workbook = xlsxwriter.Workbook(
        target,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
         "default_format_properties": {"font_name": FONT, "font_size": 10.5}},
    )
    workbook.set_properties({"title": profile.title, "author": "xlperf", "company": "", "created": FIXED_DATE, "comments": layout.template_id})
    builder = _Builder(layout, profile, evaluation, workbook)
    builder.build()
    if xlsm:
        if macros is None:
            from xlperf.ooxml.vba import add_macros

            buttons = [(b.cell, b.macro, b.caption) for b in layout.buttons]
            macros = lambda wb, ws: add_macros(wb, ws, buttons)  # noqa: E731
        macros(workbook, builder.worksheets[layout.sheets[0].name])
    if extra is not None:
        extra(workbook)
    workbook.close()


def build_templates(folder: str | Path) -> list[Path]:
    """Write the empty template of every shipped profile (``cz2020.xlsx`` …) into ``folder``."""
    from xlperf.profile import PROFILE_IDS

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for profile_id in PROFILE_IDS:
        path = folder / f"{profile_id}.xlsx"
        build_workbook(profile_id, None, path)
        written.append(path)
    return written


if __name__ == "__main__":  # python -m xlperf.workbook.builder [DIR]
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "workbook_templates"
    for written in build_templates(out):
        print(written)
