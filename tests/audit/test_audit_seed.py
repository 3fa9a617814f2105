"""The 2018 宁德 sample report, audited as text with no workbook, yields its contradictions.

Found (each asserted below):
  162 vs 192 场 (视频会议); 695 vs 675 件 (外网信件); 86.5% vs 87% (网民满意率); 96.75% vs 95.75% (写信人满意率);
  资金使用率 59.93% vs 99.40%; 投入 weights 3+5+4+3+2+3+2+2+5+2 = 31 in a category of 30; 产出与效益 weights 41 in 40
  and its items' scores 41 against the stated 40; total 94 against item scores adding to 95; savings 113.79 where
  318.91 − 191.12 = 127.79; the listed components 268.91 of 318.91 (a warning: the text says 主要是……等);
  “无差异得满分3分” yet 得2分; 40万件 against a target of 32期 (unit and magnitude); 8500件 vs 9567场, 52万份 vs
  60.2万件, 200条 vs 200件, 32期 vs 32场 (units); 每月点击数 2.1万/2.25万 against the annual 24万/25.6万 (×12 = 25.2万/27万);
  节约能源资金 113.79 and 57.11 under the same name.
Out of reach (documented, not asserted):
  the completion ratios capped at 100% (86.5÷85 written as 100%) — a common practice, not flagged;
  copy-paste wording (云移动平台使用人数 described as 承办市政府常务会议, 公文批转数 scored on 电子证照) — no figure differs;
  资金12月中旬全部到位 against 到位及时率 100% — needs the payment schedule;
  the 网站文章数 item (达到3万件) against 信息发布数量: same figures, and the names share too little to match with certainty.
"""

from __future__ import annotations

import pytest

from audithelpers import SEED

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="seed report not present")


@pytest.fixture(scope="module")
def findings():
    from xlperf.audit import audit_file

    return audit_file(SEED)[2]


def _has(findings, code, *fragments):
    return [f for f in findings if f.code == code and all(x in f.message for x in fragments)]


@pytest.mark.parametrize("code,fragments", [
    ("audit.same", ("192场", "162场")),
    ("audit.same", ("675件", "695件")),
    ("audit.same", ("87%", "86.5%")),
    ("audit.same", ("95.75%", "96.75%")),
    ("audit.same", ("99.4", "59.93%")),
    ("audit.same", ("57.11万元", "113.79万元")),
    ("audit.sum", ("投入", "=31分")),
    ("audit.sum", ("产出与效益", "满分40分", "=41分")),
    ("audit.sum", ("产出与效益", "得分写作40分", "=41分")),
    ("audit.total", ("94分", "95分")),
    ("audit.funds", ("113.79万元", "127.79万元")),
    ("audit.parts", ("268.91万元", "318.91万元")),
    ("audit.rule", ("无差异", "满分3分", "2分")),
    ("audit.unit", ("32期", "40万件", "数量级")),
    ("audit.unit", ("8500件", "9567场")),
    ("audit.unit", ("52万份", "60.2万件")),
    ("audit.unit", ("200件", "200条")),
    ("audit.monthly", ("2.1万", "25.2万", "24万")),
    ("audit.monthly", ("2.25万", "27万", "25.6万")),
])
def test_seed_contradiction_found(findings, code, fragments):
    assert _has(findings, code, *fragments), [str(f) for f in findings]


def test_seed_findings_point_at_paragraphs(findings):
    from xlperf.audit import read_narrative

    paragraphs = read_narrative(SEED)
    video = _has(findings, "audit.same", "192场")[0]
    assert "192场" in paragraphs[video.paras[0] - 1].text and "162场" in paragraphs[video.paras[1] - 1].text
    assert all(1 <= p <= len(paragraphs) for f in findings for p in f.paras)


def test_seed_components_are_a_warning_because_hedged(findings):
    parts = _has(findings, "audit.parts", "268.91")[0]
    assert parts.severity.value == "warning" and "主要是" in parts.message


def test_seed_grade_is_consistent(findings):
    assert not [f for f in findings if f.code == "audit.grade"]  # 94 分 is 优秀 under fj2018
