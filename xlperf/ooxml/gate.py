"""The one safety gate every reading command passes before a cell reader sees a part.

``check``, ``score``, ``report`` and ``batch`` all read cells through python-calamine,
which trusts what it is given: an XML declaration in an encoding it does not know, a
sheet that is not well-formed, or a single value at XFD1048576 (calamine allocates the
whole rectangle from A1 to the last cell: tens of GB, then a native abort). The gate
checks, from the bytes and without building a tree:

- the XML declaration names UTF-8 or UTF-16 (what OOXML allows, ECMA-376 Part 2 §8.1);
- the part is well-formed and has no DTD (the test ``score``'s writer applies);
- the used range is taken from the cells that hold a value, not from ``<dimension>``,
  and a rectangle past ``MAX_CELLS`` is refused with the far cell named.

Failures are WorkbookError with a Chinese message naming the sheet.
"""

from __future__ import annotations

import re

from xlperf.errors import WorkbookError
from xlperf.ooxml.xmlsafe import BadXml, UnsafeXml, check_well_formed

MAX_CELLS = 20_000_000  # rows × columns from A1 to the last value; ~0.6 GB in calamine, far above any form
_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml\s[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_ALLOWED = {"utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be"}
# The ``r`` of a cell: in a worksheet only ``<c>`` has an ``r`` made of letters and digits (a row's is digits only).
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']""")
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)[\s>]")
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst[\s>][^>]*>")
_COUNT = re.compile(rb"""\b(?:count|uniqueCount)\s*=\s*["']\s*([0-9]{1,20})""")
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c\s*>")


def declared_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration names (None without one); UTF-16 text has no ASCII declaration."""
    match = _DECLARATION.match(data[:200])
    return match[1].decode("ascii", "replace").strip() if match else None


def xml_problem(data: bytes) -> str | None:
    """Why ``data`` is not an XML part a reader may be given (Chinese), or None."""
    encoding = declared_encoding(data)
    if encoding is not None and encoding.lower() not in _ALLOWED:
        return f"的 XML 声明编码为“{encoding[:40]}”，不是 Excel 使用的 UTF-8/UTF-16，无法可靠读取；请用 Excel 或 WPS 打开后另存为 .xlsx"
    try:
        check_well_formed(data)
    except UnsafeXml:
        return "包含不安全的 XML 内容（DTD 或实体声明）"
    except BadXml as exc:
        return f"不是有效的 XML（{exc}）"
    return None


def _column(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def far_cell(data: bytes, max_cells: int = MAX_CELLS) -> tuple[str, int] | None:
    """(the farthest cell holding a value, the cells a reader would allocate) if past ``max_cells``, else None.

    First an upper bound from every ``r`` of every ``<c>`` (empty styled cells too); only
    if that is over the limit are the cells with a value (``<v>``/``<is>``) looked at one by one.
    """
    refs = _REF.findall(data)
    if not refs:
        return None
    letters, digits = zip(*refs)  # distinct values only go through Python: a sheet has few columns
    max_col = max(map(_column, set(letters)))
    max_row = max(map(int, set(digits)))
    if max_row * max_col <= max_cells:
        return None
    max_row = max_col = 0
    far = ""
    for match in _REF.finditer(data):
        end = data.find(b">", match.end())
        if end < 0 or data[end - 1:end] == b"/":
            continue  # self-closing: a styled empty cell, which calamine does not count
        close = _CELL_END.search(data, end)
        if not _VALUE.search(data, end, close.start() if close else len(data)):
            continue
        row, col = int(match[2]), _column(match[1])
        if not far or row * col > max_row * max_col:
            far = (match[1] + match[2]).decode("ascii").upper()
        max_row, max_col = max(max_row, row), max(max_col, col)
    if max_row * max_col <= max_cells:
        return None
    return far, max_row * max_col


_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb'\sr="([A-Za-z]{0,3})([0-9]{0,7})"')


def cell_structure_problem(data: bytes) -> str | None:
    """Rows out of order, a cell inside another row's element, cells out of order: where calamine would guess a cell's place.

    The rule the writer applies (``sheetscan``), in one pass over the tags.
    """
    row = 0
    col = 0
    for match in _ROW_OR_CELL.finditer(data):
        ref = _R_ATTR.search(match[2])
        if match[1] == b"row":
            number = int(ref[2]) if ref and ref[2] and not ref[1] else row + 1
            if number <= row:
                return f"第 {number} 行出现在第 {row} 行之后，行的顺序不符合规范"
            row, col = number, 0
            continue
        if ref is None or not ref[1]:
            col += 1
            continue
        letters = ref[1].upper()
        where = 0
        for ch in letters:
            where = where * 26 + ch - 64
        if ref[2] and int(ref[2]) != row:
            return f"单元格 {(ref[1] + ref[2]).decode()} 位于第 {row} 行的元素中"
        if where <= col:
            return f"第 {row} 行的单元格顺序不符合规范"
        col = where
    return None


def vet_sheet(data: bytes, path: str, sheet: str) -> None:
    """Raise WorkbookError unless worksheet XML ``data`` is safe to give a cell reader."""
    problem = xml_problem(data)
    if problem:
        raise WorkbookError(f"工作表{problem}；文件未作任何修改", path=path, where=f"工作表“{sheet}”")
    structure = cell_structure_problem(data)
    if structure:  # the rule the writer applies (sheetscan): check and score read or refuse the same files
        raise WorkbookError(f"{structure}，单元格的位置无法确定；请用 Excel 或 WPS 打开后另存为 .xlsx；文件未作任何修改", path=path, where=f"工作表“{sheet}”")
    far = far_cell(data)
    if far:
        cell, cells = far
        raise WorkbookError(
            f"单元格 {cell} 远离表格内容，读取需要 {cells:,} 个单元格（上限 {MAX_CELLS:,}），已拒绝读取；"
            f"请删除该单元格（或清除 {cell} 所在的行和列）后再试；文件未作任何修改",
            path=path,
            where=f"工作表“{sheet}”",
        )


def vet_part(data: bytes, path: str, part: str) -> None:
    """Raise WorkbookError unless a non-sheet XML part (shared strings, styles) is safe to read."""
    problem = xml_problem(data)
    if problem:
        raise WorkbookError(f"部件 {part} {problem}；文件未作任何修改", path=path)


def vet_shared_strings(data: bytes, path: str, part: str) -> None:
    """A ``count``/``uniqueCount`` no part of this size can hold: calamine reserves that many strings up front."""
    head = _SST.search(data[:4096])
    if head is None:
        return
    for value in _COUNT.findall(head[0]):
        if int(value) > len(data):
            raise WorkbookError(
                f"部件 {part} 声明了 {int(value):,} 个字符串，远多于其内容所能容纳的数量，文件已损坏；"
                "请用 Excel 或 WPS 打开后另存为 .xlsx；文件未作任何修改",
                path=path,
            )


def vet_package(package, sheets: dict[str, str] | None = None) -> None:
    """The gate for the workbook-wide parts a cell reader loads on opening, and for ``sheets`` (name → part).

    The reader vets each sheet with ``vet_sheet`` just before the cell reader reads it.
    """
    for kind, default in (("sharedStrings", "xl/sharedStrings.xml"), ("styles", "xl/styles.xml")):
        related = [p for p in package.workbook_related(kind) if package.has_part(p)]
        for name in related or ([default] if package.has_part(default) else []):
            data = package.read(name)
            vet_part(data, package.path, name)
            if kind == "sharedStrings":
                vet_shared_strings(data, package.path, name)
    for sheet, part in (sheets or {}).items():
        vet_sheet(package.read(part), package.path, sheet)
