"""The stage sheets of a workbook: 运行监控, 调整记录, and the hidden 申报指标 and 阶段 sheets.

Developer notes: the sheets are defined once, from the profile, in
``xlperf.layout.stages`` (blocks, headings, positions); that definition drives
``add_stage_sheets`` (xlsxwriter, called by the builder through its ``extra``
hook, and by ``advance`` to render the sheets it adds to a user's workbook via
``xlperf.ooxml.graft``), ``read_stage_sheets`` (openpyxl; table cells are mapped
by their headings, so a reordered column still reads) and ``light_edits`` (the
computed cells ``xlperf score`` writes through ``xlperf.ooxml.patch``).
"""

from __future__ import annotations

from pathlib import Path

from xlperf.layout.stages import (
    ADJUST_SHEET,
    BLANK_ROWS,
    DECLARED_SHEET,
    MONITOR_SHEET,
    STAGE_SHEET,
    stage_layout,
)
from xlperf.layout.vocab import COMPUTED, Form, Table
from xlperf.model import Indicator, Location
from xlperf.stages import STAGES
from xlperf.stages.model import (
    LIKELIHOODS,
    Adjustment,
    MonitoredIndicator,
    Monitoring,
    StageData,
)
from xlperf.workbook.printsetup import setup_plain_page


def _cell(ws, row: int, col: int, value, fmt=None) -> None:
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _table(ws, table: Table, head_row: int, records, fmts) -> None:
    for col in table.columns:
        ws.write_string(head_row, col.col, col.header, fmts["head"])
        ws.set_column(col.col, col.col, col.width or 12)
    for r, record in enumerate(records, head_row + 1):
        for col in table.columns:
            if col.role == COMPUTED:
                ws.write_blank(r, col.col, None, fmts["computed"])
            else:
                _cell(ws, r, col.col, getattr(record, col.key), fmts["cell"])


def _form(ws, form: Form, first: int, values: dict, fmts) -> None:
    for label in form.labels:
        ws.write_string(first + label.row, label.col, label.text, fmts["head"])
    for slot in form.slots:
        row, col = first + slot.row, slot.col
        fmt = fmts["computed"] if slot.role == COMPUTED else fmts["cell"]
        if slot.cols > 1:
            ws.merge_range(row, col, row, col + slot.cols - 1, "", fmt)
        if slot.role == COMPUTED:
            ws.write_blank(row, col, None, fmt)
        else:
            _cell(ws, row, col, values.get(slot.key), fmt)


def add_stage_sheets(evaluation) -> callable:
    """The builder hook that writes ``evaluation``'s stage sheets (``new --stage`` and the donor of ``advance``)."""
    stages: StageData | None = evaluation.stages
    layout = stage_layout(getattr(evaluation, "profile", None))
    spans = layout.spans

    def extra(workbook) -> None:
        if stages is None:
            return
        fmts = {
            "head": workbook.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"}),
            "cell": workbook.add_format({"border": 1, "text_wrap": True, "valign": "vcenter", "locked": False}),
            "computed": workbook.add_format({"border": 1, "align": "center", "bg_color": "#F2F2F2"}),
        }
        title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
        marker = workbook.add_worksheet(STAGE_SHEET)
        form = layout.block("xlperf_stage")
        marker.write_string(0, 0, form.labels[0].text)
        marker.write_string(0, 1, stages.stage)
        marker.hide()
        m = stages.monitoring
        if m is not None:
            sheet = layout.sheet(MONITOR_SHEET)
            ws = workbook.add_worksheet(MONITOR_SHEET)
            ws.merge_range(0, 0, 0, sheet.title_cols - 1, sheet.title, title)
            values = {"monitoring.month": m.month, "monitoring.goal_progress": m.goal_progress}
            _form(ws, layout.block("xlperf_monitor_head"), spans["xlperf_monitor_head"].first, values, fmts)
            _table(ws, layout.block("xlperf_monitor_funds"), spans["xlperf_monitor_funds"].first, [m.funds], fmts)
            _form(ws, layout.block("xlperf_monitor_goal"), spans["xlperf_monitor_goal"].first, values, fmts)
            table = layout.block("xlperf_monitor_indicators")
            head = spans[table.name].first
            _table(ws, table, head, m.indicators, fmts)
            last = head + len(m.indicators) + BLANK_ROWS
            for col in table.columns:
                if col.choices == "likelihood":
                    ws.data_validation(head + 1, col.col, last, col.col, {"validate": "list", "source": list(LIKELIHOODS)})
            ws.freeze_panes(head + 1, 3)
            setup_plain_page(ws, [c.width or 12 for c in table.columns], repeat_row=head)
        if stages.declared:
            ws = workbook.add_worksheet(DECLARED_SHEET)
            _table(ws, layout.block("xlperf_declared"), 0, stages.declared, fmts)
            ws.hide()
        ws = workbook.add_worksheet(ADJUST_SHEET)
        _table(ws, layout.block("xlperf_adjustments"), 0, stages.adjustments, fmts)
        setup_plain_page(ws, [c.width or 12 for c in layout.block("xlperf_adjustments").columns], repeat_row=0)

    return extra


