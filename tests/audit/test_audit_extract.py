"""``xlperf audit --extract``: a draft workbook from a narrative alone.

Round trip: each shipped example workbook → ``xlperf report`` → extract → the draft's targets, actuals,
weights (and the total it scores to) equal the original's for every indicator and item the report states.
Every inferred value is marked 待核实 (a comment at its cell and a row on the “提取说明” sheet).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from audithelpers import SEED

from xlperf.examples import made_up_ids


def _extract(report: Path, out: Path, profile=None):
    from xlperf.audit import audit_file
    from xlperf.audit.draft import build_draft
    from xlperf.audit.draftbook import write_draft

    _, ex, findings = audit_file(report, profile=profile)
    draft = build_draft(ex, findings, profile)
    write_draft(draft, findings, out, report.name)
    return draft, findings


def _same_value(a, unit_a, b, unit_b) -> bool:
    from xlperf.values import parse

    va, vb = parse(a, unit_a), parse(b, unit_b)
    if va.kind != vb.kind:
        return False
    return (va.number, va.unit) == (vb.number, vb.unit) if va.number is not None else str(a).strip() == str(b).strip()


@pytest.mark.parametrize("pid", made_up_ids())
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_round_trip_example_report_extract(shipped_reports, tmp_path, pid, fmt):
    from xlperf.sources import evaluate_file

    workbook, md, docx = shipped_reports[pid]
    report = md if fmt == "md" else docx
    draft, _ = _extract(report, tmp_path / "草稿.xlsx")
    assert draft.profile.id == pid or draft.profile.id in {"cz2020", "cz2020_adjusted"} >= {pid}
    original, orig_results = evaluate_file(workbook)
    copy, copy_results = evaluate_file(tmp_path / "草稿.xlsx", pid)
    by_name = {i.name: i for i in copy.indicators}
    compared = 0
    for ind in original.indicators:
        got = by_name.get(ind.name)
        assert got is not None, f"indicator {ind.name} not extracted"
        for attr in ("target", "actual"):
            if getattr(ind, attr) is not None:
                assert _same_value(getattr(ind, attr), ind.unit, getattr(got, attr), got.unit), (ind.name, attr, getattr(got, attr))
                compared += 1
        if ind.weight is not None:
            assert float(got.weight) == float(ind.weight), ind.name
            compared += 1
    items = {i.name: i for i in copy.items}
    for item in original.items:
        got = items.get(item.name)
        assert got is not None, f"item {item.name} not extracted"
        assert float(got.weight) == float(item.weight), item.name
        compared += 1
    assert compared >= 5
    assert copy_results.total == orig_results.total  # the draft scores to the report's total


def test_round_trip_fj2018_report(reports, tmp_path):
    """The 宁德 example (fj2018: 绩效目标 without weights, a 37-row 评分表) through its Word report."""
    from xlperf import jsonio
    from xlperf.sources import evaluate_file

    _extract(reports[("ningde", "docx")], tmp_path / "草稿.xlsx")
    original = jsonio.load(reports[("ningde", "json")])
    copy, _ = evaluate_file(tmp_path / "草稿.xlsx")
    assert copy.profile == "fj2018"
    got = {i.name: i for i in copy.indicators}
    for ind in original.indicators:
        assert ind.name in got
        for attr in ("reference", "target", "actual"):
            if getattr(ind, attr) is not None:
                assert _same_value(getattr(ind, attr), ind.unit, getattr(got[ind.name], attr), None), (ind.name, attr)
    weights = {i.name: i.weight for i in copy.items}
    assert [weights.get(i.name) for i in original.items] == [i.weight for i in original.items]


def test_seed_draft_marks_what_is_guessed_or_contradicted(tmp_path):
    import openpyxl

    from xlperf.audit.draftbook import SHEET

    out = tmp_path / "草稿.xlsx"
    draft, findings = _extract(SEED, out)
    assert draft.profile.id == "fj2018"
    ev = draft.evaluation
    assert ev.project.name == "2018年度政务网等运行维护费"
    assert ev.project.unit == "宁德市数字宁德建设办公室"
    assert ev.claimed_total == 94
    assert ev.funds.rows[0].budget == pytest.approx(318.91) and ev.funds.rows[0].spent == pytest.approx(191.12)
    doubtful = [n for n in draft.notes if n.doubtful]
    assert any(n.path[2] == "rule" for n in doubtful)  # 计分规则 are never in a report
    assert any(n.status.startswith("报告前后不一致") for n in doubtful)  # 59.93% vs 99.40% and the like
    book = openpyxl.load_workbook(out)
    assert SHEET in book.sheetnames
    comments = {(ws.title, c.coordinate): c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment}
    flagged = [t for t in comments.values() if t.startswith("【待核实】")]
    assert len(flagged) >= len([n for n in doubtful if n.path[0] != "total"]) * 0.9
    sheet = book[SHEET]
    states = [sheet.cell(r, 4).value for r in range(5, sheet.max_row + 1)]
    assert states.count("待核实") == len(doubtful)
    texts = " ".join(str(sheet.cell(r, 6).value or "") for r in range(1, sheet.max_row + 1))
    assert "192" in texts and "162" in texts  # the audit's contradictions travel with the draft


@pytest.mark.parametrize("command", ["check", "score"])
def test_draft_passes_check_and_score_without_traceback(tmp_path, command):
    out = tmp_path / "草稿.xlsx"
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    import os

    env = {**os.environ, **env}
    run = subprocess.run([sys.executable, "-m", "xlperf", "audit", str(SEED), "--extract", "-o", str(out)],
                         capture_output=True, text=True, env=env, timeout=240)
    assert run.returncode == 0, run.stderr
    assert "待核实" in run.stdout
    run = subprocess.run([sys.executable, "-m", "xlperf", command, str(out)], capture_output=True, text=True, env=env, timeout=240)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr and "总分" in run.stdout


def test_extract_needs_an_xlsx_output(tmp_path):
    from click.testing import CliRunner

    from xlperf.cli import cli as main

    result = CliRunner().invoke(main, ["audit", str(SEED), "--extract"])
    assert result.exit_code == 2 and "-o" in result.output
    result = CliRunner().invoke(main, ["audit", str(SEED), "--extract", "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not (tmp_path / "x.docx").exists()
    (tmp_path / "表.xlsx").write_bytes(b"user's own")
    result = CliRunner().invoke(main, ["audit", str(SEED), "--extract", "-o", str(tmp_path / "表.xlsx")])
    assert result.exit_code == 2 and "--force" in result.output
    assert (tmp_path / "表.xlsx").read_bytes() == b"user's own"  # nothing the user made is lost
    empty = tmp_path / "空报告.txt"
    empty.write_text("这份材料没有任何指标。", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(empty), "--extract", "-o", str(tmp_path / "d.xlsx")])
    assert result.exit_code == 2 and "没有找到" in result.output and not (tmp_path / "d.xlsx").exists()


@pytest.mark.libreoffice
def test_libreoffice_opens_the_draft(tmp_path):
    from xlperf.report.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    out = tmp_path / "草稿.xlsx"
    _extract(SEED, out)
    subprocess.run([soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=240)
    csv = (tmp_path / "草稿.csv").read_text(encoding="utf-8", errors="replace")
    assert "政务网" in csv or "宁德" in csv
