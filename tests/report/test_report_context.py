"""The report context: plain data, the core's numbers, the sample's structure."""

from __future__ import annotations

import json

from xlperf.profile import load_profile
from xlperf.report.context import CONTEXT_KEYS, build_context, report_basename
from xlperf.report.sentences import pct, pts
from xlperf.values import fmt_number


def test_context_is_plain_data_with_the_documented_keys(example):
    evaluation, results = example
    context = build_context(evaluation, results, load_profile("fj2018"))
    assert tuple(context) == CONTEXT_KEYS
    json.dumps(context, ensure_ascii=False)  # dicts, lists, strings and None only


def test_title_follows_the_sample(example):
    evaluation, results = example
    title = build_context(evaluation, results, load_profile("fj2018"))["title"]
    # GB/T 9704 7.3.1: lines of at most 20 characters of 2号, broken between words, not inside 运行维护费
    assert title["lines"] == ["宁德市数字宁德建设办公室", "关于2018年度政务网等运行维护费", "项目支出的绩效自评报告"]
    assert title["text"] == "宁德市数字宁德建设办公室关于2018年度政务网等运行维护费项目支出的绩效自评报告"
    assert report_basename(evaluation) == "2018年度政务网等运行维护费_2018年度绩效自评报告"


def test_numbers_come_from_the_core(example):
    evaluation, results = example
    context = build_context(evaluation, results, load_profile("fj2018"))
    first = next(i for i, ind in enumerate(evaluation.indicators) if ind.name == "市委市政府云移云平台使用人数")
    ratio = pct(results.indicators[first].ratio)
    groups = {g["level1"]: g for g in context["goal_groups"]}
    assert f"①市委市政府云移云平台使用人数，参考标准55人，绩效目标值57人，实际完成值59人，目标完成比值{ratio}" in groups["产出"]["body"]
    funds_rate = f"{fmt_number(results.funds.rate)}%"
    items = [it["text"] for c in context["categories"] for it in c["entries"]]
    use = next(t for t in items if "资金使用率。" in t)
    index = next(i for i, it in enumerate(evaluation.items) if it.name == "资金使用率")
    assert use.endswith(f"实际资金使用率为{funds_rate}，此项得{pts(results.items[index].points)}分。")
    assert "99.40%" not in use  # the typed, contradicted figure
    assert context["total"]["sentence"] == f"项目自评{pts(results.total)}分，自评等级{results.grade}。"


def test_circled_numbers_restart_in_each_group(example):
    evaluation, results = example
    groups = build_context(evaluation, results, load_profile("fj2018"))["goal_groups"]
    assert [g["head"] for g in groups] == ["1.投入目标完成情况。", "2.产出目标完成情况。", "3.效益目标完成情况。"]
    for group in groups:
        for sub in group["subgroups"]:
            assert sub["lines"][0].startswith("①")
        assert group["body"].startswith("（1）")


def test_subtotals_per_category(example):
    evaluation, results = example
    categories = build_context(evaluation, results, load_profile("fj2018"))["categories"]
    assert [c["name"] for c in categories] == [s.level1 for s in results.subtotals]
    for category, subtotal in zip(categories, results.subtotals):
        assert category["heading"].endswith(f"实际得分{pts(subtotal.points)}分。")
        assert [e["label"].split(".")[0] for e in category["entries"]] == [str(i) for i in range(1, len(category["entries"]) + 1)]


def test_findings_appendix_lists_errors_before_warnings(example):
    evaluation, results = example
    findings = build_context(evaluation, results, load_profile("fj2018"))["findings"]
    labels = [f.split("（")[1].split("）")[0] for f in findings]
    assert labels == sorted(labels, key=["错误", "警告"].index)
    assert len(findings) == results.errors + results.warnings


def test_cz2020_context(cz2020):
    evaluation, results = cz2020
    context = build_context(evaluation, results, load_profile("cz2020"))
    assert context["categories"] == []
    assert context["total"]["shares"] == "预算执行率（10%）、产出指标（50%）、效益指标（30%）、满意度指标（10%）"
    line = context["goal_groups"][1]["subgroups"][0]["lines"][0]
    i = next(i for i, ind in enumerate(evaluation.indicators) if ind.name == "粮食亩产增加")
    assert line == (f"①粮食亩产增加，年度指标值≥50公斤，实际完成值42公斤，目标完成比值{pct(results.indicators[i].ratio)}，"
                    f"未达到目标值，分值10分，得分{pts(results.indicators[i].points)}分，偏差原因：受夏季持续降雨影响，部分地块晚播减产")
    assert context["signature"] == ["某县农业农村局", "2022年3月15日"]
