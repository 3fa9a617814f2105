"""The audit on reports in other styles and wordings.

- The report ``xlperf report`` writes for every shipped profile (rubric styles 决策/过程/产出/效益 and
  共性/特性, the 10号 indicator style, hubei/ningxia variants): no finding, as text and against its
  workbook; every mutation of ``test_audit_mutations`` that applies to it is found.
- The 实际完成情况 sentence's figures against the indicators they name.
- Paraphrases a hand-written report uses (完成率 for 目标完成比值, 实际值, 权重, 计划值, 元 for 万元,
  Chinese numerals 一百二十六公里 and 百分之九十五): still no finding, and a changed figure in the
  paraphrased text is still found.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from test_audit_mutations import MUTATIONS, _bump, mutate_text

from xlperf.examples import made_up_ids

PIDS = made_up_ids()


@pytest.mark.parametrize("pid", PIDS)
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_shipped_profile_report_gives_no_finding(shipped_reports, pid, fmt):
    from xlperf.audit import audit_file

    workbook, md, docx = shipped_reports[pid]
    report = md if fmt == "md" else docx
    findings = audit_file(report)[2]
    assert findings == [], [str(f) for f in findings]
    findings = audit_file(report, against=workbook)[2]
    assert findings == [], [str(f) for f in findings]


@pytest.mark.parametrize("pid", PIDS)
def test_every_applicable_mutation_found_on_shipped_reports(shipped_reports, tmp_path, pid):
    from xlperf.audit import audit_file

    workbook, md, _ = shipped_reports[pid]
    text = md.read_text(encoding="utf-8")
    applied = 0
    for name, (pattern, _fn, codes) in MUTATIONS.items():
        if not re.search(pattern, text):
            continue
        path = tmp_path / f"{name}.md"
        path.write_text(mutate_text(text, name), encoding="utf-8")
        found = {f.code for f in audit_file(path)[2]}
        assert found & codes, (pid, name, found)
        assert audit_file(path, against=workbook)[2], (pid, name)
        applied += 1
    assert applied >= 5, pid


# paraphrase name: [(as xlperf writes it, as a hand-written report may put it)]
PARAPHRASES = {
    "完成率": [("目标完成比值", "完成率")],
    "完成比例": [("目标完成比值", "目标完成比例为")],
    "实际值": [("实际完成值", "实际值")],
    "实际完成": [("实际完成值", "实际完成")],
    "目标值": [("年度指标值", "计划值")],
    "权重": [("分值", "权重")],
    "元": [("全年预算数3200.00万元", "全年预算数32000000元")],
    "中文数字": [("≥120公里", "一百二十公里以上"), ("126公里", "一百二十六公里")],
    "百分之": [("≥95%，实际完成值93%", "不低于百分之九十五，实际完成值百分之九十三")],
}
# mutation name: (pattern in the paraphrased text, change); each must be found in every paraphrase it applies to
CHANGES = {
    "actual": (r"实际(?:完成值|值|完成)?(?:一百二十六|126)公里", lambda s: s.replace("126", "136").replace("一百二十六", "一百三十六")),
    "ratio": (r"(?:目标完成比值|完成率|目标完成比例为)105\.00%", lambda s: s.replace("105.00", "108.00")),
    "spent": (r"全年执行数2944\.00万元", lambda s: s.replace("2944", "2844")),
    "score": (r"得分14\.68分", lambda s: s.replace("14.68", "13.68")),
    "weight": (r"(?:分值|权重)15分，得分15分", lambda s: s.replace("15分，得分", "16分，得分", 1)),
    "magnitude": (r"全年执行数2944\.00万元", lambda s: s.replace("万元", "元")),
    # the 实际完成情况 sentence against the indicator it names (管网 → 新建及改造供水管网长度)
    "prose": (r"完成管网(?:126|一百二十六)公里", lambda s: s.replace("126", "136").replace("一百二十六", "一百三十六")),
    "prose_rate": (r"水质合格率93%", lambda s: s.replace("93%", "95%")),
}


def _paraphrased(text: str, name: str) -> str:
    for old, new in PARAPHRASES[name]:
        assert old in text, (name, old)
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("name", sorted(PARAPHRASES))
def test_paraphrase_alone_gives_no_finding(shipped_reports, tmp_path, name):
    from xlperf.audit import audit_file

    workbook, md, _ = shipped_reports["cz2020"]
    path = tmp_path / "报告.md"
    path.write_text(_paraphrased(md.read_text(encoding="utf-8"), name), encoding="utf-8")
    findings = audit_file(path)[2]
    assert findings == [], [str(f) for f in findings]
    findings = audit_file(path, against=workbook)[2]
    assert findings == [], [str(f) for f in findings]


@pytest.mark.parametrize("name", sorted(PARAPHRASES))
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_change_found_in_paraphrased_report(shipped_reports, tmp_path, name, change):
    from xlperf.audit import audit_file

    _, md, _ = shipped_reports["cz2020"]
    text = _paraphrased(md.read_text(encoding="utf-8"), name)
    pattern, fn = CHANGES[change]
    m = re.search(pattern, text)
    if m is None:
        pytest.skip(f"{change} does not apply to the {name} wording")
    path = tmp_path / "报告.md"
    path.write_text(text[:m.start()] + fn(m.group(0)) + text[m.end():], encoding="utf-8")
    findings = audit_file(path)[2]
    assert any(f.paras and f.severity.value == "error" for f in findings), (name, change)


def test_every_change_applies_somewhere(shipped_reports):
    _, md, _ = shipped_reports["cz2020"]
    text = md.read_text(encoding="utf-8")
    for change, (pattern, _) in CHANGES.items():
        assert any(re.search(pattern, _paraphrased(text, n)) for n in PARAPHRASES), change


@pytest.mark.parametrize("written, digits", [
    ("实际召开视频会议一百二十场", "实际召开视频会议120场"),
    ("不低于百分之九十五", "不低于95%"),
    ("受益三点二万人", "受益3.2万人"),
    ("分值十五分", "分值15分"),
    ("一百零五期", "105期"),
    ("十二个乡镇", "12个乡镇"),
    ("该项目属于一次性项目", "该项目属于一次性项目"),
    ("一是加强管理，统一部署", "一是加强管理，统一部署"),
    ("第一是投入（30%）满分30分", "第一是投入（30%）满分30分"),
])
def test_chinese_numerals(written, digits):
    from xlperf.audit.extract import UNITS
    from xlperf.audit.numerals import arabic

    assert arabic(written, UNITS) == digits


def test_chinese_numeral_contradiction_found(tmp_path):
    """162 场 in the text and 一百九十二场 in another paragraph: the same figure class as the seed's."""
    from xlperf.audit import audit_file

    path = tmp_path / "报告.txt"
    path.write_text(
        "1.产出目标完成情况。（1）数量目标：①视频会议场次，参考标准150场，绩效目标值160场，实际完成值一百九十二场，目标值完成比例101.25%。\n"
        "第三是产出与效益（40%）满分40分，实际得分40分。\n"
        "1.产出与效益-产出数量-视频会议场次。视频会议场次达到160场得满分40分。实际召开视频会议162场，此项得40分。\n",
        encoding="utf-8")
    codes = {f.code for f in audit_file(path)[2]}
    assert "audit.ratio" in codes and "audit.same" in codes
