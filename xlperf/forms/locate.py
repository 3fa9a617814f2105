"""Find each 自评表 in a workbook's grids by its labels: where its blocks are and which column holds what.

Works on plain value grids (``grid.Sheets``), whatever made the file. A table's header may
take two rows (a merged parent over its children: ``年度指标值`` over ``指标性质``/``指标值``/
``度量单位``); its columns may come in any order. A sheet may hold several tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlperf.forms import vocabulary as V
from xlperf.forms.grid import Sheets

CORE = ("level1", "level2", "name", "target", "actual", "weight", "claimed_score")
BLANK_RUN = 30  # blank rows that end a table without a 总分 row


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class View:
    """A sheet's grid with merged ranges known: ``at`` gives a cell's own value, ``spread`` a merge's value."""

    def __init__(self, grid: list[list[Any]], merged):
        self.grid = grid
        self.height = len(grid)
        self.width = max((len(r) for r in grid), default=0)
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        for (r1, c1), (r2, c2) in merged:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 5000:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.owner[(r, c)] = (r1, c1)

    def at(self, row: int, col: int) -> Any:
        if 0 <= row < self.height:
            line = self.grid[row]
            if 0 <= col < len(line):
                value = line[col]
                return None if value == "" else value
        return None

    def spread(self, row: int, col: int) -> Any:
        """The value shown at a cell, a merged range's value in each of its cells."""
        top = self.owner.get((row, col))
        return self.at(*top) if top else self.at(row, col)

    def merged_down(self, row: int, col: int) -> bool:
        top = self.owner.get((row, col))
        return bool(top) and top[0] < row and top[1] == col

    def row_texts(self, row: int) -> list[tuple[int, str]]:
        line = self.grid[row] if 0 <= row < self.height else ()
        return [(c, v.strip()) for c, v in enumerate(line) if isinstance(v, str) and v.strip()]

    def first_text(self, row: int) -> tuple[int, str] | None:
        line = self.grid[row] if 0 <= row < self.height else ()
        for c, v in enumerate(line):
            if v is not None and v != "":
                return (c, v.strip()) if isinstance(v, str) and v.strip() else None
        return None

    def blank(self, row: int) -> bool:
        line = self.grid[row] if 0 <= row < self.height else ()
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in line)


@dataclass
class Header:
    """A recognised header: its rows and which column holds which field."""

    first: int
    last: int
    columns: dict[str, int]  # field → column
    labels: dict[int, str]  # column → printed header text
    unread: dict[int, str] = field(default_factory=dict)  # columns with a header that is no field


@dataclass
class Match:
    """One 自评表 found: the sheet, its blocks (rows are 0-based), how sure."""

    sheet: str
    view: View
    top: int  # first row of its region (after the previous table)
    indicators: Header
    end: int  # first row after the indicator rows (the 总分 row, notes, or the next table)
    total_row: int | None = None
    funds: Header | None = None
    confidence: int = 0  # percent

    @property
    def anchor(self) -> str:
        from xlperf.layout import a1

        return f"{self.sheet}!{a1(self.indicators.first, min(self.indicators.columns.values()))}"


def _header_row(view: View, row: int, index: dict[str, str]) -> tuple[dict[str, int], dict[int, str]]:
    fields: dict[str, int] = {}
    labels: dict[int, str] = {}
    for col in range(view.width):
        value = view.spread(row, col)
        if not isinstance(value, str) or not value.strip():
            continue
        labels[col] = value.strip()
        key = index.get(V.norm(value))
        if key is not None and key not in fields:
            fields[key] = col
    return fields, labels


def _may_be_header(view: View, row: int, index: dict[str, str]) -> bool:
    """At least three of the row's own text cells are header labels: the cheap test before ``_header_row``
    (a header's fields are distinct cells of its first row; a data row seldom has two)."""
    line = view.grid[row] if 0 <= row < view.height else ()
    hits = 0
    for value in line:
        if value.__class__ is str and value and index.get(V.norm(value)) is not None:
            hits += 1
            if hits >= 3:
                return True
    return False


def _is_indicator_header(fields: dict[str, int]) -> bool:
    return ("name" in fields or ("level1" in fields and "level2" in fields)) and ("target" in fields or "actual" in fields) and len(fields) >= 3


def _has_number(view: View, row: int) -> bool:
    line = view.grid[row] if 0 <= row < view.height else ()
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in line)


