"""One scored row (``Line``) and the small helpers scoring and the checks share.

Below both ``scoring`` and ``checks``: neither imports the other through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from xlperf.findings import Finding
from xlperf.model import Indicator, Location, RubricItem
from xlperf.results import Score
from xlperf.rules import RuleSpec
from xlperf.values import Value, label_name

WIDE = Context(prec=80)
NA_MARKS = {"是", "不适用", "√", "✓", "y", "yes", "true", "1", "na", "n/a"}


class _once:
    """A property computed on first use and then kept in the instance (``cached_property`` without its lock)."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


@dataclass
class Line:
    """One scored row, with what the checks need to look at it again."""

    kind: str  # indicator | item
    index: int
    record: Indicator | RubricItem
    prefix: str  # field path prefix for locations, e.g. "indicators[3]."
    target: Value
    actual: Value
    weight: Decimal | None
    claimed: Decimal | None
    spec: RuleSpec | None
    not_applicable: bool
    score: Score | None = None
    problems: list[Finding] = field(default_factory=list)

    def where(self, name: str) -> Location:
        return self.record.where(name, self.prefix)

    @_once  # messages quote it many times; the record does not change while it is scored
    def name(self) -> str:
        return text(self.record.name) or f"第{self.index + 1}行"

    @_once
    def level1(self) -> str:
        return label_name(text(self.record.level1))  # 产出指标(50分), 產出指標 → 产出指标


def text(raw) -> str:
    """A raw cell as trimmed text ('' for empty)."""
    if raw.__class__ is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def is_marked(raw) -> bool:
    if raw is None:  # most rows: nothing in 不适用
        return False
    if raw is True:
        return True
    return text(raw).lower() in NA_MARKS


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(0, 7)}


def quantize(value: Decimal, places: int) -> Decimal:
    """四舍五入 (ROUND_HALF_UP) to ``places``; absurd magnitudes are left as they are."""
    step = _STEPS.get(places)
    if step is None:
        step = Decimal(1).scaleb(-places)
    try:
        return value.quantize(step, ROUND_HALF_UP, WIDE)  # positional: keywords cost more than the rounding
    except InvalidOperation:
        return value
