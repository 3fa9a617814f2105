"""The running server under load and attack: 20 uploads at once, hostile files, client paths."""

from __future__ import annotations

import http.client
import io
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from apphelpers import build, evaluation, get, multipart, page_value, post, zip_bomb_xlsx


def _alive(server) -> None:
    status, body = get(server.url)
    assert status == 200 and "评分与校验".encode() in body


def _error(html: str) -> str:
    message = page_value(html, "error-message")
    assert message, html[:500]
    assert "Traceback" not in html and "File \"" not in html
    return message


def test_twenty_uploads_at_once(server, tmp_path):
    from xlperf.sources import evaluate_file

    paths = [build(evaluation(f"项目{i}", shortfall=4 * i, spent=70 + i), tmp_path / f"项目{i}.xlsx") for i in range(20)]
    expected = {p.name: f"{evaluate_file(p)[1].total:.2f}" for p in paths}
    assert len(set(expected.values())) > 10  # the answers differ, so a mix-up would show

    def upload(path):
        status, url, html = post(server.url + "score", {}, [("file", path.name, path.read_bytes())])
        return status, page_value(html, "result-file"), page_value(html, "total"), url

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(upload, paths))
    assert all(a[0] == 200 for a in answers)
    assert {a[1]: a[2] for a in answers} == expected
    assert len({a[3] for a in answers}) == 20  # each upload has its own result page
    _alive(server)


