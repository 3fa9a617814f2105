"""The report's sentences, in the style of the published 宁德 2018 self-evaluation.

Every figure comes from the evaluation (as typed) or from the Results (as
computed); nothing here invents a number. A blank input drops its clause, so a
sentence never shows "None", "nan", an empty "，，" or "（）".
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from functools import lru_cache

from xlperf.model import Indicator, RubricItem
from xlperf.results import Score, Subtotal
from xlperf.values import fmt_number, fmt_plain, to_decimal

NEUTRAL = "本部分未填写。"  # the phrase for a section whose inputs are all blank
PLACEHOLDERS = {"none", "nan", "null", "n/a", "na", "/", "-", "--", "—", "——", "无", "不适用"}
END_PUNCT = "。；;，,、.：: \u3000"
CHINESE_DIGITS = "零一二三四五六七八九"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NUMBERING = re.compile(
    r"^\s*(?:\d{1,2}\s*[.．、]|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[）)]|[一二三四五六七八九十]{1,3}\s*、|[①-⑳])\s*"
)


# ---------------------------------------------------------------- text and numbers


@lru_cache(maxsize=4096)  # pure, and the context cleans the same few hundred cell texts for every report
def clean(text: str) -> str:
    """Plain text for the report: no control characters, no stray blanks at the ends."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def raw_text(raw, unit: str = "") -> str:
    """A typed value as the report shows it; '' for a blank, NaN or placeholder."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, _dt.datetime):
        raw = raw.date()
    if isinstance(raw, _dt.date):
        return f"{raw.year}年{raw.month}月{raw.day}日"
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return ""
        text = fmt_plain(Decimal(repr(raw)))
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            return ""
        text = fmt_plain(raw)
    elif isinstance(raw, int):
        text = str(raw)
    else:
        text = clean(str(raw))
        if text.lower() in ("none", "nan", "null"):
            return ""
    if unit and text and text[-1].isdigit() and not text.endswith(unit):
        text += unit
    return text


def note_text(raw) -> str:
    """A free-text remark (reason, situation); placeholders such as “无” or “/” count as blank."""
    text = raw_text(raw)
    return "" if text.lower() in PLACEHOLDERS else text


def paragraphs(raw) -> list[str]:
    """A multi-line text field as paragraphs."""
    return [line for line in raw_text(raw).split("\n") if line]


def strip_numbering(text: str) -> str:
    """Drop a typed list number (1. / （一） / 一、 / ①) so the report can number items itself."""
    return _NUMBERING.sub("", text, count=1).strip()


def bare(text: str) -> str:
    """A clause without its closing punctuation, to be joined into a longer sentence."""
    return text.rstrip(END_PUNCT)


def end(text: str, mark: str = "。") -> str:
    """Close a sentence with exactly one mark; '' stays ''."""
    text = bare(text)
    return f"{text}{mark}" if text else ""


def clauses(*parts: str) -> str:
    """Join the non-blank clauses with Chinese commas."""
    return "，".join(bare(p) for p in parts if p and bare(p))


def pct(value: Decimal) -> str:
    return f"{fmt_number(value)}%"


def wan(value: Decimal) -> str:
    return f"{fmt_number(value)}万元"


def pts(value: Decimal) -> str:
    """Points without trailing zeros: 3, 2.84, 94.84."""
    return fmt_plain(Decimal(fmt_number(value)))


def share(weight: Decimal, total: Decimal) -> str:
    """A category's weight as a share of the total, e.g. 30%."""
    if not total:
        return ""
    return f"{fmt_plain(Decimal(fmt_number(weight / total * 100)))}%"


def circled(n: int) -> str:
    """①…⑳, ㉑…㊿, then (51)."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for list numbering)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return f"{head}十{CHINESE_DIGITS[ones] if ones else ''}"


def numbered(items: list[str], style: str = "arabic") -> list[str]:
    """Number a list the report's way: 1. / （一）."""
    out = []
    for i, item in enumerate(items, 1):
        label = f"{i}." if style == "arabic" else f"（{chinese_number(i)}）"
        out.append(f"{label}{item}")
    return out


# ---------------------------------------------------------------- 绩效目标 lines


def level1_heading(n: int, level1: str) -> str:
    """1.投入目标完成情况。 / 1.产出指标完成情况。"""
    name = level1 or "其他"
    if not name.endswith(("指标", "目标")):
        name += "目标"
    return f"{n}.{name}完成情况。"


def status_clause(score: Score) -> str:
    """How far the target was reached, from the core's result."""
    if score.status == "not_applicable":
        return "该指标不适用，不参与评分"
    if score.ratio is not None:
        ratio = f"目标完成比值{pct(score.ratio)}"
        return clauses(ratio, "未达到目标值") if score.status == "missed" else ratio
    if score.status == "met":
        return "按期完成" if score.rule == "deadline" else "目标已完成"
    if score.status == "missed":
        return "未按期完成" if score.rule == "deadline" else "未完成目标"
    if score.status == "unreadable":
        reason = score.explanation.split("，")[0]
        return clauses(reason, "未计算目标完成比值")
    return ""


