"""The xlwings adapter: an open workbook read into the reader's grids, the writer's blocks written back.

It gives the core the same view as the file adapter (``xlperf.workbook.reader``
and ``writer``): ``load`` builds the very ``Loaded`` that ``load_workbook`` builds
for a file, through the same ``identify`` → ``map_sheets`` → ``locate``, from grids
that ``grid_value`` makes look like python-calamine's; ``evaluate`` is what
``xlperf score`` does with it (``evaluation_of`` + ``score``); ``write_blocks``
writes the ``CellBlock`` list of ``output_blocks``, the one the file writer turns
into cell patches.

Calls into Excel per click: a few per sheet and per defined name, one value read
per sheet, one number-format read per block region holding numbers (``formats``), one
merge check per table, one value write per block. None grows with
the number of indicators (merged 一级/二级 cells, if staff made any, add a few per merge).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlperf.errors import WorkbookError
from xlperf.excel.formats import show_numbers
from xlperf.layout import LAYOUT_IDS, Layout, Table, data_rows, layout_for
from xlperf.model import Evaluation
from xlperf.ooxml.cellvalue import CellValue, Formula
from xlperf.results import Results
from xlperf.workbook.reader import (
    FILL_DOWN,
    MAX_SHEET_ROWS,
    Grid,
    Loaded,
    NameRef,
    Placement,
    identify,
    locate,
    map_sheets,
    parse_name,
)
from xlperf.workbook.writer import CellBlock

#: Excel's day 0: a time-only cell comes through COM as a datetime on this date.
EXCEL_DAY_ZERO = _dt.date(1899, 12, 30)
# The characters the file writer drops (xlperf.ooxml.cellvalue), so both write the same text.
_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The sheet options ``Protect`` takes besides the password, read back before ``Unprotect``.
PROTECTION_OPTIONS = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)


# ---------------------------------------------------------------------------
# Values, both ways
# ---------------------------------------------------------------------------


def grid_value(value: Any) -> Any:
    """An xlwings cell value in the form python-calamine gives for the same cell.

    The one place the two readers are aligned: empty is ``""`` (xlwings: None,
    also for error cells, which calamine reads as ``""`` too); numbers are floats
    (JSON clients send ints); a date at midnight is a ``date``; a time-only cell
    (COM: a datetime on Excel's day 0) is a ``time``.
    """
    if value is None:
        return ""
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, _dt.datetime):
        value = value.replace(tzinfo=None)
        if value.time() == _dt.time(0):
            return value.date()
        if value.date() == EXCEL_DAY_ZERO:
            return value.time()
    return value


def needs_text_prefix(text: str) -> bool:
    """Would Excel read this text as a formula, number, date or TRUE/FALSE when it is assigned to a cell?

    Excel parses an assigned string like typed input (``=…`` becomes a formula,
    ``1/2`` a date, ``(1)`` a number, full-width ``１２`` too), so such text gets
    the apostrophe prefix, which Excel stores as "text" and does not show. Only
    a text starting with a CJK character or another non-ASCII letter or sign is
    taken as it is: none of those starts a number, date or formula.
    """
    first = text[0]
    return first.isascii() or first.isspace() or "\uff00" <= first <= "\uffef"


def xl_value(value: CellValue) -> Any:
    """A writer cell value as xlwings should assign it: formulas with ``=``, text that Excel keeps as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Formula):
        return value.text if value.text.startswith("=") else "=" + value.text
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = _DROPPED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        if not text:
            return None
        return "'" + text if needs_text_prefix(text) else text
    raise TypeError(f"cannot write {type(value).__name__} into a cell")


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def read_grid(sheet) -> tuple[Grid, int | None]:
    """The sheet's values from A1 to the end of the used range, in one read; and the rows kept when cut."""
    used = sheet.used_range
    rows, cols = used.shape
    last_row = used.row + rows - 1
    last_col = used.column + cols - 1
    read_rows = min(last_row, MAX_SHEET_ROWS + 1)
    values = sheet.range((1, 1), (read_rows, last_col)).options(ndim=2).value
    grid = [[grid_value(v) for v in line] for line in values]
    if read_rows == last_row:
        # Excel's used range counts formatted empty rows; calamine's grid ends at the last value.
        while grid and all(v == "" for v in grid[-1]):
            grid.pop()
    if len(grid) > MAX_SHEET_ROWS:
        return grid[:MAX_SHEET_ROWS], MAX_SHEET_ROWS
    return grid, None


