"""Open evaluation items and their verification (《广东办法》第六条、第九条): plain questions, 是/否 answers, the result."""

from datetime import date

import pytest

from yibao_desktop.domain.designation import ApplicantFacts, refusal_grounds
from yibao_desktop.domain.designation_checks import (
    Verification,
    answer_of,
    check_verification,
    evaluation_outcome,
    settled,
)
from yibao_desktop.domain.designation_conditions import basic_conditions
from yibao_desktop.domain.errors import DomainError

TODAY = date(2026, 11, 23)
GOOD = ApplicantFacts(
    main_business="内科",
    operating_since=date(2025, 1, 6),
    physicians_first_registered=2,
    beds=20,
    has_management_system=True,
    has_information_system=True,
    price_policy_violated=False,
    penalty_unfulfilled=False,
)


def items(facts=GOOD):
    return [("refusal", g) for g in refusal_grounds(facts, (), TODAY)] + [
        ("condition", g) for g in basic_conditions(facts, TODAY)
    ]


def by_code(pairs):
    return {g.code: g for _group, g in pairs}


def verified(code, answer):
    return Verification(code, answer, "经现场核查", "现场核查记录", "zhangli", TODAY)


def test_every_item_is_a_plain_question_without_a_double_negative():
    for _group, g in items():
        assert g.question.endswith("？"), g.code
        assert "是否未" not in g.question and "未执行" not in g.question and "否" not in g.question.replace("是否", "")


def test_the_price_policy_item_reads_executed_yes_not_unexecuted_no():
    g = by_code(items())["price_policy"]
    assert g.question == "基本医疗服务是否执行医疗保障行政部门制定的医药价格政策？"
    assert (answer_of(g), g.hit) == ("是", False)
    violated = by_code(items(ApplicantFacts(**{**vars(GOOD), "price_policy_violated": True})))["price_policy"]
    assert (answer_of(violated), violated.hit) == ("否", True)


def test_a_good_applicant_stays_open_until_the_two_items_no_data_can_answer_are_verified():
    pairs = items()
    assert [g.code for _group, g in pairs if g.manual] == ["other_law", "other_conditions"]
    assert evaluation_outcome(pairs) == "open"
    checks = {"other_law": verified("other_law", "no"), "other_conditions": verified("other_conditions", "yes")}
    done = [(group, settled(g, checks.get(g.code))) for group, g in pairs]
    assert evaluation_outcome(done) == "pass"


def test_a_verified_yes_to_a_refusal_question_refuses_and_a_verified_no_to_a_condition_fails():
    pairs = items()
    law = by_code(pairs)["other_law"]
    assert settled(law, verified("other_law", "yes")).hit
    cond = by_code(pairs)["other_conditions"]
    assert settled(cond, verified("other_conditions", "no")).hit
    assert not settled(cond, verified("other_conditions", "na")).hit
    assert answer_of(settled(cond, verified("other_conditions", "na"))) == "不适用"
    assert evaluation_outcome([("refusal", settled(law, verified("other_law", "yes")))]) == "refused"
    assert evaluation_outcome([("condition", settled(cond, verified("other_conditions", "no")))]) == "fail"


def test_small_clinics_need_no_insurance_department_the_item_is_not_applicable():
    g = by_code(items())["insurance_department"]
    assert (g.not_applicable, answer_of(g), g.hit) == (True, "不适用", False)


def test_a_verification_needs_an_answer_a_note_and_the_evidence_named():
    law = by_code(items())["other_law"]
    with pytest.raises(DomainError, match="是、否或不适用"):
        check_verification(law, "maybe", "x", "y")
    with pytest.raises(DomainError, match="核实情况说明") as err:
        check_verification(law, "no", "  ", "现场核查记录")
    assert err.value.field == "note"
    with pytest.raises(DomainError, match="证据材料") as err:
        check_verification(law, "no", "无其他情形", "")
    assert err.value.field == "evidence"
    assert check_verification(law, "no", " 无其他情形 ", " 现场核查记录 ") == ("no", "无其他情形", "现场核查记录")


def test_an_item_the_data_answered_cannot_be_overridden_by_a_verification():
    with pytest.raises(DomainError, match="无需人工核实"):
        check_verification(by_code(items())["first_registered_physician"], "yes", "有", "执业证")


def test_the_nearby_rule_asks_whether_there_is_a_neighbour_yes_means_it_stands_against():
    from yibao_desktop.domain.institutions import InstitutionKind

    facts = ApplicantFacts(
        **{
            **vars(GOOD),
            "kind": InstitutionKind("general_hospital"),
            "payment_level": "二级",
            "lat": 23.55,
            "lon": 116.37,
        }
    )
    (g,) = [c for c in basic_conditions(facts, TODAY, tianjin=True) if c.code == "nearby_same_level"]
    assert g.question == "半径1500米内是否有同级别、同类型已纳入医保管理的医疗机构？"
    assert (answer_of(g), g.hit) == ("否", False)
