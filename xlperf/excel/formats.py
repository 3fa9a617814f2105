"""Number formats in an open workbook: a number shown as 90% is 90%, as the file reader reads it.

The file reader takes each cell's format code from ``styles.xml``; here Excel is asked
(``Range.NumberFormat``) and the same rule, ``xlperf.ooxml.numfmt.shown_value``, turns the
number into what the cell shows. So the 评分 button and ``xlperf score`` read the same value.

Calls into Excel: one per block region that holds numbers (the data rows of a table, its
footer row, a form). ``NumberFormat`` of a range answers one code when every cell shares it,
None when they differ; only then is the region halved (columns first: formats usually run
down a column), so the count grows with the places where staff pasted another format, never
with the number of indicators. Engines that cannot say (the remote engine) are asked once.
"""

from __future__ import annotations

from typing import Any

from xlperf.layout import Form, Table, data_rows
from xlperf.ooxml.numfmt import shown_value

Rect = tuple[int, int, int, int]  # top, bottom, left, right: 0-based, inclusive


class _Unanswered(Exception):
    """The engine cannot read number formats."""


def _is_number(value: Any) -> bool:
    return value.__class__ in (float, int)


def _bounds(grid, top: int, bottom: int, left: int, right: int) -> Rect | None:
    """The smallest rectangle inside the given one holding every number of the grid there."""
    rows = [r for r in range(top, min(bottom, len(grid) - 1) + 1) if any(_is_number(v) for v in grid[r][left : right + 1])]
    if not rows:
        return None
    cols = [c for c in range(left, right + 1) if any(c < len(grid[r]) and _is_number(grid[r][c]) for r in rows)]
    return rows[0], rows[-1], cols[0], cols[-1]


def regions(layout, placement) -> list[tuple[str, Rect]]:
    """(actual sheet, rectangle) of each block's values: a table's data rows and its footer row apart, a form whole."""
    found: list[tuple[str, Rect]] = []
    for sheet, block in layout.blocks():
        if sheet.role in ("help", "findings"):
            continue
        span = placement.spans.get(block.name)
        if span is None:
            continue
        if isinstance(block, Table):
            left = min(c.col for c in block.columns)
            right = max(c.col + c.cols - 1 for c in block.columns)
            rows = data_rows(block, span)
            if len(rows):
                found.append((span.sheet, (rows.start, rows.stop - 1, left, right)))
            if block.footer:
                found.append((span.sheet, (span.last, span.last, 0, right)))
        elif isinstance(block, Form):
            last = max([span.last, *(placement.slot_row(block, slot) for slot in block.slots)])
            right = max([0, *(s.col + s.cols - 1 for s in block.slots)])
            found.append((span.sheet, (span.first, last, 0, right)))
    return found


def _code(sheet, rect: Rect) -> str | None:
    """Excel's number format of the rectangle: a code, or None when its cells differ."""
    top, bottom, left, right = rect
    try:
        code = sheet.range((top + 1, left + 1), (bottom + 1, right + 1)).number_format
    except NotImplementedError:
        raise _Unanswered from None
    return code if isinstance(code, str) else None


def show_numbers(sheets: dict[str, Any], grids: dict[str, list[list]], layout, placement) -> int:
    """Replace each number in the blocks by what its format shows; returns the calls made into Excel."""
    calls = 0

    def visit(sheet, grid, top: int, bottom: int, left: int, right: int) -> None:
        nonlocal calls
        rect = _bounds(grid, top, bottom, left, right)
        if rect is None:
            return
        top, bottom, left, right = rect
        calls += 1
        code = _code(sheet, rect)
        if code is not None:
            for r in range(top, bottom + 1):
                line = grid[r]
                for c in range(left, min(right + 1, len(line))):
                    line[c] = shown_value(line[c], code)
        elif right > left:
            middle = (left + right) // 2
            visit(sheet, grid, top, bottom, left, middle)
            visit(sheet, grid, top, bottom, middle + 1, right)
        elif bottom > top:
            middle = (top + bottom) // 2
            visit(sheet, grid, top, middle, left, right)
            visit(sheet, grid, middle + 1, bottom, left, right)

    try:
        for name, rect in regions(layout, placement):
            grid = grids.get(name)
            if grid and name in sheets:
                visit(sheets[name], grid, *rect)
    except _Unanswered:
        pass
    return calls
