"""Where the blocks land: spans of rows, the data rows of a table, and sanity checks of a layout."""

from __future__ import annotations

from dataclasses import dataclass

from xlperf.layout.vocab import Form, Layout, Table, a1

@dataclass(frozen=True)
class Span:
    """The rows a block occupies in one workbook: what its defined name covers (0-based, inclusive)."""

    sheet: str
    first: int
    last: int


def data_rows(table: Table, span: Span) -> range:
    """The repeating rows of a table: between the header (or the previous footer) and the footer."""
    return range(span.first + 1, span.last if table.footer else span.last + 1)


def plan(layout: Layout, sizes: dict[str, int] | None = None) -> dict[str, Span]:
    """Block spans of a workbook built with ``sizes`` (table name → number of rows; default ``min_rows``)."""
    sizes = sizes or {}
    spans: dict[str, Span] = {}
    for sheet in layout.sheets:
        row = sheet.first_row
        previous: Table | None = None
        for block in sheet.blocks:
            if isinstance(block, Table):
                if block.joined:
                    assert previous is not None and previous.footer, f"{block.name} joins a table without a footer"
                    first = spans[previous.name].last
                else:
                    first = row + block.gap
                count = sizes.get(block.name, block.min_rows)
                last = first + count + (1 if block.footer else 0)
                previous = block
            else:
                first = row + block.gap
                last = first + block.rows - 1
                previous = None
            spans[block.name] = Span(sheet.name, first, last)
            row = last + 1
    return spans


def title_text(year) -> str:
    """「项目支出绩效自评表（2020年度）」, with the year as typed (blank when empty)."""
    text = "" if year is None else str(int(year) if isinstance(year, float) and year.is_integer() else year).strip()
    for suffix in ("年度", "年"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    return f"项目支出绩效自评表（{text or '    '}年度）"


def _check(layout: Layout) -> None:
    """Catch layout slips early: duplicate names, overlapping cells, cells outside the sheet."""
    names = [b.name for _s, b in layout.blocks()]
    if len(names) != len(set(names)):
        raise AssertionError(f"duplicate block names in layout {layout.profile}")
    for sheet in layout.sheets:
        for block in sheet.blocks:
            if isinstance(block, Form):
                groups = [[(x.row, x.col, x.rows, x.cols) for x in (*block.labels, *block.slots)]]
            else:
                groups = [[(0, c.col, 1, c.cols) for c in block.columns], [(0, x.col, 1, x.cols) for x in block.footer]]
            for items in groups:
                cells: set[tuple[int, int]] = set()
                for row, col, rows, cols in items:
                    for r in range(row, row + rows):
                        for c in range(col, col + cols):
                            if (r, c) in cells or c >= len(sheet.widths):
                                raise AssertionError(f"{layout.profile} {sheet.name} {block.name}: {a1(r, c)} overlaps or lies outside the sheet")
                            cells.add((r, c))
