"""Parsing XML from user files without entity expansion or external fetches."""

from __future__ import annotations

import xml.parsers.expat
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree

UNSAFE_XML_MESSAGE = "文件包含不安全的 XML 内容（实体扩展）"


class UnsafeXml(Exception):
    """The XML declares entities or a DTD; OOXML parts never need either."""


class BadXml(Exception):
    """The XML is not well-formed."""


def parse(data: bytes) -> Element:
    """Parse ``data`` with defusedxml, refusing DTDs and entity declarations."""
    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeXml(str(exc)) from None
    except ParseError as exc:
        raise BadXml(str(exc)) from None


def check_well_formed(data: bytes) -> None:
    """Raise BadXml or UnsafeXml unless ``data`` is a well-formed, DTD-free document.

    Uses bare expat with no content handlers, so it costs a fraction of building a tree.
    """

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


def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]
