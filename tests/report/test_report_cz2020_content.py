"""The cz2020 report uses every 报告材料 text, states the 年度总体目标 once, and has no lone （一）."""

from __future__ import annotations

import re

import reporthelpers

from xlperf.report import render
from xlperf.scoring import score


def markdown(evaluation) -> str:
    return render(evaluation, score(evaluation), fmt="md").decode("utf-8")


def test_every_typed_text_reaches_the_report():
    evaluation = reporthelpers.cz2020_evaluation()
    evaluation.project.organisation = "成立了以局长为组长的绩效管理领导小组。"
    evaluation.project.finance = "严格执行专项资金管理办法，专款专用。"
    evaluation.project.method = "采用比较法和因素分析法，对照年初目标逐项核实。"
    evaluation.goal.expected = "完成全县农村饮水工程巩固提升。"
    text = markdown(evaluation)
    for typed in ("成立了以局长为组长的绩效管理领导小组", "严格执行专项资金管理办法", "采用比较法和因素分析法"):
        assert typed in text
    body, annex = text.split("附件1", 1)
    assert body.count("完成全县农村饮水工程巩固提升") == 1  # the body says it once; 附件1 reproduces the 自评表
    assert annex.count("完成全县农村饮水工程巩固提升") == 1


def test_no_lone_first_subheading():
    text = markdown(reporthelpers.cz2020_evaluation())
    sections = re.split(r"\n## ", text)
    for section in sections[1:]:
        subs = re.findall(r"^### （([一二三四五六七八九十]+)）", section, re.M)
        assert subs != ["一"], section.splitlines()[0]
