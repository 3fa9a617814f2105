"""A1-style cell references, and guarding user text against formula injection.

Rows and columns are 1-based.  ``patch_workbook`` writes text as inline strings
(``t="inlineStr"``), which Excel never evaluates, so text starting with ``=`` is
stored as typed there; ``safe_text`` is for writers whose target may evaluate it
(Excel over COM, CSV files opened in Excel).
"""

from __future__ import annotations

import re

MAX_ROW = 1_048_576
MAX_COL = 16_384  # XFD

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def col_letter(n: int) -> str:
    """1 → 'A', 28 → 'AB'."""
    if not 1 <= n <= MAX_COL:
        raise ValueError(f"column {n} outside 1..{MAX_COL}")
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def col_index(letters: str) -> int:
    """'AB' → 28 (case-insensitive)."""
    if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3:
        raise ValueError(f"not a column: {letters!r}")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    if n > MAX_COL:
        raise ValueError(f"column {letters!r} beyond XFD")
    return n


def ref(row: int, col: int) -> str:
    """(3, 2) → 'B3'."""
    if not 1 <= row <= MAX_ROW:
        raise ValueError(f"row {row} outside 1..{MAX_ROW}")
    return f"{col_letter(col)}{row}"


def parse_ref(text: str) -> tuple[int, int]:
    """'B3' (or '$B$3', 'b3') → (3, 2)."""
    match = _REF.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a cell reference: {text!r}")
    row, col = int(match[2]), col_index(match[1])
    if not 1 <= row <= MAX_ROW:
        raise ValueError(f"row {row} outside 1..{MAX_ROW}")
    return row, col


def parse_range(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """'A1:C3' → ((1, 1), (3, 3)); a single cell 'B2' → ((2, 2), (2, 2)); corners normalised."""
    first, _, last = text.partition(":")
    (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
    return (min(r1, r2), min(c1, c2)), (max(r1, r2), max(c1, c2))


def safe_text(text: str, prefix: str = "'") -> str:
    """Prefix text that a spreadsheet would read as a formula (``= + - @``, tab, CR).

    Excel hides a leading apostrophe typed into a cell, so the default keeps the
    visible text unchanged there while stopping evaluation.
    """
    return prefix + text if text.startswith(_FORMULA_TRIGGERS) else text
