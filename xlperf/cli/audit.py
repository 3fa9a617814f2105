"""``xlperf audit``: check the figures of a hand-written 自评报告 against each other and a workbook.

Exit codes: 0 no error found, 1 errors found, 2 the audit could not run (Chinese message).
"""

from __future__ import annotations

from pathlib import Path

import click

from xlperf.cli.base import EXIT_FINDINGS, argument, command, echo_json, json_option
from xlperf.errors import XlperfError


@command("audit")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help="要审核的自评报告（.docx、.txt 或 .md）。")
@click.option("--against", type=click.Path(dir_okay=False, path_type=Path),
              help="与自评表（.xlsx/.xlsm/.json）逐项核对：报告中的每个数字与表中同一指标的值比较。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="审核稿（.docx）：在每处问题上加 Word 批注，原报告不改动。")
@click.option("--profile", "profile_id", type=click.Choice(["cz2020", "fj2018"]),
              help="核对等级所用的评分方案；默认按报告中的一级指标名称识别。")
@json_option
def audit_command(file: Path, against: Path | None, output: Path | None, profile_id: str | None,
                  as_json: bool):
    """审核手写的自评报告：找出前后矛盾、与自评表不符的数字。

    \b
    检查内容：完成比值重算；同一指标在不同段落的数字是否一致；各组成部分之和与合计；
    各项得分之和与一级指标得分、总分；等级与总分；得分与其评分标准（如“无差异得满分3分”却“得2分”）；
    计量单位和数量级（期与万件）；月度与年度数字。
    \b
    示例：
      xlperf audit 自评报告.docx
      xlperf audit 自评报告.docx --against 自评表.xlsx -o 审核稿.docx
      xlperf audit 自评报告.txt --json
    """
    import sys

    from xlperf.audit import audit_file

    if against is not None and not against.is_file():
        raise XlperfError("找不到自评表", path=str(against))
    paragraphs, _, findings = audit_file(file, against=against, profile=profile_id)
    errors = sum(1 for f in findings if f.severity.value == "error")
    if as_json:
        echo_json({"file": str(file), "against": str(against) if against else None, "paragraphs": len(paragraphs),
                   "errors": errors, "findings": [f.to_dict() for f in findings]})
    else:
        click.echo(f"{file}：共 {len(paragraphs)} 段，发现 {len(findings)} 处问题（错误 {errors} 处）。")
        for f in findings:
            click.echo(f"  {f}")
        if not findings:
            click.echo("  未发现前后矛盾的数字。")
    if output is not None:
        from xlperf.audit.comments import write_reviewer_copy

        write_reviewer_copy(file, findings, output)
        if not as_json:
            click.echo(f"已生成审核稿（含 {len(findings)} 条批注）：{output}")
    sys.exit(EXIT_FINDINGS if errors else 0)
