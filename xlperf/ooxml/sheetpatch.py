"""Writing cell values into worksheet XML by splicing: only the edited ``<c>`` elements change.

New cells and rows go where the schema wants them (rows by number, cells by column);
``<dimension>`` grows to cover new cells.  The dependents of an overwritten shared
formula master are the only other cells that change (see ``sharedformula``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from xlperf.ooxml.cells import parse_range, ref
from xlperf.ooxml.cellvalue import CellValue, CellValueError, Formula, cell_content
from xlperf.ooxml.sharedformula import SharedMaster, master_of, unshare_dependents
from xlperf.ooxml.sheetscan import Cell, Row, SheetScan, SheetScanError, attr_list, attr_value, set_attr
from xlperf.ooxml.xmlsafe import BadXml, UnsafeXml, check_well_formed

# Cell attributes tied to the old value: the type, and metadata of dynamic arrays / rich values.
_VALUE_ATTRS = (b"t", b"cm", b"vm")

Position = tuple[int, int]  # (row, col), 1-based


@dataclass(frozen=True)
class SheetPatch:
    """The patched XML, and whether some formula was replaced by a plain value."""

    data: bytes
    removed_formula: bool


def _attrs_text(attrs: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(b" " + name + b"=" + value for name, value in attrs)


class _SheetEditor:
    def __init__(self, data: bytes, edits: Mapping[Position, CellValue]):
        self.scan = SheetScan(data)
        self.edits = edits
        self.prefix = self.scan.prefix
        self.splices: list[tuple[int, int, bytes]] = []
        self.masters: list[SharedMaster] = []
        self.written: list[Position] = []
        self.removed_formula = False
        self._column_styles: list[tuple[int, int, bytes]] | None = None

    # -- rendering ------------------------------------------------------------------------

    def _element(self, attrs: list[tuple[bytes, bytes]], value: CellValue, extra: bytes, where: Position) -> bytes:
        try:
            kind, children = cell_content(value, self.prefix.decode())
        except CellValueError as exc:
            raise SheetScanError(f"{ref(*where)}：{exc}") from None
        if kind:
            attrs = attrs + [(b"t", b'"' + kind.encode() + b'"')]
        body = children.encode("utf-8") + extra
        tag = b"<" + self.prefix + b"c" + _attrs_text(attrs)
        if not body:
            return tag + b"/>"
        return tag + b">" + body + b"</" + self.prefix + b"c>"

    def _rewrite(self, cell: Cell, value: CellValue) -> bytes:
        kept = [(name, v) for name, v in cell.attrs if name not in _VALUE_ATTRS]
        return self._element(kept, value, self.scan.ext_list(cell.inner), (cell.row, cell.col))

    def _new_cell(self, r: int, col: int, value: CellValue, row: Row | None) -> bytes:
        attrs = [(b"r", b'"' + ref(r, col).encode() + b'"')]
        style = self._default_style(row, col)
        if style:
            attrs.append((b"s", b'"' + style + b'"'))
        return self._element(attrs, value, b"", (r, col))

    def _default_style(self, row: Row | None, col: int) -> bytes | None:
        """The style Excel gives a new cell: the row's if it is formatted, else the column's."""
        if row is not None:
            attrs = attr_list(row.attrs_raw)
            style = attr_value(attrs, b"s")
            if style and style != "0" and attr_value(attrs, b"customFormat") in ("1", "true"):
                return style.encode()
        if self._column_styles is None:
            self._column_styles = self.scan.column_styles()
        for low, high, style in self._column_styles:
            if low <= col <= high:
                return style
        return None

    # -- planning -------------------------------------------------------------------------

    def plan(self) -> None:
        self._refuse_array_targets()
        by_row: dict[int, dict[int, CellValue]] = defaultdict(dict)
        for (r, c), value in self.edits.items():
            by_row[r][c] = value
        new_rows: dict[int, list[bytes]] = defaultdict(list)  # insertion index → rows
        for r in sorted(by_row):
            index, row = self.scan.find_row(r)
            columns = sorted(by_row[r].items())
            if row is None:
                cells = [self._new_cell(r, c, v, None) for c, v in columns if v is not None]
                if cells:
                    new_rows[index].append(self._row_element(r, cells))
                    self.written.extend((r, c) for c, v in columns if v is not None)
                continue
            self._plan_row(row, columns)
        self._plan_new_rows(new_rows)
        targets = set(self.edits)
        for master in self.masters:
            self.splices.extend(unshare_dependents(self.scan, master, targets))
        self._plan_dimension()

    def _row_element(self, r: int, cells: list[bytes]) -> bytes:
        p = self.prefix
        return b"<" + p + b'row r="' + str(r).encode() + b'">' + b"".join(cells) + b"</" + p + b"row>"

    def _plan_row(self, row: Row, columns: list[tuple[int, CellValue]]) -> None:
        cells = self.scan.cells(row)
        existing = {cell.col: cell for cell in cells}
        inserts: dict[int, list[bytes]] = defaultdict(list)  # position → new cells
        for col, value in columns:
            cell = existing.get(col)
            if value is not None:
                self.written.append((row.r, col))
            if cell is None:
                if value is not None:
                    following = next((c for c in cells if c.col > col), None)
                    position = following.start if following else (cells[-1].end if cells else row.tag_end)
                    inserts[position].append(self._new_cell(row.r, col, value, row))
                continue
            formula = self.scan.formula_tag(cell.inner)
            if formula is not None:
                if not isinstance(value, Formula):
                    self.removed_formula = True
                master = master_of(self.scan, row.r, col, cell.inner)
                if master is not None:
                    self.masters.append(master)
            self.splices.append((cell.start, cell.end, self._rewrite(cell, value)))
        if not inserts:
            return
        if row.empty:
            p = self.prefix
            opening = b"<" + p + b"row" + row.attrs_raw[:-1].rstrip() + b">"
            body = b"".join(b"".join(items) for _, items in sorted(inserts.items()))
            self.splices.append((row.start, row.tag_end, opening + body + b"</" + p + b"row>"))
            return
        for position, items in inserts.items():
            self.splices.append((position, position, b"".join(items)))

    def _plan_new_rows(self, new_rows: dict[int, list[bytes]]) -> None:
        if not new_rows:
            return
        scan, p = self.scan, self.prefix
        if scan.sheet_data_empty:
            raw = scan.data[scan.sheet_data_start:scan.sheet_data_tag_end]
            opening = raw[:-2].rstrip() + b">"
            body = b"".join(b"".join(rows) for _, rows in sorted(new_rows.items()))
            self.splices.append(
                (scan.sheet_data_start, scan.sheet_data_tag_end, opening + body + b"</" + p + b"sheetData>")
            )
            return
        for index, rows in new_rows.items():
            position = scan.rows[index].start if index < len(scan.rows) else scan.body_end
            self.splices.append((position, position, b"".join(rows)))

    def _refuse_array_targets(self) -> None:
        """Writing into part of an array formula's range would break it or be overwritten."""
        scan = self.scan
        body = scan.data[scan.sheet_data_tag_end:scan.body_end]
        if b"array" not in body and b"dataTable" not in body:
            return
        for match in scan.pattern["f"].finditer(body):
            attrs = attr_list(match["attrs"].rstrip(b"/"))
            span = attr_value(attrs, b"ref")
            if attr_value(attrs, b"t") not in ("array", "dataTable") or not span:
                continue
            try:
                (r1, c1), (r2, c2) = parse_range(span)
            except ValueError:
                continue
            if (r1, c1) == (r2, c2):
                continue
            for r, c in self.edits:
                if r1 <= r <= r2 and c1 <= c <= c2:
                    raise SheetScanError(
                        f"{ref(r, c)} 位于数组公式 {span} 的范围内，不能单独写入；"
                        "请先在 Excel 中删除该数组公式，或改用其他单元格"
                    )

    def _plan_dimension(self) -> None:
        match = self.scan.dimension()
        if match is None or not self.written:
            return
        current = attr_value(attr_list(match[1]), b"ref") or ""
        rows = [r for r, _ in self.written]
        cols = [c for _, c in self.written]
        low, high = (min(rows), min(cols)), (max(rows), max(cols))
        if self.scan.has_rows or current.upper() not in ("", "A1"):
            try:
                (r1, c1), (r2, c2) = parse_range(current)
            except ValueError:
                return
            low, high = (min(low[0], r1), min(low[1], c1)), (max(high[0], r2), max(high[1], c2))
        wanted = ref(*low) if low == high else f"{ref(*low)}:{ref(*high)}"
        if wanted != current:
            self.splices.append((match.start(), match.end(), set_attr(match[0], b"ref", wanted)))

    # -- applying -------------------------------------------------------------------------

    def apply(self) -> bytes:
        data = self.scan.data
        pieces: list[bytes] = []
        cursor = 0
        for start, end, text in sorted(self.splices, key=lambda s: (s[0], s[1])):
            if start < cursor:
                raise SheetScanError("内部错误：单元格修改的位置重叠")
            pieces.append(data[cursor:start])
            pieces.append(text)
            cursor = end
        pieces.append(data[cursor:])
        return b"".join(pieces)


