"""The columns of the 汇总, 问题清单 and 无法读取 tables, shared by every output format."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlperf.batch.record import FileRecord
from xlperf.batch.result import BatchResult
from xlperf.findings import Severity


@dataclass(frozen=True)
class Column:
    title: str
    kind: str  # index | text | year | amount | rate | score | count | file | report
    width: float = 10


def summary_columns(result: BatchResult) -> list[Column]:
    columns = [
        Column("序号", "index", 6),
        Column("单位", "text", 24),
        Column("项目名称", "text", 36),
        Column("年度", "year", 7),
        Column("评分方案", "text", 9),
        Column("全年预算数", "amount", 12),
        Column("全年执行数", "amount", 12),
        Column("执行率", "rate", 10),
        *(Column(name, "score", max(9, 2.2 * len(name))) for name in result.level1_columns),
        Column("总分", "score", 9),
        Column("等级", "text", 7),
        Column("错误数", "count", 7),
        Column("警告数", "count", 7),
        Column("重复提交", "text", 24),
        Column("读取方式", "text", 30),
        Column("文件", "file", 40),
    ]
    if result.reports_dir is not None:
        columns.append(Column("自评报告", "report", 40))
    if result.audits:
        columns.append(Column("报告审核", "text", 36))
    return columns


def summary_values(result: BatchResult, index: int, record: FileRecord) -> list:
    """The 汇总 row of one project: numbers as Decimal or int, 执行率 in percent, empty as None."""
    p = record.project
    assert p is not None
    points = dict(p.level1)
    values = [index, p.unit, p.name, p.year, p.profile, p.budget, p.spent, p.rate]
    values += [points.get(name) for name in result.level1_columns]
    others = result.duplicates.get(record.rel)
    duplicate = "与 " + "、".join(others) + " 是同一项目" if others else None
    values += [p.total, p.grade, p.errors, p.warnings, duplicate, record.read_as, record.rel]
    if result.reports_dir is not None:
        values.append(record.report)
    if result.audits:
        values.append(result.audits.cell(record.rel))
    return values


FINDING_COLUMNS = [
    Column("文件", "file", 40),
    Column("单元格", "text", 18),
    Column("级别", "text", 6),
    Column("代码", "text", 26),
    Column("说明", "text", 90),
]
UNREADABLE_COLUMNS = [Column("文件", "file", 40), Column("原因", "text", 90)]


def severity_label(value: str) -> str:
    return Severity(value).label


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
