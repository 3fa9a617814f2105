"""Every command's --help and usage errors, in-process: Chinese, with the fix, no English click words.

Commands are taken from the group, so a command added later is checked too.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from xlperf.cli import cli

ENGLISH = (
    "Usage", "Error", "Options", "Arguments", "Commands", "Missing", "Show this message", "Try ", "Show the version",
    "Aborted", "No such", "Invalid value", "is a directory", "does not exist", "unexpected extra", "required]",
    "default:", "Got ", "TEXT", "PATH", "FILE", "INTEGER", "DIRECTORY", "requires an argument", "Did you mean",
)
COMMANDS = sorted(cli.commands)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_chinese(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, f"English click word {word!r} in:\n{text}"


def assert_usage_error(result, *, command: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.startswith("错误："), result.output
    assert f"xlperf {command} --help".replace("  ", " ") in result.output
    assert_chinese(result.output)


def test_group_help_lists_commands_in_chinese():
    result = run("--help")
    assert result.exit_code == 0
    for heading in ("用法：", "选项：", "命令："):
        assert heading in result.output
    for name in COMMANDS:
        assert f"  {name} " in result.output
    assert_chinese(result.output)
    assert run("-h").output == result.output


def test_group_without_a_command_shows_the_chinese_help():
    result = run()
    assert "用法：xlperf" in result.output
    assert_chinese(result.output)


def test_unknown_command_names_the_commands():
    result = run("scroe", "x.xlsx")
    assert_usage_error(result, command="")
    assert "score" in result.output


def test_unknown_group_option():
    assert_usage_error(run("--bogus"), command="")


def test_version_is_plain():
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("xlperf ")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_chinese(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"用法：xlperf {command} [选项]")
    assert "选项：" in result.output and "显示本帮助并退出" in result.output
    params = cli.commands[command].params
    if any(isinstance(p, click.Argument) for p in params):
        assert "参数：" in result.output
    assert_chinese(result.output)
    assert run(command, "-h").output == result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_option(command):
    result = run(command, "--bogus", "x")
    assert_usage_error(result, command=command)
    assert "没有选项 --bogus" in result.output


@pytest.mark.parametrize("command", [c for c in COMMANDS if any(p.required for p in cli.commands[c].params)])
def test_missing_argument_or_option(command):
    result = run(command)
    assert_usage_error(result, command=command)
    assert "缺少" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_option_without_its_value(command):
    options = [p for p in cli.commands[command].params if isinstance(p, click.Option) and not p.is_flag and p.opts[-1] != "--help"]
    if not options:
        pytest.skip("no option takes a value")
    result = run(command, options[0].opts[-1])
    assert_usage_error(result, command=command)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_where_a_file_is_expected(command, tmp_path):
    params = cli.commands[command].params
    files = [p for p in params if isinstance(p.type, click.Path) and not p.type.dir_okay]
    if not files:
        pytest.skip("no file parameter")
    param = files[0]
    args = [str(tmp_path)] if isinstance(param, click.Argument) else ["x.xlsx", param.opts[-1], str(tmp_path)]
    if command == "new":
        args = [param.opts[-1], str(tmp_path)]
    result = run(command, *args)
    assert_usage_error(result, command=command)
    assert "是文件夹" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_choice(command):
    choices = [p for p in cli.commands[command].params if isinstance(p.type, click.Choice)]
    if not choices:
        pytest.skip("no choice option")
    result = run(command, choices[0].opts[-1], "无此项", "x.xlsx")
    assert_usage_error(result, command=command)
    assert "可选：" in result.output


@pytest.mark.parametrize("command", [c for c in COMMANDS if any(isinstance(p, click.Argument) for p in cli.commands[c].params)])
def test_extra_argument(command, tmp_path):
    required = [x for p in cli.commands[command].params if isinstance(p, click.Option) and p.required
                for x in (p.opts[0], p.type.choices[0] if isinstance(p.type, click.Choice) else tmp_path / "out.xlsx")]
    result = run(command, *required, tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx")
    assert_usage_error(result, command=command)
    assert "多余的参数" in result.output


def test_non_integer_jobs_is_chinese(tmp_path):
    result = run("batch", tmp_path, "--jobs", "many")
    assert_usage_error(result, command="batch")


def test_json_errors_are_chinese_json(tmp_path):
    import json

    bad = tmp_path / "坏.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    result = run("check", bad, "--json")
    assert result.exit_code == 2
    first = result.stdout.strip().splitlines()[0]
    assert "错误" not in first or first.startswith("{")
    message = json.loads(result.stdout)["error"]
    assert "坏.json" in message
    assert_chinese(result.output)


def _nested(group, path=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _nested(command, (*path, name))
        elif path:
            yield (*path, name)


@pytest.mark.parametrize("path", sorted(_nested(cli)), ids=" ".join)
def test_subcommand_help_and_usage_errors_are_chinese(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"用法：xlperf {' '.join(path)} [选项]")
    assert_chinese(result.output)
    wrong = run(*path, "--bogus")
    assert wrong.exit_code == 2
    assert_chinese(wrong.output)


def _every_command(group=cli, path=()):
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _every_command(command, (*path, name))
        else:
            yield (*path, name), command


@pytest.mark.parametrize("path,command", list(_every_command()), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
@pytest.mark.parametrize("columns", [80, 120])
def test_help_keeps_each_written_line(path, command, columns):
    """click would join a paragraph's lines and rewrap them: example lines broken, spaces inside
    Chinese sentences. Every line of the docstring shows as written, never joined with the next."""
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=columns)
    assert result.exit_code == 0
    shown = [line.strip() for line in result.output.splitlines()]
    text = result.output.split("选项：")[0]
    for line in (command.help or "").splitlines():
        line = line.strip()
        if not line or line == "\b":
            continue
        assert line in shown, f"{line!r} not kept as one line in:\n{result.output}"
    assert "\b" not in result.output
    assert "。 " not in text and "， " not in text and "； " not in text  # no rewrap spaces after Chinese punctuation
    assert not any(line.startswith(("。", "，", "；", "）")) for line in shown)  # no lone punctuation line
    assert_chinese(result.output)
