"""The progress bar on a terminal, the plain lines in a log."""

import io

from xlperf.batch.progress import ProgressLines, TerminalBar, progress_for


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_bar_redraws_in_place_with_counts_and_eta():
    out, clock = io.StringIO(), Clock()
    bar = TerminalBar(out, width=10, clock=clock)
    clock.now = 10.0
    bar(250, 1000)
    clock.now = 40.0
    bar(1000, 1000)
    bar.close()
    text = out.getvalue()
    assert text.startswith("\r[██········] 250/1000  25%  剩余 00:30")
    assert "\r[██████████] 1000/1000 100%  用时 00:40" in text
    assert text.endswith("\n") and text.count("\n") == 1


def test_bar_is_throttled_but_always_shows_the_end():
    out, clock = io.StringIO(), Clock()
    bar = TerminalBar(out, clock=clock, interval=1.0)
    for done in range(1, 101):
        bar(done, 100)
    assert out.getvalue().count("\r") == 2  # the first update and the last


def test_plain_lines_every_n_files_and_at_the_end():
    out, clock = io.StringIO(), Clock()
    lines = ProgressLines(out, every=100, interval=1000, clock=clock)
    for done in range(0, 251, 10):
        clock.now += 1
        lines(done, 250)
    got = out.getvalue().splitlines()
    assert [g.split("，")[0] for g in got] == ["已处理 100/250", "已处理 200/250", "已处理 250/250"]
    assert "预计剩余" in got[0] and "用时" in got[-1]


def test_plain_lines_every_few_seconds():
    out, clock = io.StringIO(), Clock()
    lines = ProgressLines(out, every=10_000, interval=5, clock=clock)
    for done in range(1, 21):
        clock.now += 1
        lines(done, 1000)
    assert [g.split("，")[0] for g in out.getvalue().splitlines()] == ["已处理 5/1000", "已处理 10/1000", "已处理 15/1000", "已处理 20/1000"]


def test_bar_only_on_a_terminal():
    assert isinstance(progress_for(Tty()), TerminalBar)
    assert isinstance(progress_for(io.StringIO()), ProgressLines)