def patch_sheet(data: bytes, edits: Mapping[Position, CellValue]) -> SheetPatch:
    """Apply ``edits`` ((row, col) → value) to worksheet XML ``data``.

    Raises SheetScanError (Chinese message) when the sheet cannot be patched safely.
    """
    editor = _SheetEditor(data, edits)
    editor.plan()
    result = editor.apply()
    if result != data:
        try:
            check_well_formed(result)
        except (BadXml, UnsafeXml) as exc:
            raise SheetScanError(f"内部错误：修改后的工作表 XML 无效（{exc}）") from None
    return SheetPatch(result, editor.removed_formula)


def grow_rows(data: bytes, heights: Mapping[int, float]) -> bytes:
    """Worksheet XML with rows made at least as tall as ``heights`` (1-based row → points).

    Only the ``<row>`` start tags change (``ht`` and ``customHeight``); a row already as tall
    stays as it is, a row that does not exist is left alone (it holds nothing to show).
    """
    if not heights:
        return data
    scan = SheetScan(data)
    splices: list[tuple[int, int, bytes]] = []
    for r in sorted(heights):
        _index, row = scan.find_row(r)
        if row is None:
            continue
        tag = data[row.start:row.tag_end]
        attrs = attr_list(row.attrs_raw.rstrip(b"/"))
        try:
            current = float(attr_value(attrs, b"ht") or 0)
        except ValueError:
            current = 0.0
        wanted = round(heights[r] * 4) / 4  # Excel keeps row heights in quarter points
        if wanted <= max(current, 15.0):
            continue
        tag = set_attr(set_attr(tag, b"ht", f"{wanted:g}"), b"customHeight", "1")
        splices.append((row.start, row.tag_end, tag))
    if not splices:
        return data
    pieces, cursor = [], 0
    for start, end, text in splices:
        pieces += [data[cursor:start], text]
        cursor = end
    pieces.append(data[cursor:])
    result = b"".join(pieces)
    try:
        check_well_formed(result)
    except (BadXml, UnsafeXml) as exc:
        raise SheetScanError(f"内部错误：修改行高后的工作表 XML 无效（{exc}）") from None
    return result
