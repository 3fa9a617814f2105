"""Writing a ``draft.Draft`` as an xlperf workbook: the profile's own form, a comment on every value
taken from the report (its paragraph, and 待核实 where it was inferred or contradicted), and a
“提取说明” sheet listing them all with the audit's findings.

The form is built once to learn where each value lands (the reader gives each field's cell), then
built again with the comments, atomically, so a failed write leaves nothing behind.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from xlperf.audit.draft import Draft, Note
from xlperf.audit.findings import AuditFinding

SHEET = "提取说明"


def _located(evaluation, path: tuple):
    section, index, attr = path
    if section == "project":
        return evaluation.project.where(attr)
    if section == "goal":
        return evaluation.goal.where(attr)
    if section == "funds":
        return evaluation.funds.where(attr) if attr == "claimed_rate" else evaluation.funds.rows[index].where(attr)
    if section == "indicators" and index < len(evaluation.indicators):
        return evaluation.indicators[index].where(attr)
    if section == "items" and index < len(evaluation.items):
        return evaluation.items[index].where(attr)
    if section == "total":
        loc = evaluation.settings_loc.get(attr) if hasattr(evaluation, "settings_loc") else None
        return loc or (evaluation.total_loc if attr == "claimed_total" else None)
    return None


def _locations(draft: Draft) -> dict[tuple, tuple[str, str]]:
    """Each note's (sheet, cell), read back from a first build of the form."""
    from xlperf.sources import read_source
    from xlperf.workbook.builder import build_workbook

    buffer = io.BytesIO()
    build_workbook(draft.profile, draft.evaluation, buffer)
    fd, temp = tempfile.mkstemp(suffix=".xlsx", prefix="xlperf-draft-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(buffer.getvalue())
        evaluation, _findings, _how = read_source(Path(temp), draft.profile.id)
    finally:
        os.unlink(temp)
    out: dict[tuple, tuple[str, str]] = {}
    for note in draft.notes:
        loc = _located(evaluation, note.path)
        if loc is not None and loc.sheet and loc.cell:
            out[note.path] = (loc.sheet, loc.cell)
    return out


def _comment(note: Note) -> str:
    where = f"报告第{note.para}段" if note.para else "报告"
    if note.doubtful:
        return f"【待核实】{note.status}：{note.detail or where}（{where}）"
    return f"摘自{where}" + (f"：{note.detail}" if note.detail else "")


def write_draft(draft: Draft, findings: list[AuditFinding], path: Path, report_name: str) -> dict:
    """Write the draft workbook to ``path`` (atomically); return counts for the caller's summary."""
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.workbook.builder import build_workbook

    cells = _locations(draft)

    def extra(workbook) -> None:
        fmt_head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
        fmt = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
        fmt_doubt = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF2CC"})
        for note in draft.notes:
            at = cells.get(note.path)
            if at is None:
                continue
            ws = workbook.get_worksheet_by_name(at[0])
            if ws is not None:
                ws.write_comment(at[1], _comment(note), {"x_scale": 2, "y_scale": 1.5, "author": "xlperf"})
        ws = workbook.add_worksheet(SHEET)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 22)
        ws.set_column(3, 3, 16)
        ws.set_column(4, 4, 10)
        ws.set_column(5, 5, 60)
        ws.merge_range(0, 0, 0, 5, f"本工作簿由 xlperf 从自评报告“{report_name}”提取生成，是草稿：数字均取自报告原文，"
                                   "标“待核实”的是推测或报告前后不一致的值，请与原始资料核对后再评分。", fmt)
        ws.merge_range(1, 0, 1, 5, "评分方案：" + draft.profile_note, fmt)
        ws.set_row(0, 36)
        ws.set_row(1, 36)
        heads = ("项目", "单元格", "值", "状态", "报告段落", "说明")
        for c, h in enumerate(heads):
            ws.write(3, c, h, fmt_head)
        row = 4
        ordered = sorted(draft.notes, key=lambda n: (not n.doubtful,))
        for note in ordered:
            at = cells.get(note.path)
            style = fmt_doubt if note.doubtful else fmt
            ws.write(row, 0, note.label, style)
            ws.write(row, 1, f"{at[0]}!{at[1]}" if at else "（表中无此栏）", style)
            ws.write_string(row, 2, str(note.value), style)
            ws.write(row, 3, "待核实" if note.doubtful else "摘自报告", style)
            ws.write(row, 4, f"第{note.para}段" if note.para else "", style)
            ws.write(row, 5, note.detail if note.doubtful or note.detail else "", style)
            row += 1
        if findings:
            row += 1
            ws.merge_range(row, 0, row, 5, "审核发现的报告内部矛盾（提取时未作更正）", fmt_head)
            row += 1
            for f in findings:
                ws.write(row, 0, f.severity.label, fmt)
                ws.write(row, 4, "、".join(f"第{p}段" for p in f.paras), fmt)
                ws.write(row, 5, f.message, fmt)
                row += 1
        ws.freeze_panes(4, 0)

    def write(out) -> None:
        buffer = io.BytesIO()
        build_workbook(draft.profile, draft.evaluation, buffer, extra=extra)
        out.write(buffer.getvalue())

    atomic_write(path, write)
    return {"values": len(draft.notes), "doubtful": sum(1 for n in draft.notes if n.doubtful),
            "commented": sum(1 for n in draft.notes if n.path in cells)}
