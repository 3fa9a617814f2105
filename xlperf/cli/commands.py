"""The workbook commands: check, score, new, dump, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xlperf.cli.base import EXIT_FINDINGS, argument, cli, echo_json, friendly, json_option
from xlperf.cli.output import ensure_folder, output_path
from xlperf.errors import XlperfError

INPUT_HELP = "自评工作簿（.xlsx/.xlsm）或 JSON 数据文件。"


def _summary_lines(evaluation, results) -> list[str]:
    from xlperf.lines import text

    name = text(evaluation.project.name) or "（未填项目名称）"
    year = text(evaluation.project.year)
    lines = [f"项目：{name}{f'（{year}年度）' if year else ''}，评分方案 {results.profile}"]
    parts = "，".join(f"{s.level1} {s.points}/{s.weight}" for s in results.subtotals)
    lines.append(f"总分 {results.total}（等级：{results.grade}）  {parts}")
    lines.append(f"错误 {results.errors} 项，警告 {results.warnings} 项")
    return lines


def _located(record, score_dict: dict) -> dict:
    """A score with the indicator's names and the cells it was read from (``绩效指标!H8``)."""
    from xlperf.scoring import text

    cells = {name: str(loc) for name, loc in record.loc.items() if loc.sheet and loc.cell}
    row = {"level1": text(record.level1), "level2": text(record.level2), "name": text(record.name)}
    return {**row, "cell": cells.get("name") or next(iter(cells.values()), None), "cells": cells, **score_dict}


def results_json(evaluation, results) -> dict:
    """``results_to_dict`` with each indicator and rubric item named and located."""
    from xlperf.results import results_to_dict

    data = results_to_dict(results)
    data["indicators"] = [_located(r, d) for r, d in zip(evaluation.indicators, data["indicators"])]
    data["items"] = [_located(r, d) for r, d in zip(getattr(evaluation, "items", []) or [], data["items"])]
    return data


def _findings_lines(results) -> list[str]:
    return [f"  {f.severity.label}  {f.location}  {f.message}" for f in results.findings]


@cli.command()
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help=INPUT_HELP)
@json_option
@friendly
def check(file: Path, as_json: bool):
    """校验工作簿或 JSON：列出每个问题及其单元格，不修改文件。

    有错误时退出码为 1，只有警告时为 0。
    """
    from xlperf.cli.stages import stage_dispatch
    from xlperf.sources import evaluate_source

    stage_dispatch(file, as_json)  # a 申报/监控 file is answered there
    evaluation, results, how = evaluate_source(file)
    if as_json:
        echo_json({"file": str(file), **({"read_as": how.label} if how else {}), **results_json(evaluation, results)})
    else:
        if how is not None and how.foreign:
            click.echo(f"读取方式：{how.label}（只读，文件未作修改）")
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
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help=INPUT_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写到另一个文件，原文件不变：与原文件同扩展名时写出评好分的工作簿，.json 时写出 JSON 结果。")
@json_option
@friendly
def score(file: Path, output: Path | None, as_json: bool):
    """计算完成比值、得分、小计、总分和等级，写回工作簿，并把问题列在“校验结果”表。

    只改动计算单元格，其余内容保持原样；再次运行不会改变文件。
    JSON 文件只输出结果，不写文件。-o 结果.json 时只写 JSON，不改动工作簿。
    """
    from xlperf.forms.identify import not_xlperf, write_refusal
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.sources import FOREIGN_SUFFIXES, WORKBOOK_SUFFIXES, evaluate_file, score_workbook

    if not file.is_file():
        raise XlperfError("找不到文件，请检查路径是否写对", path=str(file))
    from xlperf.cli.stages import stage_dispatch

    stage_dispatch(file, as_json, output, write=True)  # a 申报/监控 file is answered there
    suffix = file.suffix.lower()
    out_format = None
    if output is not None:
        formats = {".json": "json"}
        if suffix in WORKBOOK_SUFFIXES:
            formats = {suffix: "workbook", ".json": "json"}
        out_format = output_path(output, formats, what="评分结果")
    changed = None
    foreign = suffix in FOREIGN_SUFFIXES
    if suffix in WORKBOOK_SUFFIXES and out_format != "json":
        try:
            evaluation, results, changed = score_workbook(file, output)
        except XlperfError as exc:
            if not not_xlperf(exc):
                raise
            foreign = True
    if foreign and changed is None and not (as_json or out_format == "json"):
        # a form made by another program is never written: --json shows the scores, else import first
        raise XlperfError(write_refusal(file), path=str(file))
    if changed is None:
        evaluation, results = evaluate_file(file)
    data = {"file": str(file), **results_json(evaluation, results)}
    if out_format == "json":
        text_out = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        atomic_write(output, lambda handle: handle.write(text_out.encode("utf-8")))
    if as_json and out_format != "json":
        echo_json({**data, "file": str(output or file)})
    else:
        for line in _summary_lines(evaluation, results):
            click.echo(line)
        if out_format == "json":
            click.echo(f"已写入 {output}（JSON），原文件未改动")
        elif changed is not None:
            target = output or file
            click.echo(f"已写入 {target}" if changed else f"{target} 已是最新结果，未改动。")
    sys.exit(EXIT_FINDINGS if results.errors else 0)




