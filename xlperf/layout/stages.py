"""The stage sheets of a workbook, 申报 → 监控 → 自评, in the layout vocabulary and derived from the profile.

* 阶段 (hidden): the stage marker, 阶段 | 申报/监控/自评 in A1:B1;
* 运行监控: the 项目支出绩效目标执行监控表 — 监控月份 and the project's light, the funds
  (one row, with the budget-progress light), 年度总体目标执行情况, and one row per
  indicator (progress, forecast, 偏差原因 in five columns, 完成目标可能性, 纠偏措施, light);
* 申报指标 (hidden): the targets as approved at 申报, a snapshot taken on advancing;
* 调整记录: approved changes of a target after 申报.

Derived from the profile: the indicator headings (一级/二级/三级, 指标值, 度量单位 …) are the
profile's own 自评表 headings, so a 申报指标 sheet reads like the form staff know; the
month in the headings (1–7月执行数) is the profile's ``[monitoring] month``. The
builder hook (``xlperf.stages.sheets.add_stage_sheets``), the reader
(``read_stage_sheets``) and the writer of the lights (``light_edits``) take every
position and heading from here; ``stage_plan`` places the blocks like ``geometry.plan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from xlperf.layout.geometry import Span, plan
from xlperf.layout.vocab import COMPUTED, FIXED, Column, Form, Label, Layout, Sheet, Slot, Table

STAGE_SHEET = "阶段"
MONITOR_SHEET = "运行监控"
DECLARED_SHEET = "申报指标"
ADJUST_SHEET = "调整记录"
MONITOR_TITLE = "项目支出绩效目标执行监控表"
BLANK_ROWS = 30  # empty, validated rows offered below the monitored indicators

DECLARED_FIELDS = ("level1", "level2", "name", "nature", "reference", "target", "unit", "weight", "rule")
_DEFAULT_HEADERS = {  # used where the profile's 自评表 has no such column
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "nature": "指标性质", "reference": "参考标准",
    "target": "年度指标值", "unit": "度量单位", "weight": "分值", "rule": "计分规则",
}
LEGACY_HEADERS = {"reference": ("参考标准",), "target": ("年度指标值",), "unit": ("度量单位",), "weight": ("分值",)}


@dataclass(frozen=True)
class StageLayout:
    """The stage sheets of one profile; ``spans`` places their blocks (0-based rows)."""

    profile: str
    month: int
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    def block(self, name: str):
        return next(b for s in self.sheets for b in s.blocks if b.name == name)

    @property
    def spans(self) -> dict[str, Span]:
        return stage_plan(self)

    def declared_headers(self) -> dict[str, tuple[str, ...]]:
        """Field → headings the reader accepts on the 申报指标 sheet (the profile's, then older ones)."""
        table = self.block("xlperf_declared")
        return {c.key: (c.header, *LEGACY_HEADERS.get(c.key, ())) for c in table.columns}


def stage_plan(stages: StageLayout) -> dict[str, Span]:
    return plan(Layout(stages.profile, "", 0, stages.sheets))


def _profile_headers(profile: str) -> dict[str, str]:
    from xlperf.errors import XlperfError
    from xlperf.layout import layout_for

    try:
        tables = layout_for(profile).tables("indicators")
    except XlperfError:  # an unknown or broken profile still gets the stage sheets, with the default headings
        return dict(_DEFAULT_HEADERS)
    headers = dict(_DEFAULT_HEADERS)
    if tables:
        headers.update({c.key: c.header for c in tables[0].columns if c.key in DECLARED_FIELDS and c.header})
    return headers


def _month(profile: str) -> int:
    from xlperf.errors import XlperfError
    from xlperf.stages.rules import monitoring_rules

    try:
        return monitoring_rules(profile).month
    except XlperfError:  # reported where the lights are computed; the sheet still gets its headings
        return 7


def _monitor_sheet(h: dict[str, str], month: int) -> Sheet:
    span = f"1–{month}月"
    head = Form(
        "xlperf_monitor_head", 1, gap=1,
        labels=(Label("监控月份", 0, 0, style="header"), Label("项目灯", 0, 2, style="header")),
        slots=(Slot("monitoring.month", "监控月份", 0, 1, kind="number"),
               Slot("light.project", "项目灯", 0, 3, role=COMPUTED)),
    )
    funds = Table(
        "xlperf_monitor_funds", "monitoring.funds",
        (Column("initial", "年初预算数（万元）", 0, kind="number"), Column("budget", "全年预算数（万元）", 1, kind="number"),
         Column("spent", f"{span}执行数（万元）", 2, kind="number"), Column("claimed_rate", "执行率", 3),
         Column("forecast", "全年预计执行数（万元）", 4, kind="number"),
         Column("reason", "执行偏差原因及纠偏措施", 5, kind="long", width=30),
         Column("light.budget", "预算执行进度灯", 6, role=COMPUTED)),
        min_rows=1, gap=1,
    )
    columns = (
        Column("level1", h["level1"], 0), Column("level2", h["level2"], 1), Column("name", h["name"], 2, width=20),
        Column("target", h["target"], 3, kind="literal"), Column("progress", f"{span}完成情况", 4, kind="literal"),
        Column("forecast", "全年预计完成情况", 5, kind="literal"),
        Column("cause_funding", "偏差原因：经费保障", 6), Column("cause_rules", "偏差原因：制度保障", 7),
        Column("cause_staff", "偏差原因：人员保障", 8), Column("cause_hardware", "偏差原因：硬件条件保障", 9),
        Column("cause_other", "偏差原因：其他", 10), Column("likelihood", "完成目标可能性", 11, choices="likelihood"),
        Column("correction", "纠偏措施", 12, kind="long", width=24), Column("remark", "备注", 13),
        Column("light.indicator", "灯（计算）", 14, role=COMPUTED),
    )
    goal = Form("xlperf_monitor_goal", 1, gap=1, labels=(Label("年度总体目标执行情况", 0, 0, style="header"),),
                slots=(Slot("monitoring.goal_progress", "年度总体目标执行情况", 0, 1, cols=len(columns) - 2, kind="long"),))
    indicators = Table("xlperf_monitor_indicators", "monitoring.indicators", columns, min_rows=0, spare=BLANK_ROWS, gap=1)
    widths = tuple(c.width or 12 for c in columns)
    return Sheet(MONITOR_SHEET, (head, funds, goal, indicators), widths, title=MONITOR_TITLE, title_cols=len(columns) - 1,
                 freeze="xlperf_monitor_indicators", landscape=True, required=False)


def _declared_sheet(h: dict[str, str]) -> Sheet:
    columns = tuple(Column(key, h[key], i, role=FIXED, kind="literal") for i, key in enumerate(DECLARED_FIELDS))
    return Sheet(DECLARED_SHEET, (Table("xlperf_declared", "declared", columns, min_rows=0),), (12,) * len(columns),
                 role="hidden", required=False, freeze=None)


def _adjust_sheet(h: dict[str, str]) -> Sheet:
    columns = (
        Column("name", h["name"], 0, width=20), Column("field", "调整内容", 1), Column("before", "调整前", 2, kind="literal"),
        Column("after", "调整后", 3, kind="literal"), Column("reason", "调整原因", 4, kind="long", width=30),
        Column("approved", "批准文号或日期", 5, width=16),
    )
    return Sheet(ADJUST_SHEET, (Table("xlperf_adjustments", "adjustments", columns, min_rows=0),),
                 tuple(c.width or 12 for c in columns), required=False, freeze=None)


def _marker_sheet() -> Sheet:
    marker = Form("xlperf_stage", 1, labels=(Label("阶段", 0, 0),), slots=(Slot("stage", "阶段", 0, 1, role=FIXED),))
    return Sheet(STAGE_SHEET, (marker,), (8, 8), role="hidden", required=False, freeze=None)


@lru_cache(maxsize=32)
def stage_layout(profile: str | None = None) -> StageLayout:
    """The stage sheets for ``profile`` (a shipped id or .toml path; None: cz2020), in workbook order."""
    profile = profile or "cz2020"
    headers = _profile_headers(profile)
    month = _month(profile)
    sheets = (_marker_sheet(), _monitor_sheet(headers, month), _declared_sheet(headers), _adjust_sheet(headers))
    return StageLayout(profile, month, sheets)


__all__ = ["ADJUST_SHEET", "BLANK_ROWS", "DECLARED_FIELDS", "DECLARED_SHEET", "MONITOR_SHEET", "MONITOR_TITLE",
           "STAGE_SHEET", "StageLayout", "stage_layout", "stage_plan"]
