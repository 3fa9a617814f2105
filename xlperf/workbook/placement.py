"""Where the blocks of an xlperf workbook are now, after staff inserted rows or renamed sheets.

A block is found by its defined name, which Excel and LibreOffice grow when rows
are inserted inside it; the grid must still show the block's header (or the
previous footer, for a joined table) and its footer there. Otherwise (the name is
missing, ``#REF!``, or left behind by a tool that moves cells but not names) the
block is found again by those texts. Works on plain value grids, so the calamine
reader and an xlwings adapter share it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xlperf.errors import WorkbookError
from xlperf.findings import Finding, info, warning
from xlperf.raw import canonical
from xlperf.layout import Block, Form, Layout, Slot, Span, Table, plan
from xlperf.model import Location

Grid = list[list[Any]]
NameRef = tuple[str, int, int]  # sheet, first row, last row (1-based, as Excel shows them)

_NAME_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!:]+))!\$?[A-Za-z]{1,3}\$?(\d+)(?::\$?[A-Za-z]{1,3}\$?(\d+))?$")


@lru_cache(maxsize=4096)  # the same names recur in every workbook of a batch; the result is a tuple
def parse_name(formula: str) -> NameRef | None:
    """``'自评表'!$A$14:$O$45`` → ('自评表', 14, 45); None for ``#REF!`` and anything else."""
    match = _NAME_REF.match(formula.strip())
    if not match:
        return None
    sheet = match[1].replace("''", "'") if match[1] is not None else match[2]
    if sheet.startswith("#"):
        return None
    first = int(match[3])
    last = int(match[4]) if match[4] else first
    return sheet, min(first, last), max(first, last)


def cell_at(grid: Grid, row: int, col: int) -> Any:
    if 0 <= row < len(grid):
        line = grid[row]
        if 0 <= col < len(line):
            return line[col]
    return ""


