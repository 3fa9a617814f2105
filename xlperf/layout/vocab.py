"""The block vocabulary of the xlperf workbooks: sheets, blocks, cells, and which of them xlperf computes.

The builder lays a workbook out from it, the reader finds the values with it and
the writer finds the computed cells with it, so moving a column is one edit here.

A sheet is a stack of blocks. A ``Form`` is a fixed group of labels and single
cells; a ``Table`` is a header row, repeating rows and (usually) a closing row.
Each block gets a workbook-level defined name (``xlperf_indicators``) covering
its rows from the header to the closing row, so a row staff insert anywhere
between them grows the name, and the reader and writer follow it. A ``joined``
table has no header of its own: its name starts at the previous table's closing
row (the fj2018 评分表 blocks, one per 一级, each closed by its 小计 row).

Rows and columns here are 0-based offsets, as in XlsxWriter and in value grids;
``a1`` converts to a cell reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from xlperf.ooxml.cells import ref

TEMPLATE_VERSION = 1
TEMPLATE_PREFIX = "xlperf-"
PROFILE_SHEET = "xlperf_profile"  # hidden sheet: the profile's TOML in A1, A2 … (30 000 characters a cell)
PROFILE_CHUNK = 30_000

# Roles of a cell.
INPUT = "input"  # staff type here: light yellow, unlocked
COMPUTED = "computed"  # xlperf writes here when scoring: grey, locked
FIXED = "fixed"  # labels and constants the builder writes: locked

# Kinds of FIXED table columns that are decoration, not data.
SERIAL = "serial"  # 序号 1, 2, 3 …
CATEGORY = "category"  # the block's 一级, merged down the block
NOTE = "note"  # explanatory text (设置 说明)

RULE_NAMES = ("正向", "反向", "等于", "定性", "按期", "是否", "手工", "执行率")
FUND_SOURCES = ("资金使用率", "资金到位率", "到位及时率")
EXECUTION_ROW = "预算执行率"


def a1(row: int, col: int) -> str:
    """0-based (row, col) → 'B3'."""
    return ref(row + 1, col + 1)


@dataclass(frozen=True)
class Label:
    """Fixed text in a block; ``style``: label, header, footer, hint."""

    text: str
    row: int
    col: int
    rows: int = 1
    cols: int = 1
    style: str = "label"


@dataclass(frozen=True)
class Slot:
    """A single value cell: a model field path (input) or an output key (computed)."""

    key: str
    label: str  # the Label beside or above it (messages, finding the row again)
    row: int
    col: int
    rows: int = 1
    cols: int = 1
    role: str = INPUT
    kind: str = "text"  # text, literal (text format: 95% stays text), long, number, percent, score, money, date, title, meta
    choices: str | None = None


@dataclass(frozen=True)
class Form:
    """A fixed group of labels and single cells."""

    name: str
    rows: int
    labels: tuple[Label, ...] = ()
    slots: tuple[Slot, ...] = ()
    heights: tuple[float | None, ...] = ()  # row heights in points, per row
    gap: int = 0  # empty rows above the block

    @property
    def anchor(self) -> Label | None:
        """The label the reader looks for when the defined name is lost."""
        return self.labels[0] if self.labels else None

    def label_of(self, slot: Slot) -> Label | None:
        return self._labels_by_text.get(slot.label)

    @cached_property
    def _labels_by_text(self) -> dict[str, Label]:
        """Each label text → its first Label (what a scan of ``labels`` would find)."""
        index: dict[str, Label] = {}
        for label in self.labels:
            index.setdefault(label.text, label)
        return index


@dataclass(frozen=True)
class Column:
    """One column of a table: a record field (input/fixed) or an output key (computed)."""

    key: str
    header: str
    col: int
    cols: int = 1
    role: str = INPUT
    kind: str = "text"
    choices: str | None = None
    total_only: bool = False  # computed only on the first row (年度资金总额)
    width: float | None = None


@dataclass(frozen=True)
class Table:
    """A header row, repeating rows, and a closing row (``footer``) if any."""

    name: str
    target: str  # indicators, items, funds.rows, problems, measures, suggestions, settings, subtotals, findings
    columns: tuple[Column, ...]
    min_rows: int
    spare: int = 0  # empty rows kept below the filled ones
    footer: tuple[Label | Slot, ...] = ()  # the closing row; Slot.row is 0
    category: str | None = None  # the 一级 this block holds (fj2018 评分表)
    joined: bool = False  # starts at the previous table's footer row
    caption: str | None = None  # side caption in column A over header and rows (项目资金（万元）)
    cap: int = 2000  # rows read at most
    header_height: float | None = 30
    row_height: float | None = 20  # None: Excel fits the height to the text as staff type
    gap: int = 0

    @cached_property  # the reader asks for these for every row; a Table is frozen
    def data_columns(self) -> tuple[Column, ...]:
        """Columns whose cells make a row count as filled."""
        return tuple(c for c in self.columns if c.role == INPUT or (c.role == FIXED and c.kind not in (SERIAL, CATEGORY, NOTE)))

    @cached_property
    def anchor(self) -> Column:
        """The header the reader looks for when the defined name is lost: the first data column's."""
        return next((c for c in self.data_columns if c.header), None) or next(c for c in self.columns if c.header)

    @cached_property
    def footer_label(self) -> Label | None:
        return next((x for x in self.footer if isinstance(x, Label) and x.style == "footer"), None) or next(
            (x for x in self.footer if isinstance(x, Label)), None
        )

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @cached_property
    def computed(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role == COMPUTED)


