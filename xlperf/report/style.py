"""The default Word templates, built in code with python-docx: GB/T 9704-2012 styles and page.

Run ``python -m xlperf.report.build`` to regenerate ``xlperf/templates/report_<profile>.docx``
(``wordtemplate`` writes the body) and ``report_<profile>.md.j2`` from ``outline``; the
output is byte-for-byte the same on every run. What is set here (office-integration.md §5–§6):

* A4, margins top 37 / bottom 35 / left 28 / right 26 mm, a line-only docGrid (linePitch 579,
  22 lines) and a character spacing of −0.25pt in the default run properties, so 28 characters
  of 3号 fill the 156 mm line. Word, WPS and LibreOffice read this the same way; a
  ``linesAndChars`` grid with a negative ``charSpace`` (Word's own way to get 28 a line) is
  read by LibreOffice as two grid cells a character (14 a line, 28 pages);
* every style names its East Asian font (``w:eastAsia``, theme attributes removed),
  ``w:lang w:eastAsia="zh-CN"`` in rPrDefault and ``w:themeFontLang`` in settings;
* body 3号 (16pt) 仿宋_GB2312, exact 28.95pt (``w:line="579"``), first line 32pt;
  title 2号 (22pt) 方正小标宋简体 centred, snapToGrid off; 一、 黑体, （一） 楷体_GB2312,
  1. 仿宋_GB2312 bold, all 3号; tables 五号 (10.5pt); page numbers ``— 1 —`` 4号 (14pt)
  宋体, odd pages right and even pages left, one character in from the edge.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from xlperf.report import outline as o

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"  # only in the font table; digits and Latin letters use the CJK font
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NO_PT = 16, 22, 10.5, 14
LINE_PT = 28.95  # 225 mm / 22 lines → w:line="579"
INDENT_PT = 32  # two characters of 3号
LINE_PITCH = 579
CHAR_SPACING_TWIPS = -5  # −0.25pt after each character: 28 × 15.75pt = 441pt ≤ 156 mm (442.2pt)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_MM, HEADER_MM = 25, 15  # page number about 7 mm below the 版心
FIXED_TIME = _dt.datetime(2024, 1, 1, 0, 0, 0)

# Fonts Word may not find, with the name Word should try instead (fontTable w:altName).
FONT_TABLE = (
    (FANGSONG, "仿宋", "86", "modern", "fixed"),
    (KAITI, "楷体", "86", "modern", "fixed"),
    (HEITI, "SimHei", "86", "modern", "fixed"),
    (XIAOBIAOSONG, "宋体", "86", "script", "variable"),
    (SONGTI, "SimSun", "86", "auto", "variable"),
    (LATIN, None, "00", "roman", "variable"),
)
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}

PPR_ORDER = (  # CT_PPr children in schema order
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)


@dataclass(frozen=True)
class ParaStyle:
    id: str
    name: str  # what Word shows; built-in names (heading 1) show localised (标题 1)
    east: str = FANGSONG
    latin: str | None = None  # None: the East Asian font also for digits and Latin letters
    size: float = BODY_PT
    bold: bool = False
    align: str = "justify"
    first_line: float = INDENT_PT
    right_indent: float = 0
    left_indent: float = 0
    line: float | None = LINE_PT  # exact line spacing in pt; None: single
    before: float = 0
    after: float = 0
    keep_next: bool = False
    outline: int | None = None
    snap_to_grid: bool = True
    page_break_before: bool = False
    base: str | None = "Normal"
    kind: str = "paragraph"  # paragraph | character


ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

STYLES = (
    ParaStyle("Normal", "Normal", base=None),
    ParaStyle(o.TITLE, "公文标题", east=XIAOBIAOSONG, size=TITLE_PT, align="center", first_line=0, line=35,
              keep_next=True, snap_to_grid=False),
    ParaStyle(o.H1, "heading 1", east=HEITI, keep_next=True, outline=0),
    ParaStyle(o.H2, "heading 2", east=KAITI, keep_next=True, outline=1),
    ParaStyle(o.H3, "heading 3", bold=True, keep_next=True, outline=2),
    ParaStyle(o.RUN_IN, "小标题字符", bold=True, kind="character", base=None),
    ParaStyle(o.FIGURE, "图", align="center", first_line=0, line=None, keep_next=True, snap_to_grid=False, before=6),
    ParaStyle(o.CAPTION, "图题", east=KAITI, size=14, align="center", first_line=0, line=22, after=6, snap_to_grid=False),
    ParaStyle(o.SIGNATURE, "落款", align="right", first_line=0, right_indent=2 * INDENT_PT),  # 成文日期 右空四字
    ParaStyle(o.ANNEX_MARK, "附件标识", east=HEITI, align="left", first_line=0, page_break_before=True, keep_next=True),
    ParaStyle(o.ANNEX_TITLE, "附件标题", east=XIAOBIAOSONG, size=TITLE_PT, align="center", first_line=0, line=35,
              after=LINE_PT / 2, keep_next=True, snap_to_grid=False),
    ParaStyle(o.TABLE_TEXT, "表格文字", size=TABLE_PT, align="left", first_line=0, line=14, snap_to_grid=False),
    ParaStyle(o.TABLE_HEAD, "表头", east=HEITI, size=TABLE_PT, align="center", first_line=0, line=14, snap_to_grid=False),
    ParaStyle(o.NOTE, "附注", size=12, first_line=24, line=20, snap_to_grid=False),
    ParaStyle("Footer", "footer", east=SONGTI, latin=SONGTI, size=PAGE_NO_PT, align="right", first_line=0, line=None,
              snap_to_grid=False),
    ParaStyle("Header", "header", east=SONGTI, latin=SONGTI, size=PAGE_NO_PT, align="center", first_line=0, line=None,
              snap_to_grid=False),
)
TABLE_STYLE_ID, TABLE_STYLE_NAME = "ReportTable", "自评表格"


# ---------------------------------------------------------------- low-level XML


def set_child(parent, tag: str, order: list[str] | tuple[str, ...], **attrs: str):
    """Get or insert ``w:<tag>`` at its schema position in ``parent`` and set its attributes."""
    el = parent.find(qn(f"w:{tag}"))
    if el is None:
        el = OxmlElement(f"w:{tag}")
        later = set(order[order.index(tag) + 1:])
        for i, child in enumerate(parent):
            if child.tag.split("}")[-1] in later:
                parent.insert(i, el)
                break
        else:
            parent.append(el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def set_fonts(rpr, east: str, latin: str | None) -> None:
    """Name all four font slots; theme attributes would win over them, so they go."""
    _name_fonts(rpr.get_or_add_rFonts(), east, latin)


def set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")  # digits too: LibreOffice then picks a CJK fallback, not DejaVu
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


# ---------------------------------------------------------------- styles


def _defaults(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FANGSONG, None)
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.find(qn("w:sz")).addprevious(spacing)
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    set_language(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)


def _prune(doc) -> None:
    """Drop python-docx's sample styles; an office sees only the styles the report uses."""
    root = doc.styles.element
    for el in root.findall(qn("w:style")):
        if el.get(qn("w:styleId")) not in KEEP_STYLES:
            root.remove(el)


