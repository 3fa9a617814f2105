"""`xlperf profile check`: what a profile file can get wrong, each with a Chinese message naming its line."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from xlperf.cli import cli
from xlperf.errors import ProfileError
from xlperf.profile import load_profile

BASE = """\
id = "check_test"
framework = "indicators"
total = 100

[execution]
weight = 10
rule = "比例"

[[grades]]
min = 90
label = "优"
[[grades]]
min = 60
label = "中"
[[grades]]
min = 0
label = "差"

[[categories]]
name = "产出指标"
weight = 50
subcategories = ["数量指标", "质量指标"]

[[categories]]
name = "效益指标"
weight = 30

[[categories]]
name = "满意度指标"
weight = 10
"""


def _check(tmp_path, text: str) -> str:
    path = tmp_path / "方案.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["profile", "check", str(path)])
    assert "Traceback" not in result.output
    return result.output


def _line(text: str, needle: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def test_the_base_is_valid(tmp_path):
    assert "方案有效" in _check(tmp_path, BASE)


@pytest.mark.parametrize(
    "old, new, message, line_of",
    [
        # a misspelt key: did you mean, at its line
        ("weight = 30\n", "weigth = 30\n", "是否应为“weight”", "weigth = 30"),
        ('framework = "indicators"', 'framwork = "indicators"', "是否应为“framework”", "framwork"),
        ("rule = \"比例\"", "rule = \"比例\"\nbasis_of = 1", "是否应为“basis”", "basis_of"),
        # 二级 weights that do not add up to their 一级
        ('subcategories = ["数量指标", "质量指标"]', 'subweights = { "数量指标" = 30, "质量指标" = 15 }', "之和为45，应等于该一级指标的分值50", "subweights"),
        # grades out of order
        ("min = 90\nlabel = \"优\"\n[[grades]]\nmin = 60", "min = 60\nlabel = \"优\"\n[[grades]]\nmin = 90", "等级应从高到低排列", "min = 60"),
        # a grade no project can reach
        ("min = 90\n", "min = 120\n", "超过总分100", "min = 120"),
        # tiers out of order
        ('rule = "比例"', 'rule = "分档>80%:80%;>95%:100%;其他:0"', "分界应从高到低排列", "分档"),
        # 一级 weights that do not add up to the total
        ("weight = 30\n", "weight = 35\n", "应等于总分100", "[[categories]]"),  # where the 一级 begin
        # a form option that does not exist
        ("[execution]", '[form]\nweights = "implied"\n\n[execution]', "weights 应为 column、equal、fixed 之一", 'weights = "implied"'),
    ],
)
def test_each_mistake_is_named_at_its_line(tmp_path, old, new, message, line_of):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    out = _check(tmp_path, text)
    assert message in out, out
    assert f"第{_line(text, line_of)}行" in out, out


def test_preset_items_over_their_category_weight(tmp_path):
    text = BASE.replace('framework = "indicators"', 'framework = "rubric"') + (
        '\n[[items]]\nlevel1 = "效益指标"\nname = "甲"\nweight = 20\n\n[[items]]\nlevel1 = "效益指标"\nname = "乙"\nweight = 15\n'
    )
    out = _check(tmp_path, text)
    assert "预置评分项的分值之和为35，超过该一级指标的分值30" in out, out
    assert f"第{_line(text, 'weight = 15')}行" in out


def test_rubric_needs_its_weight_column(tmp_path):
    text = BASE.replace('framework = "indicators"', 'framework = "rubric"').replace("[execution]", '[form]\nweights = "equal"\n\n[execution]')
    out = _check(tmp_path, text)
    assert "评分项须有分值栏" in out, out


def test_fixed_weights_need_each_category_to_say_its_row_weight(tmp_path):
    text = BASE.replace("[execution]", '[form]\nweights = "fixed"\n\n[execution]')
    out = _check(tmp_path, text)
    assert "须写 indicator_weight" in out and "“产出指标”没有" in out, out


def test_the_message_is_a_profile_error_with_the_line(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(BASE.replace("weight = 30\n", "wieght = 30\n"), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert re.fullmatch(r"第\d+行", caught.value.where or "")
