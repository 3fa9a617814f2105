"""Benchmark ``run_batch`` over a mixed folder: xlperf workbooks and foreign 自评表 (a province's year).

    python benchmarks/bench_foreign_batch.py [N ...] [--jobs J] [--distinct K]

For each N (default 1000 10000) it fills a temporary folder with N files of 20–60 indicators,
half xlperf workbooks (the workbook builder) and half foreign forms (openpyxl, laid out as the
10号 附件1 with the variants in ``tests/forms/foreign.py``), K distinct ones of each copied
round-robin. It then runs ``xlperf batch`` in a fresh interpreter (summary .xlsx included) and
prints its wall time, files per second, the peak RSS of the parent and of the largest worker,
and the time to 100,000 files extrapolated from the per-file rate. A baseline is measured in
the same run: the per-file time of reading an xlperf workbook and a foreign form one at a time
in this process, so the cost of recognition shows as a ratio.

Printed only; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "forms")]

from foreign import Style, joined, sample, write_form

from xlperf.model import Indicator

STYLES = [
    Style(),
    Style(split_target=True),
    Style(order=("name", "level2", "level1", "weight", "target", "claimed_score", "actual", "reason"), merge_level1=False),
    Style(category_rows=True, blank_rows=True),
]
GOAL_SECONDS = 600
PROVINCE = 100_000


def evaluation(seed: int, split: bool):
    rng = random.Random(seed)
    base = sample() if split else joined(sample())
    count = rng.randint(20, 60)
    template = base.indicators
    base.indicators = []
    for i in range(count):
        row = Indicator(**{k: getattr(template[i % len(template)], k) for k in ("level1", "level2", "nature", "target", "unit", "actual", "reason")})
        row.name = f"指标{i + 1}"
        base.indicators.append(row)
    base.indicators.sort(key=lambda x: ("产出指标", "效益指标", "满意度指标").index(x.level1))
    for level1, weight in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):  # whole weights adding up to the category's
        rows = [x for x in base.indicators if x.level1 == level1]
        for j, row in enumerate(rows):
            row.weight = weight // len(rows) + (1 if j < weight % len(rows) else 0)
    base.claimed_total = None
    return base


def make_folder(folder: Path, n: int, distinct: int) -> None:
    from xlperf.workbook.builder import build_workbook

    seeds = folder / "_seeds"
    seeds.mkdir(parents=True)
    made = []
    for k in range(distinct):
        style = STYLES[k % len(STYLES)]
        foreign = write_form(evaluation(k, style.split_target), seeds / f"f{k}.xlsx", style)
        own = seeds / f"x{k}.xlsx"
        with open(own, "wb") as handle:
            build_workbook("cz2020", evaluation(k, True), handle)
        made += [foreign, own]
    for i in range(n):
        sub = folder / "in" / f"{i // 500:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        source = made[i % len(made)]
        shutil.copyfile(source, sub / f"{i:06d}-{source.stem}.xlsx")


RUNNER = r"""
import json, resource, sys, time
from pathlib import Path
from xlperf.batch import run_batch, write_summary
root, jobs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = time.perf_counter()
from xlperf.batch.formats import write_findings_csv
with run_batch(Path(root), jobs=jobs) as result:
    read = time.perf_counter() - t
    write_summary(result, Path(out))
    written = time.perf_counter() - t - read
    c = time.perf_counter()
    write_findings_csv(result, Path(out).with_suffix(".csv"))
    csv_s = time.perf_counter() - c
    findings = result.spool.count
    how = {}
    for r in result.records:
        key = "xlperf" if r.read_as == "xlperf 工作簿" else ("foreign" if r.read_as else "failed")
        how[key] = how.get(key, 0) + 1
wall = time.perf_counter() - t
wall -= csv_s  # the CSV measured above is not part of the batch
print(json.dumps({"wall": wall, "read": read, "how": how, "summary": written, "csv": csv_s, "findings": findings,
                  "rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def per_file(folder: Path) -> tuple[float, float]:
    from xlperf.sources import evaluate_file

    files = sorted((folder / "_seeds").glob("*.xlsx"))
    times = {"x": [], "f": []}
    for path in files * 3:
        t = time.perf_counter()
        evaluate_file(path)
        times[path.stem[0]].append(time.perf_counter() - t)
    return (sum(times["x"]) / len(times["x"]) * 1000, sum(times["f"]) / len(times["f"]) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--distinct", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            t = time.perf_counter()
            make_folder(folder, n, args.distinct)
            made = time.perf_counter() - t
            xlperf_ms, foreign_ms = per_file(folder)
            ran = subprocess.run([sys.executable, "-c", RUNNER, str(folder / "in"), str(args.jobs), str(folder / "汇总.xlsx")],
                                 capture_output=True, text=True, env=env, check=True)
            data = json.loads(ran.stdout.strip().splitlines()[-1])
            rate = n / data["wall"]
            print(f"N={n}: folder made in {made:.0f} s; batch --jobs {args.jobs}: {data['wall']:.1f} s wall "
                  f"({data['read']:.1f} s reading, {rate:.0f} files/s), read as {data['how']}")
            print(f"  peak RSS: parent {data['rss_parent_mb']:.0f} MB, largest worker {data['rss_worker_mb']:.0f} MB")
            print(f"  baseline in this process: xlperf workbook {xlperf_ms:.1f} ms/file, foreign form {foreign_ms:.1f} ms/file "
                  f"(recognition costs {foreign_ms / xlperf_ms:.2f}x)")
            per = max(data["findings"], 1)
            print(f"  summary: {data['findings']} findings; workbook written in {data['summary']:.1f} s "
                  f"({data['summary'] / per * 1e6:.0f} µs/finding with the 汇总 sheet), the findings alone as CSV in {data['csv']:.2f} s "
                  f"({data['csv'] / per * 1e6:.0f} µs/finding; used beside the workbook past {1_048_574:,} findings)")
            print(f"  extrapolated to {PROVINCE:,} files: {PROVINCE / rate / 60:.1f} min (goal {GOAL_SECONDS // 60} min)")


if __name__ == "__main__":
    main()
