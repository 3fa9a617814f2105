"""xlperf.ooxml.vba: the macro workbook checked with readers other than the writers.

The writers are pyOpenVBA (vbaProject.bin) and XlsxWriter (package, buttons). The
readers are oletools (olevba, olefile), LibreOffice over UNO, openpyxl, and the
Excel-made parts of xlwings' quickstart_standalone.xlsm and of XlsxWriter's
button07.xlsm comparison test.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from xlperf.errors import MissingDependency
from xlperf.ooxml import vba

xlsxwriter = pytest.importorskip("xlsxwriter")
xlwings_spec = pytest.importorskip("xlwings")
olevba = pytest.importorskip("oletools.olevba")
olefile = pytest.importorskip("olefile")

REPO = Path(__file__).resolve().parents[2]
XLWINGS_DIR = Path(xlwings_spec.__file__).parent
QUICKSTART = XLWINGS_DIR / "quickstart_standalone.xlsm"

BUTTONS = [("H2", "Score", "评分"), ("H4", "Check", "校验"), ("H6", "ExportReport", "生成报告")]
INTERPRETER = r"%LOCALAPPDATA%\xlperf\python.exe"
FIRST_SHEET = "绩效自评"
EXPECTED_MODULES = {
    "ThisWorkbook": "cls",
    "Sheet1": "cls",
    "Sheet2": "cls",
    "xlwings": "bas",
    "Dictionary": "cls",
    "xlperf": "bas",
}
EXCEL_EXTRA_MESSAGE = '需要安装 Excel 支持：pip install "xlperf[excel]"'

NS = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "x": "urn:schemas-microsoft-com:office:excel",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
PREFIX = {uri: prefix for prefix, uri in NS.items() if prefix in ("v", "o", "x")}


# ---------------------------------------------------------------------------
# The workbook under test
# ---------------------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(FIRST_SHEET)
    sheet.write("A1", "项目名称")
    vba.add_macros(book, sheet, BUTTONS)
    # Added after add_macros on purpose: its document module (Sheet2) must still be in the project.
    vba.add_xlwings_conf_sheet(book, INTERPRETER)
    book.close()
    return path


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workbook(tmp_path_factory.mktemp("xlsm") / "绩效自评 (1).xlsm")


def read_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def parse_part(path: Path, name: str) -> ET.Element:
    return ET.fromstring(read_part(path, name))


def class_stream_form(exported: str) -> str:
    """What the VBE stores for an imported .cls, written out by hand.

    Drop the VERSION/BEGIN/END preamble, put VB_Base after VB_Name, and
    VB_TemplateDerived / VB_Customizable after VB_Exposed.
    """
    lines = exported.splitlines(keepends=True)
    assert lines[0].startswith("VERSION 1.0 CLASS") and lines[3] == "END\r\n"
    lines = lines[4:]
    assert lines[0] == 'Attribute VB_Name = "Dictionary"\r\n'
    lines.insert(1, 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n')
    exposed = lines.index("Attribute VB_Exposed = True\r\n")
    lines[exposed + 1:exposed + 1] = ["Attribute VB_TemplateDerived = False\r\n", "Attribute VB_Customizable = False\r\n"]
    return "".join(lines)


def olevba_modules(data_or_path: bytes | Path) -> dict[str, tuple[str, str]]:
    """olevba's view: module file name -> (stream path, decoded source)."""
    if isinstance(data_or_path, Path):
        parser = olevba.VBA_Parser(str(data_or_path))
    else:
        parser = olevba.VBA_Parser("vbaProject.bin", data=data_or_path)
    try:
        return {name: (stream, code) for _, stream, name, code in parser.extract_macros()}
    finally:
        parser.close()


# ---------------------------------------------------------------------------
# Module sources
# ---------------------------------------------------------------------------


def test_xlperf_bas_is_ascii_crlf_and_hard_codes_the_module() -> None:
    raw = (REPO / "macros" / "xlperf.bas").read_bytes()
    raw.decode("ascii")
    assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends with CRLF, as the VBE exports"
    assert raw.endswith(b"End Sub\r\n")
    text = raw.decode("ascii")
    assert text.startswith('Attribute VB_Name = "xlperf"\r\n')
    assert "\r\nOption Explicit\r\n" in text
    for sub, function in (("Score", "score"), ("Check", "check"), ("ExportReport", "export_report")):
        assert f'\r\nPublic Sub {sub}()\r\n    RunPython "import xlperf.excel; xlperf.excel.{function}()"\r\nEnd Sub\r\n' in text
    code = [line for line in text.split("\r\n") if line.strip() and not line.lstrip().startswith("'")]
    assert not [line for line in code if "ThisWorkbook.Name" in line], "no module name derived from the workbook name"


