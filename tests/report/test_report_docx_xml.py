"""The Word package as XML: GB/T 9704 page and styles, East Asian fonts, repeated table header.

The expected values are written out here in twips and half-points, as Word stores them.
"""

from __future__ import annotations

import pytest
from lxml import etree
from reporthelpers import W, part

from xlperf.report.style import TEMPLATES
from xlperf.report.wordtemplate import build_template

NS = {"w": W.strip("{}")}
THEME = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def mm_to_twips(mm: float) -> float:
    return mm / 25.4 * 1440


def xml(source, name: str):
    return etree.fromstring(part(source, name).encode("utf-8"))


def style(styles, style_id: str):
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def val(el, path: str, attr: str = "val"):
    node = el.find(path, NS)
    return None if node is None else node.get(f"{W}{attr}")


@pytest.fixture(scope="module", params=["fj2018", "cz2020"])
def template(request):
    return TEMPLATES / f"report_{request.param}.docx"


def test_shipped_templates_are_what_the_builder_makes(template):
    # Regenerate with `python -m xlperf.report.build`; the build is byte-stable.
    profile_id = template.stem.removeprefix("report_")
    assert template.read_bytes() == build_template(profile_id)


def test_every_style_names_an_east_asian_font_and_no_theme_font(template):
    styles = xml(template, "word/styles.xml")
    for st in styles.findall("w:style", NS):
        fonts = st.find("w:rPr/w:rFonts", NS)
        assert fonts is not None and fonts.get(f"{W}eastAsia"), st.get(f"{W}styleId")
    for fonts in styles.iter(f"{W}rFonts"):
        assert not any(fonts.get(f"{W}{a}") for a in THEME)
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert val(default, "w:lang", "eastAsia") == "zh-CN"
    assert val(default, "w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert val(default, "w:sz") == "32"
    settings = xml(template, "word/settings.xml")
    assert val(settings, "w:themeFontLang", "eastAsia") == "zh-CN"
    assert settings.find("w:evenAndOddHeaders", NS) is not None


def test_page_is_a4_with_gbt9704_margins_and_grid(template):
    sect = xml(template, "word/document.xml").find(".//w:body/w:p/w:pPr/w:sectPr", NS)  # the body's section; the annexes are landscape
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert abs(int(size.get(f"{W}w")) - mm_to_twips(210)) <= 1
    assert abs(int(size.get(f"{W}h")) - mm_to_twips(297)) <= 1
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(int(margins.get(f"{W}{side}")) - mm_to_twips(mm)) <= 1, side
    grid = sect.find("w:docGrid", NS)
    # A line-only grid plus -0.25pt character spacing: Word, WPS and LibreOffice all give 22 x 28.
    assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch"), grid.get(f"{W}charSpace")) == ("lines", "579", None)
    default = xml(template, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert val(default, "w:spacing") == "-5"


def test_title_body_and_heading_styles(template):
    styles = xml(template, "word/styles.xml")
    title = style(styles, "DocTitle")
    assert val(title, "w:rPr/w:sz") == "44"
    assert val(title, "w:rPr/w:rFonts", "eastAsia") == "方正小标宋简体"
    assert val(title, "w:pPr/w:jc") == "center"
    ppr = [child.tag.split("}")[1] for child in title.find("w:pPr", NS)]
    assert val(title, "w:pPr/w:snapToGrid") == "0" and ppr.index("snapToGrid") < ppr.index("spacing") < ppr.index("jc")
    body = style(styles, "Normal")
    assert (val(body, "w:pPr/w:spacing", "line"), val(body, "w:pPr/w:spacing", "lineRule")) == ("579", "exact")
    assert val(body, "w:pPr/w:ind", "firstLine") == "640"  # 32pt: two characters of 3号
    assert val(body, "w:rPr/w:sz") == "32"
    assert val(body, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"
    for style_id, font in (("Heading1", "黑体"), ("Heading2", "楷体_GB2312"), ("Heading3", "仿宋_GB2312")):
        heading = style(styles, style_id)
        assert val(heading, "w:rPr/w:rFonts", "eastAsia") == font
        assert val(heading, "w:rPr/w:sz") == "32"
        assert val(heading, "w:pPr/w:spacing", "line") == "579"
    assert val(style(styles, "TableText"), "w:rPr/w:sz") == "21"  # 五号
    footer = style(styles, "Footer")
    assert val(footer, "w:rPr/w:sz") == "28" and val(footer, "w:rPr/w:rFonts", "eastAsia") == "宋体"


def test_page_numbers_odd_right_even_left(template):
    rels = xml(template, "word/_rels/document.xml.rels")
    sect = xml(template, "word/document.xml").find(".//w:body/w:sectPr", NS)
    rid = f"{{{NS['w'].replace('wordprocessingml/2006/main', 'officeDocument/2006/relationships')}}}id"
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sides = {}
    for ref in sect.findall("w:footerReference", NS):
        footer = xml(template, "word/" + targets[ref.get(rid)])
        text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
        instr = "".join(t.text or "" for t in footer.iter(f"{W}instrText"))
        assert text == "— 1 —" and instr.strip() == "PAGE"
        sides[ref.get(f"{W}type")] = val(footer, ".//w:pPr/w:jc")
    assert sides == {"default": "right", "even": "left"}


def test_fonts_table_offers_windows_alternatives(template):
    fonts = xml(template, "word/fontTable.xml")
    alt = {f.get(f"{W}name"): val(f, "w:altName") for f in fonts.findall("w:font", NS)}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体"


def test_report_table_repeats_its_header_row(example_docx):
    document = xml(example_docx, "word/document.xml")
    tables = document.findall(".//w:tbl", NS)
    assert len(tables) == 4  # 附件1: project, 项目资金, 年度总体目标, then the 评分表
    rows = tables[-1].findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert len(rows) == 1 + 37 + 1  # header, one row per 评分表 item, 合计
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    assert "{{" not in text and "{%" not in text
    assert len(document.findall(".//w:drawing", NS)) == 2  # the two charts


def test_annexes_are_a_landscape_section_with_the_page_turned(template):
    body = xml(template, "word/document.xml").find(".//w:body", NS)
    sect = body.find("w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert size.get(f"{W}orient") == "landscape"
    assert abs(int(size.get(f"{W}w")) - mm_to_twips(297)) <= 1 and abs(int(size.get(f"{W}h")) - mm_to_twips(210)) <= 1
    for side, mm in (("top", 28), ("bottom", 26), ("left", 37), ("right", 35)):  # the 版心 turned with the page
        assert abs(int(margins.get(f"{W}{side}")) - mm_to_twips(mm)) <= 1, side
    breaks = body.findall("w:p/w:pPr/w:sectPr", NS)
    assert len(breaks) == 1  # body portrait, then every annex landscape
