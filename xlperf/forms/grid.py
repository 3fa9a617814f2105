"""Any spreadsheet file → value grids with merged ranges, after the content (not the name) says what it is.

.xlsx/.xlsm go through the safe package gate (``xlperf.ooxml.package``); .xls and WPS .et that
are BIFF compound files, and .ods, are checked for encryption and size, then read by
python-calamine. A WPS .et in WPS's own format is refused with the fix (另存为 .xlsx).
Every cell value passes through ``shown`` so a later number-format reading has one place to go.
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlperf.errors import WorkbookError
from xlperf.ooxml import cfb
from xlperf.ooxml.sniff import HEAD_SIZE, FileKind, sniff
from xlperf.raw import canonical

MAX_ROWS = 5_000  # rows read per sheet of a foreign form; a 自评表 has a few hundred
MAX_COLS = 60
OOXML_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SUFFIXES = (".xls", ".ods", ".et", ".ett", ".xlt")
SAVE_AS = "请在 WPS 或 Excel 中打开后“另存为” .xlsx 再试"

Merged = list[tuple[tuple[int, int], tuple[int, int]]]


@dataclass
class Sheets:
    """The grids of one file: sheet name → rows of values (from A1), merged ranges (0-based corners)."""

    path: str
    kind: str  # xlsx, xls, ods
    names: list[str]
    grids: dict[str, list[list[Any]]] = field(default_factory=dict)
    merged: dict[str, Merged] = field(default_factory=dict)
    truncated: dict[str, int] = field(default_factory=dict)


def shown(value: Any) -> Any:
    """A cell's value in the model's raw form (text stays text; a whole float is an int)."""
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    return canonical(value, dates=False)


def file_kind(path: str) -> str:
    """xlsx, xls or ods from the file's first bytes; refuses what no reader here can open."""
    def fail(message: str) -> WorkbookError:
        return WorkbookError(message, path=path)

    try:
        with open(path, "rb") as fp:
            head = fp.read(HEAD_SIZE)
            kind = sniff(head)
            if kind is FileKind.CFB:
                names = cfb.directory_names(fp)
                if {"EncryptionInfo", "EncryptedPackage"} & names:
                    raise fail("文件已加密（设置了打开密码），请取消密码后再试")
                if not {"Workbook", "Book"} & names:
                    raise fail(f"不是 Excel 97-2003 格式的表格（可能是 WPS 专有格式的 .et 文件），无法读取；{SAVE_AS}")
                return "xls"
    except FileNotFoundError:
        raise fail("文件不存在") from None
    except PermissionError:
        raise fail("无法读取文件（没有权限，或文件正被其他程序独占打开）") from None
    except IsADirectoryError:
        raise fail("不是文件（是文件夹）") from None
    if kind is FileKind.EMPTY:
        raise fail("文件为空（0 字节）")
    if kind is FileKind.ZIP:
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names or any(n.endswith("/workbook.xml") for n in names):
                    return "xlsx"
                if "content.xml" in names:
                    from xlperf.ooxml.limits import (
                        DEFAULT_LIMITS,
                        bomb_message,
                        declared_violation,
                    )

                    reason = declared_violation(archive.infolist(), DEFAULT_LIMITS)
                    if reason:
                        raise fail(bomb_message(reason))
                    return "ods"
        except zipfile.BadZipFile:
            raise fail("文件已损坏（不是完整的压缩包）") from None
        raise fail(f"不是表格文件（压缩包中没有工作簿）；{SAVE_AS}")
    raise fail(f"不是 Excel、WPS 或 OpenDocument 表格文件，无法读取；{SAVE_AS}")


def load_grids(path: str | Path, kind: str | None = None, gated: bool = False) -> Sheets:
    """Read every sheet's values (at most ``MAX_ROWS`` rows each) and merged ranges.

    ``gated``: the file already passed the safe package gate (the xlperf reader opened it)."""
    from python_calamine import CalamineWorkbook

    display = os.fspath(path)
    kind = kind or file_kind(display)
    if kind == "xlsx" and not gated:
        from xlperf.ooxml.package import open_package

        with open_package(display):  # the gate: zip bombs, encryption, broken packages
            pass
    try:
        with open(display, "rb") as fp:
            book = CalamineWorkbook.from_filelike(fp)
    except WorkbookError:
        raise
    except BaseException as exc:  # calamine raises its own types (and PanicException)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise WorkbookError(f"文件已损坏，无法读取单元格：{exc}", path=display) from None
    sheets = Sheets(display, kind, list(book.sheet_names))
    try:
        for name in sheets.names:
            try:
                data = book.get_sheet_by_name(name)
                rows = data.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
                merged = list(data.merged_cell_ranges or ())
            except BaseException as exc:
                if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                    raise
                continue  # a chart sheet or a sheet calamine cannot read: nothing to recognise there
            if len(rows) > MAX_ROWS:
                rows = rows[:MAX_ROWS]
                sheets.truncated[name] = MAX_ROWS
            sheets.grids[name] = [list(row[:MAX_COLS]) for row in rows]
            sheets.merged[name] = merged
    finally:
        book.close()
    return sheets
