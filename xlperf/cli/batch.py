"""``xlperf batch``: thin glue over ``run_batch`` and ``write_summary``.

Exit codes: 0 no file has errors; 1 some file has error findings or could not
be read; 2 the command itself failed (folder missing, no workbook, bad option).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xlperf.cli.base import EXIT_INTERRUPTED, argument, fail
from xlperf.cli.chinese import ChineseCommand, ChineseUsageError
from xlperf.cli.explain import explain
from xlperf.cli.output import output_path

SUMMARY_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


def _jobs(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise ChineseUsageError(f"--jobs 的值“{value}”无效，请填写 1 或更大的整数（1 表示不另起进程）")
    return jobs


def _excluded(output: Path, fmt: str) -> list[Path]:
    from xlperf.batch.formats import csv_paths

    return list(csv_paths(output)) if fmt == "csv" else [output]


def stage_line(result) -> None:
    """申报/监控 files: how many, and the project lights (they are not scored, so not in the averages)."""
    from xlperf.batch.stagework import NO_LIGHT, stage_records

    declared, monitored = stage_records(result, "申报"), stage_records(result, "监控")
    if declared:
        bad = sum(1 for r in declared if r.stage_row.errors)
        click.echo(f"申报 {len(declared)} 个（绩效目标有错误的 {bad} 个），见汇总表“申报审核”和“问题清单”。")
    if monitored:
        counts: dict[str, int] = {}
        for r in monitored:
            light = r.stage_row.project_light or NO_LIGHT
            counts[light] = counts.get(light, 0) + 1
        shown = "，".join(f"{k}灯 {v} 个" if k != NO_LIGHT else f"无法判断 {v} 个" for k, v in counts.items())
        click.echo(f"运行监控 {len(monitored)} 个：{shown}；见汇总表“监控灯”和“监控灯（按单位）”。")


def _report(result, written: list[Path]) -> None:
    stats = result.statistics()
    unreadable = sum(1 for r in result.records if r.failure)
    line = f"已评审 {len(result.records)} 个工作簿：评分 {stats.count} 个（其中有错误的 {result.with_errors} 个），无法读取 {unreadable} 个"
    if result.unfilled:
        line += f"，未填写 {len(result.unfilled)} 个（未评分，不计入平均）"
    if result.skipped:
        line += f"，跳过汇总表 {len(result.skipped)} 个"
    click.echo(line + "。")
    stage_line(result)
    if result.duplicates:
        click.echo(f"注意：{len(result.duplicates)} 个文件是重复提交的同一项目（单位、项目名称、年度相同），见汇总表“重复提交”列。")
    if stats.count:
        rate = f"，平均执行率 {stats.mean_rate:.2f}%" if stats.mean_rate is not None else ""
        click.echo(f"平均总分 {stats.mean_total:.2f}{rate}。")
    if result.reports_dir is not None:
        reports = sum(1 for r in result.records if r.report)
        failed = sum(1 for r in result.records if r.report_failure)
        tail = f"，{failed} 份未能生成（见“无法读取”）" if failed else ""
        click.echo(f"自评报告 {reports} 份已写入 {result.reports_dir}{tail}。")
    if result.audits:
        audits = result.audits.items
        alone = sum(1 for a in audits if a.workbook is None and not a.failure)
        errors = sum(a.errors for a in audits)
        line = f"另审核自评报告 {len(audits)} 份（{len(audits) - alone} 份与工作簿逐项核对"
        line += f"，{alone} 份未找到对应工作簿、只核对正文）" if alone else "）"
        click.echo(line + f"：发现错误 {errors} 处，列在“问题清单”（按段落）。")
    click.echo("汇总已写入 " + "、".join(str(p) for p in written))


@click.command("batch", cls=ChineseCommand)
@argument("directory", metavar="目录", type=click.Path(path_type=Path), help="要评审的文件夹（含子文件夹）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="汇总文件。默认为当前文件夹下的 汇总.xlsx（csv、json 格式为 汇总.csv、汇总.json）。")
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path), metavar="文件夹",
              help="同时为每个项目生成 Word 自评报告，按原文件夹结构存放在此文件夹。")
@click.option("-j", "--jobs", metavar="N", help="并行进程数，默认为全部 CPU 核数；1 表示在本进程中逐个处理。")
@click.option("--format", "fmt", metavar="[xlsx|csv|json]",
              help="汇总格式：xlsx（默认，含图表）、csv（UTF-8，另附问题清单和无法读取两个文件；有申报、监控表时另附其汇总）或 json。")
@click.option("--no-audit", "no_audit", is_flag=True, help="不审核文件夹中的自评报告（.docx，及名称含“报告”的 .txt/.md）。")
def batch_command(directory: Path, output: Path | None, reports_dir: Path | None, jobs: str | None, fmt: str | None,
                  no_audit: bool = False):
    """批量评审：对文件夹（含子文件夹）中的每个自评工作簿评分和校验，生成汇总表。

    \b
    查找 .xlsx 和 .xlsm 文件，跳过 Excel 的临时文件（~$ 开头）、隐藏文件夹和汇总文件本身；
    原文件只读取，不作任何修改。损坏或不是自评表的文件列在“无法读取”中，不影响其他文件。
    文件夹中的自评报告（.docx，及名称含“报告”的 .txt/.md）也逐份审核：按报告中的项目名称、
    所在文件夹和文件名找到对应的工作簿，与之逐项核对（找不到时只核对正文），问题按段落列入问题清单。

    \b
    汇总表包括：
      汇总      每个项目一行：预算、执行率、各一级指标得分、总分、等级、问题数、文件链接
      问题清单  每个问题一行：文件、单元格、级别、代码、说明
      无法读取  无法读取的文件及原因
      图表      等级分布、总分分布、执行率与总分

    \b
    退出码：0 没有文件有错误；1 有文件存在错误或无法读取；2 命令本身无法执行。

    \b
    示例：
      xlperf batch 2024年自评表 -o 2024年汇总.xlsx
      xlperf batch 2024年自评表 --reports 自评报告 --jobs 4
      xlperf batch 2024年自评表 --format csv -o 汇总.csv
    """
    from xlperf.batch.formats import format_for, write_summary
    from xlperf.batch.progress import progress_for
    from xlperf.batch.run import run_batch
    from xlperf.errors import XlperfError

    progress = None
    try:
        workers = _jobs(jobs)
        if output is not None:
            suffix_format = output_path(output, SUMMARY_FORMATS, what="汇总文件")
            fmt = format_for(output, fmt or suffix_format)
        else:
            fmt = format_for(Path("汇总.xlsx"), fmt)
        output = output or Path(f"汇总.{fmt}")
        progress = progress_for(sys.stderr)
        result = run_batch(directory, jobs=workers, reports_dir=reports_dir, progress=progress, exclude=_excluded(output, fmt),
                           audit=not no_audit)
        progress.close()
        progress = None
        with result:
            output.absolute().parent.mkdir(parents=True, exist_ok=True)
            written = write_summary(result, output, fmt)
            _report(result, written)
            code = result.exit_code
    except (XlperfError, OSError) as exc:
        _close(progress)
        fail(explain(exc))
    except KeyboardInterrupt:
        _close(progress)
        click.echo("已中断，原文件未作修改。", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code)


def _close(progress) -> None:
    if progress is not None:
        progress.close()
