"""The command group and what every command shares: error mapping, exit codes, JSON output.

Exit codes: 0 fine; 1 the evaluation has errors (check, score, batch);
2 the command could not run (bad file, bad option) — with a Chinese message.
"""

from __future__ import annotations

import json
import sys
from functools import wraps

import click

from xlperf import __version__
from xlperf.errors import XlperfError

EXIT_FINDINGS = 1
EXIT_FAILURE = 2


def friendly(fn):
    """Turn library failures into `错误：…` and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except XlperfError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(EXIT_FAILURE)
        except KeyboardInterrupt:
            from xlperf.cli.guard import interrupted_message

            click.echo(interrupted_message(), err=True)
            sys.exit(130)
        except OSError as exc:
            from xlperf.ooxml.oserrors import os_error_message

            click.echo(f"错误：{os_error_message(exc)}", err=True)
            sys.exit(EXIT_FAILURE)

    return wrapper


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供其他系统读取。")(fn)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class Group(click.Group):
    def list_commands(self, ctx):
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xlperf", message="%(prog)s %(version)s")
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
    """