def _rows(ws, head_row: int, table: Table, make, path: str, headers: dict[str, tuple[str, ...]] | None = None):
    """Records below a heading row (1-based), mapped by heading; stops at the first empty row."""
    rows = list(ws.iter_rows(min_row=head_row, values_only=False))
    if not rows:
        return []
    heads = {str(c.value).strip(): i for i, c in enumerate(rows[0]) if c.value is not None}
    wanted = [(col.key, headers.get(col.key, (col.header,)) if headers else (col.header,))
              for col in table.columns if col.role != COMPUTED]
    records = []
    for cells in rows[1:]:
        values = {}
        for key, labels in wanted:
            i = next((heads[label] for label in labels if label in heads), None)
            if i is not None and i < len(cells):
                values[key] = cells[i]
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


def read_stage_sheets(path: str | Path, profile: str | None = None) -> StageData | None:
    """The stage data of an xlperf workbook; None when it has no 阶段 sheet (a plain 自评)."""
    import openpyxl

    layout = stage_layout(profile)
    spans = layout.spans
    wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    try:
        if STAGE_SHEET not in wb.sheetnames:
            return None
        stage = str(wb[STAGE_SHEET]["B1"].value or "自评").strip()
        stages = StageData(stage=stage if stage in STAGES else "自评")
        if MONITOR_SHEET in wb.sheetnames:
            ws = wb[MONITOR_SHEET]
            m = Monitoring()
            head = layout.block("xlperf_monitor_head")
            slot = next(s for s in head.slots if s.key == "monitoring.month")
            cell = ws.cell(spans[head.name].first + slot.row + 1, slot.col + 1)
            m.month = _value(cell)
            m.loc["month"] = Location(field=slot.key, sheet=ws.title, cell=cell.coordinate)
            goal = layout.block("xlperf_monitor_goal")
            slot = goal.slots[0]
            m.goal_progress = _value(ws.cell(spans[goal.name].first + slot.row + 1, slot.col + 1))
            funds = layout.block("xlperf_monitor_funds")
            if _rows(ws, spans[funds.name].first + 1, funds, lambda: m.funds, "monitoring.funds"):
                m.funds.loc = {k: Location(field=f"monitoring.funds.{k}", sheet=v.sheet, cell=v.cell) for k, v in m.funds.loc.items()}
            table = layout.block("xlperf_monitor_indicators")
            m.indicators = _rows(ws, spans[table.name].first + 1, table, MonitoredIndicator, "monitoring.indicators")
            stages.monitoring = m
        if DECLARED_SHEET in wb.sheetnames:
            stages.declared = _rows(wb[DECLARED_SHEET], 1, layout.block("xlperf_declared"), Indicator, "declared",
                                    layout.declared_headers())
        if ADJUST_SHEET in wb.sheetnames:
            stages.adjustments = _rows(wb[ADJUST_SHEET], 1, layout.block("xlperf_adjustments"), Adjustment, "adjustments")
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
        evaluation.stages = read_stage_sheets(path, getattr(evaluation, "profile", None))


def light_edits(evaluation, result) -> dict[str, dict[str, str]]:
    """The computed cells of the 运行监控 sheet: the project's, the budget's and each indicator's light."""
    from xlperf.layout.vocab import a1

    layout = stage_layout(getattr(evaluation, "profile", None))
    spans = layout.spans
    shown = lambda light: light or "无法判断"  # noqa: E731
    head, funds, table = (layout.block(n) for n in ("xlperf_monitor_head", "xlperf_monitor_funds", "xlperf_monitor_indicators"))
    project = next(s for s in head.slots if s.key == "light.project")
    budget = funds.column("light.budget")
    light = table.column("light.indicator")
    cells = {
        a1(spans[head.name].first + project.row, project.col): shown(result.project),
        a1(spans[funds.name].first + 1, budget.col): shown(result.budget.light),
    }
    for row, lit in zip(evaluation.stages.monitoring.indicators, result.indicators):
        where = row.loc.get("name")
        if where is None or where.sheet != MONITOR_SHEET or not where.cell:
            continue
        number = int("".join(ch for ch in where.cell if ch.isdigit()))
        cells[a1(number - 1, light.col)] = shown(lit.light)
    return {MONITOR_SHEET: cells}
