"""Benchmark the Word report against python-docx opening and saving the same template.

    python benchmarks/bench_report.py [--repeat N]

In one process, median of N repetitions (default 9) after one warm-up each:

* baseline: ``docx.Document(template)`` then ``save`` to memory;
* the example's report (ningde2018, fj2018) written with ``write_report``, without charts;
* the same with both charts.

The first report with charts is also timed cold (matplotlib import and font lookup,
cached per process afterwards). Ratios are printed; the goal is at most 3× the
baseline. Printed only; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOAL = 3.0


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    from docx import Document

    from xlperf import jsonio
    from xlperf.report import write_report
    from xlperf.report.docx import default_template
    from xlperf.scoring import score

    evaluation = jsonio.load(REPO / "xlperf" / "examples" / "ningde2018.json")
    results = score(evaluation)
    template = default_template("fj2018")
    folder = Path(tempfile.mkdtemp(prefix="xlperf-bench-"))

    start = time.perf_counter()
    write_report(evaluation, results, folder / "cold.docx", charts=True)
    cold = time.perf_counter() - start

    def baseline():
        Document(str(template)).save(io.BytesIO())

    def plain():
        write_report(evaluation, results, folder / "plain.docx", charts=False)

    def charted():
        write_report(evaluation, results, folder / "charts.docx", charts=True)

    from xlperf.report import charts, report_profile
    from xlperf.report.context import build_context

    profile = report_profile(evaluation, results)
    context = build_context(evaluation, results, profile)

    def figures():
        charts.completion_chart(context["chart_data"]["ratios"])
        charts.score_chart(context["chart_data"]["scores"])

    base = median_time(baseline, args.repeat)
    ctx_time = median_time(lambda: build_context(evaluation, results, profile), args.repeat)
    chart_time = median_time(figures, args.repeat)
    without = median_time(plain, args.repeat)
    with_charts = median_time(charted, args.repeat)
    print(f"python-docx open+save template : {base * 1000:8.1f} ms")
    print(f"report without charts          : {without * 1000:8.1f} ms  ratio {without / base:5.2f}×")
    print(f"report with charts             : {with_charts * 1000:8.1f} ms  ratio {with_charts / base:5.2f}×")
    print(f"  of which: context {ctx_time * 1000:.1f} ms, drawing both charts {chart_time * 1000:.1f} ms")
    print(f"report with charts, cold start : {cold * 1000:8.1f} ms  (matplotlib import and font lookup included)")
    print(f"goal ≤ {GOAL:g}×: without charts {'met' if without / base <= GOAL else 'NOT met'}, "
          f"with charts {'met' if with_charts / base <= GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
