"""One generic form builder: a profile's framework picks a sheet plan (data), its ``[form]`` the columns.

A sheet plan (``SHEET_PLANS``) lists each sheet's blocks by name; ``BLOCKS`` maps a block name to
the function that makes the block from the profile (shared block definitions). ``build_form``
walks the plan, so the 10号 自评表 (``indicators``) and the 宁德 评分表 (``rubric``) are two entries
of data, and a profile adds blocks (``[form] blocks = ["tasks"]``) or drops columns
(``nature``/``unit`` inside 指标值, no 分值 column) without new code.

Printed columns sit on a fixed grid (10 columns on the 自评表): a column the profile leaves out
gives its place to the column on its left (三级指标 spans 指标性质's place), so the blocks above
and below keep their cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xlperf.layout.blocks import BUTTON_CAPTION, HINT_ADD_ROWS, _buttons, _choices, _findings_sheet, _help_sheet, _list_table, _narrative_form, _settings_sheet
from xlperf.layout.vocab import CATEGORY, COMPUTED, FIXED, TEMPLATE_PREFIX, TEMPLATE_VERSION, Block, Column, Form, Label, Layout, Sheet, Slot, Table
from xlperf.profile import Profile

# ---------------------------------------------------------------------------
# Columns a profile may leave out
# ---------------------------------------------------------------------------

OPTIONAL_COLUMNS = {"nature": "nature", "unit": "unit", "weight": "weights"}  # column key → [form] key


def shown(profile: Profile, key: str) -> bool:
    """Whether the form has this column (指标性质, 度量单位, 分值) under the profile's ``[form]``."""
    option = OPTIONAL_COLUMNS.get(key)
    return option is None or getattr(profile.form, option) == "column"


def printed(profile: Profile, columns: list[Column]) -> tuple[Column, ...]:
    """The columns the profile shows; each left-out column's grid place goes to the column before it."""
    kept: list[Column] = []
    for column in columns:
        if shown(profile, column.key):
            kept.append(column)
        elif kept:
            previous = kept[-1]
            kept[-1] = Column(previous.key, previous.header, previous.col, previous.cols + column.cols, previous.role, previous.kind, previous.choices, previous.total_only, previous.width)
    return tuple(kept)


def _target_header(profile: Profile, header: str) -> str:
    """年度指标值, with what it must carry when there is no column for it: 「年度指标值（含符号和单位）」."""
    inside = [name for key, name in (("nature", "符号"), ("unit", "单位")) if not shown(profile, key)]
    return f"{header}（含{'和'.join(inside)}）" if inside else header


# ---------------------------------------------------------------------------
# Block definitions: name → block(s) made from the profile
# ---------------------------------------------------------------------------


def _title(profile: Profile) -> Form:
    return Form("xlperf_title", 1, slots=(Slot("title", "标题", 0, 0, cols=10, role=COMPUTED, kind="title"),), heights=(34,))


