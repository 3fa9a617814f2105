"""Read an xlperf workbook into an Evaluation, with findings about the file itself.

``read_workbook(path)`` opens the file safely (``xlperf.ooxml.package``), reads
the cached cell values with python-calamine, and hands the grids to
``evaluation_from_grid``, which an xlwings adapter can feed the same way from a
live workbook (one bulk read per sheet).

Blocks are found by ``placement.locate`` (defined names, else header texts).
Values are kept raw (text stays text, a unit typed into a number cell stays);
blank rows are skipped; at most ``Table.cap`` filled rows are read per block.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlperf.errors import WorkbookError
from xlperf.findings import Finding, error, warning
from xlperf.jsonio import canonical
from xlperf.layout import CATEGORY, INPUT, TEMPLATE_PREFIX, TEMPLATE_VERSION, Form, Layout, Span, Table, a1, data_rows, layout_for_template
from xlperf.model import Evaluation, FundRow, Funds, Indicator, Location, RubricItem
from xlperf.ooxml.cells import col_letter
from xlperf.workbook.placement import Grid, NameRef, Placement, cell_at, find_text, locate, map_sheets, parse_name, text_at

__all__ = [  # placement's names are re-exported: adapters import them from here
    "MAX_SHEET_ROWS", "Grid", "Loaded", "NameRef", "Placement", "cell_value", "evaluation_from_grid", "identify",
    "load_workbook", "locate", "map_sheets", "parse_name", "read_workbook", "uncached_formulas",
]

MAX_SHEET_ROWS = 20_000  # rows read per sheet; blocks reaching further are reported
NOT_A_TEMPLATE = "不是由 xlperf 模板生成的工作簿，请用 xlperf new 生成模板后填写"

# ---------------------------------------------------------------------------
# Which template
# ---------------------------------------------------------------------------


def identify(
    sheet_names: list[str], names: Mapping[str, NameRef | None], grid_of: Callable[[str], Grid], path: str | None = None
) -> Layout:
    """The layout of the workbook's template, from the 设置 sheet; refuses foreign and newer workbooks."""

    def fail(message: str) -> WorkbookError:
        return WorkbookError(message, path=path)

    ref = names.get("xlperf_template")
    sheet = ref[0] if ref and ref[0] in sheet_names else ("设置" if "设置" in sheet_names else None)
    if sheet is None:
        raise fail(NOT_A_TEMPLATE)
    grid = grid_of(sheet)
    row = ref[1] - 1 if ref and ref[0] == sheet and text_at(cell_at(grid, ref[1] - 1, 0)) == "模板" else None
    if row is None:
        row = find_text(grid, "模板", 0, 0, 50)
    template_id = text_at(cell_at(grid, row, 1)) if row is not None else ""
    if not template_id.startswith(TEMPLATE_PREFIX):
        raise fail(NOT_A_TEMPLATE)
    version_cell = canonical(cell_at(grid, row + 1, 1))
    try:
        version = int(version_cell)
    except (TypeError, ValueError):
        raise fail(f"“{sheet}”表中的模板版本“{version_cell}”无法识别，请用 xlperf new 重新生成模板") from None
    if version > TEMPLATE_VERSION:
        raise fail(f"此工作簿由更新版本的 xlperf 生成（模板版本 {version}），请升级：pip install -U xlperf")
    layout = layout_for_template(template_id)
    if layout is None:
        raise fail(f"此工作簿使用的模板“{template_id}”不是本程序认识的模板，可能由更新版本的 xlperf 生成，请升级：pip install -U xlperf")
    return layout


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def cell_value(value: Any) -> Any:
    """A calamine (or xlwings) cell value in the model's canonical raw form; text that looks like a date stays text."""
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    return canonical(value, dates=False)


