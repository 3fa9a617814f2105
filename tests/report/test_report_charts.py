"""The figures as native Word charts: DrawingML chart parts built from the Results, embedded in the .docx.

Expected labels and values come from the evaluation and ``score()``; none is typed here.
The LibreOffice rendering of the charts is checked in ``test_report_pdf``.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from docx import Document
from reporthelpers import W, part

from xlperf.report import charts, render, report_profile
from xlperf.report.context import CHART_LABEL_CHARS, build_context
from xlperf.report.style import TEMPLATES

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
ROWS = [{"label": "市委市政府云移动平台使用人数", "value": 103.51}, {"label": "全年资金使用率", "value": 59.93}]
SCORES = [{"label": "投入", "weight": 30.0, "points": 29.0}, {"label": "产出与效益", "weight": 40.0, "points": 40.0}]


def tree(chart):
    return SafeET.fromstring(chart.xml)


def series(root) -> dict[str, dict]:
    """Series name -> categories and {index: value} from the caches."""
    out = {}
    for ser in root.iter(f"{C}ser"):
        name = ser.find(f"{C}tx/{C}strRef/{C}strCache/{C}pt/{C}v").text
        cats = [pt.find(f"{C}v").text for pt in ser.find(f"{C}cat/{C}strRef/{C}strCache").findall(f"{C}pt")]
        cache = ser.find(f"{C}val/{C}numRef/{C}numCache")
        values = {int(pt.get("idx")): Decimal(pt.find(f"{C}v").text) for pt in cache.findall(f"{C}pt")}
        out[name] = {"categories": cats, "values": values, "count": int(cache.find(f"{C}ptCount").get("val")),
                     "format": cache.find(f"{C}formatCode").text, "element": ser}
    return out


def ratio_values(root) -> list[Decimal]:
    """The bar value of each category, whichever series (达到 / 未达到) carries it."""
    found = series(root)
    n = found[charts.TARGET_NAME]["count"]
    values: list[Decimal | None] = [None] * n
    for name in (charts.MET_NAME, charts.SHORT_NAME):
        for i, v in found.get(name, {"values": {}})["values"].items():
            assert values[i] is None, f"category {i} in two series"
            values[i] = v
    assert None not in values
    return values


@pytest.fixture(scope="module")
def context(example):
    evaluation, results = example
    return build_context(evaluation, results, report_profile(evaluation, results))


@pytest.fixture(scope="module")
def chart_parts(example_docx) -> dict[str, bytes]:
    with zipfile.ZipFile(example_docx) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/charts/")}


# ---------------------------------------------------------------- the chart XML


def test_completion_chart_structure():
    root = tree(charts.completion_chart(ROWS))
    assert root.tag == f"{C}chartSpace"
    assert root.find(f"{C}lang").get("val") == "zh-CN"
    assert root.find(f"{C}roundedCorners").get("val") == "0"
    chart = root.find(f"{C}chart")
    assert chart.find(f"{C}autoTitleDeleted").get("val") == "1"
    bar = chart.find(f"{C}plotArea/{C}barChart")
    assert bar.find(f"{C}barDir").get("val") == "bar"
    assert bar.find(f"{C}overlap").get("val") == "100"  # the target outline lies over each bar
    cat, val = chart.find(f"{C}plotArea/{C}catAx"), chart.find(f"{C}plotArea/{C}valAx")
    assert cat.find(f"{C}scaling/{C}orientation").get("val") == "maxMin"  # first indicator on top
    assert val.find(f"{C}crosses").get("val") == "max"  # value axis along the bottom
    assert val.find(f"{C}numFmt").get("formatCode") == "0%"
    assert Decimal(val.find(f"{C}scaling/{C}min").get("val")) == 0
    assert Decimal(val.find(f"{C}scaling/{C}max").get("val")) >= Decimal("1.0351")
    assert {a.find(f"{C}axId").get("val") for a in (cat, val)} == {a.get("val") for a in bar.findall(f"{C}axId")}
    found = series(root)
    assert list(found) == [charts.MET_NAME, charts.SHORT_NAME, charts.TARGET_NAME]
    for ser in found.values():
        assert ser["categories"] == [r["label"] for r in ROWS]
        assert ser["count"] == len(ROWS)
    assert found[charts.MET_NAME]["values"] == {0: Decimal("1.0351")}
    assert found[charts.SHORT_NAME]["values"] == {1: Decimal("0.5993")}
    assert found[charts.TARGET_NAME]["values"] == {0: 1, 1: 1}
    labels = found[charts.MET_NAME]["element"].find(f"{C}dLbls")
    assert labels.find(f"{C}showVal").get("val") == "1"
    assert labels.find(f"{C}numFmt").get("formatCode") == "0.00%"  # as the text prints ratios
    assert found[charts.TARGET_NAME]["element"].find(f"{C}dLbls/{C}delete").get("val") == "1"
    target_line = found[charts.TARGET_NAME]["element"].find(f"{C}spPr")
    assert target_line.find(f"{A}noFill") is not None and target_line.find(f"{A}ln/{A}prstDash") is not None


def test_score_chart_structure():
    root = tree(charts.score_chart(SCORES))
    bar = root.find(f"{C}chart/{C}plotArea/{C}barChart")
    assert bar.find(f"{C}barDir").get("val") == "col"
    assert bar.find(f"{C}grouping").get("val") == "clustered"
    found = series(root)
    assert list(found) == [charts.FULL_NAME, charts.POINTS_NAME]
    assert found[charts.FULL_NAME]["values"] == {0: 30, 1: 40}
    assert found[charts.POINTS_NAME]["values"] == {0: 29, 1: 40}
    assert found[charts.POINTS_NAME]["categories"] == ["投入", "产出与效益"]


def test_chinese_text_properties():
    for chart in (charts.completion_chart(ROWS), charts.score_chart(SCORES)):
        root = tree(chart)
        tx_prs = list(root.iter(f"{C}txPr"))
        assert tx_prs, "no text properties"
        assert root.find(f"{C}txPr") is not None  # chart-wide default
        for tx in tx_prs:
            rpr = tx.find(f"{A}p/{A}pPr/{A}defRPr")
            assert rpr.get("lang") == "zh-CN" and rpr.get("altLang") == "en-US"
            assert rpr.find(f"{A}ea").get("typeface") == charts.EAST_ASIAN_FONT
            assert rpr.find(f"{A}latin").get("typeface") == charts.LATIN_FONT


def test_schema_order_round_trips_through_openpyxl():
    """openpyxl models CT_ChartSpace in schema order: reading and writing loses and reorders nothing."""
    from lxml import etree
    from openpyxl.chart.chartspace import ChartSpace

    def local(el):
        return [c.tag.split("}")[-1] for c in el if isinstance(c.tag, str)]

    def compare(mine, ref, path):
        ours, theirs = local(mine), local(ref)
        assert set(ours) <= set(theirs), f"{path}: {set(ours) - set(theirs)} dropped"
        assert [t for t in theirs if t in ours] == ours, f"{path}: order {ours} vs {theirs}"
        seen: dict[str, int] = {}
        for child in mine:
            tag = child.tag.split("}")[-1]
            k = seen.get(tag, 0)
            seen[tag] = k + 1
            compare(child, [c for c in ref if isinstance(c.tag, str) and c.tag.split("}")[-1] == tag][k], f"{path}/{tag}")

    for chart in (charts.completion_chart(ROWS), charts.score_chart(SCORES)):
        mine = etree.fromstring(chart.xml)
        compare(mine, ChartSpace.from_tree(mine).to_tree(), "chartSpace")


def test_labels_are_escaped_and_bytes_deterministic():
    rows = [{"label": "A<B & C>“引号”\x0b", "value": 100.0}]
    chart = charts.completion_chart(rows)
    assert chart.xml == charts.completion_chart(copy.deepcopy(rows)).xml
    assert series(tree(chart))[charts.MET_NAME]["categories"] == ["A<B & C>“引号”"]
    assert charts.score_chart(SCORES).xml == charts.score_chart(SCORES).xml


def test_no_data_no_chart():
    assert charts.completion_chart([]) is None
    assert charts.score_chart([]) is None


def test_size_fits_the_text_block_and_height_follows_the_rows():
    one = charts.completion_chart(ROWS[:1])
    many = charts.completion_chart([{"label": f"指标{i}", "value": 100.0} for i in range(10)])
    huge = charts.completion_chart([{"label": f"指标{i}", "value": 100.0} for i in range(200)])
    assert one.cx == many.cx == huge.cx <= 156 * charts.EMU_PER_MM
    assert one.cy < many.cy < huge.cy
    assert huge.cy == charts.RATIO_HEIGHT_MM[1] * charts.EMU_PER_MM  # capped below the 225 mm 版心


def test_short_series_only_when_an_indicator_is_short():
    found = series(tree(charts.completion_chart([{"label": "甲", "value": 100.0}])))
    assert list(found) == [charts.MET_NAME, charts.TARGET_NAME]


# ---------------------------------------------------------------- from the Results into the package


def test_report_charts_show_the_core_ratios_and_names(example, context, chart_parts):
    evaluation, results = example
    expected = [(ind, sc) for ind, sc in zip(evaluation.indicators, results.indicators)
                if sc.ratio is not None and sc.status != "not_applicable"]
    names = [ind.name.replace("\n", "") for ind, _ in expected]
    shown = [name if len(name) <= CHART_LABEL_CHARS else name[: CHART_LABEL_CHARS - 1] + "…" for name in names]
    ratios = SafeET.fromstring(chart_parts["word/charts/chart1.xml"])
    found = series(ratios)
    assert found[charts.TARGET_NAME]["categories"] == shown == [r["label"] for r in context["chart_data"]["ratios"]]
    assert ratio_values(ratios) == [sc.ratio / 100 for _, sc in expected]
    short = {i for i, (_, sc) in enumerate(expected) if sc.ratio < 100}
    assert set(found[charts.SHORT_NAME]["values"]) == short and short  # 全年资金使用率 59.93%
    scores = series(SafeET.fromstring(chart_parts["word/charts/chart2.xml"]))
    assert scores[charts.POINTS_NAME]["categories"] == [st.level1 for st in results.subtotals]
    assert list(scores[charts.POINTS_NAME]["values"].values()) == [st.points for st in results.subtotals]
    assert list(scores[charts.FULL_NAME]["values"].values()) == [st.weight for st in results.subtotals]


def test_chart_values_follow_the_results_not_anything_typed(example):
    """Change one ratio and one subtotal in the Results only: the charts follow; the workbook never had these."""
    evaluation, results = example
    i = next(i for i, sc in enumerate(results.indicators) if sc.ratio is not None)
    moved = copy.copy(results)
    moved.indicators = list(results.indicators)
    moved.indicators[i] = dataclasses.replace(results.indicators[i], ratio=Decimal("87.65"))
    moved.subtotals = list(results.subtotals)
    moved.subtotals[0] = dataclasses.replace(results.subtotals[0], points=Decimal("12.34"))
    data = render(evaluation, moved)
    ratios = SafeET.fromstring(part(data, "word/charts/chart1.xml"))
    k = sum(1 for sc in results.indicators[:i] if sc.ratio is not None and sc.status != "not_applicable")
    assert ratio_values(ratios)[k] == Decimal("0.8765")
    assert k in series(ratios)[charts.SHORT_NAME]["values"]  # now short of the target: drawn as such
    scores = series(SafeET.fromstring(part(data, "word/charts/chart2.xml")))
    assert scores[charts.POINTS_NAME]["values"][0] == Decimal("12.34")


def test_chart_parts_are_in_the_package(example_docx, chart_parts):
    assert sorted(chart_parts) == ["word/charts/chart1.xml", "word/charts/chart2.xml"]
    types = SafeET.fromstring(part(example_docx, "[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
    assert overrides["/word/charts/chart1.xml"] == overrides["/word/charts/chart2.xml"] == CHART_CT
    rels = SafeET.fromstring(part(example_docx, "word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels if r.get("Type") == CHART_REL}
    assert sorted(targets.values()) == ["charts/chart1.xml", "charts/chart2.xml"]
    document = SafeET.fromstring(part(example_docx, "word/document.xml"))
    inline = [d.find(f"{WP}inline") for d in document.iter(f"{W}drawing")]
    assert len(inline) == 2
    refs = [i.find(f"{A}graphic/{A}graphicData/{C}chart").get(f"{R}id") for i in inline]
    assert [targets[r] for r in refs] == ["charts/chart1.xml", "charts/chart2.xml"]  # in document order
    for i in inline:
        assert i.find(f"{A}graphic/{A}graphicData").get("uri") == C.strip("{}")
        assert int(i.find(f"{WP}extent").get("cx")) <= 156 * charts.EMU_PER_MM
    ids = [i.find(f"{WP}docPr").get("id") for i in inline]
    assert len(set(ids)) == 2
    with zipfile.ZipFile(example_docx) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]  # no PNG any more
    captions = [p.text for p in Document(str(example_docx)).paragraphs if p.text.startswith("图")]
    assert captions == ["图1 绩效指标目标完成比值", "图2 各一级指标得分与满分"]


def test_no_charts_leaves_no_chart_part(example):
    evaluation, results = example
    data = render(evaluation, results, charts=False)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if "chart" in n]
    assert "<w:drawing" not in part(data, "word/document.xml")
    assert "图1" not in part(data, "word/document.xml")


def test_a_template_without_the_placeholder_gets_no_chart(example, tmp_path):
    doc = Document(str(TEMPLATES / "report_fj2018.docx"))
    for p in doc.paragraphs:
        if "figures.ratios.image" in p.text:
            p.runs[0].text = "（此处不放图）"
    path = tmp_path / "无图.docx"
    doc.save(str(path))
    evaluation, results = example
    data = render(evaluation, results, template=path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert [n for n in z.namelist() if n.startswith("word/charts/")] == ["word/charts/chart1.xml"]
    assert series(SafeET.fromstring(part(data, "word/charts/chart1.xml")))[charts.POINTS_NAME]  # the score chart


def test_same_input_same_bytes(example):
    evaluation, results = example
    assert render(evaluation, results) == render(evaluation, results)


def test_writing_a_report_imports_no_plotting_library():
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import reporthelpers\n"
        "from xlperf.report import render\n"
        "render(*reporthelpers.ningde())\n"
        "print(sorted(m for m in ('matplotlib', 'numpy', 'PIL') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout


def test_no_matplotlib_anywhere_in_xlperf():
    package = Path(charts.__file__).resolve().parents[1]
    users = [str(p) for p in package.rglob("*.py") if re.search(r"matplotlib", p.read_text(encoding="utf-8"))]
    assert users == []
