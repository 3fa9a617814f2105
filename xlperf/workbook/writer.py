"""Write scoring results into the computed cells of an xlperf workbook.

``output_blocks`` turns Results into rectangles of values (sheet, top-left, 2-D
list), one per run of adjacent computed columns, so an xlwings adapter can write
each with one range assignment; ``write_results`` turns the same blocks into cell
edits for ``xlperf.ooxml.patch.patch_workbook``, which rewrites only those cells.
Same input, same edits: a second run changes nothing and returns False.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlperf.errors import WorkbookError
from xlperf.findings import Finding, Severity
from xlperf.layout import (
    COMPUTED,
    EXECUTION_ROW,
    Form,
    Layout,
    Slot,
    Span,
    Table,
    a1,
    data_rows,
    title_text,
)
from xlperf.model import Evaluation
from xlperf.ooxml.cells import parse_ref
from xlperf.ooxml.cellvalue import MAX_TEXT, CellValue, Formula
from xlperf.profile import load_profile
from xlperf.results import Results, Score
from xlperf.workbook.placement import Placement
from xlperf.workbook.printsetup import text_height
from xlperf.workbook.reader import Loaded, load_workbook, read_workbook

MAX_ROW_HEIGHT = 409  # Excel's largest row height (points)


@dataclass(frozen=True)
class CellBlock:
    """A rectangle of values to write: top-left (0-based) on an actual sheet, rows of values."""

    sheet: str
    row: int
    col: int
    values: tuple[tuple[CellValue, ...], ...]

    @property
    def cell(self) -> str:
        return a1(self.row, self.col)

    @property
    def ref(self) -> str:
        """The range, e.g. ``I15:I44``."""
        last = a1(self.row + len(self.values) - 1, self.col + max(len(r) for r in self.values) - 1)
        return self.cell if last == self.cell else f"{self.cell}:{last}"

    def edits(self) -> dict[str, CellValue]:
        return {a1(self.row + i, self.col + j): value for i, line in enumerate(self.values) for j, value in enumerate(line)}


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def _number(value: Decimal | int | float | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fraction(percent: Decimal | None) -> float | int | None:
    """103.51 (percent) → 1.0351, for a cell formatted ``0.00%``."""
    return None if percent is None else _number(Decimal(percent) / 100)


TRUNCATED = "…（内容超过 Excel 单元格上限 32767 个字符，已截断；完整内容见 xlperf check 的输出）"


def fit_cell(text: str) -> str:
    """``text`` cut to what one Excel cell holds, ending with a marker that says so."""
    if len(text) <= MAX_TEXT:
        return text
    return text[: MAX_TEXT - len(TRUNCATED)] + TRUNCATED


def _convert(value: Any, kind: str) -> CellValue:
    if value is None:
        return None
    if kind == "percent":
        return _fraction(value)
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return _number(value)
    return fit_cell(str(value)) if value != "" else None


def _attr(obj: Any, key: str) -> Any:
    for part in key.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def link(sheet: str, cell: str) -> Formula:
    """A 校验结果 位置 cell: a link that jumps to ``sheet!cell``."""
    target = "'" + sheet.replace("'", "''") + "'!" + cell
    shown = f"{sheet}!{cell}"
    return Formula(f'HYPERLINK("#{_quote(target)}","{_quote(shown)}")', cached=shown)


def _quote(text: str) -> str:
    return text.replace('"', '""')


def finding_row(index: int, finding: Finding) -> tuple[CellValue, ...]:
    loc = finding.location
    where: CellValue = link(loc.sheet, loc.cell) if loc.sheet and loc.cell else (str(loc) or None)
    return (index + 1, finding.severity.label, where, finding.code, fit_cell(finding.message))


def findings_summary(findings: list[Finding]) -> str:
    if not findings:
        return "未发现问题"
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    parts = "，".join(f"{s.label} {n} 条" for s, n in counts.items() if n)
    return f"共 {len(findings)} 条：{parts}"


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------


def _row_of(record: Any, sheet: str) -> int | None:
    """The record's row: where its own fields are (not the 一级 cell merged over its block)."""
    for name, loc in record.loc.items():
        if name != "level1" and loc.sheet == sheet and loc.cell:
            return parse_ref(loc.cell)[0] - 1
    return None