@pytest.mark.parametrize("name, data, expected", [
    ("空.xlsx", b"", "空文件"),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, ".xls"),
    ("改名的旧表.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "97-2003"),
    ("文本.xlsx", "项目,得分\n甲,90\n".encode(), "不是 Excel 工作簿"),
    ("截断.xlsx", b"PK\x03\x04" + b"\0" * 100, "损坏"),
    ("图片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "文件类型不支持"),
])
def test_hostile_single_files(server, name, data, expected):
    status, _, html = post(server.url + "score", {}, [("file", name, data)])
    assert status in (400, 422)
    assert expected in _error(html)
    _alive(server)


def test_zip_bomb_workbook(server, tmp_path):
    bomb = zip_bomb_xlsx(tmp_path / "炸弹.xlsx")
    assert bomb.stat().st_size < 5 << 20
    status, _, html = post(server.url + "score", {}, [("file", bomb.name, bomb.read_bytes())])
    assert status == 422
    message = _error(html)
    assert "炸弹.xlsx" in message and ("上限" in message or "压缩" in message)
    _alive(server)


def test_two_hundred_megabytes(server):
    """200 MB is refused with a Chinese message while the body streams in; the server keeps serving."""
    body, ctype = multipart({}, [("file", "巨大.xlsx", b"")])
    size = 200 << 20
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    prefix, suffix = body[: body.index(b"\r\n\r\n", body.index(b"filename")) + 4], body[body.index(b"\r\n\r\n", body.index(b"filename")) + 4:]
    conn.putrequest("POST", "/score")
    conn.putheader("Content-Type", ctype)
    conn.putheader("Content-Length", str(len(prefix) + size + len(suffix)))
    conn.endheaders()
    block = b"\0" * (1 << 20)
    try:
        conn.send(prefix)
        for _ in range(size >> 20):
            conn.send(block)
        conn.send(suffix)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer before the body is all sent
    response = conn.getresponse()
    html = response.read().decode("utf-8", "replace")
    conn.close()
    assert response.status in (400, 413)
    assert "过大" in _error(html)
    _alive(server)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def _finish_batch(server, url: str, timeout: float = 300) -> str:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = get(url + "/status")
        state = json.loads(body)
        if state["status"] != "running":
            break
        time.sleep(0.3)
    return get(url)[1].decode("utf-8")


def test_batch_zip_with_traversal_and_bomb(server, tmp_path):
    good = build(evaluation("正常项目"), tmp_path / "正常.xlsx").read_bytes()
    archive = _zip({"../../逃出.xlsx": good, "/etc/绝对.xlsx": good, "子目录/正常.xlsx": good, "说明.txt": b"x"})
    status, url, html = post(server.url + "batch", {"reports": "0"}, [("files", "../上传.zip", archive)])
    assert status == 200
    html = _finish_batch(server, url)
    assert page_value(html, "scored") == "2"  # 子目录/正常.xlsx and etc/绝对.xlsx, both inside the job folder
    assert "路径指向压缩包以外" in html

    bomb = zip_bomb_xlsx(tmp_path / "b.xlsx")
    outer = _zip({"炸弹.xlsx": bomb.read_bytes(), "正常.xlsx": good})
    status, url, html = post(server.url + "batch", {"reports": "0"}, [("files", "包.zip", outer)])
    html = _finish_batch(server, url)
    assert page_value(html, "scored") == "1"
    assert "炸弹.xlsx" in html
    _alive(server)


def test_batch_zip_bomb_archive_is_refused(server, tmp_path):
    """A .zip whose one member expands far beyond its compressed size is refused while unpacking."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("大.xlsx", "w", force_zip64=True) as member:
            for _ in range(40):
                member.write(b"\0" * (1 << 20))
    status, _, html = post(server.url + "batch", {}, [("files", "炸弹.zip", out.getvalue())])
    assert status == 400
    assert "zip 炸弹" in _error(html)
    _alive(server)


def test_unknown_pages_and_downloads_are_chinese(server):
    from urllib.parse import quote

    for path in ("score/不存在", "score/../../etc/passwd", "batch/abc/summary.xlsx", "score/abc/report.exe", "nothing"):
        status, body = get(server.url + quote(path))
        assert status == 404
        assert "找不到".encode() in body


def test_other_host_names_are_refused(server):
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", "/", headers={"Host": "evil.example:80"})
    response = conn.getresponse()
    assert response.status == 403 and "拒绝访问" in response.read().decode()
    conn.request("POST", "/score", body=b"", headers={"Origin": "http://evil.example", "Content-Type": "multipart/form-data; boundary=x"})
    response = conn.getresponse()
    assert response.status == 403
    response.read()
    conn.close()


def test_other_hosts_only_with_a_warning():
    import os
    import subprocess
    import sys

    from apphelpers import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "xlperf", "app", "--host", "0.0.0.0", "--port", "0", "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(10)
    assert "0.0.0.0" in lines[0] and lines[1].startswith("警告")


def test_port_in_use_is_a_chinese_message(server):
    import os
    import subprocess
    import sys

    from apphelpers import ROOT

    port = urlsplit(server.url).port
    out = subprocess.run([sys.executable, "-m", "xlperf", "app", "--port", str(port), "--no-browser"], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert out.returncode == 2 and "端口可能已被占用" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.libreoffice
@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_report_as_word_and_pdf(server):
    """The report downloads as .docx and, through LibreOffice, as a PDF of the same project."""
    import shutil
    import subprocess

    from xlperf.examples import example_workbook

    status, url, html = post(server.url + "score", {}, [("file", "宁德.xlsx", example_workbook().read_bytes())])
    assert status == 200 and 'id="dl-pdf"' in html
    status, docx = get(url + "/report.docx")
    assert status == 200 and docx[:2] == b"PK"
    status, pdf = get(url + "/report.pdf", timeout=300)
    assert status == 200 and pdf[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
        assert "政务网" in text and "绩效自评报告" in text.replace(" ", "").replace("\n", "")


def test_advance_refusals_on_the_page(server, tmp_path):
    """转到下一阶段 with the wrong file or stage: a Chinese message, no traceback, nothing kept."""
    path = build(evaluation(), tmp_path / "自评.xlsx")  # already at 自评
    status, _, html = post(server.url + "new/advance", {"to": "监控"}, [("file", path.name, path.read_bytes())])
    assert status == 422 and "只能向后" in html and "自评.xlsx" in html and "Traceback" not in html
    status, _, html = post(server.url + "new/advance", {"to": "申报"}, [("file", path.name, path.read_bytes())])
    assert status == 400 and "监控或自评" in html
    status, _, html = post(server.url + "new/advance", {"to": "监控"}, [("file", "数据.json", b"{}")])
    assert status == 400 and "Traceback" not in html
    _alive(server)
