"""Turn located blocks of an xlperf workbook's value grids into an Evaluation.

``evaluation_from_grid`` is fed by the file adapter (``reader.load_workbook``), by the reading of
an .xls/.ods an xlperf workbook was saved as (``forms.identify``), and by the xlwings adapter from
a live workbook (one bulk read per sheet): the same numbers whichever way the cells arrive.

Blocks are found by ``placement.locate`` (defined names, else header texts).
Values are kept raw (text stays text, a unit typed into a number cell stays);
blank rows are skipped; at most ``Table.cap`` filled rows are read per block.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import fields
from functools import partial
from operator import itemgetter
from typing import Any

from xlperf.findings import Finding, error, warning
from xlperf.layout import (
    CATEGORY,
    INPUT,
    Form,
    Layout,
    Slot,
    Span,
    Table,
    a1,
    data_rows,
)
from xlperf.model import (
    Evaluation,
    FundRow,
    Funds,
    Indicator,
    Location,
    RubricItem,
    Task,
)
from xlperf.ooxml.cells import col_letter
from xlperf.raw import MAX_INT, canonical
from xlperf.workbook.placement import Grid, NameRef, Placement, cell_at, locate, text_at

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
_LISTS = ("problems", "measures", "suggestions")  # tables whose rows are plain text entries
_RECORDS = {"indicators": Indicator, "items": RubricItem, "funds.rows": FundRow, "tasks": Task}


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
        self.evaluation = Evaluation(profile=layout.profile, funds=Funds(rows=[]), source=source)  # rows: as read
        self._uncached: dict[str, set[str]] = {}

    # -- cells ----------------------------------------------------------------------------

    def _empty(self, sheet: str, row: int, col: int, path: str | Callable[[], str]) -> Any:
        """An empty cell: the value merged down over it, else None (noting a formula without a result)."""
        value = self.fill.get((sheet, row, col)) if self.fill else None
        if value is None and self.formula_cells is not None:
            uncached = self._uncached.get(sheet)
            if uncached is None:
                uncached = self._uncached[sheet] = self.formula_cells(sheet)
            cell = a1(row, col) if uncached else None  # most sheets have none: no cell name to make
            if cell in uncached:
                self.findings.append(
                    warning(
                        "workbook.formula_uncached",
                        Location(path if isinstance(path, str) else path(), sheet, cell),
                        f"单元格 {cell} 是公式但没有计算结果，请在 Excel 中打开并保存一次，或直接填写数值",
                    )
                )
        return value

    def _second_look(self, sheet: str, cols: tuple[int, ...], filled_down: set[int]) -> tuple[int, ...]:
        """Which of a row's cells (indices into ``cols``) need ``_empty`` when empty: any cell while the
        sheet may hide formulas without a result (not asked yet, or some are), else those a merge fills."""
        if self.formula_cells is not None and self._uncached.get(sheet, True):
            return tuple(range(len(cols)))
        return tuple(i for i, col in enumerate(cols) if col in filled_down)

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
        sheet = span.sheet
        grid = self.grids[sheet]
        evaluation = self.evaluation
        for slot, head, name in _per_block(form, _form_inputs):
            row = self.placement.slot_row(form, slot)
            if head == "meta":  # meta.profile
                profile = text_at(cell_at(grid, row, slot.col))
                if profile and profile != self.layout.profile.split("#")[0]:  # the embedded profile's key wins
                    evaluation.profile = profile
                continue
            value = cell_value(cell_at(grid, row, slot.col))
            if value is None:
                value = self._empty(sheet, row, slot.col, slot.key)
            loc = _location(slot.key, sheet, row, slot.col)
            if not name:  # claimed_total, claimed_grade
                setattr(evaluation, head, value)
                if head == "claimed_total":
                    evaluation.total_loc = loc
            else:  # project.…, funds.…, goal.…
                record = getattr(evaluation, head)
                setattr(record, name, value)
                record.loc[name] = loc

    # -- tables ---------------------------------------------------------------------------

    def _table(self, table: Table, span: Span) -> None:
        target = table.target
        if target in ("subtotals", "findings"):
            return
        plan = _per_block(table, _Plan)
        rows = self._filled_rows(table, plan, span)
        evaluation = self.evaluation
        if target in _LISTS:
            text = plan.keys.index("text")
            getattr(evaluation, target).extend(_as_text(values[text]) for _row, values in rows)
            return
        if target == "settings":
            for row, values in rows:
                self._setting(table, span, row, dict(zip(plan.keys, values)))
            return
        # A record per row, made in one call from its fields in declaration order; its Locations are shared.
        records = evaluation.funds.rows if target == "funds.rows" else getattr(evaluation, target)
        make, args, rest, label = plan.make, plan.args, plan.rest, plan.label
        sheet, first = span.sheet, data_rows(table, span).start
        for row, values in rows:
            if label is not None and values[label] is not None:
                values[label] = _as_text(values[label])
            values += rest
            records.append(make(*args(values), loc=_locations(plan, sheet, len(records), row, first)))

    def _filled_rows(self, table: Table, plan: _Plan, span: Span) -> list[tuple[int, list[Any]]]:
        """(row, its data columns' values in ``plan.keys`` order) for each filled row, at most ``table.cap``."""
        rows = data_rows(table, span)
        sheet = span.sheet
        truncated = self.placement.truncated.get(sheet)
        end = rows.stop if truncated is None else max(rows.start, min(rows.stop, truncated))  # rows past the cut: not read
        self._fill_down(table, span, rows)
        grid = self.grids[sheet]
        height = len(grid)
        cols, pick, last, width, cap = plan.cols, plan.pick, plan.last, len(plan.cols), table.cap
        filled_down = {col for s, _row, col in self.fill if s == sheet}
        look = self._second_look(sheet, cols, filled_down)
        asked = self.formula_cells is None or sheet in self._uncached
        filled: list[tuple[int, list[Any]]] = []
        for row in range(rows.start, end):
            line = grid[row] if 0 <= row < height else ()
            # This runs for every cell read: cell_value(cell_at(…)) with its common cases inline: text
            # (blank → None; calamine gives "" for an empty cell), a float (whole → int, as canonical),
            # None past the row's end; other values go through cell_value.
            raw = pick(line) if len(line) > last else [line[col] if col < len(line) else None for col in cols]
            values = [
                (v if v and v.strip() else None) if v.__class__ is str
                else ((int(v) if v.is_integer() and -MAX_INT < v < MAX_INT else v) if v.__class__ is float
                      else v if v is None else cell_value(v))
                for v in raw
            ]
            if look and None in values:
                for i in look:
                    if values[i] is None:
                        path = partial(self._path, table, plan.keys[i], len(filled))  # made only if needed
                        values[i] = self._empty(sheet, row, cols[i], path)
                if not asked and sheet in self._uncached:  # the sheet's formulas without a result are known now
                    asked, look = True, self._second_look(sheet, cols, filled_down)
            if values.count(None) == width:  # a blank row
                continue
            if len(filled) >= cap:
                message = f"“{table.anchor.header}”所在的表格超过 {cap} 行，只读取了前 {cap} 行；请删除多余的行"
                self._too_many(table, span, row, message)
                return filled
            filled.append((row, values))
        if end < rows.stop:
            self._too_many(table, span, end, f"工作表“{sheet}”超过 {truncated} 行，其后的行未读取")
        return filled

    def _fill_down(self, table: Table, span: Span, rows: range) -> None:
        """一级/二级 merged over several rows hold for each of them."""
        cols = {c.col for c in table.data_columns if c.key in FILL_DOWN}
        if not cols:
            return
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

    def _path(self, table: Table, key: str, before: int) -> str:
        """The JSON path of the record a row of ``table`` becomes, after ``before`` filled rows of it."""
        target = table.target
        if target == "settings":
            return "settings"
        records = self.evaluation.funds.rows if target == "funds.rows" else getattr(self.evaluation, target)
        return f"{target}[{len(records) + before}]" + ("" if target in _LISTS else f".{key}")

    def _setting(self, table: Table, span: Span, row: int, values: dict[str, Any]) -> None:
        evaluation = self.evaluation
        key = values.get("key")
        value = values.get("value")
        if key is None or value is None:
            return
        key = _as_text(key).strip()
        evaluation.settings[key] = _as_text(value)
        col = table.column("value").col
        evaluation.settings_loc[key] = _location(f"settings.{key}", span.sheet, row, col)


class _Plan:
    """How the rows of one layout table become values and records, worked out once per table (``_per_block``)."""

    __slots__ = ("args", "cols", "keys", "label", "last", "located", "make", "pick", "prefix", "rest")

    def __init__(self, table: Table):
        data = table.data_columns
        self.cols = tuple(c.col for c in data)  # the data columns read from each row…
        self.keys = tuple(c.key for c in data)  # …and their fields
        # pick(line) → the data cells of a row at least ``last + 1`` long, as a sequence
        if len(self.cols) == 1:
            only = self.cols[0]
            self.pick = lambda line: (line[only],)
        else:
            self.pick = itemgetter(*self.cols) if self.cols else lambda line: ()
        self.last = max(self.cols, default=-1)
        read = set(self.keys)
        category = [c for c in table.columns if c.kind == CATEGORY and c.key not in read]  # the 一级, from the block
        self.make = _RECORDS.get(table.target)  # the record class (None: the table is not of records)
        # A record's fields in declaration order are args(values + rest): rest holds the fields not read
        # from the row (the block's 一级; without a label column, a fund row's label is None, not 年度资金总额).
        fixed = {c.key: table.category for c in category}
        if self.make is FundRow and "label" not in read:
            fixed["label"] = None
        index = {key: i for i, key in enumerate(self.keys)}  # a key read twice: its last column, as a dict would
        rest: list[Any] = []
        order = []
        assert self.make is None or read <= {f.name for f in fields(self.make)}, f"{table.name}: a column that is no field"
        for f in fields(self.make) if self.make else ():
            if f.name == "loc":
                continue
            if f.name in index:
                order.append(index[f.name])
            else:
                order.append(len(self.keys) + len(rest))
                rest.append(fixed.get(f.name, f.default))
        self.rest = rest
        self.args = itemgetter(*order) if self.make else None  # a record class has many fields: a tuple
        self.label = index.get("label") if self.make is FundRow else None  # a fund row's label is text
        self.prefix = f"{table.target}[{{}}]."  # a field's path: prefix.format(index) + key
        # (key, column letters, column) per field located, in column order; letters None: the 一级,
        # located at the block's first row
        self.located = tuple(
            (c.key, col_letter(c.col + 1) if c.key in read else None, c.col)
            for c in table.columns
            if c.key in read or (c.kind == CATEGORY and c.key not in read)
        )


def _form_inputs(form: Form) -> tuple[tuple[Slot, str, str], ...]:
    """The slots read into the model, each with its key split (project.name → project, name), and meta.profile."""
    return tuple(
        (slot, *slot.key.partition(".")[::2])
        for slot in form.slots
        if slot.key == "meta.profile" or (slot.role == INPUT and not slot.key.startswith("meta."))
    )


def _per_block(block: Any, make: Callable[[Any], Any]) -> Any:
    """make(block) for a layout block, made once: the layouts' blocks live as long as the program.

    One ``make`` per kind of block: a Table's _Plan, a Form's inputs."""
    known = _MADE.get(id(block))
    if known is not None and known[0] is block:
        return known[1]
    made = make(block)
    if len(_MADE) < 1024:
        _MADE[id(block)] = (block, made)  # holding the block keeps its id from being reused
    return made


def _location(path: str, sheet: str, row: int, col: int) -> Location:
    """Location(path, sheet, a1(row, col)), shared like a record's (see _locations)."""
    where = (path, sheet, row, col)
    location = _LOCATION.get(where)
    if location is None:
        location = Location(path, sheet, a1(row, col))
        if len(_LOCATION) >= MAX_SHARED_LOCATIONS:
            _LOCATION.clear()
        _LOCATION[where] = location
    return location


def _locations(plan: _Plan, sheet: str, index: int, row: int, first: int) -> dict[str, Location]:
    """The Location of each field of record ``index`` read from ``row`` (the 一级's: the block's ``first`` row).

    The same cells recur in every workbook of a batch built from one template, so the
    Locations (frozen) are made once and shared; each record gets its own dict of them.
    """
    where = (plan, sheet, index, row, first)
    locations = _LOCATIONS.get(where)
    if locations is None:
        prefix = plan.prefix.format(index)
        locations = {
            key: Location(prefix + key, sheet, letters + str(row + 1) if letters else a1(first, col)) for key, letters, col in plan.located
        }
        if len(_LOCATIONS) >= MAX_SHARED_LOCATIONS:
            _LOCATIONS.clear()
        _LOCATIONS[where] = locations
    return locations.copy()


MAX_SHARED_LOCATIONS = 2048  # records' worth of Locations kept (at most a few MB), then started afresh
_LOCATIONS: dict[tuple, dict[str, Location]] = {}  # (plan, sheet, index, row, first) → the record's Locations
_LOCATION: dict[tuple, Location] = {}  # (path, sheet, row, col) → a form's or a setting's Location
_MADE: dict[int, tuple[Any, Any]] = {}  # id(block) → (block, its _Plan or form inputs)


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
