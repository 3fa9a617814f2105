"""The one layout of the xlperf workbooks: sheets, blocks, cells, and which of them xlperf computes.

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
from functools import cache, cached_property

from xlperf.ooxml.cells import ref
from xlperf.profile import ATTRIBUTES, NATURES, QUALITATIVE_LEVELS, SETTINGS, Profile, load_profile

TEMPLATE_VERSION = 1
TEMPLATE_PREFIX = "xlperf-"

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
            elif block.target in ("indicators", "items", "funds.rows"):
                held.update(f"{block.target}.{c.key}" for c in block.columns if c.role != COMPUTED and c.kind not in (SERIAL, NOTE))
            else:
                held.add(block.target)
        return frozenset(held)


# ---------------------------------------------------------------------------
# Pieces shared by both profiles
# ---------------------------------------------------------------------------

HINT_ADD_ROWS = "如需增加行：在本行上方插入整行"
FINDINGS_COLUMNS = (("seq", "序号", 6), ("severity", "级别", 8), ("location", "位置", 22), ("code", "代码", 26), ("message", "说明", 90))


def _list_table(name: str, target: str, header: str, gap: int = 1) -> Table:
    return Table(
        name,
        target,
        (Column("seq", "序号", 0, role=FIXED, kind=SERIAL), Column("text", header, 1, kind="long")),
        min_rows=5,
        spare=2,
        footer=(Label(HINT_ADD_ROWS, 0, 0, cols=2, style="hint"),),
        row_height=None,
        gap=gap,
    )


def _settings_sheet() -> Sheet:
    template = Form(
        "xlperf_template",
        3,
        labels=(Label("模板", 0, 0), Label("模板版本", 1, 0), Label("评分方案", 2, 0)),
        slots=(
            Slot("meta.template", "模板", 0, 1, role=FIXED, kind="meta"),
            Slot("meta.version", "模板版本", 1, 1, role=FIXED, kind="meta"),
            Slot("meta.profile", "评分方案", 2, 1, role=FIXED, kind="meta"),
        ),
    )
    settings = Table(
        "xlperf_settings",
        "settings",
        (
            Column("key", "参数", 0, role=FIXED),
            Column("value", "值（留空 = 使用默认值）", 1, kind="setting"),
            Column("help", "说明", 2, role=FIXED, kind=NOTE),
        ),
        min_rows=len(SETTINGS),
        row_height=30,
        gap=1,
        cap=200,
    )
    return Sheet("设置", (template, settings), (16, 26, 90), title="设置（评分参数）", title_cols=3, role="settings", freeze=None)


def _findings_sheet() -> Sheet:
    summary = Form("xlperf_findings_summary", 1, slots=(Slot("findings.summary", "校验概要", 0, 0, cols=5, role=COMPUTED),), heights=(22,))
    table = Table(
        "xlperf_findings",
        "findings",
        tuple(Column(key, header, i, role=COMPUTED, kind="long" if key == "message" else "text") for i, (key, header, _w) in enumerate(FINDINGS_COLUMNS)),
        min_rows=0,
        cap=10_000,
        row_height=None,
        header_height=20,
    )
    return Sheet(
        "校验结果",
        (summary, table),
        tuple(w for _k, _h, w in FINDINGS_COLUMNS),
        title="校验结果（由 xlperf 评分、校验时填写，请勿手工修改）",
        title_cols=5,
        landscape=True,
        freeze="xlperf_findings",
        repeat="xlperf_findings",
        role="findings",
        required=False,
    )


def _help_sheet() -> Sheet:
    return Sheet("填表说明", (), (4, 110), role="help", required=False)


def _narrative_form(name: str, with_goal: bool, value_cols: int) -> Form:
    fields = [
        ("project.duties", "单位职责"),
        ("project.overview", "项目概况"),
        ("project.organisation", "项目组织管理情况"),
        ("project.finance", "项目财务管理情况"),
        ("project.method", "绩效工作开展情况（评价方法、评价标准）"),
    ]
    if with_goal:
        fields += [("goal.expected", "年度总体目标"), ("goal.achieved", "年度总体目标完成情况")]
    return Form(
        name,
        len(fields),
        labels=tuple(Label(text, i, 0) for i, (_k, text) in enumerate(fields)),
        slots=tuple(Slot(key, text, i, 1, cols=value_cols, kind="long") for i, (key, text) in enumerate(fields)),
        heights=tuple(96 for _ in fields),
    )


def _choices(profile: Profile) -> dict[str, Choice]:
    level2 = tuple(dict.fromkeys(s for c in profile.categories for s in c.subcategories))
    goal2 = tuple(dict.fromkeys(s for subs in profile.goal_levels.values() for s in subs))
    choices = {
        "level1": Choice(tuple(c.name for c in profile.categories), True, "从下拉列表选择一级指标"),
        "level2": Choice(level2, False, "可从下拉列表选择，也可填写其他二级指标"),
        "nature": Choice(NATURES, True, "≥ ＞ ＝ ≤ ＜ 或 定性；留空则按年度指标值中的符号判断"),
        "attribute": Choice(ATTRIBUTES, True, None),
        "yes": Choice(("是",), True, "该指标不适用时填“是”，否则留空"),
        "rule": Choice(
            RULE_NAMES,
            False,
            "留空：按指标性质计分。也可写 阈值>95%、分档>95%:100%;>80%:80%;其他:0、每减少30扣1 等",
        ),
        "qualitative": Choice(QUALITATIVE_LEVELS, False, "定量指标填实际数值；定性指标可从下拉列表选择完成档次"),
        "source": Choice(FUND_SOURCES, False, "取数来源：资金使用率、资金到位率、到位及时率，或 指标:指标名称；可留空"),
    }
    if profile.goal_levels:
        choices["goal_level1"] = Choice(tuple(profile.goal_levels), True, "投入、产出或效益")
        choices["goal_level2"] = Choice(goal2, False, "可从下拉列表选择，也可填写其他目标类别")
    for category in profile.categories:
        choices[f"level2:{category.name}"] = Choice(category.subcategories, False, "可从下拉列表选择，也可填写其他二级指标")
    return choices


def _buttons(cells: tuple[str, str, str]) -> tuple[Button, ...]:
    return tuple(Button(cell, macro, caption) for cell, (macro, caption) in zip(cells, (("Score", "评分"), ("Check", "校验"), ("ExportReport", "生成报告"))))


BUTTON_CAPTION = "xlperf：点击按钮评分、校验或生成报告（需启用宏）"


# ---------------------------------------------------------------------------
# cz2020: 项目支出绩效自评表（财预〔2020〕10号 附件1）
# ---------------------------------------------------------------------------


def _cz2020(profile: Profile) -> Layout:
    title = Form("xlperf_title", 1, slots=(Slot("title", "标题", 0, 0, cols=10, role=COMPUTED, kind="title"),), heights=(34,))
    project = Form(
        "xlperf_project",
        4,
        labels=(
            Label("项目名称", 0, 0),
            Label("主管部门", 1, 0),
            Label("实施单位", 1, 5, cols=2),
            Label("单位名称", 2, 0),
            Label("项目属性", 2, 5, cols=2),
            Label("年度", 3, 0),
            Label("起止时间", 3, 5, cols=2),
        ),
        slots=(
            Slot("project.name", "项目名称", 0, 1, cols=9),
            Slot("project.department", "主管部门", 1, 1, cols=4),
            Slot("project.implementer", "实施单位", 1, 7, cols=3),
            Slot("project.unit", "单位名称", 2, 1, cols=4),
            Slot("project.attribute", "项目属性", 2, 7, cols=3, choices="attribute"),
            Slot("project.year", "年度", 3, 1, cols=4),
            Slot("project.period", "起止时间", 3, 7, cols=3),
        ),
        heights=(24, 24, 24, 24),
    )
    funds = Table(
        "xlperf_funds",
        "funds.rows",
        (
            Column("label", "项目", 1, cols=2, role=FIXED),
            Column("initial", "年初预算数", 3, kind="number"),
            Column("budget", "全年预算数", 4, kind="number"),
            Column("spent", "全年执行数", 5, kind="number"),
            Column("score.weight", "分值", 6, role=COMPUTED, kind="score", total_only=True),
            Column("rate", "执行率", 7, role=COMPUTED, kind="percent", total_only=True),
            Column("score.points", "得分", 8, role=COMPUTED, kind="score", total_only=True),
            Column("received", "到位资金", 9, kind="number"),
            Column("timely", "及时到位资金", 10, kind="number"),
            Column("received_rate", "资金到位率", 11, role=COMPUTED, kind="percent", total_only=True),
            Column("timely_rate", "到位及时率", 12, role=COMPUTED, kind="percent", total_only=True),
            Column("balance", "结余", 13, role=COMPUTED, kind="money", total_only=True),
        ),
        min_rows=4,
        caption="项目资金（万元）",
        cap=50,
        header_height=24,
        row_height=22,
    )
    notes = Form(
        "xlperf_funds_notes",
        1,
        labels=(Label("结余及执行率偏低原因", 0, 0), Label("单位填报执行率", 0, 7, cols=2)),
        slots=(Slot("funds.reason", "结余及执行率偏低原因", 0, 1, cols=6, kind="long"), Slot("funds.claimed_rate", "单位填报执行率", 0, 9, kind="literal")),
        heights=(48,),
    )
    goal = Form(
        "xlperf_goal",
        2,
        labels=(
            Label("年度总体目标", 0, 0, rows=2),
            Label("预期目标", 0, 1, cols=4, style="header"),
            Label("实际完成情况", 0, 5, cols=5, style="header"),
        ),
        slots=(Slot("goal.expected", "预期目标", 1, 1, cols=4, kind="long"), Slot("goal.achieved", "实际完成情况", 1, 5, cols=5, kind="long")),
        heights=(22, 110),
    )
    indicators = Table(
        "xlperf_indicators",
        "indicators",
        (
            Column("level1", "一级指标", 0, choices="level1"),
            Column("level2", "二级指标", 1, choices="level2"),
            Column("name", "三级指标", 2),
            Column("nature", "指标性质", 3, choices="nature"),
            Column("target", "年度指标值", 4, kind="literal"),
            Column("unit", "度量单位", 5),
            Column("actual", "实际完成值", 6, kind="literal", choices="qualitative"),
            Column("weight", "分值", 7, kind="number"),
            Column("points", "得分", 8, role=COMPUTED, kind="score"),
            Column("reason", "偏差原因分析及改进措施", 9, kind="long"),
            Column("ratio", "完成比值", 10, role=COMPUTED, kind="percent"),
            Column("claimed_score", "自评得分", 11, kind="number"),
            Column("not_applicable", "不适用", 12, choices="yes"),
            Column("rule", "计分规则", 13, choices="rule"),
            Column("explanation", "得分说明", 14, role=COMPUTED, kind="long"),
            Column("reference", "上年实际完成值", 15, kind="literal"),  # filled by xlperf new --from (carry-over)
        ),
        min_rows=30,
        spare=5,
        footer=(
            Label("总分", 0, 0, cols=7, style="footer"),
            Slot("total_weight", "分值合计", 0, 7, role=COMPUTED, kind="score"),
            Slot("total", "得分合计", 0, 8, role=COMPUTED, kind="score"),
            Label(HINT_ADD_ROWS, 0, 10, cols=5, style="hint"),
        ),
        row_height=None,
        header_height=36,
    )
    totals = Form(
        "xlperf_totals",
        2,
        labels=(
            Label("自评等级", 0, 0),
            Label("单位自评总分", 0, 3, cols=2),
            Label("单位自评等级", 0, 7, cols=2),
            Label("填报人", 1, 0),
            Label("联系电话", 1, 3, cols=2),
            Label("填报日期", 1, 7, cols=2),
        ),
        slots=(
            Slot("grade", "自评等级", 0, 1, cols=2, role=COMPUTED),
            Slot("claimed_total", "单位自评总分", 0, 5, cols=2, kind="number"),
            Slot("claimed_grade", "单位自评等级", 0, 9),
            Slot("project.filled_by", "填报人", 1, 1, cols=2),
            Slot("project.phone", "联系电话", 1, 5, cols=2),
            Slot("project.filled_on", "填报日期", 1, 9, kind="date"),
        ),
        heights=(24, 24),
    )
    subtotals = Table(
        "xlperf_subtotals",
        "subtotals",
        (
            Column("level1", "一级指标（分项汇总，xlperf 计算）", 0, cols=3, role=FIXED),
            Column("expected_weight", "应有分值", 3, role=COMPUTED, kind="score"),
            Column("weight", "分值合计", 4, role=COMPUTED, kind="score"),
            Column("points", "得分合计", 5, role=COMPUTED, kind="score"),
        ),
        min_rows=len(profile.categories) + 1,
        gap=1,
        cap=50,
        header_height=24,
    )
    form = Sheet(
        "自评表",
        (title, project, funds, notes, goal, indicators, totals, subtotals),
        (11, 13, 26, 10, 13, 8, 13, 7, 7, 30, 10, 9, 8, 12, 40, 16),
        landscape=True,
        print_cols=10,
        print_last="xlperf_totals",
        repeat="xlperf_indicators",
    )
    report = Sheet(
        "报告材料",
        (
            _narrative_form("xlperf_narrative", with_goal=False, value_cols=1),
            _list_table("xlperf_problems", "problems", "存在的问题"),
            _list_table("xlperf_measures", "measures", "改进措施"),
            _list_table("xlperf_suggestions", "suggestions", "意见建议"),
        ),
        (22, 100),
        title="报告材料（生成自评报告用，可选填）",
        title_cols=2,
    )
    return Layout(
        profile="cz2020",
        template_id=TEMPLATE_PREFIX + "cz2020",
        version=TEMPLATE_VERSION,
        sheets=(form, report, _findings_sheet(), _settings_sheet(), _help_sheet()),
        choices=_choices(profile),
        buttons=_buttons(("K3", "M3", "O3")),
        button_caption=Label(BUTTON_CAPTION, 1, 10, cols=5, style="hint"),
    )


# ---------------------------------------------------------------------------
# fj2018: 财预〔2011〕285号 框架（宁德 2018 样本）
# ---------------------------------------------------------------------------


def _fj2018(profile: Profile) -> Layout:
    project = Form(
        "xlperf_project",
        7,
        labels=(
            Label("单位名称", 0, 0),
            Label("主管部门", 1, 0),
            Label("实施单位", 1, 2),
            Label("项目名称", 2, 0),
            Label("年度", 3, 0),
            Label("项目属性", 3, 2),
            Label("起止时间", 4, 0),
            Label("填报人", 5, 0),
            Label("联系电话", 5, 2),
            Label("填报日期", 6, 0),
        ),
        slots=(
            Slot("project.unit", "单位名称", 0, 1, cols=3),
            Slot("project.department", "主管部门", 1, 1),
            Slot("project.implementer", "实施单位", 1, 3),
            Slot("project.name", "项目名称", 2, 1, cols=3),
            Slot("project.year", "年度", 3, 1),
            Slot("project.attribute", "项目属性", 3, 3, choices="attribute"),
            Slot("project.period", "起止时间", 4, 1, cols=3),
            Slot("project.filled_by", "填报人", 5, 1),
            Slot("project.phone", "联系电话", 5, 3),
            Slot("project.filled_on", "填报日期", 6, 1, kind="date"),
        ),
        heights=(24,) * 7,
    )
    basics = Sheet(
        "基本情况",
        (project, _narrative_form("xlperf_narrative", with_goal=True, value_cols=3)),
        (20, 26, 14, 26, 3, 14, 14, 14),
        title="项目支出绩效自评——基本情况",
        title_cols=4,
        print_cols=4,
    )
    funds = Sheet(
        "资金",
        (
            Table(
                "xlperf_funds",
                "funds.rows",
                (
                    Column("label", "项目", 0, role=FIXED),
                    Column("initial", "年初预算数", 1, kind="number"),
                    Column("budget", "全年预算数（总投入）", 2, kind="number"),
                    Column("received", "到位资金", 3, kind="number"),
                    Column("timely", "及时到位资金", 4, kind="number"),
                    Column("spent", "全年执行数（实际支出）", 5, kind="number"),
                    Column("received_rate", "资金到位率", 6, role=COMPUTED, kind="percent", total_only=True),
                    Column("timely_rate", "到位及时率", 7, role=COMPUTED, kind="percent", total_only=True),
                    Column("rate", "资金使用率（执行率）", 8, role=COMPUTED, kind="percent", total_only=True),
                    Column("balance", "结余", 9, role=COMPUTED, kind="money", total_only=True),
                    Column("score.weight", "执行率分值", 10, role=COMPUTED, kind="score", total_only=True),
                    Column("score.points", "执行率得分", 11, role=COMPUTED, kind="score", total_only=True),
                ),
                min_rows=4,
                cap=50,
                header_height=36,
                row_height=22,
            ),
            Form(
                "xlperf_funds_notes",
                2,
                labels=(Label("填报的资金使用率", 0, 0), Label("结余原因", 1, 0)),
                slots=(Slot("funds.claimed_rate", "填报的资金使用率", 0, 1, kind="literal"), Slot("funds.reason", "结余原因", 1, 1, cols=11, kind="long")),
                heights=(24, 72),
                gap=1,
            ),
        ),
        (18, 12, 14, 12, 12, 14, 11, 11, 12, 11, 10, 10),
        title="项目资金情况（万元）",
        title_cols=12,
        landscape=True,
    )
    goals = Sheet(
        "绩效目标",
        (
            Table(
                "xlperf_indicators",
                "indicators",
                (
                    Column("level1", "一级", 0, choices="goal_level1"),
                    Column("level2", "二级", 1, choices="goal_level2"),
                    Column("name", "指标名称", 2),
                    Column("nature", "指标性质", 3, choices="nature"),
                    Column("reference", "参考标准", 4, kind="literal"),
                    Column("target", "绩效目标值", 5, kind="literal"),
                    Column("unit", "度量单位", 6),
                    Column("actual", "实际完成值", 7, kind="literal", choices="qualitative"),
                    Column("ratio", "完成比值", 8, role=COMPUTED, kind="percent"),
                    Column("reason", "偏差原因", 9, kind="long"),
                    Column("explanation", "计算说明", 10, role=COMPUTED, kind="long"),
                ),
                min_rows=30,
                spare=5,
                footer=(Label(HINT_ADD_ROWS, 0, 0, cols=11, style="hint"),),
                row_height=None,
            ),
        ),
        (8, 14, 30, 8, 14, 14, 8, 14, 10, 30, 34),
        title="绩效目标完成情况",
        title_cols=11,
        landscape=True,
        freeze="xlperf_indicators",
        repeat="xlperf_indicators",
    )
    item_blocks: list[Block] = []
    for i, category in enumerate(profile.categories):
        defaults = sum(1 for item in profile.items if item.get("level1") == category.name)
        item_blocks.append(
            Table(
                f"xlperf_items_{i + 1}",
                "items",
                (
                    Column("level1", "一级", 0, role=FIXED, kind=CATEGORY),
                    Column("level2", "二级", 1, choices=f"level2:{category.name}"),
                    Column("name", "三级", 2),
                    Column("weight", "分值", 3, kind="number"),
                    Column("criterion", "评分标准", 4, kind="long"),
                    Column("rule", "计分规则", 5, choices="rule"),
                    Column("source", "数据来源", 6, choices="source"),
                    Column("target", "标准值", 7, kind="literal"),
                    Column("actual", "实际值", 8, kind="literal", choices="qualitative"),
                    Column("situation", "实际情况", 9, kind="long"),
                    Column("claimed_score", "自评得分", 10, kind="number"),
                    Column("points", "得分", 11, role=COMPUTED, kind="score"),
                    Column("reason", "扣分原因", 12, kind="long"),
                    Column("not_applicable", "不适用", 13, choices="yes"),
                    Column("explanation", "得分说明", 14, role=COMPUTED, kind="long"),
                ),
                min_rows=max(defaults + 2, 20 if defaults == 0 else 0),
                spare=2 if defaults else 3,
                footer=(
                    Label(f"{category.name}小计", 0, 0, cols=3, style="footer"),
                    Slot("subtotal.weight", "分值小计", 0, 3, role=COMPUTED, kind="score"),
                    Label(HINT_ADD_ROWS, 0, 4, style="hint"),
                    Slot("subtotal.points", "得分小计", 0, 11, role=COMPUTED, kind="score"),
                ),
                category=category.name,
                joined=i > 0,
                row_height=None,
            )
        )
    item_blocks.append(
        Form(
            "xlperf_items_total",
            2,
            labels=(
                Label("总分", 0, 0, cols=3, style="footer"),
                Label("自评等级", 1, 0, cols=3),
                Label("单位自评总分", 1, 5),
                Label("单位自评等级", 1, 7),
            ),
            slots=(
                Slot("total_weight", "分值合计", 0, 3, role=COMPUTED, kind="score"),
                Slot("total", "得分合计", 0, 11, role=COMPUTED, kind="score"),
                Slot("grade", "自评等级", 1, 3, cols=2, role=COMPUTED),
                Slot("claimed_total", "单位自评总分", 1, 6, kind="number"),
                Slot("claimed_grade", "单位自评等级", 1, 8),
            ),
            heights=(24, 24),
        )
    )
    rubric = Sheet(
        "评分表",
        tuple(item_blocks),
        (8, 12, 22, 6, 34, 12, 14, 12, 12, 30, 8, 7, 20, 6, 34),
        title="项目支出绩效自评评分表",
        title_cols=15,
        landscape=True,
        freeze="xlperf_items_1",
        repeat="xlperf_items_1",
    )
    problems = Sheet(
        "问题与改进措施",
        (_list_table("xlperf_problems", "problems", "存在的问题", gap=0), _list_table("xlperf_measures", "measures", "改进措施")),
        (6, 100),
        title="存在的问题和改进措施",
        title_cols=2,
    )
    suggestions = Sheet("意见建议", (_list_table("xlperf_suggestions", "suggestions", "意见建议", gap=0),), (6, 100), title="下一步改进工作的意见和建议", title_cols=2)
    return Layout(
        profile="fj2018",
        template_id=TEMPLATE_PREFIX + "fj2018",
        version=TEMPLATE_VERSION,
        sheets=(basics, funds, goals, rubric, problems, suggestions, _findings_sheet(), _settings_sheet(), _help_sheet()),
        choices=_choices(profile),
        buttons=_buttons(("F3", "G3", "H3")),
        button_caption=Label(BUTTON_CAPTION, 1, 5, cols=3, style="hint"),
    )


# ---------------------------------------------------------------------------
# Where the blocks land
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The rows a block occupies in one workbook: what its defined name covers (0-based, inclusive)."""

    sheet: str
    first: int
    last: int