def block_names() -> tuple[str, ...]:
    """Every defined name a template can have: the block names of every layout (``xlperf_template`` among them)."""
    shipped = (block.name for profile in LAYOUT_IDS for _sheet, block in layout_for(profile).blocks())
    rubric = (f"xlperf_items_{n}" for n in range(1, MAX_RUBRIC_BLOCKS + 1))  # a profile's 评分表 has one block per 一级
    return tuple(dict.fromkeys((*shipped, *rubric)))


MAX_RUBRIC_BLOCKS = 20


def defined_names(book) -> dict[str, NameRef | None]:
    """The workbook-level ``xlperf_*`` names → (sheet, first row, last row); None for a broken name.

    Looked up one by one rather than listed: workbooks that went through many
    hands carry thousands of stray names, and on COM each one listed costs calls.
    A sheet-level name of the same text (``自评表!xlperf_…``) is left out, as the file reader does.
    """
    names: dict[str, NameRef | None] = {}
    for key in block_names():
        try:
            name = book.names[key]
        except Exception:  # KeyError (remote engine) or a COM error: the workbook has no such name
            continue
        if name.name != key:
            continue
        formula = name.refers_to
        names[key] = parse_name(formula) if formula else None
    return names


Area = tuple[tuple[int, int], tuple[int, int]]  # merged range, 0-based corners, as calamine lists them


def merged_areas(sheet, top: int, bottom: int, left: int, right: int) -> set[Area]:
    """The merged areas touching rows top..bottom × columns left..right (0-based).

    One ``MergeCells`` call answers "none" for the whole rectangle, the usual case;
    where there are merges, halving finds each with a few calls more.
    """
    found: set[Area] = set()

    def search(top: int, bottom: int, left: int, right: int) -> None:
        rng = sheet.range((top + 1, left + 1), (bottom + 1, right + 1))
        state = rng.merge_cells  # True: all merged, False: none, None: some
        if state is False:
            return
        if state is True:
            area = sheet.range((top + 1, left + 1)).merge_area
            first_row, first_col = area.row - 1, area.column - 1
            rows, cols = area.shape
            found.add(((first_row, first_col), (first_row + rows - 1, first_col + cols - 1)))
            if first_row <= top and first_row + rows - 1 >= bottom and first_col <= left and first_col + cols - 1 >= right:
                return
        if bottom > top:
            middle = (top + bottom) // 2
            search(top, middle, left, right)
            search(middle + 1, bottom, left, right)
        elif right > left:
            middle = (left + right) // 2
            search(top, bottom, left, middle)
            search(top, bottom, middle + 1, right)

    search(top, bottom, left, right)
    return found


def merged_ranges(sheets: dict[str, Any], layout: Layout, placement: Placement) -> dict[str, list[Area]]:
    """The merges the reader uses: 一级/二级 cells merged down the rows of a table (``FILL_DOWN``).

    The file reader gets every merged range from calamine; here only the columns it
    looks at are asked. Engines that cannot say (the remote engine) report none.
    """
    merged: dict[str, list[Area]] = {}
    for _sheet, block in layout.blocks():
        span = placement.spans.get(block.name)
        if not isinstance(block, Table) or span is None:
            continue
        cols = sorted(c.col for c in block.data_columns if c.key in FILL_DOWN)
        rows = data_rows(block, span)
        if not cols or len(rows) < 2:
            continue
        try:
            areas = merged_areas(sheets[span.sheet], rows.start, rows.stop - 1, cols[0], cols[-1])
        except NotImplementedError:
            continue
        if areas:
            merged.setdefault(span.sheet, []).extend(sorted(areas))
    return merged


@dataclass
class LiveBook:
    """An open workbook read like a file: what ``load_workbook(path, with_findings_sheet=True)`` gives, and its sheets."""

    book: Any  # xlwings.Book
    sheets: dict[str, Any]  # actual sheet name → xlwings.Sheet
    loaded: Loaded

    @property
    def layout(self) -> Layout:
        return self.loaded.layout

    @property
    def placement(self) -> Placement:
        return self.loaded.placement

    @property
    def findings_sheet(self) -> str | None:
        """The actual name of the 校验结果 sheet, if the workbook has one."""
        sheet = self.layout.findings_sheet
        return self.placement.sheets.get(sheet.name) if sheet else None


