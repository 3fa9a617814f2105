"""The command line, run in-process: every command has help, exact exit codes, Chinese messages."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xlperf import jsonio
from xlperf.cli import cli
from xlperf.examples import example_json
from xlperf.scoring import score
from xlperf.sources import evaluate_file

ROOT = Path(__file__).parent.parent


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_chinese_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    doc = cli.commands[command].help or ""
    assert re.search(r"[\u4e00-\u9fff]", doc), f"{command} has no Chinese help"
    assert doc.split("\n")[0].strip() in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in cli.commands:
        assert f"xlperf {command}" in readme, command


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "xlperf", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("xlperf ")


def test_check_json_example_exits_1_with_findings():
    result = run("check", example_json())
    assert result.exit_code == 1
    assert "“投入”各项分值之和为31分，应等于该一级指标的30分" in result.output
    assert "192场" in result.output and "162场" in result.output


def test_check_json_output_matches_the_core(tmp_path):
    result = run("check", example_json(), "--json")
    data = json.loads(result.output)
    expected = score(jsonio.load(example_json()))
    assert data["total"] == float(expected.total)
    assert data["grade"] == expected.grade
    assert len(data["findings"]) == len(expected.findings)


def test_new_score_check_round_trip(tmp_path):
    book = tmp_path / "表.xlsx"
    assert run("new", "--data", example_json(), "-o", book).exit_code == 0
    before = book.read_bytes()
    result = run("score", book)
    assert result.exit_code == 1  # the example has errors
    assert "已写入" in result.output
    after = book.read_bytes()
    assert after != before
    again = run("score", book)
    assert "已是最新结果" in again.output
    assert book.read_bytes() == after
    evaluation, results = evaluate_file(book)
    assert f"总分 {results.total}" in result.output


def test_score_to_other_file_leaves_input(tmp_path):
    book = tmp_path / "a.xlsx"
    run("new", "--data", example_json(), "-o", book)
    original = book.read_bytes()
    copy = tmp_path / "b.xlsx"
    run("score", book, "-o", copy)
    assert book.read_bytes() == original
    assert copy.exists()


def test_score_json_prints_results(tmp_path):
    result = run("score", example_json(), "--json")
    data = json.loads(result.output)
    assert data["profile"] == "fj2018"
    assert data["items"][0]["explanation"].startswith("计划2018年12月前完成")


def test_new_refuses_to_overwrite(tmp_path):
    book = tmp_path / "x.xlsx"
    assert run("new", "-o", book).exit_code == 0
    result = run("new", "-o", book)
    assert result.exit_code == 2
    assert "已存在" in result.output


def test_new_from_last_year_carries_over(tmp_path):
    last = tmp_path / "2018.xlsx"
    run("new", "--data", example_json(), "-o", last)
    nxt = tmp_path / "2019.xlsx"
    assert run("new", "--from", last, "-o", nxt).exit_code == 0
    ev, _ = evaluate_file(nxt)
    assert str(ev.project.year) in ("2019", "2019.0")
    old = jsonio.load(example_json())
    assert [i.name for i in ev.indicators] == [i.name for i in old.indicators]
    assert ev.indicators[7].reference == old.indicators[7].actual  # last year's actual is this year's standard
    assert all(i.actual is None for i in ev.indicators)


def test_dump_round_trip(tmp_path):
    book = tmp_path / "x.xlsx"
    run("new", "--data", example_json(), "-o", book)
    out = tmp_path / "x.json"
    assert run("dump", book, "-o", out).exit_code == 0
    assert jsonio.to_json(jsonio.load(out)) == jsonio.to_json(jsonio.load(example_json()))


@pytest.mark.parametrize("content, message", [(b"not a workbook", "不是 Excel 工作簿"), (b"", "")])
def test_bad_files_give_a_message_not_a_traceback(tmp_path, content, message):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(content)
    for command in ("check", "score"):
        result = CliRunner().invoke(cli, [command, str(bad)])
        assert result.exit_code == 2
        assert result.output.startswith("错误：")
        assert "坏.xlsx" in result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert bad.read_bytes() == content


def test_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "无.xlsx")])
    assert result.exit_code == 2
    assert "无.xlsx" in result.output


def test_demo_writes_and_scores_the_example(tmp_path):
    result = run("demo", tmp_path / "演示", "--no-report")
    assert result.exit_code == 0
    books = list((tmp_path / "演示").glob("*.xlsx"))
    assert len(books) == 1
    _, results = evaluate_file(books[0])
    assert f"总分 {results.total}" in result.output
    assert "视频会议场次" in result.output


def test_new_xlsm_builds_the_macro_workbook(tmp_path):
    from oletools.olevba import VBA_Parser

    book = tmp_path / "绩效自评 (1).xlsm"
    result = run("new", "--xlsm", "--profile", "fj2018", "--interpreter", r"%LOCALAPPDATA%\xlperf\python.exe", "-o", book)
    assert result.exit_code == 0, result.output
    parser = VBA_Parser(str(book))
    modules = {name for _, _, name, _ in parser.extract_macros()}
    parser.close()
    assert {"xlwings", "xlperf"} <= {m.rsplit(".", 1)[0] for m in modules}
    import zipfile

    with zipfile.ZipFile(book) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
        assert "[0]!Score" in vml and "[0]!Check" in vml and "[0]!ExportReport" in vml
    from python_calamine import CalamineWorkbook

    conf = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("xlwings.conf").to_python()
    assert ["INTERPRETER_WIN", r"%LOCALAPPDATA%\xlperf\python.exe"] == conf[0][:2]
    # the workbook is still an xlperf workbook the command line can score
    assert run("score", book).exit_code in (0, 1)


def test_new_xlsm_needs_the_xlsm_suffix(tmp_path):
    result = run("new", "--xlsm", "-o", tmp_path / "a.xlsx")
    assert result.exit_code == 2
    assert ".xlsm" in result.output
