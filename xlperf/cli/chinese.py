"""Click in Chinese: help headings, metavars, usage errors — one style for the group and every command.

``ChineseCommand`` and ``ChineseGroup`` replace click's English words ("Usage", "Options",
"Commands", "Error:", "Missing …", "Try … for help", "Show this message and exit") by
用法/选项/参数/命令 and Chinese messages that say what to do. Every usage error click can raise
while parsing (missing argument or option, unknown option or command, an option without its
value, a bad choice, a folder where a file is expected, extra arguments) becomes a
``ChineseUsageError``: one line ``错误：…`` plus ``请运行 xlperf <命令> --help 查看用法。``,
exit code 2. Commands get these through ``xlperf.cli.base.command`` (see there).
"""

from __future__ import annotations

import inspect
import os
import re
import unicodedata

import click

EXIT_USAGE = 2
HELP_TEXT = "显示本帮助并退出。"


class ChineseUsageError(click.UsageError):
    """A mistake on the command line, told in Chinese with where to look for the fix."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, ctx: click.Context | None = None):
        super().__init__(message, ctx or click.get_current_context(silent=True))

    def show(self, file=None) -> None:
        path = self.ctx.command_path if self.ctx is not None else "xlperf"
        click.echo(f"错误：{self.message}\n请运行 {path} --help 查看用法。", err=True, file=file)


# ---------------------------------------------------------------- metavars and names


def default_metavar(param: click.Parameter) -> str | None:
    """A Chinese metavar for a parameter that has none (click would print FILE, PATH, TEXT…)."""
    kind = param.type
    if isinstance(param, click.Option) and (param.is_flag or param.count):
        return None
    if isinstance(kind, click.Path):
        if not kind.dir_okay:
            return "文件"
        if not kind.file_okay:
            return "文件夹"
        return "路径"
    if isinstance(kind, click.Choice):
        return "[" + "|".join(str(c) for c in kind.choices) + "]"
    if isinstance(kind, (click.types.IntParamType, click.IntRange)):
        return "整数"
    if isinstance(kind, (click.types.FloatParamType, click.FloatRange)):
        return "数值"
    return "值"


def param_name(param: click.Parameter | None) -> str:
    if param is None:
        return "参数"
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return f"参数“{param.metavar or default_metavar(param)}”"


def _quoted(message: str) -> str | None:
    """The path in click's "File '/tmp' is a directory." (the last quoted text)."""
    found = re.findall(r"'([^']*)'", message) or re.findall(r'"([^"]*)"', message)
    return found[-1] if found else None


def _bad_path(param, kind: click.Path, message: str) -> str:
    value = _quoted(message)
    if value is None:
        return f"{param_name(param)} 给出的路径无效"
    if os.path.isdir(value) and not kind.dir_okay:
        return f"“{value}”是文件夹，{param_name(param)} 需要一个文件，请写出文件名"
    if os.path.exists(value) and not kind.file_okay:
        return f"“{value}”是文件，{param_name(param)} 需要一个文件夹"
    if not os.path.exists(value):
        return f"找不到“{value}”，请检查路径是否写对"
    return f"无法读取“{value}”，请检查文件权限"


