"""The reviewer's copy: the report with a Word comment at each finding (python-docx ≥ 1.2 comments).

A .docx input is copied with its formatting; a .txt/.md input becomes a plain Word document, one
paragraph a line, so every report can be annotated. The output is written atomically and never
over the input.
"""

from __future__ import annotations

import io
from pathlib import Path

from xlperf.audit.findings import AuditFinding
from xlperf.audit.narrative import Paragraph, read_narrative
from xlperf.errors import XlperfError

AUTHOR = "xlperf 审核"
INITIALS = "XP"


def write_reviewer_copy(source: Path, findings: list[AuditFinding], out: Path,
                        author: str = AUTHOR) -> Path:
    from docx import Document

    from xlperf.ooxml.atomic import atomic_write

    source, out = Path(source), Path(out)
    if out.suffix.lower() != ".docx":
        raise XlperfError("审核稿应保存为 .docx 文件", path=str(out))
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise XlperfError("审核稿不能覆盖原报告，请换一个文件名", path=str(out))
    if source.suffix.lower() == ".docx":
        paragraphs = read_narrative(source)  # anchors belong to this Document
        doc = paragraphs[0].anchor.part.document if paragraphs and paragraphs[0].anchor is not None else Document(str(source))
    else:
        doc = Document()
        paragraphs = []
        for p in read_narrative(source):
            para = doc.add_paragraph(p.text)
            paragraphs.append(Paragraph(p.no, p.text, p.table, p.cells, para))
    by_no = {p.no: p for p in paragraphs}
    for finding in findings:
        target = by_no.get(finding.paras[0]) if finding.paras else None
        runs = _runs(target, finding.quote) if target is not None else None
        if not runs:
            first = next((p for p in paragraphs if p.anchor is not None and p.anchor.runs), None)
            if first is None:
                continue
            runs = first.anchor.runs
        doc.add_comment(runs, text=_comment_text(finding), author=author, initials=INITIALS)
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write(out, lambda handle: handle.write(buffer.getvalue()))
    return out


def _comment_text(finding: AuditFinding) -> str:
    others = [p for p in finding.paras[1:]]
    also = f"（另见第{'、'.join(map(str, others))}段）" if others else ""
    return f"【{finding.severity.label}】{finding.message}{also}"


def _runs(p: Paragraph, quote: str):
    para = p.anchor
    if para is None or not para.runs:
        return None
    if quote:
        text, spans = "", []
        for run in para.runs:
            spans.append((len(text), len(text) + len(run.text), run))
            text += run.text
        at = text.find(quote)
        if at >= 0:
            hit = [run for start, end, run in spans if start < at + len(quote) and end > at]
            if hit:
                return hit
    return list(para.runs)
