"""Weights of a form without a 分值 column: the profile gives each 三级 row its weight.

``[form] weights = "equal"``: the rows of a 一级 share its weight equally, or the rows of a
二级 share that 二级's weight where the profile declares ``subweights``; shares are cut to the
profile's decimals and the cents left over go to the first rows, so a 一级 adds up exactly
(50 over three rows: 16.67, 16.67, 16.66). ``"fixed"``: each row gets its 一级's
``indicator_weight``. A weight typed anyway (JSON input) is kept. Plain Python over the model.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from xlperf.findings import Finding, error
from xlperf.lines import text
from xlperf.model import Indicator
from xlperf.profile import Profile
from xlperf.values import to_decimal


def implied_weights(indicators: list[Indicator], profile: Profile) -> tuple[list[Decimal | None], list[Finding]]:
    """The weight of each indicator row (None where the profile gives none), and findings about rows it cannot place."""
    weights: list[Decimal | None] = [to_decimal(ind.weight) for ind in indicators]
    findings: list[Finding] = []
    if not profile.form.implied or profile.framework != "indicators":
        return weights, findings
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, ind in enumerate(indicators):
        if weights[i] is not None or text(ind.weight):
            continue
        category = profile.category(text(ind.level1))
        if category is None:
            continue  # the checks report a 一级 the profile does not have
        if profile.form.weights == "fixed":
            weights[i] = category.indicator_weight
            continue
        if category.subweights:
            level2 = text(ind.level2)
            if category.subweight(level2) is None:
                names = "、".join(n for n, _w in category.subweights)
                findings.append(error(
                    "weight.level2_unknown", ind.where("level2", f"indicators[{i}]."),
                    f"{text(ind.name) or '该指标'}：二级指标“{level2}”不在评分方案为“{category.name}”规定的二级指标（{names}）中，无法确定分值；请从下拉列表选择",
                ))
                continue
            groups.setdefault((category.name, level2), []).append(i)
        else:
            groups.setdefault((category.name, None), []).append(i)
    step = Decimal(1).scaleb(-profile.rounding_places)
    for (level1, level2), rows in groups.items():
        category = profile.category(level1)
        whole = category.subweight(level2) if level2 is not None else category.weight
        for i, share in zip(rows, equal_shares(whole, len(rows), step)):
            weights[i] = share
    return weights, findings


def equal_shares(whole: Decimal, count: int, step: Decimal) -> list[Decimal]:
    """``whole`` split into ``count`` shares in multiples of ``step`` that add up to it exactly, larger ones first."""
    if count <= 0:
        return []
    base = (whole / count).quantize(step, rounding=ROUND_DOWN)
    left = int((whole - base * count) / step)
    return [base + step if i < left else base for i in range(count)]
