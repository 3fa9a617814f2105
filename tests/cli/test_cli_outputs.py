"""Outputs land where asked: missing folders are created, the extension decides the format or is
refused, no temp-file name or English errno reaches the user, and the input is unchanged when an
output fails. In-process through the real group."""

from __future__ import annotations

import errno
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from xlperf.cli import cli
from xlperf.examples import example_workbook

ENGLISH_OS = ("No space", "Permission denied", "No such file", "Errno", "Not a directory", "Is a directory", "Traceback")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "自评表.xlsx"
    shutil.copyfile(example_workbook(), path)
    return path


def assert_clean_failure(result, folder: Path) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误："), result.output
    for word in ENGLISH_OS:
        assert word not in result.output
    assert ".xlperf-" not in result.output and ".tmp" not in result.output
    assert not list(folder.rglob(".xlperf-*")), "temp file left behind"


def is_workbook(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return "xl/workbook.xml" in z.namelist()


# ---------------------------------------------------------------- missing folders are created


def test_score_into_a_missing_folder(workbook, tmp_path):
    before = workbook.read_bytes()
    target = tmp_path / "新文件夹" / "下一级" / "评分后.xlsx"
    result = run("score", workbook, "-o", target)
    assert result.exit_code in (0, 1), result.output
    assert is_workbook(target)
    assert workbook.read_bytes() == before


def test_dump_into_a_missing_folder(workbook, tmp_path):
    target = tmp_path / "导出" / "数据.json"
    assert run("dump", workbook, "-o", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["profile"]


def test_new_into_a_missing_folder(tmp_path):
    target = tmp_path / "模板" / "2025" / "自评表.xlsx"
    assert run("new", "-o", target).exit_code == 0
    assert is_workbook(target)


def test_report_into_a_missing_folder(workbook, tmp_path):
    target = tmp_path / "报告" / "自评报告.docx"
    assert run("report", workbook, "-o", target, "--no-charts").exit_code == 0
    with zipfile.ZipFile(target) as z:
        assert "word/document.xml" in z.namelist()


def test_batch_into_a_missing_folder(workbook, tmp_path):
    target = tmp_path / "汇总" / "2025" / "汇总.xlsx"
    result = run("batch", workbook.parent, "-o", target, "--jobs", "1")
    assert result.exit_code in (0, 1), result.output
    assert is_workbook(target)


def test_demo_into_a_missing_folder(tmp_path):
    folder = tmp_path / "一" / "二"
    assert run("demo", folder, "--no-report").exit_code in (0, 1)
    assert list(folder.glob("*.xlsx"))


def test_output_under_a_file_is_refused_in_chinese(workbook, tmp_path):
    blocker = tmp_path / "不是文件夹.txt"
    blocker.write_text("x")
    result = run("score", workbook, "-o", blocker / "结果.xlsx")
    assert_clean_failure(result, tmp_path)
    assert "是文件而不是文件夹" in result.output


# ---------------------------------------------------------------- the extension decides the format


def test_score_json_output_is_json_not_a_workbook(workbook, tmp_path):
    before = workbook.read_bytes()
    target = tmp_path / "结果.json"
    result = run("score", workbook, "--json", "-o", target)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["total"] is not None
    assert workbook.read_bytes() == before, "score -o x.json must not write the workbook"


def test_score_json_names_each_indicator_and_its_cell(workbook):
    result = run("score", workbook, "--json")
    data = json.loads(result.stdout)
    assert data["indicators"] or data["items"]
    for row in data["indicators"] + data["items"]:
        assert row["name"]
        assert row["cell"] and "!" in row["cell"]
        assert all("!" in cell for cell in row["cells"].values())


@pytest.mark.parametrize(("command", "name"), [
    ("score", "结果.txt"), ("score", "结果.xlsm"), ("dump", "数据.xlsx"), ("report", "报告.txt"),
    ("report", "报告"), ("batch", "汇总.pdf"), ("new", "表.docx"), ("new", "表.xlsm"),
])
def test_wrong_extension_is_refused(command, name, workbook, tmp_path):
    target = tmp_path / "输出" / name
    args = {"new": ["new", "-o", target], "batch": ["batch", workbook.parent, "-o", target]}.get(command, [command, workbook, "-o", target])
    before = workbook.read_bytes()
    result = run(*args)
    assert_clean_failure(result, tmp_path)
    assert "扩展名" in result.output
    assert not target.exists() and not (tmp_path / "输出").exists()
    assert workbook.read_bytes() == before


def test_report_format_and_extension_must_agree(workbook, tmp_path):
    result = run("report", workbook, "-o", tmp_path / "报告.docx", "--format", "md")
    assert_clean_failure(result, tmp_path)


def test_report_markdown_by_extension(workbook, tmp_path):
    target = tmp_path / "报告.md"
    assert run("report", workbook, "-o", target).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("#")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_report_pdf_by_extension(workbook, tmp_path):
    target = tmp_path / "报告" / "自评报告.pdf"
    result = run("report", workbook, "-o", target, "--no-charts")
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in target.parent.iterdir()) == ["自评报告.pdf"]


def test_report_without_findings_annex(workbook, tmp_path):
    with_annex, without = tmp_path / "有.md", tmp_path / "无.md"
    assert run("report", workbook, "-o", with_annex).exit_code == 0
    assert run("report", workbook, "-o", without, "--no-findings").exit_code == 0
    assert "校验发现的问题" in with_annex.read_text(encoding="utf-8")
    assert "校验发现的问题" not in without.read_text(encoding="utf-8")
    assert "xlperf" not in with_annex.read_text(encoding="utf-8")


# ---------------------------------------------------------------- failures: Chinese, input unchanged


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "权限"), (errno.EROFS, "只读"), (errno.EIO, "读写出错"),
])
@pytest.mark.parametrize("in_place", [True, False])
def test_score_write_failure_leaves_the_input_unchanged(code, words, in_place, workbook, tmp_path, monkeypatch):
    before = workbook.read_bytes()

    def failing_replace(src, dst, *args, **kwargs):  # the OS refusing the final rename
        raise OSError(code, os.strerror(code), src)

    monkeypatch.setattr(os, "replace", failing_replace)
    args = ["score", workbook] if in_place else ["score", workbook, "-o", tmp_path / "out" / "评分后.xlsx"]
    result = run(*args)
    assert_clean_failure(result, tmp_path)
    assert words in result.output
    assert workbook.read_bytes() == before
    assert not (tmp_path / "out" / "评分后.xlsx").exists()


def test_report_write_failure_names_no_temp_file(workbook, tmp_path, monkeypatch):
    def failing_replace(src, dst, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", src)

    before = workbook.read_bytes()
    monkeypatch.setattr(os, "replace", failing_replace)
    result = run("report", workbook, "-o", tmp_path / "报告.docx", "--no-charts")
    assert_clean_failure(result, tmp_path)
    assert str(tmp_path) in result.output
    assert not (tmp_path / "报告.docx").exists()
    assert workbook.read_bytes() == before


def test_missing_input_is_one_chinese_line(tmp_path):
    for command in ("score", "check", "report", "dump"):
        result = run(command, tmp_path / "没有.xlsx")
        assert_clean_failure(result, tmp_path)
        assert "没有.xlsx" in result.output
