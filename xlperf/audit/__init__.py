"""Auditing a hand-written 自评报告: figures that disagree with themselves or with a workbook.

``read_narrative`` numbers the paragraphs of a .docx/.txt/.md; ``extract`` finds the figures
with their meaning (indicator statements, score statements, funds, category and total scores,
grade); ``check_text`` recomputes and cross-checks them; ``check_against`` compares them with a
scored workbook; ``write_reviewer_copy`` puts a Word comment at each finding.
"""

from __future__ import annotations

from pathlib import Path

from xlperf.audit.findings import AuditFinding
from xlperf.audit.narrative import Paragraph, read_narrative

__all__ = ["AuditFinding", "Paragraph", "audit_file", "read_narrative"]


def audit_file(path, against=None, profile: str | None = None):
    """Read a narrative, extract its figures and return (paragraphs, extraction, findings)."""
    from xlperf.audit.checks import check_text
    from xlperf.audit.extract import extract

    paragraphs = read_narrative(Path(path))
    extraction = extract(paragraphs)
    findings = check_text(extraction, profile=profile)
    if against is not None:
        from xlperf.audit.against import check_against
        from xlperf.sources import evaluate_file

        evaluation, results = evaluate_file(Path(against))
        findings += check_against(extraction, evaluation, results)
    findings.sort(key=lambda f: (f.paras[0] if f.paras else 0, f.code))
    return paragraphs, extraction, findings
