"""The hand-written 自评报告 found beside the workbooks: each paired with its workbook and audited.

A report is any ``.docx``, or a ``.txt``/``.md`` named like a report (…报告…); Word lock files,
hidden files, reviewer's copies (审核稿) and the batch's own outputs are left out. Each report is
paired with the workbook it describes: the project name (and unit) written in the report, the same
folder, the file names' likeness. Paired, it is audited against the workbook (``xlperf audit
--against``); unpaired, as text alone. The findings join the batch's 问题清单 under the report's name
with paragraph numbers, and each workbook's row names its report and counts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xlperf.audit.names import similarity
from xlperf.batch.discover import _hidden, _norm, natural_key
from xlperf.batch.record import FileRecord, FindingRow

REPORT_WORD = re.compile(r"报告|report", re.I)
NOT_A_REPORT = re.compile(r"审核稿|审核意见|批注")
_STEM_NOISE = re.compile(r"绩效|自评|报告|评价|工作簿|自评表|评分表|汇总|草稿|[（(]?\d{1,2}[)）]?$|[_\-\s.]")


@dataclass
class ReportAudit:
    """One report's audit: which workbook it was checked against (None: text alone) and the findings."""

    rel: str
    workbook: str | None = None
    how: str = ""  # why this workbook: 项目名称 / 同一文件夹 / 文件名相近
    findings: tuple[FindingRow, ...] = ()
    errors: int = 0
    warnings: int = 0
    paragraphs: int = 0
    failure: str | None = None

    @property
    def label(self) -> str:
        name = PurePosixPath(self.rel).name
        if self.failure:
            return f"{name}：无法审核"
        if not self.errors and not self.warnings:
            return f"{name}：未发现矛盾"
        return f"{name}：错误 {self.errors} 处，警告 {self.warnings} 处"


def find_reports(root: Path, exclude: Iterable[Path] = ()) -> list[str]:
    """Reports under ``root`` (posix paths relative to it, naturally sorted)."""
    root = Path(root)
    excluded = {_norm(p) for p in exclude}
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _hidden(d) and _norm(os.path.join(folder, d)) not in excluded]
        for name in files:
            path = os.path.join(folder, name)
            if _hidden(name) or name.startswith("~$") or _norm(path) in excluded or NOT_A_REPORT.search(name):
                continue
            suffix = os.path.splitext(name)[1].lower()
            if suffix == ".docx" or (suffix in (".txt", ".md") and REPORT_WORD.search(name)):
                if os.path.isfile(path):
                    found.append(Path(path).relative_to(root).as_posix())
    return sorted(found, key=natural_key)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _stem(rel: str) -> str:
    return _STEM_NOISE.sub("", PurePosixPath(rel).stem)


def pair(report_rel: str, head_text: str, records: list[FileRecord]) -> tuple[str | None, str]:
    """The workbook (rel) this report describes and why, or (None, "") when none fits or two fit equally."""
    folder = str(PurePosixPath(report_rel).parent)
    projects = [r for r in records if r.project is not None]
    same_folder = [r for r in projects if str(PurePosixPath(r.rel).parent) == folder]
    text = _compact(head_text)
    scored = []
    for r in projects:
        score, why = 0.0, []
        name = _compact(r.project.name)
        if len(name) >= 4 and name in text:
            score += 3
            why.append("报告中的项目名称")
        unit = _compact(r.project.unit)
        if len(unit) >= 4 and unit in text:
            score += 0.5
        if r in same_folder:
            score += 1 + (1 if len(same_folder) == 1 else 0)
            why.append("同一文件夹")
        sim = similarity(_stem(report_rel), _stem(r.rel))
        if sim >= 0.5:
            score += 2 * sim
            why.append("文件名相近")
        scored.append((score, r.rel, "、".join(why)))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] < 2:
        return None, ""
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.25:
        return None, ""  # two workbooks fit as well: audited as text alone rather than against a guess
    return scored[0][1], scored[0][2]


def _row(paras: tuple[int, ...], severity: str, code: str, message: str) -> FindingRow:
    where = "、".join(f"第{p}段" for p in paras) or "全文"
    return (where, "", "", severity, code, message)


def audit_reports(root: Path, records: list[FileRecord], exclude: Iterable[Path] = ()) -> list[ReportAudit]:
    """Audit every report under ``root``, each against its workbook where one is found."""
    from xlperf.audit import audit_file, read_narrative
    from xlperf.batch.review import reason_of

    root = Path(root)
    failed = {r.rel for r in records if r.project is None}
    out: list[ReportAudit] = []
    for rel in find_reports(root, exclude):
        audit = ReportAudit(rel)
        path = root.joinpath(*rel.split("/"))
        try:
            paragraphs = read_narrative(path)
            head = " ".join(p.text for p in paragraphs[:12])
            workbook, how = pair(rel, head, [r for r in records if r.rel not in failed])
            audit.workbook, audit.how = workbook, how
            against = root.joinpath(*workbook.split("/")) if workbook else None
            paragraphs, _ex, findings = audit_file(path, against=against)
        except Exception as exc:  # one report's trouble costs only that report
            audit.failure = "自评报告无法审核：" + reason_of(exc)
            out.append(audit)
            continue
        audit.paragraphs = len(paragraphs)
        audit.findings = tuple(_row(f.paras, f.severity.value, f.code, f.message) for f in findings)
        audit.errors = sum(1 for f in findings if f.severity.value == "error")
        audit.warnings = sum(1 for f in findings if f.severity.value == "warning")
        out.append(audit)
    return out


@dataclass
class Audits:
    """The batch's report audits, looked up by workbook."""

    items: list[ReportAudit] = field(default_factory=list)

    def of(self, workbook_rel: str) -> list[ReportAudit]:
        return [a for a in self.items if a.workbook == workbook_rel]

    def cell(self, workbook_rel: str) -> str | None:
        """The 汇总 row's 报告审核 text for one workbook."""
        mine = self.of(workbook_rel)
        return "；".join(a.label for a in mine) if mine else None

    def rows(self):
        """(report rel, finding row) for every audit finding, report by report."""
        for a in self.items:
            for row in a.findings:
                yield a.rel, row

    @property
    def unreadable(self) -> list[tuple[str, str]]:
        return [(a.rel, a.failure) for a in self.items if a.failure]

    @property
    def has_errors(self) -> bool:
        return any(a.errors or a.failure for a in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
