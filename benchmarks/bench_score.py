"""`xlperf score` on a 60-indicator workbook against openpyxl merely loading and saving it.

Run: python benchmarks/bench_score.py [INDICATORS] [REPEATS]
Prints medians and the ratio (goal: ≤ 1.0). Both are measured in the same run, on the same file.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from xlperf.model import Evaluation, Indicator
from xlperf.sources import score_workbook
from xlperf.workbook.builder import build_workbook

LEVELS = [("产出指标", "数量指标", 50), ("效益指标", "社会效益指标", 30), ("满意度指标", "服务对象满意度指标", 10)]


def evaluation(n: int) -> Evaluation:
    ev = Evaluation(profile="cz2020")
    ev.project.name, ev.project.year = "基准测试项目", 2020
    ev.funds.rows[0].budget, ev.funds.rows[0].spent = 100, 93.5
    per = {name: weight for name, _, weight in LEVELS}
    counts = {name: 0 for name, _, _ in LEVELS}
    plan = [LEVELS[i * len(LEVELS) // n][0] for i in range(n)]
    for name in plan:
        counts[name] += 1
    for i, name in enumerate(plan):
        level2 = next(l2 for l1, l2, _ in LEVELS if l1 == name)
        ev.indicators.append(Indicator(
            level1=name, level2=level2, name=f"指标{i + 1}", target=f"≥{100 + i}人", actual=f"{95 + i}人",
            weight=round(per[name] / counts[name], 4), reason="原因" if i % 2 else None,
        ))
    return ev


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "基准.xlsx"
        build_workbook("cz2020", evaluation(n), source)
        work = Path(tmp) / "work.xlsx"

        def xlperf_score():
            shutil.copyfile(source, work)
            score_workbook(work)

        def openpyxl_load_save():
            shutil.copyfile(source, work)
            wb = openpyxl.load_workbook(work)
            wb.save(work)

        def copy_only():
            shutil.copyfile(source, work)

        xlperf_score()  # warm imports and caches for both sides
        openpyxl_load_save()
        base = median_time(copy_only, repeats)
        ours = median_time(xlperf_score, repeats) - base
        theirs = median_time(openpyxl_load_save, repeats) - base
        print(f"{n} indicators, median of {repeats}:")
        print(f"  xlperf score (read, score, check, patch): {ours * 1000:8.1f} ms")
        print(f"  openpyxl load + save:                     {theirs * 1000:8.1f} ms")
        print(f"  ratio xlperf / openpyxl:                  {ours / theirs:8.2f}  (goal ≤ 1.00)")


if __name__ == "__main__":
    main()
