"""The one canonical form of a raw cell or JSON value, shared by every adapter (workbook, forms, JSON).

Blank or whitespace-only text → None; a float with no fraction → int; Decimal → int or float;
``YYYY-MM-DD`` text → date (unless ``dates`` is False). No file format lives here.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

MAX_INT = 2**53  # larger integers do not survive a cell (a double)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def canonical(value: Any, dates: bool = True) -> Any:
    """The one form of a raw value both JSON and the workbook reader use.

    Blank or whitespace-only text → None; a float with no fraction → int;
    Decimal → int or float; ``YYYY-MM-DD`` text → date (unless ``dates`` is
    False: fields that are always text); anything else unchanged.
    """
    if isinstance(value, str):
        if not value.strip():
            return None
        if dates and len(value) == 10 and _ISO_DATE.fullmatch(value):
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        value = float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_INT:
        return int(value)
    return value