def _combine(view: View, row: int, index: dict[str, str], fields: dict[str, int], labels: dict[int, str]) -> Header:
    """A header row, with the row below it when that row is the second line of the header."""
    _below_fields, below_labels = _header_row(view, row + 1, index)
    # the row below's own cells (not the parent's cells merged down into it)
    below_labels = {c: t for c, t in below_labels.items() if view.owner.get((row + 1, c), (None,))[0] != row}
    two_rows = (
        not _has_number(view, row + 1)
        and any(index.get(V.norm(t)) is not None for t in below_labels.values())
        and all(len(t) <= 24 for t in below_labels.values())
    )
    columns: dict[str, int] = {}
    texts: dict[int, str] = {}
    for col in sorted(set(labels) | (set(below_labels) if two_rows else set())):
        child = below_labels.get(col) if two_rows else None
        parent = labels.get(col)
        chosen = None
        for label in (child, parent):
            if label and index.get(V.norm(label)) is not None:
                chosen = label
                break
        label = chosen or child or parent
        texts[col] = label
        key = index.get(V.norm(label)) if label else None
        if key is not None and (key not in columns or V.norm(label) in V.PREFERRED.get(key, ())):
            columns[key] = col
    header = Header(row, row + 1 if two_rows else row, columns, texts)
    taken = set(columns.values())
    for col, label in texts.items():
        if col not in taken:
            header.unread[col] = label
    return header


def _is_end(view: View, row: int, columns: dict[str, int]) -> bool:
    """A note or a signature line (注：…, 填报人：…) with nothing in the table's other columns:
    the indicator rows end above it. (An indicator named 注册企业数量 has its target beside it.)"""
    first = view.first_text(row)
    if first is None or not V.starts_with_one_of(first[1], V.NOTE_STARTS):
        return False
    return all(view.at(row, col) is None for col in columns.values() if col != first[0])


def is_total(view: View, row: int, columns: dict[str, int]) -> bool:
    first = view.first_text(row)
    if first is None:
        return False
    if first[0] > min(columns.values()) + 2:
        return False
    return V.is_one_of(first[1], V.TOTAL_LABELS)


def _funds_header(view: View, top: int, stop: int) -> Header | None:
    for row in range(top, stop):
        fields, labels = _header_row(view, row, V.FUND_INDEX)
        if ("spent" in fields and ({"initial", "budget"} & set(fields))) or ({"initial", "budget"} <= set(fields)):
            return _combine(view, row, V.FUND_INDEX, fields, labels)
    return None


def find_forms(sheets: Sheets) -> list[Match]:
    """Every indicator table in the workbook, each with the blocks above it, in sheet order."""
    found: list[Match] = []
    for name in sheets.names:
        grid = sheets.grids.get(name)
        if not grid:
            continue
        view = View(grid, sheets.merged.get(name, ()))
        top = 0
        row = 0
        while row < view.height:
            if not _may_be_header(view, row, V.INDICATOR_INDEX):
                row += 1
                continue
            fields, labels = _header_row(view, row, V.INDICATOR_INDEX)
            if not _is_indicator_header(fields):
                row += 1
                continue
            header = _combine(view, row, V.INDICATOR_INDEX, fields, labels)
            end, total = _table_end(view, header)
            match = Match(name, view, top, header, end, total)
            match.funds = _funds_header(view, top, header.first)
            match.confidence = _confidence(match)
            found.append(match)
            top = row = max(end + (1 if total is not None else 0), header.last + 1)
    return found


def _table_end(view: View, header: Header) -> tuple[int, int | None]:
    blanks = 0
    for row in range(header.last + 1, view.height):
        if is_total(view, row, header.columns):
            return row, row
        if _is_end(view, row, header.columns):
            return row, None
        if _may_be_header(view, row, V.INDICATOR_INDEX) and _is_indicator_header(_header_row(view, row, V.INDICATOR_INDEX)[0]):
            return row, None
        if view.blank(row):
            blanks += 1
            if blanks >= BLANK_RUN:
                return row - blanks + 1, None
        else:
            blanks = 0
    return view.height, None


def _confidence(match: Match) -> int:
    cols = match.indicators.columns
    points = sum(1 for key in CORE if key in cols) / len(CORE) * 60
    points += 15 if match.funds is not None else 0
    points += 15 if match.total_row is not None else 0
    view = match.view
    for row in range(match.top, match.indicators.first):
        if any(V.project_field(t) == "name" or V.norm(t).startswith("项目名称") for _c, t in view.row_texts(row)):
            points += 10
            break
    return round(points)


def sureness(confidence: int) -> str:
    """高 / 中 / 低, as the batch summary shows it."""
    return "高" if confidence >= 80 else "中" if confidence >= 50 else "低"
