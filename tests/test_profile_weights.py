"""一级 weights changed in 设置: a warning when they depart from the default, an error when they do not add up."""

from __future__ import annotations

import json
from decimal import Decimal

from xlperf import jsonio
from xlperf.examples.made_up import example_data
from xlperf.profile import load_profile
from xlperf.scoring import score


def _scored(tmp_path, settings: dict):
    data = example_data(load_profile("cz2020"))
    data["settings"] = settings
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return score(jsonio.load(path))


def test_rebalanced_weights_score_with_a_warning(tmp_path):
    results = _scored(tmp_path, {"产出指标分值": "40", "满意度指标分值": "20"})
    changed = [f for f in results.findings if f.code == "settings.weight_changed"]
    assert {f.severity for f in changed} == {"warning"} and len(changed) == 2
    assert any("产出指标" in f.message and "40" in f.message for f in changed)
    # the indicator weights typed are still the 50/30/10 ones: the totals per category check them against the new split
    assert results.total is not None


def test_weights_that_do_not_add_up_are_an_error_and_the_default_scores(tmp_path):
    results = _scored(tmp_path, {"产出指标分值": "45"})
    errors = [f for f in results.findings if f.code == "settings.invalid"]
    assert errors and "应等于总分100" in errors[0].message
    assert results.total == Decimal("97.94")  # scored with the profile's default weights


def test_unchanged_defaults_give_no_warning(tmp_path):
    results = _scored(tmp_path, {"产出指标分值": "50"})
    assert not [f for f in results.findings if f.code.startswith("settings.")]