def _add_style(doc, spec: ParaStyle):
    if spec.id == "Normal":
        return doc.styles["Normal"]
    kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
    style = doc.styles.add_style(spec.name, kind)
    style.style_id = spec.id
    if spec.base:
        style.base_style = doc.styles["Normal"]
    style.quick_style = True
    if spec.kind == "paragraph" and spec.id not in ("Footer", "Header"):
        style.next_paragraph_style = doc.styles["Normal"] if spec.id != o.TABLE_TEXT else style
    return style


def _format(style, spec: ParaStyle) -> None:
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    set_fonts(style.element.get_or_add_rPr(), spec.east, spec.latin)
    if spec.kind == "character":
        return
    pf = style.paragraph_format
    pf.alignment = ALIGN[spec.align]
    pf.first_line_indent = Pt(spec.first_line)
    pf.left_indent = Pt(spec.left_indent)
    pf.right_indent = Pt(spec.right_indent)
    pf.space_before = Pt(spec.before)
    pf.space_after = Pt(spec.after)
    if spec.line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.line)
    pf.keep_with_next = spec.keep_next
    pf.page_break_before = spec.page_break_before
    pf.widow_control = False
    ppr = style.element.get_or_add_pPr()
    if not spec.snap_to_grid:
        set_child(ppr, "snapToGrid", PPR_ORDER, val="0")
    if spec.outline is not None:
        set_child(ppr, "outlineLvl", PPR_ORDER, val=str(spec.outline))


