"""The VBA side of the macro-enabled workbook: modules, ``vbaProject.bin`` and buttons.

Who does what (versions pinned in ``pyproject.toml``):

- **pyOpenVBA 6.5.0** builds ``vbaProject.bin``. ``ExcelFile.add_vba_project``
  starts from the project Excel wrote for a blank workbook (``ThisWorkbook``,
  ``Sheet1``; its ``Module1`` is dropped) and gives every further sheet the
  document module Excel would give it. Our modules are added as source text.
- We then make the whole project *source-only*: every module stream, the
  document modules included, holds compressed source at MODULEOFFSET 0, and the
  ``_VBA_PROJECT`` stream becomes the 7-byte stub of [MS-OVBA] 2.3.4.1 (Version
  0xFFFF, no PerformanceCache), so Excel ignores all caches and compiles from
  source. pyOpenVBA alone keeps Version 0x00B5 with a zeroed cache.
- **XlsxWriter 3.3.1** writes the package around it: macro-enabled content
  types, the vbaProject relationship, ``codeName`` attributes and the Form
  Control buttons (Excel 2007-style VML, ``x:FmlaMacro`` ``[0]!Score``).
- **xlwings** supplies ``xlwings.bas`` (``RunPython``) and ``Dictionary.cls``
  (``Scripting.Dictionary`` stand-in for macOS), read from the installed
  package so the VBA and Python halves always have the same version.

xlwings and pyOpenVBA are the optional ``excel`` extra: they are imported only
when needed, so importing this module works without them.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from xlperf.errors import MissingDependency

__all__ = [
    "BUTTON_HEIGHT",
    "BUTTON_WIDTH",
    "DOCUMENT_MODULES",
    "VBA_PROJECT_STUB",
    "XLWINGS_CONF_SHEET",
    "add_macros",
    "add_xlwings_conf_sheet",
    "build_vba_project",
    "default_modules",
    "xlperf_bas",
    "xlwings_bas",
    "xlwings_dictionary_cls",
]

#: [MS-OVBA] 2.3.4.1 as written: Reserved1 0x61CC, Version 0xFFFF ("MUST be 0xFFFF on
#: write"), Reserved2 0x00, Reserved3 0x0000 (undefined, ignored), no PerformanceCache
#: ("MUST NOT be present on write"). EPPlus and LibreOffice write these 7 bytes; the
#: spec's example and xlwings' quickstart_standalone.xlsm have Reserved3 0x0001.
VBA_PROJECT_STUB = b"\xcc\x61\xff\xff\x00\x00\x00"

#: The document modules of the workbook and of its first sheet, as XlsxWriter names them.
DOCUMENT_MODULES = ("ThisWorkbook", "Sheet1")

#: xlwings reads its settings from a sheet of exactly this name (xlwings.bas GetConfigFromSheet).
XLWINGS_CONF_SHEET = "xlwings.conf"

#: Default button size in pixels (XlsxWriter's unit): room for four Chinese characters.
BUTTON_WIDTH = 96
BUTTON_HEIGHT = 32

_EXCEL_EXTRA = '需要安装 Excel 支持：pip install "xlperf[excel]"'
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]*)"', re.MULTILINE)
_CLASS_PREAMBLE = re.compile(r"VERSION [0-9.]+ CLASS\r?\n")
#: A Sub a button can run: public (the default) and without parameters.
_PUBLIC_SUB = re.compile(r"^[ \t]*(?:Public[ \t]+)?Sub[ \t]+([A-Za-z][A-Za-z0-9_]*)[ \t]*\([ \t]*\)", re.MULTILINE | re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n|\r|\n")


# ---------------------------------------------------------------------------
# Module sources
# ---------------------------------------------------------------------------


def _xlwings_dir() -> Path:
    """The installed xlwings package folder, found without importing xlwings."""
    try:
        spec = importlib.util.find_spec("xlwings")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependency(_EXCEL_EXTRA)
    return Path(next(iter(spec.submodule_search_locations)))


def _read_text(path: Path) -> str:
    # Bytes, not text mode: CRLF must survive, and the VBA files are ASCII.
    try:
        return path.read_bytes().decode("cp1252")
    except FileNotFoundError:
        raise MissingDependency(_EXCEL_EXTRA) from None


def xlwings_bas() -> str:
    """``xlwings.bas`` (the standalone ``xlwings`` VBA module) of the installed xlwings, CRLF as shipped."""
    return _read_text(_xlwings_dir() / "xlwings.bas")


def xlwings_dictionary_cls() -> str:
    """``Dictionary.cls`` of the installed xlwings: the class module its standalone flavour needs on macOS.

    Returned in VBE export form (``VERSION 1.0 CLASS`` preamble); ``build_vba_project`` stores
    it as a class module in stream form.
    """
    return _read_text(_xlwings_dir() / "addin" / "Dictionary.cls")


def xlperf_bas() -> str:
    """The packaged ``xlperf`` VBA module (a copy of ``macros/xlperf.bas``), CRLF as exported by the VBE."""
    return resources.files("xlperf").joinpath("macros", "xlperf.bas").read_bytes().decode("ascii")


def default_modules() -> dict[str, str]:
    """The modules every xlperf workbook carries: ``xlwings``, ``Dictionary`` (class) and ``xlperf``."""
    return {"xlwings": xlwings_bas(), "Dictionary": xlwings_dictionary_cls(), "xlperf": xlperf_bas()}


# ---------------------------------------------------------------------------
# vbaProject.bin
# ---------------------------------------------------------------------------


def _pyopenvba() -> Any:
    try:
        import pyopenvba
    except ImportError:
        raise MissingDependency(_EXCEL_EXTRA) from None
    return pyopenvba


def _is_class(source: str) -> bool:
    return _CLASS_PREAMBLE.match(source) is not None


def _class_stream_form(text: str) -> str:
    """A class module's text as the VBE stores it on import of a ``.cls`` file.

    The ``VERSION``/``BEGIN``/``END`` preamble goes, ``VB_Base`` follows ``VB_Name``
    (pyOpenVBA's ``normalize_class_source`` does both), and ``VB_TemplateDerived`` and
    ``VB_Customizable`` follow ``VB_Exposed`` as in the Dictionary module Excel saved
    in xlwings' quickstart_standalone.xlsm.
    """
    from pyopenvba.vba import normalize_class_source, split_attribute_header

    text = normalize_class_source(text)
    header, body = split_attribute_header(text)
    lines = header.splitlines(keepends=True)
    names = [line.split("=", 1)[0].strip() for line in lines]
    for name in ("Attribute VB_Customizable", "Attribute VB_TemplateDerived"):
        if name not in names and "Attribute VB_Exposed" in names:
            lines.insert(names.index("Attribute VB_Exposed") + 1, f"{name} = False\r\n")
            names = [line.split("=", 1)[0].strip() for line in lines]
    return "".join(lines) + body


def _check_modules(modules: Mapping[str, str], sheets: Sequence[str], code_page: str) -> dict[str, str]:
    """The modules with CRLF line endings, after checking names and encoding."""
    taken = {name.casefold() for name in ("ThisWorkbook", *sheets)}
    checked: dict[str, str] = {}
    for name, source in modules.items():
        if not _IDENTIFIER.match(name):
            raise ValueError(f"VBA module name {name!r} is not an ASCII identifier of at most 31 characters.")
        if name.casefold() in taken:
            raise ValueError(f"VBA module name {name!r} is used twice or is a document module.")
        taken.add(name.casefold())
        text = _NEWLINE.sub("\r\n", source)
        declared = _VB_NAME.search(text)
        if declared is not None and declared.group(1) != name:
            raise ValueError(f"VBA module {name!r} declares Attribute VB_Name = {declared.group(1)!r}.")
        try:
            text.encode(code_page)
        except UnicodeEncodeError as error:
            line = text.count("\r\n", 0, error.start) + 1
            raise ValueError(
                f"VBA module {name!r} line {line}: {text[error.start]!r} is not in the project's code page "
                f"({code_page}); keep VBA source ASCII and put Chinese text in the sheet."
            ) from None
        checked[name] = text
    return checked


def _write_shell(path: Path, sheets: Sequence[str]) -> None:
    """A macro-free workbook whose workbook and sheets carry the given code names."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    book.set_vba_name("ThisWorkbook")
    for code_name in sheets:
        book.add_worksheet().set_vba_name(code_name)
    book.close()


def build_vba_project(modules: Mapping[str, str], *, sheets: Sequence[str] = ("Sheet1",)) -> bytes:
    """A source-only ``vbaProject.bin`` holding ``modules`` beside the document modules.

    ``modules`` maps a module name to its text as the VBE exports it: a standard module
    (``.bas``), or a class module when the text starts with ``VERSION 1.0 CLASS`` (``.cls``).
    Line endings become CRLF; the text must fit the project code page (1252).

    ``sheets`` are the code names of the workbook's worksheets in sheet order; each gets
    a document module, as Excel gives one to every sheet. ``ThisWorkbook`` and ``Sheet1``
    are those of Excel's own blank project.
    """
    pyopenvba = _pyopenvba()
    from pyopenvba.cfb import CFB

    sheets = tuple(sheets)
    if not sheets:
        raise ValueError("A workbook has at least one sheet.")
    for code_name in sheets:
        if not _IDENTIFIER.match(code_name):
            raise ValueError(f"Sheet code name {code_name!r} is not an ASCII identifier of at most 31 characters.")
    if len({name.casefold() for name in ("ThisWorkbook", *sheets)}) != len(sheets) + 1:
        raise ValueError(f"Sheet code names are not unique: {sheets!r}.")

    with tempfile.TemporaryDirectory(prefix="xlperf-vba-") as folder:
        shell, built = Path(folder) / "shell.xlsm", Path(folder) / "built.xlsm"
        _write_shell(shell, sheets)
        with pyopenvba.ExcelFile(shell) as book:
            project = book.add_vba_project()
            checked = _check_modules(modules, sheets, pyopenvba.vba.encoding_for_codepage(project.code_page))
            # Rewrite the document modules too, so that no module keeps Excel's compiled p-code.
            for module in list(project.modules):
                book.set_module(module.name, module.source)
            for name, text in checked.items():
                if _is_class(text):
                    project.add_module(name, _class_stream_form(text), kind=pyopenvba.VBAModuleKind.other)
                else:
                    project.add_module(name, text, kind=pyopenvba.VBAModuleKind.standard)
            book.save(built)
        with zipfile.ZipFile(built) as package:
            raw = package.read("xl/vbaProject.bin")

    cfb = CFB.from_bytes(raw)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STUB)
    data = cfb.to_bytes()
    _verify(data, ("ThisWorkbook", *sheets, *checked))
    return data


