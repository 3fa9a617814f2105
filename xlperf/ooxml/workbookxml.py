"""Edits to package-level XML: ``calcPr`` in workbook.xml, and dropping calcChain.xml."""

from __future__ import annotations

import re

from xlperf.ooxml.sheetscan import attr_list, attr_value, set_attr

_ATTRS = rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?workbook(?=[\s>])")
# CT_Workbook children that follow calcPr, in schema order.
_AFTER_CALC_PR = (b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr", b"smartTagTypes",
                  b"webPublishing", b"fileRecoveryPr", b"webPublishObjects", b"extLst")
_BEFORE_CALC_PR = (b"definedNames", b"externalReferences", b"functionGroups", b"sheets")

CALC_CHAIN_TYPE = b"calcChain"


def full_calc_on_load(xml: bytes) -> bytes:
    """workbook.xml with ``<calcPr fullCalcOnLoad="1"/>``, changing nothing else.

    An existing calcPr keeps its other attributes; a missing one is inserted where
    the schema puts it (after definedNames, before oleSize … extLst).
    """
    root = _ROOT.search(xml)
    prefix = (root[1] + b":") if root and root[1] else b""
    p = re.escape(prefix)
    calc = re.compile(rb"<" + p + rb"calcPr(?=[\s/>])(" + _ATTRS + rb")>").search(xml)
    if calc is not None:
        if attr_value(attr_list(calc[1]), b"fullCalcOnLoad") in ("1", "true"):
            return xml
        return xml[:calc.start()] + set_attr(calc[0], b"fullCalcOnLoad", "1") + xml[calc.end():]
    element = b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>'
    position = _insertion_point(xml, p)
    return xml[:position] + element + xml[position:]


def _insertion_point(xml: bytes, p: bytes) -> int:
    after_start = 0
    for name in _BEFORE_CALC_PR:
        end = re.compile(rb"</" + p + name + rb"\s*>|<" + p + name + rb"(?=[\s/])(" + _ATTRS + rb")>")
        found = [m.end() for m in end.finditer(xml) if m[1] is None or m[1].endswith(b"/")]
        if found:
            after_start = max(found)
            break
    following = re.compile(rb"<" + p + rb"(?:" + b"|".join(_AFTER_CALC_PR) + rb")(?=[\s/>])")
    match = following.search(xml, after_start)
    if match:
        return match.start()
    return re.compile(rb"</" + p + rb"workbook\s*>").search(xml, after_start).start()


def without_element(xml: bytes, tag: bytes, attr: bytes, predicate) -> bytes:
    """``xml`` minus each empty ``<tag …/>`` whose attribute ``attr`` satisfies ``predicate``."""
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + tag + rb"(?=[\s/])(" + _ATTRS + rb")>")

    def keep(match: re.Match[bytes]) -> bytes:
        if not match[1].endswith(b"/"):
            return match[0]
        value = attr_value(attr_list(match[1][:-1]), attr)
        return b"" if value is not None and predicate(value) else match[0]

    return pattern.sub(keep, xml)
