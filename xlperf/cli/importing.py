"""``xlperf import``: turn a 自评表 made by another program into an xlperf workbook."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xlperf.cli.base import EXIT_FINDINGS, argument, command
from xlperf.errors import XlperfError


@command("import")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help="其他程序制作的自评表（.xlsx/.xlsm/.xls/.ods/.et）。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="要生成的 xlperf 工作簿（.xlsx）。")
@click.option("--profile", "profile_id", type=click.Choice(["cz2020"]), help="评分方案；默认按表格内容判断（目前外来表按 cz2020 读取）。")
@click.option("--table", type=click.IntRange(min=1, clamp=True), default=1, metavar="N", help="工作簿中有多张自评表时，导入第几张（默认第 1 张）。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def import_command(file: Path, output: Path, profile_id: str | None, table: int, force: bool):
    """把其他程序制作的自评表（财政局模板、WPS、省级系统导出的 .xlsx/.xls/.ods/.et）导入为 xlperf 工作簿。

    按表头文字识别项目信息、项目资金、年度总体目标、每一条绩效指标（表中的分值、得分作为单位自评）和总分；
    原文件只读，不作任何修改。无法归位的内容逐条列出单元格。导入后可用 score、report、new --from。
    """
    from xlperf.cli.commands import _atomic_build
    from xlperf.forms.identify import read_any

    if output.suffix.lower() != ".xlsx":
        raise XlperfError("输出文件的扩展名应为 .xlsx", path=str(output))
    if not file.is_file():
        raise XlperfError("找不到文件", path=str(file))
    if output.exists() and not force:
        raise XlperfError("文件已存在；如需覆盖请加 --force", path=str(output))
    try:
        same = output.exists() and output.resolve() == file.resolve()
    except OSError:
        same = False
    if same:
        raise XlperfError("输出文件不能与原文件相同；原文件保持不变，请另给一个文件名", path=str(output))
    evaluation, findings, how = read_any(file, profile_id, table)
    evaluation.source = None
    _atomic_build(evaluation.profile, evaluation, output, False, None)
    click.echo(f"读取方式：{how.label}")
    click.echo(f"已导入 {len(evaluation.indicators)} 条绩效指标，写入 {output}（评分方案 {evaluation.profile}）")
    if findings:
        click.echo("读取时发现：")
        for finding in findings:
            click.echo(f"  {finding.severity.label}  {finding.location}  {finding.message}")
    errors = sum(1 for f in findings if f.severity.value == "error")
    sys.exit(EXIT_FINDINGS if errors else 0)
