"""Serve the page with waitress (pure Python, threads, no compiler needed on 信创 ARM64) and open the browser."""

from __future__ import annotations

import sys
import threading
import webbrowser

from xlperf.app.limits import DEFAULT, AppLimits
from xlperf.errors import XlperfError

LOOPBACK = "127.0.0.1"
THREADS = 8


def run(host: str = LOOPBACK, port: int = 8765, *, open_browser: bool = True, jobs: int = 1, limits: AppLimits = DEFAULT, echo=print) -> None:
    """Serve until Ctrl+C; the temporary folder is removed on the way out."""
    from waitress.server import create_server

    from xlperf.app.server import create_app
    from xlperf.app.workspace import Workspace

    loopback = host in (LOOPBACK, "localhost", "::1")
    space = Workspace(keep=limits.kept_results)
    app = create_app(limits=limits, jobs=jobs, workspace=space, loopback_only=loopback)
    try:
        try:
            server = create_server(app, host=host, port=port, threads=THREADS, ident="xlperf",
                                   max_request_body_size=limits.max_request + (1 << 20), clear_untrusted_proxy_headers=True)
        except OSError as exc:
            raise XlperfError(f"无法在 {host}:{port} 启动（系统错误号 {exc.errno}）；端口可能已被占用，请用 --port 换一个端口") from None
        url = f"http://{'127.0.0.1' if loopback else host}:{server.effective_port}/"
        echo(f"xlperf 本地页面已启动：{url}")
        if not loopback:
            echo(f"警告：页面在 {host} 上对其他电脑开放，同一网络中的任何人都能上传文件、下载结果；只在可信网络中这样做。")
        echo("关闭此窗口或按 Ctrl+C 停止；上传的文件随之删除。")
        sys.stdout.flush()
        if open_browser:
            threading.Timer(0.5, webbrowser.open, args=(url,)).start()
        try:
            server.run()
        except KeyboardInterrupt:
            echo("已停止。")
        finally:
            server.close()
    finally:
        space.close()
