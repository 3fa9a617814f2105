"""The Word report: docxtpl renders the context into a template, python-docx tidies the result.

The template is the shipped ``templates/report_<profile>.docx`` or an office's own
(``--template``). Rendering happens in memory; the caller writes the bytes atomically.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from xlperf.errors import TemplateError
from xlperf.report import templating
from xlperf.report.package import deterministic_zip

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FIGURE_WIDTH_MM = 150
FIXED_TIME = _dt.datetime(2024, 1, 1)
CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_TAGS = re.compile(r"<[^>]+>")


def default_template(template_id: str) -> Path:
    return TEMPLATES / f"report_{template_id}.docx"


def render_docx(context: dict, template: Path, *, charts: bool = True) -> bytes:
    """Fill ``template`` with ``context``; return the .docx bytes or raise TemplateError."""
    from docxtpl import DocxTemplate

    where = f"Word 模板 {Path(template).name} "
    tpl = DocxTemplate(str(template))
    try:
        tpl.init_docx()
    except Exception:  # noqa: BLE001 - not a zip, not a Word package, damaged: all mean the same to the user
        raise TemplateError(f"{where}不是有效的 Word 文档（.docx）；请在 Word 中另存为 .docx 后再试") from None
    env = templating.environment(autoescape=True)
    data = dict(context)
    _check(tpl, env, data, where)
    data["figures"] = _figures(tpl, context) if charts else {"ratios": None, "scores": None}
    try:
        tpl.render(data, env)
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - jinja2, the sandbox, or XML broken by misplaced {%p %} tags
        raise templating.render_error(exc, where) from None
    _tidy(tpl.docx, context)
    out = io.BytesIO()
    tpl.save(out)
    return deterministic_zip(out.getvalue(), _stamp(context))


# ---------------------------------------------------------------- checks before rendering


def _parts(tpl):
    """(label, xml element) for the body, headers and footers."""
    yield "正文", tpl.docx.element.body
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI):
            yield ("页眉" if rel.reltype == tpl.HEADER_URI else "页脚"), rel.target_part.element


def _texts(element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))).translate(CURLY) for p in element.iter(qn("w:p"))]


_CHECKED: set[tuple[str, frozenset]] = set()  # (template digest, context keys) that passed


def _check(tpl, env, context: dict, where: str) -> None:
    """Full-width tags, syntax and unknown names, before anything renders (once per template and process)."""
    key = (_digest(tpl.template_file), frozenset(context))
    if key in _CHECKED:
        return
    _check_parts(tpl, env, context, where)
    _CHECKED.add(key)


def _digest(path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _check_parts(tpl, env, context: dict, where: str) -> None:
    props = tpl.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        text = getattr(props, name) or ""
        if not any(c in text for c in "{｛%％"):
            continue
        templating.check_fullwidth([text], f"{where}文档属性：")
        templating.check_names(env, templating.parse(env, text, f"{where}文档属性（{name}）："), context, f"{where}文档属性：")
    for label, element in _parts(tpl):
        label = f"{label}："
        templating.check_fullwidth(_texts(element), f"{where}{label}")
        xml = tpl.patch_xml(tpl.xml_to_string(element))
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
        ast = templating.parse(env, source, f"{where}{label}", _line_reader(source))
        templating.check_names(env, ast, context, f"{where}{label}")


def _line_reader(source: str):
    """Line ``n`` of the patched XML as plain text, for pointing at a syntax error."""
    lines = source.splitlines()
    return lambda n: _TAGS.sub("", lines[n - 1]) if 0 < n <= len(lines) else ""


# ---------------------------------------------------------------- figures


def _figures(tpl, context: dict) -> dict:
    from docxtpl import InlineImage

    from xlperf.report import charts

    data = context.get("chart_data", {})
    figures = {"ratios": None, "scores": None}
    number = 0
    for key, draw, caption in (
        ("ratios", charts.completion_chart, "绩效指标目标完成比值"),
        ("scores", charts.score_chart, "各一级指标得分与满分"),
    ):
        png = draw(data.get(key) or [])
        if png is None:
            continue
        number += 1
        figures[key] = {"image": InlineImage(tpl, io.BytesIO(png), width=Mm(FIGURE_WIDTH_MM)), "caption": f"图{number} {caption}"}
    return figures


# ---------------------------------------------------------------- after rendering


def _tidy(doc, context: dict) -> None:
    """Metadata, and Chinese language settings for a template made elsewhere."""
    props = doc.core_properties
    props.title = context["title"]["text"]
    props.subject = "项目支出绩效自评报告"
    props.author = context["project"]["unit"] or "xlperf"
    props.last_modified_by = "xlperf"
    props.created = props.modified = _stamp(context)
    props.revision = 1
    _chinese(doc)


def _chinese(doc) -> None:
    """Make CJK text fall back to a Chinese font, not a Japanese one (office-integration.md §5)."""
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _stamp(context: dict) -> _dt.datetime:
    """The document date: the 填报日期 when it is a date, else a fixed one (same input, same bytes)."""
    text = context["project"].get("filled_on", "")
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if m:
        try:
            return _dt.datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    return FIXED_TIME
