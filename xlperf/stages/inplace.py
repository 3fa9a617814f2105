"""``xlperf advance 表.xlsx``: the next stage's sheets added to the user's own workbook.

Developer notes: the workbook is read (``load_evaluation``), moved on
(``advance``), and the new stage's sheets are rendered by the same builder hook
``new --stage`` uses (``sheets.add_stage_sheets``) into a small donor workbook;
``ooxml.graft`` then adds the sheets the user's workbook lacks and sets the stage
marker (阶段!B1). Every other part of the file — the user's formatting, extra
sheets, comments, names, column widths, macros — is copied byte for byte. The
digest taken before reading guards the write: a file saved in between is not
overwritten.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from xlperf.errors import XlperfError


def _digest(path: Path) -> str:
    from xlperf.ooxml.oserrors import os_reason

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise XlperfError(f"无法读取文件：{os_reason(exc)}", path=str(path)) from None


def donor_workbook(evaluation) -> tuple[bytes, list[str]]:
    """The stage sheets of ``evaluation`` as a workbook of their own, and their names in order."""
    import xlsxwriter

    from xlperf.stages.sheets import add_stage_sheets

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    add_stage_sheets(evaluation)(book)
    names = [ws.get_name() for ws in book.worksheets()]
    book.close()
    return buffer.getvalue(), names


def advance_workbook(path: Path, to: str, output: Path | None = None) -> list[str]:
    """Move the workbook ``path`` to stage ``to`` (监控 or 自评) in place, or into ``output``.

    Returns the names of the sheets added. Moving backwards, or from a workbook
    without stage sheets, is refused with the same messages as for JSON.
    """
    from xlperf.ooxml.graft import graft_sheets
    from xlperf.sources import load_evaluation
    from xlperf.stages import stage_of
    from xlperf.stages.advance import advance
    from xlperf.stages.sheets import STAGE_SHEET, has_stage_sheets

    if to == "申报":
        raise XlperfError("从自评开始下一年度的申报会生成新的工作簿；请用 -o 指定要生成的文件", path=str(path))
    expect = _digest(path)
    evaluation = load_evaluation(path)[0]
    now = stage_of(evaluation)
    try:
        moved = advance(evaluation, to)
    except XlperfError as exc:
        if exc.path:
            raise
        raise XlperfError(exc.message, path=str(path)) from None  # the message names the file
    if not has_stage_sheets(path):  # a plain workbook at 自评 never gets here (advance refuses), kept for safety
        raise XlperfError(f"工作簿没有“{STAGE_SHEET}”表，不是按阶段生成的工作簿（当前为“{now}”）", path=str(path))
    donor, names = donor_workbook(moved)
    return graft_sheets(path, donor, names, {STAGE_SHEET: {"B1": to}}, dst=output, expect=expect)
