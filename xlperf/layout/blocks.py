"""Blocks and sheets every form shares: 设置, 校验结果, 填表说明, narrative, lists, drop-downs, buttons."""

from __future__ import annotations

from xlperf.layout.vocab import FIXED, NOTE, SERIAL, COMPUTED, Button, Choice, Column, Form, Label, Sheet, Slot, Table, FUND_SOURCES, RULE_NAMES
from xlperf.profile import ATTRIBUTES, NATURES, QUALITATIVE_LEVELS, Profile, setting_keys

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


def _settings_sheet(profile: Profile) -> Sheet:
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
        min_rows=len(setting_keys(profile)),
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

