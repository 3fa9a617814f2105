"""Replacing a file atomically: readers see the old bytes or the new ones, never a mix."""

from __future__ import annotations

import os
import secrets
import stat
import time
from collections.abc import Callable
from typing import BinaryIO

TEMP_PREFIX = ".xlperf-"
TEMP_SUFFIX = ".tmp"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_WINDOWS_RETRIES = 5  # antivirus and indexers hold new files for a moment


def _create_temp(folder: str) -> tuple[int, str]:
    while True:
        temp = os.path.join(folder, f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}")
        try:
            return os.open(temp, _FLAGS, 0o666), temp  # 0o666 & ~umask, like a normal new file
        except FileExistsError:
            continue


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


def atomic_write(path: str | os.PathLike[str], write_fn: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` through ``write_fn(file)`` into a temp file beside it, then ``os.replace``.

    The temp file is fsynced before the replace and removed on any failure, so an
    error leaves the original untouched.  An existing file's permission bits are kept;
    a symbolic link is followed, so the file it points to is the one replaced.
    """
    path = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp = _create_temp(folder)
    try:
        with os.fdopen(fd, "wb") as out:
            write_fn(out)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        _replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _sync_folder(folder)
