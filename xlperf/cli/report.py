"""``xlperf report``: read and score a workbook or JSON file, write the narrative report.

Registered on the group in ``xlperf.cli``. The output's extension decides the format:
``.docx`` Word, ``.md`` Markdown, ``.pdf`` Word converted by LibreOffice (only the PDF is
kept). Exit codes as the other commands: 0 written (also when --pdf finds no LibreOffice: the
Word file is there), 2 the report could not be written, with a Chinese message.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click

from xlperf.cli.base import argument, command
from xlperf.cli.output import output_path
from xlperf.errors import MissingDependency, XlperfError

FORMATS = {".docx": "docx", ".md": "md", ".pdf": "pdf"}


@command("report")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help="自评工作簿（.xlsx/.xlsm）或 JSON 数据文件。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="报告文件，扩展名决定格式：.docx（Word）、.md（Markdown）或 .pdf（经 LibreOffice 转换）；"
                   "文件夹不存在时自动创建。默认写在输入文件所在文件夹，按“项目名称_年度绩效自评报告”命名。")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="自定义模板：Word 格式用 .docx，Markdown 格式用 .md.j2；默认用评分方案自带的模板。")
@click.option("--format", "fmt", type=click.Choice(["docx", "md"]), default=None,
              help="docx（Word，默认）或 md（Markdown，便于审阅和比较）；给了 -o 时由其扩展名决定。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 转换为 PDF（仅 Word 格式）。")
@click.option("--no-charts", is_flag=True, help="不插入图表。")
@click.option("--no-findings", is_flag=True, help="不附“校验发现的问题”附件（正式报送时使用）。")
def report_command(file: Path, output: Path | None, template: Path | None, fmt: str | None, pdf: bool,
                   no_charts: bool, no_findings: bool):
    """生成自评报告：按评分方案计算得分，写出 Word（或 Markdown、PDF）格式的绩效自评报告。

    报告中的数字全部来自工作簿和计算结果；校验发现的错误和警告列在报告附件中（--no-findings 不附）。

    \b
    示例：
      xlperf report 自评表.xlsx
      xlperf report 自评表.xlsx -o 报告/自评报告.docx --pdf
      xlperf report 自评表.xlsx -o 自评报告.pdf
      xlperf report 数据.json --format md
    """
    from xlperf.report import convert_to_pdf, default_output, write_report
    from xlperf.sources import evaluate_file

    out_format = None
    if output is not None:
        out_format = output_path(output, FORMATS, what="报告文件")
        wanted = "docx" if out_format == "pdf" else out_format
        if fmt and fmt != wanted:
            raise XlperfError(f"--format {fmt} 与输出文件的扩展名 {output.suffix} 不一致；去掉 --format 或改扩展名")
        fmt = wanted
    fmt = fmt or "docx"
    if pdf and fmt != "docx":
        raise XlperfError("--pdf 只能用于 Word 格式（--format docx）")
    if not file.is_file():
        raise XlperfError("找不到文件，请检查路径是否写对", path=str(file))
    from xlperf.cli.stages import monitoring_report_dispatch

    if monitoring_report_dispatch(file, output, fmt, pdf):  # a 监控 JSON file gets the 监控报告
        return
    evaluation, results = evaluate_file(file)
    options = {"fmt": fmt, "template": template, "charts": not no_charts, "findings": not no_findings}
    if out_format == "pdf":
        _write_pdf(evaluation, results, output, options, convert_to_pdf, write_report)
    else:
        target = output or default_output(evaluation, file, fmt)
        written = write_report(evaluation, results, target, **options)
        click.echo(f"已生成自评报告：{written}")
        if pdf:
            try:
                click.echo(f"已生成 PDF：{convert_to_pdf(written)}")
            except MissingDependency as exc:
                click.echo(str(exc), err=True)
    if results.errors and not no_findings:
        click.echo(f"注意：自评数据有 {results.errors} 个错误、{results.warnings} 个警告，已列在报告附件“校验发现的问题”中；"
                   "请改正后重新生成。", err=True)
    elif results.errors:
        click.echo(f"注意：自评数据有 {results.errors} 个错误、{results.warnings} 个警告（未附在报告中）；"
                   "运行 xlperf check 查看，改正后重新生成。", err=True)


def _write_pdf(evaluation, results, output: Path, options: dict, convert_to_pdf, write_report) -> None:
    """The Word report in a private folder, converted to ``output``; only the PDF is kept."""
    work = Path(tempfile.mkdtemp(prefix="xlperf-report-"))
    try:
        docx = write_report(evaluation, results, work / "report.docx", **options)
        try:
            convert_to_pdf(docx, output)
        except MissingDependency:
            raise XlperfError("写 PDF 需要 LibreOffice，未找到；请安装 LibreOffice，或用 -o 报告.docx 生成 Word 文档后"
                              "在 Word/WPS 中另存为 PDF", path=str(output)) from None
        except XlperfError:
            raise XlperfError("LibreOffice 未能把报告转换为 PDF，未写出文件；请用 -o 报告.docx 生成 Word 文档后"
                              "在 Word/WPS 中另存为 PDF", path=str(output)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    click.echo(f"已生成自评报告（PDF）：{output}")
