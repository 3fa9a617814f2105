"""The file adapter: read an xlperf workbook file into an Evaluation, with findings about the file.

Three steps, each its own module, shared with foreign forms (``xlperf.forms``):

1. identify the template and its profile (``workbook.identify``);
2. locate its blocks (``workbook.placement.locate``: defined names, else header texts);
3. read the blocks into an Evaluation (``workbook.read_blocks.evaluation_from_grid``).

``read_workbook(path)`` opens the file safely (``xlperf.ooxml.package``), reads the cached cell
values with python-calamine and runs the three steps. The names adapters import are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from xlperf.errors import WorkbookError
from xlperf.findings import Finding
from xlperf.layout import Layout
from xlperf.model import Evaluation
from xlperf.workbook.identify import NOT_A_TEMPLATE, identify
from xlperf.workbook.placement import (
    Grid,
    NameRef,
    Placement,
    locate,
    map_sheets,
    parse_name,
)
from xlperf.workbook.read_blocks import (
    FILL_DOWN,
    Merged,
    cell_value,
    evaluation_from_grid,
)

__all__ = [  # placement's, identify's and read_blocks' names are re-exported: adapters import them from here
    "FILL_DOWN", "MAX_SHEET_ROWS", "NOT_A_TEMPLATE", "Grid", "Loaded", "Merged", "NameRef", "Placement", "cell_value",
    "evaluation_from_grid", "evaluation_of", "identify", "load_workbook", "locate", "map_sheets", "parse_name",
    "read_workbook", "uncached_formulas",
]

MAX_SHEET_ROWS = 20_000  # rows read per sheet; blocks reaching further are reported

# ---------------------------------------------------------------------------
# From a file
# ---------------------------------------------------------------------------

_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_R_ATTR = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_F_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_V_TAG = re.compile(rb"<(?:\w+:)?v[\s>]")


def uncached_formulas(xml: bytes) -> set[str]:
    """Cells of a sheet part that hold a formula but no cached value."""
    found: set[str] = set()
    if not _F_TAG.search(xml):
        return found
    for match in _CELL.finditer(xml):
        inner = match[3] or b""
        if _F_TAG.search(inner) and not _V_TAG.search(inner):
            ref = _R_ATTR.search(match[1])
            if ref:
                found.add(ref[1].decode("ascii"))
    return found


@dataclass
class Loaded:
    """A workbook file read into grids: what the reader and the writer both start from."""

    path: str
    layout: Layout
    names: dict[str, NameRef | None]
    grids: dict[str, Grid]
    placement: Placement
    findings: list[Finding]
    formula_cells: Callable[[str], set[str]] | None
    merged: dict[str, list] = field(default_factory=dict)
    digest: str | None = None  # SHA-256 of the file as read; the writer refuses to replace a file saved since


def load_workbook(path: str | Path, *, with_findings_sheet: bool = False) -> Loaded:
    """Open safely, identify the template, read the grids and locate the blocks."""
    from python_calamine import CalamineWorkbook

    from xlperf.ooxml.gate import vet_package
    from xlperf.ooxml.package import open_package

    display = str(path)
    with open_package(display) as package:
        sheet_names = package.sheet_names()
        names = {name: parse_name(text) for name, text in package.defined_names().items() if name.startswith("xlperf_")}
        parts = {name: package.sheet_part(name) for name in sheet_names if package.is_worksheet(name)}
        formula_parts = set(package.worksheet_parts())  # the grid worksheets present, which may hold formulas
        vet_package(package, parts)  # the safety gate check and score share: before calamine allocates
        if "xlperf_template" not in names and "设置" not in parts:  # what identify would find: refuse before reading cells
            raise WorkbookError(NOT_A_TEMPLATE, path=display)
        try:
            # The very bytes the package was opened from (no second open by name: a non-UTF-8 file
            # name, or a save by another program in between, would read another file).
            digest = package.digest
            book = CalamineWorkbook.from_filelike(BytesIO(package.content()))
        except Exception as exc:  # calamine raises its own error types
            raise WorkbookError(f"文件已损坏，无法读取单元格：{exc}", path=display) from None
        grids: dict[str, Grid] = {}
        truncated: dict[str, int] = {}
        merged: dict[str, list] = {}

        def grid_of(sheet: str) -> Grid:
            if sheet not in grids:
                try:
                    data = book.get_sheet_by_name(sheet)
                    rows = data.to_python(skip_empty_area=False, nrows=MAX_SHEET_ROWS + 1)
                except Exception as exc:
                    raise WorkbookError(f"工作表“{sheet}”无法读取：{exc}", path=display) from None
                if len(rows) > MAX_SHEET_ROWS:
                    rows = rows[:MAX_SHEET_ROWS]
                    truncated[sheet] = MAX_SHEET_ROWS
                grids[sheet] = rows
                merged[sheet] = list(data.merged_cell_ranges or ())
            return grids[sheet]

        layout = identify([s for s in sheet_names if s in parts], names, grid_of, display)
        mapping = map_sheets(layout, list(parts), names, display)
        for layout_sheet, actual in mapping.items():
            sheet = layout.sheet(layout_sheet)
            if sheet.role == "help" or (sheet.role == "findings" and not with_findings_sheet):
                continue
            grid_of(actual)
        _show_percentages(package, grids, parts)
        placement, findings = locate(layout, grids, names, display, truncated, list(parts))
        uncached: dict[str, set[str]] = {}
        for sheet, part in parts.items():  # only the sheets read: a formula elsewhere does not matter here
            if sheet in grids and grids[sheet] and part in formula_parts:
                xml = package.formula_xml(part)  # None without formulas; decompressed once for test and scan
                if xml is not None:
                    uncached[sheet] = uncached_formulas(xml)
        book.close()
    formula_cells = (lambda sheet: uncached.get(sheet, set())) if uncached else None
    return Loaded(display, layout, names, grids, placement, findings, formula_cells, merged, digest)


def _show_percentages(package, grids: dict[str, Grid], parts: Mapping[str, str]) -> None:
    """Numbers in percent- or date-formatted cells become what they show (0.9 shown 90% → '90%'; ``numfmt.shown_value``)."""
    from xlperf.ooxml.numfmt import shown_styles, shown_value, styled_cells

    if not package.has_part("xl/styles.xml"):
        return
    try:
        styles = shown_styles(package.read("xl/styles.xml"))
    except Exception:  # an unreadable style part: calamine's values as they are
        return
    if not styles:
        return
    for sheet, grid in grids.items():
        if not grid or sheet not in parts:
            continue
        for row, col, style in styled_cells(package.read(parts[sheet]), frozenset(styles), with_style=True):
            if row < len(grid) and col < len(grid[row]):
                grid[row][col] = shown_value(grid[row][col], styles[style])


def read_workbook(path: str | Path) -> tuple[Evaluation, list[Finding]]:
    """Read an xlperf workbook: the Evaluation (``source`` and every ``loc`` set) and findings about the file."""
    return evaluation_of(load_workbook(path))


def evaluation_of(loaded: Loaded) -> tuple[Evaluation, list[Finding]]:
    """The Evaluation in an already loaded workbook, and the findings about the file."""
    evaluation, findings = evaluation_from_grid(
        loaded.layout, loaded.grids, loaded.names, formula_cells=loaded.formula_cells, merged=loaded.merged, source=loaded.path, placement=loaded.placement
    )
    return evaluation, loaded.findings + findings
