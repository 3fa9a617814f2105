"""``xlperf audit``: check the figures of a hand-written 自评报告 against each other and a workbook.

Exit codes: 0 no error found, 1 errors found, 2 the audit could not run (Chinese message).
"""

from __future__ import annotations

from pathlib import Path

import click

from xlperf.cli.base import EXIT_FINDINGS, argument, command, echo_json, json_option
from xlperf.errors import XlperfError
from xlperf.profile import PROFILE_IDS


@command("audit")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help="要审核的自评报告（.docx、.txt 或 .md）。")
@click.option("--against", type=click.Path(dir_okay=False, path_type=Path),
              help="与自评表（.xlsx/.xlsm/.json）逐项核对：报告中的每个数字与表中同一指标的值比较。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="审核稿（.docx）：在每处问题上加 Word 批注，原报告不改动；与 --extract 同用时为草稿工作簿（.xlsx）。")
@click.option("--extract", is_flag=True,
              help="从报告正文提取项目、资金、指标和得分，生成 xlperf 自评表草稿（-o 草稿.xlsx）；"
                   "推测的值和报告前后不一致的值都加批注标“待核实”，并列在“提取说明”表。")
@click.option("--force", is_flag=True, help="与 --extract 同用：覆盖已存在的草稿工作簿。")
@click.option("--profile", "profile_id", type=click.Choice(list(PROFILE_IDS)),
              help="评分方案（核对等级、提取草稿时使用）；默认按报告中的一级指标、分值和等级用语识别。")
@json_option
def audit_command(file: Path, against: Path | None, output: Path | None, extract: bool, force: bool,
                  profile_id: str | None, as_json: bool):
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
      xlperf audit 自评报告.docx --extract -o 草稿.xlsx
    """
    import sys

    from xlperf.audit import audit_file

    if against is not None and not against.is_file():
        raise XlperfError("找不到自评表", path=str(against))
    if extract:
        _extract(file, output, profile_id, as_json, force)
        return
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


def _extract(file: Path, output: Path | None, profile_id: str | None, as_json: bool, force: bool) -> None:
    from xlperf.audit import audit_file
    from xlperf.audit.draft import build_draft
    from xlperf.audit.draftbook import write_draft

    if output is None:
        raise XlperfError("--extract 需要用 -o 给出草稿工作簿的文件名（.xlsx）")
    if output.suffix.lower() != ".xlsx":
        raise XlperfError("--extract 的输出应为 .xlsx 工作簿", path=str(output))
    if output.exists() and not force:
        raise XlperfError("文件已存在；如需覆盖请加 --force", path=str(output))
    paragraphs, extraction, findings = audit_file(file, profile=profile_id)
    draft = build_draft(extraction, findings, profile_id)
    if not draft.evaluation.indicators and not draft.evaluation.items:
        raise XlperfError("报告中没有找到可提取的指标或评分项（如“①指标名，年度指标值…，实际完成值…”或“1.一级-二级-三级。…得满分N分…此项得N分”），"
                          "未生成草稿", path=str(file))
    from xlperf.cli.output import ensure_folder

    ensure_folder(output)
    counts = write_draft(draft, findings, output, file.name)
    ev = draft.evaluation
    if as_json:
        echo_json({"file": str(file), "output": str(output), "profile": draft.profile.id, "indicators": len(ev.indicators),
                   "items": len(ev.items), "values": counts["values"], "doubtful": counts["doubtful"],
                   "findings": [f.to_dict() for f in findings],
                   "to_check": [{"what": n.label, "value": str(n.value), "status": n.status, "paragraph": n.para,
                                 "why": n.detail} for n in draft.notes if n.doubtful]})
        return
    click.echo(f"已从 {file}（{len(paragraphs)} 段）提取草稿：{output}")
    click.echo(f"  评分方案 {draft.profile.id}；指标 {len(ev.indicators)} 个，评分项 {len(ev.items)} 项；"
               f"共填入 {counts['values']} 个值，其中 {counts['doubtful']} 个待核实（见批注和“提取说明”表）。")
    click.echo(f"  {draft.profile_note}")
    if findings:
        click.echo(f"  报告内部有 {len(findings)} 处前后矛盾，已列在“提取说明”表；矛盾处的值标为待核实。")
    click.echo("  请核对后再运行 xlperf check / xlperf score。")
