"""The report's two figures as native Word charts (DrawingML ``word/charts/chartN.xml`` parts).

* ``completion_chart``: horizontal bars of 目标完成比值 per quantitative indicator,
  indicators top to bottom in the report's order. Bars that reach the target are
  blue (达到目标值), bars short of it orange (未达到目标值); a third series,
  目标值（100%）, is a hollow bar with a dashed red outline at 100% laid over each
  row (``c:overlap val="100"``), so every row reads as a progress bar against its
  target. Value axis in percent, data labels with two decimals as in the text.
* ``score_chart``: clustered columns, 满分 beside 得分, per 一级指标.

The XML is written as text from the context's ``chart_data`` (which the context
takes from the Results). The data live in ``c:strCache``/``c:numCache``; there is no
embedded workbook, so Word and WPS show and restyle the chart but cannot "Edit Data" —
the numbers are the scoring's and are regenerated from the workbook, not edited in
Word. Same rows, same bytes. No third-party imports: building a chart costs well
under a millisecond.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

EMU_PER_MM = 36000
WIDTH_MM = 150  # inside the 156 mm 版心
RATIO_HEIGHT_MM = (50, 190)  # min, max: 24 mm of axes and legend plus 6.5 mm a bar
RATIO_ROW_MM, RATIO_FRAME_MM = 6.5, 24
SCORE_HEIGHT_MM = 75

EAST_ASIAN_FONT = LATIN_FONT = "宋体"  # one CJK face: no Latin fallback font in the PDF
FONT_PT, LABEL_PT = 10.5, 9  # 五号 as the report's tables; data labels a size smaller
MET, SHORT, TARGET, FULL, POINTS, GRID, AXIS = "2F5597", "C55A11", "C00000", "BDC9E1", "2F5597", "D9D9D9", "7F7F7F"
MET_NAME, SHORT_NAME, TARGET_NAME = "达到目标值", "未达到目标值", "目标值（100%）"
FULL_NAME, POINTS_NAME = "满分", "得分"
SHEET = "Sheet1"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Chart:
    """One chart part: its XML bytes, its size in the document (EMU) and a description."""

    xml: bytes
    cx: int
    cy: int
    title: str


# ---------------------------------------------------------------- the two charts


def completion_chart(rows: list[dict]) -> Chart | None:
    """目标完成比值 per indicator (``rows``: ``label``, ``value`` in percent) against 100%."""
    if not rows:
        return None
    labels = [r["label"] for r in rows]
    ratios = [_decimal(r["value"]) / 100 for r in rows]
    n = len(rows)
    series = []
    met = [v if v >= 1 else None for v in ratios]
    short = [v if v < 1 else None for v in ratios]
    column = "B"
    for name, values, colour in ((MET_NAME, met, MET), (SHORT_NAME, short, SHORT)):
        if any(v is not None for v in values):
            series.append(_bar_series(len(series), name, column, labels, values, "0.00%", _solid(colour), labels_on=True))
            column = chr(ord(column) + 1)
    target = _outline(TARGET, dash="dash")
    series.append(_bar_series(len(series), TARGET_NAME, column, labels, [Decimal(1)] * n, "0%", target, labels_on=False))
    top, step = _ratio_axis(max(ratios))
    plot = (
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        + "".join(series)
        + '<c:gapWidth val="60"/><c:overlap val="100"/><c:axId val="10"/><c:axId val="20"/></c:barChart>'
        # Categories top to bottom in the report's order; the value axis then sits at the last (maximum)
        # category, which is the bottom. An axis's c:crosses says where it sits on the perpendicular axis.
        + _cat_axis(10, 20, "l", reverse=True)
        + _val_axis(20, 10, "b", "0%", top, step, crosses="max")
    )
    height = min(max(RATIO_FRAME_MM + RATIO_ROW_MM * n, RATIO_HEIGHT_MM[0]), RATIO_HEIGHT_MM[1])
    return Chart(_chart_space(plot), WIDTH_MM * EMU_PER_MM, round(height * EMU_PER_MM), "绩效指标目标完成比值")


def score_chart(rows: list[dict]) -> Chart | None:
    """满分 and 得分 per 一级指标 (``rows``: ``label``, ``weight``, ``points``)."""
    if not rows:
        return None
    labels = [r["label"] for r in rows]
    full = [_decimal(r["weight"]) for r in rows]
    points = [_decimal(r["points"]) for r in rows]
    series = (
        _bar_series(0, FULL_NAME, "B", labels, full, "General", _solid(FULL), labels_on=True)
        + _bar_series(1, POINTS_NAME, "C", labels, points, "General", _solid(POINTS), labels_on=True)
    )
    top, step = _nice_axis(max(full + points + [Decimal(1)]) * Decimal("1.15"))
    plot = (
        '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        + series
        + '<c:gapWidth val="80"/><c:overlap val="-5"/><c:axId val="10"/><c:axId val="20"/></c:barChart>'
        + _cat_axis(10, 20, "b")
        + _val_axis(20, 10, "l", "General", top, step)
    )
    return Chart(_chart_space(plot), WIDTH_MM * EMU_PER_MM, SCORE_HEIGHT_MM * EMU_PER_MM, "各一级指标得分与满分")


# ---------------------------------------------------------------- numbers


def _decimal(value) -> Decimal:
    """A float from the context as the decimal it was made from (103.51, not 103.5100000000000051)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"chart value {value!r}")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def number(value: Decimal) -> str:
    """The cache's number text: plain decimal, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _nice_axis(top: Decimal) -> tuple[Decimal, Decimal]:
    """A round maximum at or above ``top`` and a major unit giving at most 6 steps."""
    raw = float(top) / 6
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step_d = Decimal(repr(step))
    return (top / step_d).to_integral_value(rounding="ROUND_CEILING") * step_d, step_d


def _ratio_axis(largest: Decimal) -> tuple[Decimal, Decimal]:
    """Room right of the longest bar for its label (about 18% of the axis)."""
    return _nice_axis(max(largest, Decimal(1)) * Decimal("1.18"))


# ---------------------------------------------------------------- XML pieces


def text(value: str) -> str:
    """Element text: XML-escaped, characters XML cannot carry dropped."""
    return escape(_NOT_XML.sub("", str(value)))


def _solid(colour: str) -> str:
    return f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>'


def _outline(colour: str, dash: str) -> str:
    return (f'<c:spPr><a:noFill/><a:ln w="15875"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'<a:prstDash val="{dash}"/></a:ln></c:spPr>')


def _line(colour: str, width: int = 9525) -> str:
    return f'<c:spPr><a:ln w="{width}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln></c:spPr>'


def _rpr(tag: str, size_pt: float, bold: bool = False) -> str:
    return (
        f'<a:{tag} lang="zh-CN" altLang="en-US" sz="{round(size_pt * 100)}" b="{int(bold)}">'
        '<a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        f'<a:latin typeface="{LATIN_FONT}"/><a:ea typeface="{EAST_ASIAN_FONT}"/><a:cs typeface="{LATIN_FONT}"/>'
        f"</a:{tag}>"
    )


def _tx_pr(size_pt: float) -> str:
    """Text properties: size, Latin and East Asian typefaces, Chinese as the language."""
    return (
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
        + _rpr("defRPr", size_pt)
        + '</a:pPr><a:endParaRPr lang="zh-CN" altLang="en-US"/></a:p></c:txPr>'
    )


def _str_ref(ref: str, values: list[str]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{text(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return f"<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val=\"{len(values)}\"/>{pts}</c:strCache></c:strRef>"


def _num_ref(ref: str, values: list[Decimal | None], fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{number(v)}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
    return (f"<c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>{text(fmt)}</c:formatCode>"
            f'<c:ptCount val="{len(values)}"/>{pts}</c:numCache></c:numRef>')


def _labels(fmt: str) -> str:
    return (
        f'<c:dLbls><c:numFmt formatCode="{text(fmt)}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        + _tx_pr(LABEL_PT)
        + '<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )


def _bar_series(index: int, name: str, column: str, labels: list[str], values: list[Decimal | None], fmt: str,
                sp_pr: str, *, labels_on: bool) -> str:
    last = len(labels) + 1
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
        f"<c:tx>{_str_ref(f'{SHEET}!${column}$1', [name])}</c:tx>"
        + sp_pr
        + '<c:invertIfNegative val="0"/>'
        + (_labels(fmt) if labels_on else '<c:dLbls><c:delete val="1"/></c:dLbls>')
        + f"<c:cat>{_str_ref(f'{SHEET}!$A$2:$A${last}', labels)}</c:cat>"
        + f"<c:val>{_num_ref(f'{SHEET}!${column}$2:${column}${last}', values, fmt)}</c:val>"
        + "</c:ser>"
    )


def _cat_axis(ax_id: int, cross: int, pos: str, *, reverse: bool = False) -> str:
    return (
        f'<c:catAx><c:axId val="{ax_id}"/><c:scaling><c:orientation val="{"maxMin" if reverse else "minMax"}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{pos}"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        + _line(AXIS)
        + _tx_pr(FONT_PT)
        + f'<c:crossAx val="{cross}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _val_axis(ax_id: int, cross: int, pos: str, fmt: str, top: Decimal, step: Decimal, *, crosses: str = "autoZero") -> str:
    return (
        f'<c:valAx><c:axId val="{ax_id}"/><c:scaling><c:orientation val="minMax"/>'
        f"<c:max val=\"{number(top)}\"/><c:min val=\"0\"/></c:scaling>"
        f'<c:delete val="0"/><c:axPos val="{pos}"/><c:majorGridlines>{_line(GRID)}</c:majorGridlines>'
        f'<c:numFmt formatCode="{text(fmt)}" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        '<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>'
        + _tx_pr(FONT_PT)
        + f'<c:crossAx val="{cross}"/><c:crosses val="{crosses}"/><c:crossBetween val="between"/>'
        f'<c:majorUnit val="{number(step)}"/></c:valAx>'
    )


def _chart_space(plot: str) -> bytes:
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/>'
        f"<c:plotArea><c:layout/>{plot}<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>"
        '<c:legend><c:legendPos val="t"/><c:overlay val="0"/>' + _tx_pr(FONT_PT) + "</c:legend>"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        + _tx_pr(FONT_PT)
        + "</c:chartSpace>"
    ).encode("utf-8")
