"""Number formats: which cells show their number as a percentage.

A 指标值 pasted from a system export is often the number 0.9 formatted ``0%``: the cell shows
90%, and that is what it means. Calamine gives the bare 0.9 (it applies date formats, not
percent ones), so the reader asks this module which cells carry a percent format
(``styles.xml`` ``cellXfs`` → ``numFmtId`` → built-in 9/10 or a custom code with ``%``) and
reads those numbers as the text they show (``percent_text``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from xlperf.ooxml.cells import parse_ref
from xlperf.ooxml.xmlsafe import items, local_name

BUILTIN_PERCENT = frozenset((9, 10))  # 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escapes and [colour]/[condition] parts


def is_percent_code(code: str) -> bool:
    """True if a format code shows its number ×100 with %: a % outside quotes, escapes and brackets."""
    return "%" in _QUOTED.sub("", code.split(";", 1)[0])


@lru_cache(maxsize=16)  # one styles part per template: a batch parses it once
def percent_styles(styles_xml: bytes) -> frozenset[int]:
    """Indexes into ``cellXfs`` (a cell's ``s``) whose number format is a percentage."""
    codes: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    for item in items(styles_xml, names=("numFmt", "cellXfs", "xf", "cellStyleXfs")):
        attrib = {local_name(k): v for k, v in item.attrib.items()}
        if item.name == "numFmt":
            try:
                codes[int(attrib.get("numFmtId", ""))] = attrib.get("formatCode", "")
            except ValueError:
                continue
        elif item.name in ("cellXfs", "cellStyleXfs"):
            in_cell_xfs = item.name == "cellXfs"
        elif item.name == "xf" and in_cell_xfs:
            try:
                xfs.append(int(attrib.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)
    return frozenset(
        i for i, fmt in enumerate(xfs) if fmt in BUILTIN_PERCENT or (fmt in codes and is_percent_code(codes[fmt]))
    )


_CELL_START = re.compile(rb"<(?:\w+:)?c\s([^>]*?)/?>")
_R = re.compile(rb'\br="([A-Za-z]{1,3}[0-9]{1,7})"')
_S = re.compile(rb'\bs="([0-9]+)"')


def styled_cells(sheet_xml: bytes, styles: frozenset[int]) -> set[tuple[int, int]]:
    """Cells (0-based row, col) of a worksheet part whose style is one of ``styles``."""
    found: set[tuple[int, int]] = set()
    if not styles or b' s="' not in sheet_xml:
        return found
    for match in _styled_start(styles).finditer(sheet_xml):  # only the cells with one of the styles
        attrs = match[1]
        s = _S.search(attrs)
        if s is None or int(s[1]) not in styles:
            continue
        r = _R.search(attrs)
        if r is None:
            continue
        try:
            row, col = parse_ref(r[1].decode("ascii"))
        except ValueError:
            continue
        found.add((row - 1, col - 1))
    return found


@lru_cache(maxsize=16)
def _styled_start(styles: frozenset[int]) -> re.Pattern[bytes]:
    """A cell start tag whose s attribute is one of ``styles`` (the scan stays in the regex engine)."""
    alternatives = b"|".join(str(i).encode() for i in sorted(styles))
    return re.compile(rb'<(?:\w+:)?c\s([^>]*?\bs="(?:' + alternatives + rb')"[^>]*?)/?>')


def percent_text(value: float | int | Decimal) -> str:
    """0.9 → '90%', 0.9567 → '95.67%': the stored number as a percentage, exactly (no display rounding)."""
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = format(d.scaleb(2), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{'0' if text in ('-0', '') else text}%"
