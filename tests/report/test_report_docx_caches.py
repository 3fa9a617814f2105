"""The per-process shortcuts of the Word adapter change nothing: same bytes as docxtpl and python-docx alone.

``render_docx`` parses a template once and copies it, remembers docxtpl's tag repair,
skips passes that have nothing to do and writes the zip itself. Here the same
context goes through stock ``DocxTemplate.render`` + ``save`` + ``deterministic_zip``
(the pipeline before the shortcuts), cold and warm, and the bytes must be equal.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile

import pytest
from docx import Document

from xlperf.report import docx, package, report_profile, templating
from xlperf.report.context import build_context
from xlperf.report.style import TEMPLATES


def stock(context: dict, template) -> bytes:
    """docxtpl and python-docx as they come, with xlperf's own steps around them."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.init_docx()
    data = dict(context)
    data["figures"] = docx._figures(tpl, context)
    tpl.render(data, templating.environment(autoescape=True))
    docx._tidy(tpl.docx, context)
    out = io.BytesIO()
    tpl.save(out)
    with zipfile.ZipFile(out) as saved:
        members = [(i.filename, saved.read(i.filename)) for i in saved.infolist()]
    return package.zipfile_members(members, docx._stamp(context))


def cold() -> None:
    for cache in (docx._SOURCES, docx._MASTERS, docx._PATCHED, docx._CHECKED, package._DEFLATED):
        cache.clear()


def office_template(tmp_path):
    """Made elsewhere: a tag in the footer, a table docxtpl has to repair, a line break in a paragraph."""
    doc = Document()
    doc.add_paragraph("{{ title.text }}")
    doc.add_paragraph("第一行\n第二行")
    table = doc.add_table(rows=2, cols=3)
    for row in table.rows:  # three grid columns, two cells a row
        row._tr.remove(row._tr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc")[-1])
    table.rows[0].cells[0].text = "{{ total.points }}"
    doc.add_paragraph("{%p if figures.scores %}")
    doc.add_paragraph("{{ figures.scores.image }}")
    doc.add_paragraph("{%p endif %}")
    doc.sections[0].footer.paragraphs[0].text = "{{ project.unit }}"
    doc.core_properties.comments = "{{ project.name }}"
    path = tmp_path / "单位.docx"
    doc.save(str(path))
    return path


@pytest.fixture(params=["shipped", "office"])
def template(request, tmp_path):
    return TEMPLATES / "report_fj2018.docx" if request.param == "shipped" else office_template(tmp_path)


def test_same_bytes_as_docxtpl_cold_and_warm(example, template):
    evaluation, results = example
    context = build_context(evaluation, results, report_profile(evaluation, results))
    expected = stock(context, template)
    cold()
    assert docx.render_docx(context, template) == expected
    assert docx.render_docx(context, template) == expected  # warm: copied template, remembered parts
    assert docx.render_docx(context, template, charts=False) != expected


def test_office_template_was_really_repaired_and_rendered(example, tmp_path):
    evaluation, results = example
    context = build_context(evaluation, results, report_profile(evaluation, results))
    data = docx.render_docx(context, office_template(tmp_path))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        core = z.read("docProps/core.xml").decode()
    assert body.count("<w:gridCol ") == 2  # docxtpl dropped the grid column no row fills
    assert any(evaluation.project.unit in f for f in footers)
    assert evaluation.project.name in core
    assert "word/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_a_changed_template_file_is_read_again(example, tmp_path):
    evaluation, results = example
    context = build_context(evaluation, results, report_profile(evaluation, results))
    path = tmp_path / "模板.docx"
    doc = Document()
    doc.add_paragraph("第一版{{ total.points }}")
    doc.save(str(path))
    first = docx.render_docx(context, path)
    doc = Document()
    doc.add_paragraph("第二版，共{{ total.weight }}分，得{{ total.points }}分")
    doc.save(str(path))
    second = docx.render_docx(context, path)
    text = zipfile.ZipFile(io.BytesIO(second)).read("word/document.xml").decode()
    assert first != second and "第二版" in text and "第一版" not in text


@pytest.mark.parametrize("when", [_dt.datetime(2024, 1, 1), _dt.datetime(2022, 3, 15, 13, 45, 59), _dt.datetime(1970, 5, 6)])
def test_zip_writer_matches_zipfile_byte_for_byte(when):
    for path in sorted(TEMPLATES.glob("*.docx")):
        with zipfile.ZipFile(path) as z:
            members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
        members.append(("word/图表.xml", "中文".encode() * 50))
        members.append(("empty", b""))
        written = package.write_members(members, when)
        assert written == package.zipfile_members(members, when)
        assert package.write_members(members, when) == written  # from the deflate cache: the same
        with zipfile.ZipFile(io.BytesIO(written)) as z:
            assert z.testzip() is None
            assert [(i.filename, z.read(i.filename)) for i in z.infolist()] == members
