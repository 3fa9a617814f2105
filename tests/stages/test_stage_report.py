"""What the reports say about 运行监控: the 自评报告 section and the 监控报告."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from xlperf import jsonio
from xlperf.cli import cli
from xlperf.report import render
from xlperf.scoring import score
from xlperf.stages.model import Adjustment
from xlperf.stages.report import monitoring_paragraphs, monitoring_report

EXAMPLES = Path(__file__).resolve().parents[2] / "xlperf" / "examples"


def test_section_quotes_the_lights_and_the_correction(final):
    paragraphs = monitoring_paragraphs(final)
    assert paragraphs[0].startswith("本项目按要求开展了绩效运行监控，数据截至7月底。")
    assert "进度比值91.43%" in paragraphs[0] and "黄灯1项、绿灯6项" in paragraphs[0] and "项目总体为黄灯" in paragraphs[0]
    assert paragraphs[1] == ("“服务机制长效运行”为黄灯（1–7月部分达成），偏差原因为制度保障：运营规范尚在修订，"
                             "采取的纠偏措施为：9月底前出台运营规范并组织培训。")


def test_section_lists_adjustments_and_missing_corrections(final):
    final.stages.monitoring.indicators[5].correction = None
    final.stages.adjustments.append(Adjustment(name="服务老年人数", field="指标值", before="≥1200", after="≥1100", reason="预算调减"))
    paragraphs = monitoring_paragraphs(final)
    assert paragraphs[1].endswith("未填写纠偏措施。")
    assert paragraphs[-1] == "年度中共调整绩效目标1项：“服务老年人数”指标值由≥1200调整为≥1100（预算调减）。"


def test_no_section_without_monitoring(final):
    final.stages.monitoring = None
    assert monitoring_paragraphs(final) == []
    text = render(final, score(final), fmt="md").decode("utf-8")
    assert "运行监控及纠偏情况" not in text


def test_self_evaluation_report_gains_the_section(final):
    text = render(final, score(final), fmt="md").decode("utf-8")
    assert "### （三）运行监控及纠偏情况" in text
    assert "采取的纠偏措施为：9月底前出台运营规范并组织培训。" in text


def test_monitoring_report_context(monitored):
    ctx = monitoring_report(monitored)
    assert ctx["title"] == "社区居家养老服务补助2024年度绩效运行监控报告"
    assert ctx["funds"] == {"budget": "300.00万元", "spent": "160.00万元", "forecast": "295.00万元"}
    assert [r["light"] for r in ctx["rows"]] == ["绿", "绿", "绿", "绿", "绿", "黄", "绿"]
    assert [r["name"] for r in ctx["lagging"]] == ["服务机制长效运行"]


def test_report_command_writes_the_monitoring_report(tmp_path):
    out = tmp_path / "监控报告.md"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "jiankong2024.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## 四、偏差原因及纠偏措施" in text and "| 服务机制长效运行 |" in text
    refused = CliRunner().invoke(cli, ["report", str(EXAMPLES / "shenbao2024.json"), "-o", str(tmp_path / "x.md")])
    assert refused.exit_code == 2 and "申报阶段没有报告" in refused.output


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice and poppler-utils")
def test_monitoring_report_docx_opens_in_libreoffice(tmp_path):
    out = tmp_path / "监控报告.docx"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "jiankong2024.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    profile = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "监控报告.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)  # pdftotext breaks lines and spaces digits from Chinese
    assert "绩效运行监控报告" in flat and "进度比值91.43%" in flat and "服务机制长效运行" in flat
