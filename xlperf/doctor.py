"""Which way of working fits this PC: the Excel button, the local page or the command line.

Plain checks, each a ``Check`` with a Chinese finding and its fix; ``xlperf doctor``
prints them. Nothing here imports xlwings, the web framework or the Word stack:
versions come from the installed metadata, Excel's registration from the
registry (Windows, read-only), fonts from fontconfig or the Windows font folder.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

OK, NOTE, MISSING = "正常", "注意", "缺少"
PACKAGES = ("xlperf", "openpyxl", "python-calamine", "XlsxWriter", "docxtpl", "python-docx", "Jinja2", "click", "Flask", "waitress", "xlwings")
REQUIRED_FOR_PAGE = ("Flask", "waitress")
# report font → Windows font files that provide it
WINDOWS_FONT_FILES = {
    "仿宋_GB2312": ("simfang.ttf", "FS_GB2312.ttf", "仿宋_GB2312.ttf"),
    "楷体_GB2312": ("simkai.ttf", "KT_GB2312.ttf", "楷体_GB2312.ttf"),
    "黑体": ("simhei.ttf",),
    "宋体": ("simsun.ttc",),
    "方正小标宋简体": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXiaoBiaoSong-B05S.ttf"),
}


@dataclass(frozen=True)
class Check:
    topic: str
    status: str  # 正常 | 注意 | 缺少
    detail: str
    fix: str = ""


def version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def check_python() -> Check:
    v = sys.version_info
    text = f"Python {v.major}.{v.minor}.{v.micro}（{platform.system()} {platform.machine()}）：{sys.executable}"
    if v < (3, 11):
        return Check("Python", MISSING, text, "xlperf 需要 Python 3.11 或更新版本，请升级 Python")
    return Check("Python", OK, text)


def check_packages() -> Check:
    found = {name: version_of(name) for name in PACKAGES}
    text = "，".join(f"{n} {v}" if v else f"{n}（未安装）" for n, v in found.items())
    missing = [n for n in REQUIRED_FOR_PAGE if not found[n]]
    if missing:
        return Check("软件包", MISSING, text, f"本机网页需要 {'、'.join(missing)}：pip install --upgrade xlperf（离线时用随附的安装包：pip install --no-index --find-links 安装包文件夹 xlperf）")
    return Check("软件包", OK, text)


def _excel_server_windows() -> str | None:
    """The program registered as ``Excel.Application`` (its LocalServer32 command), or None."""
    import winreg

    with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Excel.Application\CLSID") as key:
        clsid = winreg.QueryValue(key, None)
    with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, rf"CLSID\{clsid}\LocalServer32") as key:
        return winreg.QueryValue(key, None)


def classify_excel_server(command: str | None) -> str:
    """excel | wps | unknown | none, from the registered server command line."""
    if not command:
        return "none"
    lowered = command.lower()
    if any(mark in lowered for mark in ("wps", "kingsoft", "\\et.exe", "/et.exe", "ksolaunch")):
        return "wps"
    if "excel.exe" in lowered:
        return "excel"
    return "unknown"


def check_excel(system: str | None = None) -> Check:
    system = system or platform.system()
    has_xlwings = version_of("xlwings") is not None
    install = '' if has_xlwings else '；并安装 Excel 支持：pip install "xlperf[excel]"'
    if system == "Windows":
        try:
            command = _excel_server_windows()
        except OSError:
            command = None
        except ImportError:
            command = None
        kind = classify_excel_server(command)
        if kind == "excel":
            status = OK if has_xlwings else NOTE
            return Check("Excel 按钮（xlwings）", status, f"Excel.Application 由 Microsoft Excel 提供（{command}）" + ("" if has_xlwings else "，但未安装 xlwings"),
                         "" if has_xlwings else 'pip install "xlperf[excel]"，再用 xlperf new --xlsm 生成带按钮的工作簿')
        if kind == "wps":
            return Check("Excel 按钮（xlwings）", NOTE, f"WPS 接管了 Excel.Application（{command}），xlwings 无法驱动 Excel，工作簿里的按钮不能用",
                         "用本机网页（xlperf app）或命令行；若已装 Microsoft Excel，可在 WPS 的“配置工具 → 高级 → 兼容设置”中取消与 Microsoft Office 文件的关联，或修复安装 Office 以恢复注册" + install)
        if kind == "unknown":
            return Check("Excel 按钮（xlwings）", NOTE, f"Excel.Application 注册为无法识别的程序（{command}）", "用本机网页（xlperf app）或命令行；如需按钮，请修复安装 Microsoft Office" + install)
        return Check("Excel 按钮（xlwings）", NOTE, "未找到 Microsoft Excel（注册表中没有 Excel.Application）", "用本机网页（xlperf app）或命令行")
    if system == "Darwin":
        if Path("/Applications/Microsoft Excel.app").exists():
            return Check("Excel 按钮（xlwings）", OK if has_xlwings else NOTE, "已安装 Microsoft Excel for Mac", "" if has_xlwings else 'pip install "xlperf[excel]"，并运行一次 xlwings runpython install')
        return Check("Excel 按钮（xlwings）", NOTE, "未找到 Microsoft Excel", "用本机网页（xlperf app）或命令行")
    wps = next((name for name in ("wps", "et", "wpsoffice") if shutil.which(name)), None)
    seen = f"；检测到 WPS（{wps}）" if wps else ""
    return Check("Excel 按钮（xlwings）", NOTE, f"{system} 上 xlwings 无法运行（只支持 Windows 和 macOS 上的 Microsoft Excel，不支持 WPS）{seen}",
                 "在浏览器中使用本机网页：xlperf app；或用命令行 xlperf score / check / report")


def _windows_font_files() -> set[str]:
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    names: set[str] = set()
    for folder in folders:
        try:
            names |= {p.name.lower() for p in folder.iterdir()}
        except OSError:
            pass
    return names


def check_fonts() -> Check:
    from xlperf.report.pdf import REPORT_FONTS, installed_families

    families = installed_families()
    if families is None and platform.system() == "Windows":
        files = _windows_font_files()
        present = [f for f, names in WINDOWS_FONT_FILES.items() if any(n.lower() in files for n in names)]
        substitutes: dict[str, str] = {}
    elif families is None:
        return Check("报告字体", NOTE, "无法列出本机字体（没有 fc-list）", "确认已安装 仿宋_GB2312、楷体_GB2312、黑体、方正小标宋简体")
    else:
        present = [f for f in REPORT_FONTS if f in families]
        substitutes = {f: next((s for s in REPORT_FONTS[f] if s in families), "") for f in REPORT_FONTS if f not in present}
    missing = [f for f in REPORT_FONTS if f not in present]
    if not missing:
        return Check("报告字体", OK, "公文字体齐全：" + "、".join(present))
    replaced = [f"{f}→{s}" for f, s in substitutes.items() if s]
    lacking = [f for f in missing if not substitutes.get(f)]
    detail = f"缺少 {'、'.join(missing)}"
    if replaced:
        detail += f"；生成 PDF 时以本机字体代替（{'，'.join(replaced)}）"
    fix = "Word 报告在装有这些字体的电脑上显示正常；要在本机得到公文字体，请安装 仿宋_GB2312、楷体_GB2312、方正小标宋简体（单位通常有授权的字体包）"
    if lacking:
        fix += "；Linux 上至少安装中文字体：sudo apt install fonts-noto-cjk"
    return Check("报告字体", NOTE if not lacking else MISSING, detail, fix)


def check_libreoffice() -> Check:
    from xlperf.report.pdf import find_soffice

    found = find_soffice()
    if found:
        return Check("LibreOffice（PDF 报告）", OK, f"已找到：{found}")
    return Check("LibreOffice（PDF 报告）", NOTE, "未找到 LibreOffice：可以生成 Word 报告，不能自动转换为 PDF",
                 "安装 LibreOffice（信创系统可从软件商店安装，Debian/统信/麒麟：sudo apt install libreoffice-writer），或在 WPS/Word 中另存为 PDF")


def run_checks() -> list[Check]:
    return [check_python(), check_packages(), check_excel(), check_fonts(), check_libreoffice()]


def recommendation(checks: list[Check]) -> str:
    """One sentence: the way of working that fits this PC."""
    excel = next(c for c in checks if c.topic.startswith("Excel"))
    page = next(c for c in checks if c.topic == "软件包").status == OK
    if excel.status == OK:
        return "推荐：在 Excel 中使用带按钮的工作簿（xlperf new --xlsm）；也可以用本机网页 xlperf app 或命令行。"
    if page:
        return "推荐：运行 xlperf app，在浏览器中上传自评表评分、下载报告；熟悉命令行的也可以用 xlperf score / check / report。"
    return "推荐：用命令行 xlperf score / check / report；安装缺少的软件包后可使用本机网页 xlperf app。"


def as_dicts(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]
