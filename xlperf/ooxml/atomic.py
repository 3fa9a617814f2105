"""Replacing a file atomically: readers see the old bytes or the new ones, never a mix.

The new bytes go to a temp file beside the target, named ``.xlperf-<16 hex>.tmp``
(``TEMP_PREFIX``/``TEMP_SUFFIX``: xlperf owns that pattern), which is fsynced and then
moved over the target with ``os.replace``. What the replace would silently change is kept
or refused:

- permission bits, owner and group (as far as the user may set them) and extended
  attributes are copied from the file replaced;
- a read-only file is refused (``ReadOnlyError``): ``os.replace`` would overwrite it;
- a file with several hard links is refused (``HardLinkError``): a replace would leave
  the other names on the old bytes; we chose refusing over writing in place, which is
  not atomic (a kill would leave a half-written workbook); the user can write with ``-o``;
- a symbolic link is followed, so the file it points to is the one replaced.

While being written a temp file holds an advisory lock (POSIX ``flock``); a temp file
of ours whose lock can be taken is an orphan of a killed run and is removed by
``clean_orphans`` at the next write into that folder.

``replaced()`` lists the files replaced in this process, so an interrupt after the
replace is not reported as "nothing changed".
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, which protects a temp file being written
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = ".xlperf-"
TEMP_SUFFIX = ".tmp"
TEMP_PATTERN = re.compile(re.escape(TEMP_PREFIX) + r"[0-9a-f]{16}" + re.escape(TEMP_SUFFIX) + r"\Z")
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_WINDOWS_RETRIES = 5  # antivirus and indexers hold new files for a moment
_REPLACED: list[str] = []


class AtomicWriteRefused(OSError):
    """The target must not be replaced; ``reason`` is Chinese."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.filename = path
        self.reason = reason


class ReadOnlyError(AtomicWriteRefused):
    pass


class HardLinkError(AtomicWriteRefused):
    pass


def replaced() -> list[str]:
    """Files this process has replaced (or created) so far."""
    return list(_REPLACED)


def _try_lock(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def clean_orphans(folder: str) -> list[str]:
    """Remove our temp files left in ``folder`` by a killed run; returns the names removed.

    Only names matching ``TEMP_PATTERN`` are touched, and only when no process holds their lock.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not TEMP_PATTERN.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            if fcntl is None or _try_lock(fd):
                if fcntl is None and time.time() - os.fstat(fd).st_mtime < 3600:
                    continue  # without locks: only temp files an hour old count as orphans
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _create_temp(folder: str) -> tuple[int, str]:
    while True:
        temp = os.path.join(folder, f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}")
        try:
            fd = os.open(temp, _FLAGS, 0o666)  # 0o666 & ~umask, like a normal new file
        except FileExistsError:
            continue
        _try_lock(fd)
        return fd, temp


def _sync_folder(folder: str) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace(temp: str, path: str) -> None:
    for attempt in range(_WINDOWS_RETRIES if os.name == "nt" else 1):
        try:
            os.replace(temp, path)
            return
        except PermissionError:
            if os.name != "nt" or attempt == _WINDOWS_RETRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def check_replaceable(path: str, status: os.stat_result) -> None:
    """Refuse what a replace would silently get wrong: read-only files, hard-linked files."""
    read_only = not status.st_mode & stat.S_IWUSR or (os.name == "nt" and not os.access(path, os.W_OK))
    if os.name != "nt" and not read_only and hasattr(os, "geteuid") and os.geteuid() != 0:
        read_only = not os.access(path, os.W_OK)
    if read_only:
        raise ReadOnlyError(path, "文件是只读的，未覆盖；如需写入，请先取消只读属性，或用 -o 写到另一个文件；文件未作任何修改")
    if status.st_nlink > 1:
        raise HardLinkError(
            path, f"文件有 {status.st_nlink} 个硬链接，替换会使其他链接仍指向旧内容，未覆盖；请用 -o 写到另一个文件；文件未作任何修改"
        )


def _copy_metadata(status: os.stat_result, source: str, temp: str, fd: int) -> None:
    """Permission bits, owner and group (where allowed) and extended attributes of ``source`` onto the temp file."""
    os.chmod(temp, stat.S_IMODE(status.st_mode))
    if hasattr(os, "fchown"):
        now = os.fstat(fd)
        if (now.st_uid, now.st_gid) != (status.st_uid, status.st_gid):
            for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
                try:
                    os.fchown(fd, uid, gid)
                    break
                except OSError:
                    continue
            os.chmod(temp, stat.S_IMODE(status.st_mode))  # chown clears set-id bits
    if hasattr(os, "listxattr"):
        try:
            names = os.listxattr(source)
        except OSError:
            names = []
        for name in names:
            try:
                os.setxattr(temp, name, os.getxattr(source, name))
            except OSError:
                pass  # e.g. security.* without privilege: kept where the platform allows


def atomic_write(
    path: str | os.PathLike[str],
    write_fn: Callable[[BinaryIO], None],
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write ``path`` through ``write_fn(file)`` into a temp file beside it, then ``os.replace``.

    The temp file is fsynced before the replace and removed on any failure, so an error
    leaves the original untouched. ``before_replace`` runs last before the replace (e.g.
    to check the target is still the file that was read) and may raise to cancel it.
    Raises ReadOnlyError/HardLinkError (see the module docstring) before writing anything.
    """
    path = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(os.path.abspath(path))
    try:
        status: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        status = None
    if status is not None:
        check_replaceable(path, status)
    clean_orphans(folder)
    fd, temp = _create_temp(folder)
    try:
        with os.fdopen(fd, "wb") as out:
            write_fn(out)
            out.flush()
            os.fsync(out.fileno())
            if status is not None:
                _copy_metadata(status, path, temp, out.fileno())
            if before_replace is not None:
                before_replace()
            _replace(temp, path)  # the lock goes with the closing below; the name is already the target's
            _REPLACED.append(path)
    except BaseException:
        try:
            os.unlink(temp)  # gone already if the replace happened
        except OSError:
            pass
        raise
    _sync_folder(folder)