def _verify(data: bytes, names: Sequence[str]) -> None:
    """Read the project back: every module present, source-only, and the stub in place."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import parse_vba_project

    cfb = CFB.from_bytes(data)
    project = parse_vba_project(cfb)
    found = [module.name for module in project.modules]
    problems = []
    if sorted(found) != sorted(names):
        problems.append(f"modules {found!r}, expected {list(names)!r}")
    problems += [f"{m.name} keeps {m.text_offset} bytes of p-code" for m in project.modules if m.text_offset]
    if cfb.get_stream_in_storage("VBA", "_VBA_PROJECT") != VBA_PROJECT_STUB:
        problems.append("_VBA_PROJECT is not the source-only stub")
    if problems:
        raise RuntimeError("pyOpenVBA wrote an unexpected vbaProject.bin: " + "; ".join(problems))


# ---------------------------------------------------------------------------
# XlsxWriter
# ---------------------------------------------------------------------------


def _sheet_code_names(workbook: Any) -> tuple[str, ...]:
    """Each sheet's code name, defaulting as XlsxWriter defaults it at close."""
    names = []
    for sheet in workbook.worksheets():
        if getattr(sheet, "is_chartsheet", False):
            raise ValueError(f"Chart sheet {sheet.name!r}: a macro workbook with chart sheets is not supported.")
        names.append(sheet.vba_codename or f"Sheet{sheet.index + 1}")
    return tuple(names)


