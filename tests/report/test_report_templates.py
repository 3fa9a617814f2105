"""Office-made templates: the shipped ones render, broken or unsafe ones fail in Chinese and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from reporthelpers import docx_text

from xlperf.errors import TemplateError
from xlperf.report import write_report
from xlperf.report.markdown import outline_to_markdown
from xlperf.report.outline import OUTLINES
from xlperf.report.style import TEMPLATES


def word_template(tmp_path: Path, *paragraphs: str) -> Path:
    """The shipped fj2018 template with extra paragraphs typed at the end, as an office would."""
    doc = Document(str(TEMPLATES / "report_fj2018.docx"))
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "单位模板.docx"
    doc.save(str(path))
    return path


def md_template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "单位模板.md.j2"
    path.write_text(text, encoding="utf-8")
    return path


def refused(example, tmp_path: Path, template: Path, fmt: str = "docx") -> str:
    evaluation, results = example
    out = tmp_path / "out" / f"报告.{fmt}"
    out.parent.mkdir()
    with pytest.raises(TemplateError) as info:
        write_report(evaluation, results, out, fmt=fmt, template=template, charts=False)
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no half-written or temporary file either
    return str(info.value)


BROKEN = [
    ("{{ title.__class__ }}", "内部属性"),
    ("{{ title.__class__.__mro__ }}", "内部属性"),
    ("{{ total.points.__class__.__mro__[1].__subclasses__() }}", "内部属性"),
    ("｛｛ title.text ｝｝", "全角"),
    ("{｛ title.text }}", "全角"),
    ("｛％ for p in problems ％｝", "全角"),
    ("{{ title.text｝｝", "全角"),
    ("{{ 单位名称 }}", "中文字符“单”"),
    ("{{ no_such_thing }}", "“no_such_thing”"),
    ("{{ total.no_such_field }}", "“no_such_field”"),
    ("{% for p in problems %}{{ p }}", "endfor"),
    ("{% endif %}", "endif"),
]


@pytest.mark.parametrize("tag,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_word_template_is_refused(example, tmp_path, tag, expected):
    message = refused(example, tmp_path, word_template(tmp_path, tag))
    assert expected in message
    assert message.startswith("Word 模板 单位模板.docx ")


def test_unbalanced_paragraph_loop_names_the_tag(example, tmp_path):
    message = refused(example, tmp_path, word_template(tmp_path, "{%p for p in problems %}", "{{ p }}"))
    assert "{% for %}" in message and "{%p endfor %}" in message


def test_full_width_message_says_to_retype_half_width(example, tmp_path):
    message = refused(example, tmp_path, word_template(tmp_path, "项目名称：｛｛ project.name ｝｝"))
    assert "半角" in message and "项目名称" in message


@pytest.mark.parametrize("tag,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_markdown_template_is_refused(example, tmp_path, tag, expected):
    source = outline_to_markdown(OUTLINES["fj2018"]) + "\n" + tag + "\n"
    message = refused(example, tmp_path, md_template(tmp_path, source), fmt="md")
    assert expected in message


def test_not_a_word_file(example, tmp_path):
    bad = tmp_path / "模板.docx"
    bad.write_bytes(b"not a zip")
    assert "不是有效的 Word 文档" in refused(example, tmp_path, bad)


def test_missing_template(example, tmp_path):
    assert "找不到报告模板" in refused(example, tmp_path, tmp_path / "没有.docx")


def test_an_office_can_reword_in_word(example, tmp_path):
    """Wording edited in Word, a field used directly, styles kept: the office's text appears."""
    doc = Document(str(TEMPLATES / "report_fj2018.docx"))
    for p in doc.paragraphs:
        if p.text == "三、项目绩效分析":
            p.runs[0].text = "三、绩效分析"
    doc.add_paragraph("本项目年度资金使用率为{{ funds.rate }}，自评得分{{ total.points }}分。")
    path = tmp_path / "改写.docx"
    doc.save(str(path))
    evaluation, results = example
    out = write_report(evaluation, results, tmp_path / "报告.docx", template=path, charts=False)
    text = docx_text(out)
    assert "三、绩效分析" in text and "三、项目绩效分析" not in text
    assert "本项目年度资金使用率为59.93%，自评得分94.84分。" in text


def test_text_is_escaped_not_interpreted(example, tmp_path):
    """User text with XML and jinja characters arrives as text (autoescape)."""
    evaluation, results = example
    evaluation = __import__("copy").deepcopy(evaluation)
    evaluation.measures = ["<w:p>加强 & 改进 {{ title }}</w:p>"]
    out = write_report(evaluation, results, tmp_path / "报告.docx", charts=False)
    assert "<w:p>加强 & 改进 {{ title }}</w:p>" in docx_text(out)


@pytest.mark.parametrize("profile_id", sorted(OUTLINES))
def test_shipped_markdown_templates_are_what_the_builder_makes(profile_id):
    shipped = (TEMPLATES / f"report_{profile_id}.md.j2").read_text(encoding="utf-8")
    assert shipped == outline_to_markdown(OUTLINES[profile_id])


def test_a_template_made_elsewhere_gets_chinese_language_settings(example, tmp_path):
    """python-docx's own default declares ja-JP; the report switches it to zh-CN."""
    from reporthelpers import part

    doc = Document()
    doc.add_paragraph("{{ title.text }}")
    doc.add_paragraph("{%p for p in problems %}")
    doc.add_paragraph("{{ p }}")
    doc.add_paragraph("{%p endfor %}")
    path = tmp_path / "空白.docx"
    doc.save(str(path))
    evaluation, results = example
    out = write_report(evaluation, results, tmp_path / "报告.docx", template=path, charts=False)
    assert 'w:eastAsia="zh-CN"' in part(out, "word/settings.xml")
    assert "ja-JP" not in part(out, "word/settings.xml")
    assert docx_text(out).startswith("宁德市数字宁德建设办公室关于2018年度")
