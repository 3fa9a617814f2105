"""The last line of defence around every command: no traceback ever reaches the user.

``guarded(cli)`` runs the command group; an exception no command turned into a message
(a bug, or a reader's native error such as a Rust panic) becomes

    错误：处理 <file> 时发生内部错误（<type>）。详细信息已写入日志 <log>；…

with exit code ``EXIT_INTERNAL`` (3), distinct from 1 (findings) and 2 (bad input). The
traceback goes to ``xlperf-errors.log`` in the log folder: ``$XLPERF_LOG_DIR``, else
``%LOCALAPPDATA%\\xlperf\\logs`` on Windows, ``~/Library/Logs/xlperf`` on macOS,
``$XDG_STATE_HOME/xlperf`` (``~/.local/state/xlperf``) elsewhere; if none can be written,
the system temp folder.

``interrupted_message()`` is what Ctrl+C prints: it says which files were already
replaced, instead of claiming nothing changed.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import traceback

EXIT_INTERNAL = 3
LOG_NAME = "xlperf-errors.log"
_LOG_LIMIT = 1 << 20  # the log is started afresh past 1 MiB


def log_folder() -> str:
    override = os.environ.get("XLPERF_LOG_DIR")
    if override:
        return override
    home = os.path.expanduser("~")
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA") or home, "xlperf", "logs")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Logs", "xlperf")
    return os.path.join(os.environ.get("XDG_STATE_HOME") or os.path.join(home, ".local", "state"), "xlperf")


def _write_log(text: str) -> str | None:
    for folder in (log_folder(), tempfile.gettempdir()):
        path = os.path.join(folder, LOG_NAME)
        try:
            os.makedirs(folder, exist_ok=True)
            mode = "w" if os.path.exists(path) and os.path.getsize(path) > _LOG_LIMIT else "a"
            with open(path, mode, encoding="utf-8", errors="backslashreplace") as log:
                log.write(text)
            return path
        except OSError:
            continue
    return None


def files_named(argv: list[str]) -> list[str]:
    """The arguments that name existing files or folders: what the command was working on."""
    found = []
    for arg in argv:
        if arg.startswith("-") or len(arg) > 4096:
            continue
        try:
            if os.path.exists(arg):
                found.append(arg)
        except (OSError, ValueError):
            continue
    return found


def internal_error_message(exc: BaseException, argv: list[str]) -> str:
    """Log ``exc`` with its traceback; the Chinese message naming the file and the log."""
    from xlperf import __version__

    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log = _write_log(f"==== {stamp} xlperf {__version__} python {sys.version.split()[0]}\nargv: {argv!r}\n{details}\n")
    files = files_named(argv)
    subject = f"处理 {'、'.join(files)} 时" if files else "运行时"
    where = f"详细信息已写入日志 {log}" if log else "详细信息无法写入日志"
    return (
        f"错误：{subject}发生内部错误（{type(exc).__name__}），这不是您的操作问题。{where}；"
        "请把该文件和日志发给维护人员。已写入的文件都是完整的。"
    )


def interrupted_message() -> str:
    """What Ctrl+C prints: whether some file was already replaced (completely) before the interrupt."""
    from xlperf.ooxml.atomic import replaced

    done = replaced()
    if not done:
        return "已中断，文件未作修改。"
    return f"已中断；中断前已完整写入：{'、'.join(dict.fromkeys(done))}；其他文件没有改动。"


def guarded(command, argv: list[str] | None = None, **kwargs) -> None:
    """Run the click ``command``; any exception that escapes it becomes a message and exit code 3."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        command.main(args=argv, standalone_mode=True, **kwargs)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _echo(interrupted_message())
        sys.exit(130)
    except BaseException as exc:  # noqa: BLE001  (PanicException, a Rust panic, is a BaseException)
        try:
            message = internal_error_message(exc, argv)
        except BaseException:  # noqa: BLE001
            message = f"错误：发生内部错误（{type(exc).__name__}）。"
        _echo(message)
        sys.exit(EXIT_INTERNAL)


def _echo(message: str) -> None:
    try:
        import click

        click.echo(message, err=True)
    except Exception:  # noqa: BLE001
        sys.stderr.write(message.encode("utf-8", "backslashreplace").decode("utf-8", "replace") + "\n")
