"""The Word report: docxtpl renders the context into a template, python-docx tidies the result.

The template is the shipped ``templates/report_<profile>.docx`` or an office's own
(``--template``). Rendering happens in memory; the caller writes the bytes atomically.

The figures are native Word charts (``charts``): where the template prints
``{{ figures.ratios.image }}`` / ``{{ figures.scores.image }}``, the render puts an
inline ``w:drawing`` whose ``c:chart`` points at a ``word/charts/chartN.xml`` part added
to the package, related from the part being rendered. A template without the
placeholder gets no chart part at all.

Per process, the template's bytes are read once (until the file changes), its tag
check runs once, and docxtpl's tag repair (``patch_xml``) of an unchanged part is
remembered; the package is written once, straight into the byte-stable zip.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from xlperf.errors import TemplateError
from xlperf.report import templating
from xlperf.report.package import deterministic_zip, package_bytes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CHART_PARTNAME = "/word/charts/chart%d.xml"
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
FIXED_TIME = _dt.datetime(2024, 1, 1)
CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_TAGS = re.compile(r"<[^>]+>")


def default_template(template_id: str) -> Path:
    return TEMPLATES / f"report_{template_id}.docx"


def render_docx(context: dict, template: Path, *, charts: bool = True) -> bytes:
    """Fill ``template`` with ``context``; return the .docx bytes or raise TemplateError."""
    where = f"Word 模板 {Path(template).name} "
    source = _source(Path(template))
    tpl = _template_class()(source)
    try:
        tpl.init_docx()
    except Exception:  # noqa: BLE001 - not a zip, not a Word package, damaged: all mean the same to the user
        raise TemplateError(f"{where}不是有效的 Word 文档（.docx）；请在 Word 中另存为 .docx 后再试") from None
    env = templating.environment(autoescape=True)
    data = dict(context)
    _check(tpl, env, data, where, source.digest)
    data["figures"] = _figures(tpl, context) if charts else {"ratios": None, "scores": None}
    try:
        tpl.render(data, env)
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - jinja2, the sandbox, or XML broken by misplaced {%p %} tags
        raise templating.render_error(exc, where) from None
    _tidy(tpl.docx, context)
    try:
        return package_bytes(tpl.docx.part.package, _stamp(context))
    except ImportError:  # python-docx moved its package writer: save through it and rewrite the zip
        out = io.BytesIO()
        tpl.save(out)
        return deterministic_zip(out.getvalue(), _stamp(context))


# ---------------------------------------------------------------- the template, once per process


@dataclass(frozen=True)
class _Source:
    data: bytes
    digest: str


_SOURCES: dict[Path, tuple[tuple[int, int], _Source]] = {}
_PATCHED: OrderedDict[str, str] = OrderedDict()  # part XML as docxtpl reads it -> after patch_xml
PATCHED_SIZE = 32
_LISTING = re.compile("[\t\a\n\f]")  # what docxtpl's resolve_listing turns into tabs, paragraphs, breaks, pages


def _source(path: Path) -> _Source:
    """The template's bytes and digest, read again only when the file's size or time changes."""
    stat = path.stat()
    key = path.resolve()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _SOURCES.get(key)
    if cached is None or cached[0] != stamp:
        import hashlib

        data = path.read_bytes()
        cached = (stamp, _Source(data, hashlib.sha256(data).hexdigest()))
        _SOURCES[key] = cached
    return cached[1]


_MASTERS: OrderedDict[str, object] = OrderedDict()  # template digest -> the parsed python-docx Document
MASTERS_SIZE = 8
_STATIC_PART = re.compile(rb"[{\t\a\n\f]")  # a header/footer without these renders to itself
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl renders
# When docxtpl's fix_tables changes a table with $n grid columns: some row has more than $n cells
# (columns added), or no row's cells, gridSpan counted, fill the $n columns (columns dropped).
TABLE_NEEDS_FIX = (
    "boolean(.//w:tr[count(w:tc) > $n])"
    " or not(.//w:tr[count(w:tc[not(w:tcPr[1]/w:gridSpan)]) + sum(w:tc/w:tcPr[1]/w:gridSpan[1]/@w:val) >= $n])"
)


def _master(source: _Source):
    """The template parsed once per process; every report works on a deep copy of it."""
    doc = _MASTERS.get(source.digest)
    if doc is None:
        from docx import Document

        doc = Document(io.BytesIO(source.data))
        _MASTERS[source.digest] = doc
        if len(_MASTERS) > MASTERS_SIZE:
            _MASTERS.popitem(last=False)
    else:
        _MASTERS.move_to_end(source.digest)
    return doc


def _renders_to_itself(blob: bytes) -> bool:
    """No ``{`` (so no tag) and nothing for the listing pass after the XML declaration."""
    body = blob.split(b"?>", 1)[1] if blob.startswith(b"<?xml") else blob
    return _STATIC_PART.search(body) is None


_TEMPLATE_CLASS = None


def _template_class():
    """DocxTemplate with per-process caches; the rendered document is the same as docxtpl's own.

    * the template is parsed once (``_master``) and copied for each report;
    * the tag repair ``patch_xml`` of a part is remembered (a pure function of its text);
    * the listing pass is skipped when the rendered XML has no tab, \\a, newline or form feed;
    * a header or footer without any ``{`` (the page number footers) is left as it is
      instead of being re-parsed, rendered and replaced by an identical part;
    * a document property without a brace is not sent through jinja2;
    * docxtpl's table repair runs only for a table that needs it (two XPath tests a table).

    ``test_report_docx_caches`` checks the bytes against stock docxtpl, cold and warm.
    """
    global _TEMPLATE_CLASS
    if _TEMPLATE_CLASS is not None:
        return _TEMPLATE_CLASS
    import copy

    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        def __init__(self, source: _Source):
            super().__init__(io.BytesIO(source.data))
            self.source = source

        def init_docx(self, reload: bool = True):
            if not self.docx or (self.is_rendered and reload):
                self.docx = copy.deepcopy(_master(self.source))
                self.is_rendered = False

        def patch_xml(self, src_xml):
            patched = _PATCHED.get(src_xml)
            if patched is None:
                patched = super().patch_xml(src_xml)
                _PATCHED[src_xml] = patched
                if len(_PATCHED) > PATCHED_SIZE:
                    _PATCHED.popitem(last=False)
            else:
                _PATCHED.move_to_end(src_xml)
            return patched

        def resolve_listing(self, xml):
            return super().resolve_listing(xml) if _LISTING.search(xml) else xml

        def get_headers_footers(self, uri):
            for key, rel in self.docx.part.rels.items():
                if rel.reltype == uri:
                    blob = rel.target_part.blob
                    if blob and not _renders_to_itself(blob):
                        yield key, rel.target_part

        def render_properties(self, context, jinja_env=None):
            # docxtpl's loop; text without a brace (or a \r, which jinja2 would normalise) renders to itself.
            if jinja_env is None:
                return super().render_properties(context, jinja_env)
            props = self.docx.core_properties
            for name in PROPERTIES:
                initial = getattr(props, name)
                if "{" in initial or "\r" in initial:
                    initial = jinja_env.from_string(initial).render(context)
                setattr(props, name, initial)

        def fix_tables(self, xml):
            # docxtpl re-counts every row's cells to add or drop grid columns; the same test in
            # two XPath queries per table, with docxtpl's pass only for a table that needs it.
            from lxml import etree

            tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
            if "w" not in tree.nsmap:
                return super().fix_tables(xml)
            w = tree.nsmap["w"]
            for table in tree.iter(f"{{{w}}}tbl"):
                grid = table.find(f"{{{w}}}tblGrid")
                if grid is None or table.xpath(TABLE_NEEDS_FIX, namespaces={"w": w}, n=len(grid.findall(f"{{{w}}}gridCol"))):
                    return super().fix_tables(xml)
            return tree

    _TEMPLATE_CLASS = Template
    return Template


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


def _check(tpl, env, context: dict, where: str, digest: str) -> None:
    """Full-width tags, syntax and unknown names, before anything renders (once per template and process)."""
    key = (digest, frozenset(context))
    if key in _CHECKED:
        return
    _check_parts(tpl, env, context, where)
    _CHECKED.add(key)


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
    from xlperf.report import charts

    data = context.get("chart_data", {})
    figures = {"ratios": None, "scores": None}
    number = 0
    for key, build, caption in (
        ("ratios", charts.completion_chart, "绩效指标目标完成比值"),
        ("scores", charts.score_chart, "各一级指标得分与满分"),
    ):
        chart = build(data.get(key) or [])
        if chart is None:
            continue
        number += 1
        figures[key] = {"image": ChartRun(tpl, chart), "caption": f"图{number} {caption}"}
    return figures


class ChartRun:
    """What ``{{ figures.<key>.image }}`` prints: a run with an inline chart.

    Like docxtpl's InlineImage it closes the placeholder's run and opens a new one. The
    chart part is added to the package the first time the placeholder renders, and
    related from the part being rendered (body, header or footer).
    """

    def __init__(self, tpl, chart):
        self.tpl = tpl
        self.chart = chart
        self._part = None

    def _chart_part(self, package):
        if self._part is None:
            from docx.opc.part import Part

            partname = package.next_partname(CHART_PARTNAME)
            self._part = Part(partname, CHART_CONTENT_TYPE, self.chart.xml, package)
        return self._part

    def _run(self) -> str:
        source = self.tpl.current_rendering_part
        rid = source.relate_to(self._chart_part(source.package), CHART_RELTYPE)
        return "</w:t></w:r><w:r>" + inline_chart(rid, self.chart) + '</w:r><w:r><w:t xml:space="preserve">'

    __str__ = __html__ = _run


def inline_chart(rid: str, chart) -> str:
    """``w:drawing`` with ``wp:inline`` holding ``c:chart r:id``; every prefix declared here (docPr ids renumbered by docxtpl)."""
    from xml.sax.saxutils import quoteattr

    from xlperf.report.charts import A_NS, C_NS, R_NS

    return (
        "<w:drawing>"
        '<wp:inline distT="0" distB="0" distL="0" distR="0" '
        f'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="{A_NS}" '
        f'xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
        f'<wp:extent cx="{chart.cx}" cy="{chart.cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="1" name="图表" descr={quoteattr(chart.title)}/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart r:id="{rid}"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing>"
    )


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
    place_signature(doc)


SIGNATURE_STYLE = "Signature"
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?")


def place_signature(doc) -> None:
    """GB/T 9704 7.3.5.1: 成文日期 右空四字; the 署名 above it centred on the date (moved right,
    at most to the margin, when it is longer). Widths in 3号 characters, digits half."""
    from docx.shared import Pt

    from xlperf.report.style import BODY_PT, CHAR_SPACING_TWIPS, INDENT_PT
    from xlperf.report.title import text_width

    lines = [p for p in doc.paragraphs if p.style is not None and p.style.style_id == SIGNATURE_STYLE and p.text.strip()]
    if len(lines) < 2 or not _DATE.fullmatch(lines[-1].text.strip()):
        return
    char = BODY_PT + CHAR_SPACING_TWIPS / 20
    date = lines[-1]
    right = 2 * INDENT_PT  # 右空四字
    date.paragraph_format.right_indent = Pt(right)
    for line in lines[:-1]:
        offset = (text_width(date.text.strip()) - text_width(line.text.strip())) / 2 * char
        line.paragraph_format.right_indent = Pt(max(0.0, right + offset))


def _chinese(doc) -> None:
    """Make CJK text fall back to a Chinese font, not a Japanese one (office-integration.md §5)."""
    from xlperf.report.style import theme_font_lang

    theme_font_lang(doc)
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
