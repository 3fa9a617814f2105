"""The command group and what every command shares: Chinese help and errors, exit codes, JSON output.

Exit codes: 0 fine; 1 the evaluation has errors (check, score, batch);
2 the command could not run (bad file, bad option) — with a Chinese message; 130 interrupted.

Writing a new command (in its own module ``xlperf/cli/<name>.py``)::

    from xlperf.cli.base import argument, command, json_option

    @command("audit")
    @argument("file", type=click.Path(dir_okay=False, path_type=Path), help="要审核的报告。")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="…")
    def audit_command(file, output):
        \"\"\"一行中文说明。\"\"\"

and one line in ``xlperf/cli/__init__.py``: ``cli.add_command(audit_command, "audit")``.
``command`` gives a ``ChineseCommand`` (用法/选项/参数, Chinese usage errors, ``-h/--help``,
Chinese metavars) whose body runs under ``friendly``: an ``XlperfError`` or ``OSError``
becomes ``错误：…`` with the fix and exit code 2 (with ``--json``, also ``{"error": …}`` on
stdout), never a traceback. Use ``xlperf.cli.output.output_path`` for ``-o``. Commands added
with ``@cli.command()`` get the same class and must add ``@friendly`` themselves.
"""

from __future__ import annotations

import json
import os
import sys
from functools import wraps

import click

from xlperf import __version__
from xlperf.cli.chinese import ChineseArgument, ChineseCommand, ChineseGroup, ChineseUsageError
from xlperf.cli.explain import explain
from xlperf.errors import XlperfError

EXIT_FINDINGS = 1
EXIT_FAILURE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `cat big | head`


def fail(message: str, as_json: bool = False) -> None:
    """Say ``错误：message`` (and a JSON error object with --json) and exit with code 2."""
    if as_json:
        click.echo(json.dumps({"error": message}, ensure_ascii=False))
    click.echo(f"错误：{message}", err=True)
    sys.exit(EXIT_FAILURE)


def reader_gone() -> None:
    """Output piped into a program that stopped reading: exit without a message (as ``cat`` does)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit does not fail again
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_BROKEN_PIPE)


def friendly(fn):
    """Turn library and file-system failures into `错误：…` and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        as_json = bool(kwargs.get("as_json"))
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:  # the reader went away (`xlperf check x | head`): stop quietly
            reader_gone()
        except (XlperfError, OSError) as exc:
            fail(explain(exc), as_json)
        except KeyboardInterrupt:
            from xlperf.cli.guard import interrupted_message

            click.echo(interrupted_message(), err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


def command(name: str | None = None, **kwargs):
    """Decorator for a Chinese command whose body runs under ``friendly``."""

    def decorate(fn):
        return click.command(name, cls=ChineseCommand, **kwargs)(friendly(fn))

    return decorate


def argument(*decls, help: str | None = None, **kwargs):  # noqa: A002 - click's own name
    """A positional argument with a help line shown under 参数：."""
    return click.argument(*decls, cls=ChineseArgument, help=help, **kwargs)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供其他系统读取。")(fn)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group("xlperf", cls=ChineseGroup)
@click.version_option(__version__, "-V", "--version", prog_name="xlperf", message="%(prog)s %(version)s", help="显示版本号并退出。")
def cli():
    """xlperf：项目支出绩效自评的评分、校验与自评报告。

    \b
    常用命令：
      xlperf demo            生成并评分内置示例（2018 宁德样本）
      xlperf new -o 表.xlsx   生成空白自评表
      xlperf score 表.xlsx    计算得分并写回工作簿
      xlperf check 表.xlsx    列出所有问题（有错误时退出码为 1）
      xlperf report 表.xlsx   生成自评报告（Word）
      xlperf batch 目录       批量评审一个文件夹的工作簿

    运行 xlperf 命令 --help 查看每个命令的用法。
    """


__all__ = [
    "EXIT_FAILURE", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "ChineseUsageError", "argument", "cli", "command",
    "echo_json", "fail", "friendly", "json_option",
]
