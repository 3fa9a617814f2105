"""Progress for long batches: an in-place bar on a terminal, plain lines in a log.

A progress object is called as ``progress(done, total)`` whenever files finish
and ``close()`` once at the end; ``run_batch`` accepts any such callable.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None: ...


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class _Timed:
    def __init__(self, stream: TextIO | None, clock=time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()

    def eta(self, done: int, total: int) -> str:
        elapsed = self.clock() - self.started
        if done <= 0 or done >= total:
            return _clock(elapsed) if done >= total else "--:--"
        return _clock(elapsed / done * (total - done))


class TerminalBar(_Timed):
    """``[██████······] 120/1000  12%  剩余 00:45``, redrawn in place with ``\\r``."""

    def __init__(self, stream: TextIO | None = None, width: int = 30, interval: float = 0.1, clock=time.monotonic) -> None:
        super().__init__(stream, clock)
        self.width = width
        self.interval = interval
        self._last = float("-inf")
        self._shown = False
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        filled = self.width * done // total if total else self.width
        bar = "█" * filled + "·" * (self.width - filled)
        label = "用时" if done >= total else "剩余"
        percent = 100 * done // total if total else 100
        line = f"[{bar}] {done}/{total} {percent:3d}%  {label} {self.eta(done, total)}"
        self.stream.write(f"\r{line}{' ' * max(0, self._width - len(line))}")  # blank out a longer last line
        self.stream.flush()
        self._width = len(line)
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()


class ProgressLines(_Timed):
    """``已处理 120/1000`` every ``every`` files or ``interval`` seconds, and at the end."""

    def __init__(self, stream: TextIO | None = None, every: int = 100, interval: float = 5.0, clock=time.monotonic) -> None:
        super().__init__(stream, clock)
        self.every = every
        self.interval = interval
        self._last_time = self.started
        self._last_done = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        due = done >= total or done - self._last_done >= self.every or now - self._last_time >= self.interval
        if not due or done == self._last_done:
            return
        self._last_time, self._last_done = now, done
        tail = f"，用时 {self.eta(done, total)}" if done >= total else f"，预计剩余 {self.eta(done, total)}"
        self.stream.write(f"已处理 {done}/{total}{tail}\n")
        self.stream.flush()

    def close(self) -> None:
        pass


def progress_for(stream: TextIO | None = None) -> TerminalBar | ProgressLines:
    """A bar when ``stream`` (stderr by default) is a terminal, plain lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return TerminalBar(stream) if isatty and isatty() else ProgressLines(stream)
