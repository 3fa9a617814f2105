"""``xlperf report`` run in-process: file names, formats, --pdf without LibreOffice, Chinese help."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from reporthelpers import EXAMPLE, docx_text

from xlperf.cli.report import report_command

DEFAULT_NAME = "2018年度政务网等运行维护费_2018年度绩效自评报告"


def run(*args: str):
    return CliRunner().invoke(report_command, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def example_json(tmp_path):
    path = tmp_path / "ningde2018.json"
    shutil.copyfile(EXAMPLE, path)
    return path


def test_default_output_is_named_after_project_and_year(example_json):
    result = run(example_json, "--no-charts")
    assert result.exit_code == 0, result.output
    out = example_json.parent / f"{DEFAULT_NAME}.docx"
    assert out.is_file()
    assert f"已生成自评报告：{out}" in result.stdout
    assert "校验发现的问题" in result.stderr  # the example has errors: they are pointed out
    assert "宁德市数字宁德建设办公室" in docx_text(out)


def test_markdown_output(example_json, tmp_path):
    out = tmp_path / "审阅.md"
    result = run(example_json, "-o", out)  # the suffix chooses the format
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# 宁德市数字宁德建设办公室")
    result = run(example_json, "--format", "md")
    assert (example_json.parent / f"{DEFAULT_NAME}.md").is_file()


def test_pdf_without_libreoffice_still_writes_the_word_file(example_json, monkeypatch):
    monkeypatch.setattr("xlperf.report.pdf.find_soffice", lambda: None)
    result = run(example_json, "--pdf", "--no-charts")
    assert result.exit_code == 0
    assert "未找到 LibreOffice，已生成 Word 文档，未生成 PDF；安装 LibreOffice 后重试" in result.stderr
    assert (example_json.parent / f"{DEFAULT_NAME}.docx").is_file()
    assert not (example_json.parent / f"{DEFAULT_NAME}.pdf").exists()


def test_pdf_needs_word_format(example_json):
    result = run(example_json, "--format", "md", "--pdf")
    assert result.exit_code == 2
    assert "--pdf 只能用于 Word 格式" in result.stderr


def test_broken_template_exit_code_and_message(example_json, tmp_path):
    template = tmp_path / "坏模板.md.j2"
    template.write_text("{% for p in problems %}{{ p }}", encoding="utf-8")
    out = tmp_path / "报告.md"
    result = run(example_json, "--template", template, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：Markdown 模板 坏模板.md.j2")
    assert not out.exists()


def test_missing_input(tmp_path):
    result = run(tmp_path / "没有.json")
    assert result.exit_code == 2
    assert "找不到文件" in result.stderr


def test_workbook_input(example, tmp_path):
    from xlperf.workbook.builder import build_workbook

    evaluation, _ = example
    book = tmp_path / "自评表.xlsx"
    build_workbook("fj2018", evaluation, book)
    result = run(book, "--no-charts")
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / f"{DEFAULT_NAME}.docx")
    assert "实际资金使用率为59.93%，此项得0分。" in text


def test_help_is_chinese():
    result = run("--help")
    assert result.exit_code == 0
    shown = "".join(result.stdout.split())  # help lines wrap by display width
    for words in ("生成自评报告", "默认写在输入文件所在文件夹", "LibreOffice", "不插入图表", "--no-findings"):
        assert words in shown