def _runs(columns: list) -> list[list]:
    """Group columns into runs of adjacent columns."""
    runs: list[list] = []
    for column in sorted(columns, key=lambda c: c.col):
        if runs and runs[-1][-1].col + runs[-1][-1].cols == column.col:
            runs[-1].append(column)
        else:
            runs.append([column])
    return runs


class _Outputs:
    def __init__(self, evaluation: Evaluation, results: Results, layout: Layout, placement: Placement):
        if len(results.indicators) != len(evaluation.indicators) or len(results.items) != len(evaluation.items):
            raise ValueError("results do not belong to this evaluation (different numbers of indicators or items)")
        self.evaluation = evaluation
        self.results = results
        self.layout = layout
        self.placement = placement
        self.blocks: list[CellBlock] = []
        self.subtotals = {s.level1: s for s in results.subtotals}
        self.heights: dict[str, dict[int, float]] = {}  # sheet → 1-based row → points its wrapped text needs

    def add(self, sheet: str, row: int, col: int, values: list[list[CellValue]]) -> None:
        if values and values[0]:
            self.blocks.append(CellBlock(sheet, row, col, tuple(tuple(v) for v in values)))

    def build(self) -> list[CellBlock]:
        for sheet, block in self.layout.blocks():
            span = self.placement.spans.get(block.name)
            if span is None:
                continue
            if isinstance(block, Form):
                for slot in block.slots:
                    if slot.role == COMPUTED:
                        self.add(span.sheet, self.placement.slot_row(block, slot), slot.col, [[self.slot_value(slot, None)]])
            else:
                self.table(block, span)
        return self.blocks

    def fit(self, sheet: str, row: int, text: CellValue, width: float) -> None:
        """Remember the height row ``row`` (0-based) needs to show computed ``text`` whole."""
        if isinstance(text, str) and text:
            height = min(MAX_ROW_HEIGHT, text_height(text, width))
            rows = self.heights.setdefault(sheet, {})
            if height > rows.get(row + 1, 0):
                rows[row + 1] = height

    def slot_value(self, slot: Slot, table: Table | None) -> CellValue:
        key = slot.key
        if key == "title":
            return title_text(self.evaluation.project.year)
        if key == "findings.summary":
            return findings_summary(self.results.findings)
        if key.startswith("subtotal."):
            subtotal = self.subtotals.get(table.category) if table and table.category else None
            return _convert(_attr(subtotal, key.split(".", 1)[1]), slot.kind)
        return _convert(_attr(self.results, key), slot.kind)

    def table(self, table: Table, span: Span) -> None:
        rows = data_rows(table, span)
        computed = list(table.computed)
        if table.target in ("indicators", "items") and computed:
            records = self.evaluation.indicators if table.target == "indicators" else self.evaluation.items
            scores = self.results.indicators if table.target == "indicators" else self.results.items
            by_row: dict[int, Score] = {}
            for record, score in zip(records, scores):
                row = _row_of(record, span.sheet)
                if row is not None and row in rows:
                    by_row[row] = score
            widths = self.layout.sheet_of(table.name).widths
            for run in _runs(computed):
                values = [[_convert(_attr(by_row.get(row), c.key), c.kind) for c in run] for row in rows]
                if rows:
                    self.add(span.sheet, rows.start, run[0].col, values)
                for j, column in enumerate(run):
                    if column.kind == "long":
                        width = sum(widths[column.col : column.col + column.cols])
                        for row, line in zip(rows, values):
                            self.fit(span.sheet, row, line[j], width)
        elif table.target == "funds.rows" and rows:
            for run in _runs([c for c in computed if c.total_only]):
                self.add(span.sheet, rows.start, run[0].col, [[_convert(_attr(self.results.funds, c.key), c.kind) for c in run]])
        elif table.target == "subtotals" and rows:
            labels = [c.name for c in load_profile(self.layout.profile).categories] + [EXECUTION_ROW]
            for run in _runs(computed):
                values = []
                for i, _row in enumerate(rows):
                    subtotal = self.subtotals.get(labels[i]) if i < len(labels) else None
                    values.append([_convert(_attr(subtotal, c.key), c.kind) for c in run])
                self.add(span.sheet, rows.start, run[0].col, values)
        elif table.target == "findings":
            findings = self.results.findings
            count = max(len(findings), self.placement.findings_rows)
            values = [list(finding_row(i, f)) for i, f in enumerate(findings)]
            widths = self.layout.sheet_of(table.name).widths
            for column in table.columns:
                if column.kind == "long":
                    for i, line in enumerate(values):
                        self.fit(span.sheet, span.last + 1 + i, line[column.col], widths[column.col])
            values += [[None] * len(table.columns) for _ in range(count - len(findings))]
            if values:
                self.add(span.sheet, span.last + 1, 0, values)
        for item in table.footer:
            if isinstance(item, Slot) and item.role == COMPUTED:
                self.add(span.sheet, span.last, item.col, [[self.slot_value(item, table)]])


