"""The report's two figures as PNG bytes: completion ratios against 100%, and points against full marks.

matplotlib is imported on first use and drawn through the Agg canvas directly
(no pyplot, no global backend switch). The Chinese font is the first of
``CJK_FONTS`` that matplotlib's font manager knows; the lookup is cached per
process. Output is deterministic: fixed size and DPI, no ``Software`` metadata.
"""

from __future__ import annotations

import io
from functools import lru_cache

CJK_FONTS = (
    "Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "PingFang SC", "Heiti SC", "Noto Sans SC", "Droid Sans Fallback",
)
DPI = 150
FONT_PT = 9
WIDTH_IN = 6.3  # about the 150 mm the report gives a figure
BAR, FULL, LINE, LOW = "#2f5597", "#c9d3e6", "#c00000", "#b4531f"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed CJK font family, or None when there is none."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _rc() -> dict:
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "axes.unicode_minus": False,
        "font.size": FONT_PT,
        "svg.hashsalt": "xlperf",
        "path.simplify": False,
    }


def _png(draw) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc()):
        fig = Figure(dpi=DPI)
        FigureCanvasAgg(fig)
        draw(fig)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def completion_chart(rows: list[dict]) -> bytes | None:
    """Horizontal bars of 目标完成比值 (%) per quantitative indicator, with a 100% line."""
    if not rows:
        return None

    def draw(fig):
        height = min(max(1.5, 0.2 * len(rows) + 0.8), 8.0)
        fig.set_size_inches(WIDTH_IN, height)
        ax = fig.add_subplot()
        labels = [r["label"] for r in rows][::-1]
        values = [r["value"] for r in rows][::-1]
        colours = [LOW if v < 100 else BAR for v in values]
        ax.barh(range(len(values)), values, color=colours, height=0.6)
        ax.axvline(100, color=LINE, linewidth=1, linestyle="--")
        ax.set_yticks(range(len(values)), labels)
        top = max(max(values), 100) * 1.18
        ax.set_xlim(0, top)
        for y, v in enumerate(values):
            ax.text(v + top * 0.01, y, f"{v:.2f}%", va="center", fontsize=7.5)
        ax.set_xlabel("目标完成比值（%），虚线为100%")
        ax.spines[["top", "right"]].set_visible(False)
        # Fixed margins from the longest label (CJK characters are about one font size wide):
        # tight_layout would measure every label and cost a third of the drawing time.
        label_in = max(len(label) for label in labels) * FONT_PT / 72 + 0.2
        fig.subplots_adjust(left=min(label_in / WIDTH_IN, 0.5), right=0.97, bottom=0.55 / height, top=1 - 0.15 / height)

    return _png(draw)


def score_chart(rows: list[dict]) -> bytes | None:
    """Bars of 得分 beside 满分 per 一级指标."""
    if not rows:
        return None

    def draw(fig):
        fig.set_size_inches(WIDTH_IN, 2.4)
        ax = fig.add_subplot()
        xs = range(len(rows))
        full = [r["weight"] for r in rows]
        got = [r["points"] for r in rows]
        ax.bar([x - 0.18 for x in xs], full, width=0.36, color=FULL, label="满分")
        ax.bar([x + 0.18 for x in xs], got, width=0.36, color=BAR, label="得分")
        for x, f, g in zip(xs, full, got):
            ax.text(x - 0.18, f, f"{f:g}", ha="center", va="bottom", fontsize=8)
            ax.text(x + 0.18, g, f"{g:g}", ha="center", va="bottom", fontsize=8)
        ax.set_xticks(list(xs), [r["label"] for r in rows])
        ax.set_ylim(0, max(full + got + [1]) * 1.15)
        ax.set_ylabel("分")
        ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
        ax.spines[["top", "right"]].set_visible(False)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.13, top=0.86)

    return _png(draw)
