"""Keeping a shared formula's dependents working when its master cell is overwritten.

In ``<f t="shared" ref="D2:D9" si="0">A2*2</f>`` only the master holds the formula
text; the other cells say ``<f t="shared" si="0"/>``.  Overwriting the master would
leave them without a formula, so each dependent gets its own ordinary formula,
translated to its position (``A3*2``, ``A4*2`` …).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from xlperf.ooxml.cells import parse_range, ref
from xlperf.ooxml.cellvalue import escape
from xlperf.ooxml.sheetscan import SheetScan, SheetScanError, attr_list, attr_value


@dataclass(frozen=True)
class SharedMaster:
    """The master cell of a shared formula group that an edit overwrites."""

    si: str
    ref: str
    text: bytes  # escaped formula text as stored in the XML
    row: int
    col: int


def master_of(scan: SheetScan, row: int, col: int, inner: bytes) -> SharedMaster | None:
    """The SharedMaster if this cell's ``<f>`` is the master of a shared group."""
    match = scan.formula_tag(inner)
    if match is None:
        return None
    attrs = attr_list(match["attrs"].rstrip(b"/"))
    group, span = attr_value(attrs, b"si"), attr_value(attrs, b"ref")
    if attr_value(attrs, b"t") != "shared" or group is None or span is None:
        return None
    return SharedMaster(group, span, match["text"] or b"", row, col)


def unshare_dependents(
    scan: SheetScan, master: SharedMaster, targets: set[tuple[int, int]]
) -> list[tuple[int, int, bytes]]:
    """Splices turning each dependent (not itself edited) into a plain formula."""
    from openpyxl.formula.translate import Translator  # only needed in this rare case

    try:
        (r1, c1), (r2, c2) = parse_range(master.ref)
    except ValueError:
        raise SheetScanError(f"共享公式的范围 {master.ref!r} 无效") from None
    origin = ref(master.row, master.col)
    translator = Translator("=" + html.unescape(master.text.decode("utf-8")), origin=origin)
    prefix = scan.prefix
    splices: list[tuple[int, int, bytes]] = []
    for row in scan.rows_between(r1, r2):
        for cell in scan.cells(row):
            if not c1 <= cell.col <= c2 or (cell.row, cell.col) in targets:
                continue
            match = scan.formula_tag(cell.inner)
            if match is None:
                continue
            attrs = attr_list(match["attrs"].rstrip(b"/"))
            if attr_value(attrs, b"t") != "shared" or attr_value(attrs, b"si") != master.si:
                continue
            try:
                text = translator.translate_formula(ref(cell.row, cell.col))[1:]
            except Exception as exc:  # the translator's tokenizer raises assorted types
                raise SheetScanError(
                    f"单元格 {origin} 是共享公式的主单元格，改写它时无法为 {ref(cell.row, cell.col)} 重建公式（{exc}）"
                ) from None
            kept = b"".join(b" " + name + b"=" + value for name, value in attrs if name not in (b"t", b"si", b"ref"))
            element = b"<" + prefix + b"f" + kept + b">" + escape(text).encode() + b"</" + prefix + b"f>"
            start = cell.inner_start + match.start()
            splices.append((start, cell.inner_start + match.end(), element))
    return splices
