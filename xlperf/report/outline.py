"""The shipped report templates, described once: headings, fixed wording, loops over the context.

``python -m xlperf.report.build`` turns each outline into a Word template
(``templates/report_<profile>.docx``) and a Markdown template
(``templates/report_<profile>.md.j2``), so the two formats carry the same
headings and wording. Offices edit the generated .docx in Word, not this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Paragraph style ids (defined in ``style``); the template names them, the report never sets formatting directly.
BODY = "Normal"
TITLE = "DocTitle"
H1, H2, H3 = "Heading1", "Heading2", "Heading3"
RUN_IN = "RunInHead"  # character style for 1.投入目标完成情况。
FIGURE = "Figure"
CAPTION = "FigureCaption"
SIGNATURE = "Signature"
ANNEX_MARK = "AnnexMark"
ANNEX_TITLE = "AnnexTitle"
TABLE_TEXT = "TableText"
TABLE_HEAD = "TableHead"
NOTE = "Note"


@dataclass(frozen=True)
class Title:
    """The document title, one paragraph per line of ``title.lines``."""


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、  2 （一）  3 1.
    text: str


@dataclass(frozen=True)
class Para:
    """One paragraph of fixed wording; may contain ``{{ … }}`` slots."""

    text: str
    style: str = BODY


@dataclass(frozen=True)
class Each:
    """One paragraph per entry of a context list: ``{%p for var in seq %}{{ var }}``."""

    seq: str
    var: str = "p"
    style: str = BODY


@dataclass(frozen=True)
class RunIns:
    """Per entry a paragraph that starts with a run-in heading: ``{{ g.head }}{{ g.body }}``."""

    seq: str
    var: str = "g"


@dataclass(frozen=True)
class Loop:
    seq: str
    var: str
    body: tuple = ()


@dataclass(frozen=True)
class When:
    test: str
    body: tuple = ()


@dataclass(frozen=True)
class Figure:
    """A chart from ``figures.<key>`` (Word only), with its caption."""

    key: str


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    width_mm: float
    align: str = "left"  # left | center


@dataclass(frozen=True)
class Table:
    """A table over ``<seq>.rows`` with a repeated header row and a 合计 row from ``<seq>.total``."""

    seq: str
    columns: tuple[Column, ...]
    total_label: str | None = "合计"  # None: no closing row
    total: dict[str, str] = field(default_factory=dict)  # column field -> expression
    header: bool = True  # False: label/value rows without a header row


@dataclass(frozen=True)
class Annex:
    """A new page headed 附件N and a centred title; ``landscape``: this and what follows on landscape pages."""

    mark: str
    title: str
    landscape: bool = False


@dataclass(frozen=True)
class Signature:
    """The closing block: ``signature`` lines right-aligned."""


GAP = Para("", NOTE)  # keeps two tables apart (Word joins adjacent tables)


def _form_tables(score_funds: bool) -> tuple:
    """The 自评表 blocks above the indicators in 附件1: project, 项目资金, 年度总体目标 (225 mm wide)."""
    funds = [Column("项目资金（万元）", "label", 55), Column("年初预算数", "initial", 34, "center"),
             Column("全年预算数", "budget", 34, "center"), Column("全年执行数", "spent", 34, "center")]
    if score_funds:
        funds = [Column("项目资金（万元）", "label", 43), *(Column(c.header, c.field, 27, "center") for c in funds[1:]),
                 Column("分值", "weight", 22, "center"), Column("执行率", "rate", 27, "center"), Column("得分", "points", 25, "center")]
    else:
        funds.append(Column("执行率", "rate", 68, "center"))
    return (
        Table("table.info", (Column("", "a", 28, "center"), Column("", "b", 95), Column("", "c", 28, "center"), Column("", "d", 74)),
              total_label=None, header=False),
        GAP,
        Table("table.funds", tuple(funds), total_label=None),
        GAP,
        Table("table.goal", (Column("年度总体目标：预期目标", "expected", 112.5), Column("实际完成情况", "achieved", 112.5)), total_label=None),
        GAP,
    )


def _findings_annex(mark: str) -> When:
    return When("findings", (
        Annex(mark, "校验发现的问题"),
        Para("以下问题是按评分方案对自评数据校验发现的，供审核时核对；正式报送前请改正后重新生成本报告。", NOTE),
        Each("findings", style=NOTE),
    ))


FJ2018 = (
    Title(),
    Heading(1, "一、项目概况"),
    Heading(2, "（一）项目单位基本情况"),
    Each("unit_info"),
    Heading(2, "（二）项目基本情况"),
    Each("overview"),
    Heading(1, "二、项目实施基本情况"),
    Heading(2, "（一）项目组织管理情况"),
    Each("organisation"),
    Heading(2, "（二）项目财务管理情况"),
    Each("finance"),
    Heading(1, "三、项目绩效分析"),
    Heading(2, "（一）项目绩效工作开展情况"),
    Each("method"),
    Para("按评分方案核算，项目自评{{ total.points }}分，自评等级{{ total.grade }}。"),
    Heading(2, "（二）项目绩效目标完成情况"),
    RunIns("goal_groups"),
    Each("goal.achieved"),
    Figure("ratios"),
    Heading(2, "（三）项目绩效分析"),
    Para("总分值为{{ total.weight }}分，其中{{ total.shares }}，实际自评得分{{ total.points }}分。根据绩效自评指标体系，现将项目自评情况分析如下："),
    Loop("categories", "c", (
        Para("{{ c.heading }}"),
        Loop("c.entries", "it", (Para("{{ it.text }}"),)),
    )),
    Figure("scores"),
    When("monitoring", (Heading(2, "（四）运行监控及纠偏情况"), Each("monitoring"))),
    Heading(1, "四、项目存在的问题和改进措施"),
    Heading(2, "（一）项目存在的问题"),
    Each("problems"),
    Heading(2, "（二）项目改进措施"),
    Each("measures"),
    Heading(1, "五、下一步改进工作的意见和建议"),
    Each("suggestions"),
    Signature(),
    Annex("附件1", "项目支出绩效自评评分表", landscape=True),
    *_form_tables(score_funds=True),
    Table("table", (
        Column("一级指标", "level1", 24, "center"),
        Column("二级指标", "level2", 34, "center"),
        Column("三级指标", "name", 62),
        Column("分值", "weight", 16, "center"),
        Column("得分", "points", 16, "center"),
        Column("扣分原因", "reason", 73),
    ), total={"weight": "table.total.weight", "points": "table.total.points"}),
    Para("自评总分{{ table.total.points }}分，自评等级{{ table.total.grade }}。", NOTE),
    _findings_annex("附件2"),
)

CZ2020 = (
    Title(),
    Heading(1, "一、基本情况"),
    Heading(2, "（一）项目概况"),
    Each("basics"),
    Heading(2, "（二）项目资金"),
    Each("funds.composition"),
    Heading(2, "（三）项目组织管理情况"),
    Each("organisation"),
    Heading(1, "二、绩效目标及完成情况"),
    Heading(2, "（一）总体目标完成情况"),
    Each("goal.overall"),
    Heading(2, "（二）绩效指标完成情况"),
    RunIns("goal_groups"),
    Figure("ratios"),
    When("monitoring", (Heading(2, "（三）运行监控及纠偏情况"), Each("monitoring"))),
    Heading(1, "三、预算执行情况"),
    Heading(2, "（一）预算执行"),
    Each("budget"),
    Heading(2, "（二）财务管理情况"),
    Each("finance_typed"),
    Heading(1, "四、自评结论"),
    Heading(2, "（一）自评工作开展情况"),
    Each("method_typed"),
    Heading(2, "（二）自评得分"),
    Para("经自评，项目得分{{ total.points }}分（满分{{ total.weight }}分），自评等级为{{ total.grade }}。{{ total.breakdown }}"),
    Figure("scores"),
    Heading(1, "五、存在问题及原因"),
    Each("problems"),
    Heading(1, "六、改进措施"),
    Each("measures"),
    Heading(1, "七、结果应用"),
    Para("本次自评结果将作为以后年度预算安排、政策调整和改进管理的重要依据，并按规定予以公开，接受社会监督。"),
    Each("suggestions_typed"),
    Signature(),
    Annex("附件1", "项目支出绩效自评表", landscape=True),
    *_form_tables(score_funds=True),
    Table("table", (
        Column("一级指标", "level1", 24, "center"),
        Column("二级指标", "level2", 28, "center"),
        Column("三级指标", "name", 42),
        Column("年度指标值", "target", 28, "center"),
        Column("实际完成值", "actual", 28, "center"),
        Column("分值", "weight", 13, "center"),
        Column("得分", "points", 13, "center"),
        Column("偏差原因分析及改进措施", "reason", 49),
    ), total_label="总分", total={"weight": "table.total.weight", "points": "table.total.points"}),
    Para("自评总分{{ table.total.points }}分，自评等级{{ table.total.grade }}。", NOTE),
    _findings_annex("附件2"),
)

OUTLINES = {"fj2018": FJ2018, "cz2020": CZ2020}
FRAMEWORK_TEMPLATE = {"rubric": "fj2018", "indicators": "cz2020"}
