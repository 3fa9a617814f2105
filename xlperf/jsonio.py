"""An Evaluation as JSON: ``{"format": "xlperf-evaluation", "version": 1, …}``.

Keys are the model's field names (``xlperf.model.field_names``); values stay as
typed: text, numbers, true/false, null, and dates as ISO text (``2018-12-31``).
Every field is written, null included, in model order, so files diff well.

One canonical form is shared with the workbook reader (``canonical``), which
makes JSON → workbook → JSON lossless: blank text is null, a whole float is an
int, an ISO date text is a date, and records with nothing in them are dropped
(an item with nothing but its 一级 too; with no fund row left, the four
standard rows are used).
The schema is ``xlperf/schema/evaluation.schema.json``.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import re
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from xlperf.errors import DataError
from xlperf.model import (
    Evaluation,
    FundRow,
    Funds,
    Indicator,
    Location,
    RubricItem,
    Task,
    field_names,
)
from xlperf.profile import SETTING_KEYS
from xlperf.raw import MAX_INT, canonical

FORMAT = "xlperf-evaluation"
VERSION = 1
MAX_TEXT = 32_767  # what one Excel cell holds
LISTS = ("problems", "measures", "suggestions")
OPTIONAL_KEYS = ("tasks",)  # written only when filled: 部门整体支出's 年度主要任务
TOP_KEYS = ("format", "version", "profile", "project", "funds", "goal", "indicators", "items",
            "claimed_total", "claimed_grade", *LISTS, "settings")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _out(value: Any) -> Any:
    value = canonical(value, dates=False)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _record(record) -> dict:
    return {name: _out(getattr(record, name)) for name in field_names(type(record))}


def to_json(evaluation: Evaluation) -> dict:
    """The evaluation as JSON-ready data (every field, null included)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "profile": evaluation.profile,
        "project": _record(evaluation.project),
        "funds": {
            "rows": [_record(row) for row in evaluation.funds.rows],
            "claimed_rate": _out(evaluation.funds.claimed_rate),
            "claimed_score": _out(evaluation.funds.claimed_score),
            "reason": _out(evaluation.funds.reason),
        },
        "goal": _record(evaluation.goal),
        "indicators": [_record(x) for x in evaluation.indicators],
        "items": [_record(x) for x in evaluation.items],
        **({"tasks": [_record(x) for x in evaluation.tasks]} if evaluation.tasks else {}),  # 部门整体支出 only
        "claimed_total": _out(evaluation.claimed_total),
        "claimed_grade": _out(evaluation.claimed_grade),
        **{name: [str(_out(x)) for x in getattr(evaluation, name) if _out(x) is not None] for name in LISTS},
        "settings": {key: str(value) for key, value in evaluation.settings.items() if canonical(value) is not None},
        **(_stages_json(evaluation.stages) if evaluation.stages is not None else {}),
    }


def _stages_json(stages) -> dict:
    from xlperf.stages.jsonio import stages_to_json  # stage keys only for files with stage data

    return stages_to_json(stages)


# ---------------------------------------------------------------------------
# Reading, with validation
# ---------------------------------------------------------------------------


def _fail(path: str, message: str) -> DataError:
    return DataError(f"{path} {message}" if path else message)


