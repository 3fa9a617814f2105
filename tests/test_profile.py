"""Profiles are data: they load, validate with clear Chinese errors, and take workbook overrides."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from xlperf.errors import ProfileError
from xlperf.profile import PROFILE_IDS, SETTINGS, load_profile, setting_default

CZ = (Path(__file__).parent.parent / "xlperf" / "profiles" / "cz2020.toml").read_text(encoding="utf-8")


def test_shipped_profiles_load():
    cz = load_profile("cz2020")
    assert [(c.name, c.weight) for c in cz.categories] == [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert cz.execution_weight == 10 and cz.total == 100
    fj = load_profile("fj2018")
    assert [(c.name, c.weight) for c in fj.categories] == [("投入", 30), ("过程", 30), ("产出与效益", 40)]
    assert fj.grades[0].label == "优秀"
    # The default 投入 and 过程 items add up to their categories.
    for name in ("投入", "过程"):
        assert sum(D(str(i["weight"])) for i in fj.items if i["level1"] == name) == 30


def write(tmp_path, text):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (("weight = 50", "weight = 55"), "应等于总分100"),
        (('variant = "比例"', 'variant = "别的"'), "反向计分"),
        (("lower_cut = 60", "lower_cut = 90"), "定性档下限"),
        (('basis = "全年预算数"', 'basis = "随便"'), "执行率口径"),
        (('rule = "比例"', 'rule = "分档乱写"'), "分档"),
        (("min = 0", "min = 10"), "最低等级"),
        (("weight = 10                # 预算执行率分值", 'weight = "十"'), "应为数字"),
        (("[[grades]]", "[[grades"), "格式错误"),
    ],
)
def test_invalid_profiles_are_refused_clearly(tmp_path, change, message):
    old, new = change
    assert old in CZ
    path = write(tmp_path, CZ.replace(old, new, 1))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_profile_names_the_choices():
    with pytest.raises(ProfileError) as info:
        load_profile("nope")
    assert "cz2020" in str(info.value)


def test_workbook_overrides():
    p = load_profile("cz2020", {"反向计分": "线性", "定性档下限": "50", "等级": "优秀≥90,良好≥75,合格≥60,不合格", "小数位数": ""})
    assert p.reverse_variant == "线性"
    assert p.qualitative_lower_cut == 50
    assert p.grade_for(D(76)) == "良好"
    assert p.rounding_places == 2  # empty means the profile's default


@pytest.mark.parametrize("settings", [{"未知参数": "1"}, {"执行率口径": "乱填"}, {"定性档下限": "abc"}, {"等级": "优≥90,良≥90"}])
def test_bad_overrides_are_refused(settings):
    with pytest.raises(ProfileError):
        load_profile("cz2020", settings)


def test_bad_override_in_a_workbook_is_a_finding():
    from xlperf.model import Evaluation, Indicator
    from xlperf.scoring import score

    ev = Evaluation(indicators=[Indicator(level1="产出指标", name="x", target="1", actual="1", weight=90)], settings={"反向计分": "乱填"})
    res = score(ev)
    assert res.findings[0].code == "settings.invalid"
    assert "反向计分" in res.findings[0].message


def test_every_setting_has_a_default_text():
    for pid in PROFILE_IDS:
        p = load_profile(pid)
        for s in SETTINGS:
            assert setting_default(p, s.key) != ""
        # the defaults, written back as overrides, change nothing
        assert load_profile(pid, {s.key: setting_default(p, s.key) for s in SETTINGS}) == p