def _xlsm_macros(profile_id: str, interpreter: str | None):
    """The callable the builder runs to add the VBA project, the buttons and xlwings.conf."""
    from xlperf.layout import layout_for
    from xlperf.ooxml.vba import add_macros, add_xlwings_conf_sheet

    buttons = [(b.cell, b.macro, b.caption) for b in layout_for(profile_id).buttons]

    def macros(workbook, worksheet):
        add_macros(workbook, worksheet, buttons)
        add_xlwings_conf_sheet(workbook, interpreter)

    return macros


def _atomic_build(profile_id: str, evaluation, output: Path, xlsm: bool, interpreter: str | None) -> None:
    import io

    from xlperf.ooxml.atomic import atomic_write
    from xlperf.stages.sheets import add_stage_sheets
    from xlperf.workbook.builder import build_workbook

    buffer = io.BytesIO()
    macros = _xlsm_macros(profile_id, interpreter) if xlsm else None
    extra = add_stage_sheets(evaluation) if evaluation is not None and evaluation.stages is not None else None
    build_workbook(profile_id, evaluation, buffer, xlsm=xlsm, macros=macros, extra=extra)
    atomic_write(output, lambda handle: handle.write(buffer.getvalue()))


@cli.command()
@click.option("--profile", "profile_id", metavar="方案", help="评分方案：内置方案的编号（xlperf profile list 列出），或 .toml 方案文件的路径。默认 cz2020，或与 --data/--from 的数据一致。")
@click.option("--data", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="用 JSON 数据填写工作簿。")
@click.option("--from", "last_year", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="以上一年度的工作簿或 JSON 为基础：沿用项目信息和指标，上年实际完成值作为本年参考标准。")
@click.option("--xlsm", is_flag=True, help="生成带“评分/校验/生成报告”按钮的启用宏工作簿（需 pip install \"xlperf[excel]\"）。")
@click.option("--interpreter", help="--xlsm 时写入 xlwings.conf 的 Python 路径，默认为当前运行的 Python。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="要生成的工作簿（.xlsx，或 --xlsm 时 .xlsm）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@click.option("--stage", type=click.Choice(["申报", "监控", "自评"]), default=None,
              help="阶段：申报（绩效目标申报）、监控（加运行监控表）或自评（默认）。--from 与 --stage 申报 一起用时开始下一年度的申报。")
@friendly
def new(profile_id, data, last_year, xlsm, interpreter, output: Path, force: bool, stage: str | None):
    """生成自评工作簿：空白模板，或用 JSON 数据、上一年度的工作簿填写。"""
    from xlperf.carryover import next_year
    from xlperf.sources import load_evaluation

    if data and last_year:
        raise XlperfError("--data 和 --from 只能选一个")
    if output.suffix.lower() == ".xlsm" and not xlsm:
        raise XlperfError("要生成带按钮的启用宏工作簿请加 --xlsm；否则请用 .xlsx 扩展名", path=str(output))
    output_path(output, {".xlsm": "xlsm"} if xlsm else {".xlsx": "xlsx"}, what="工作簿")
    if output.exists() and not force:
        raise XlperfError("文件已存在；如需覆盖请加 --force", path=str(output))
    evaluation = None
    if data:
        evaluation, _ = load_evaluation(data)
    elif last_year:
        evaluation = next_year(load_evaluation(last_year)[0])
    from xlperf.profile import load_profile

    profile = load_profile(profile_id or (evaluation.profile if evaluation is not None else "cz2020"))
    if evaluation is not None:
        if evaluation.profile not in (profile.id, profile.key, profile_id):
            raise XlperfError(f"数据的评分方案是 {evaluation.profile}，与 --profile {profile_id} 不一致")
        evaluation.profile = profile.key
    if stage is not None and (stage != "自评" or (evaluation is not None and evaluation.stages is not None)):
        from xlperf.stages.advance import at_stage

        evaluation = at_stage(evaluation, stage, profile.key, carried_over=bool(last_year))
    _atomic_build(profile, evaluation, output, xlsm, interpreter)
    click.echo(f"已生成 {output}（评分方案 {profile.id}：{profile.name or profile.title}）")


@cli.command()
@argument("file", type=click.Path(dir_okay=False, path_type=Path), help="自评工作簿（.xlsx/.xlsm）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入 JSON 文件（.json）；不给时输出到屏幕。")
@friendly
def dump(file: Path, output: Path | None):
    """把工作簿中填写的内容导出为 JSON（格式见 xlperf/schema/evaluation.schema.json）。"""
    from xlperf import jsonio
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.sources import load_evaluation

    if output is not None:
        output_path(output, {".json": "json"}, what="导出文件")
    evaluation, _ = load_evaluation(file)
    text_out = jsonio.dumps(evaluation)
    if output is None:
        click.echo(text_out)
    else:
        atomic_write(output, lambda handle: handle.write(text_out.encode("utf-8")))
        click.echo(f"已导出 {output}")


@cli.command()
@argument("folder", required=False, default="xlperf示例", type=click.Path(file_okay=False, path_type=Path),
          help="写出示例的文件夹，默认为当前文件夹下的 xlperf示例（不存在时创建）。")
@click.option("--no-report", is_flag=True, help="不生成自评报告。")
@friendly
def demo(folder: Path, no_report: bool):
    """内置示例：写出 2018 宁德样本的工作簿，评分，列出问题，并生成自评报告。

    示例按原报告录入，保留了原文的矛盾之处（分值合计 31、162 与 192 场、59.93% 与 99.40% 等），
    可以看到校验能发现什么。
    """
    from xlperf.examples import example_workbook
    from xlperf.sources import score_workbook

    workbook = folder / "2018宁德政务网运维费绩效自评.xlsx"
    ensure_folder(workbook)
    workbook.write_bytes(example_workbook().read_bytes())
    evaluation, results, _ = score_workbook(workbook)
    click.echo(f"已写出并评分：{workbook}")
    for line in _summary_lines(evaluation, results):
        click.echo(line)
    click.echo("问题清单：")
    for line in _findings_lines(results):
        click.echo(line)
    if not no_report:
        try:
            from xlperf.report import write_report
        except ImportError:
            return
        report = write_report(evaluation, results, folder / "2018宁德政务网运维费绩效自评报告.docx")
        click.echo(f"已生成自评报告：{report}")
