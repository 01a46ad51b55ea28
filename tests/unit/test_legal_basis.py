"""Legal basis and relief wording of institution notices come from the policy profile, each profile its own."""

from __future__ import annotations

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.legal_basis import parse_legal_basis
from yibao_desktop.services.profiles import load_profile

GD = "《广东省医疗机构医疗保障定点管理暂行办法》"
N14 = "《国家医疗保障局关于进一步加强医疗保障定点医疗机构管理的通知》（医保发〔2025〕14号）"


def test_guangdong_cites_its_own_rules_with_the_items_of_each_refusal_ground_once():
    legal = load_profile("guangdong").legal
    keys = ["notice.refusal", "refusal.non_basic_business", "refusal.leader_serious_violation"]
    assert legal.citation(keys) == GD + "第九条第（一）项、第（七）项"
    assert legal.citation(["notice.supplement"]) == GD + "第十条"


def test_a_ground_of_the_14_notice_cites_that_notice_by_its_full_title():
    legal = load_profile("guangdong").legal
    keys = ["notice.termination", "termination.change_not_filed", "termination.records_not_produced"]
    assert legal.citation(keys) == GD + "第四十二条第（六）项和" + N14 + "第（十一）项"
    assert "国家医保局关于" not in legal.citation(["notice.guidance_extension"])


ORDER2 = "《医疗机构医疗保障定点管理暂行办法》（国家医疗保障局令第2号）"


def test_the_national_profile_cites_order_no_2_without_borrowing_guangdong_article_numbers():
    legal = load_profile("national").legal
    # the application articles of 《2号令》 were not read: title only, never 《广东办法》第九条
    text = legal.citation(["notice.refusal", "refusal.leader_serious_violation"])
    assert text == ORDER2
    assert legal.citation(["notice.supplement"]) == ORDER2
    assert legal.citation(["notice.guidance_extension"]) == N14 + "第（四）项"


def test_the_national_profile_cites_the_suspension_and_termination_articles_of_order_no_2():
    legal = load_profile("national").legal
    # 《2号令》第四十二条 中止, 第四十三条 解除 (one higher than 《广东办法》第四十一、四十二条)
    assert legal.citation(["notice.suspension", "suspension.major_risk"]) == ORDER2 + "第四十二条"
    assert legal.citation(["notice.termination", "termination.change_not_filed"]) == ORDER2 + "第四十三条第（六）项"
    assert legal.citation(["notice.termination", "termination.by_law"]) == ORDER2 + "第四十三条第（十四）项"
    # item (五) was not in the text read: the article only
    assert legal.citation(["notice.termination", "termination.obstruction"]) == ORDER2 + "第四十三条"


def test_guangdong_overrides_every_order_no_2_article_the_national_profile_cites():
    national, guangdong = load_profile("national").legal, load_profile("guangdong").legal
    for key, (doc, article) in national.citations.items():
        if doc == "rules" and article:  # else 《广东办法》 would print with a number of 《2号令》
            assert guangdong.citations[key] != (doc, article), key


def test_relief_names_negotiation_review_within_60_days_and_litigation_within_6_months():
    text = load_profile("national").legal.relief("揭阳市医疗保障局")
    assert "可与本机构协商解决，或提请揭阳市医疗保障局协调处理" in text
    assert "自收到本通知之日起60日内依法申请行政复议" in text and "6个月内依法向人民法院提起行政诉讼" in text


def test_a_citation_naming_an_unknown_document_is_refused_with_its_key():
    docs = {"documents": {"rules": "《办法》"}}
    with pytest.raises(DomainError, match="refusal.x"):
        parse_legal_basis({**docs, "citations": {"refusal": {"x": ["law", "第九条"]}}}, {})
    with pytest.raises(DomainError, match="relief"):
        parse_legal_basis(docs, {"review_days": 0})