def translate(exc: click.ClickException, ctx: click.Context | None) -> click.ClickException:
    """The Chinese equivalent of a click usage error (help requests pass through)."""
    if isinstance(exc, ChineseUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
        return exc
    message = getattr(exc, "message", "") or ""
    param = getattr(exc, "param", None)
    if isinstance(exc, click.MissingParameter):
        text = f"缺少{param_name(param)}" if isinstance(param, click.Argument) else f"缺少选项 {param_name(param)}"
        described = getattr(param, "help", None)
        if described:
            text += f"（{described.rstrip('。')}）"
    elif isinstance(exc, click.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"，是否想用 {'、'.join(sorted(exc.possibilities))}？"
    elif isinstance(exc, click.BadOptionUsage):
        if "does not take a value" in exc.message:
            text = f"选项 {exc.option_name} 不带值，请去掉“=…”"
        else:
            text = f"选项 {exc.option_name} 后面需要一个值"
    elif isinstance(exc, click.BadParameter):
        kind = getattr(param, "type", None)
        if isinstance(kind, click.Path):
            text = _bad_path(param, kind, message)
        elif isinstance(kind, click.Choice):
            text = f"{param_name(param)} 的值无效，可选：{'、'.join(str(c) for c in kind.choices)}"
        elif isinstance(kind, (click.types.IntParamType, click.IntRange)):
            text = f"{param_name(param)} 需要一个整数"
        elif isinstance(kind, (click.types.FloatParamType, click.FloatRange)):
            text = f"{param_name(param)} 需要一个数值"
        else:
            text = f"{param_name(param)} 的值无效"
    elif isinstance(exc, click.UsageError) and "unexpected extra argument" in exc.message:
        extra = re.search(r"\((.*)\)", exc.message)
        text = f"多余的参数：{extra.group(1) if extra else ''}；文件名中有空格时请加引号".rstrip("：")
    elif isinstance(exc, click.UsageError):
        text = "命令行有误"
    else:
        return exc
    return ChineseUsageError(text, ctx=getattr(exc, "ctx", None) or ctx)


# ---------------------------------------------------------------- help layout


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


CLOSING = "。，、；：？！）》」』”’】"


def wrap(text: str, limit: int) -> list[str]:
    """Break Chinese text anywhere and other text at spaces, by display width."""
    lines, line = [], ""
    for word in re.findall(r"[\x00-\x7f]+|.", text):
        if line and width(line + word) > limit and word not in CLOSING:  # punctuation hangs, never starts a line
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    return [*lines, line.rstrip()] if line else lines


def write_rows(formatter, heading: str, rows: list[tuple[str, str]]) -> None:
    """A definition list aligned by display width, so Chinese terms line up."""
    if not rows:
        return
    formatter.write_paragraph()
    formatter.write(f"{heading}：\n")
    first = max(width(term) for term, _ in rows) + 2
    help_width = max(20, formatter.width - first - 2)
    for term, help_text in rows:
        lines = wrap(help_text, help_width) or [""]
        formatter.write(f"  {term}{' ' * (first - width(term))}{lines[0]}\n")
        for line in lines[1:]:
            formatter.write(f"  {' ' * first}{line}\n")


def help_lines(help_text: str) -> list[str]:
    """A docstring as help lines, each kept as written (click's ``\\b`` markers dropped, one blank line
    between paragraphs, the part after ``\\f`` left out as click does). Never rewrapped: click would
    join a paragraph's lines with spaces and break them by Latin words and character counts, which
    splits example commands and puts spaces or a lone 。 into Chinese sentences; docstrings are
    written in lines that fit a terminal."""
    text = inspect.cleandoc(help_text).partition("\f")[0]
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.strip() == "\b":
            continue
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _chinese_extra(help_text: str) -> str:
    """click appends "[default: …]" and "[required]": say them in Chinese."""
    help_text = re.sub(r"\[default: ([^\]]*)\]", r"［默认：\1］", help_text)
    help_text = re.sub(r"\[required\]", "［必填］", help_text)
    return re.sub(r"\[env var: ([^\]]*)\]", r"［环境变量：\1］", help_text)


def short_help(command: click.Command) -> str:
    """The first sentence of the command's help (click's own cut is by Latin words)."""
    text = command.short_help or (command.help or "").split("\n\n")[0]
    text = " ".join(text.split())
    return re.split(r"[。！？]", text)[0]


class ChineseArgument(click.Argument):
    """A positional argument with a help line (shown under 参数：)."""

    def __init__(self, *args, help: str | None = None, **kwargs):  # noqa: A002 - click's own name
        self.help = help
        super().__init__(*args, **kwargs)


class _Chinese:
    """What ChineseCommand and ChineseGroup share."""

    usage_tail = ""

    def _fill_metavars(self) -> None:
        for param in self.params:
            if param.metavar is None:
                param.metavar = default_metavar(param)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = ["[选项]"]
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                name = param.make_metavar(ctx) if hasattr(param, "make_metavar") else param.metavar
                pieces.append(name if param.required else f"[{name.strip('[]')}]")
        return [*pieces, *([self.usage_tail] if self.usage_tail else [])]

    def format_help_text(self, ctx, formatter) -> None:
        """The help text line by line as written (``help_lines``)."""
        text = help_lines(self.help or "")
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                for line in text:
                    formatter.write(f"{' ' * formatter.current_indent}{line}\n" if line else "\n")

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx, formatter) -> None:
        arguments = [
            (p.metavar or default_metavar(p), p.help)
            for p in self.get_params(ctx) if isinstance(p, click.Argument) and getattr(p, "help", None)
        ]
        write_rows(formatter, "参数", arguments)
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record:
                rows.append((record[0], _chinese_extra(record[1])))
        write_rows(formatter, "选项", rows)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            translated = translate(exc, ctx)
            if translated is exc:
                raise
            raise translated from None


class ChineseCommand(_Chinese, click.Command):
    """A click command with Chinese help and usage errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("context_settings", {}).setdefault("help_option_names", ["-h", "--help"])
        super().__init__(*args, **kwargs)
        self._fill_metavars()


class ChineseGroup(_Chinese, click.Group):
    """The command group: Chinese help, command list in definition order, Chinese errors, no tracebacks."""

    command_class = ChineseCommand
    usage_tail = "命令 [参数]..."

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("context_settings", {}).setdefault("help_option_names", ["-h", "--help"])
        super().__init__(*args, **kwargs)
        self._fill_metavars()

    def list_commands(self, ctx):
        return list(self.commands)

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, short_help(command)))
        write_rows(formatter, "命令", rows)

    def format_options(self, ctx, formatter) -> None:
        _Chinese.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and self.get_command(ctx, name) is None and not name.startswith("-"):
            raise ChineseUsageError(f"没有命令“{name}”；可用的命令：{'、'.join(self.list_commands(ctx))}", ctx=ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Click's main, but every message it would print itself is Chinese."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except BrokenPipeError:
            if not standalone_mode:
                raise
            from xlperf.cli.base import reader_gone

            reader_gone()
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            translate(exc, None).show()
            raise SystemExit(exc.exit_code) from None
        except click.Abort:
            if not standalone_mode:
                raise
            click.echo("已中断，文件未作修改。", err=True)
            raise SystemExit(130) from None
        if standalone_mode:
            raise SystemExit(result if isinstance(result, int) else 0)
        return result
