"""Uploaded files onto disk: names sanitised, sizes capped, .zip files unpacked safely.

No client-given path is trusted: only the last part of a file name is kept,
cleaned of characters no file system accepts, and every file lands inside the
job's own folder. A .zip is unpacked member by member with the bytes counted as
they are written (declared sizes can lie), without following folders that leave
the target, and only workbook and JSON members are taken.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from xlperf.app.limits import DEFAULT, AppLimits, mib
from xlperf.errors import XlperfError

CHUNK = 1 << 16
INPUT_SUFFIXES = (".xlsx", ".xlsm", ".json")
BATCH_SUFFIXES = (".xlsx", ".xlsm")


class UploadError(XlperfError):
    """An upload the page refuses; the message is shown on the page."""


def safe_name(name: str | None, default: str = "工作簿.xlsx") -> str:
    """The last part of ``name`` as a harmless file name (Chinese kept, the suffix kept when shortened)."""
    from xlperf.report import safe_filename

    name = re.split(r"[\\/]", name or "")[-1].strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    stem = stem.strip().lstrip(".")
    if not stem:
        return default
    return safe_filename(stem) + (f".{safe_filename(suffix)}" if suffix else "")


def unique(folder: Path, name: str) -> Path:
    """``folder/name``, numbered when a file of that name is there already."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}（{n}）{suffix}"
        n += 1
    return path


def save_upload(storage, folder: Path, limits: AppLimits = DEFAULT, suffixes: tuple[str, ...] = INPUT_SUFFIXES + (".zip",)) -> Path:
    """Write one uploaded file (a werkzeug ``FileStorage``) into ``folder``; refuse it with a Chinese message."""
    name = safe_name(storage.filename)
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise UploadError(f"“{name}”是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再上传")
    if suffix not in suffixes:
        kinds = "、".join(suffixes)
        raise UploadError(f"“{name}”的文件类型不支持，请上传 {kinds} 文件")
    path = unique(folder, name)
    size = 0
    with open(path, "wb") as out:
        while True:
            chunk = storage.stream.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_file:
                out.close()
                path.unlink(missing_ok=True)
                raise UploadError(f"“{name}”超过 {mib(limits.max_file)}，文件过大，未处理")
            out.write(chunk)
    if size == 0:
        path.unlink(missing_ok=True)
        raise UploadError(f"“{name}”是空文件（0 字节），请检查后重新上传")
    return path


def _member_path(filename: str) -> PurePosixPath | None:
    """A zip member's path made safe: relative, no '..', each part sanitised; None for folders."""
    parts = [p for p in filename.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or filename.endswith(("/", "\\")) or ".." in parts:
        return None
    return PurePosixPath(*(safe_name(p, "_") for p in parts))


class Budget:
    """What one batch may still unpack: files and bytes."""

    def __init__(self, limits: AppLimits):
        self.limits = limits
        self.files = 0
        self.bytes = 0

    def take_file(self) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise UploadError(f"文件超过 {self.limits.max_files} 个，请分批上传")

    def take_bytes(self, name: str, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_unzipped:
            raise UploadError(f"压缩包“{name}”解压后超过 {mib(self.limits.max_unzipped)}，可能是恶意压缩包（zip 炸弹），未处理")


def extract_zip(archive: Path, folder: Path, budget: Budget) -> list[str]:
    """Unpack the workbooks of ``archive`` under ``folder``; return what was skipped and why."""
    limits = budget.limits
    skipped: list[str] = []
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise UploadError(f"“{archive.name}”不是有效的 .zip 压缩包（文件已损坏或不完整）") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 10 * limits.max_files:
            raise UploadError(f"压缩包“{archive.name}”中的条目过多（{len(infos)} 个），未处理")
        for info in infos:
            rel = _member_path(info.filename)
            if rel is None:
                if ".." in info.filename.replace("\\", "/").split("/"):
                    skipped.append(f"{info.filename}：路径指向压缩包以外，已忽略")
                continue
            if rel.suffix.lower() not in BATCH_SUFFIXES or rel.name.startswith("~$"):
                continue
            if info.flag_bits & 0x1:
                skipped.append(f"{info.filename}：压缩包条目已加密，无法读取")
                continue
            if info.file_size > limits.max_member:
                skipped.append(f"{info.filename}：解压后 {mib(info.file_size)}，超过单个文件上限 {mib(limits.max_member)}")
                continue
            budget.take_file()
            target = folder.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target = unique(target.parent, target.name)
            _copy_member(zf, info, target, budget, archive.name, skipped)
    return skipped


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: Budget, archive: str, skipped: list[str]) -> None:
    limits = budget.limits
    cap = min(limits.max_member, max(info.compress_size, 1) * limits.max_ratio + (1 << 20))
    written = 0
    try:
        with zf.open(info) as src, open(target, "wb") as out:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                budget.take_bytes(archive, len(chunk))
                if written > cap:
                    raise UploadError(f"压缩包“{archive}”中的“{info.filename}”解压后远大于其压缩大小，可能是恶意压缩包（zip 炸弹），未处理")
                out.write(chunk)
    except UploadError:
        target.unlink(missing_ok=True)
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        target.unlink(missing_ok=True)
        skipped.append(f"{info.filename}：无法从压缩包中取出（{exc.__class__.__name__}），压缩包可能已损坏")