def _as_text(value: Any) -> str:
    """A value for a field that is always text (a list entry, a setting, a fund row label)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


Merged = Mapping[str, list[tuple[tuple[int, int], tuple[int, int]]]]  # sheet → ((r1, c1), (r2, c2)), 0-based
FILL_DOWN = ("level1", "level2")  # merged down several rows, these apply to each row (as published tables do)


class _Reader:
    def __init__(self, layout: Layout, grids: Mapping[str, Grid], placement: Placement, formula_cells, source, merged: Merged | None):
        self.layout = layout
        self.grids = grids
        self.placement = placement
        self.formula_cells = formula_cells
        self.source = source
        self.merged = merged or {}
        self.fill: dict[tuple[str, int, int], Any] = {}
        self.findings: list[Finding] = []
        self.evaluation = Evaluation(profile=layout.profile, source=source)
        self.evaluation.funds.rows = []
        self._uncached: dict[str, set[str]] = {}
        self._columns: dict[str, _Plan] = {}

    # -- cells ----------------------------------------------------------------------------

    def _value(self, sheet: str, row: int, col: int, path: str | Callable[[], str]) -> Any:
        value = cell_value(cell_at(self.grids[sheet], row, col))
        if value is None:
            return self._empty(sheet, row, col, path)
        return value

    def _empty(self, sheet: str, row: int, col: int, path: str | Callable[[], str]) -> Any:
        """An empty cell: the value merged down over it, else None (noting a formula without a result)."""
        value = self.fill.get((sheet, row, col)) if self.fill else None
        if value is None and self.formula_cells is not None:
            if sheet not in self._uncached:
                self._uncached[sheet] = self.formula_cells(sheet)
            cell = a1(row, col)
            if cell in self._uncached[sheet]:
                self.findings.append(
                    warning(
                        "workbook.formula_uncached",
                        Location(path if isinstance(path, str) else path(), sheet, cell),
                        f"单元格 {cell} 是公式但没有计算结果，请在 Excel 中打开并保存一次，或直接填写数值",
                    )
                )
        return value

    def _loc(self, path: str, sheet: str, row: int, col: int) -> Location:
        return Location(path, sheet, a1(row, col))

    # -- the whole workbook ---------------------------------------------------------------

    def read(self) -> Evaluation:
        for sheet in self.layout.sheets:
            actual = self.placement.sheets.get(sheet.name)
            if actual is None or actual not in self.grids or sheet.role in ("findings", "help"):
                continue
            for block in sheet.blocks:
                span = self.placement.spans[block.name]
                if isinstance(block, Form):
                    self._form(block, span)
                else:
                    self._table(block, span)
        if not self.evaluation.funds.rows:
            self.evaluation.funds.rows = Funds().rows
        return self.evaluation

    def _form(self, form: Form, span: Span) -> None:
        grid = self.grids[span.sheet]
        for slot in form.slots:
            if slot.role != INPUT and not slot.key.startswith("meta."):
                continue
            row = self.placement.slot_row(form, slot)
            if slot.key == "meta.profile":
                profile = text_at(cell_at(grid, row, slot.col))
                if profile:
                    self.evaluation.profile = profile
                continue
            if slot.key.startswith("meta."):
                continue
            value = self._value(span.sheet, row, slot.col, slot.key)
            self._set(slot.key, value, self._loc(slot.key, span.sheet, row, slot.col))

    def _set(self, key: str, value: Any, loc: Location) -> None:
        evaluation = self.evaluation
        head, _, name = key.partition(".")
        if not name:
            setattr(evaluation, head, value)
            if head == "claimed_total":
                evaluation.total_loc = loc
            return
        record = {"project": evaluation.project, "funds": evaluation.funds, "goal": evaluation.goal}[head]
        setattr(record, name, value)
        record.loc[name] = loc

    def _table(self, table: Table, span: Span) -> None:
        if table.target in ("subtotals", "findings"):
            return
        rows = data_rows(table, span)
        sheet = span.sheet
        truncated = self.placement.truncated.get(sheet)
        count = 0
        columns = [(c.key, c.col) for c in table.data_columns]
        self._fill_down(table, span, rows)
        grid = self.grids[sheet]
        height = len(grid)
        slow = bool(self.fill) or self.formula_cells is not None  # empty cells need a second look
        for row in rows:
            if truncated is not None and row >= truncated:
                self._too_many(table, span, row, f"工作表“{sheet}”超过 {truncated} 行，其后的行未读取")
                break
            line = grid[row] if 0 <= row < height else ()
            width = len(line)
            values: dict[str, Any] = {}
            blank = True
            for key, col in columns:  # cell_value(cell_at(…)), inlined: this runs for every cell read
                value = line[col] if col < width else None
                if value.__class__ is str:
                    if not value.strip():
                        value = None
                elif value is not None:
                    value = cell_value(value)
                if value is None and slow:
                    value = self._empty(sheet, row, col, lambda key=key: self._path(table, key))
                values[key] = value
                if value is not None:
                    blank = False
            if blank:
                continue
            if count >= table.cap:
                message = f"“{table.anchor.header}”所在的表格超过 {table.cap} 行，只读取了前 {table.cap} 行；请删除多余的行"
                self._too_many(table, span, row, message)
                break
            self._record(table, span, row, values)
            count += 1

    def _fill_down(self, table: Table, span: Span, rows: range) -> None:
        """一级/二级 merged over several rows hold for each of them."""
        cols = {c.col for c in table.data_columns if c.key in FILL_DOWN}
        grid = self.grids[span.sheet]
        for (r1, c1), (r2, c2) in self.merged.get(span.sheet, ()):
            if r2 > r1 and r1 in rows:
                for col in cols:
                    if c1 <= col <= c2:
                        top = cell_value(cell_at(grid, r1, c1))
                        for row in range(r1 + 1, min(r2, rows.stop - 1) + 1):
                            self.fill[(span.sheet, row, col)] = top

    def _too_many(self, table: Table, span: Span, row: int, message: str) -> None:
        where = Location(field=table.target, sheet=span.sheet, cell=a1(row, 0))
        self.findings.append(error("workbook.too_many_rows", where, message))

    def _path(self, table: Table, key: str) -> str:
        """The JSON path of the record the current row would become."""
        target = table.target
        if target == "settings":
            return "settings"
        records = self.evaluation.funds.rows if target == "funds.rows" else getattr(self.evaluation, target)
        return f"{target}[{len(records)}]" + ("" if target in ("problems", "measures", "suggestions") else f".{key}")

    def _record(self, table: Table, span: Span, row: int, values: dict[str, Any]) -> None:
        evaluation = self.evaluation
        target = table.target
        if target in ("problems", "measures", "suggestions"):
            getattr(evaluation, target).append(_as_text(values["text"]))
            return
        if target == "settings":
            key = values.get("key")
            value = values.get("value")
            if key is None or value is None:
                return
            key = _as_text(key).strip()
            evaluation.settings[key] = _as_text(value)
            col = table.column("value").col
            evaluation.settings_loc[key] = self._loc(f"settings.{key}", span.sheet, row, col)
            return
        record: Indicator | RubricItem | FundRow
        if target == "indicators":
            record = Indicator()
            evaluation.indicators.append(record)
            prefix = f"indicators[{len(evaluation.indicators) - 1}]."
        elif target == "items":
            record = RubricItem()
            evaluation.items.append(record)
            prefix = f"items[{len(evaluation.items) - 1}]."
        else:
            record = FundRow(label=None)  # type: ignore[arg-type]
            evaluation.funds.rows.append(record)
            prefix = f"funds.rows[{len(evaluation.funds.rows) - 1}]."
        if target == "funds.rows" and values.get("label") is not None:
            values["label"] = _as_text(values["label"])
        for key, value in values.items():  # every data column is a field of the record
            setattr(record, key, value)
        plan = self._plan(table)
        first = data_rows(table, span).start
        if plan.category:
            for key in plan.category:
                setattr(record, key, table.category)
        # The same cells (sheet, row, field path) recur in every workbook of a batch built
        # from one template: their Locations (frozen) are made once and shared.
        where = (plan, span.sheet, prefix, row, first)
        locations = _LOCATIONS.get(where)
        if locations is None:
            locations = _locations(plan, span.sheet, prefix, row, first)
            if len(_LOCATIONS) >= MAX_SHARED_LOCATIONS:
                _LOCATIONS.clear()
            _LOCATIONS[where] = locations
        record.loc.update(locations)

    def _plan(self, table: Table) -> _Plan:
        plan = self._columns.get(table.name)
        if plan is None:
            known = _PLAN_OF.get(id(table))  # the layouts' tables live as long as the program
            if known is not None and known[0] is table:
                plan = self._columns[table.name] = known[1]
                return plan
            columns = tuple((c.key, c.col, col_letter(c.col + 1), c.kind == CATEGORY) for c in table.columns)
            data = frozenset(c.key for c in table.data_columns)
            category = tuple(key for key, _col, _letters, is_category in columns if is_category and key not in data)
            plan = _PLANS.get((columns, data))
            if plan is None:
                plan = _PLANS[(columns, data)] = _Plan(columns, data, category)
            self._columns[table.name] = plan
            if len(_PLAN_OF) < 1024:
                _PLAN_OF[id(table)] = (table, plan)  # holding the table keeps its id from being reused
        return plan


class _Plan:
    """How a table's row becomes a record: (key, column, column letters, is the block's 一级) per column.

    One object per distinct table (``_PLANS``), so it is hashed by identity in ``_LOCATIONS``' keys.
    """

    __slots__ = ("columns", "data", "category")

    def __init__(self, columns: tuple[tuple[str, int, str, bool], ...], data: frozenset[str], category: tuple[str, ...]):
        self.columns = columns
        self.data = data  # the keys read from the row (the data columns)
        self.category = category  # the 一级 columns, filled from the block, not the row


def _locations(plan: _Plan, sheet: str, prefix: str, row: int, first: int) -> dict[str, Location]:
    """The Location of each field of a record read from ``row`` (the 一级 cell: the block's first row)."""
    locations: dict[str, Location] = {}
    number = str(row + 1)  # a1(row, col) is letters + number; row lies inside the grid read
    for key, col, letters, category in plan.columns:
        if key in plan.data:
            locations[key] = Location(prefix + key, sheet, letters + number)
        elif category:
            locations[key] = Location(prefix + key, sheet, a1(first, col))
    return locations


MAX_SHARED_LOCATIONS = 2048  # records' worth of Locations kept (at most a few MB), then started afresh
_LOCATIONS: dict[tuple, dict[str, Location]] = {}
_PLANS: dict[tuple, _Plan] = {}  # (columns, data columns) → its one _Plan
_PLAN_OF: dict[int, tuple[Table, _Plan]] = {}  # id(table) → (table, its _Plan), so a file does not recompute it


def evaluation_from_grid(
    layout: Layout,
    sheet_grids: Mapping[str, Grid],
    names: Mapping[str, NameRef | None],
    *,
    formula_cells: Callable[[str], set[str]] | None = None,
    merged: Merged | None = None,
    source: str | None = None,
    placement: Placement | None = None,
) -> tuple[Evaluation, list[Finding]]:
    """Build the Evaluation from value grids (actual sheet name → rows of values, from A1).

    ``names`` maps defined names to (sheet, first row, last row), 1-based as
    Excel shows them (None for a broken name). ``formula_cells(sheet)`` gives the
    cells holding a formula without a cached value, asked only when an input
    cell reads empty. ``merged`` lists merged ranges per sheet (0-based corners).
    """
    findings: list[Finding] = []
    if placement is None:
        placement, findings = locate(layout, sheet_grids, names, source)
    reader = _Reader(layout, sheet_grids, placement, formula_cells, source, merged)
    evaluation = reader.read()
    return evaluation, findings + reader.findings


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


def load_workbook(path: str | Path, *, with_findings_sheet: bool = False) -> Loaded:
    """Open safely, identify the template, read the grids and locate the blocks."""
    from python_calamine import CalamineWorkbook

    from xlperf.ooxml.package import open_package

    display = str(path)
    with open_package(display) as package:
        sheet_names = package.sheet_names()
        names = {name: parse_name(text) for name, text in package.defined_names().items() if name.startswith("xlperf_")}
        parts = {name: package.sheet_part(name) for name in sheet_names if package.is_worksheet(name)}
        formula_parts = set(package.worksheet_parts())
        try:
            book = CalamineWorkbook.from_path(display)
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
        placement, findings = locate(layout, grids, names, display, truncated, list(parts))
        uncached: dict[str, set[str]] = {}
        for sheet, part in parts.items():  # only the sheets read: a formula elsewhere does not matter here
            if sheet in grids and grids[sheet] and part in formula_parts and package.has_formulas(skip=formula_parts - {part}):
                uncached[sheet] = uncached_formulas(package.read(part))
        book.close()
    formula_cells = (lambda sheet: uncached.get(sheet, set())) if uncached else None
    return Loaded(display, layout, names, grids, placement, findings, formula_cells, merged)


def read_workbook(path: str | Path) -> tuple[Evaluation, list[Finding]]:
    """Read an xlperf workbook: the Evaluation (``source`` and every ``loc`` set) and findings about the file."""
    return evaluation_of(load_workbook(path))


def evaluation_of(loaded: Loaded) -> tuple[Evaluation, list[Finding]]:
    """The Evaluation in an already loaded workbook, and the findings about the file."""
    evaluation, findings = evaluation_from_grid(
        loaded.layout, loaded.grids, loaded.names, formula_cells=loaded.formula_cells, merged=loaded.merged, source=loaded.path, placement=loaded.placement
    )
    return evaluation, loaded.findings + findings
