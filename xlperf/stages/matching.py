"""Which row of one stage is which row of another: indicators matched by name.

Rows match on (一级, 二级, 三级) with whitespace removed; a row whose 一级/二级 were
retyped still matches on its 三级 name when that name is unique on both sides.
"""

from __future__ import annotations

import re

from xlperf.lines import text

_SPACE = re.compile(r"\s+")


def norm(raw) -> str:
    return _SPACE.sub("", text(raw))


def key(record) -> tuple[str, str, str]:
    return norm(record.level1), norm(record.level2), norm(record.name)


def match(left: list, right: list) -> dict[int, int]:
    """Map indices of ``left`` to indices of ``right`` for the rows that are the same indicator."""
    by_key: dict[tuple, list[int]] = {}
    for j, record in enumerate(right):
        by_key.setdefault(key(record), []).append(j)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, record in enumerate(left):
        for j in by_key.get(key(record), []):
            if j not in used:
                pairs[i] = j
                used.add(j)
                break
    left_names: dict[str, list[int]] = {}
    right_names: dict[str, list[int]] = {}
    for i, record in enumerate(left):
        if i not in pairs and norm(record.name):
            left_names.setdefault(norm(record.name), []).append(i)
    for j, record in enumerate(right):
        if j not in used and norm(record.name):
            right_names.setdefault(norm(record.name), []).append(j)
    for name, ids in left_names.items():
        other = right_names.get(name, [])
        if len(ids) == 1 and len(other) == 1:
            pairs[ids[0]] = other[0]
    return pairs
