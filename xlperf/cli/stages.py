"""Stage-aware commands: ``score``/``check`` of a 申报 or 监控 file, and ``advance``.

Developer notes: ``check`` and ``score`` call ``stage_dispatch`` first; it answers
(and exits) only for a JSON file whose ``stage`` is 申报 or 监控, so every other
file takes the ordinary 自评 path unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xlperf.cli.base import EXIT_FINDINGS, argument, command, echo_json
from xlperf.errors import XlperfError


def _header(evaluation, what: str) -> str:
    from xlperf.scoring import text

    name = text(evaluation.project.name) or "（未填项目名称）"
    year = text(evaluation.project.year)
    return f"项目：{name}{f'（{year}年度）' if year else ''}，{what}"


def _findings(findings) -> None:
    if findings:
        click.echo("问题清单：")
        for f in findings:
            click.echo(f"  {f.severity.label}  {f.location}  {f.message}")
    else:
        click.echo("未发现问题。")


def stage_dispatch(file: Path, as_json: bool, output: Path | None = None, write: bool = False) -> None:
    """Answer ``check``/``score`` for a 申报 or 监控 file and exit; return for anything else.

    ``write`` (``score``): the lights go into the 运行监控 sheet of a workbook (or of ``output``).
    """
    from xlperf.sources import load_evaluation
    from xlperf.stages import stage_of
    from xlperf.stages.sheets import has_stage_sheets

    suffix = Path(file).suffix.lower()
    if not (suffix == ".json" or (suffix in (".xlsx", ".xlsm") and has_stage_sheets(file))):
        return  # a plain 自评 workbook is read once, by the ordinary path
    evaluation, file_findings = load_evaluation(file)
    stage = stage_of(evaluation)
    if stage == "申报":
        _declaration(file, evaluation, as_json, file_findings)
    elif stage == "监控":
        _monitoring(file, evaluation, as_json, file_findings, output if write else None, write)


def _declaration(file: Path, evaluation, as_json: bool, file_findings: list) -> None:
    from xlperf.findings import Severity, count
    from xlperf.stages.targets import check_declaration

    findings = [*file_findings, *check_declaration(evaluation)]
    errors = count(findings, Severity.ERROR)
    if as_json:
        echo_json({"file": str(file), "stage": "申报", "errors": errors, "warnings": count(findings, Severity.WARNING),
                   "findings": [f.to_dict() for f in findings]})
    else:
        click.echo(_header(evaluation, "绩效目标申报"))
        click.echo(f"绩效指标 {len(evaluation.indicators)} 项；错误 {errors} 项，警告 {count(findings, Severity.WARNING)} 项")
        _findings(findings)
    sys.exit(EXIT_FINDINGS if errors else 0)


def _monitoring(file: Path, evaluation, as_json: bool, file_findings: list, output: Path | None, write: bool) -> None:
    from xlperf.scoring import text
    from xlperf.stages.monitoring import assess_monitoring, result_to_dict

    result = assess_monitoring(evaluation)
    result.findings[:0] = file_findings
    changed = None
    if write and Path(file).suffix.lower() in (".xlsx", ".xlsm"):
        from xlperf.ooxml.patch import patch_workbook
        from xlperf.stages.sheets import light_edits

        changed = patch_workbook(file, light_edits(evaluation, result), dst=output)
    if as_json:
        echo_json({"file": str(file), **result_to_dict(result, evaluation.stages.monitoring)})
    else:
        click.echo(_header(evaluation, f"绩效运行监控（数据截至{result.month}月）"))
        click.echo(f"项目灯：{result.project + '灯' if result.project else '无法判断'}")
        click.echo(f"预算执行进度：{result.budget.light + '灯' if result.budget.light else '无法判断'}（{result.budget.explanation}）")
        rows = evaluation.stages.monitoring.indicators
        if rows:
            click.echo("指标进度：")
        for row, light in zip(rows, result.indicators):
            click.echo(f"  {light.light or '？'}  {text(row.name)}：{light.explanation}")
        click.echo(f"错误 {result.errors} 项，警告 {result.warnings} 项")
        _findings(result.findings)
        if changed is not None:
            target = output or file
            click.echo(f"已把各项的灯写入 {target} 的“运行监控”表" if changed else f"{target} 已是最新结果，未改动。")
    sys.exit(EXIT_FINDINGS if result.errors else 0)


@command("advance")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help="当前阶段的工作簿（.xlsx）或 JSON 文件。")
@click.option("--to", "to", required=True, type=click.Choice(["申报", "监控", "自评"]),
              help="转到的阶段：监控、自评；或从本年自评开始下一年度的申报。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写出的文件（.xlsx 或 .json）。工作簿转到监控/自评时可省略：在原工作簿中添加新阶段的表。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def advance_command(file: Path, to: str, output: Path | None, force: bool):
    """把工作簿或 JSON 转到下一阶段：指标和指标值原样保留，只需填写新阶段的内容。

    \b
    申报 → 监控：记下批准的指标值，添加运行监控表（每个指标一行）；
    监控 → 自评：保留监控表，自评时核对年中承诺是否兑现；
    自评 → 申报：开始下一年度的申报，本年实际完成值作为参考标准（用于检查指标值是否设定偏低）。

    工作簿转到监控或自评时，新阶段的表添加到原工作簿中（不加 -o）或其副本中（-o 新.xlsx），原有的内容、格式、批注、名称和其他工作表一律不变；输出为 .json 时写出 JSON。
    """
    from xlperf import jsonio
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.sources import load_evaluation
    from xlperf.stages.advance import advance

    workbook = file.suffix.lower() in (".xlsx", ".xlsm")
    graft = workbook and to != "申报" and (output is None or output.suffix.lower() in (".xlsx", ".xlsm"))
    if output is None and not graft:
        raise XlperfError("请用 -o 指定要写出的文件（.xlsx 或 .json）", path=str(file))
    if output is not None:
        if output.suffix.lower() not in (".json", ".xlsx") and not (graft and output.suffix.lower() == file.suffix.lower()):
            raise XlperfError("输出文件的扩展名应为 .xlsx 或 .json", path=str(output))
        if output.resolve() == file.resolve():
            if not graft:
                raise XlperfError("请写到另一个文件，原文件保持不变", path=str(output))
            output = None  # the same workbook: in place
        elif output.exists() and not force:
            raise XlperfError("文件已存在；如需覆盖请加 --force", path=str(output))
    if graft:
        from xlperf.stages.inplace import advance_workbook

        added = advance_workbook(file, to, output)
        where = output or file
        what = f"，添加了 {'、'.join(f'“{n}”' for n in added)} 表" if added else ""
        click.echo(f"已转到“{to}”阶段{what}，原有内容不变：{where}")
        return
    moved = advance(load_evaluation(file)[0], to)
    if output.suffix.lower() == ".xlsx":
        from xlperf.cli.commands import _atomic_build

        _atomic_build(moved.profile, moved, output, False, None)
    else:
        body = jsonio.dumps(moved).encode("utf-8")
        atomic_write(output, lambda handle: handle.write(body))
    year = f"（{moved.project.year}年度）" if to == "申报" and moved.project.year is not None else ""
    click.echo(f"已转到“{to}”阶段{year}：{output}")


def monitoring_report_dispatch(file: Path, output: Path | None, fmt: str, pdf: bool) -> bool:
    """``xlperf report`` of a 监控 file (JSON or stage workbook): write the 监控报告; False for any other file."""
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.report import convert_to_pdf, safe_filename
    from xlperf.sources import load_evaluation
    from xlperf.stages import stage_of
    from xlperf.stages.monitor_doc import render_docx, render_markdown
    from xlperf.stages.report import monitoring_report
    from xlperf.stages.sheets import has_stage_sheets

    suffix = Path(file).suffix.lower()
    if not (suffix == ".json" or (suffix in (".xlsx", ".xlsm") and has_stage_sheets(file))):
        return False
    evaluation = load_evaluation(file)[0]
    stage = stage_of(evaluation)
    if stage == "申报":
        raise XlperfError("申报阶段没有报告；请用 xlperf check 检查绩效目标", path=str(file))
    if stage != "监控":
        return False
    ctx = monitoring_report(evaluation)
    data = render_docx(ctx) if fmt == "docx" else render_markdown(ctx).encode("utf-8")
    target = output or Path(file).parent / (safe_filename(ctx["title"]) + (".docx" if fmt == "docx" else ".md"))
    atomic_write(target, lambda handle: handle.write(data))
    click.echo(f"已生成绩效运行监控报告：{target}")
    if pdf:
        from xlperf.errors import MissingDependency

        try:
            click.echo(f"已生成 PDF：{convert_to_pdf(target)}")
        except MissingDependency as exc:
            click.echo(str(exc), err=True)
    return True