def load(book) -> LiveBook:
    """Identify the template, read each sheet the layout needs (one read each) and locate the blocks.

    The steps of ``load_workbook(path, with_findings_sheet=True)``, which ``xlperf score`` uses.
    """
    source = book.fullname
    sheets = {sheet.name: sheet for sheet in book.sheets}
    sheet_names = list(sheets)
    names = defined_names(book)
    grids: dict[str, Grid] = {}
    truncated: dict[str, int] = {}

    def grid_of(name: str) -> Grid:
        if name not in grids:
            grids[name], cut = read_grid(sheets[name])
            if cut is not None:
                truncated[name] = cut
        return grids[name]

    layout = identify(sheet_names, names, grid_of, source)
    for layout_sheet, actual in map_sheets(layout, sheet_names, names, source).items():
        if layout.sheet(layout_sheet).role != "help":
            grid_of(actual)
    placement, findings = locate(layout, grids, names, source, truncated, sheet_names)
    show_numbers(sheets, grids, layout, placement)  # 0.9 shown as 90% is 90%, as the file reader reads it
    merged = merged_ranges(sheets, layout, placement)
    return LiveBook(book, sheets, Loaded(source, layout, names, grids, placement, findings, None, merged))


def evaluate(live: LiveBook) -> tuple[Evaluation, Results]:
    """Read and score, as ``xlperf score`` does (``sources.score_workbook``): findings about the workbook first."""
    from xlperf.sources import score_loaded

    return score_loaded(live.loaded)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def write_blocks(live: LiveBook, blocks: list[CellBlock]) -> None:
    """Write each block with one range assignment, lifting each sheet's protection once around its blocks."""
    by_sheet: dict[str, list[CellBlock]] = {}
    for block in blocks:
        by_sheet.setdefault(block.sheet, []).append(block)
    for name, sheet_blocks in by_sheet.items():
        sheet = live.sheets[name]
        with unprotected(sheet):
            for block in sheet_blocks:
                sheet.range(block.cell).value = [[xl_value(v) for v in line] for line in block.values]


def _com_sheet(sheet):
    """The COM worksheet behind an xlwings sheet, or None (remote engine: a dict; macOS: an appscript reference)."""
    api = getattr(sheet, "api", None)
    if api is None or isinstance(api, dict):
        return None
    try:
        return api if hasattr(api, "Unprotect") and hasattr(api, "ProtectContents") else None
    except Exception:  # a COM lookup that fails means: not a COM worksheet
        return None


@contextmanager
def unprotected(sheet) -> Iterator[None]:
    """Lift a sheet's protection (no password) while writing, and protect it again with the same options.

    Windows Excel refuses COM writes to locked cells of a protected sheet, and
    the template protects every sheet. Engines without a COM object (the remote
    interpreter, macOS) are left alone.
    """
    api = _com_sheet(sheet)
    if api is None or not api.ProtectContents:
        yield
        return
    protection = api.Protection
    options = {name: getattr(protection, name) for name in PROTECTION_OPTIONS}
    options.update(DrawingObjects=api.ProtectDrawingObjects, Contents=True, Scenarios=api.ProtectScenarios)
    try:
        api.Unprotect()
    except Exception:
        raise WorkbookError(
            f"工作表“{sheet.name}”设置了保护密码，xlperf 无法写入结果；请先撤消工作表保护（审阅 → 撤消工作表保护），评分后可再设置保护"
        ) from None
    try:
        yield
    finally:
        api.Protect(**options)


# ---------------------------------------------------------------------------
# Excel around the writes
# ---------------------------------------------------------------------------

#: What ``quiet`` switches off, and what to restore when the engine cannot say what it was.
QUIET = (("screen_updating", False, True), ("enable_events", False, True), ("calculation", "manual", None))


@contextmanager
def quiet(app) -> Iterator[list[tuple[str, Any]]]:
    """Like ``app.properties(screen_updating=False, enable_events=False, calculation="manual")``, restored even on error.

    ``app.properties`` reads each property first and fails on engines that cannot
    read one (the remote engine has no screen_updating getter, no enable_events):
    here a property that cannot be read is restored to Excel's default, one that
    cannot be set is skipped. Yields the list of what it will restore.
    """
    restore: list[tuple[str, Any]] = []
    for name, value, default in QUIET:
        try:
            before = getattr(app, name)
        except NotImplementedError:
            before = default
        if before is None:
            continue
        try:
            setattr(app, name, value)
        except NotImplementedError:
            continue
        restore.append((name, before))
    try:
        yield restore
    finally:
        for name, before in reversed(restore):
            try:
                setattr(app, name, before)
            except Exception:  # restore the others even if Excel refuses one
                pass


def show(sheet) -> None:
    """Make a sheet visible and bring it to the front."""
    try:
        hidden = not sheet.visible
    except (KeyError, NotImplementedError):  # remote clients that send no visibility
        hidden = False
    if hidden:
        sheet.visible = True
    sheet.activate()
