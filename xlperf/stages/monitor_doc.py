"""The 监控报告 as a file: Word (the report's 公文 styles) or Markdown.

Developer notes: a thin adapter over ``stages.report.monitoring_report``; the
Word file reuses ``xlperf.report.style.base_document`` (A4, 仿宋_GB2312 body,
黑体 一、 headings, page numbers), so the 监控报告 and the 自评报告 look alike.
It has no user-editable template yet.
"""

from __future__ import annotations

import io

HEAD = ("一级指标", "二级指标", "三级指标", "年度指标值", "完成情况", "全年预计", "完成可能性", "灯")
KEYS = ("level1", "level2", "name", "target", "progress", "forecast", "likelihood", "light")


def _sections(ctx: dict) -> list[tuple[str, list[str]]]:
    funds = ctx["funds"]
    money = []
    if funds:
        money.append(f"全年预算数{funds['budget']}，1–{ctx['month']}月执行数{funds['spent']}，全年预计执行数{funds['forecast']}。"
                     f"{ctx['budget']}。")
    lagging = [
        f"{i}.{row['name']}：{row['light']}灯，{row['explanation'].rsplit('，', 1)[0]}。"
        + (f"偏差原因：{row['causes']}。" if row["causes"] else "未填写偏差原因。")
        + (f"纠偏措施：{row['correction'].rstrip('。')}。" if row["correction"] else "未填写纠偏措施。")
        for i, row in enumerate(ctx["lagging"], 1)
    ] or ["各项指标均按进度推进，无需纠偏。"]
    return [
        ("一、总体情况", ctx["summary"] or [f"项目总体为{ctx['project_light']}灯。"]),
        ("二、预算执行情况", money or ["未填写预算执行数据。"]),
        ("三、绩效目标执行情况", [ctx["goal_progress"]] if ctx["goal_progress"] else ["未填写年度总体目标执行情况。"]),
        ("四、偏差原因及纠偏措施", lagging),
        ("五、校验发现的问题", ctx["findings"] or ["未发现问题。"]),
    ]


def render_markdown(ctx: dict) -> str:
    lines = [f"# {ctx['title']}", ""]
    for heading, paragraphs in _sections(ctx):
        lines += [f"## {heading}", ""]
        for p in paragraphs:
            lines += [p, ""]
        if heading.startswith("三"):
            lines += ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
            for row in ctx["rows"]:
                lines.append("| " + " | ".join(str(row[k]).replace("|", "｜") for k in KEYS) + " |")
            lines.append("")
    if ctx["unit"]:
        lines += [f'<p align="right">{ctx["unit"]}</p>', ""]
    return "\n".join(lines)


def render_docx(ctx: dict) -> bytes:
    from xlperf.report import outline as o
    from xlperf.report.style import TABLE_STYLE_ID, base_document, style_by_id

    doc = base_document(ctx["title"])

    def para(text: str, style: str) -> None:
        p = doc.add_paragraph(text)
        p.style = style_by_id(doc, style)

    para(ctx["title"], o.TITLE)
    for heading, paragraphs in _sections(ctx):
        para(heading, o.H1)
        for p in paragraphs:
            para(p, o.BODY)
        if heading.startswith("三") and ctx["rows"]:
            table = doc.add_table(rows=1 + len(ctx["rows"]), cols=len(HEAD))
            table.style = style_by_id(doc, TABLE_STYLE_ID)
            for c, label in enumerate(HEAD):
                cell = table.cell(0, c).paragraphs[0]
                cell.text = label
                cell.style = style_by_id(doc, o.TABLE_HEAD)
            for r, row in enumerate(ctx["rows"], 1):
                for c, key in enumerate(KEYS):
                    cell = table.cell(r, c).paragraphs[0]
                    cell.text = str(row[key])
                    cell.style = style_by_id(doc, o.TABLE_TEXT)
    if ctx["unit"]:
        para(ctx["unit"], o.SIGNATURE)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
