"""Number formats: which cells show their number as a percentage (or a date).

A 指标值 pasted from a system export is often the number 0.9 formatted ``0%``: the cell shows
90%, and that is what it means. Calamine gives the bare 0.9 (it applies date formats, not
percent ones), so the reader asks this module which cells carry a percent format
(``styles.xml`` ``cellXfs`` → ``numFmtId`` → built-in 9/10 or a custom code with ``%``) and
reads those numbers as the text they show (``percent_text``).

``shown_value`` is the one rule both adapters apply to a cell and its format code: the file
reader with the codes from ``styles.xml``, the Excel button with the codes Excel reports
(``xlperf.excel.formats``), so the button and the command line read the same value.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from xlperf.ooxml.cells import parse_ref
from xlperf.ooxml.xmlsafe import items, local_name

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escapes and [colour]/[condition] parts


def is_percent_code(code: str) -> bool:
    """True if a format code shows its number ×100 with %: a % outside quotes, escapes and brackets."""
    return "%" in _QUOTED.sub("", code.split(";", 1)[0])


#: Built-in date/time formats (ECMA-376 18.8.30, and the East Asian ids Excel writes for zh-CN).
BUILTIN_DATE = frozenset((*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)))
BUILTIN_CODES = {9: "0%", 10: "0.00%", 14: "yyyy/m/d"}
EXCEL_DAY_ZERO = _dt.date(1899, 12, 30)
_DATE_LETTERS = re.compile(r"[ymdhs]", re.IGNORECASE)
_MAX_SERIAL = 2958466  # 9999-12-31


def is_date_code(code: str) -> bool:
    """True if a format code shows its number as a date or time (y, m, d, h, s outside quotes and brackets)."""
    section = _QUOTED.sub("", code.split(";", 1)[0])
    return section.lower() != "general" and bool(_DATE_LETTERS.search(section))


def serial_date(value: float) -> Any:
    """An Excel date serial as calamine gives it: a ``date`` at midnight, a ``datetime`` else, a ``time`` below 1."""
    whole = int(value)
    moment = _dt.datetime.combine(EXCEL_DAY_ZERO, _dt.time(0)) + _dt.timedelta(days=value)
    moment = moment.replace(microsecond=0) if moment.microsecond < 500 or moment.microsecond > 999_500 else moment
    if whole == 0:
        return moment.time()
    return moment.date() if moment.time() == _dt.time(0) else moment


def shown_value(value: Any, code: str | None) -> Any:
    """A cell's number as its format shows it: 0.9 under ``0%`` → '90%', 45199 under ``yyyy-m-d`` → a date.

    Anything else (text, dates already read as dates, a number under a plain format,
    an unknown format) is returned as it is.
    """
    if not code or value.__class__ not in (float, int, Decimal):
        return value
    if is_percent_code(code):
        return percent_text(value)
    if is_date_code(code) and 0 <= value < _MAX_SERIAL:
        return serial_date(float(value))
    return value


def format_codes(styles_xml: bytes) -> list[str]:
    """The number format code of each entry of ``cellXfs`` (a cell's ``s``); "" for General and unknown built-ins."""
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
    return [codes.get(fmt) or BUILTIN_CODES.get(fmt) or ("yyyy/m/d" if fmt in BUILTIN_DATE else "") for fmt in xfs]


@lru_cache(maxsize=16)
def shown_styles(styles_xml: bytes) -> dict[int, str]:
    """The ``cellXfs`` indexes whose format changes what a number means (percent or date) → their code."""
    return {i: code for i, code in enumerate(format_codes(styles_xml)) if code and (is_percent_code(code) or is_date_code(code))}


def percent_styles(styles_xml: bytes) -> frozenset[int]:
    """Indexes into ``cellXfs`` (a cell's ``s``) whose number format is a percentage."""
    return frozenset(i for i, code in shown_styles(styles_xml).items() if is_percent_code(code))


_CELL_START = re.compile(rb"<(?:\w+:)?c\s([^>]*?)/?>")
_R = re.compile(rb'\br="([A-Za-z]{1,3}[0-9]{1,7})"')
_S = re.compile(rb'\bs="([0-9]+)"')


def styled_cells(sheet_xml: bytes, styles: frozenset[int], *, with_style: bool = False) -> set:
    """Cells (0-based row, col) of a worksheet part whose style is one of ``styles`` (with the style: (row, col, s))."""
    found: set = set()
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
        found.add((row - 1, col - 1, int(s[1])) if with_style else (row - 1, col - 1))
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