def test_xlperf_bas_runs_and_passes_the_exact_command() -> None:
    """pyOpenVBA's VBA interpreter, with RunPython stubbed, runs each button's Sub."""
    interpreter_module = pytest.importorskip("pyopenvba.interpreter")
    vm = interpreter_module.Interpreter()
    vm.add_module(
        "Option Explicit\r\nPublic LastCommand As String\r\n"
        "Public Function RunPython(PythonCommand As String)\r\n    LastCommand = PythonCommand\r\nEnd Function\r\n"
        "Public Function Last() As String\r\n    Last = LastCommand\r\nEnd Function\r\n",
        name="xlwings",
    )
    vm.add_module(vba.xlperf_bas(), name="xlperf")
    for sub, function in (("Score", "score"), ("Check", "check"), ("ExportReport", "export_report")):
        vm.run(sub, [])
        assert str(vm.run("Last", [])) == f"import xlperf.excel; xlperf.excel.{function}()"


def test_packaged_copy_is_byte_identical() -> None:
    source = (REPO / "macros" / "xlperf.bas").read_bytes()
    assert (REPO / "xlperf" / "macros" / "xlperf.bas").read_bytes() == source
    assert vba.xlperf_bas().encode("ascii") == source


def test_xlwings_bas_is_the_installed_file() -> None:
    installed = (XLWINGS_DIR / "xlwings.bas").read_bytes()
    assert vba.xlwings_bas().encode("cp1252") == installed
    version = importlib.metadata.version("xlwings")
    assert f"'Version: {version}\r\n" in vba.xlwings_bas()
    assert vba.xlwings_dictionary_cls().encode("cp1252") == (XLWINGS_DIR / "addin" / "Dictionary.cls").read_bytes()


