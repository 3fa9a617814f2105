"""Chinese numerals in a report's figures (一百二十场, 百分之九十五, 三点二万人) as Arabic digits.

Only a numeral run followed by a measure word, 分 or a percent sign is converted (or one after
百分之), so 一是/统一/第一/一次性 stay as written; a run that does not read as a number is left alone.
The conversion itself is ``cn2an``'s.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
_PERCENT = re.compile(r"百分之([" + _DIGITS + r"]+)")


def _figure(units: str) -> re.Pattern:
    return re.compile(r"(?<![" + _DIGITS + r"第])([" + _DIGITS + r"]{1,12})(?=\s*(?:" + units + r"|分(?!之|别|析|配|类|期|解|管|项)))"
                      r"(?!\S?性)")


@lru_cache(maxsize=1)
def _converter():
    try:
        import cn2an
    except ImportError:  # an install without it reads Chinese numerals as text, as before
        return None
    return cn2an.cn2an


def _number(run: str) -> str | None:
    convert = _converter()
    if convert is None or run in ("一", "两") or run.startswith("点") or run.endswith("点"):
        return None
    try:
        value = convert(run, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return format(value, "g") if isinstance(value, float) else str(value)


def arabic(text: str, units: str) -> str:
    """``text`` with each Chinese-numeral figure written in digits (``units``: the measure words, a regex alternation)."""
    if not any(c in text for c in _DIGITS):
        return text

    def percent(m: re.Match) -> str:
        n = _number(m.group(1))
        return f"{n}%" if n is not None else m.group(0)

    def figure(m: re.Match) -> str:
        run = m.group(1)
        n = _number(run)
        if n is None and len(run) > 1 and run[-1] in "万亿":  # 三点二万人: the multiplier stays a word
            n = _number(run[:-1])
            return m.group(0) if n is None else n + run[-1]
        return n if n is not None else m.group(0)

    text = _PERCENT.sub(percent, text)
    return _pattern(units).sub(figure, text)


@lru_cache(maxsize=4)
def _pattern(units: str) -> re.Pattern:
    return _figure(units)
