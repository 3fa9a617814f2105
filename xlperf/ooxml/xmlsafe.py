"""Parsing XML from user files without entity expansion or external fetches."""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Collection
from typing import NamedTuple
from xml.etree.ElementTree import Element, TreeBuilder

UNSAFE_XML_MESSAGE = "文件包含不安全的 XML 内容（实体扩展）"


class UnsafeXml(Exception):
    """The XML declares entities or a DTD; OOXML parts never need either."""


class BadXml(Exception):
    """The XML is not well-formed."""


def _refuse(*_args: object) -> None:
    raise UnsafeXml("DTD or entity declaration")


def _parser() -> xml.parsers.expat.XMLParserType:
    """An expat parser (ElementTree's namespace handling) that stops at any DTD or entity declaration.

    The same guard as ``defusedxml.ElementTree.fromstring(data, forbid_dtd=True)``: the
    parser refuses at the start of any ``<!DOCTYPE`` (so no entity can be declared, let
    alone expanded or fetched), with entity-declaration and external-reference handlers
    that refuse as a second line.
    """
    parser = xml.parsers.expat.ParserCreate(None, "}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    parser.buffer_text = True
    parser.ordered_attributes = True
    return parser


def _run(parser: xml.parsers.expat.XMLParserType, data: bytes) -> None:
    try:
        parser.Parse(data, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise BadXml(str(exc)) from None
    except (LookupError, UnicodeError) as exc:  # an encoding Python does not know (``UTFm8``), or bytes it cannot decode
        raise BadXml(f"XML 声明的编码无法识别（{exc}）") from None


def _namer():
    """ElementTree's names for expat's: ``ns}name`` → ``{ns}name``, memoised per document."""
    names: dict[str, str] = {}

    def fix(key: str) -> str:
        try:
            return names[key]
        except KeyError:
            name = names[key] = "{" + key if "}" in key else key
            return name

    return fix


def parse(data: bytes) -> Element:
    """Parse ``data`` into an Element tree, refusing DTDs and entity declarations (see ``_parser``).

    The tree is built by the C TreeBuilder, named as ElementTree names it, rather than by
    defusedxml's pure-Python parser, which costs several times more.
    """
    builder = TreeBuilder()
    fix = _namer()
    start, end = builder.start, builder.end

    def on_start(tag: str, attrs: list[str]) -> None:
        attrib = {}
        for i in range(0, len(attrs), 2):
            attrib[fix(attrs[i])] = attrs[i + 1]
        start(fix(tag), attrib)

    parser = _parser()
    parser.StartElementHandler = on_start
    parser.EndElementHandler = lambda tag: end(fix(tag))
    parser.CharacterDataHandler = builder.data
    _run(parser, data)
    return builder.close()


class Item(NamedTuple):
    """One element as ``items`` reports it."""

    name: str  # local name, without namespace
    attrib: dict[str, str]  # as Element.attrib: ``{namespace}name`` keys
    text: str | None  # as Element.text: the text before the first child, None if there is none


def items(data: bytes, *, depth: int | None = None, names: Collection[str] | None = None) -> list[Item]:
    """The elements of ``data`` that a caller would pick out of ``parse(data)``, without building the tree.

    ``depth`` keeps only the elements at that depth (0: the root, 1: its children, what
    iterating the root gives), ``names`` only those with these local names (``iter()``
    filtered by name); both: both. The document is checked whole, as safely as ``parse``
    does, and raises the same BadXml and UnsafeXml.
    """
    found: list[Item] = []
    fix = _namer()
    level = 0
    text: list[str] | None = None  # the text of the element last kept, until its first child or its end
    kept: int = -1

    def on_start(tag: str, attrs: list[str]) -> None:
        nonlocal level, text, kept
        if text is not None:
            _close()
        if (depth is None or level == depth) and (names is None or tag.rpartition("}")[2] in names):
            attrib = {}
            for i in range(0, len(attrs), 2):
                attrib[fix(attrs[i])] = attrs[i + 1]
            found.append(Item(tag.rpartition("}")[2], attrib, None))
            kept, text = len(found) - 1, []
        level += 1

    def on_end(_tag: str) -> None:
        nonlocal level
        if text is not None:
            _close()
        level -= 1

    def on_data(data: str) -> None:
        if text is not None:
            text.append(data)

    def _close() -> None:
        nonlocal text
        if text:
            found[kept] = found[kept]._replace(text="".join(text))
        text = None

    parser = _parser()
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_data
    _run(parser, data)
    return found


_CHECKED: dict[bytes, None] = {}  # parts found well-formed lately: the gate and score's sheet scan ask for the same bytes
_CHECKED_MAX = 16


def check_well_formed(data: bytes) -> None:
    """Raise BadXml or UnsafeXml unless ``data`` is a well-formed, DTD-free document.

    Uses bare expat with no content handlers, so it costs a fraction of building a tree.
    """
    if data in _CHECKED:
        return
    _check_well_formed(data)
    if len(_CHECKED) >= _CHECKED_MAX:
        _CHECKED.pop(next(iter(_CHECKED)))
    _CHECKED[data] = None


def _check_well_formed(data: bytes) -> None:

    def refuse(*_args: object) -> None:
        raise UnsafeXml("DTD or entity declaration")

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise BadXml(str(exc)) from None
    except (LookupError, UnicodeError) as exc:
        raise BadXml(f"XML 声明的编码无法识别（{exc}）") from None


def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]
