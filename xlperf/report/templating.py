"""The sandboxed jinja2 environment for report templates, its checks, and its errors in Chinese.

Templates come from offices (``--template``), so they are untrusted: rendering runs in
``SandboxedEnvironment`` with ``StrictUndefined``; an unknown variable, an unbalanced
tag, braces typed full-width with a Chinese input method (``｛｛ ｝｝``) or an attempt
to reach Python internals (``{{ x.__class__ }}``) fails with a ``TemplateError`` that
names the tag and says how to fix it.

Each render also runs under a budget (``Budget``): ``TIME_LIMIT`` seconds of wall time,
``OUTPUT_LIMIT`` characters of output and ``ITERATION_LIMIT`` loop steps over ``range``.
``*``, ``**``, ``%`` and ``+`` are intercepted (so jinja2's compiler does not fold them into
constants at compile time either) and refused before they would build a value past the
output limit (``'a' * 10**9``, ``10 ** 5000``); a filter, method or ``str.format`` asked for a
width past the limit is refused the same way. Exceeding the budget is a ``TemplateError``
in Chinese, raised before any file is written.
"""

from __future__ import annotations

import contextvars
import functools
import numbers
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from jinja2 import StrictUndefined, Template, meta
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.exceptions import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.sandbox import safe_range as _sandbox_range

from xlperf.errors import TemplateError

GLOBALS = ("range", "dict", "namespace")
FULLWIDTH_TAG = re.compile(r"[｛{][｛{％%#＃]|[％%#＃}｝][｝}]")
FULLWIDTH_CHARS = "｛｝％＃（）［］｜．，：；＂＇“”‘’＝＋－\u3000"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
SNIPPET = 40


TIME_LIMIT = 60.0  # seconds for one render
OUTPUT_LIMIT = 20_000_000  # characters one render may produce (a report is a few hundred thousand)
ITERATION_LIMIT = 1_000_000  # steps over range() in one render
MAX_POWER_BITS = 4096  # 10 ** 1233: more digits than any report needs
_BUDGET: contextvars.ContextVar["Budget | None"] = contextvars.ContextVar("xlperf_template_budget", default=None)
_WIDE_FORMAT = re.compile(r"[0-9]{7,}")


class BudgetExceeded(TemplateError):
    """A template needed more time, output or loop steps than a report can."""


class Budget:
    """What one render may still spend; checked at every loop step, call, operator and output piece."""

    def __init__(self):
        self.deadline = time.monotonic() + TIME_LIMIT
        self.output = 0
        self.iterations = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"模板运行超过 {TIME_LIMIT:g} 秒（可能有过多或嵌套过深的循环），已停止；未生成文件")

    def emit(self, size: int) -> None:
        self.output += size
        if self.output > OUTPUT_LIMIT:
            raise BudgetExceeded(f"模板生成的内容超过 {OUTPUT_LIMIT:,} 个字符，已停止；请检查循环和重复；未生成文件")
        self.tick()

    def step(self) -> None:
        self.iterations += 1
        if self.iterations > ITERATION_LIMIT:
            raise BudgetExceeded(f"模板的循环次数超过 {ITERATION_LIMIT:,} 次，已停止；请检查 range() 和嵌套循环；未生成文件")
        if not self.iterations & 0x3FF:
            self.tick()


def _budget() -> Budget:
    budget = _BUDGET.get()
    if budget is None:  # a render outside BudgetTemplate.render (e.g. a macro called from Python)
        budget = Budget()
        _BUDGET.set(budget)
    return budget


def _too_big(what: str) -> BudgetExceeded:
    return BudgetExceeded(f"模板中的{what}结果过大（超过 {OUTPUT_LIMIT:,} 个字符），已拒绝；未生成文件")


def _size(value) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _check_binop(op: str, left, right) -> None:
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            size = _size(seq)
            if size is not None and isinstance(count, numbers.Integral) and size * int(count) > OUTPUT_LIMIT:
                raise _too_big("重复（*）")
    elif op == "**":
        if isinstance(left, numbers.Integral) and isinstance(right, numbers.Integral) and abs(int(left)) > 1:
            if int(right) > 0 and abs(int(left)).bit_length() * int(right) > MAX_POWER_BITS:
                raise _too_big("乘方（**）")
        elif isinstance(left, numbers.Real) and isinstance(right, numbers.Real) and abs(right) > 10_000:
            raise _too_big("乘方（**）")
    elif op == "%":
        if isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise _too_big("格式化（%）")
    elif op == "+":
        a, b = _size(left), _size(right)
        if a is not None and b is not None and a + b > OUTPUT_LIMIT:
            raise _too_big("拼接（+）")


def _checked(value, what: str):
    size = _size(value)
    if size is not None and size > OUTPUT_LIMIT:
        raise _too_big(what)
    return value


class _Generator(CodeGenerator):
    """jinja2's code generator, with every ``~`` result passed through ``Sandbox.checked_join``."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_join(")
        super().visit_Concat(node, frame)
        self.write(")")


def _check_args(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, numbers.Integral) and not isinstance(value, bool) and abs(int(value)) > OUTPUT_LIMIT:
            raise _too_big("参数")


def _budget_range(*args):
    """``range`` with the sandbox's size cap, counting each step against the render's budget."""
    budget = _budget()
    for value in _sandbox_range(*args):
        budget.step()
        yield value


def _guard_filter(fn):
    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        _budget().tick()
        _check_args(args[1:], kwargs)  # the piped value itself may be large; widths and counts may not
        return _checked(fn(*args, **kwargs), "过滤器")

    return guarded


class BudgetTemplate(Template):
    """Renders piece by piece, counting output and time against a fresh Budget."""

    def render(self, *args, **kwargs) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        token = _BUDGET.set(Budget())
        try:
            budget = _BUDGET.get()
            parts = []
            for piece in self.root_render_func(ctx):
                budget.emit(len(piece))
                parts.append(piece)
            return self.environment.concat(parts)
        except BudgetExceeded:
            raise
        except Exception:
            self.environment.handle_exception()
        finally:
            _BUDGET.reset(token)


class Sandbox(SandboxedEnvironment):
    """The sandbox, remembering compiled templates: docxtpl compiles the same document XML on every render."""

    CACHE_SIZE = 64
    template_class = BudgetTemplate
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _Generator

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: OrderedDict[str, object] = OrderedDict()
        self.globals["range"] = _budget_range
        self.filters = {name: _guard_filter(fn) for name, fn in self.filters.items()}

    def call_binop(self, context, op, left, right):
        _budget().tick()
        _check_binop(op, left, right)
        return super().call_binop(context, op, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's signature)
        _budget().tick()
        _check_args(args, kwargs)
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if getattr(target, "__name__", "") in ("format", "format_map") and isinstance(getattr(target, "__self__", None), str):
            if _WIDE_FORMAT.search(target.__self__):
                raise _too_big("格式化")
        return _checked(super().call(__context, __obj, *args, **kwargs), "调用")

    @staticmethod
    def checked_join(value):
        """The result of ``~`` (see ``_Generator``), refused once it grows past the output limit."""
        return _checked(value, "拼接（~）")

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
    if isinstance(exc, TemplateError):
        return TemplateError(f"{where}{exc.message}")
    if isinstance(exc, (OverflowError, MemoryError, RecursionError)):
        return TemplateError(f"{where}运算结果过大或嵌套过深（{type(exc).__name__}），已停止；未生成文件")
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
