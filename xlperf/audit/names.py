"""Matching indicator names across a report and a workbook.

Character bigrams, weighted by how rare each bigram is among the candidate names (a bigram that
every name shares, such as 门户/网站, says little), compared with a weighted Dice coefficient.
"""

from __future__ import annotations

import math
import re

_NOISE = re.compile(r"[\s，。、；：:,.（）()“”\"'《》【】\-—–_/\\]+")


def grams(name: str) -> set[str]:
    s = _NOISE.sub("", name or "")
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def similarity(a: str, b: str, weight=None) -> float:
    ga, gb = grams(a), grams(b)
    if not ga or not gb:
        return 0.0
    w = weight or (lambda g: 1.0)
    inter = sum(w(g) for g in ga & gb)
    return 2 * inter / (sum(w(g) for g in ga) + sum(w(g) for g in gb))


def best_match(names: list[str], candidates: list[str], threshold: float = 0.3) -> int | None:
    """Index of the candidate most like any of ``names``; None below the threshold or on a tie."""
    df: dict[str, int] = {}
    for c in set(candidates):
        for g in grams(c):
            df[g] = df.get(g, 0) + 1
    n = max(len(set(candidates)), 1)

    def weight(g: str) -> float:
        return math.log((n + 1) / (df.get(g, 0) + 0.5)) + 0.1

    scored = sorted(((max(similarity(x, c, weight) for x in names if x), i) for i, c in enumerate(candidates)),
                    reverse=True)
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.02 and candidates[scored[1][1]] != candidates[scored[0][1]]:
        return None
    return scored[0][1]
