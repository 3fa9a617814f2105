"""``xlperf app``: the local page for WPS and 信创 users (``xlperf.app``), imported only when run."""

from __future__ import annotations

import click

from xlperf.cli.base import command


@command("app")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, metavar="端口", help="端口，默认 8765；0 表示任选一个空闲端口。")
@click.option("--host", default="127.0.0.1", metavar="地址", help="监听地址，默认 127.0.0.1，只有本机能访问；改为其他地址会让同一网络中的电脑都能访问（会给出警告）。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, metavar="N", help="批量评审的并行进程数，默认 1。")
def app_command(port: int, host: str, no_browser: bool, jobs: int):
    """打开本机网页：评分与校验、新建自评表、批量评审，不需要 Excel（适合 WPS、信创电脑）。

    \b
    页面只在本机运行，不连接互联网；关闭窗口即停止，上传的文件随之删除。
    示例：
      xlperf app
      xlperf app --port 9000 --no-browser
    """
    from xlperf.app.serve import run

    run(host, port, open_browser=not no_browser, jobs=jobs, echo=click.echo)
