"""How each sheet of an xlperf workbook prints: derived from the layout, applied by the builder.

A printout is what a unit submits, so every sheet gets A4, its orientation (the layout's, or
landscape when the printed columns are too wide for a portrait page), all printed columns on one
page width, margins, page numbers, the table header repeated on every page, and a print area
that ends with the form (not with the helper columns or the 校验结果 rows below). Cell colours
(light yellow for input, grey for computed) stay on screen only: the sheet prints in black and
white.

Headers and labels break where a reader expects: a text too wide for its cell breaks before a
bracket (``全年预算数`` / ``（总投入）``) and after 、，；, never leaving ``）`` alone on a line.
"""

from __future__ import annotations

import math
import re
import unicodedata

from xlperf.layout import Sheet, Span

A4 = 9
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}  # inches
FOOTER = "&C第 &P 页，共 &N 页"
PORTRAIT_WIDTH = 100  # column-width units that print on a portrait A4 page without shrinking much
_BREAK = re.compile(r"(?=[（(])|(?<=[、，；])")


def display_width(text: str) -> int:
    """Columns a text takes: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def capacity(width: float) -> float:
    """Display columns of 10.5-point text that fit on one line of a cell ``width`` units wide."""
    return max(width - 1.0, 2.0)


def fitted_label(text: str, width: float) -> str:
    """``text`` with line breaks where it should break in a cell ``width`` units wide.

    Unchanged when it fits on one line; otherwise broken before an opening bracket and after
    、，； (greedy, each line as full as fits), so a bracket's close never starts a line of its own.
    A piece longer than a line is left for the spreadsheet to wrap.
    """
    if "\n" in text or display_width(text) <= capacity(width):
        return text
    pieces = [p for p in _BREAK.split(text) if p]
    if len(pieces) < 2:
        return text
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if display_width(lines[-1] + piece) <= capacity(width):
            lines[-1] += piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def label_lines(text: str, width: float) -> int:
    """Printed lines of a (fitted) label in a cell ``width`` units wide."""
    return sum(max(1, math.ceil(display_width(line) / capacity(width))) for line in text.split("\n"))


def text_height(text: str, width: float, line: float = 14.5) -> float:
    """Points a wrapped text needs in a cell ``width`` units wide (0 when one line is enough)."""
    lines = label_lines(text, width)
    return lines * line + 6 if lines > 1 else 0.0


def printed_columns(sheet: Sheet) -> int:
    return sheet.print_cols or len(sheet.widths)


def landscape(sheet: Sheet) -> bool:
    """The layout's orientation, or landscape when the printed columns are too wide for portrait."""
    return sheet.landscape or sum(sheet.widths[: printed_columns(sheet)]) > PORTRAIT_WIDTH * 1.3


def print_area(sheet: Sheet, spans: dict[str, Span]) -> tuple[int, int, int, int] | None:
    """First row, first column, last row, last column printed (0-based); None: what holds values.

    The form ends with ``print_last`` (or the last block); the 校验结果 and 填表说明 sheets grow
    below their tables when scored, so they print what they hold.
    """
    if sheet.role in ("findings", "help") or not sheet.blocks:
        return None
    last = spans[sheet.print_last].last if sheet.print_last else max(spans[b.name].last for b in sheet.blocks)
    return 0, 0, last, printed_columns(sheet) - 1


def setup_page(ws, sheet: Sheet, spans: dict[str, Span]) -> None:
    """Page setup of one worksheet (XlsxWriter) from its layout sheet and block spans."""
    ws.set_paper(A4)
    if landscape(sheet):
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer(FOOTER)
    ws.print_black_and_white()  # the input and computed colours are for the screen
    area = print_area(sheet, spans)
    if area is not None:
        ws.print_area(*area)
    if sheet.repeat:
        ws.repeat_rows(spans[sheet.repeat].first)
    if sheet.freeze:
        ws.freeze_panes(spans[sheet.freeze].first + 1, 0)


def setup_plain_page(ws, widths: list[float], repeat_row: int | None = None) -> None:
    """Page setup of a sheet made outside the layout (the stage sheets 运行监控, 调整记录): A4, landscape
    when wide, one page wide, page numbers, ``repeat_row`` (0-based header) on every page."""
    ws.set_paper(A4)
    if sum(widths) > PORTRAIT_WIDTH * 1.3:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer(FOOTER)
    ws.print_black_and_white()
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