def _table_style(doc) -> None:
    style = doc.styles.add_style(TABLE_STYLE_NAME, WD_STYLE_TYPE.TABLE)
    style.style_id = TABLE_STYLE_ID
    style.base_style = doc.styles["Normal Table"]
    set_fonts(style.element.get_or_add_rPr(), FANGSONG, None)
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    style.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    ))


def _every_style_east_asian(doc) -> None:
    """The styles python-docx keeps (Normal Table, No List…) name their fonts too."""
    for el in doc.styles.element.findall(qn("w:style")):
        rpr = el.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            later = [el.find(qn(f"w:{t}")) for t in ("tblPr", "trPr", "tcPr", "tblStylePr")]
            later = [x for x in later if x is not None]
            if later:
                later[0].addprevious(rpr)
            else:
                el.append(rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        if fonts.get(qn("w:eastAsia")) is None or any(fonts.get(qn(a)) for a in THEME_ATTRS):
            _name_fonts(fonts, FANGSONG, None)


def _name_fonts(fonts, east: str, latin: str | None) -> None:
    latin = latin or east
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for slot, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east), ("cs", latin)):
        fonts.set(qn(f"w:{slot}"), name)


def build_styles(doc) -> None:
    _defaults(doc)
    _prune(doc)
    for spec in STYLES:
        _format(_add_style(doc, spec), spec)
    _table_style(doc)
    _every_style_east_asian(doc)


# ---------------------------------------------------------------- page, footer, settings, package


def _page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(FOOTER_MM)
    section.gutter = Mm(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.attrib.pop(qn("w:charSpace"), None)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(doc, section.footer, "right")
    _page_number(doc, section.even_page_footer, "left")


def landscape(sect_pr) -> None:
    """Turn a section's page landscape: A4 on its side, the same 版心 turned with it (the 订口 on top)."""
    size = sect_pr.find(qn("w:pgSz"))
    size.set(qn("w:w"), str(round(Mm(297).twips)))
    size.set(qn("w:h"), str(round(Mm(210).twips)))
    size.set(qn("w:orient"), "landscape")
    margins = sect_pr.find(qn("w:pgMar"))
    turned = {"top": MARGINS_MM["left"], "bottom": MARGINS_MM["right"], "left": MARGINS_MM["top"], "right": MARGINS_MM["bottom"]}
    for side, mm in turned.items():
        margins.set(qn(f"w:{side}"), str(round(Mm(mm).twips)))
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:type"), "default")  # tables, not the 22-line body grid


def _page_number(doc, footer, side: str) -> None:
    """— 1 — in 宋体 4号, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = style_by_id(doc, "Footer")
    p.alignment = ALIGN[side]
    if side == "right":
        p.paragraph_format.right_indent = Pt(PAGE_NO_PT)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_NO_PT)
    _dash(p, "— ")
    begin, instr, sep, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar"), OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    sep.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep):
        p.add_run()._r.append(el)
    p.add_run("1")
    p.add_run()._r.append(end)
    _dash(p, " —")


def _dash(p, text: str) -> None:
    run = p.add_run(text)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:hint"), "eastAsia")


def theme_font_lang(doc, latin: str | None = None) -> None:
    """Theme fonts resolve East Asian text as zh-CN, so Word never falls back to a Japanese font."""
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    if latin:
        lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _settings(doc) -> None:
    theme_font_lang(doc, "en-US")
    settings = doc.settings.element
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)


def _font_table(doc) -> None:
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    entries = []
    for name, alt, charset, family, pitch in FONT_TABLE:
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        entries.append(f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/>'
                       f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    part._blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:fonts {nsdecls("w")}>{"".join(entries)}</w:fonts>'
    ).encode()


def _lean_package(doc) -> None:
    """Drop python-docx's extras (styles-with-effects copy, thumbnail, custom XML) that an office never needs."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.rels.pop(rid)
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rid)


def _properties(doc, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = "xlperf"
    props.last_modified_by = "xlperf"
    props.comments = "由 xlperf 生成的自评报告模板；可在 Word 中修改文字和样式，模板标签请用半角字符输入。"
    props.created = props.modified = FIXED_TIME
    props.revision = 1


def base_document(title: str = "项目支出绩效自评报告模板"):
    """An empty document with the report's styles, page and footer."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    build_styles(doc)
    _page(doc)
    _settings(doc)
    _font_table(doc)
    _lean_package(doc)
    _properties(doc, title)
    return doc


def style_by_id(doc, style_id: str):
    for style in doc.styles:
        if style.style_id == style_id:
            return style
    raise KeyError(style_id)
