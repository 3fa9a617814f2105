"""`xlperf profile list | new | check`: one line per shipped profile, a copy to edit, messages with the line."""

from __future__ import annotations

from click.testing import CliRunner

from xlperf.cli import cli
from xlperf.profile import PROFILE_IDS, load_profile


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_shows_every_shipped_profile_with_its_source():
    result = run("profile", "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(PROFILE_IDS)
    for profile_id in PROFILE_IDS:
        assert load_profile(profile_id).source, f"{profile_id}.toml cites no source"


def test_new_copies_a_profile_that_checks_and_builds(tmp_path):
    path = tmp_path / "sheng.toml"
    assert run("profile", "new", "--from", "cz2020", "-o", str(path)).exit_code == 0
    assert 'id = "sheng"' in path.read_text(encoding="utf-8")
    assert "方案有效：sheng" in run("profile", "check", str(path)).output
    assert run("profile", "new", "--from", "cz2020", "-o", str(path)).exit_code == 2  # exists: --force needed


def test_check_points_to_the_line(tmp_path):
    path = tmp_path / "bad.toml"
    text = load_profile("cz2020").text.replace("weight = 50", "weight = 45")
    path.write_text(text, encoding="utf-8")
    result = run("profile", "check", str(path))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("[[categories]]"))
    assert result.exit_code == 2 and f"第{line}行" in result.output and "应等于总分100" in result.output
    path.write_text(text.replace('lower_cut = 60', 'lower_cut = "六十"'), encoding="utf-8")
    assert "定性档下限" in run("profile", "check", str(path)).output
    path.write_text("id = [\n", encoding="utf-8")
    result = run("profile", "check", str(path))
    assert result.exit_code == 2 and "TOML" in result.output and "Traceback" not in result.output
