"""Mutation test: reports written by ``xlperf report`` are consistent; each change to a figure is found.

Three examples (the bundled 宁德 example with its contradictions put right, two cz2020 evaluations built
with the model), each as Markdown and as Word. Each mutation changes one figure in the text the way a
hand edit would: a ratio, an actual, a component, a score, a total, a grade, a unit, a magnitude, a
fund rate; the audit must report it with the expected kind of finding.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from audithelpers import EXAMPLES


def _bump(m: re.Match, group: int, delta: Decimal) -> str:
    s = m.group(0)
    a, b = m.span(group)
    a, b = a - m.start(), b - m.start()
    old = m.group(group)
    places = len(old.split(".")[1]) if "." in old else 0
    new = Decimal(old) + delta
    return s[:a] + f"{new:.{places}f}" + s[b:]


MUTATIONS = {
    # name: (pattern, replacement function, expected finding codes (any of))
    "ratio": (r"目标完成比值(\d+\.\d+)%", lambda m: _bump(m, 1, Decimal(7)), {"audit.ratio"}),
    "actual": (r"实际完成值(\d+)(?:场|亩|人次)，目标完成比值", lambda m: _bump(m, 1, Decimal(17)), {"audit.ratio", "audit.same"}),
    "component": (r"(?:其中：[^。]*?|总投入)(\d+\.\d+)万元", lambda m: _bump(m, 1, Decimal(10)), {"audit.parts", "audit.funds"}),
    "score": (r"(?:得分|此项得)(\d+)分", lambda m: _bump(m, 1, Decimal(-1)), {"audit.score", "audit.sum", "audit.table", "audit.rule"}),
    "weight": (r"得满分(\d+)分|分值(\d+)分", lambda m: _bump(m, m.lastindex, Decimal(1)), {"audit.sum", "audit.score", "audit.table"}),
    "total": (r"(?:项目得分|实际自评得分)(\d+\.\d+)分", lambda m: _bump(m, 1, Decimal(1)), {"audit.total"}),
    "grade": (r"自评等级(?:为)?(优秀|优)", lambda m: m.group(0).replace(m.group(1), "良好" if m.group(1) == "优秀" else "良"),
              {"audit.grade"}),
    "unit": (r"(?:绩效目标值|年度指标值≥)\d+(场|户|个|人次)", lambda m: m.group(0)[:m.start(1) - m.start()] + "件", {"audit.unit"}),
    "magnitude": (r"实际完成值(\d+)(场|户)", lambda m: m.group(0).replace(m.group(2), "万" + m.group(2)), {"audit.ratio", "audit.unit", "audit.same"}),
    "rate": (r"(?:资金使用率|预算执行率)(\d+\.\d+)%", lambda m: _bump(m, 1, Decimal(5)), {"audit.funds", "audit.same", "audit.table"}),
}


def mutate_text(text: str, name: str) -> str:
    pattern, fn, _ = MUTATIONS[name]
    new, n = re.subn(pattern, fn, text, count=1)
    assert n == 1, f"mutation {name} does not apply"
    return new


def mutate_docx(src, dst, name: str) -> None:
    from docx import Document

    doc = Document(str(src))
    pattern, fn, _ = MUTATIONS[name]
    for p in doc.paragraphs:
        if re.search(pattern, p.text):
            new = re.sub(pattern, fn, p.text, count=1)
            runs = p.runs
            runs[0].text = new
            for r in runs[1:]:
                r.text = ""
            doc.save(str(dst))
            return
    raise AssertionError(f"mutation {name} does not apply")


@pytest.mark.parametrize("example", sorted(EXAMPLES))
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_unchanged_report_gives_no_finding(reports, example, fmt):
    from xlperf.audit import audit_file

    findings = audit_file(reports[(example, fmt)])[2]
    assert findings == [], [str(f) for f in findings]
    findings = audit_file(reports[(example, fmt)], against=reports[(example, "json")])[2]
    assert findings == [], [str(f) for f in findings]


@pytest.mark.parametrize("example", sorted(EXAMPLES))
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_mutation_found_in_markdown(reports, tmp_path, example, mutation):
    from xlperf.audit import audit_file

    text = reports[(example, "md")].read_text(encoding="utf-8")
    if not re.search(MUTATIONS[mutation][0], text):
        pytest.skip(f"{example} has no figure of this kind")
    path = tmp_path / "改过的报告.md"
    path.write_text(mutate_text(text, mutation), encoding="utf-8")
    codes = {f.code for f in audit_file(path)[2]}
    assert codes & MUTATIONS[mutation][2], (mutation, codes)


@pytest.mark.parametrize("example", sorted(EXAMPLES))
@pytest.mark.parametrize("mutation", ["ratio", "actual", "score", "total", "grade", "unit"])
def test_mutation_found_in_word(reports, tmp_path, example, mutation):
    from xlperf.audit import audit_file

    path = tmp_path / "改过的报告.docx"
    mutate_docx(reports[(example, "docx")], path, mutation)
    codes = {f.code for f in audit_file(path)[2]}
    assert codes & MUTATIONS[mutation][2], (mutation, codes)


def test_every_mutation_kind_applies_somewhere(reports):
    """No mutation is vacuous: each applies to at least one example."""
    for name, (pattern, _, _) in MUTATIONS.items():
        assert any(re.search(pattern, reports[(ex, "md")].read_text(encoding="utf-8")) for ex in EXAMPLES), name


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_workbook_change_found_against(reports, tmp_path, example):
    """The report is left alone and the workbook changes: only --against can see it."""
    import json

    from xlperf.audit import audit_file

    data = json.loads(reports[(example, "json")].read_text(encoding="utf-8"))
    ind = next(i for i in data["indicators"] if re.fullmatch(r"\d+(?:场|亩|人次)", str(i["actual"] or "")))
    ind["actual"] = str(int(re.match(r"\d+", ind["actual"]).group(0)) + 11) + re.sub(r"\d+", "", ind["actual"])
    data["funds"]["rows"][0]["spent"] = float(data["funds"]["rows"][0]["spent"]) - 1
    changed = tmp_path / "改过的自评表.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert audit_file(reports[(example, "md")])[2] == []
    findings = audit_file(reports[(example, "md")], against=changed)[2]
    messages = " ".join(f.message for f in findings)
    assert ind["actual"] in messages, messages
    assert any("实际支出" in f.message or "资金使用率" in f.message or "执行率" in f.message for f in findings), messages
