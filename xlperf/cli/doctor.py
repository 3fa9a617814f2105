"""``xlperf doctor``: which way of working fits this PC (``xlperf.doctor``)."""

from __future__ import annotations

import click

from xlperf.cli.base import command, echo_json, json_option


@command("doctor")
@json_option
def doctor_command(as_json: bool):
    """检查本机适合哪种使用方式，并给出解决办法。

    \b
    检查 Python 和软件包版本、Excel 按钮能否使用（是否被 WPS 接管）、
    报告字体、LibreOffice（生成 PDF），最后给出推荐的使用方式。
    """
    from xlperf.doctor import as_dicts, recommendation, run_checks

    checks = run_checks()
    if as_json:
        echo_json({"checks": as_dicts(checks), "recommendation": recommendation(checks)})
        return
    for c in checks:
        click.echo(f"[{c.status}] {c.topic}：{c.detail}")
        if c.fix:
            click.echo(f"        解决办法：{c.fix}")
    click.echo(recommendation(checks))
