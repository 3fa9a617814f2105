"""Hostile workbooks (issue 17): every command refuses them with a Chinese message, never a crash.

The files are in ``corpus/`` (made by ``corpus/make_hostile.py``). ``check`` and ``score``
pass the same safety gate (``xlperf.ooxml.gate``), so they refuse with the same message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xlperf.errors import WorkbookError
from xlperf.ooxml.gate import MAX_CELLS, far_cell, xml_problem
from xlperf.sources import evaluate_file, score_workbook

CORPUS = Path(__file__).parent / "corpus"
REASONS = {
    "far-cell-XFD1048576.xlsx": "单元格 XFD1048576 远离表格内容",
    "far-inline-string.xlsx": "单元格 XFD1048576 远离表格内容",
    "encoding-GBK.xlsx": "XML 声明编码为“GBK”",
    "encoding-GB2312-strings.xlsx": "部件 xl/sharedStrings.xml 的 XML 声明编码为“GB2312”",
    "encoding-UTF-9.xlsx": "XML 声明编码为“UTF-9”",
    "rels-encoding-UTFm8.xlsx": "XML 声明的编码无法识别",
    "sheet-nul-byte.xlsx": "工作表不是有效的 XML",
    "sheet-unclosed-row.xlsx": "工作表不是有效的 XML",
    "sheet-doctype.xlsx": "不安全的 XML 内容",
    "strings-count-4e9.xlsx": "声明了 4,000,000,000 个字符串",
}
FAR = [name for name in REASONS if name.startswith("far-")]
IN_PROCESS = [name for name in REASONS if name not in FAR]


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(CORPUS / name, target)
    return target


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).parents[2]), os.environ.get("PYTHONPATH", "")) if p)}
    return subprocess.run([sys.executable, "-m", "xlperf", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_corpus_holds_every_case():
    assert sorted(p.name for p in CORPUS.glob("*.xlsx") if p.name in REASONS) == sorted(REASONS)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_check_and_score_refuse_with_the_same_chinese_message(tmp_path, name):
    path = copy(tmp_path, name)
    data = path.read_bytes()
    with pytest.raises(WorkbookError) as checked:
        evaluate_file(path)
    with pytest.raises(WorkbookError) as scored:
        score_workbook(path)
    assert REASONS[name] in str(checked.value)
    assert str(checked.value) == str(scored.value)  # one gate
    assert str(path) in str(checked.value)
    assert path.read_bytes() == data


@pytest.mark.parametrize("command", ["check", "score", "report"])
@pytest.mark.parametrize("name", FAR)
def test_a_far_cell_is_refused_not_a_native_abort(tmp_path, name, command):
    """python-calamine allocated A1:XFD1048576 (tens of GB) and aborted the process (exit 134)."""
    path = copy(tmp_path, name)
    data = path.read_bytes()
    done = run(command, name, cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert REASONS[name] in done.stderr and name in done.stderr
    assert "panicked" not in done.stderr and "Traceback" not in done.stderr
    assert path.read_bytes() == data


def test_a_far_cell_does_not_end_a_one_core_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(CORPUS / "far-cell-XFD1048576.xlsx", folder / "far.xlsx")
    from xlperf.examples import example_workbook

    shutil.copyfile(example_workbook(), folder / "good.xlsx")
    done = run("batch", "in", "-j", "1", "-o", "summary.xlsx", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(tmp_path / "summary.xlsx")).get_sheet_by_name("无法读取").to_python()
    assert any(row[0] == "far.xlsx" and "远离表格内容" in row[1] for row in rows)


def test_used_range_comes_from_cells_with_values_not_dimension():
    claimed = b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    assert far_cell(claimed) is None  # the dimension claims the whole grid; one cell exists
    styled = b'<worksheet><sheetData><row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData></worksheet>'
    assert far_cell(styled) is None  # an empty styled cell is not read into the grid
    valued = styled.replace(b's="1"/>', b'><f>A1</f><v>2</v></c>')
    assert far_cell(valued) == ("XFD1048576", 16384 * 1048576)
    wide_but_fine = b'<worksheet><sheetData><row r="%d"><c r="Z%d"><v>1</v></c></row></sheetData></worksheet>' % (MAX_CELLS // 26, MAX_CELLS // 26)
    assert far_cell(wide_but_fine) is None


@pytest.mark.parametrize("declaration", ['encoding="utf-8"', "encoding='UTF-8'", 'encoding="UTF-16"', ""])
def test_utf_declarations_pass_the_gate(declaration):
    data = f'<?xml version="1.0" {declaration}?><a/>'.encode("utf-16" if "16" in declaration else "utf-8")
    assert xml_problem(data) is None or "16" in declaration  # UTF-16 text has no ASCII declaration to read


def test_a_gbk_named_file_is_read_not_called_damaged(tmp_path):
    """python-calamine was given the name again and could not open a non-UTF-8 name: "文件已损坏"."""
    if sys.platform != "linux":
        pytest.skip("non-UTF-8 file names need a byte-oriented file system")
    from xlperf.examples import example_workbook

    name = "绩效自评".encode("gbk") + b".xlsx"
    target = os.path.join(os.fsencode(tmp_path), name)
    shutil.copyfile(example_workbook(), target)
    evaluation, results = evaluate_file(Path(os.fsdecode(target)))
    assert results.total is not None


def test_gate_corpus_script_reproduces_the_files(tmp_path):
    sys.path.insert(0, str(CORPUS))
    try:
        import make_hostile
    finally:
        sys.path.remove(str(CORPUS))
    for name, (part, edit) in make_hostile.CASES.items():
        with zipfile.ZipFile(CORPUS / name) as archive:
            assert archive.read(part) == edit(zipfile.ZipFile(__import__("io").BytesIO(make_hostile.base())).read(part))
