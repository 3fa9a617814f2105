"""Scoring rules: a rule spec (the text staff type in 计分规则) and the arithmetic behind it.

Rule specs, as written in a profile or a workbook cell:

=================  ==========================================================
``正向``            a ≥ t: full marks; else w × a ÷ t (capped at w, a < 0 → 0)
``反向``            ≤ / ＜ indicator, in the profile's variant (比例 or 线性)
``反向比例``        w × t ÷ a, capped at w
``反向线性``        a ≤ t: w; t < a < 2t: (1 − (a − t) ÷ t) × w; a ≥ 2t: 0
``等于``            t > 0: as 正向; t = 0: w if a ≤ 0 else 0
``定性``            three bands 80–100 % / cut–80 % / 0–cut of w; the score inside
                    the band is the evaluator's (自评得分), by default the band's top
``按期``            deadline: met if the actual date is not later; else 0 or the
                    evaluator's lower score
``是否``            full marks when the actual is 是
``执行率``          budget execution: the profile's 执行率计分 (比例 or 分档)
``阈值>95%``        full marks when the actual satisfies the comparison, else 0
``分档>95%:100%;>80%:80%;其他:0``  the first tier the actual satisfies gives its share of w
``每减少30扣1``     1 point off for every (started) 30 below the target
``手工``            the evaluator's score (自评得分); below full marks needs a reason
=================  ==========================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from xlperf.errors import ProfileError
from xlperf.values import Kind, Value, fmt_number, fmt_plain

HUNDRED = Decimal(100)

LABELS = {
    "positive": "正向指标（按比例计分）",
    "reverse_ratio": "反向指标（目标÷实际×分值）",
    "reverse_linear": "反向指标（线性扣减，实际达目标2倍得0分）",
    "equal": "等于指标",
    "qualitative": "定性指标（三档）",
    "deadline": "时效指标（按期完成）",
    "yesno": "是否指标",
    "execution": "预算执行率",
    "threshold": "阈值计分",
    "tiered": "分档计分",
    "step": "按差额扣分",
    "manual": "人工评分",
}

_OPS = {"≥": "≥", ">=": "≥", "≧": "≥", "＞": ">", ">": ">", "=": "=", "＝": "=", "≤": "≤", "<=": "≤", "≦": "≤", "＜": "<", "<": "<"}
_OP_WORDS = {"≥": "不低于", ">": "大于", "=": "等于", "≤": "不高于", "<": "小于"}
_NUM = r"([0-9０-９]+(?:[.．][0-9０-９]+)?)"
_CMP = re.compile(r"^\s*(>=|<=|≥|≧|＞|>|=|＝|≤|≦|＜|<)\s*" + _NUM + r"\s*(%|％)?\s*$")
_STEP = re.compile(r"^\s*每(?:减少|少|低于目标|不足)\s*" + _NUM + r"\s*[^\d扣]*扣\s*" + _NUM + r"\s*分?\s*$")


@dataclass(frozen=True)
class Condition:
    op: str
    number: Decimal

    def holds(self, value: Decimal) -> bool:
        return {
            "≥": value >= self.number,
            ">": value > self.number,
            "=": value == self.number,
            "≤": value <= self.number,
            "<": value < self.number,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.op}{fmt_plain(self.number)}"


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    text: str = ""
    condition: Condition | None = None  # threshold
    tiers: tuple[tuple[Condition | None, Decimal], ...] = ()  # tiered: (condition or 其他, share in %)
    step: Decimal | None = None  # step: every `step` below the target
    deduction: Decimal | None = None  # … costs `deduction` points

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _to_dec(text: str) -> Decimal:
    return Decimal(text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))


def _condition(text: str, where: str, src: str | None) -> Condition:
    match = _CMP.match(text)
    if not match:
        raise ProfileError(f"无法识别条件“{text}”，应写成如 >95% 或 ≥100%", path=src, where=where)
    return Condition(_OPS[match.group(1)], _to_dec(match.group(2)))


SIMPLE = {
    "正向": "positive",
    "正向比例": "positive",
    "反向": "reverse",
    "反向比例": "reverse_ratio",
    "反向线性": "reverse_linear",
    "等于": "equal",
    "定性": "qualitative",
    "按期": "deadline",
    "时效": "deadline",
    "是否": "yesno",
    "执行率": "execution",
    "手工": "manual",
    "人工": "manual",
}


def parse_rule(text: str, *, where: str = "计分规则", src: str | None = None) -> RuleSpec:
    """Read a rule spec; raise ProfileError naming it when it cannot be read."""
    clean = str(text).strip().replace(" ", "").replace("；", ";").replace("：", ":").replace("，", ",")
    if clean in SIMPLE:
        return RuleSpec(SIMPLE[clean], clean)
    if clean.startswith("阈值"):
        return RuleSpec("threshold", clean, condition=_condition(clean[2:], where, src))
    if clean.startswith("分档"):
        tiers = []
        for part in filter(None, clean[2:].replace(",", ";").split(";")):
            cond_text, sep, share = part.rpartition(":")
            if not sep:
                raise ProfileError(f"分档“{part}”应写成 条件:得分比例，如 >95%:100%", path=src, where=where)
            share_text = share.rstrip("%％")
            if not re.fullmatch(_NUM, share_text):
                raise ProfileError(f"分档“{part}”的得分比例应为数字", path=src, where=where)
            cond = None if cond_text in ("其他", "其它", "否则") else _condition(cond_text, where, src)
            tiers.append((cond, _to_dec(share_text)))
        if not tiers:
            raise ProfileError("分档规则至少需要一档，如 分档>95%:100%;其他:0", path=src, where=where)
        return RuleSpec("tiered", clean, tiers=tuple(tiers))
    step = _STEP.match(clean)
    if step:
        size, points = _to_dec(step.group(1)), _to_dec(step.group(2))
        if size <= 0:
            raise ProfileError("扣分规则的差额应大于0", path=src, where=where)
        return RuleSpec("step", clean, step=size, deduction=points)
    options = "、".join(SIMPLE) + "、阈值>95%、分档>95%:100%;其他:0、每减少30扣1"
    raise ProfileError(f"无法识别计分规则“{text}”；可用：{options}", path=src, where=where)


class Outcome(NamedTuple):
    """Unrounded points (None: cannot be scored), ratio in percent, status and explanation.

    Immutable like the frozen dataclass it was, with the same fields and repr; a NamedTuple
    because one is built for every line scored and a tuple is several times cheaper to make.
    """

    points: Decimal | None
    ratio: Decimal | None
    status: str
    explanation: str
    problem: tuple[str, str] | None = None  # (code, Chinese message) when scoring hit a snag


_CENT = Decimal("0.01")


def show(value: Value) -> str:
    """A value as the person typed it, without its comparison sign."""
    return value.shown


def pct(ratio: Decimal) -> str:
    return f"{fmt_number(ratio)}%"


_PTS: dict[Decimal, str] = {}  # weights and full marks recur on every line


def pts(points: Decimal) -> str:
    cacheable = points.__class__ is Decimal and points.is_finite()
    if cacheable:
        shown = _PTS.get(points)  # equal Decimals (2, 2.00) show alike: the text depends on the value only
        if shown is not None:
            return shown
    shown = f"{fmt_plain(points.quantize(_CENT, ROUND_HALF_UP).normalize())}分"  # positional args: cheaper
    if cacheable:
        if len(_PTS) >= 4096:
            _PTS.clear()
        _PTS[points] = shown
    return shown


def ratio_of(a: Decimal, t: Decimal) -> Decimal | None:
    return None if t == 0 else a / t * HUNDRED


def full(w: Decimal, lead: str) -> Outcome:
    return Outcome(w, None, "met", f"{lead}，得满分{pts(w)}")


def positive(t: Decimal, a: Decimal, w: Decimal, tv: Value, av: Value) -> Outcome:
    ratio = ratio_of(a, t)
    shown = pct(ratio) if ratio is not None else ""  # formatted once, quoted twice when missed
    lead = f"{av.shown}÷{tv.shown}={shown}" if ratio is not None else f"目标{tv.shown}，实际{av.shown}"
    if a >= t:
        return Outcome(w, ratio, "met", f"{lead}，达到目标值，得满分{pts(w)}")
    if a <= 0 or t <= 0:
        return Outcome(Decimal(0), ratio, "missed", f"{lead}，未达到目标值，得0分")
    points = w * a / t  # here t > 0, so ratio is not None
    return Outcome(points, ratio, "missed", f"{lead}，未达到目标值，得分{pts(w)[:-1]}×{shown}={pts(points)}")


def reverse(t: Decimal, a: Decimal, w: Decimal, tv: Value, av: Value, variant: str) -> Outcome:
    if a <= t:
        ratio = ratio_of(t, a) if a > 0 else None
        lead = f"目标{tv.shown}以内，实际{av.shown}"
        if ratio is not None:
            lead += f"，{tv.shown}÷{av.shown}={pct(ratio)}"
        return Outcome(w, ratio, "met", f"{lead}，达到目标值，得满分{pts(w)}")
    ratio = ratio_of(t, a)
    if variant == "线性":
        over = (a - t) / t if t > 0 else Decimal(1)
        points = max(Decimal(0), (1 - over) * w)
        share = pct(over * HUNDRED)
        text = f"实际{av.shown}超出目标{tv.shown}的{share}，得分{pts(w)[:-1]}×(1−{share})={pts(points)}"
        return Outcome(points, ratio, "missed", text)
    if t <= 0:  # a target of zero or below, exceeded: no ratio to scale by (and a may be 0)
        return Outcome(Decimal(0), None, "missed", f"目标{tv.shown}以内，实际{av.shown}，未达到目标值，得0分")
    points = w * t / a
    shown = pct(ratio)  # formatted once, quoted twice
    text = f"{tv.shown}÷{av.shown}={shown}（反向），未达到目标值，得分{pts(w)[:-1]}×{shown}={pts(points)}"
    return Outcome(points, ratio, "missed", text)


def equal(t: Decimal, a: Decimal, w: Decimal, tv: Value, av: Value) -> Outcome:
    if t > 0:
        return positive(t, a, w, tv, av)
    if a <= 0:
        return Outcome(w, None, "met", f"目标为0，实际{av.shown}，得满分{pts(w)}")
    return Outcome(Decimal(0), None, "missed", f"目标为0，实际{av.shown}，得0分")


def bands(w: Decimal, lower_cut: Decimal) -> dict[str, tuple[Decimal, Decimal, bool]]:
    """Qualitative bands as (low, high, high_inclusive) in points."""
    cut = w * lower_cut / HUNDRED
    eighty = w * Decimal("0.8")
    return {"met": (eighty, w, True), "partial": (cut, eighty, False), "missed": (Decimal(0), cut, False)}


LEVEL_NAMES = {"met": "达成年度指标", "partial": "部分达成年度指标并具有一定效果", "missed": "未达成年度指标且效果较差"}
LEVEL_STATUS = {"met": "met", "partial": "missed", "missed": "missed"}


def qualitative(level: str | None, w: Decimal, claimed: Decimal | None, lower_cut: Decimal, places: int) -> Outcome:
    if level is None:
        if claimed is None:
            return Outcome(
                None, None, "unreadable", "定性指标未判定达成程度",
                ("qualitative.level", "定性指标请在实际完成值中填写“达成年度指标”“部分达成年度指标并具有一定效果”或“未达成年度指标且效果较差”，或填写自评得分"),
            )
        if not 0 <= claimed <= w:
            return Outcome(None, None, "unreadable", "自评得分超出分值", ("score.out_of_range", f"自评得分{fmt_plain(claimed)}不在0到{fmt_plain(w)}分之间"))
        status = "met" if claimed >= w * Decimal("0.8") else "missed"
        return Outcome(claimed, None, status, f"定性指标，按自评得分{pts(claimed)}")
    low, high, inclusive = bands(w, lower_cut)[level]
    unit = Decimal(1).scaleb(-places)
    top = high if inclusive else max(low, high - unit)
    share = f"{fmt_plain(low / w * HUNDRED) if w else 0}%–{fmt_plain(high / w * HUNDRED) if w else 0}%"
    name = LEVEL_NAMES[level]
    if claimed is None:
        return Outcome(
            top, None, LEVEL_STATUS[level], f"{name}，未填自评得分，按档内（{share}）上限得{pts(top)}",
            ("qualitative.default_top", f"“{name}”未填写自评得分，已按该档上限{pts(top)}计分；请在档内（{pts(low)}到{pts(high)}）填写自评得分"),
        )
    inside = low <= claimed <= high if inclusive else low <= claimed < high
    if level == "missed":
        inside = Decimal(0) <= claimed < high
    if not inside:
        # the nearest edge of the band, never its top: 7.9 in the 8–10 band is 8, not 10
        edge = (low if level != "missed" else Decimal(0)) if claimed < low else top
        return Outcome(
            edge, None, LEVEL_STATUS[level], f"{name}，自评得分{pts(claimed)}不在档内（{share}），按最接近的档边界得{pts(edge)}",
            ("qualitative.band", f"“{name}”的得分应在{pts(low)}到{pts(high)}{'（含）' if inclusive else '（不含）'}之间，自评得分{pts(claimed)}超出此档，已按最接近的档边界{pts(edge)}计分；请改为档内的分数"),
        )
    return Outcome(claimed, None, LEVEL_STATUS[level], f"{name}，档内（{share}）自评得{pts(claimed)}")


def _date_key(deadline: tuple[int | None, int, int | None], year: int | None, end: bool) -> tuple[int, int, int]:
    y, m, d = deadline
    return (y or year or 0, m, d if d is not None else (31 if end else 1))


def deadline(tv: Value, av: Value, w: Decimal, claimed: Decimal | None, year: int | None) -> Outcome:
    if av.kind is Kind.QUALITATIVE and av.level:
        if av.level == "met":
            return full(w, f"计划{tv.shown}，实际{av.shown}，按期完成")
        points = claimed if claimed is not None and 0 <= claimed < w else Decimal(0)
        return Outcome(points, None, "missed", f"计划{tv.shown}，实际{av.shown}，未按期完成，得{pts(points)}")
    assert tv.deadline is not None and av.deadline is not None
    # A deadline or completion without a year means the evaluation year (or the other's year).
    planned_year = tv.deadline[0] or year or av.deadline[0]
    planned = _date_key((planned_year, tv.deadline[1], tv.deadline[2]), year, end=True)
    done_year = av.deadline[0] or planned_year
    done = _date_key((done_year, av.deadline[1], av.deadline[2]), year, end=False)
    if done <= planned:
        return full(w, f"计划{tv.shown}完成，实际{av.shown}完成，按期完成")
    points = claimed if claimed is not None and 0 <= claimed < w else Decimal(0)
    return Outcome(points, None, "missed", f"计划{tv.shown}完成，实际{av.shown}完成，未按期完成，得{pts(points)}")


def yesno(av: Value, w: Decimal, expected: str = "yes") -> Outcome:
    if av.level == expected:
        return full(w, f"实际为“{av.shown}”")
    return Outcome(Decimal(0), None, "missed", f"实际为“{av.shown}”，得0分")


def threshold(spec: RuleSpec, a: Decimal, w: Decimal, av: Value) -> Outcome:
    cond = spec.condition
    assert cond is not None
    unit = "%" if av.unit == "%" else av.unit
    rule = f"{_OP_WORDS[cond.op]}{fmt_plain(cond.number)}{unit}"
    if cond.holds(a):
        return full(w, f"实际{av.shown}，{rule}")
    return Outcome(Decimal(0), None, "missed", f"实际{av.shown}，未达到{rule}，得0分")


def tiered(spec: RuleSpec, a: Decimal, w: Decimal, av: Value) -> Outcome:
    for cond, share in spec.tiers:
        if cond is None or cond.holds(a):
            points = w * share / HUNDRED
            where = "其他情况" if cond is None else f"{_OP_WORDS[cond.op]}{fmt_plain(cond.number)}{av.unit}"
            status = "met" if points >= w else "missed"
            return Outcome(points, None, status, f"实际{av.shown}，{where}，得分{pts(w)[:-1]}×{fmt_plain(share)}%={pts(points)}")
    return Outcome(Decimal(0), None, "missed", f"实际{av.shown}，未达到任何一档，得0分")


def step(spec: RuleSpec, t: Decimal, a: Decimal, w: Decimal, tv: Value, av: Value) -> Outcome:
    ratio = ratio_of(a, t)
    if a >= t:
        return Outcome(w, ratio, "met", f"目标{tv.shown}，实际{av.shown}，达到目标值，得满分{pts(w)}")
    assert spec.step is not None and spec.deduction is not None
    steps = ((t - a) / spec.step).to_integral_value(rounding=ROUND_CEILING)
    off = min(w, steps * spec.deduction)
    points = w - off
    text = (
        f"目标{tv.shown}，实际{av.shown}，少{fmt_plain(t - a)}，每减少{fmt_plain(spec.step)}扣{fmt_plain(spec.deduction)}分，"
        f"扣{pts(off)}，得{pts(points)}"
    )
    return Outcome(points, ratio, "missed", text)


def execution(spec: RuleSpec | None, rate: Decimal, w: Decimal, basis_label: str, spent: Decimal, basis: Decimal) -> Outcome:
    lead = f"全年执行数{fmt_number(spent)}万元÷{basis_label}{fmt_number(basis)}万元={pct(rate)}"
    if spec is not None and spec.kind == "tiered":
        out = tiered(spec, rate, w, Value(kind=Kind.NUMBER, text=pct(rate), number=rate, unit="%"))
        return Outcome(out.points, rate, out.status, f"{lead}，{out.explanation.split('，', 1)[1]}")
    if spec is not None and spec.kind == "threshold":
        out = threshold(spec, rate, w, Value(kind=Kind.NUMBER, text=pct(rate), number=rate, unit="%"))
        return Outcome(out.points, rate, out.status, f"{lead}，{out.explanation.split('，', 1)[1]}")
    if rate >= HUNDRED:
        return Outcome(w, rate, "met", f"{lead}，得满分{pts(w)}")
    points = max(Decimal(0), w * rate / HUNDRED)
    return Outcome(points, rate, "missed", f"{lead}，得分{pts(w)[:-1]}×{pct(rate)}={pts(points)}")