Block = Form | Table


@dataclass(frozen=True)
class Sheet:
    name: str
    blocks: tuple[Block, ...]
    widths: tuple[float, ...]
    title: str | None = None  # fixed title in row 0 across ``title_cols`` columns
    title_cols: int = 0
    landscape: bool = False
    print_cols: int | None = None  # columns printed from A; None: all columns with widths
    print_last: str | None = None  # last block printed; None: all blocks
    freeze: str | None = None  # freeze panes below this table's header row
    repeat: str | None = None  # print this table's header row on every page
    role: str = "input"  # input, settings, findings, help
    required: bool = True

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def first_row(self) -> int:
        return 1 if self.title else 0


@dataclass(frozen=True)
class Choice:
    """A drop-down list. ``strict``: Excel warns on other text; otherwise it accepts it silently."""

    values: tuple[str, ...]
    strict: bool = True
    message: str | None = None


@dataclass(frozen=True)
class Button:
    cell: str
    macro: str
    caption: str


@dataclass(frozen=True)
class Layout:
    profile: str
    template_id: str
    version: int
    sheets: tuple[Sheet, ...]
    choices: dict[str, Choice] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    button_caption: Label | None = None  # on the first sheet, above the buttons

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    def blocks(self):
        """(sheet, block) for every block, in sheet and row order."""
        for sheet in self.sheets:
            for block in sheet.blocks:
                yield sheet, block

    def block(self, name: str) -> Block:
        return next(b for _s, b in self.blocks() if b.name == name)

    def sheet_of(self, name: str) -> Sheet:
        return next(s for s, b in self.blocks() if b.name == name)

    def tables(self, target: str) -> list[Table]:
        return [b for _s, b in self.blocks() if isinstance(b, Table) and b.target == target]

    def slot(self, key: str) -> tuple[Form, Slot] | None:
        for _sheet, block in self.blocks():
            if isinstance(block, Form):
                for slot in block.slots:
                    if slot.key == key:
                        return block, slot
        return None

    @property
    def settings_sheet(self) -> Sheet:
        return next(s for s in self.sheets if s.role == "settings")

    @property
    def findings_sheet(self) -> Sheet | None:
        return next((s for s in self.sheets if s.role == "findings"), None)

    @property
    def help_sheet(self) -> Sheet | None:
        return next((s for s in self.sheets if s.role == "help"), None)

    def holds(self, path: str) -> bool:
        """Whether a model field path (``project.name``, ``indicators.target``) has a cell here."""
        return path in self.held_fields

    @property
    def held_fields(self) -> frozenset[str]:
        held: set[str] = set()
        for _sheet, block in self.blocks():
            if isinstance(block, Form):
                held.update(s.key for s in block.slots if s.role == INPUT)
            elif block.target in ("indicators", "items", "funds.rows", "tasks"):
                held.update(f"{block.target}.{c.key}" for c in block.columns if c.role != COMPUTED and c.kind not in (SERIAL, NOTE))
            else:
                held.add(block.target)
        return frozenset(held)

