"""Locating rows and cells in worksheet XML by scanning its bytes (no tree is built).

The sheet is first checked to be well-formed XML; then ``<`` never occurs unescaped in
text or attribute values, so a tag-level scan finds every ``<row>``/``<c>`` exactly.
Comments, CDATA sections and processing instructions are matched whole and skipped.
Rows and cells without an ``r`` attribute get the position the schema implies (one
after the previous), so no tree-based fallback is needed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from xlperf.ooxml.cells import parse_ref
from xlperf.ooxml.xmlsafe import BadXml, UnsafeXml, check_well_formed

# Possessive: a tag without its ">" fails at once instead of backtracking.
_ATTRS = rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_SKIP = rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
_ATTR = re.compile(rb"""([^\s=/]+)\s*=\s*("[^"]*"|'[^']*')""")
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["']([0-9]+)["']""")
_CELL_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")
_SKIPPABLE = (b"<!--", b"<![CDATA[", b"<?")
FORMULA_TAG = re.compile(rb"<(?:x:)?f[\s/>]")  # a cell formula, with the usual prefixes
_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData(?=[\s/>])(" + _ATTRS + rb")>")


class SheetScanError(Exception):
    """The worksheet XML is not laid out the way the schema requires; str() is Chinese."""


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> dict[str, re.Pattern[bytes]]:
    p = re.escape(prefix)
    return {
        "row": re.compile(rb"(?P<skip>" + _SKIP + rb")|<" + p + rb"row(?=[\s/>])(?P<attrs>" + _ATTRS + rb")>", re.S),
        # Without comments, CDATA or PIs a literal-prefix pattern lets the engine jump between rows.
        "plain row": re.compile(rb"<" + p + rb"row(?=[\s/>])(?P<attrs>" + _ATTRS + rb")>"),
        # One leading "<", then branches that differ in their first character: fast to reject.
        "cell": re.compile(
            rb"<(?:" + p + rb"c(?=[\s/>])(?P<open>" + _ATTRS + rb")>|/(?:" + p + rb"c\s*>(?P<close>)|" + p
            + rb"row\s*>(?P<rowend>))|(?P<skip>!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>))",
            re.S,
        ),
        "end": re.compile(rb"</" + p + rb"sheetData\s*>"),
        "dimension": re.compile(rb"<" + p + rb"dimension(?=[\s/>])(" + _ATTRS + rb")>"),
        "col": re.compile(rb"<" + p + rb"col(?=[\s/>])(" + _ATTRS + rb")>"),
        "cols": re.compile(rb"<" + p + rb"cols(?=[\s/>]).*?</" + p + rb"cols\s*>", re.S),
        "f": re.compile(rb"<" + p + rb"f(?=[\s/>])(?P<attrs>" + _ATTRS + rb")>(?:(?P<text>[^<]*)</" + p + rb"f\s*>)?"),
        "extlst": re.compile(rb"<" + p + rb"extLst(?=[\s/>]).*</" + p + rb"extLst\s*>", re.S),
    }


@lru_cache(maxsize=4096)
def _parse_cell_ref(text: bytes) -> tuple[int, int]:
    try:
        return parse_ref(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise SheetScanError(f"单元格引用 {text.decode('utf-8', 'replace')!r} 无效") from None


def contains_formula(data: bytes) -> bool:
    """Cheap test for a cell formula anywhere in worksheet XML: ``FORMULA_TAG.search(data)``, faster.

    Every match is an ``f`` followed by a space, ``/`` or ``>``, right after ``<`` or
    ``<x:``. The regex engine finds that rare ``f`` quickly (it skips along the literal),
    where ``FORMULA_TAG`` itself stops at each of the sheet's thousands of ``<``.
    """
    search = _F_THEN_END.search
    found = search(data)
    while found is not None:
        at = found.start()
        if data[at - 1 : at] == b"<" or data[at - 3 : at] == b"<x:":
            return True
        found = search(data, at + 1)
    return False


_F_THEN_END = re.compile(rb"f[\s/>]")


def attr_list(raw: bytes) -> list[tuple[bytes, bytes]]:
    """Attributes of a start tag as (name, quoted value) pairs, in document order."""
    return _ATTR.findall(raw)


def attr_value(attrs: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in attrs:
        if key == name:
            return value[1:-1].decode("utf-8")
    return None


def set_attr(tag: bytes, name: bytes, value: str) -> bytes:
    """Return start tag ``tag`` with attribute ``name`` set to ``value`` (no escaping needed)."""
    pattern = re.compile(rb"(\s" + re.escape(name) + rb"""\s*=\s*)("[^"]*"|'[^']*')""")
    quoted = b'"' + value.encode() + b'"'
    if pattern.search(tag):
        return pattern.sub(lambda m: m[1] + quoted, tag, count=1)
    cut = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:cut].rstrip() + b" " + name + b"=" + quoted + tag[cut:]


@dataclass
class Cell:
    """One ``<c>`` element: its span in the sheet bytes and what is inside."""

    row: int
    col: int
    start: int
    end: int
    attrs_raw: bytes
    inner_start: int  # offset of ``inner`` in the sheet bytes
    inner: bytes  # between the start and end tag; b"" when self-closing

    @property
    def attrs(self) -> list[tuple[bytes, bytes]]:
        return attr_list(self.attrs_raw)


@dataclass
class Row:
    """One ``<row>`` element; ``cells`` and the end position are filled in on demand."""

    r: int
    start: int
    tag_end: int
    attrs_raw: bytes
    empty: bool  # self-closing <row .../>
    end: int = -1
    cells: list[Cell] | None = field(default=None, repr=False)


class SheetScan:
    """Row and cell positions in one worksheet's XML."""

    def __init__(self, data: bytes):
        try:
            check_well_formed(data)
        except UnsafeXml:
            raise SheetScanError("工作表包含不安全的 XML 内容（实体扩展）") from None
        except BadXml as exc:
            raise SheetScanError(f"工作表不是有效的 XML（{exc}）") from None
        self.data = data
        match = _SHEET_DATA.search(data)
        if match is None:
            raise SheetScanError("工作表缺少 sheetData 元素")
        self.prefix = (match[1] + b":") if match[1] else b""
        self.pattern = _patterns(self.prefix)
        self.sheet_data_start = match.start()
        self.sheet_data_tag_end = match.end()
        self.sheet_data_empty = match[2].endswith(b"/")
        if self.sheet_data_empty:
            self.body_end = match.end()
        else:
            end = self.pattern["end"].search(data, match.end())
            if end is None:
                raise SheetScanError("工作表的 sheetData 元素没有结束标记")
            self.body_end = end.start()
        body = data[self.sheet_data_tag_end:self.body_end]
        kind = "row" if any(marker in body for marker in _SKIPPABLE) else "plain row"
        self._row_matches = self.pattern[kind].finditer(data, self.sheet_data_tag_end, self.body_end)
        self._all_scanned = False
        self.rows: list[Row] = []  # scanned so far, in order; see scan_through()
        self._row_numbers: list[int] = []

    def scan_through(self, r: int) -> None:
        """Scan rows until one numbered above ``r`` (or the end of sheetData) is seen.

        Rows are found lazily because edits usually touch the top of a sheet.
        """
        rows, numbers = self.rows, self._row_numbers
        while not self._all_scanned and (not numbers or numbers[-1] <= r):
            match = next(self._row_matches, None)
            if match is None:
                self._all_scanned = True
                break
            raw = match["attrs"]
            if raw is None:  # a comment, CDATA section or PI
                continue
            previous = numbers[-1] if numbers else 0
            number = _ROW_NUMBER.search(raw)
            row_number = int(number[1]) if number else previous + 1
            if row_number <= previous:
                raise SheetScanError(f"第 {row_number} 行出现在第 {previous} 行之后，行的顺序不符合规范")
            empty = raw.endswith(b"/")
            rows.append(Row(row_number, match.start(), match.end(), raw, empty, end=match.end() if empty else -1))
            numbers.append(row_number)

    @property
    def has_rows(self) -> bool:
        self.scan_through(0)
        return bool(self.rows)

    def find_row(self, r: int) -> tuple[int, Row | None]:
        """(index where row ``r`` is or would be inserted, the row or None)."""
        self.scan_through(r)
        index = bisect_left(self._row_numbers, r)
        if index < len(self.rows) and self.rows[index].r == r:
            return index, self.rows[index]
        return index, None

    def rows_between(self, first: int, last: int) -> list[Row]:
        """The existing rows numbered ``first`` … ``last``."""
        self.scan_through(last)
        numbers = self._row_numbers
        return self.rows[bisect_left(numbers, first):bisect_right(numbers, last)]

    def cells(self, row: Row) -> list[Cell]:
        """The cells of ``row``, scanned once."""
        if row.cells is not None:
            return row.cells
        cells: list[Cell] = []
        if row.empty:
            row.cells = cells
            return cells
        previous = 0
        pending: tuple[int, int, int, bytes] | None = None
        for match in self.pattern["cell"].finditer(self.data, row.tag_end, self.body_end):
            raw = match["open"]
            if raw is not None:
                where = _CELL_REF.search(raw)
                if where:
                    cell_row, col = _parse_cell_ref(where[1])
                    if cell_row != row.r:
                        raise SheetScanError(f"单元格 {where[1].decode()} 位于第 {row.r} 行的元素中")
                else:
                    col = previous + 1
                if col <= previous:
                    raise SheetScanError(f"第 {row.r} 行的单元格顺序不符合规范")
                previous = col
                if raw.endswith(b"/"):
                    cells.append(Cell(row.r, col, match.start(), match.end(), raw[:-1], match.end(), b""))
                else:
                    pending = (col, match.start(), match.end(), raw)
            elif match["close"] is not None:
                if pending is None:
                    raise SheetScanError(f"第 {row.r} 行有多余的单元格结束标记")
                col, start, tag_end, raw = pending
                cells.append(Cell(row.r, col, start, match.end(), raw, tag_end, self.data[tag_end:match.start()]))
                pending = None
            elif match["skip"] is not None:
                continue
            else:  # </row>
                if pending is not None:
                    raise SheetScanError(f"第 {row.r} 行的单元格没有结束标记")
                row.end = match.end()
                break
        if row.end < 0:
            raise SheetScanError(f"第 {row.r} 行没有结束标记")
        row.cells = cells
        return cells

    def formula_tag(self, inner: bytes) -> re.Match[bytes] | None:
        """The ``<f>`` element inside a cell's content, if any."""
        return self.pattern["f"].search(inner)

    def ext_list(self, inner: bytes) -> bytes:
        match = self.pattern["extlst"].search(inner)
        return match[0] if match else b""

    def dimension(self) -> re.Match[bytes] | None:
        """The ``<dimension>`` start tag (it precedes sheetData)."""
        return self.pattern["dimension"].search(self.data, 0, self.sheet_data_start)

    def column_styles(self) -> list[tuple[int, int, bytes]]:
        """(min, max, style) of each ``<col>`` that sets a style."""
        block = self.pattern["cols"].search(self.data, 0, self.sheet_data_start)
        styles: list[tuple[int, int, bytes]] = []
        if block is None:
            return styles
        for match in self.pattern["col"].finditer(block[0]):
            attrs = attr_list(match[1])
            low, high, style = (attr_value(attrs, key) for key in (b"min", b"max", b"style"))
            if low and high and style and low.isdigit() and high.isdigit() and style != "0":
                styles.append((int(low), int(high), style.encode()))
        return styles
