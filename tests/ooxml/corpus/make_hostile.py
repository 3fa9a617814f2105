"""Regenerate the hostile workbooks of issue 17 in this folder (run by hand: python make_hostile.py).

Each is a two-cell XlsxWriter workbook with one part changed, so that the change is the
only thing wrong with it. The files are committed so the tests do not depend on this script.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def base() -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("表1")
    ws.write("A1", "文本")
    ws.write("B2", 12.5)
    wb.close()
    return buffer.getvalue()


def changed(part: str, edit) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base())) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, edit(data) if info.filename == part else data)
    return out.getvalue()


def far(cell: bytes):
    return lambda d: d.replace(b"</sheetData>", b'<row r="1048576">' + cell + b"</row></sheetData>")


CASES = {
    # one value at the last cell of the grid: calamine allocated A1:XFD1048576 and aborted
    "far-cell-XFD1048576.xlsx": (SHEET, far(b'<c r="XFD1048576"><v>1</v></c>')),
    "far-inline-string.xlsx": (SHEET, far(b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>')),
    # XML declarations calamine ignores and expat refuses
    "encoding-GBK.xlsx": (SHEET, lambda d: d.replace(b'encoding="UTF-8"', b'encoding="GBK"')),
    "encoding-GB2312-strings.xlsx": (STRINGS, lambda d: d.replace(b'encoding="UTF-8"', b'encoding="GB2312"')),
    "encoding-UTF-9.xlsx": (SHEET, lambda d: d.replace(b'encoding="UTF-8"', b'encoding="UTF-9"')),
    # found by benchmarks/bench_fuzz.py: an encoding name Python does not know raised LookupError
    "rels-encoding-UTFm8.xlsx": ("_rels/.rels", lambda d: d.replace(b'encoding="UTF-8"', b'encoding="UTFm8"')),
    # sheet XML check accepted and score refused
    "sheet-nul-byte.xlsx": (SHEET, lambda d: d.replace(b"<sheetData>", b"<sheetData>\x00", 1)),
    "sheet-unclosed-row.xlsx": (SHEET, lambda d: d.replace(b"</row>", b"", 1)),
    "sheet-doctype.xlsx": (SHEET, lambda d: d.replace(b"<worksheet", b"<!DOCTYPE worksheet><worksheet", 1)),
    # a shared-strings count calamine reserves up front
    "strings-count-4e9.xlsx": (STRINGS, lambda d: re.sub(rb'(count|uniqueCount)="\d+"', rb'\1="4000000000"', d)),
}


def main() -> None:
    for name, (part, edit) in CASES.items():
        (HERE / name).write_bytes(changed(part, edit))


if __name__ == "__main__":
    main()
