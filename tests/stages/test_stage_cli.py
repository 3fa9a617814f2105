"""The commands on stage files: score/check of 申报 and 监控 JSON, and advance."""

import json
from pathlib import Path

from click.testing import CliRunner

from xlperf import jsonio
from xlperf.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "xlperf" / "examples"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_score_monitoring_prints_lights():
    result = run("score", EXAMPLES / "jiankong2024.json")
    assert result.exit_code == 0, result.output
    assert "项目灯：黄灯" in result.output
    assert "预算执行进度：绿灯（执行率53.33%，按时间进度应为58.33%，进度比值91.43%，绿灯）" in result.output
    assert "服务老年人数：1–7月完成780人" in result.output


def test_score_monitoring_json_output():
    result = run("score", EXAMPLES / "jiankong2024.json", "--json")
    data = json.loads(result.output)
    assert data["stage"] == "监控" and data["project_light"] == "黄"
    assert [x["light"] for x in data["indicators"]] == ["绿", "绿", "绿", "绿", "绿", "黄", "绿"]
    assert round(data["budget"]["ratio"], 2) == 91.43


def test_check_monitoring_with_errors_exits_1(tmp_path, monitored):
    monitored.stages.monitoring.funds.spent = 400
    path = tmp_path / "监控.json"
    jsonio.dump(monitored, path)
    result = run("check", path)
    assert result.exit_code == 1
    assert "monitoring.funds.spent" in result.output and "超过预算数" in result.output


def test_check_declaration(tmp_path):
    data = json.loads((EXAMPLES / "shenbao2024.json").read_text(encoding="utf-8"))
    data["indicators"][3]["target"] = "≥1500"
    data["indicators"][3]["nature"] = "≥"
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1  # a cost indicator with ≥ is an error
    assert "绩效目标申报" in result.output and "indicators[3].target" in result.output
    assert run("check", EXAMPLES / "shenbao2024.json").exit_code == 0


def test_advance_through_the_year(tmp_path):
    monitored = tmp_path / "监控.json"
    result = run("advance", EXAMPLES / "shenbao2024.json", "--to", "监控", "-o", monitored)
    assert result.exit_code == 0, result.output
    assert json.loads(monitored.read_text(encoding="utf-8"))["stage"] == "监控"
    final = tmp_path / "自评.json"
    assert run("advance", monitored, "--to", "自评", "-o", final).exit_code == 0
    assert run("advance", monitored, "--to", "自评", "-o", final).exit_code == 2  # exists, no --force
    back = run("advance", final, "--to", "监控", "-o", tmp_path / "x.json")
    assert back.exit_code == 2 and "只能向后" in back.output
    # a 自评 file with stage data takes the ordinary scoring path
    scored = run("check", final, "--json")
    assert "total" in json.loads(scored.output)


def test_advance_refuses_bad_input_and_output(tmp_path):
    book = tmp_path / "表.xlsx"
    book.write_bytes(b"PK")
    result = run("advance", book, "--to", "监控", "-o", tmp_path / "out.json")
    assert result.exit_code == 2 and "错误" in result.output and "Traceback" not in result.output
    wrong = run("advance", EXAMPLES / "shenbao2024.json", "--to", "监控", "-o", tmp_path / "out.csv")
    assert wrong.exit_code == 2 and ".xlsx 或 .json" in wrong.output
    assert not (tmp_path / "out.csv").exists()


def test_advance_self_evaluation_to_next_years_declaration(tmp_path, final):
    this_year = tmp_path / "2024自评.json"
    jsonio.dump(final, this_year)
    out = tmp_path / "2025申报.json"
    result = run("advance", this_year, "--to", "申报", "-o", out)
    assert result.exit_code == 0 and "2025年度" in result.output
    checked = run("check", out)
    assert "绩效目标申报" in checked.output and "指标值设定偏低" in checked.output