def output_blocks(evaluation: Evaluation, results: Results, layout: Layout, placement: Placement) -> list[CellBlock]:
    """Every computed cell of the workbook as rectangles of values; rows without a record are cleared.

    ``evaluation`` must carry workbook locations (``loc``) for its indicators and
    items, as ``read_workbook`` sets them; ``placement`` is where the blocks are now.
    """
    return _Outputs(evaluation, results, layout, placement).build()


def edits_of(blocks: list[CellBlock]) -> dict[str, dict[str, CellValue]]:
    """Blocks → sheet → {cell ref → value}, as ``patch_workbook`` takes them."""
    edits: dict[str, dict[str, CellValue]] = {}
    for block in blocks:
        edits.setdefault(block.sheet, {}).update(block.edits())
    return edits


def _located(evaluation: Evaluation, placement: Placement) -> bool:
    """Do the indicators and items know their rows in this workbook's blocks?"""
    for target, records in (("indicators", evaluation.indicators), ("items", evaluation.items)):
        tables = [(t, placement.spans[t.name]) for t in placement.layout.tables(target) if t.name in placement.spans]
        for record in records:
            if not any((row := _row_of(record, span.sheet)) is not None and row in data_rows(t, span) for t, span in tables):
                return False
    return True


def write_results(path: str | Path, evaluation: Evaluation, results: Results, dst: str | Path | None = None, *, loaded: Loaded | None = None) -> bool:
    """Write ``results`` into the computed cells and 校验结果 of ``path`` (or of a copy at ``dst``).

    Returns False when nothing changed (the file is left byte-identical). ``loaded``
    must come from ``load_workbook(path, with_findings_sheet=True)``.
    """
    if loaded is None:  # a caller that read the file already passes what it loaded
        loaded = load_workbook(path, with_findings_sheet=True)
    located = evaluation
    if not _located(evaluation, loaded.placement):
        located, _ = read_workbook(path)
        if len(located.indicators) != len(evaluation.indicators) or len(located.items) != len(evaluation.items):
            raise WorkbookError("工作簿的内容与评分数据不一致（指标或评分项的行数不同），请重新读取工作簿后再评分", path=str(path))
    outputs = _Outputs(located, results, loaded.layout, loaded.placement)
    blocks = outputs.build()
    from xlperf.ooxml.patch import patch_workbook

    return patch_workbook(path, edits_of(blocks), dst, expect=loaded.digest, heights=outputs.heights)