def test_import_is_lazy_and_missing_xlwings_is_reported(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import json, sys
        import xlperf.ooxml.vba as vba
        loaded = sorted(name for name in ("xlwings", "pyopenvba", "xlsxwriter") if name in sys.modules)
        for name in ("xlwings", "pyopenvba"):
            sys.modules[name] = None          # as if not installed
        from xlperf.errors import MissingDependency
        result = {"loaded": loaded, "xlperf_bas": vba.xlperf_bas().split("\\r\\n")[0]}
        for call in ("xlwings_bas", "default_modules"):
            try:
                getattr(vba, call)()
            except MissingDependency as error:
                result[call] = [str(error), isinstance(error, ImportError)]
        try:
            vba.build_vba_project({"Module2": ""})
        except MissingDependency as error:
            result["build_vba_project"] = [str(error), isinstance(error, ImportError)]
        print(json.dumps(result, ensure_ascii=True))
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["loaded"] == []
    assert result["xlperf_bas"] == 'Attribute VB_Name = "xlperf"'
    for call in ("xlwings_bas", "default_modules", "build_vba_project"):
        assert result[call] == [EXCEL_EXTRA_MESSAGE, True]


# ---------------------------------------------------------------------------
# vbaProject.bin, read by oletools
# ---------------------------------------------------------------------------


def test_olevba_decodes_every_module_byte_identical(xlsm: Path) -> None:
    modules = olevba_modules(xlsm)
    assert set(modules) == {f"{name}.{ext}" for name, ext in EXPECTED_MODULES.items()}
    assert {stream for stream, _ in modules.values()} == {f"VBA/{name}" for name in EXPECTED_MODULES}
    # olevba returns the whole stream source, Attribute lines included, CRLF kept:
    # compared exactly, no normalisation at all.
    assert modules["xlwings.bas"][1].encode("cp1252") == (XLWINGS_DIR / "xlwings.bas").read_bytes()
    assert modules["xlperf.bas"][1].encode("cp1252") == (REPO / "macros" / "xlperf.bas").read_bytes()
    assert modules["Dictionary.cls"][1] == class_stream_form(vba.xlwings_dictionary_cls())


def test_modules_match_the_excel_saved_quickstart(xlsm: Path) -> None:
    ours = olevba_modules(xlsm)
    excel = olevba_modules(QUICKSTART)
    # Document modules: identical to the ones in xlwings' Excel-saved workbook.
    for name in ("ThisWorkbook.cls", "Sheet1.cls", "Sheet2.cls"):
        assert ours[name][1] == excel[name][1]
    # Dictionary: identical but for the VBE's project-wide identifier casing (err / Err).
    assert ours["Dictionary.cls"][1] != excel["Dictionary.cls"][1]
    assert ours["Dictionary.cls"][1].casefold() == excel["Dictionary.cls"][1].casefold()


def test_no_stomping_and_no_pcode(xlsm: Path) -> None:
    parser = olevba.VBA_Parser(str(xlsm))
    try:
        assert parser.detect_vba_macros()
        assert parser.detect_vba_stomping() is False
    finally:
        parser.close()
    ole = olefile.OleFileIO(read_part(xlsm, "xl/vbaProject.bin"))
    try:
        for name in EXPECTED_MODULES:
            stream = ole.openstream(f"VBA/{name}").read()
            # MODULEOFFSET 0: the whole stream is one compressed container (no PerformanceCache).
            assert stream[0] == 0x01
            olevba.decompress_stream(bytearray(stream)).decode("cp1252")
    finally:
        ole.close()


def test_vba_project_stream_is_the_source_only_stub(xlsm: Path) -> None:
    ole = olefile.OleFileIO(read_part(xlsm, "xl/vbaProject.bin"))
    try:
        assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")
        assert not [entry for entry in ole.listdir() if entry[-1].startswith("__SRP_")]
        project = ole.openstream("PROJECT").read().decode("cp1252")
    finally:
        ole.close()
    declared = re.findall(r"^(Document|Module|Class)=(\w+)", project, re.MULTILINE)
    assert declared == [
        ("Document", "ThisWorkbook"),
        ("Document", "Sheet1"),
        ("Document", "Sheet2"),
        ("Module", "xlwings"),
        ("Class", "Dictionary"),
        ("Module", "xlperf"),
    ]


# ---------------------------------------------------------------------------
# Package parts, compared with Excel-made references
# ---------------------------------------------------------------------------


def content_type(path: Path, part: str) -> str | None:
    types = parse_part(path, "[Content_Types].xml")
    for override in types.findall("ct:Override", NS):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    extension = PurePosixPath(part).suffix[1:]
    for default in types.findall("ct:Default", NS):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


def relationship_types(path: Path, rels: str) -> dict[str, str]:
    return {rel.get("Target"): rel.get("Type") for rel in parse_part(path, rels).findall("rel:Relationship", NS)}


def sheet_code_names(path: Path) -> dict[str, str | None]:
    workbook = parse_part(path, "xl/workbook.xml")
    by_id = {rel.get("Id"): rel.get("Target") for rel in parse_part(path, "xl/_rels/workbook.xml.rels")}
    names = {}
    for sheet in workbook.find("main:sheets", NS):
        part = "xl/" + by_id[sheet.get(f"{{{NS['r']}}}id")]
        pr = parse_part(path, part).find("main:sheetPr", NS)
        names[sheet.get("name")] = None if pr is None else pr.get("codeName")
    return names


def test_vba_parts_match_quickstart_standalone(xlsm: Path) -> None:
    vba_type = "application/vnd.ms-office.vbaProject"
    main_type = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    vba_rel = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    for path in (QUICKSTART, xlsm):
        assert content_type(path, "xl/vbaProject.bin") == vba_type
        assert content_type(path, "xl/workbook.xml") == main_type
        assert relationship_types(path, "xl/_rels/workbook.xml.rels")["vbaProject.bin"] == vba_rel
        assert parse_part(path, "xl/workbook.xml").find("main:workbookPr", NS).get("codeName") == "ThisWorkbook"
    assert sheet_code_names(QUICKSTART) == {"Sheet1": "Sheet1", "_xlwings.conf": "Sheet2"}
    assert sheet_code_names(xlsm) == {FIRST_SHEET: "Sheet1", "xlwings.conf": "Sheet2"}


#: Placeholder for the fields that depend on position, order and macro.
ANY = "*"
#: (tag, attribute) -> how to normalise it; the text of these tags is volatile too.
VOLATILE_ATTRIBUTES = {("v:shape", "id"): ANY}
VOLATILE_TEXT = {"x:Anchor", "x:FmlaMacro", "font"}
VOLATILE_STYLE = {"margin-left", "margin-top", "width", "height", "z-index"}


def prefixed(name: str) -> str:
    if name.startswith("{"):
        uri, local = name[1:].split("}")
        return f"{PREFIX[uri]}:{local}"
    return name


def skeleton(element: ET.Element) -> tuple:
    """The one normaliser: (tag, attributes, text, children) with volatile fields as ``*``."""
    tag = prefixed(element.tag)
    attributes = {}
    for name, value in element.attrib.items():
        name = prefixed(name)
        if (tag, name) in VOLATILE_ATTRIBUTES:
            value = VOLATILE_ATTRIBUTES[(tag, name)]
        elif tag == "v:shape" and name == "style":
            pairs = [item.split(":", 1) for item in value.split(";")]
            value = ";".join(f"{key}:{ANY if key in VOLATILE_STYLE else val}" for key, val in pairs)
        attributes[name] = value
    text = (element.text or "").strip()
    if tag in VOLATILE_TEXT:
        text = ANY
    return tag, attributes, text, tuple(skeleton(child) for child in element)


def expected_vml_skeleton(buttons: int) -> tuple:
    """Written by hand from XlsxWriter's tests: test_vml02.py (its button VML), which
    test_button07.py holds equal, after XlsxWriter's own _vml_to_list normalisation, to
    the VML of Excel's button07.xlsm (a Form Control button running a macro)."""
    shape = (
        "v:shape",
        {
            "id": ANY,
            "type": "#_x0000_t201",
            "style": "position:absolute;margin-left:*;margin-top:*;width:*;height:*;z-index:*;mso-wrap-style:tight",
            "o:button": "t",
            "fillcolor": "buttonFace [67]",
            "strokecolor": "windowText [64]",
            "o:insetmode": "auto",
        },
        "",
        (
            ("v:fill", {"color2": "buttonFace [67]", "o:detectmouseclick": "t"}, "", ()),
            ("o:lock", {"v:ext": "edit", "rotation": "t"}, "", ()),
            (
                "v:textbox",
                {"style": "mso-direction-alt:auto", "o:singleclick": "f"},
                "",
                (("div", {"style": "text-align:center"}, "", (("font", {"face": "Calibri", "size": "220", "color": "#000000"}, ANY, ()),)),),
            ),
            (
                "x:ClientData",
                {"ObjectType": "Button"},
                "",
                (
                    ("x:Anchor", {}, ANY, ()),
                    ("x:PrintObject", {}, "False", ()),
                    ("x:AutoFill", {}, "False", ()),
                    ("x:FmlaMacro", {}, ANY, ()),
                    ("x:TextHAlign", {}, "Center", ()),
                    ("x:TextVAlign", {}, "Center", ()),
                ),
            ),
        ),
    )
    return (
        "xml",
        {},
        "",
        (
            ("o:shapelayout", {"v:ext": "edit"}, "", (("o:idmap", {"v:ext": "edit", "data": "1"}, "", ()),)),
            (
                "v:shapetype",
                {"id": "_x0000_t201", "coordsize": "21600,21600", "o:spt": "201", "path": "m,l,21600r21600,l21600,xe"},
                "",
                (
                    ("v:stroke", {"joinstyle": "miter"}, "", ()),
                    ("v:path", {"shadowok": "f", "o:extrusionok": "f", "strokeok": "f", "fillok": "f", "o:connecttype": "rect"}, "", ()),
                    ("o:lock", {"v:ext": "edit", "shapetype": "t"}, "", ()),
                ),
            ),
            *[shape] * buttons,
        ),
    )


def button_vml(path: Path) -> ET.Element:
    sheet = parse_part(path, "xl/worksheets/sheet1.xml")
    legacy = sheet.find("main:legacyDrawing", NS)
    assert legacy is not None
    rels = {rel.get("Id"): rel.get("Target") for rel in parse_part(path, "xl/worksheets/_rels/sheet1.xml.rels")}
    target = PurePosixPath("xl/worksheets") / rels[legacy.get(f"{{{NS['r']}}}id")]
    return parse_part(path, os.path.normpath(str(target)).replace(os.sep, "/"))


def test_button_vml_has_the_excel_skeleton(xlsm: Path) -> None:
    vml = button_vml(xlsm)
    assert skeleton(vml) == expected_vml_skeleton(len(BUTTONS))
    shapes = vml.findall("v:shape", NS)
    ids = [shape.get("id") for shape in shapes]
    assert len(set(ids)) == len(ids)
    for shape, (cell, macro, caption) in zip(shapes, BUTTONS, strict=True):
        assert shape.find("x:ClientData/x:FmlaMacro", NS).text == f"[0]!{macro}"
        assert "".join(shape.find("v:textbox/div/font", NS).itertext()) == caption
        col, _, row = [int(n) for n in shape.find("x:ClientData/x:Anchor", NS).text.split(",")][:3]
        column, number = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()
        assert (col, row) == (ord(column) - ord("A"), int(number) - 1)


def test_conf_sheet_keys_are_the_ones_xlwings_reads(xlsm: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(xlsm, read_only=True)
    try:
        rows = [tuple(row) for row in book["xlwings.conf"].iter_rows(values_only=True)]
    finally:
        book.close()
    assert rows == [
        ("INTERPRETER_WIN", INTERPRETER),
        ("INTERPRETER_MAC", None),
        ("PYTHONPATH", None),
        ("CONDA PATH", None),
        ("CONDA ENV", None),
        ("UDF MODULES", None),
        ("DEBUG UDFS", False),
        ("USE UDF SERVER", False),
        ("SHOW CONSOLE", False),
        ("ADD_WORKBOOK_TO_PYTHONPATH", "True"),
    ]
    source = vba.xlwings_bas()
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in source and 'Public Const PROJECT_NAME As String = "xlwings"' in source
    for key, _ in rows:
        assert f'GetConfig("{key}"' in source, key


def test_conf_sheet_defaults_and_extra(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "conf.xlsx"))
    sheet = vba.add_xlwings_conf_sheet(book, extra={"interpreter_mac": "/usr/bin/python3", "LICENSE_KEY": "x"})
    book.close()
    assert sheet.name == "xlwings.conf"
    openpyxl = pytest.importorskip("openpyxl")
    values = dict(openpyxl.load_workbook(tmp_path / "conf.xlsx")["xlwings.conf"].iter_rows(values_only=True))
    assert values["INTERPRETER_WIN"] == sys.executable
    assert values["INTERPRETER_MAC"] == "/usr/bin/python3"
    assert list(values)[-1] == "LICENSE_KEY"


# ---------------------------------------------------------------------------
# API behaviour
# ---------------------------------------------------------------------------


def test_in_memory_workbook_gets_every_document_module() -> None:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    first = book.add_worksheet()
    vba.add_macros(book, first, BUTTONS[:1])
    book.add_worksheet("Data")
    book.add_worksheet("More")
    book.close()
    with zipfile.ZipFile(output) as package:
        modules = olevba_modules(package.read("xl/vbaProject.bin"))
    assert {"Sheet1.cls", "Sheet2.cls", "Sheet3.cls", "ThisWorkbook.cls"} <= set(modules)


def test_bad_input_is_refused(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "wrong.xlsx"))
    sheet = book.add_worksheet()
    with pytest.raises(ValueError, match=r"\.xlsm"):
        vba.add_macros(book, sheet, BUTTONS)
    book = xlsxwriter.Workbook(str(tmp_path / "right.xlsm"))
    first, second = book.add_worksheet(), book.add_worksheet()
    with pytest.raises(ValueError, match="first sheet"):
        vba.add_macros(book, second, BUTTONS)
    with pytest.raises(ValueError, match="Public Sub"):
        vba.add_macros(book, first, [("A1", "SampleCall", "x")])
    assert book.vba_project is None
    with pytest.raises(ValueError, match="code page"):
        vba.build_vba_project({"Module2": 'Attribute VB_Name = "Module2"\r\nSub A()\r\n    MsgBox "评分"\r\nEnd Sub\r\n'})
    with pytest.raises(ValueError, match="VB_Name"):
        vba.build_vba_project({"Module2": 'Attribute VB_Name = "Module3"\r\n'})
    with pytest.raises(ValueError, match="document module"):
        vba.build_vba_project({"Sheet1": "Sub A()\r\nEnd Sub\r\n"})


