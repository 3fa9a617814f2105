"""The sandboxed jinja2 environment for report templates, its checks, and its errors in Chinese.

Templates come from offices (``--template``), so they are untrusted: rendering runs in
``SandboxedEnvironment`` with ``StrictUndefined``; an unknown variable, an unbalanced
tag, braces typed full-width with a Chinese input method (``｛｛ ｝｝``) or an attempt
to reach Python internals (``{{ x.__class__ }}``) fails with a ``TemplateError`` that
names the tag and says how to fix it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable

from jinja2 import StrictUndefined, meta
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.exceptions import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from xlperf.errors import TemplateError

GLOBALS = ("range", "dict", "namespace")
FULLWIDTH_TAG = re.compile(r"[｛{][｛{％%#＃]|[％%#＃}｝][｝}]")
FULLWIDTH_CHARS = "｛｝％＃（）［］｜．，：；＂＇“”‘’＝＋－\u3000"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
SNIPPET = 40


class Sandbox(SandboxedEnvironment):
    """The sandbox, remembering compiled templates: docxtpl compiles the same document XML on every render."""

    CACHE_SIZE = 64

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: OrderedDict[str, object] = OrderedDict()

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            self._compiled[source] = template
            if len(self._compiled) > self.CACHE_SIZE:
                self._compiled.popitem(last=False)
        else:
            self._compiled.move_to_end(source)
        return template


_ENVIRONMENTS: dict[tuple, Sandbox] = {}


def environment(*, autoescape: bool, finalize: Callable | None = None, trim_blocks: bool = False) -> Sandbox:
    """A sandbox where an unknown name fails instead of printing nothing (one per configuration and process)."""
    key = (autoescape, finalize, trim_blocks)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = Sandbox(autoescape=autoescape, undefined=StrictUndefined, finalize=finalize,
                      keep_trailing_newline=True, trim_blocks=trim_blocks)
        env.globals = {name: env.globals[name] for name in GLOBALS if name in env.globals}
        _ENVIRONMENTS[key] = env
    return env


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def check_fullwidth(paragraphs: Iterable[str], where: str) -> None:
    """Refuse tags typed with full-width characters, which jinja2 would print as plain text."""
    for text in paragraphs:
        m = next((m for m in FULLWIDTH_TAG.finditer(text) if any(c in FULLWIDTH_CHARS for c in m.group(0))), None)
        if m:
            raise TemplateError(
                f"{where}“{_snippet(text)}”中的标签“{m.group(0)}”用了全角字符；"
                "请切换到英文（半角）输入法，重新输入为 {{ }} 或 {% %}",
            )
        for tag in TAG.findall(text):
            inner = re.sub(r"(['\"]).*?\1", "", tag[2:-2])
            bad = next((c for c in inner if ord(c) > 127), None)
            if bad:
                if bad in FULLWIDTH_CHARS:
                    shown = "全角空格" if bad == "\u3000" else f"全角字符“{bad}”"
                    fix = "请切换到英文（半角）输入法重新输入"
                else:
                    shown = f"中文字符“{bad}”"
                    fix = "变量名只能用英文字母、数字和下划线，请改用报告提供的变量名"
                raise TemplateError(f"{where}标签“{_snippet(tag)}”中有{shown}；{fix}")


def parse(env: SandboxedEnvironment, source: str, where: str, line_text: Callable[[int], str] | None = None):
    """Parse a template, turning syntax errors into Chinese."""
    try:
        return env.parse(source)
    except TemplateSyntaxError as exc:
        near = ""
        if exc.lineno and line_text is not None and "unexpected end of template" not in (exc.message or "").lower():
            text = line_text(exc.lineno)
            near = f"（位置：“{_snippet(text)}”附近）" if text.strip() else ""
        raise TemplateError(f"{where}{syntax_message(exc.message or '')}{near}") from None


def check_names(env: SandboxedEnvironment, ast, context: dict, where: str) -> None:
    """Every top-level name the template uses must be a context key."""
    unknown = sorted(meta.find_undeclared_variables(ast) - set(context) - set(env.globals))
    if unknown:
        names = "、".join(f"“{n}”" for n in unknown)
        raise TemplateError(
            f"{where}使用了不存在的变量 {names}；请检查拼写。可用的变量：{'、'.join(sorted(context))}",
        )


def syntax_message(message: str) -> str:
    m = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if m:
        block = m.group(1)
        return f"标签 {{% {block} %}} 缺少对应的 {{% end{block} %}}（Word 模板中写作 {{%p end{block} %}}）"
    m = re.search(r"Encountered unknown tag '(\w+)'", message)
    if m:
        tag = m.group(1)
        if tag.startswith("end") or tag in ("else", "elif"):
            return f"标签 {{% {tag} %}} 没有与之配对的开始标签（如 {{% for %}}、{{% if %}}），或开始标签写错了"
        return f"无法识别的标签 {{% {tag} %}}；可用 for、if 等标签"
    m = re.search(r"unexpected char '(.)'", message)
    if m:
        kind = "全角字符" if m.group(1) in FULLWIDTH_CHARS else "字符"
        return f"标签中有无法识别的{kind}“{m.group(1)}”；请切换到英文（半角）输入法重新输入"
    m = re.search(r"unexpected '(.+?)'", message)
    if m:
        return f"标签写法有误，出现了多余的“{m.group(1)}”；请检查 {{{{ }}}} 与 {{% %}} 是否成对"
    if "unexpected end of template" in message.lower():
        return "模板意外结束：有标签没有闭合；请检查 {{ }}、{% %} 是否成对"
    return f"模板语法错误：{message}"


def render_error(exc: BaseException, where: str) -> TemplateError:
    """A failure while rendering, in Chinese."""
    if isinstance(exc, SecurityError):
        m = re.search(r"attribute '([^']+)'", str(exc))
        name = f"“{m.group(1)}”" if m else ""
        return TemplateError(f"{where}试图访问内部属性{name}，已拒绝；模板只能使用报告提供的变量")
    if isinstance(exc, UndefinedError):
        message = str(exc)
        m = re.search(r"has no attribute '([^']+)'", message)
        if m:
            return TemplateError(f"{where}引用了不存在的字段“{m.group(1)}”；请检查拼写")
        m = re.search(r"'([^']+)' is undefined", message)
        if m:
            return TemplateError(f"{where}使用了不存在的变量“{m.group(1)}”；请检查拼写")
        return TemplateError(f"{where}引用了不存在的内容：{message}")
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(f"{where}{syntax_message(exc.message or '')}")
    if isinstance(exc, JinjaTemplateError):
        return TemplateError(f"{where}无法渲染：{exc}")
    return TemplateError(f"{where}无法渲染（{type(exc).__name__}：{exc}）；请检查模板中的标签")
