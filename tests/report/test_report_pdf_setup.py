"""How a conversion is prepared, without running LibreOffice: fonts, grid, profile."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from xlperf.report.pdf import for_libreoffice, profile_xcu, replacements
from xlperf.report.style import TEMPLATES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_missing_report_fonts_map_to_installed_chinese_fonts():
    pairs = dict(replacements({"Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans CJK JP"}))
    assert pairs["仿宋_GB2312"] == "Noto Serif CJK SC"
    assert pairs["黑体"] == "Noto Sans CJK SC"
    assert pairs["方正小标宋简体"] == "Noto Serif CJK SC"
    assert "黑体" not in dict(replacements({"黑体", "Noto Sans CJK SC"}))  # installed: left alone
    assert replacements(None) == []  # no fontconfig (Windows): LibreOffice's own fallback


def test_profile_is_well_formed_and_escapes_names():
    root = etree.fromstring(profile_xcu([("仿宋_GB2312", "A & B <C>")]).encode("utf-8"))
    values = [v.text for v in root.iter("value")]
    assert "仿宋_GB2312" in values and "A & B <C>" in values


def test_libreoffice_copy_keeps_the_line_pitch_but_drops_the_negative_char_space():
    data = (TEMPLATES / "report_fj2018.docx").read_bytes()
    patched = for_libreoffice(data)
    document = zipfile.ZipFile(io.BytesIO(patched)).read("word/document.xml").decode("utf-8")
    grid = etree.fromstring(document.encode("utf-8")).find(".//" + W + "docGrid")
    assert dict(grid.attrib) == {W + "type": "lines", W + "linePitch": "579"}
    original = zipfile.ZipFile(io.BytesIO(data))
    assert [i.filename for i in zipfile.ZipFile(io.BytesIO(patched)).infolist()] == [i.filename for i in original.infolist()]
