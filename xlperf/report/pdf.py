"""Word → PDF through LibreOffice headless, with a private profile and a timeout.

Each conversion starts ``soffice`` with its own throw-away user profile, so a
LibreOffice window the user has open does not swallow the job (office-integration.md
§7). The profile carries a font replacement table: the fonts the report names
(仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体, 宋体) are mapped, when missing, to
an installed Chinese font, so LibreOffice never falls back to a Japanese face.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from xlperf.errors import MissingDependency, XlperfError
from xlperf.ooxml.atomic import atomic_write

NOT_FOUND = "未找到 LibreOffice，已生成 Word 文档，未生成 PDF；安装 LibreOffice 后重试"
TIMEOUT_S = 180
CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)
SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN", "Noto Sans CJK SC", "WenQuanYi Micro Hei")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Serif CJK SC")
KAI = ("AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC") + SERIF
_GRID = re.compile(r"<w:docGrid\b[^>]*/>")
REPORT_FONTS = {"仿宋_GB2312": SERIF, "仿宋": SERIF, "楷体_GB2312": KAI, "楷体": KAI, "黑体": SANS,
                "方正小标宋简体": SERIF, "宋体": SERIF}


def find_soffice() -> str | None:
    """The LibreOffice executable: on PATH, or where the installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in CANDIDATES if os.path.isfile(c)), None)


def installed_families() -> set[str] | None:
    """Font families fontconfig knows; None where there is no fc-list (Windows, most Macs)."""
    fc = shutil.which("fc-list")
    if not fc:
        return None
    try:
        out = subprocess.run([fc, ":", "family"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def replacements(families: set[str] | None) -> list[tuple[str, str]]:
    """(font the report names, installed font to use) for each named font that is missing."""
    if families is None:
        return []
    pairs = []
    for name, candidates in REPORT_FONTS.items():
        if name in families:
            continue
        use = next((c for c in candidates if c in families), None)
        if use:
            pairs.append((name, use))
    return pairs


def profile_xcu(pairs: list[tuple[str, str]]) -> str:
    """registrymodifications.xcu: the font replacement table, macros off."""
    items = [
        (
            '<item oor:path="/org.openoffice.Office.Common/Security/Scripting">'
            '<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>'
        ),
        (
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
            f'<prop oor:name="Replacement" oor:op="fuse"><value>{"true" if pairs else "false"}</value></prop></item>'
        ),
    ]
    for i, (name, use) in enumerate(pairs):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(name)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(use)}</value></prop>'
            "</node></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + "\n".join(items) + "\n</oor:items>\n"
    )


def convert_to_pdf(docx_path: str | os.PathLike, pdf_path: str | os.PathLike | None = None, *, timeout: float = TIMEOUT_S) -> Path:
    """Convert a .docx to PDF beside it (or at ``pdf_path``); MissingDependency without LibreOffice."""
    source = Path(docx_path)
    target = Path(pdf_path) if pdf_path else source.with_suffix(".pdf")
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependency(NOT_FOUND)
    work = Path(tempfile.mkdtemp(prefix="xlperf-lo-"))
    try:
        user = work / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(profile_xcu(replacements(installed_families())), encoding="utf-8")
        outdir = work / "out"
        outdir.mkdir()
        # A plain ASCII name: LibreOffice and some shells mangle long Chinese paths.
        staged = work / "report.docx"
        staged.write_bytes(for_libreoffice(source.read_bytes()))
        command = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", "pdf", "--outdir", str(outdir), str(staged),
        ]
        _run(command, timeout)
        produced = outdir / "report.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise XlperfError("LibreOffice 未能生成 PDF；Word 文档已生成，可在 Word 或 WPS 中另存为 PDF", path=str(source))
        data = produced.read_bytes()
        atomic_write(target, lambda f: f.write(data))
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def for_libreoffice(data: bytes) -> bytes:
    """The package with a line-only grid: LibreOffice 7.4 misreads a negative ``w:charSpace``.

    GB/T 9704's 28 characters a line needs ``charSpace="-848"`` at 3号, which Word and WPS
    honour; LibreOffice spreads the characters over two grid cells each (14 a line). Its
    copy keeps the 22-line pitch and lets the characters run at their natural width.
    """

    def lines_only(m: re.Match) -> str:
        tag = m.group(0)
        if not re.search(r'w:charSpace="-', tag):
            return tag
        tag = re.sub(r'\s+w:charSpace="[^"]*"', "", tag)
        return re.sub(r'w:type="[^"]*"', 'w:type="lines"', tag)

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/document.xml":
                blob = _GRID.sub(lines_only, blob.decode("utf-8")).encode("utf-8")
            dst.writestr(info, blob)
    return out.getvalue()


def _run(command: list[str], timeout: float) -> None:
    kwargs = {"start_new_session": True} if os.name != "nt" else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise XlperfError(f"LibreOffice 在 {timeout:g} 秒内没有完成转换，已终止；Word 文档已生成") from None
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise XlperfError(f"LibreOffice 转换失败（退出码 {proc.returncode}{'：' + detail[-1] if detail else ''}）；Word 文档已生成")


def _kill(proc: subprocess.Popen) -> None:
    """Stop soffice and the soffice.bin it started (same process group)."""
    try:
        if os.name != "nt":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass
    proc.communicate()
