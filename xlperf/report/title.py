"""The report title in lines, broken between words as GB/T 9704-2012 7.3.1 asks.

「标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当」: the title is built from known
parts (unit, 关于, year, project name, 项目支出的, 绩效自评报告), so the places where a line may
end are known without a word segmenter: between parts, and inside a long project name only
after the words such names are made of (年度, 工程, 项目, 经费, 资金 …) or its punctuation. Of the
ways to lay the parts on lines no wider than the 版心 (2号: 20 characters), the one with the
fewest lines wins, then the most even lengths, then the one whose lines grow shorter from the
top (the usual 梯形/菱形 of a 公文 title). The unit stands on its own first line.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LINE_CHARS = 20.0  # 2号 (22pt) characters on the 156 mm line
# Word ends inside a project name after which a line may break (longest first).
NAME_WORDS = (
    "年度", "年", "工程", "项目", "经费", "资金", "专项", "补助", "补贴", "建设", "改造", "提升", "维护", "运维", "运行",
    "服务", "管理", "系统", "平台", "设备", "购置", "保障", "工作", "计划", "试点", "示范", "奖补", "支出",
)
_NAME_TOKEN = re.compile(r"[（(][^（）()]*[）)]|“[^“”]*”|[A-Za-z0-9.]+ ?|.", re.S)


def text_width(text: str) -> float:
    """Width in 2号 characters: CJK and full-width one, digits and Latin letters half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def name_pieces(name: str) -> list[str]:
    """A name cut where a line may end: after the words names are made of (``2018年度`` ``政务网等
    运行维护费``), after 、 and ，, around a bracketed part, between Latin words. A piece of one
    character stays with the one before (``维护`` + ``费``)."""
    pieces: list[str] = []
    current = ""
    tokens = _NAME_TOKEN.findall(name)
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token[0] in "（(“" and len(token) > 1:
            if current:
                pieces.append(current)
            pieces.append(token)
            current = ""
            continue
        current += token
        if following == "度" and current.endswith("年"):
            continue  # 2018年度, not 2018年 / 度
        if token.endswith(" ") or token in "、，" or any(current.endswith(w) for w in NAME_WORDS):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    merged: list[str] = []
    for piece in pieces:
        if merged and len(piece.strip()) == 1 and piece.strip() not in "、，":
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def title_lines(parts: list[list[str]], limit: float = LINE_CHARS) -> list[str]:
    """Lay ``parts`` (groups of pieces) on lines no wider than ``limit``: a line may end between any
    two pieces, preferably between groups; a piece wider than a line is cut by width as a last resort."""
    pieces: list[tuple[str, bool]] = []  # (text, a line may end after it without breaking a group)
    for group in parts:
        group = [p for p in group if p]
        for i, piece in enumerate(group):
            while text_width(piece) > limit:
                cut = _cut(piece, limit)
                pieces.append((piece[:cut], False))
                piece = piece[cut:]
            if piece:
                pieces.append((piece, i == len(group) - 1))
    return [line.strip() for line in _best(tuple(pieces), limit)]


def _cut(text: str, limit: float) -> int:
    width = 0.0
    for i, ch in enumerate(text):
        width += text_width(ch)
        if width > limit:
            return max(i, 1)
    return len(text)


@lru_cache(maxsize=256)
def _best(pieces: tuple[tuple[str, bool], ...], limit: float) -> tuple[str, ...]:
    """The layout with the fewest lines, then the fewest breaks inside a group, then the smallest
    spread of widths, then lines that shrink from the top."""
    best: tuple | None = None
    n = len(pieces)

    def layouts(start: int):
        if start == n:
            yield ()
            return
        for end in range(start + 1, n + 1):
            line = "".join(p for p, _ in pieces[start:end])
            if text_width(line.strip()) > limit:
                break
            for rest in layouts(end):
                yield ((line, pieces[end - 1][1]), *rest)

    for layout in layouts(0):
        widths = [text_width(line.strip()) for line, _ in layout]
        inner = sum(1 for _, clean in layout[:-1] if not clean)
        growing = sum(1 for a, b in zip(widths, widths[1:]) if b > a)
        key = (len(layout), inner, max(widths) - min(widths), growing)
        if best is None or key < best[0]:
            best = (key, tuple(line for line, _ in layout))
    return best[1] if best else tuple(p for p, _ in pieces)
