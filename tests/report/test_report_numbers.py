"""Every number the narrative prints traces back to the evaluation as typed or to the core's Results.

The Markdown report is rendered from the same context as the Word report. Numbers
are pulled out with one regex (integers, decimals, full-width too); list and heading
numbers, years and dates are removed by rule first. What is left must be in the set
of source values: every number in any raw field of the evaluation, and every number
of the Results (and the profile's weights), formatted the ways the report formats them.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest
from reporthelpers import FULLWIDTH_DIGITS, NUMBER, cz2020_evaluation, decimal_variants

from xlperf.report import render, report_profile
from xlperf.scoring import score
from xlperf.values import to_decimal

# Removed by rule before counting: these are structure, not figures.
STRUCTURE = (
    re.compile(r"^\s*[0-9]{1,2}[.．、]", re.MULTILINE),  # 1. list and heading numbers at a paragraph start
    re.compile(r"（[0-9]{1,2}）"),  # （1） sub-group labels
    re.compile(r"附件[0-9]+"),  # 附件1
    re.compile(r"[0-9]{4}年"),  # years (2018年, 2018年度)
    re.compile(r"[0-9]{1,2}月(?:[0-9]{1,2}日)?"),  # dates and months (12月31日, 5月份)
    re.compile(r"[0-9]{1,2}日"),
)


def raw_values(obj):
    """Every raw field value of the evaluation, recursively."""
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name not in ("loc", "settings_loc", "total_loc", "source"):
                yield from raw_values(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from raw_values(item)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from raw_values(value)
    else:
        yield obj


def source_numbers(evaluation, results, profile) -> set[str]:
    found: set[str] = set()
    for raw in raw_values(evaluation):
        if isinstance(raw, str):
            found.update(m.translate(FULLWIDTH_DIGITS) for m in NUMBER.findall(raw))
        else:
            number = to_decimal(raw)
            if number is not None:
                found |= decimal_variants(number)
    numbers: list[Decimal | None] = [results.total, results.total_weight, profile.total, profile.execution_weight]
    for sc in [*results.indicators, *results.items, results.funds.score]:
        if sc is not None:
            numbers += [sc.points, sc.weight, sc.ratio]
    fr = results.funds
    numbers += [fr.rate, fr.received_rate, fr.timely_rate, fr.balance]
    for st in results.subtotals:
        numbers += [st.weight, st.points, st.expected_weight]
    numbers += [c.weight for c in profile.categories]
    for number in numbers:
        if number is not None:
            found |= decimal_variants(number)
    # The explanations the core wrote (e.g. 3×94.74%=2.84分) are Results too.
    for sc in [*results.indicators, *results.items]:
        found.update(m.translate(FULLWIDTH_DIGITS) for m in NUMBER.findall(sc.explanation))
    return found


def narrative_numbers(markdown: str) -> list[str]:
    # Markdown markup first: escapes, **bold** run-in heads, # headings.
    text = re.sub(r"^#+\s*", "", re.sub(r"\\(.)", r"\1", markdown).replace("**", ""), flags=re.MULTILINE)
    for rule in STRUCTURE:
        text = rule.sub(" ", text)
    return [m.translate(FULLWIDTH_DIGITS) for m in NUMBER.findall(text)]


def split_findings(markdown: str) -> tuple[str, str]:
    head, sep, tail = markdown.partition("校验发现的问题")
    return (head, tail) if sep else (markdown, "")


def cases():
    from reporthelpers import blank_evaluation, ningde

    yield "ningde2018", ningde()[0]
    yield "cz2020", cz2020_evaluation()
    yield "blank-fj2018", blank_evaluation("fj2018")
    yield "blank-cz2020", blank_evaluation("cz2020")


@pytest.mark.parametrize("name,evaluation", list(cases()), ids=[c[0] for c in cases()])
def test_every_number_traces_back(name, evaluation):
    results = score(evaluation)
    profile = report_profile(evaluation, results)
    markdown = render(evaluation, results, fmt="md").decode("utf-8")
    narrative, appendix = split_findings(markdown)
    allowed = source_numbers(evaluation, results, profile)
    printed = narrative_numbers(narrative)
    assert printed, "the narrative prints no figures at all"
    untraced = sorted({n for n in printed if n not in allowed})
    assert not untraced, f"numbers with no source in {name}: {untraced}"
    # The findings appendix quotes the core's messages word for word.
    for finding in results.findings:
        if finding.severity.value in ("error", "warning"):
            assert finding.message.rstrip("。") in appendix.replace("\\", "")


def test_the_rule_catches_an_invented_number(example):
    evaluation, results = example
    allowed = source_numbers(evaluation, results, report_profile(evaluation, results))
    assert "99.41" not in allowed
    assert narrative_numbers("实际资金使用率为99.41%，此项得２分。") == ["99.41", "2"]
    assert narrative_numbers("1.投入目标完成情况。（1）时效目标：2018年12月31日") == []
