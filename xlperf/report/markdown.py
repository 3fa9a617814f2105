"""The report as Markdown, from the same context, for review and diffs.

``outline_to_markdown`` writes the shipped ``templates/report_<profile>.md.j2`` from the
same outline as the Word template; ``render_markdown`` fills one (or an office's own)
in the sandbox. Every ``{{ }}`` output is escaped for Markdown; figures are Word-only.
"""

from __future__ import annotations

import re
from pathlib import Path

from xlperf.errors import TemplateError
from xlperf.report import outline as o
from xlperf.report import templating

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def default_template(template_id: str) -> Path:
    return TEMPLATES / f"report_{template_id}.md.j2"


def escape(value) -> str:
    """Markdown-safe text: special characters backslashed, line breaks as spaces."""
    if value is None:
        return ""
    return _SPECIAL.sub(r"\\\1", str(value)).replace("\r", "").replace("\n", " ")


def render_markdown(context: dict, template: Path) -> str:
    where = f"Markdown 模板 {Path(template).name}："
    try:
        source = Path(template).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{where}无法读取（{exc}）；请给出 UTF-8 编码的文本文件") from None
    env = templating.environment(autoescape=False, finalize=escape, trim_blocks=True)
    lines = source.splitlines()
    templating.check_fullwidth(lines, where)
    ast = templating.parse(env, source, where, lambda n: lines[n - 1] if 0 < n <= len(lines) else "")
    templating.check_names(env, ast, context, where)
    try:
        text = env.from_string(source).render(context)
    except Exception as exc:  # noqa: BLE001 - any failure inside a user template is a template error
        raise templating.render_error(exc, where) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# ---------------------------------------------------------------- outline → .md.j2

HEADER = (
    "{#- 自评报告（Markdown）模板：由 python -m xlperf.report.build 从 xlperf/report/outline.py 生成。"
    "可以修改文字；{{ }} 输出报告数据，{% %} 为循环与判断，请用半角字符。 -#}\n"
)


def outline_to_markdown(blocks) -> str:
    return HEADER + "".join(_block(b) for b in blocks)


def _block(block) -> str:
    kind = type(block)
    if kind is o.Title:
        return "# {{ title.text }}\n\n"
    if kind is o.Heading:
        return f"{'#' * (block.level + 1)} {block.text}\n\n"
    if kind is o.Para:
        return f"{block.text}\n\n" if block.text else ""
    if kind is o.Each:
        return f"{{% for {block.var} in {block.seq} %}}\n{{{{ {block.var} }}}}\n\n{{% endfor %}}\n"
    if kind is o.RunIns:
        v = block.var
        return f"{{% for {v} in {block.seq} %}}\n**{{{{ {v}.head }}}}**{{{{ {v}.body }}}}\n\n{{% endfor %}}\n"
    if kind is o.Loop:
        inner = "".join(_block(b) for b in block.body)
        return f"{{% for {block.var} in {block.seq} %}}\n{inner}{{% endfor %}}\n"
    if kind is o.When:
        inner = "".join(_block(b) for b in block.body)
        return f"{{% if {block.test} %}}\n{inner}{{% endif %}}\n"
    if kind is o.Figure:
        return ""
    if kind is o.Annex:
        return f"---\n\n## {block.mark}　{block.title}\n\n"
    if kind is o.Signature:
        return "{% for line in signature %}\n<p align=\"right\">{{ line }}</p>\n\n{% endfor %}\n"
    if kind is o.Table:
        return _table(block)
    raise TypeError(f"unknown outline block {kind.__name__}")


def _table(block: o.Table) -> str:
    head = "| " + " | ".join(c.header if block.header else " " for c in block.columns) + " |\n"
    rule = "|" + "|".join(":---:" if c.align == "center" else "---" for c in block.columns) + "|\n"
    row = "| " + " | ".join(f"{{{{ r.{c.field} }}}}" for c in block.columns) + " |\n"
    text = head + rule + f"{{% for r in {block.seq}.rows %}}\n" + row + "{% endfor %}\n"
    if block.total_label is not None:
        total = [block.total_label] + [f"{{{{ {block.total[c.field]} }}}}" if c.field in block.total else "" for c in block.columns[1:]]
        text += "| " + " | ".join(total) + " |\n"
    return text + "\n"