class _VBAProjectStream(io.BytesIO):
    """The ``vbaProject.bin`` handed to XlsxWriter, rebuilt at close if the sheets changed.

    Excel gives every sheet a document module, and XlsxWriter gives every sheet a
    ``codeName`` once there is a project, so the project has to cover the sheets added
    after ``add_macros`` too (the ``xlwings.conf`` sheet, say). XlsxWriter 3.3.1 reads
    the stream with ``getvalue()`` in both file and in-memory mode, after setting the
    code names.
    """

    def __init__(self, workbook: Any, modules: Mapping[str, str]) -> None:
        super().__init__()
        self._workbook = workbook
        self._modules = dict(modules)
        self._sheets: tuple[str, ...] | None = None
        self.refresh()

    def refresh(self) -> bytes:
        sheets = _sheet_code_names(self._workbook)
        if sheets != self._sheets:
            data = build_vba_project(self._modules, sheets=sheets)
            self.seek(0)
            self.truncate()
            self.write(data)
            self.seek(0)
            self._sheets = sheets
        return super().getvalue()

    def getvalue(self) -> bytes:  # type: ignore[override]
        return self.refresh()


def _public_subs(modules: Mapping[str, str]) -> dict[str, list[str]]:
    """Public Sub name (case-folded) -> the standard modules declaring it."""
    found: dict[str, list[str]] = {}
    for name, source in modules.items():
        if _is_class(source):
            continue
        for line in _PUBLIC_SUB.finditer(source):
            found.setdefault(line.group(1).casefold(), []).append(name)
    return found


