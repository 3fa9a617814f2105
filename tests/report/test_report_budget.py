"""User templates run under a time, output and loop budget (issue 17): a runaway template is a
Chinese message and leaves no file behind, in Word and Markdown templates alike."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from docx import Document

import xlperf.report.templating as templating
from xlperf.errors import TemplateError
from xlperf.report import write_report
from xlperf.report.style import TEMPLATES

RUNAWAY = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "循环次数"),
    ("{{ 'a' * 10 ** 9 }}", "重复"),
    ("{{ 10 ** 5000 }}", "乘方"),
    ("{{ '{:>999999999}'.format(1) }}", "格式化"),
    ("{{ '%0999999999d' % 1 }}", "格式化"),
    ("{{ 'x'|center(999999999) }}", "参数"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}", "拼接"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s|replace('a', 'aa') %}{% endfor %}", "过滤器"),
    ("{{ (range(100000)|list) * 1000 }}", "重复"),
]


def md_template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "单位模板.md.j2"
    path.write_text("# 报告\n" + text + "\n", encoding="utf-8")
    return path


def word_template(tmp_path: Path, text: str) -> Path:
    doc = Document(str(TEMPLATES / "report_fj2018.docx"))
    doc.add_paragraph(text)
    path = tmp_path / "单位模板.docx"
    doc.save(str(path))
    return path


def refused(example, tmp_path: Path, template: Path, fmt: str) -> str:
    evaluation, results = example
    out = tmp_path / "out" / f"报告.{fmt}"
    out.parent.mkdir()
    started = time.monotonic()
    with pytest.raises(TemplateError) as info:
        write_report(evaluation, results, out, fmt=fmt, template=template, charts=False)
    assert time.monotonic() - started < 60
    assert list(out.parent.iterdir()) == []  # no report, no temporary file
    return str(info.value)


@pytest.mark.parametrize("source, expected", RUNAWAY)
def test_runaway_markdown_templates_are_stopped(example, tmp_path, source, expected):
    message = refused(example, tmp_path, md_template(tmp_path, source), "md")
    assert expected in message and "单位模板" in message


@pytest.mark.parametrize("source, expected", [RUNAWAY[0], RUNAWAY[1], RUNAWAY[2]])
def test_runaway_word_templates_are_stopped(example, tmp_path, source, expected):
    assert expected in refused(example, tmp_path, word_template(tmp_path, source), "docx")


def test_the_time_budget_stops_a_slow_template(example, tmp_path, monkeypatch):
    monkeypatch.setattr(templating, "TIME_LIMIT", 0.5)
    monkeypatch.setattr(templating, "ITERATION_LIMIT", 10**9)
    source = "{% for i in range(100000) %}{% for j in range(100000) %}{{ i * j }}{% endfor %}{% endfor %}"
    assert "秒" in refused(example, tmp_path, md_template(tmp_path, source), "md")


def test_huge_powers_are_not_folded_at_compile_time():
    env = templating.environment(autoescape=False)
    started = time.monotonic()
    source = env.compile("{{ 10 ** 100000 }}", raw=True)  # jinja2 folds constant expressions it may evaluate
    assert time.monotonic() - started < 1 and "call_binop" in source


def test_ordinary_arithmetic_and_text_still_work():
    env = templating.environment(autoescape=False)
    out = env.from_string("{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ '%5.1f' % 3.14 }} {{ '{:>4}'.format(7) }} {{ 'a' ~ 1 }} {{ 'x'|center(5) }}").render({})
    assert out == "1024 ababab   3.1    7 a1   x  "