def _object(value: Any, path: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise _fail(path, "应为对象（{…}）")
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise _fail(path or "顶层", f"中有未知字段“{unknown[0]}”；可用字段：{'、'.join(allowed)}")
    return value


def _text(value: str, path: str) -> str:
    if len(value) > MAX_TEXT:
        raise _fail(path, f"文本长 {len(value)} 个字符，超过 Excel 单元格上限 {MAX_TEXT}")
    bad = _CONTROL.search(value)
    if bad:
        raise _fail(path, f"含有不可见的控制字符（U+{ord(bad.group()):04X}），请删除")
    return value


def _raw(value: Any, path: str, dates: bool = True) -> Any:
    """Check one input value and bring it to canonical form."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) >= MAX_INT:
            raise _fail(path, f"数字 {value} 太大，Excel 无法精确保存；请改为文本")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _fail(path, "应为有限的数字")
        return canonical(value)
    if isinstance(value, str):
        return canonical(_text(value, path), dates)
    raise _fail(path, "应为数字或文本")


def _fill(record, data: Any, path: str, skip_blank: tuple[str, ...] | None = None):
    """Set a record's fields from a JSON object; None if the record is blank (and may be dropped)."""
    names = tuple(field_names(type(record)))
    data = _object(data, path, names)
    for name in names:
        value = _raw(data.get(name), f"{path}.{name}", dates=name != "label")
        setattr(record, name, value)
        record.loc[name] = Location(field=f"{path}.{name}")
    if skip_blank is not None and all(getattr(record, n) is None for n in names if n not in skip_blank):
        return None
    return record


def _list(data: Any, path: str) -> list:
    if data is None:
        return []
    if not isinstance(data, list):
        raise _fail(path, "应为数组（[…]）")
    return data


def from_json(data: Any, source: str | None = None) -> Evaluation:
    """Build an Evaluation from parsed JSON, checking it; a DataError names the JSON path."""
    from xlperf.stages.jsonio import STAGE_KEYS, read_stages

    data = _object(data, "", TOP_KEYS + OPTIONAL_KEYS + STAGE_KEYS)
    if data.get("format") != FORMAT:
        raise DataError(f"不是 xlperf 评估数据：format 应为“{FORMAT}”")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail("version", "应为正整数")
    if version > VERSION:
        raise DataError(f"此数据由更新版本的 xlperf 生成（数据版本 {version}），请升级：pip install -U xlperf")
    profile = data.get("profile", "cz2020")
    if not isinstance(profile, str) or not profile.strip():
        raise _fail("profile", "应为评分方案名称（如 cz2020、fj2018）")
    evaluation = Evaluation(profile=profile.strip(), source=source)
    if data.get("project") is not None:
        _fill(evaluation.project, data["project"], "project")
    if data.get("goal") is not None:
        _fill(evaluation.goal, data["goal"], "goal")
    if data.get("funds") is not None:
        evaluation.funds = _funds(data["funds"])
    for i, raw in enumerate(_list(data.get("indicators"), "indicators")):
        record = _fill(Indicator(), raw, f"indicators[{i}]", skip_blank=())
        if record is not None:
            evaluation.indicators.append(record)
    for i, raw in enumerate(_list(data.get("items"), "items")):
        record = _fill(RubricItem(), raw, f"items[{i}]", skip_blank=("level1",))
        if record is not None:
            evaluation.items.append(record)
    for i, raw in enumerate(_list(data.get("tasks"), "tasks")):
        record = _fill(Task(), raw, f"tasks[{i}]", skip_blank=())
        if record is not None:
            evaluation.tasks.append(record)
    evaluation.claimed_total = _raw(data.get("claimed_total"), "claimed_total")
    evaluation.claimed_grade = _raw(data.get("claimed_grade"), "claimed_grade")
    for name in LISTS:
        texts = []
        for i, raw in enumerate(_list(data.get(name), name)):
            if not isinstance(raw, str):
                raise _fail(f"{name}[{i}]", "应为文本")
            if raw.strip():
                texts.append(_text(raw, f"{name}[{i}]"))
        setattr(evaluation, name, texts)
    evaluation.settings = _settings(data.get("settings"), evaluation)
    evaluation.stages = read_stages(data)
    return evaluation


def _funds(data: Any) -> Funds:
    data = _object(data, "funds", ("rows", "claimed_rate", "claimed_score", "reason"))
    funds = Funds()
    if data.get("rows") is not None:
        rows = _list(data["rows"], "funds.rows")
        if len(rows) > 50:
            raise _fail("funds.rows", f"最多 50 行，实际 {len(rows)} 行")
        kept = []
        for i, raw in enumerate(rows):
            row = _fill(FundRow(), raw, f"funds.rows[{i}]", skip_blank=())
            if row is None:
                continue  # a row with nothing in it, as the workbook reader skips it
            if row.label is not None and not isinstance(row.label, str):
                raise _fail(f"funds.rows[{i}].label", "应为文本（行名称，如 年度资金总额）")
            kept.append(row)
        if kept:
            funds.rows = kept
    funds.claimed_rate = _raw(data.get("claimed_rate"), "funds.claimed_rate")
    funds.claimed_score = _raw(data.get("claimed_score"), "funds.claimed_score")
    funds.reason = _raw(data.get("reason"), "funds.reason")
    funds.loc = {"claimed_rate": Location(field="funds.claimed_rate"), "claimed_score": Location(field="funds.claimed_score"),
                 "reason": Location(field="funds.reason")}
    return funds


def _settings(data: Any, evaluation: Evaluation) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _fail("settings", "应为对象（{…}）")
    settings: dict[str, str] = {}
    for key, value in data.items():
        path = f"settings.{key}"
        if key not in SETTING_KEYS and not str(key).endswith("分值"):  # 「产出指标分值」: a 一级 weight, checked against the profile when scoring
            raise _fail("settings", f"中的“{key}”不是可设置的参数；可设置：{'、'.join(SETTING_KEYS)}")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) and value is not None:
            raise _fail(path, "应为文本或数字")
        value = _raw(value, path, dates=False)
        if value is None:
            continue
        settings[key] = value if isinstance(value, str) else str(value)
        evaluation.settings_loc[key] = Location(field=path)
    return settings


def load(path: str | Path) -> Evaluation:
    """Read a JSON evaluation file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError("文件不存在", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"无法读取（应为 UTF-8 编码的 JSON）：{exc}", path=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}", path=str(path)) from None
    try:
        return from_json(data, source=str(path))
    except DataError as exc:
        raise DataError(exc.message, path=str(path)) from None


def dumps(evaluation: Evaluation) -> str:
    return json.dumps(to_json(evaluation), ensure_ascii=False, indent=2) + "\n"


def dump(evaluation: Evaluation, path_or_stream: str | Path | TextIO | BinaryIO) -> None:
    """Write the evaluation as UTF-8 JSON to a path or a stream (text or binary)."""
    text = dumps(evaluation)
    if isinstance(path_or_stream, (str, Path)):
        Path(path_or_stream).write_text(text, encoding="utf-8")
    elif isinstance(path_or_stream, io.TextIOBase) or hasattr(path_or_stream, "encoding"):
        path_or_stream.write(text)
    else:
        path_or_stream.write(text.encode("utf-8"))