def reason_clause(reason: str) -> str:
    """The typed deviation reason, labelled unless it already says 原因."""
    reason = bare(reason)
    if not reason:
        return ""
    return reason if "原因" in reason[:8] else f"偏差原因：{reason}"


def goal_line(mark: str, indicator: Indicator, score: Score, *, scored: bool, labels: dict[str, str]) -> str:
    """①名称，参考标准…，绩效目标值…，实际完成值…，目标完成比值…%（，分值…分，得分…分）（，原因）"""
    unit = raw_text(indicator.unit)
    points = []
    if scored and score.status != "not_applicable":
        if score.weight is not None:
            points.append(f"分值{pts(score.weight)}分")
        if score.points is not None:
            points.append(f"得分{pts(score.points)}分")
    body = clauses(
        raw_text(indicator.name),
        _labelled(labels["reference"], raw_text(indicator.reference, unit)),
        _labelled(labels["target"], with_operator(raw_text(indicator.nature), raw_text(indicator.target, unit))),
        _labelled(labels["actual"], raw_text(indicator.actual, unit)),
        status_clause(score),
        *points,
        reason_clause(note_text(indicator.reason)),
    )
    return f"{mark}{body}" if body else ""


OPERATORS = ("≥", "≧", ">=", "＞", ">", "＝", "=", "═", "≤", "≦", "<=", "＜", "<")


def with_operator(nature: str, target: str) -> str:
    """The 指标性质 sign in front of a bare target: ≥ and 10000亩 → ≥10000亩."""
    if target and nature in OPERATORS and not target.startswith(OPERATORS):
        return f"{nature}{target}"
    return target


def _labelled(label: str, value: str) -> str:
    return f"{label}{value}" if value else ""


def subgroup_text(k: int | None, level2: str, lines: list[str]) -> str:
    """（1）数量目标：①…；②…。"""
    body = "；".join(bare(line) for line in lines)
    head = f"（{k}）{level2}：" if level2 and k is not None else ""
    return end(f"{head}{body}")


# ---------------------------------------------------------------- 评分表 items


def item_label(n: int, item: RubricItem) -> str:
    """1.投入-资金落实-资金使用率。"""
    name = "-".join(t for t in (raw_text(item.level1), raw_text(item.level2), raw_text(item.name)) if t)
    return f"{n}.{name or '评分项'}。"


def item_body(item: RubricItem, score: Score, metric: Decimal | None) -> str:
    """评分标准 as typed, then the computed actual and the computed score."""
    criterion = end(raw_text(item.criterion))
    name = raw_text(item.name)
    situation = note_text(item.situation)
    if score.status == "not_applicable":
        return f"{criterion}此项不适用，不参与评分。"
    if metric is not None:
        actual = f"实际{name or '完成值'}为{pct(metric)}"
    elif situation:
        actual = situation
    elif raw_text(item.actual):
        actual = f"实际{name or '完成值'}为{raw_text(item.actual)}"
    else:
        actual = ""
    if score.points is None:
        result = "此项尚未评分" if score.rule == "manual" else "此项未能计分"
    else:
        result = f"此项得{pts(score.points)}分"
    text = criterion + end(clauses(actual, result))
    reason = note_text(item.reason)
    short = score.points is not None and score.weight is not None and score.points < score.weight
    if short and reason and bare(reason) not in situation:
        text += end(f"扣分原因：{bare(reason)}")
    return text


def category_heading(ordinal: int, subtotal: Subtotal, total: Decimal) -> str:
    """第一是投入（30%）满分30分，实际得分29分。"""
    expected = subtotal.expected_weight
    head = f"第{chinese_number(ordinal)}是{subtotal.level1}"
    if expected is not None and total:
        head += f"（{share(expected, total)}）"
    if expected is not None and expected != subtotal.weight:
        full = f"满分{pts(expected)}分（各项分值合计{pts(subtotal.weight)}分）"
    else:
        full = f"满分{pts(subtotal.weight)}分"
    return f"{head}{full}，实际得分{pts(subtotal.points)}分。"


# ---------------------------------------------------------------- funds


def amount(raw) -> Decimal | None:
    return to_decimal(raw)


def funds_sentence(values: dict[str, Decimal | None], rates: dict[str, Decimal | None], invest_label: str) -> str:
    """总投入、到位、到位率、实际支出、使用率、结余 — each clause only when its figures exist."""
    first = clauses(
        f"项目{invest_label}{wan(values['basis'])}" if values["basis"] is not None else "",
        f"实际到位资金{wan(values['received'])}" if values["received"] is not None else "",
        f"资金到位率{pct(rates['received'])}" if rates["received"] is not None else "",
        f"到位及时率{pct(rates['timely'])}" if rates["timely"] is not None else "",
    )
    second = clauses(
        f"实际支出{wan(values['spent'])}" if values["spent"] is not None else "",
        f"资金使用率{pct(rates['rate'])}" if rates["rate"] is not None else "",
    )
    third = balance_clause(values["balance"])
    parts = [p for p in (first, second, third) if p]
    return end("；".join(parts)) if parts else ""


def balance_clause(balance: Decimal | None) -> str:
    if balance is None:
        return ""
    if balance < 0:
        return f"超支{wan(-balance)}"
    return f"结余{wan(balance)}"
