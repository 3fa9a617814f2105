"""The summary writers fed with hand-built evaluations (no workbook reader involved).

``evaluate_file`` is replaced by a table of evaluations keyed by file name, so
these tests pin the layout of 汇总, 问题清单, 无法读取 and 图表, the CSV and JSON
forms, and the determinism of the bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import xlperf.batch.review as review
from xlperf.batch import run_batch, write_summary
from xlperf.errors import WorkbookError
from xlperf.model import Location
from xlperf.scoring import score

from .conftest import clean, example, warnings_only, with_errors


def injected():
    """User text that Excel would run as a formula, and a finding that points at a cell."""
    ev = clean("=HYPERLINK(\"http://x\")", "+单位")
    ev.indicators[0].loc["weight"] = Location("indicators[0].weight", "绩效指标", "H8")
    ev.indicators[0].weight = 29
    return ev


FILES = {
    "a/clean.xlsx": clean,
    "a/errors.xlsx": with_errors,
    "b/warn.xlsm": warnings_only,
    "b/示例.xlsx": example,
    "c/注入.xlsx": injected,
}
BROKEN = {
    "c/broken.xlsx": WorkbookError("文件已损坏（不是有效的 zip 包），请重新保存后再试"),
    "c/bug.xlsx": KeyError("x"),
    "c/locked.xlsx": PermissionError(13, "Permission denied"),
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    root = tmp_path / "in"
    for rel in [*FILES, *BROKEN]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"")

    def fake(path):
        rel = Path(path).relative_to(root).as_posix()
        if rel in BROKEN:
            raise BROKEN[rel]
        ev = FILES[rel]()
        return ev, score(ev)

    monkeypatch.setattr(review, "evaluate_file", fake)
    return root


def expected_rows():
    """(rel, results) for the readable files in sorted order."""
    order = ["a/clean.xlsx", "a/errors.xlsx", "b/warn.xlsm", "b/示例.xlsx", "c/注入.xlsx"]
    return [(rel, score(FILES[rel]())) for rel in order]


def sheet_rows(path, name):
    wb = openpyxl.load_workbook(path, data_only=True)
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def test_summary_sheet_rows_totals_and_layout(folder, tmp_path):
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    with run_batch(folder, jobs=1) as result:
        write_summary(result, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "问题清单", "无法读取", "图表"]
    ws = wb["汇总"]
    header = [c.value for c in ws[1]]
    level1 = ["预算执行率", "产出指标", "效益指标", "满意度指标", "投入", "过程", "产出与效益"]
    assert header == ["序号", "单位", "项目名称", "年度", "评分方案", "全年预算数", "全年执行数", "执行率", *level1,
                      "总分", "等级", "错误数", "警告数", "重复提交", "读取方式", "文件"]
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}6"
    rows = expected_rows()
    for i, (rel, res) in enumerate(rows, start=2):
        got = {h: ws.cell(i, c + 1) for c, h in enumerate(header)}
        points = {s.level1: float(s.points) for s in res.subtotals}
        assert got["序号"].value == i - 1
        assert got["评分方案"].value == res.profile
        assert got["执行率"].value == pytest.approx(float(res.funds.rate) / 100)
        assert got["执行率"].number_format == "0.00%"
        assert got["总分"].value == pytest.approx(float(res.total)) and got["总分"].number_format == "0.00"
        assert {n: got[n].value for n in level1 if got[n].value is not None} == pytest.approx(points)
        assert (got["等级"].value, got["错误数"].value, got["警告数"].value) == (res.grade, res.errors, res.warnings)
        assert got["文件"].value == rel
        assert got["文件"].hyperlink.target.replace("\\", "/") == f"../in/{rel}"
    # user text that looks like a formula stays text
    assert ws.cell(6, 3).value == '=HYPERLINK("http://x")' and ws.cell(6, 3).data_type == "s"
    assert ws.cell(6, 2).value == "+单位"

    stats = sheet_rows(out, "汇总")[7]
    col = {h: i for i, h in enumerate(header)}
    assert stats[0] == "统计" and stats[1] == len(rows)
    assert stats[col["总分"]] == pytest.approx(sum(float(r.total) for _, r in rows) / len(rows))
    assert stats[col["执行率"]] == pytest.approx(sum(float(r.funds.rate) for _, r in rows) / len(rows) / 100)
    assert stats[col["错误数"]] == sum(r.errors for _, r in rows)
    assert ws.cell(8, col["总分"] + 1).value.startswith("=SUBTOTAL(101,")


def test_findings_and_unreadable_sheets(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    with run_batch(folder, jobs=1) as result:
        write_summary(result, out)
    findings = sheet_rows(out, "问题清单")
    assert findings[0] == ["文件", "单元格", "级别", "代码", "说明"]
    expected = [
        [rel, str(f.location), f.severity.label, f.code, f.message]
        for rel, res in expected_rows() for f in res.findings
    ]
    assert findings[1:] == expected
    ws = openpyxl.load_workbook(out)["问题清单"]
    linked = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "绩效指标!H8"]
    assert linked and ws.cell(linked[0], 2).hyperlink.target == "in\\c\\注入.xlsx"
    assert ws.cell(linked[0], 2).hyperlink.location == "'绩效指标'!H8"
    assert ws.auto_filter.ref == f"A1:E{len(findings)}"
    assert sheet_rows(out, "无法读取") == [
        ["文件", "原因"],
        ["c/broken.xlsx", "文件已损坏（不是有效的 zip 包），请重新保存后再试"],
        ["c/bug.xlsx", "程序内部错误：KeyError: 'x'"],
        ["c/locked.xlsx", "没有读取此文件的权限，或文件被其他程序独占；请检查权限或关闭占用它的程序"],
    ]


def test_charts_are_native_and_count_right(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    with run_batch(folder, jobs=1) as result:
        write_summary(result, out)
    with zipfile.ZipFile(out) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        kinds = [re.search(r"<c:(barChart|scatterChart)>", z.read(n).decode()).group(1) for n in charts]
    assert kinds == ["barChart", "barChart", "barChart", "scatterChart"]
    rows = sheet_rows(out, "图表")
    totals = [float(r.total) for _, r in expected_rows()]
    # One grade vocabulary per chart: cz2020's 优/良/中/差 and fj2018's 优秀/良好/合格/不合格 in separate tables.
    cz = {g: 0 for g in ["优", "良", "中", "差"]}
    fj = {g: 0 for g in ["优秀", "良好", "合格", "不合格"]}
    for _, r in expected_rows():
        (cz if r.grade in cz else fj)[r.grade] += 1
    assert [(r[0], r[1]) for r in rows[1:] if r[0]] == [*cz.items(), ("等级（fj2018）", "项目数"), *fj.items()]
    bands = [r[4] for r in rows[1:11]]
    assert bands == [sum(1 for t in totals if min(int(t // 10), 9) == i) for i in range(10)]
    assert sum(bands) == len(totals)


def test_same_input_same_bytes_and_settable_date(folder, tmp_path):
    when = dt.datetime(2024, 3, 1, 8, 0, 0)
    with run_batch(folder, jobs=1) as result:
        write_summary(result, tmp_path / "one.xlsx", created=when)
        write_summary(result, tmp_path / "two.xlsx", created=when)
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    assert openpyxl.load_workbook(tmp_path / "one.xlsx").properties.created == when


def test_csv_three_files_with_bom(folder, tmp_path):
    out = tmp_path / "汇总.csv"
    with run_batch(folder, jobs=1) as result:
        written = write_summary(result, out)
    assert [p.name for p in written] == ["汇总.csv", "汇总_问题清单.csv", "汇总_无法读取.csv"]
    for path in written:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][7] == "执行率（%）" and rows[0][-1] == "文件"
    expected = expected_rows()
    assert [r[-1] for r in rows[1:]] == [rel for rel, _ in expected]
    for row, (_, res) in zip(rows[1:], expected):
        assert row[7] == f"{res.funds.rate:.2f}" and row[rows[0].index("总分")] == f"{res.total:.2f}"
    assert rows[5][2] == "'=HYPERLINK(\"http://x\")" and rows[5][1] == "'+单位"  # Excel would run it otherwise
    findings = list(csv.reader(written[1].open(encoding="utf-8-sig")))
    assert len(findings) - 1 == sum(len(r.findings) for _, r in expected)
    assert list(csv.reader(written[2].open(encoding="utf-8-sig")))[1] == ["c/broken.xlsx", "文件已损坏（不是有效的 zip 包），请重新保存后再试"]


def test_json_one_document(folder, tmp_path):
    out = tmp_path / "汇总.json"
    with run_batch(folder, jobs=1) as result:
        write_summary(result, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "xlperf-batch" and set(doc) >= {"projects", "findings", "unreadable"}
    expected = expected_rows()
    assert [p["file"] for p in doc["projects"]] == [rel for rel, _ in expected]
    for p, (_, res) in zip(doc["projects"], expected):
        assert p["total"] == float(res.total) and p["rate"] == float(res.funds.rate)
        assert p["level1"] == {s.level1: float(s.points) for s in res.subtotals}
        assert (p["errors"], p["warnings"], p["grade"]) == (res.errors, res.warnings, res.grade)
    assert [(f["file"], f["code"]) for f in doc["findings"]] == [(rel, f.code) for rel, res in expected for f in res.findings]
    assert doc["unreadable"][1] == {"file": "c/bug.xlsx", "reason": "程序内部错误：KeyError: 'x'"}
    assert doc["statistics"]["count"] == len(expected)


def test_exit_code(folder, tmp_path):
    with run_batch(folder, jobs=1) as result:
        assert result.exit_code == 1
    for rel in ["a/errors.xlsx", *BROKEN, "c/注入.xlsx", "b/示例.xlsx"]:
        (folder / rel).unlink()
    with run_batch(folder, jobs=1) as result:
        assert [r.rel for r in result.records] == ["a/clean.xlsx", "b/warn.xlsm"]
        assert result.exit_code == 0  # warnings alone do not fail the batch


def test_a_batch_with_nothing_readable_still_writes_every_format(folder, tmp_path):
    for rel in FILES:
        (folder / rel).unlink()
    with run_batch(folder, jobs=1) as result:
        assert result.exit_code == 1 and not result.projects
        for name in ("汇总.xlsx", "汇总.csv", "汇总.json"):
            write_summary(result, tmp_path / name)
    assert sheet_rows(tmp_path / "汇总.xlsx", "汇总")[2][:2] == ["统计", 0]
    assert [r[0] for r in sheet_rows(tmp_path / "汇总.xlsx", "无法读取")[1:]] == sorted(BROKEN)
    assert json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))["statistics"]["count"] == 0


def test_findings_beyond_one_sheet_continue_on_named_sheets(folder, tmp_path, monkeypatch):
    import xlperf.batch.summary as summary

    monkeypatch.setattr(summary, "MAX_ROWS", 6)  # 4 findings per sheet, then the note naming the next sheet
    out = tmp_path / "汇总.xlsx"
    with run_batch(folder, jobs=1) as result:
        summary.write_xlsx(result, out)  # (write_summary puts them in a CSV beside it instead: next test)
    expected = [[rel, str(f.location), f.severity.label, f.code, f.message] for rel, res in expected_rows() for f in res.findings]
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    parts = [n for n in names if n.startswith("问题清单")]
    assert parts == ["问题清单"] + [f"问题清单{i}" for i in range(2, len(parts) + 1)] and len(parts) == -(-len(expected) // 4)
    got = []
    for i, name in enumerate(parts):
        rows = sheet_rows(out, name)
        assert rows[0] == ["文件", "单元格", "级别", "代码", "说明"]
        if i < len(parts) - 1:
            assert rows[-1][0] == f"问题超过一张工作表的行数，续见工作表“{parts[i + 1]}”"
            rows = rows[:-1]
        got += rows[1:]
    assert got == expected


def test_findings_beyond_one_sheet_go_to_a_csv_beside_the_workbook_which_says_where(folder, tmp_path, monkeypatch):
    import xlperf.batch.summary as summary

    monkeypatch.setattr(summary, "MAX_ROWS", 6)
    monkeypatch.setattr(summary, "FIRST_IN_SHEET", 3)
    out = tmp_path / "汇总.xlsx"
    with run_batch(folder, jobs=1) as result:
        written = write_summary(result, out)
    expected = [[rel, str(f.location), f.severity.label, f.code, f.message] for rel, res in expected_rows() for f in res.findings]
    assert len(expected) > 4
    beside = tmp_path / "汇总_问题清单.csv"
    assert written == [out, beside]
    with open(beside, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["文件", "单元格", "级别", "代码", "说明"] and rows[1:] == expected
    sheet = sheet_rows(out, "问题清单")
    assert sheet[1:4] == expected[:3]
    assert sheet[4][0] == f"共 {len(expected)} 条问题，超过一张工作表的行数；此处列出前 3 条，全部问题见同一文件夹中的“汇总_问题清单.csv”"
    assert len(sheet) == 5
    assert [n for n in openpyxl.load_workbook(out, read_only=True).sheetnames if n.startswith("问题清单")] == ["问题清单"]