def text_at(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def text_in(grid: Grid, row: int, col: int) -> str:
    """``text_at(cell_at(grid, row, col))`` in one call: placement asks this for every label it checks."""
    if 0 <= row < len(grid):
        line = grid[row]
        if 0 <= col < len(line):
            value = line[col]
            return value.replace("\n", "").strip() if isinstance(value, str) else ""  # a label broken for print
    return ""


def find_text(grid: Grid, text: str, col: int, start: int = 0, stop: int | None = None) -> int | None:
    stop = len(grid) if stop is None else min(stop, len(grid))
    for row in range(max(start, 0), stop):  # text_at(cell_at(grid, row, col)) == text, inlined
        line = grid[row]
        value = line[col] if 0 <= col < len(line) else ""
        if isinstance(value, str) and (value.strip() == text or ("\n" in value and value.replace("\n", "").strip() == text)):
            return row
    return None


@dataclass
class Placement:
    """Where a workbook's sheets and blocks are now (after staff inserted rows or renamed sheets)."""

    layout: Layout
    sheets: dict[str, str]  # layout sheet name → actual name (missing optional sheets left out)
    spans: dict[str, Span]  # block name → rows, on the actual sheet (0-based)
    findings_rows: int = 0  # filled rows under the 校验结果 header now
    truncated: dict[str, int] = field(default_factory=dict)  # actual sheet → rows read, where cut
    slot_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (form, slot key) → row

    def slot_row(self, form: Form, slot: Slot) -> int:
        return self.slot_rows.get((form.name, slot.key), self.spans[form.name].first + slot.row)


FORM_SLACK = 30  # rows staff may insert inside a form and still have its labels found


def _slot_rows(form: Form, span: Span, grid: Grid) -> dict[tuple[str, str], int]:
    """Rows inserted inside a form move its labels down: each slot follows its label."""
    rows = {}
    for slot in form.slots:
        label = form.label_of(slot)
        row = span.first + slot.row
        if label is not None:
            nominal = span.first + label.row
            # Usually the label is where the template put it: that row is the one find_text would check first.
            if nominal < 0 or text_in(grid, nominal, label.col) != label.text:
                found = find_text(grid, label.text, label.col, nominal, max(span.last, nominal) + FORM_SLACK + 1)
                if found is not None:
                    row += found - nominal
        rows[(form.name, slot.key)] = row
    return rows


def map_sheets(layout: Layout, sheet_names: list[str], names: Mapping[str, NameRef | None], path: str | None = None) -> dict[str, str]:
    """Layout sheet → actual sheet, following defined names to renamed sheets."""
    mapping: dict[str, str] = {}
    for sheet in layout.sheets:
        actual = None
        for block in sheet.blocks:  # the first block whose name points at an existing sheet
            ref = names.get(block.name)
            if ref and ref[0] in sheet_names:
                actual = ref[0]
                break
        if actual is None and sheet.name in sheet_names:
            actual = sheet.name
        if actual is None:
            if sheet.required:
                raise WorkbookError(
                    f"缺少工作表“{sheet.name}”（可能被删除或改名）；请把工作表名称改回“{sheet.name}”，或从 xlperf new 生成的模板中复制该表",
                    path=path,
                )
            continue
        mapping[sheet.name] = actual
    return mapping


def _verify(block: Block, span: Span, grid: Grid, previous: Table | None) -> bool:
    """Does the grid still look like the block where the name says it is?"""
    if span.last < span.first:
        return False
    if isinstance(block, Form):
        anchor = block.anchor
        return anchor is None or text_in(grid, span.first + anchor.row, anchor.col) == anchor.text
    if block.joined:
        head = previous.footer_label if previous else None
        if head is None or text_in(grid, span.first, head.col) != head.text:
            return False
    elif text_in(grid, span.first, block.anchor.col) != block.anchor.header:
        return False
    foot = block.footer_label
    return foot is None or text_in(grid, span.last, foot.col) == foot.text


def _next_anchor(following: tuple[Block, ...], grid: Grid, start: int) -> int | None:
    """The row of the first later block's anchor text at or after ``start`` (None: none found)."""
    for block in following:
        if isinstance(block, Form):
            if block.anchor is None:
                continue
            row = find_text(grid, block.anchor.text, block.anchor.col, start)
        elif block.joined:
            continue
        else:
            row = find_text(grid, block.anchor.header, block.anchor.col, start)
        if row is not None:
            return row - (block.anchor.row if isinstance(block, Form) else 0)
    return None


def _search(
    block: Block, grid: Grid, cursor: int, previous: Table | None, previous_span: Span | None, following: tuple[Block, ...] = ()
) -> tuple[int, int] | None:
    """Find a block by its texts: header (or the previous footer), then its own footer."""
    if isinstance(block, Form):
        anchor = block.anchor
        if anchor is None:
            return None
        row = find_text(grid, anchor.text, anchor.col, cursor)
        if row is None:
            row = find_text(grid, anchor.text, anchor.col, 0)
        return None if row is None else (row - anchor.row, row - anchor.row + block.rows - 1)
    if block.joined:
        if previous_span is None:
            return None
        first = previous_span.last
    else:
        first = find_text(grid, block.anchor.header, block.anchor.col, cursor)
        if first is None:
            first = find_text(grid, block.anchor.header, block.anchor.col, 0)
        if first is None:
            return None
    if block.target == "findings":
        return first, first  # the header only: the rows under it are ours to rewrite, not part of the block
    foot = block.footer_label
    if foot is not None:
        last = find_text(grid, foot.text, foot.col, first + 1)
        return None if last is None else (first, last)
    # No footer: the rows up to the first blank one, or up to the next block's anchor (a file saved by
    # another program may have lost the names and the blank row both).
    last = first
    columns = block.data_columns or block.columns
    stop = min(len(grid), first + 1 + block.cap)
    after = _next_anchor(following, grid, first + 1) if following else None
    if after is not None:
        stop = min(stop, after)
    for row in range(first + 1, stop):
        if all(canonical(cell_at(grid, row, c.col)) is None for c in columns):
            break
        last = row
    return first, last


def _findings_rows(table: Table, span: Span, grid: Grid) -> int:
    """How many rows under the 校验结果 header hold something now."""
    count = 0
    for row in range(span.last + 1, len(grid)):
        if all(canonical(cell_at(grid, row, c.col)) is None for c in table.columns):
            break
        count += 1
    return count


class _Locator:
    def __init__(self, layout: Layout, names: Mapping[str, NameRef | None], path: str | None, truncated: dict[str, int]):
        self.layout = layout
        self.names = names
        self.path = path
        self.truncated = truncated
        self._nominal: dict[str, Span] | None = None
        self.spans: dict[str, Span] = {}
        self.slot_rows: dict[tuple[str, str], int] = {}
        self.findings: list[Finding] = []

    @property
    def nominal(self) -> dict[str, Span]:
        """Where the blocks of a fresh workbook are: needed only when a block cannot be found."""
        if self._nominal is None:
            self._nominal = plan(self.layout)
        return self._nominal

    def sheet(self, sheet, actual: str, grid: Grid) -> None:
        cursor = sheet.first_row
        previous: Table | None = None
        for i, block in enumerate(sheet.blocks):
            span = self.block(block, actual, grid, cursor, previous, sheet.blocks[i + 1:])
            self.spans[block.name] = span
            cursor = span.last + 1
            if isinstance(block, Form):
                rows = _slot_rows(block, span, grid)
                self.slot_rows.update(rows)
                cursor = max([cursor, *(row + 1 for row in rows.values())])
            previous = block if isinstance(block, Table) else None

    def block(self, block: Block, actual: str, grid: Grid, cursor: int, previous: Table | None, following=()) -> Span:
        ref = self.names.get(block.name)
        span = Span(actual, ref[1] - 1, ref[2] - 1) if ref and ref[0] == actual else None
        cut = self.truncated.get(actual)
        if span is not None and cut is not None and span.last >= cut:
            return span  # reaches past the rows read: trust the name; the reader reports the rows cut off
        if span is not None and _verify(block, span, grid, previous):
            return span
        where = Location(field=block.name, sheet=actual)
        found = _search(block, grid, cursor, previous, self.spans.get(previous.name) if previous else None, tuple(following))
        if found is not None:
            span = Span(actual, *found)
            message = f"名称 {block.name} 已丢失或不再指向原表格，已按表头文字重新定位（第 {span.first + 1} 行）"
            self.findings.append(info("workbook.name_lost", where, message))
            return span
        if isinstance(block, Form):
            label = block.anchor.text if block.anchor else block.name
            message = f"找不到“{label}”所在的行，已按模板的默认位置读取；请不要修改表中的标签文字"
            self.findings.append(warning("workbook.block_missing", where, message))
            return Span(actual, self.nominal[block.name].first, self.nominal[block.name].last)
        if block.joined:
            label = previous.footer_label.text if previous and previous.footer_label else block.name
        else:
            label = block.anchor.header
        more = f"（工作表超过 {cut} 行，只读取了前 {cut} 行）" if cut else ""
        raise WorkbookError(
            f"工作表“{actual}”中找不到表格“{label}”及其合计行{more}；请不要删除或修改表头、合计行的文字，或从模板中恢复", path=self.path
        )


def locate(
    layout: Layout,
    sheet_grids: Mapping[str, Grid],
    names: Mapping[str, NameRef | None],
    path: str | None = None,
    truncated: Mapping[str, int] | None = None,
    sheet_names: list[str] | None = None,
) -> tuple[Placement, list[Finding]]:
    """Resolve every block's rows from the defined names, or from the header texts when a name is lost.

    Sheets without a grid in ``sheet_grids`` are mapped (from ``sheet_names``) but not located;
    ``truncated`` gives, per sheet, how many rows the grid holds when the sheet was cut short.
    """
    sheets = map_sheets(layout, sheet_names or list(sheet_grids), names, path)
    locator = _Locator(layout, names, path, dict(truncated or {}))
    for sheet in layout.sheets:
        actual = sheets.get(sheet.name)
        if actual is not None and actual in sheet_grids:
            locator.sheet(sheet, actual, sheet_grids[actual])
    placement = Placement(layout, sheets, locator.spans, truncated=locator.truncated, slot_rows=locator.slot_rows)
    for table in layout.tables("findings"):
        if table.name in locator.spans:
            span = locator.spans[table.name]
            placement.findings_rows = _findings_rows(table, span, sheet_grids[span.sheet])
    return placement, locator.findings
