"""JSON evaluations: the format, validation, the schema, and JSON → workbook → JSON without loss."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlperf import jsonio
from xlperf.errors import DataError
from xlperf.model import FundRow, Goal, Indicator, ProjectInfo, RubricItem, field_names
from xlperf.profile import SETTINGS, load_profile
from xlperf.workbook.builder import build_workbook
from xlperf.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlperf" / "examples" / "ningde2018.json"
SCHEMA = ROOT / "xlperf" / "schema" / "evaluation.schema.json"


def test_example_round_trips_exactly():
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    evaluation = jsonio.load(EXAMPLE)
    assert evaluation.source == str(EXAMPLE) and evaluation.profile == "fj2018"
    assert jsonio.to_json(evaluation) == data
    assert evaluation.indicators[3].loc["weight"].field == "indicators[3].weight"


def test_output_has_every_field_in_model_order():
    data = jsonio.to_json(jsonio.from_json({"format": "xlperf-evaluation", "version": 1, "indicators": [{"name": "x"}]}))
    assert list(data) == list(jsonio.TOP_KEYS)
    assert list(data["project"]) == field_names(ProjectInfo) and list(data["goal"]) == field_names(Goal)
    assert list(data["indicators"][0]) == field_names(Indicator)
    assert [r["label"] for r in data["funds"]["rows"]] == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
    assert list(data["funds"]["rows"][0]) == field_names(FundRow)


def test_canonical_form():
    e = jsonio.from_json({
        "format": "xlperf-evaluation", "version": 1, "profile": "cz2020",
        "project": {"name": "  ", "year": 2020.0, "filled_on": "2021-03-15", "period": "2021-02-30"},
        "indicators": [{}, {"name": None, "weight": ""}, {"name": "甲", "weight": 2.5, "target": "≥57人"}],
        "items": [{"level1": "投入"}, {"level1": "投入", "name": "乙"}],
        "problems": ["", "问题一", "  "],
        "settings": {"小数位数": 3, "等级": ""},
    })
    assert e.project.name is None and e.project.year == 2020 and isinstance(e.project.year, int)
    assert e.project.filled_on == dt.date(2021, 3, 15) and e.project.period == "2021-02-30"
    assert [i.name for i in e.indicators] == ["甲"] and e.indicators[0].loc["name"].field == "indicators[2].name"
    assert [i.name for i in e.items] == ["乙"] and e.problems == ["问题一"] and e.settings == {"小数位数": "3"}
    assert jsonio.to_json(e)["project"]["filled_on"] == "2021-03-15"
    assert jsonio.canonical(Decimal("2.50")) == 2.5 and jsonio.canonical(Decimal("3.0")) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["indicators"].__setitem__(3, {"weight": [1]}), "indicators[3].weight 应为数字或文本"),
        (lambda d: d["indicators"].__setitem__(0, {"wieght": 1}), "indicators[0] 中有未知字段“wieght”"),
        (lambda d: d.__setitem__("format", "other"), "不是 xlperf 评估数据"),
        (lambda d: d.__setitem__("version", 2), "此数据由更新版本的 xlperf 生成（数据版本 2），请升级：pip install -U xlperf"),
        (lambda d: d.__setitem__("settings", {"小数位": "2"}), "settings 中的“小数位”不是可设置的参数"),
        (lambda d: d["project"].__setitem__("name", "a\x01b"), "project.name 含有不可见的控制字符（U+0001）"),
        (lambda d: d["project"].__setitem__("year", 2**60), "project.year 数字"),
        (lambda d: d["project"].__setitem__("year", float("nan")), "project.year 应为有限的数字"),
        (lambda d: d.__setitem__("problems", ["a", 3]), "problems[1] 应为文本"),
        (lambda d: d.__setitem__("items", {}), "items 应为数组"),
        (lambda d: d["funds"]["rows"].__setitem__(1, {"label": 5}), "funds.rows[1].label 应为文本"),
        (lambda d: d.__setitem__("extra", 1), "顶层 中有未知字段“extra”"),
    ],
)
def test_validation_names_the_json_path(change, message):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(DataError) as caught:
        jsonio.from_json(data)
    assert message in str(caught.value)


def test_load_and_dump(tmp_path):
    evaluation = jsonio.load(EXAMPLE)
    path = tmp_path / "e.json"
    jsonio.dump(evaluation, path)
    assert jsonio.load(path).project.name == evaluation.project.name
    text, binary = io.StringIO(), io.BytesIO()
    jsonio.dump(evaluation, text)
    jsonio.dump(evaluation, binary)
    assert text.getvalue().encode("utf-8") == binary.getvalue() == path.read_bytes()
    assert "宁德市数字宁德建设办公室" in text.getvalue()  # not \\u escapes
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "xlperf-evaluation",\n "version": }', encoding="utf-8")
    with pytest.raises(DataError, match="JSON 格式错误：第 2 行"):
        jsonio.load(broken)
    with pytest.raises(DataError, match="文件不存在"):
        jsonio.load(tmp_path / "missing.json")


# ---------------------------------------------------------------------------
# JSON Schema
# ---------------------------------------------------------------------------


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_describes_every_field_in_chinese():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    props = schema["properties"]
    from xlperf.stages.jsonio import STAGE_KEYS  # written only for files with stage data (tests/stages)

    assert set(props) == set(jsonio.TOP_KEYS + jsonio.OPTIONAL_KEYS + STAGE_KEYS)
    groups = {"project": ProjectInfo, "goal": Goal}
    for name, cls in groups.items():
        assert list(props[name]["properties"]) == field_names(cls)
    assert list(props["indicators"]["items"]["properties"]) == field_names(Indicator)
    assert list(props["items"]["items"]["properties"]) == field_names(RubricItem)
    assert list(props["funds"]["properties"]["rows"]["items"]["properties"]) == field_names(FundRow)
    assert set(props["settings"]["properties"]) == {s.key for s in SETTINGS}

    def described(node):
        if isinstance(node, dict):
            if "properties" in node:
                for key, sub in node["properties"].items():
                    assert any("\u4e00" <= ch <= "\u9fff" for ch in sub.get("description", "")), key
            for sub in node.values():
                described(sub)

    described(schema)


def test_example_and_written_json_validate_against_the_schema():
    validator = _validator()
    validator.validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    validator.validate(jsonio.to_json(jsonio.load(EXAMPLE)))
    bad = jsonio.to_json(jsonio.load(EXAMPLE))
    bad["indicators"][0]["weight"] = [1]
    assert list(validator.iter_errors(bad))


# ---------------------------------------------------------------------------
# JSON → workbook → JSON
# ---------------------------------------------------------------------------

SPECIAL = ["=1+1", "+5", "-", "—", "/", "@x", "１２３", "≥57人", "59.93%", "57", "3.12万件", " 前后空格 ", "第一行\n第二行",
           "2018-12-31", "2018-13-45", "_x0041_", "TRUE", "#REF!", "'引号", "达成年度指标"]
TEXT = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=12),
)
NUMBER = st.one_of(
    st.integers(-10**12, 10**12),
    st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False).map(float),
)
RAW = st.one_of(st.none(), TEXT, NUMBER, st.booleans(), st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat))
NON_BLANK = TEXT.filter(lambda t: t.strip() != "")


def _record(names, **fixed):
    return st.fixed_dictionaries({name: fixed.get(name, RAW) for name in names})


def evaluations(profile_id: str):
    profile = load_profile(profile_id)
    skip = {"cz2020": {"reference"}, "fj2018": {"weight", "claimed_score", "not_applicable", "rule"}}[profile_id]
    indicator = _record([n for n in field_names(Indicator) if n not in skip])
    fund_row = _record(field_names(FundRow), label=st.one_of(st.none(), NON_BLANK))
    categories = [c.name for c in profile.categories]

    @st.composite
    def items(draw):
        if profile_id != "fj2018":
            return []
        drawn = draw(st.lists(_record(field_names(RubricItem), level1=st.sampled_from(categories)), max_size=40))
        return sorted(drawn, key=lambda item: categories.index(item["level1"]))  # grouped by 一级, as the 评分表 holds them

    return st.fixed_dictionaries({
        "format": st.just("xlperf-evaluation"),
        "version": st.just(1),
        "profile": st.just(profile_id),
        "project": _record(field_names(ProjectInfo)),
        "funds": st.fixed_dictionaries({"rows": st.lists(fund_row, min_size=1, max_size=6), "claimed_rate": RAW, "reason": RAW}),
        "goal": _record(field_names(Goal)),
        "indicators": st.lists(indicator, max_size=40),
        "items": items(),
        "claimed_total": RAW,
        "claimed_grade": RAW,
        "problems": st.lists(TEXT, max_size=8),
        "measures": st.lists(TEXT, max_size=8),
        "suggestions": st.lists(TEXT, max_size=8),
        "settings": st.dictionaries(st.sampled_from([s.key for s in SETTINGS]), NON_BLANK, max_size=4),
    })


def _round_trip(tmp_path_factory, data):
    evaluation = jsonio.from_json(data)
    expected = jsonio.to_json(evaluation)
    assert jsonio.to_json(jsonio.from_json(expected)) == expected  # canonical form is stable
    path = tmp_path_factory.mktemp("rt") / "book.xlsx"
    build_workbook(evaluation.profile, evaluation, path)
    back, findings = read_workbook(path)
    assert findings == []
    assert jsonio.to_json(back) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=evaluations("cz2020"))
def test_cz2020_json_workbook_json_is_lossless(tmp_path_factory, data):
    _round_trip(tmp_path_factory, data)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=evaluations("fj2018"))
def test_fj2018_json_workbook_json_is_lossless(tmp_path_factory, data):
    _round_trip(tmp_path_factory, data)


@settings(max_examples=20, deadline=None)
@given(data=evaluations("fj2018"))
def test_generated_json_validates_against_the_schema(data):
    validator = _validator()
    validator.validate(data)
    validator.validate(jsonio.to_json(jsonio.from_json(data)))
