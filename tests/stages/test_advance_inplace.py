"""``xlperf advance 表.xlsx --to 监控|自评`` adds the next stage's sheets to the user's own workbook, losing nothing."""

import hashlib
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName

from tests.stages.test_stage_workbook import declaration_data, run
from xlperf.errors import WorkbookError
from xlperf.ooxml.graft import graft_sheets
from xlperf.ooxml.package import open_package
from xlperf.ooxml.patch import CHANGED_MESSAGE
from xlperf.sources import load_evaluation
from xlperf.stages import stage_of
from xlperf.stages.inplace import donor_workbook
from xlperf.stages.sheets import (
    ADJUST_SHEET,
    DECLARED_SHEET,
    MONITOR_SHEET,
    STAGE_SHEET,
)

CHANGED_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}


def user_made(tmp_path: Path) -> Path:
    """A 申报 workbook that staff have worked on: formatting, an extra sheet, a comment, a defined name."""
    path = tmp_path / "申报.xlsx"
    assert run("new", "--stage", "申报", "--data", declaration_data(tmp_path), "-o", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["A1"].font = Font(name="楷体", size=18, bold=True, color="FF0000")
    ws["B2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["C3"].border = Border(left=Side(style="thick"))
    ws["C3"].alignment = Alignment(horizontal="right", wrap_text=True)
    ws["B2"].comment = Comment("请财务科核对预算数", "张三")
    ws.column_dimensions["B"].width = 41.5
    ws.row_dimensions[4].height = 33
    notes = wb.create_sheet("我的备注")
    notes["A1"] = "内部底稿，勿删"
    notes["A2"] = 12345.678
    notes["A2"].number_format = "#,##0.00_);[Red](#,##0.00)"
    notes["B1"] = "=A2*2"
    notes.sheet_properties.tabColor = "00B050"
    wb.defined_names["我的名称"] = DefinedName("我的名称", attr_text="'我的备注'!$A$2")
    wb.save(path)
    os.chmod(path, 0o640)
    return path


def raw_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def looks(path: Path) -> dict:
    """Everything openpyxl sees of each sheet: values, styles, widths, heights, comments, validations, merges."""
    wb = openpyxl.load_workbook(path)
    seen = {"names": {n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                cells[c.coordinate] = (c.value, c.font.name, c.font.sz, c.font.b, c.font.color and c.font.color.rgb,
                                       c.fill.fgColor.rgb, c.border.left.style, c.alignment.horizontal,
                                       c.alignment.wrap_text, c.number_format, c.protection.locked,
                                       c.comment and c.comment.text)
        seen[ws.title] = {
            "cells": cells, "state": ws.sheet_state, "tab": ws.sheet_properties.tabColor and ws.sheet_properties.tabColor.rgb,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items()},
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(str(v.sqref) for v in ws.data_validations.dataValidation),
            "protected": ws.protection.sheet,
        }
    return seen


def test_advance_in_place_keeps_everything_the_user_made(tmp_path):
    book = user_made(tmp_path)
    before_raw, before = raw_members(book), looks(book)
    result = run("advance", book, "--to", "监控")
    assert result.exit_code == 0, result.output
    assert "运行监控" in result.output and "原有内容不变" in result.output
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o640  # file mode kept
    after_raw, after = raw_members(book), looks(book)

    # every original part is byte-identical, except the four that must name the new sheets and the stage marker
    with open_package(book) as pkg:
        marker = pkg.sheet_part(STAGE_SHEET)
    assert openpyxl.load_workbook(book)[STAGE_SHEET]["B1"].value == "监控"
    unchanged = {n for n in before_raw if before_raw[n] == after_raw.get(n)}
    assert set(before_raw) - unchanged <= CHANGED_PARTS | {marker}
    assert len(set(before_raw) - unchanged) <= 5
    # the changed parts only grew: each original sheet's cells, styles, widths, comments and names are as they were
    for title, seen in before.items():
        if title == STAGE_SHEET:
            seen["cells"]["B1"] = ("监控", *seen["cells"]["B1"][1:])
        assert after[title] == seen, title
    assert list(after)[: len(before)] == list(before)  # same sheets, same order, new ones after
    added = [t for t in after if t not in before]
    assert added == [MONITOR_SHEET, DECLARED_SHEET]
    assert after[DECLARED_SHEET]["state"] == "hidden"
    assert after[MONITOR_SHEET]["merged"] and after[MONITOR_SHEET]["validations"]

    # the workbook reads as a 监控 workbook: rows carried from the indicators, targets snapshot taken
    ev, _ = load_evaluation(book)
    assert stage_of(ev) == "监控"
    rows = ev.stages.monitoring.indicators
    assert [r.name for r in rows] == [i.name for i in ev.indicators] and rows
    assert [r.target for r in rows] == [i.target for i in ev.indicators]
    assert [d.target for d in ev.stages.declared] == [i.target for i in ev.indicators]
    # the new sheets look like the ones ``new --stage 监控`` builds (same heading style), in the user's typeface
    monitor = openpyxl.load_workbook(book)[MONITOR_SHEET]
    assert monitor["A10"].value == "一级指标" and monitor["A10"].font.b and monitor["A10"].fill.fgColor.rgb.endswith("DDEBF7")
    assert monitor["A1"].font.sz == 16

    # 监控 → 自评 adds nothing new, changes only the marker
    mid = raw_members(book)
    assert run("advance", book, "--to", "自评").exit_code == 0
    final = raw_members(book)
    assert {n for n in mid if mid[n] != final.get(n)} == {marker} and set(final) == set(mid)
    assert stage_of(load_evaluation(book)[0]) == "自评"
    back = run("advance", book, "--to", "监控")
    assert back.exit_code == 2 and "只能向后" in back.output

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(book)], check=True, capture_output=True, timeout=300)
    reopened = openpyxl.load_workbook(out / book.name)
    assert reopened["我的备注"]["A1"].value == "内部底稿，勿删"
    assert reopened[MONITOR_SHEET]["A10"].value == "一级指标"
    assert reopened.sheetnames[-2:] == [MONITOR_SHEET, DECLARED_SHEET]


def test_advance_into_a_copy_leaves_the_original(tmp_path):
    book = user_made(tmp_path)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    copy = tmp_path / "监控.xlsx"
    assert run("advance", book, "--to", "监控", "-o", copy).exit_code == 0
    assert hashlib.sha256(book.read_bytes()).hexdigest() == digest
    assert stage_of(load_evaluation(copy)[0]) == "监控"
    assert run("advance", book, "--to", "监控", "-o", copy).exit_code == 2  # exists, no --force
    assert "我的备注" in openpyxl.load_workbook(copy).sheetnames


def test_a_file_saved_meanwhile_is_not_overwritten(tmp_path):
    book = user_made(tmp_path)
    ev = load_evaluation(book)[0]
    donor, names = donor_workbook(ev)
    with pytest.raises(WorkbookError) as caught:
        graft_sheets(book, donor, names, dst=None, expect="0" * 64)
    assert CHANGED_MESSAGE in str(caught.value)
    assert MONITOR_SHEET not in openpyxl.load_workbook(book).sheetnames


def test_advance_refusals_leave_the_workbook_alone(tmp_path):
    plain = tmp_path / "自评.xlsx"
    assert run("new", "-o", plain).exit_code == 0
    digest = hashlib.sha256(plain.read_bytes()).hexdigest()
    refused = run("advance", plain, "--to", "监控")
    assert refused.exit_code == 2 and "只能向后" in refused.output
    assert run("advance", plain, "--to", "申报").exit_code == 2  # next year's 申报 is a new workbook: -o needed
    assert hashlib.sha256(plain.read_bytes()).hexdigest() == digest
    assert ADJUST_SHEET not in openpyxl.load_workbook(plain).sheetnames


def test_next_years_declaration_from_last_years_workbook(tmp_path):
    """``new --from 上年.xlsx --stage 申报``: the tree and targets carried, last year's actuals as 参考标准,
    the year moved on, none of last year's 监控 data; a target below last year's actual is flagged with its cell."""
    book = user_made(tmp_path)
    assert run("advance", book, "--to", "监控").exit_code == 0
    assert run("advance", book, "--to", "自评").exit_code == 0
    last, _ = load_evaluation(book)
    wb = openpyxl.load_workbook(book)
    actuals = ["1260人", "96%", "99%", "1450元", "82%", "达成年度指标", "92%"]
    for ind, actual in zip(last.indicators, actuals):
        wb[ind.loc["actual"].sheet][ind.loc["actual"].cell] = actual
    wb.save(book)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    last, _ = load_evaluation(book)

    out = tmp_path / "2025申报.xlsx"
    result = run("new", "--from", book, "--stage", "申报", "-o", out)
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(book.read_bytes()).hexdigest() == digest  # last year's file is only read
    ev, _ = load_evaluation(out)
    assert stage_of(ev) == "申报" and ev.project.year == last.project.year + 1
    assert [(i.level1, i.level2, i.name, i.target, i.weight) for i in ev.indicators] == \
        [(i.level1, i.level2, i.name, i.target, i.weight) for i in last.indicators]
    assert [i.reference for i in ev.indicators] == actuals and all(i.actual is None for i in ev.indicators)
    assert ev.stages.monitoring is None and not ev.stages.declared
    assert MONITOR_SHEET not in openpyxl.load_workbook(out).sheetnames
    checked = run("check", out, "--json")
    import json

    low = [f for f in json.loads(checked.output)["findings"] if "指标值设定偏低" in f["message"]]
    assert low and low[0]["cell"] == ev.indicators[0].loc["target"].cell
    # advance --to 申报 makes the same new workbook
    same = tmp_path / "2025申报-advance.xlsx"
    assert run("advance", book, "--to", "申报", "-o", same).exit_code == 0
    again, _ = load_evaluation(same)
    assert [i.reference for i in again.indicators] == actuals and again.project.year == ev.project.year


def test_advance_a_workbook_saved_by_libreoffice(tmp_path):
    """Staff on 信创 PCs save in WPS/LibreOffice: another styles.xml, shared strings, prefixes; advance still only adds."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    book = user_made(tmp_path)
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(book)], check=True, capture_output=True, timeout=300)
    saved = out / book.name
    before_raw, before = raw_members(saved), looks(saved)
    assert run("advance", saved, "--to", "监控").exit_code == 0
    after_raw, after = raw_members(saved), looks(saved)
    changed = {n for n in before_raw if before_raw[n] != after_raw.get(n)}
    with open_package(saved) as pkg:
        marker = pkg.sheet_part(STAGE_SHEET)
    assert changed <= CHANGED_PARTS | {marker}
    for title, seen in before.items():
        if title != STAGE_SHEET:
            assert after[title] == seen, title
    ev, _ = load_evaluation(saved)
    assert stage_of(ev) == "监控" and [r.name for r in ev.stages.monitoring.indicators] == [i.name for i in ev.indicators]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(saved)], check=True, capture_output=True, timeout=300)
    assert (tmp_path / "pdf" / (saved.stem + ".pdf")).stat().st_size > 0


def test_advance_waits_for_another_writer_and_for_excel(tmp_path, monkeypatch):
    """The same guard as ``score``: a file open in Excel/WPS (its lock file) or being written by another
    xlperf (an exclusive lock) is left alone, with a Chinese message."""
    fcntl = pytest.importorskip("fcntl")
    import xlperf.ooxml.patch as patch

    book = user_made(tmp_path)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    owner = tmp_path / f"~${book.name}"
    owner.write_bytes(b"\x05staff")
    refused = run("advance", book, "--to", "监控")
    assert refused.exit_code != 0 and "Traceback" not in refused.output and "锁定文件" in refused.output
    owner.unlink()
    monkeypatch.setattr(patch, "_LOCK_WAIT", 0.2)
    with open(book, "rb") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        busy = run("advance", book, "--to", "监控")
    assert busy.exit_code != 0 and "另一个 xlperf 进程" in busy.output
    assert hashlib.sha256(book.read_bytes()).hexdigest() == digest
    assert run("advance", book, "--to", "监控").exit_code == 0
