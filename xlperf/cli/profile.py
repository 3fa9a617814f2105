"""`xlperf profile list | check | new`: the scoring profiles (评分方案) a workbook is built from."""

from __future__ import annotations

from pathlib import Path

import click

from xlperf.cli.base import friendly
from xlperf.cli.chinese import ChineseGroup
from xlperf.errors import XlperfError


@click.group("profile", cls=ChineseGroup)
def profile_command():
    """评分方案：列出内置方案、检查方案文件、以内置方案为底稿新建方案。"""


@profile_command.command("list")
@friendly
def list_profiles():
    """列出内置的评分方案，每个一行。"""
    from xlperf.profile import PROFILE_IDS, load_profile

    for profile_id in PROFILE_IDS:
        profile = load_profile(profile_id)
        weights = "、".join(f"{c.name}{_n(c.weight)}" for c in profile.categories)
        execution = f"、预算执行率{_n(profile.execution_weight)}" if profile.execution_weight else "（执行率不单独计分）"
        click.echo(f"{profile.id}  {profile.name or profile.title}：{weights}{execution}")


@profile_command.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@friendly
def check_profile(file: Path):
    """检查一个 .toml 方案文件；有错时指出所在的行。"""
    from xlperf.layout import build_layout
    from xlperf.profile import load_profile

    if not file.is_file():
        raise XlperfError("找不到方案文件", path=str(file))
    profile = load_profile(file)
    build_layout(profile)
    weights = "、".join(f"{c.name}{_n(c.weight)}" for c in profile.categories)
    execution = f"、预算执行率{_n(profile.execution_weight)}" if profile.execution_weight else ""
    form = "评分表（评分项逐项计分）" if profile.framework == "rubric" else "绩效指标表（三级指标逐项计分）"
    click.echo(f"方案有效：{profile.id}（{profile.name or profile.title}），{form}；{weights}{execution}，总分{_n(profile.total)}")


@profile_command.command("new")
@click.option("--from", "base", default="cz2020", show_default=True, help="作为底稿的内置方案编号。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="要写出的 .toml 文件。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@friendly
def new_profile(base: str, output: Path, force: bool):
    """以内置方案为底稿，复制一份方案文件供修改。"""
    from xlperf.ooxml.atomic import atomic_write
    from xlperf.profile import PROFILE_IDS, load_profile

    if base not in PROFILE_IDS:
        raise XlperfError(f"没有内置方案“{base}”；可用：{'、'.join(PROFILE_IDS)}")
    if output.suffix.lower() != ".toml":
        raise XlperfError("方案文件的扩展名应为 .toml", path=str(output))
    if output.exists() and not force:
        raise XlperfError("文件已存在；如需覆盖请加 --force", path=str(output))
    text = load_profile(base).text
    new_id = "".join(ch for ch in output.stem if ch.isascii() and (ch.isalnum() or ch in "-_")) or f"{base}_local"
    if new_id == base:
        new_id = f"{base}_local"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("id ") or line.startswith("id="):
            lines[i] = f'id = "{new_id}"             # 方案编号：英文字母、数字、- 和 _；请改为本地的编号'
            break
    header = f"# 由 xlperf profile new --from {base} 生成。修改后运行 xlperf profile check {output.name} 检查。\n"
    atomic_write(output, lambda handle: handle.write((header + "\n".join(lines) + "\n").encode("utf-8")))
    click.echo(f"已生成 {output}（方案编号 {new_id}，底稿 {base}）")


def _n(value) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)
