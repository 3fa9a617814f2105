"""What a profile file may contain, and where in its TOML text a key sits.

``unknown_keys`` names each key the program does not know, with the nearest known one
(「“weigth”不是可用的设置项，是否应为“weight”？」); ``line_of`` finds the line of a key
inside the n-th ``[[categories]]`` (or any table), so messages point to the line to edit.
"""

from __future__ import annotations

import difflib
import re

# table → the keys it may hold (None: any key, e.g. [goals] maps 一级 names to lists)
TOP = {
    "id", "name", "title", "source", "version", "framework", "total", "execution", "reverse", "qualitative",
    "not_applicable", "rounding", "checks", "grades", "categories", "goals", "items", "units", "monitoring", "form",
}
TABLES: dict[str, set[str] | None] = {
    "execution": {"weight", "basis", "rule"},
    "reverse": {"variant"},
    "qualitative": {"lower_cut"},
    "not_applicable": {"mode"},
    "rounding": {"places", "order"},
    "checks": {"deviation_rate", "over_completion"},
    "grades": {"min", "label"},
    "categories": {"name", "weight", "subcategories", "subweights", "indicator_weight"},
    "items": {"level1", "level2", "name", "weight", "criterion", "rule", "source", "target", "actual", "situation", "claimed_score", "reason", "not_applicable"},
    "units": {"measure_words"},
    "form": {"nature", "unit", "weights", "blocks"},
    "goals": None,
    "monitoring": None,  # read and checked by xlperf.stages.rules
}


def _near(key: str, known: set[str]) -> str:
    found = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return f"，是否应为“{found[0]}”？" if found else f"；可用的有：{'、'.join(sorted(known))}"


def unknown_keys(data: dict) -> list[tuple[str, str | None, int | None, str]]:
    """(key, table, index in an array of tables, message) for each key the program does not know."""
    found = []
    for key, value in data.items():
        if key not in TOP:
            found.append((key, None, None, f"未知的项“{key}”{_near(key, TOP)}"))
            continue
        known = TABLES.get(key)
        if known is None:
            continue
        tables = value if isinstance(value, list) else [value]
        for i, table in enumerate(tables):
            if not isinstance(table, dict):
                continue
            for inner in table:
                if inner not in known:
                    where = f"[[{key}]] 第{i + 1}项" if isinstance(value, list) else f"[{key}]"
                    found.append((inner, key, i if isinstance(value, list) else None, f"{where}中未知的项“{inner}”{_near(inner, known)}"))
    return found


_HEADER = re.compile(r"^\s*\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def line_of(text: str, key: str | None, table: str | None = None, index: int | None = None) -> int | None:
    """The 1-based line of ``key`` in ``table`` (its ``index``-th occurrence for ``[[table]]``); the table's header line if the key is not written."""
    current: str | None = None
    seen: dict[str, int] = {}
    header_line = None
    for number, line in enumerate(text.splitlines(), 1):
        bare = line.strip()
        if not bare or bare.startswith("#"):
            continue
        match = _HEADER.match(bare)
        if match:
            current = match.group(2)
            seen[current] = seen.get(current, -1) + 1
            if current == table and (index is None or seen[current] == index):
                header_line = number
            continue
        if current != table or (table is not None and index is not None and seen.get(current) != index):
            continue
        if key is not None and re.match(rf'^"?{re.escape(key)}"?\s*=', bare):
            return number
    return header_line


def where(text: str, key: str | None, table: str | None = None, index: int | None = None) -> str | None:
    number = line_of(text, key, table, index) if text else None
    return f"第{number}行" if number else None
