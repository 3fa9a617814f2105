"""``xlperf report``: read and score a workbook or JSON file, write the narrative report.

Registered on the group in ``xlperf.cli``. Exit codes as the
other commands: 0 written (also when --pdf finds no LibreOffice: the Word file is there),
2 the report could not be written, with a Chinese message.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xlperf.errors import MissingDependency, XlperfError

EXIT_FAILURE = 2


@click.command("report", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="报告文件；默认写在输入文件所在文件夹，按“项目名称_年度绩效自评报告”命名。")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="自定义模板：Word 格式用 .docx，Markdown 格式用 .md.j2；默认用评分方案自带的模板。")
@click.option("--format", "fmt", type=click.Choice(["docx", "md"]), default=None,
              help="docx（Word，默认）或 md（Markdown，便于审阅和比较）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 转换为 PDF（仅 Word 格式）。")
@click.option("--no-charts", is_flag=True, help="不插入图表。")
def report_command(file: Path, output: Path | None, template: Path | None, fmt: str | None, pdf: bool, no_charts: bool):
    """生成自评报告：按评分方案计算得分，写出 Word（或 Markdown）格式的绩效自评报告。

    报告中的数字全部来自工作簿和计算结果；校验发现的错误和警告列在报告附件中。

    \b
    示例：
      xlperf report 自评表.xlsx
      xlperf report 自评表.xlsx -o 报告.docx --pdf
      xlperf report 数据.json --format md
    """
    try:
        _run(file, output, template, fmt, pdf, no_charts)
    except XlperfError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_FAILURE)
    except OSError as exc:
        name = getattr(exc, "filename", None) or ""
        click.echo(f"错误：{name}：无法读写文件（{exc.strerror or exc}）", err=True)
        sys.exit(EXIT_FAILURE)


def _run(file: Path, output: Path | None, template: Path | None, fmt: str | None, pdf: bool, no_charts: bool) -> None:
    from xlperf.report import convert_to_pdf, default_output, write_report
    from xlperf.sources import evaluate_file

    fmt = fmt or ("md" if output and output.suffix.lower() == ".md" else "docx")
    if pdf and fmt != "docx":
        raise XlperfError("--pdf 只能用于 Word 格式（--format docx）")
    if not file.is_file():
        raise XlperfError("找不到文件", path=str(file))
    from xlperf.cli.stages import monitoring_report_dispatch

    if monitoring_report_dispatch(file, output, fmt, pdf):  # a 监控 JSON file gets the 监控报告
        return
    evaluation, results = evaluate_file(file)
    target = output or default_output(evaluation, file, fmt)
    written = write_report(evaluation, results, target, fmt=fmt, template=template, charts=not no_charts)
    click.echo(f"已生成自评报告：{written}")
    if results.errors:
        click.echo(f"注意：自评数据有 {results.errors} 个错误、{results.warnings} 个警告，已列在报告附件“校验发现的问题”中；"
                   "请改正后重新生成。", err=True)
    if pdf:
        try:
            click.echo(f"已生成 PDF：{convert_to_pdf(written)}")
        except MissingDependency as exc:
            click.echo(str(exc), err=True)
