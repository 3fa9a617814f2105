"""Fixtures: the bundled 申报 and 监控 examples, and a 自评 made from them."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from xlperf import jsonio
from xlperf.stages.advance import advance


def example(name: str):
    path = resources.files("xlperf") / "examples" / name
    return jsonio.from_json(json.loads(path.read_text(encoding="utf-8")))


YEAR_END = ["1260人", "96%", "99%", "1450元", "82%", "达成年度指标", "92%"]


def year_end():
    """The 监控 example taken to 自评 with actuals that keep every promise."""
    ev = advance(example("jiankong2024.json"), "自评")
    for ind, actual in zip(ev.indicators, YEAR_END):
        ind.actual = actual
    for row in ev.funds.rows[:2]:
        row.spent = 295
    return ev


@pytest.fixture
def monitored():
    return example("jiankong2024.json")


@pytest.fixture
def final():
    return year_end()
