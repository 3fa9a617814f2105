"""Stage data in the evaluation JSON: round trip, schema, validation messages, advancing."""

import json
from pathlib import Path

import pytest

from xlperf import jsonio
from xlperf.errors import DataError, XlperfError
from xlperf.model import Indicator, field_names
from xlperf.stages import stage_of
from xlperf.stages.advance import advance, new_stage
from xlperf.stages.jsonio import STAGE_KEYS
from xlperf.stages.model import Adjustment, MonitoredFunds, MonitoredIndicator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "xlperf" / "schema" / "evaluation.schema.json"
EXAMPLES = ROOT / "xlperf" / "examples"


def test_round_trip_keeps_every_stage_value(monitored):
    data = jsonio.to_json(monitored)
    assert list(data)[-4:] == list(STAGE_KEYS)
    again = jsonio.from_json(json.loads(json.dumps(data)))
    assert jsonio.to_json(again) == data
    assert again.stages.monitoring.indicators[5].cause_rules == "运营规范尚在修订"
    assert again.stages.monitoring.indicators[5].loc["progress"].field == "monitoring.indicators[5].progress"


def test_plain_evaluation_json_has_no_stage_keys():
    ev = jsonio.load(EXAMPLES / "ningde2018.json")
    assert ev.stages is None and stage_of(ev) == "自评"
    assert not set(STAGE_KEYS) & set(jsonio.to_json(ev))


def test_schema_lists_the_model_fields_and_validates_the_examples(final):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    props = schema["properties"]
    monitoring = props["monitoring"]["anyOf"][1]["properties"]
    assert list(monitoring["funds"]["properties"]) == field_names(MonitoredFunds)
    assert list(monitoring["indicators"]["items"]["properties"]) == field_names(MonitoredIndicator)
    assert list(props["adjustments"]["items"]["properties"]) == field_names(Adjustment)
    assert list(props["declared"]["items"]["properties"]) == field_names(Indicator)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("shenbao2024.json", "jiankong2024.json"):
        validator.validate(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))
    validator.validate(jsonio.to_json(final))
    bad = jsonio.to_json(final)
    bad["stage"] = "决算"
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": "决算"}, "stage 应为 申报、监控、自评"),
        ({"monitoring": {"speed": 1}}, "未知字段“speed”"),
        ({"monitoring": {"indicators": [{"progress": [1]}]}}, r"monitoring.indicators\[0\].progress 应为数字或文本"),
        ({"adjustments": {}}, "adjustments 应为数组"),
    ],
)
def test_bad_stage_data_names_its_path(change, message):
    data = {"format": "xlperf-evaluation", "version": 1, **change}
    with pytest.raises(DataError, match=message):
        jsonio.from_json(data)


def test_advance_keeps_values_and_snapshots_targets():
    declared = jsonio.load(EXAMPLES / "shenbao2024.json")
    assert stage_of(declared) == "申报"
    monitored = advance(declared, "监控")
    assert stage_of(monitored) == "监控" and stage_of(declared) == "申报"  # the input is not changed
    assert [x.target for x in monitored.stages.declared] == [x.target for x in declared.indicators]
    rows = monitored.stages.monitoring.indicators
    assert [(r.name, r.target) for r in rows] == [(x.name, x.target) for x in declared.indicators]
    assert monitored.stages.monitoring.funds.budget == 300
    final = advance(monitored, "自评")
    assert stage_of(final) == "自评" and final.stages.monitoring is not None
    assert jsonio.to_json(final)["indicators"] == jsonio.to_json(declared)["indicators"]  # typed once
    with pytest.raises(XlperfError, match="只能向后"):
        advance(final, "监控")
    skipped = advance(declared, "自评")  # 申报 straight to 自评 still records the approved targets
    assert skipped.stages.declared and skipped.stages.monitoring is None


def test_new_stage():
    assert stage_of(new_stage("申报")) == "申报"
    with pytest.raises(XlperfError):
        new_stage("决算")


def test_next_years_declaration_checks_targets_against_this_years_actuals(final):
    from xlperf.stages.targets import check_declaration

    nxt = advance(final, "申报")
    assert stage_of(nxt) == "申报" and nxt.project.year == 2025
    assert nxt.stages.monitoring is None and nxt.stages.declared == []
    assert nxt.indicators[0].reference == "1260人" and nxt.indicators[0].actual is None
    # ≥1200 again, after 1260 were served this year: 指标值设定偏低
    found = [f for f in check_declaration(nxt) if f.code == "target.below_last_year"]
    assert [f.location.field for f in found][:1] == ["indicators[0].target"]
