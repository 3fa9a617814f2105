"""The larger run of the mutated-workbook property test (issue 17), as a script.

    python benchmarks/bench_fuzz.py [N] [--seed S]

Builds N mutants of the example workbook (bits flipped in the zip, or in one part's XML
re-zipped; see ``tests/ooxml/ooxmlmutants.py``), runs ``check`` and ``score`` on each in this
process, and prints how many were read, refused (by error class) and how long a mutant took
against reading the unmutated workbook in the same run. Any exception other than
``XlperfError`` stops the run with the seed and mutant number to reproduce it.
Printed only; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ooxml"))

from ooxmlmutants import mutants, run_one  # noqa: E402

from xlperf.examples import example_workbook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    source = example_workbook().read_bytes()
    tally: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder, "base.xlsx")
        base.write_bytes(source)
        started = time.perf_counter()
        run_one(base, "unmutated")
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        for n, what, data in mutants(args.seed, args.count, source):
            path = Path(folder, f"m{n}.xlsx")
            path.write_bytes(data)
            try:
                outcome = run_one(path, what)
            except Exception as exc:  # noqa: BLE001
                print(f"FAILED mutant {n} (seed {args.seed}, {what}): {type(exc).__name__}: {exc}")
                raise SystemExit(1) from None
            tally[f"check {outcome.check} / score {outcome.score}"] += 1
            path.unlink()
        elapsed = time.perf_counter() - started
    print(f"{args.count} mutants, seed {args.seed}: only xlperf errors")
    for key, n in tally.most_common():
        print(f"  {n:6d}  {key}")
    per = elapsed / max(args.count, 1)
    print(f"per mutant {per * 1000:.1f} ms; unmutated check+score {baseline * 1000:.1f} ms; ratio {per / baseline:.2f}x")


if __name__ == "__main__":
    main()