def data_rows(table: Table, span: Span) -> range:
    """The repeating rows of a table: between the header (or the previous footer) and the footer."""
    return range(span.first + 1, span.last if table.footer else span.last + 1)


def plan(layout: Layout, sizes: dict[str, int] | None = None) -> dict[str, Span]:
    """Block spans of a workbook built with ``sizes`` (table name → number of rows; default ``min_rows``)."""
    sizes = sizes or {}
    spans: dict[str, Span] = {}
    for sheet in layout.sheets:
        row = sheet.first_row
        previous: Table | None = None
        for block in sheet.blocks:
            if isinstance(block, Table):
                if block.joined:
                    assert previous is not None and previous.footer, f"{block.name} joins a table without a footer"
                    first = spans[previous.name].last
                else:
                    first = row + block.gap
                count = sizes.get(block.name, block.min_rows)
                last = first + count + (1 if block.footer else 0)
                previous = block
            else:
                first = row + block.gap
                last = first + block.rows - 1
                previous = None
            spans[block.name] = Span(sheet.name, first, last)
            row = last + 1
    return spans


def title_text(year) -> str:
    """「项目支出绩效自评表（2020年度）」, with the year as typed (blank when empty)."""
    text = "" if year is None else str(int(year) if isinstance(year, float) and year.is_integer() else year).strip()
    for suffix in ("年度", "年"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    return f"项目支出绩效自评表（{text or '    '}年度）"


_BUILDERS = {"cz2020": _cz2020, "fj2018": _fj2018}
LAYOUT_IDS = tuple(_BUILDERS)


@cache
def layout_for(profile_id: str) -> Layout:
    """The workbook layout of a profile (``cz2020`` or ``fj2018``)."""
    try:
        make = _BUILDERS[profile_id]
    except KeyError:
        raise ValueError(f"no workbook layout for profile {profile_id!r}; layouts: {', '.join(LAYOUT_IDS)}") from None
    layout = make(load_profile(profile_id))
    _check(layout)
    return layout


def layout_for_template(template_id: str) -> Layout | None:
    """The layout a template id (``xlperf-cz2020``) names, or None if this program does not know it."""
    if not template_id.startswith(TEMPLATE_PREFIX):
        return None
    profile_id = template_id[len(TEMPLATE_PREFIX):]
    return layout_for(profile_id) if profile_id in _BUILDERS else None


def _check(layout: Layout) -> None:
    """Catch layout slips early: duplicate names, overlapping cells, cells outside the sheet."""
    names = [b.name for _s, b in layout.blocks()]
    if len(names) != len(set(names)):
        raise AssertionError(f"duplicate block names in layout {layout.profile}")
    for sheet in layout.sheets:
        for block in sheet.blocks:
            if isinstance(block, Form):
                groups = [[(x.row, x.col, x.rows, x.cols) for x in (*block.labels, *block.slots)]]
            else:
                groups = [[(0, c.col, 1, c.cols) for c in block.columns], [(0, x.col, 1, x.cols) for x in block.footer]]
            for items in groups:
                cells: set[tuple[int, int]] = set()
                for row, col, rows, cols in items:
                    for r in range(row, row + rows):
                        for c in range(col, col + cols):
                            if (r, c) in cells or c >= len(sheet.widths):
                                raise AssertionError(f"{layout.profile} {sheet.name} {block.name}: {a1(r, c)} overlaps or lies outside the sheet")
                            cells.add((r, c))