def test_lf_source_is_stored_with_crlf() -> None:
    data = vba.build_vba_project({"Module2": 'Attribute VB_Name = "Module2"\nSub A()\nEnd Sub\n'})
    assert olevba_modules(data)["Module2.bas"][1] == 'Attribute VB_Name = "Module2"\r\nSub A()\r\nEnd Sub\r\n'


# ---------------------------------------------------------------------------
# LibreOffice over UNO
# ---------------------------------------------------------------------------

UNO_PROBE = r'''
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue

port, path = int(sys.argv[1]), sys.argv[2]
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
deadline = time.monotonic() + 30
while True:
    try:
        ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.2)

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

smgr = ctx.ServiceManager
config = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
scripting = config.createInstanceWithArguments(
    "com.sun.star.configuration.ConfigurationAccess",
    (prop("nodepath", "/org.openoffice.Office.Common/Security/Scripting"),))
desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
# MacroExecutionMode 0 = NEVER_EXECUTE: reading the Basic library runs nothing.
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                   (prop("Hidden", True), prop("MacroExecutionMode", 0)))
result = {"macro_security_level": scripting.getByName("MacroSecurityLevel"), "libraries": {}}
libraries = doc.BasicLibraries
result["vba_mode"] = libraries.VBACompatibilityMode
for name in libraries.getElementNames():
    libraries.loadLibrary(name)
    library = libraries.getByName(name)
    result["libraries"][name] = {
        module: {"source": library.getByName(module),
                 "type": library.getModuleInfo(module).ModuleType if library.hasModuleInfo(module) else None}
        for module in library.getElementNames()}
sheets = doc.Sheets
result["sheets"] = [[sheets.getByIndex(i).Name, sheets.getByIndex(i).CodeName] for i in range(sheets.Count)]
page = sheets.getByIndex(0).DrawPage
result["shapes"] = [page.getByIndex(i).ShapeType for i in range(page.Count)]
result["controls"] = []
for f in range(page.Forms.Count):
    form = page.Forms.getByIndex(f)
    for i in range(form.Count):
        control = form.getByIndex(i)
        result["controls"].append({
            "form": form.Name, "name": control.Name, "label": control.Label,
            "model": control.getImplementationName(),
            "events": [[e.ListenerType, e.EventMethod, e.ScriptType, e.ScriptCode] for e in form.getScriptEvents(i)]})
doc.close(True)
print(json.dumps(result, ensure_ascii=True))
'''

REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""

UNO_PYTHON = "/usr/bin/python3"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """End the soffice we started: its launcher and children share its process group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def libreoffice(xlsm: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    probe = folder / "probe.py"
    probe.write_text(UNO_PROBE, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        done = subprocess.run([UNO_PYTHON, str(probe), str(port), str(xlsm)],
                              capture_output=True, text=True, timeout=50)
    finally:
        stop(process)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.libreoffice
def test_libreoffice_reads_the_vba_project(libreoffice: dict) -> None:
    assert libreoffice["macro_security_level"] == 3
    assert libreoffice["vba_mode"] is True
    library = libreoffice["libraries"]["VBAProject"]
    assert set(library) == set(EXPECTED_MODULES)
    # com.sun.star.script.ModuleType: NORMAL 1, CLASS 2, DOCUMENT 4.
    types = {name: module["type"] for name, module in library.items()}
    assert types == {"ThisWorkbook": 4, "Sheet1": 4, "Sheet2": 4, "xlwings": 1, "Dictionary": 2, "xlperf": 1}
    xlperf = library["xlperf"]["source"]
    assert xlperf.startswith("Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\n")
    for sub in ("Score", "Check", "ExportReport"):
        assert f"\nPublic Sub {sub}()\n" in xlperf
    assert "Public Function RunPython(PythonCommand As String)" in library["xlwings"]["source"]
    assert "Option ClassModule" in library["Dictionary"]["source"]
    assert libreoffice["sheets"] == [[FIRST_SHEET, "Sheet1"], ["xlwings.conf", "Sheet2"]]


@pytest.mark.libreoffice
def test_libreoffice_binds_each_button_to_its_macro(libreoffice: dict) -> None:
    assert libreoffice["shapes"] == ["com.sun.star.drawing.ControlShape"] * len(BUTTONS)
    controls = libreoffice["controls"]
    assert [control["label"] for control in controls] == [caption for _, _, caption in BUTTONS]
    for control, (_, macro, _) in zip(controls, BUTTONS, strict=True):
        assert control["model"] == "com.sun.star.form.OButtonModel"
        assert control["events"] == [[
            "XActionListener", "actionPerformed", "Script",
            f"vnd.sun.star.script:VBAProject.xlperf.{macro}?language=Basic&location=document",
        ]]