def _project_wide(profile: Profile) -> Form:
    return Form(
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


def _funds_wide(profile: Profile) -> Table:
    return Table(
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


def _funds_notes_wide(profile: Profile) -> Form:
    return Form(
        "xlperf_funds_notes",
        1,
        labels=(Label("结余及执行率偏低原因", 0, 0), Label("单位填报执行率", 0, 7, cols=2), Label("单位自评执行率得分", 0, 10, cols=2)),
        slots=(Slot("funds.reason", "结余及执行率偏低原因", 0, 1, cols=6, kind="long"), Slot("funds.claimed_rate", "单位填报执行率", 0, 9, kind="literal"),
               Slot("funds.claimed_score", "单位自评执行率得分", 0, 12, kind="number")),  # issue 10: the claimed 执行率 得分
        heights=(48,),
    )


def _goal_wide(profile: Profile) -> Form:
    return Form(
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


IMPLIED_WEIGHT_HEADER = "分值（按评分方案）"


def _indicators_wide(profile: Profile) -> Table:
    """The 10号 绩效指标 table: 10 printed columns, then xlperf's own (完成比值 … 上年实际完成值)."""
    columns = [
        *printed(profile, [
            Column("level1", "一级指标", 0, choices="level1"),
            Column("level2", "二级指标", 1, choices="level2"),
            Column("name", "三级指标", 2),
            Column("nature", "指标性质", 3, choices="nature"),
            Column("target", _target_header(profile, "年度指标值"), 4, kind="literal"),
            Column("unit", "度量单位", 5),
            Column("actual", "实际完成值", 6, kind="literal", choices="qualitative"),
            Column("weight", "分值", 7, kind="number"),
            Column("points", "得分", 8, role=COMPUTED, kind="score"),
            Column("reason", "偏差原因分析及改进措施", 9, kind="long"),
        ]),
        Column("ratio", "完成比值", 10, role=COMPUTED, kind="percent"),
        Column("claimed_score", "自评得分", 11, kind="number"),
        Column("not_applicable", "不适用", 12, choices="yes"),
        Column("rule", "计分规则", 13, choices="rule"),
        Column("explanation", "得分说明", 14, role=COMPUTED, kind="long"),
        Column("reference", "上年实际完成值", 15, kind="literal"),  # filled by xlperf new --from (carry-over)
    ]
    if profile.form.implied:  # no 分值 column on the form: xlperf shows the weight the profile gives
        columns.append(Column("weight", IMPLIED_WEIGHT_HEADER, 16, role=COMPUTED, kind="score", width=10))
    weighted = shown(profile, "weight")
    footer = (
        Label("总分", 0, 0, cols=7 if weighted else 8, style="footer"),
        *((Slot("total_weight", "分值合计", 0, 7, role=COMPUTED, kind="score"),) if weighted else ()),
        Slot("total", "得分合计", 0, 8, role=COMPUTED, kind="score"),
        Label(HINT_ADD_ROWS, 0, 10, cols=5, style="hint"),
    )
    return Table("xlperf_indicators", "indicators", tuple(columns), min_rows=30, spare=5, footer=footer, row_height=None, header_height=36)


def _totals_wide(profile: Profile) -> Form:
    return Form(
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


def _subtotals(profile: Profile) -> Table:
    return Table(
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


def _project_tall(profile: Profile) -> Form:
    return Form(
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


def _funds_tall(profile: Profile) -> Table:
    return Table(
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
    )


def _funds_notes_tall(profile: Profile) -> Form:
    return Form(
        "xlperf_funds_notes",
        2,
        labels=(Label("填报的资金使用率", 0, 0), Label("结余原因", 1, 0), Label("自评执行率得分", 0, 2)),
        slots=(Slot("funds.claimed_rate", "填报的资金使用率", 0, 1, kind="literal"), Slot("funds.reason", "结余原因", 1, 1, cols=11, kind="long"),
               Slot("funds.claimed_score", "自评执行率得分", 0, 3, kind="number")),  # issue 10: the claimed 执行率 得分
        heights=(24, 72),
        gap=1,
    )


def _goals_table(profile: Profile) -> Table:
    """The 绩效目标 table of a rubric form: not scored itself; 评分项 take their values from it."""
    columns = printed(profile, [
        Column("level1", "一级", 0, choices="goal_level1"),
        Column("level2", "二级", 1, choices="goal_level2"),
        Column("name", "指标名称", 2),
        Column("nature", "指标性质", 3, choices="nature"),
        Column("reference", "参考标准", 4, kind="literal"),
        Column("target", _target_header(profile, "绩效目标值"), 5, kind="literal"),
        Column("unit", "度量单位", 6),
        Column("actual", "实际完成值", 7, kind="literal", choices="qualitative"),
        Column("ratio", "完成比值", 8, role=COMPUTED, kind="percent"),
        Column("reason", "偏差原因", 9, kind="long"),
        Column("explanation", "计算说明", 10, role=COMPUTED, kind="long"),
    ])
    return Table("xlperf_indicators", "indicators", columns, min_rows=30, spare=5, footer=(Label(HINT_ADD_ROWS, 0, 0, cols=11, style="hint"),), row_height=None)


def _rubric_items(profile: Profile) -> list[Block]:
    """One 评分表 block per 一级, each closed by its 小计 row, then the 总分 and 等级 rows."""
    blocks: list[Block] = []
    for i, category in enumerate(profile.categories):
        defaults = sum(1 for item in profile.items if item.get("level1") == category.name)
        blocks.append(
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
    blocks.append(
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
    return blocks


def _tasks_wide(profile: Profile) -> Table:
    """部门整体支出 自评: 年度主要任务 with 主要内容, 预算数 and 执行数 per task (``[form] blocks = ["tasks"]``)."""
    return Table(
        "xlperf_tasks",
        "tasks",
        (
            Column("name", "年度主要任务", 0, cols=2),
            Column("content", "主要内容", 2, cols=3, kind="long"),
            Column("budget", "预算数（万元）", 5, kind="number"),
            Column("spent", "执行数（万元）", 6, kind="number"),
            Column("rate", "执行率", 7, role=COMPUTED, kind="percent"),
            Column("note", "说明", 8, cols=2, kind="long"),
        ),
        min_rows=5,
        spare=2,
        footer=(Label(HINT_ADD_ROWS, 0, 0, cols=10, style="hint"),),
        row_height=None,
        header_height=24,
        gap=0,
    )


BLOCKS: dict[str, Callable[[Profile], Block | list[Block]]] = {
    "title": _title,
    "project_wide": _project_wide,
    "funds_wide": _funds_wide,
    "funds_notes_wide": _funds_notes_wide,
    "goal_wide": _goal_wide,
    "tasks_wide": _tasks_wide,
    "indicators_wide": _indicators_wide,
    "totals_wide": _totals_wide,
    "subtotals": _subtotals,
    "project_tall": _project_tall,
    "narrative": lambda p: _narrative_form("xlperf_narrative", with_goal=False, value_cols=1),
    "narrative_with_goal": lambda p: _narrative_form("xlperf_narrative", with_goal=True, value_cols=3),
    "funds_tall": _funds_tall,
    "funds_notes_tall": _funds_notes_tall,
    "goals_table": _goals_table,
    "rubric_items": _rubric_items,
    "problems": lambda p: _list_table("xlperf_problems", "problems", "存在的问题"),
    "problems_first": lambda p: _list_table("xlperf_problems", "problems", "存在的问题", gap=0),
    "measures": lambda p: _list_table("xlperf_measures", "measures", "改进措施"),
    "suggestions": lambda p: _list_table("xlperf_suggestions", "suggestions", "意见建议"),
    "suggestions_first": lambda p: _list_table("xlperf_suggestions", "suggestions", "意见建议", gap=0),
}

# ---------------------------------------------------------------------------
# Sheet plans: data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetPlan:
    """A sheet as data: its block names and how it prints; ``Sheet`` fields by name."""

    name: str
    blocks: tuple[str, ...]
    widths: tuple[float, ...]
    options: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class FormPlan:
    sheets: tuple[SheetPlan, ...]
    buttons: tuple[str, str, str]  # cells of 评分, 校验, 生成报告 on the first sheet
    caption: tuple[int, int, int]  # row, column and width of the caption above the buttons
    optional: tuple[tuple[str, str, str], ...] = ()  # (profile's block, block made, the block it follows)


SHEET_PLANS: dict[str, FormPlan] = {
    # 项目支出绩效自评表（财预〔2020〕10号 附件1）: one sheet, scored 绩效指标
    "indicators": FormPlan(
        sheets=(
            SheetPlan(
                "自评表",
                ("title", "project_wide", "funds_wide", "funds_notes_wide", "goal_wide", "indicators_wide", "totals_wide", "subtotals"),
                (11, 13, 26, 10, 13, 8, 13, 7, 7, 30, 10, 9, 8, 12, 40, 16),
                (("landscape", True), ("print_cols", 10), ("print_last", "xlperf_totals"), ("repeat", "xlperf_indicators")),
            ),
            SheetPlan("报告材料", ("narrative", "problems", "measures", "suggestions"), (22, 100), (("title", "报告材料（生成自评报告用，可选填）"), ("title_cols", 2))),
        ),
        buttons=("K3", "M3", "O3"),
        caption=(1, 10, 5),
        optional=(("tasks", "tasks_wide", "goal_wide"),),
    ),
    # 财预〔2011〕285号 框架（宁德 2018 样本）: 评分表 blocks, one per 一级
    "rubric": FormPlan(
        sheets=(
            SheetPlan("基本情况", ("project_tall", "narrative_with_goal"), (20, 26, 14, 26, 3, 14, 14, 14), (("title", "项目支出绩效自评——基本情况"), ("title_cols", 4), ("print_cols", 4))),
            SheetPlan("资金", ("funds_tall", "funds_notes_tall"), (18, 12, 14, 12, 12, 14, 11, 11, 12, 11, 10, 10), (("title", "项目资金情况（万元）"), ("title_cols", 12), ("landscape", True))),
            SheetPlan(
                "绩效目标", ("goals_table",), (8, 14, 30, 8, 14, 14, 8, 14, 10, 30, 34),
                (("title", "绩效目标完成情况"), ("title_cols", 11), ("landscape", True), ("freeze", "xlperf_indicators"), ("repeat", "xlperf_indicators")),
            ),
            SheetPlan(
                "评分表", ("rubric_items",), (8, 12, 22, 6, 34, 12, 14, 12, 12, 30, 8, 7, 20, 6, 34),
                (("title", "项目支出绩效自评评分表"), ("title_cols", 15), ("landscape", True), ("freeze", "xlperf_items_1"), ("repeat", "xlperf_items_1")),
            ),
            SheetPlan("问题与改进措施", ("problems_first", "measures"), (6, 100), (("title", "存在的问题和改进措施"), ("title_cols", 2))),
            SheetPlan("意见建议", ("suggestions_first",), (6, 100), (("title", "下一步改进工作的意见和建议"), ("title_cols", 2))),
        ),
        buttons=("F3", "G3", "H3"),
        caption=(1, 5, 3),
    ),
}


def _plan_blocks(plan: FormPlan, sheet: SheetPlan, profile: Profile) -> list[str]:
    names = list(sheet.blocks)
    for wanted, made, after in plan.optional:
        if wanted in profile.form.blocks and after in names:
            names.insert(names.index(after) + 1, made)
    return names


def _widths(widths: tuple[float, ...], blocks: list[Block]) -> tuple[float, ...]:
    """The plan's widths, extended for table columns beyond them (a column the profile adds)."""
    out = list(widths)
    for block in blocks:
        if isinstance(block, Table):
            for column in block.columns:
                while len(out) < column.col + column.cols:
                    out.append(column.width or 12)
    return tuple(out)


def build_form(profile: Profile) -> Layout:
    """The layout of any profile: its framework's sheet plan, its blocks made from the profile."""
    plan = SHEET_PLANS[profile.framework]
    sheets: list[Sheet] = []
    for sheet in plan.sheets:
        blocks: list[Block] = []
        for name in _plan_blocks(plan, sheet, profile):
            made = BLOCKS[name](profile)
            blocks.extend(made if isinstance(made, list) else [made])
        sheets.append(Sheet(sheet.name, tuple(blocks), _widths(sheet.widths, blocks), **dict(sheet.options)))
    row, col, cols = plan.caption
    return Layout(
        profile=profile.key or profile.id,
        template_id=TEMPLATE_PREFIX + profile.id,
        version=TEMPLATE_VERSION,
        sheets=(*sheets, _findings_sheet(), _settings_sheet(profile), _help_sheet()),
        choices=_choices(profile),
        buttons=_buttons(plan.buttons),
        button_caption=Label(BUTTON_CAPTION, row, col, cols=cols, style="hint"),
    )


def indicator_form(profile: Profile) -> Layout:
    """The 10号-style form (kept for callers of the earlier API): ``build_form`` with the indicators plan."""
    return build_form(profile)


def rubric_form(profile: Profile) -> Layout:
    """The 评分表 form (kept for callers of the earlier API): ``build_form`` with the rubric plan."""
    return build_form(profile)
