"""What the batch keeps of one file: a summary row, the findings as tuples, or why it failed.

Workers send these back instead of the Evaluation and Results, so a thousand
files cost a thousand small records, not a thousand object graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlperf.findings import Finding
from xlperf.model import Evaluation, FundRow
from xlperf.results import Results
from xlperf.lines import text
from xlperf.values import to_decimal

# (location, sheet, cell, severity, code, message); severity is Severity.value
FindingRow = tuple[str, str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Project:
    """One row of the 汇总 sheet."""

    unit: str
    name: str
    year: int | str | None
    profile: str
    budget: Decimal | None  # 全年预算数（万元）
    spent: Decimal | None  # 全年执行数（万元）
    rate: Decimal | None  # 执行率, in percent (98.00)
    level1: tuple[tuple[str, Decimal], ...]  # 一级指标 → points, in the results' order
    total: Decimal
    grade: str
    errors: int
    warnings: int


@dataclass(slots=True)
class FileRecord:
    """The outcome for one workbook; ``rel`` is its posix path relative to the batch folder."""

    rel: str
    project: Project | None = None
    findings: tuple[FindingRow, ...] = ()
    failure: str | None = None  # why the file could not be read
    report: str | None = None  # the report written, relative to the reports folder
    report_failure: str | None = None
    mtime: float = 0.0
    skipped: str | None = None  # why the file is not a project at all (an xlperf summary)
    unfilled: str | None = None  # a blank template: listed as 未填写, not scored nor averaged
    read_as: str = ""  # how it was read: xlperf 工作簿, or recognised by its labels (and how sure)
    stage_row: object | None = None  # a 申报/监控 file: ``xlperf.batch.stagework.StageRow`` (not scored)

    @property
    def has_errors(self) -> bool:
        return bool(self.failure or self.report_failure or (self.project and self.project.errors)
                    or (self.stage_row is not None and self.stage_row.errors))


def _amount(row: FundRow, parts: list[FundRow], name: str) -> Decimal | None:
    """The 年度资金总额 amount, or the sum of its breakdown when the total is blank (as scoring does)."""
    value = to_decimal(getattr(row, name))
    if value is not None:
        return value
    present = [v for v in (to_decimal(getattr(p, name)) for p in parts) if v is not None]
    return sum(present, Decimal(0)) if present else None


def _year(raw) -> int | str | None:
    value = to_decimal(raw)
    if value is not None and value == value.to_integral_value():
        return int(value)
    return text(raw) or None


def finding_row(finding: Finding) -> FindingRow:
    loc = finding.location
    return (str(loc), loc.sheet or "", loc.cell or "", finding.severity.value, finding.code, finding.message)


def project_of(evaluation: Evaluation, results: Results) -> Project:
    info, funds = evaluation.project, evaluation.funds
    return Project(
        unit=text(info.unit),
        name=text(info.name),
        year=_year(info.year),
        profile=results.profile,
        budget=_amount(funds.total, funds.parts, "budget"),
        spent=_amount(funds.total, funds.parts, "spent"),
        rate=results.funds.rate,
        level1=tuple((s.level1, s.points) for s in results.subtotals),
        total=results.total,
        grade=results.grade,
        errors=results.errors,
        warnings=results.warnings,
    )
