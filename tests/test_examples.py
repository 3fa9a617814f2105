"""The bundled example ships as JSON and as a workbook, and the two agree."""

import zipfile

from xlperf import jsonio
from xlperf.examples import build_example_workbook, example_json, example_workbook
from xlperf.scoring import score
from xlperf.sources import evaluate_file


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_committed_example_workbook_is_the_json_rebuilt(tmp_path):
    rebuilt = tmp_path / "ningde2018.xlsx"
    build_example_workbook(rebuilt)
    assert parts(rebuilt) == parts(example_workbook()), "run: python -m xlperf.examples"


def test_workbook_and_json_score_the_same():
    _, from_book = evaluate_file(example_workbook())
    from_json = score(jsonio.load(example_json()))
    assert (from_book.total, from_book.grade) == (from_json.total, from_json.grade)
    assert [s.points for s in from_book.items] == [s.points for s in from_json.items]
    assert [f.code for f in from_book.findings] == [f.code for f in from_json.findings]


def test_a_careful_reviewer_catches_the_sample_contradictions():
    results = score(jsonio.load(example_json()))
    messages = "\n".join(f.message for f in results.findings)
    assert "“投入”各项分值之和为31分，应等于该一级指标的30分" in messages
    assert "“192场”" in messages and "“162场”" in messages
    assert "99.40%" in messages and "59.93%" in messages
    assert "“675件”" in messages and "“695件”" in messages
    assert "“40万件”" in messages
    assert "自评总分94" in messages
