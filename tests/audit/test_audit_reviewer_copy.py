"""The reviewer's copy: a Word comment at each finding, kept by LibreOffice when it opens the file."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from audithelpers import SEED

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _comments(docx_path) -> list[str]:
    from docx import Document

    doc = Document(str(docx_path))
    return [c.text for c in doc.comments]


def _anchored_text(docx_path) -> list[str]:
    """The text each comment range covers, from document.xml."""
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode("utf-8")
    out = []
    for m in re.finditer(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>', xml, re.S):
        out.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", m.group(2))))
    return out


def test_comment_at_each_finding_on_a_word_report(reports, tmp_path):
    from test_audit_mutations import mutate_docx

    from xlperf.audit import audit_file
    from xlperf.audit.comments import write_reviewer_copy

    changed = tmp_path / "报告.docx"
    mutate_docx(reports[("cz2020", "docx")], changed, "actual")
    before = changed.read_bytes()
    findings = audit_file(changed)[2]
    assert findings
    out = write_reviewer_copy(changed, findings, tmp_path / "审核稿.docx")
    comments = _comments(out)
    assert len(comments) == len(findings)
    for finding, comment in zip(findings, comments):
        assert finding.message in comment and comment.startswith(f"【{finding.severity.label}】")
    anchored = _anchored_text(out)
    assert any("10267亩" in a for a in anchored), anchored  # the comment sits on the changed figure
    assert changed.read_bytes() == before  # the report itself is untouched
    # the copy keeps the report: same paragraphs
    from xlperf.audit import read_narrative

    assert [p.text for p in read_narrative(out)] == [p.text for p in read_narrative(changed)]


def test_reviewer_copy_never_overwrites_the_report(reports, tmp_path):
    from xlperf.audit.comments import write_reviewer_copy
    from xlperf.errors import XlperfError

    src = tmp_path / "r.docx"
    shutil.copy(reports[("ningde", "docx")], src)
    with pytest.raises(XlperfError):
        write_reviewer_copy(src, [], src)
    with pytest.raises(XlperfError):
        write_reviewer_copy(src, [], tmp_path / "r.pdf")


@pytest.mark.skipif(not SEED.is_file(), reason="seed report not present")
def test_text_report_becomes_a_commented_word_copy(tmp_path):
    from xlperf.audit import audit_file
    from xlperf.audit.comments import write_reviewer_copy

    findings = audit_file(SEED)[2]
    out = write_reviewer_copy(SEED, findings, tmp_path / "审核稿.docx")
    assert len(_comments(out)) == len(findings)
    anchored = _anchored_text(out)
    assert "192场" in " ".join(anchored) and "节约能源资金113.79万元" in " ".join(anchored)


def _pdf_annotations(pdf: bytes) -> list[str]:
    """Contents of the PDF's text annotations (what LibreOffice exports for Word comments)."""
    out = []
    for m in re.finditer(rb"/Subtype\s*/Text\b.*?/Contents\s*(<[0-9A-Fa-f\s]+>|\((?:\\.|[^\\)])*\))", pdf, re.S):
        raw = m.group(1)
        if raw.startswith(b"<"):
            data = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode())
            out.append(data.decode("utf-16-be").lstrip("\ufeff") if data[:2] == b"\xfe\xff" else data.decode("latin-1"))
        else:
            out.append(raw[1:-1].decode("latin-1"))
    return out


@pytest.mark.libreoffice
@pytest.mark.skipif(not SEED.is_file(), reason="seed report not present")
def test_libreoffice_opens_the_copy_and_shows_the_comments(tmp_path):
    """LibreOffice converts the reviewer's copy to PDF with comments exported; every finding is there."""
    from xlperf.audit import audit_file
    from xlperf.audit.comments import write_reviewer_copy
    from xlperf.report.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    findings = audit_file(SEED)[2]
    out = write_reviewer_copy(SEED, findings, tmp_path / "审核稿.docx")
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run([soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--convert-to", export,
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "审核稿.pdf"
    annotations = _pdf_annotations(pdf.read_bytes())
    assert len(annotations) == len(findings)
    for finding in findings:
        assert any(finding.message in a for a in annotations), finding.message
    body = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "192" in body and "162" in body  # the report text itself is there too
