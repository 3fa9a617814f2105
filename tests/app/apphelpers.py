"""Workbooks, a server and a browser for the local page's tests.

The server is the real thing: ``python -m xlperf app --port 0 --no-browser`` in a
subprocess, started once per test module. The browser is Debian's headless
Chromium driven by its chromedriver through Selenium.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

from xlperf.model import Evaluation, Indicator

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN")


# ----------------------------------------------------------------------------- workbooks

def evaluation(name: str = "农村安全饮水巩固提升工程", unit: str = "某县水利局", *, indicators: int = 4, spent: int = 98, shortfall: int = 0) -> Evaluation:
    """A cz2020 evaluation; ``indicators`` 产出 rows share 50 points, ``shortfall`` lowers the first actual."""
    inds = []
    out_n = max(1, indicators - 2)
    weight = Decimal(50) / out_n
    for i in range(out_n):
        actual = 110 - (shortfall if i == 0 else 0)
        inds.append(Indicator(level1="产出指标", level2="数量指标", name=f"培训人数{i + 1}", nature="≥", target="≥100人", actual=f"{actual}人", weight=weight))
    inds.append(Indicator(level1="效益指标", level2="社会效益指标", name="覆盖率", nature="≥", target="≥90%", actual="95%", weight=30))
    inds.append(Indicator(level1="满意度指标", level2="服务对象满意度指标", name="满意度", nature="≥", target="≥90%", actual="96%", weight=10))
    ev = Evaluation(profile="cz2020", indicators=inds)
    ev.project.name, ev.project.unit, ev.project.year = name, unit, 2024
    total, grant = ev.funds.rows[0], ev.funds.rows[1]
    total.initial, total.budget, total.spent = 100, 100, spent
    grant.initial, grant.budget, grant.spent = 100, 100, spent
    return ev


def build(ev: Evaluation, path: Path) -> Path:
    from xlperf.workbook.builder import build_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(ev.profile, ev, path)
    return path


def foreign_form(path: Path) -> Path:
    """A form xlperf did not make: a 绩效自评表 laid out as a provincial system exports it."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    ws.append(["项目支出绩效自评表"])
    ws.append(["（2024年度）"])
    ws.append(["项目名称", "乡村道路养护", None, "主管部门", "某县交通运输局"])
    ws.append(["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", 100, 100, 95, 10, None, None])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    ws.append(["产出指标", "数量指标", "养护里程", "≥120公里", "126公里", 50, None, None])
    ws.append(["效益指标", "社会效益指标", "道路优良率", "≥85%", "88%", 30, None, None])
    ws.append(["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", 10, None, None])
    wb.save(path)
    return path


def batch_folder(root: Path, good: int = 27) -> tuple[Path, list[str], list[str]]:
    """``good`` scored workbooks (various totals) and 3 damaged files; returns (folder, good names, damaged names)."""
    root.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(good):
        name = f"项目{i + 1:02d}.xlsx"
        build(evaluation(f"项目{i + 1:02d}", f"单位{i % 5 + 1}", spent=60 + i, shortfall=3 * i), root / name)
        names.append(name)
    sound = (root / names[0]).read_bytes()
    (root / "截断.xlsx").write_bytes(sound[: len(sound) // 2])
    (root / "改名的表格.xlsx").write_text("项目名称,总分\n道路养护,90\n", encoding="utf-8")
    (root / "旧格式.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    return root, names, ["截断.xlsx", "改名的表格.xlsx", "旧格式.xlsx"]


def zip_bomb_xlsx(path: Path, size: int = 256 << 20) -> Path:
    """An .xlsx whose one sheet unpacks to ``size`` bytes of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                member.write(block)
    return path


# ----------------------------------------------------------------------------- server

class Server:
    def __init__(self, proc: subprocess.Popen, url: str):
        self.proc, self.url = proc, url

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def start_server(*args: str) -> Server:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "xlperf", "app", "--port", "0", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if found:
            import threading

            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # keep the pipe drained
            return Server(proc, found.group(1))
    proc.kill()
    raise RuntimeError("xlperf app did not start")


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type (stdlib only)."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, filename, data in files:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                  "Content-Type: application/octet-stream\r\n\r\n".encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def post(url: str, fields: dict[str, str], files: list[tuple[str, str, bytes]], timeout: float = 120) -> tuple[int, str, str]:
    """POST a form; follow the 303; return (status, final url, body)."""
    import urllib.error
    import urllib.request

    body, ctype = multipart(fields, files)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.url, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, url, exc.read().decode("utf-8", "replace")


def get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def page_value(html: str, element_id: str) -> str | None:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    return found.group(1) if found else None


# ----------------------------------------------------------------------------- browser

def browser_available() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return "chromium is not installed (apt install chromium)"
    if not os.path.exists(CHROMEDRIVER):
        return "chromedriver is not installed (apt install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e .[test])"
    return None


def start_browser(profile_dir: Path, downloads: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager go to the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in BROWSER_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    env = {**os.environ, "LANGUAGE": "zh_CN:zh", "LANG": "C.UTF-8"}  # Chinese file picker labels, as on a staff PC
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER, env=env))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(120)
    return driver


def wait_for_download(folder: Path, name: str, timeout: float = 60) -> Path:
    path = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and not (folder / f"{name}.crdownload").exists() and path.stat().st_size > 0:
            time.sleep(0.2)
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; folder holds {sorted(p.name for p in folder.iterdir())}")


def screenshot(driver, path: Path, max_height: int = 2400) -> None:
    """The whole page (up to ``max_height`` pixels), for the staff guide."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 900), max_height))
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(1280, 900)