def _check_macro(macro: str, subs: Mapping[str, list[str]], modules: Mapping[str, str]) -> None:
    module, _, sub = macro.rpartition(".")
    if module and module not in modules:
        raise ValueError(f"Button macro {macro!r}: there is no module {module!r}.")
    declared = subs.get(sub.casefold(), [])
    if module:
        declared = [each for each in declared if each == module]
    if not declared:
        raise ValueError(f"Button macro {macro!r} is not a Public Sub without parameters in the VBA modules.")
    if len(declared) > 1:
        raise ValueError(f"Button macro {macro!r} is declared in {declared!r}: qualify it as Module.Sub.")


def add_macros(
    workbook: Any,
    worksheet: Any,
    buttons: Sequence[tuple[str, str, str]],
    *,
    modules: Mapping[str, str] | None = None,
    width: int = BUTTON_WIDTH,
    height: int = BUTTON_HEIGHT,
) -> None:
    """Give an XlsxWriter ``workbook`` its VBA project and put macro buttons on ``worksheet``.

    ``buttons`` are ``(cell, macro, caption)``, e.g. ``("H2", "Score", "评分")``; the
    caption may be Chinese (it goes into the VML, UTF-8), the macro is a Public Sub
    of ``modules`` (default :func:`default_modules`). ``workbook`` must have been
    opened with a ``.xlsm`` file name and ``worksheet`` must be its first sheet
    (``Sheet1``). Sheets added later get their document modules when the workbook
    closes. Width and height are in pixels.
    """
    modules = default_modules() if modules is None else dict(modules)
    filename = getattr(workbook, "filename", None)
    if isinstance(filename, (str, Path)) and not str(filename).lower().endswith(".xlsm"):
        raise ValueError(f"A workbook with macros must be saved as .xlsm, not {Path(filename).name!r}.")
    sheets = workbook.worksheets()
    if not sheets or worksheet is not sheets[0]:
        raise ValueError("The buttons go on the workbook's first sheet (document module Sheet1).")
    subs = _public_subs(modules)
    for _, macro, _ in buttons:
        _check_macro(macro, subs, modules)

    workbook.set_vba_name(DOCUMENT_MODULES[0])
    worksheet.set_vba_name(DOCUMENT_MODULES[1])
    workbook.add_vba_project(_VBAProjectStream(workbook, modules), is_stream=True)
    for cell, macro, caption in buttons:
        options = {"macro": macro, "caption": caption, "width": width, "height": height}
        if worksheet.insert_button(cell, options) != 0:
            raise ValueError(f"Cannot put a button at {cell!r}.")


def add_xlwings_conf_sheet(
    workbook: Any,
    interpreter: str | None = None,
    extra: Mapping[str, str | bool | int | float | None] | None = None,
) -> Any:
    """Add the ``xlwings.conf`` sheet: keys in column A, values in column B, from row 1.

    xlwings upper-cases the keys and reads them down to the first blank key; a value
    there wins over ``xlwings.conf`` files (an empty value too). ``INTERPRETER_WIN`` is
    ``interpreter``, by default ``sys.executable`` (the Python running this command).
    ``extra`` adds keys or replaces the value of a default one. Returns the worksheet.

    ``DEBUG UDFS``, ``USE UDF SERVER`` and ``SHOW CONSOLE`` are Boolean cells, as in
    xlwings' quickstart: the VBA compares them with ``True``. ``ADD_WORKBOOK_TO_PYTHONPATH``
    is the text ``True``: the VBA reads it into a String, and an implicit Boolean-to-String
    conversion follows the Windows language, while the Python side tests for "true".
    """
    settings: dict[str, str | bool | int | float | None] = {
        "INTERPRETER_WIN": sys.executable if interpreter is None else interpreter,
        "INTERPRETER_MAC": "",
        "PYTHONPATH": "",
        "CONDA PATH": "",
        "CONDA ENV": "",
        "UDF MODULES": "",
        "DEBUG UDFS": False,
        "USE UDF SERVER": False,
        "SHOW CONSOLE": False,
        "ADD_WORKBOOK_TO_PYTHONPATH": "True",
    }
    keys = {key.upper(): key for key in settings}
    for key, value in (extra or {}).items():
        if not key.strip():
            raise ValueError("An xlwings setting needs a key: a blank key ends the list.")
        settings[keys.setdefault(key.upper(), key)] = value

    sheet = workbook.add_worksheet(XLWINGS_CONF_SHEET)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 60)
    for row, (key, value) in enumerate(settings.items()):
        sheet.write_string(row, 0, key)
        if isinstance(value, bool):
            sheet.write_boolean(row, 1, value)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, 1, value)
        elif value:
            sheet.write_string(row, 1, str(value))
    return sheet
