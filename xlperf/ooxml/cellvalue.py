"""Values xlperf writes into cells, and their SpreadsheetML form (type attribute + children)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

MAX_TEXT = 32_767  # Excel's limit for the text in one cell
MAX_FORMULA = 8_192

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads _xHHHH_ inside strings as an escaped character; a literal one needs _x005F_.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_MAX_DOUBLE = Decimal("1.7976931348623157e308")

Scalar = Union[bool, int, float, Decimal, str]


@dataclass(frozen=True)
class Formula:
    """A formula (without or with its leading ``=``) and the value Excel should show until it recalculates."""

    text: str
    cached: Scalar | None = None


CellValue = Union[None, Scalar, Formula]


class CellValueError(ValueError):
    """A value that cannot be stored in a cell; ``str()`` is a Chinese explanation."""


def number_text(value: int | float | Decimal) -> str:
    """Shortest plain decimal text of a number: no exponent, no trailing zeros."""
    if isinstance(value, bool):
        raise TypeError("bool is not a number here")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellValueError(f"数值 {value} 不是有限数，Excel 无法保存")
        number = Decimal(repr(value))
    else:
        if not value.is_finite():
            raise CellValueError(f"数值 {value} 不是有限数，Excel 无法保存")
        number = value
    if abs(number) > _MAX_DOUBLE:
        raise CellValueError(f"数值 {value} 超出 Excel 能保存的范围")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def clean_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry, make line breaks ``\\n``, protect literal ``_xHHHH_``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ILLEGAL_XML.sub("", text)
    return _EXCEL_ESCAPE.sub(r"_x005F_\1", text)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _string_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise CellValueError(f"文本长 {len(text)} 个字符，超过 Excel 单元格上限 {MAX_TEXT}")
    return escape(clean_text(text))


def _scalar(value: Scalar, p: str, string_type: str) -> tuple[str | None, str]:
    if isinstance(value, bool):
        return "b", f"<{p}v>{int(value)}</{p}v>"
    if isinstance(value, (int, float, Decimal)):
        return None, f"<{p}v>{number_text(value)}</{p}v>"
    if isinstance(value, str):
        if string_type == "str":
            return "str", f"<{p}v>{_string_text(value)}</{p}v>"
        return "inlineStr", f'<{p}is><{p}t xml:space="preserve">{_string_text(value)}</{p}t></{p}is>'
    raise TypeError(f"cannot write {type(value).__name__} into a cell")


def cell_content(value: CellValue, prefix: str = "") -> tuple[str | None, str]:
    """The ``t`` attribute (None = numeric/absent) and the child elements for ``value``.

    ``prefix`` is the namespace prefix with its colon (``"x:"``) when the sheet uses one.
    ``None`` gives no children: the cell stays, empty, with its style.
    """
    if value is None:
        return None, ""
    if isinstance(value, Formula):
        text = value.text[1:] if value.text.startswith("=") else value.text
        text = _ILLEGAL_XML.sub("", text)
        if not text.strip():
            raise CellValueError("公式为空")
        if len(text) > MAX_FORMULA:
            raise CellValueError(f"公式长 {len(text)} 个字符，超过 Excel 上限 {MAX_FORMULA}")
        formula = f"<{prefix}f>{escape(text)}</{prefix}f>"
        if value.cached is None:
            return None, formula
        kind, cached = _scalar(value.cached, prefix, "str")
        return kind, formula + cached
    return _scalar(value, prefix, "inlineStr")
