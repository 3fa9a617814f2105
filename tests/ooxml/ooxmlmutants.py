"""Mutated workbooks for the property test and ``benchmarks/bench_fuzz.py`` (issue 17).

A mutant is the example workbook with a few bits flipped either in the zip bytes or in
the decompressed XML of one part (then zipped again, so the change reaches the parsers
instead of being stopped by the CRC). Every mutant goes through ``check`` and ``score``
in this process; the only exceptions allowed are xlperf's own (``XlperfError``), each
with a Chinese message.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xlperf.errors import XlperfError

CJK = re.compile("[\u4e00-\u9fff]")


def flip_bits(data: bytes, rng: random.Random, flips: int, start: int = 0) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(start, len(out)) if len(out) > start else 0
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutant: (what was done, the bytes)."""
    if rng.random() < 0.3:
        flips = rng.randint(1, 8)
        return f"zip: {flips} bits", flip_bits(data, rng, flips)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    xml = [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    target = rng.choice(xml)
    info, part = members[target]
    flips = rng.randint(1, 6)
    members[target] = (info, flip_bits(part, rng, flips))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members:
            archive.writestr(member.filename, body)
    return f"{info.filename}: {flips} bits", out.getvalue()


@dataclass
class Outcome:
    what: str
    check: str  # "ok", or the XlperfError class name
    score: str


def run_one(path: Path, what: str) -> Outcome:
    """``check`` then ``score`` in process; anything but XlperfError propagates (the test fails)."""
    from xlperf.sources import evaluate_file, score_workbook

    results = []
    for action in (evaluate_file, score_workbook):
        try:
            action(path)
            results.append("ok")
        except XlperfError as exc:
            if not CJK.search(str(exc)):
                raise AssertionError(f"{what}: message without Chinese: {exc}") from None
            results.append(type(exc).__name__)
    return Outcome(what, *results)


def mutants(seed: int, count: int, source: bytes):
    rng = random.Random(seed)
    for n in range(count):
        what, data = mutate(source, rng)
        yield n, what, data
