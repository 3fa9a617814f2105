"""The command line: thin glue over the library, one library call per command.

Exit codes: 0 fine; 1 the evaluation has errors (check, score, batch);
2 the command could not run (bad file, bad option) — with a Chinese message.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

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
            click.echo("已中断，文件未作修改。", err=True)
            sys.exit(130)
        except OSError as exc:
            name = getattr(exc, "filename", None) or ""
            click.echo(f"错误：{name}：无法读写文件（{exc.strerror or exc}）", err=True)
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


def _summary_lines(evaluation, results) -> list[str]:
    from xlperf.scoring import text

    name = text(evaluation.project.name) or "（未填项目名称）"
    year = text(evaluation.project.year)
    lines = [f"项目：{name}{f'（{year}年度）' if year else ''}，评分方案 {results.profile}"]
    parts = "，".join(f"{s.level1} {s.points}/{s.weight}" for s in results.subtotals)
    lines.append(f"总分 {results.total}（等级：{results.grade}）  {parts}")
    lines.append(f"错误 {results.errors} 项，警告 {results.warnings} 项")
    return lines


def _findings_lines(results) -> list[str]:
    return [f"  {f.severity.label}  {f.location}  {f.message}" for f in results.findings]


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@friendly
def check(file: Path, as_json: bool):
    """校验工作簿或 JSON：列出每个问题及其单元格，不修改文件。

    有错误时退出码为 1，只有警告时为 0。
    """
    from xlperf.results import results_to_dict
    from xlperf.sources import evaluate_file

    evaluation, results = evaluate_file(file)
    if as_json:
        echo_json({"file": str(file), **results_to_dict(results)})
    else:
        for line in _summary_lines(evaluation, results):
            click.echo(line)
        if results.findings:
            click.echo("问题清单：")
            for line in _findings_lines(results):
                click.echo(line)
        else:
            click.echo("未发现问题。")
    sys.exit(EXIT_FINDINGS if results.errors else 0)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写到另一个文件，原文件不变。")
@json_option
@friendly
def score(file: Path, output: Path | None, as_json: bool):
    """计算完成比值、得分、小计、总分和等级，写回工作簿，并把问题列在“校验结果”表。

    只改动计算单元格，其余内容保持原样；再次运行不会改变文件。
    JSON 文件只输出结果，不写文件。
    """
    from xlperf.results import results_to_dict
    from xlperf.sources import evaluate_file, write_scores

    evaluation, results = evaluate_file(file)
    changed = None
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        changed = write_scores(file, evaluation, results, output)
    if as_json:
        echo_json({"file": str(output or file), **results_to_dict(results)})
    else:
        for line in _summary_lines(evaluation, results):
            click.echo(line)
        if changed is not None:
            target = output or file
            click.echo(f"已写入 {target}" if changed else f"{target} 已是最新结果，未改动。")
    sys.exit(EXIT_FINDINGS if results.errors else 0)


def main():
    cli(prog_name="xlperf")


if __name__ == "__main__":
    main()
