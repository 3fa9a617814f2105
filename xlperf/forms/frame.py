"""Which scoring framework (profile) a foreign 自评表 follows, from what the form shows.

The evidence (``Evidence``) is read from the located table: the 一级 labels and the points printed
in them (``产出指标（40分）``), the 分值 column summed per 一级, the 预算执行率's printed weight
(the funds block's 分值, a 预算执行率 row in the indicator table, ``预算执行情况（20分）``), whether
执行率 is shown but not scored, and frame words (``年度绩效目标（80分）``; 决策/过程/产出/效益,
共性/特性, 投入/过程/产出与效益 for the rubric frames). Each shipped profile is compared with the
evidence fact by fact; the one with fewest conflicts and most agreements wins, and a tie between
profiles that would score differently is said as a finding, never settled silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from xlperf.forms import vocabulary as V
from xlperf.forms.locate import Match, text
from xlperf.profile import Profile, load_profile

DEFAULT = "cz2020"  # the national form: preferred when the evidence cannot tell
GOAL_FRAME = ("年度绩效目标", "绩效目标")  # 湖北-type: 年度绩效目标 80 over 产出/效益/满意度
EXECUTION_FRAME = ("预算执行情况", "预算执行率", "执行率", "资金执行率", "预算执行")


@dataclass
class Evidence:
    level1: list[str] = field(default_factory=list)  # distinct 一级 names as printed (folded, points removed)
    printed: dict[str, Decimal] = field(default_factory=dict)  # 一级 → points printed in its label
    summed: dict[str, Decimal] = field(default_factory=dict)  # 一级 → Σ 分值 of its rows (with a 分值 column)
    execution_weight: Decimal | None = None  # printed 执行率 weight
    execution_unscored: bool = False  # 执行率 shown (funds block) with no 分值/得分 and no 执行率 row
    goal_points: Decimal | None = None  # 年度绩效目标（80分）
    has_weight_column: bool = False


@dataclass(frozen=True)
class Choice:
    profile: str
    confidence: int  # percent
    basis: str  # what decided, in Chinese
    rivals: tuple[str, ...] = ()  # profiles the evidence could not tell from the chosen one
    chosen_by_user: bool = False

    @property
    def ambiguous(self) -> bool:
        return bool(self.rivals)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(V.fold(value).strip().removesuffix("分"))
        except InvalidOperation:
            return None
    return None


def _stem(name: str) -> str:
    return V.norm(name).removesuffix("指标")


def gather(match: Match) -> Evidence:
    """The facts a form shows about its framework."""
    ev = Evidence()
    view, cols = match.view, match.indicators.columns
    ev.has_weight_column = "weight" in cols
    l1 = cols.get("level1")
    wcol = cols.get("weight")
    names: dict[str, None] = {}
    current = None
    for row in range(match.top, match.end):
        for c, label in view.row_texts(row):
            if view.owner.get((row, c)):
                continue
            points = V.printed_points(label)
            if points is None:
                continue
            if V.starts_with_one_of(label, GOAL_FRAME):
                ev.goal_points = Decimal(str(points))
            elif V.starts_with_one_of(label, EXECUTION_FRAME):
                ev.execution_weight = Decimal(str(points))
    for row in range(match.indicators.last + 1, match.end):
        raw = view.spread(row, l1) if l1 is not None else None
        if l1 is None:  # no 一级 column: a heading row 产出指标（50分） carries it
            first = view.first_text(row)
            if first and all(view.at(row, c) is None for k, c in cols.items() if c != first[0]) and V.printed_points(first[1]) is not None:
                raw = first[1]
            else:
                raw = current
        name = _name(raw) if isinstance(raw, str) else None
        if name is not None and V.starts_with_one_of(name, GOAL_FRAME) and cols.get("level2") is not None:
            below = view.spread(row, cols["level2"])  # 年度绩效目标（80分） over 产出/效益/满意度
            name, raw = (_name(below), below) if isinstance(below, str) else (None, raw)
        if name is None:
            continue
        current = raw
        if V.is_one_of(name, EXECUTION_FRAME) or V.is_one_of(text(view.at(row, cols.get("name", -1))), EXECUTION_FRAME):
            weight = _number(view.at(row, wcol)) if wcol is not None else None
            if weight is not None:
                ev.execution_weight = weight
            elif isinstance(raw, str) and V.printed_points(raw) is not None:
                ev.execution_weight = Decimal(str(V.printed_points(raw)))
            continue
        if V.starts_with_one_of(name, GOAL_FRAME):
            continue
        names.setdefault(name)
        if isinstance(raw, str) and V.printed_points(raw) is not None:
            ev.printed.setdefault(name, Decimal(str(V.printed_points(raw))))
        if wcol is not None:
            weight = _number(view.at(row, wcol))
            if weight is not None and (view.at(row, cols.get("name", -1)) is not None or "name" not in cols):
                ev.summed[name] = ev.summed.get(name, Decimal(0)) + weight
    ev.level1 = list(names)
    funds = match.funds
    if funds is not None and ev.execution_weight is None:
        fcol = funds.columns.get("weight")
        if fcol is not None:
            for row in range(funds.last + 1, min(funds.last + 3, match.indicators.first)):
                weight = _number(view.at(row, fcol))
                if weight is not None:
                    ev.execution_weight = weight
                    break
        elif "rate" in funds.columns and "points" not in funds.columns:
            ev.execution_unscored = True
    return ev


def _name(raw: str) -> str:
    import re

    return re.sub(r"[（(][^）)]*[）)]", "", V.fold(raw)).strip() or raw


@lru_cache(maxsize=None)
def candidates() -> tuple[Profile, ...]:
    from xlperf.profile import PROFILE_IDS

    return tuple(load_profile(pid) for pid in PROFILE_IDS)


def category_of(profile: Profile, name: str):
    stem = _stem(name)
    for category in profile.categories:
        cstem = _stem(category.name)
        if stem == cstem or (stem.startswith(cstem) and len(stem) <= len(cstem) + 2):
            return category
    return None


def _compare(profile: Profile, ev: Evidence) -> tuple[int, int]:
    """(conflicts, agreements) of the evidence with a profile."""
    agree = conflict = 0
    if ev.level1:
        known = [n for n in ev.level1 if category_of(profile, n) is not None]
        if len(known) == len(ev.level1):
            agree += 2
        else:
            conflict += 2 * (len(ev.level1) - len(known))
    for source in (ev.printed, ev.summed):
        for name, points in source.items():
            category = category_of(profile, name)
            if category is None:
                continue
            if category.weight == points:
                agree += 1
            else:
                conflict += 1
    if ev.execution_weight is not None:
        if ev.execution_weight == profile.execution_weight:
            agree += 1
        else:
            conflict += 1
    elif ev.execution_unscored:
        if profile.execution_weight == 0:
            agree += 1
        else:
            conflict += 1
    if ev.goal_points is not None:
        indicators = sum((c.weight for c in profile.categories), Decimal(0))
        if indicators == ev.goal_points:
            agree += 1
        else:
            conflict += 1
    return conflict, agree


def _same_scoring(a: Profile, b: Profile) -> bool:
    return (
        [(c.name, c.weight) for c in a.categories] == [(c.name, c.weight) for c in b.categories]
        and a.execution_weight == b.execution_weight
        and a.qualitative_lower_cut == b.qualitative_lower_cut
    )


def describe(ev: Evidence) -> str:
    parts = []
    weights = ev.printed or ev.summed
    if weights:
        parts.append("一级指标 " + "/".join(f"{n.removesuffix('指标')}{w:g}" for n, w in weights.items()))
    elif ev.level1:
        parts.append("一级指标 " + "/".join(n.removesuffix("指标") for n in ev.level1))
    if ev.execution_weight is not None:
        parts.append(f"执行率 {ev.execution_weight:g} 分")
    elif ev.execution_unscored:
        parts.append("执行率列示不计分")
    if ev.goal_points is not None:
        parts.append(f"年度绩效目标 {ev.goal_points:g} 分")
    if not ev.has_weight_column:
        parts.append("无分值列")
    return "，".join(parts) or "表中没有一级指标权重等信息"


def choose(match: Match, profile: str | None = None) -> tuple[Choice, Evidence]:
    """The profile for a located form: ``profile`` when given, else the best match of the evidence."""
    ev = gather(match)
    if profile:
        return Choice(profile, 100, "按 --profile 指定", chosen_by_user=True), ev
    ranked = sorted(
        ((_compare(p, ev), i, p) for i, p in enumerate(candidates())),
        key=lambda t: (t[0][0], -t[0][1], t[2].id != DEFAULT, t[1]),
    )
    (conflicts, agreements), _i, best = ranked[0]
    rivals = tuple(
        p.id for (c, a), _j, p in ranked[1:] if (c, a) == (conflicts, agreements) and not _same_scoring(p, best)
    )
    facts = agreements + conflicts
    if facts == 0:
        confidence = 40
    else:
        confidence = round(100 * agreements / facts)
    if rivals:
        confidence = min(confidence, 60)
    return Choice(best.id, confidence, describe(ev), rivals), ev
