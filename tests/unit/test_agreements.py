"""Tests for agreement rules: guidance period, changes, renewal, requests, suspension and termination."""

from datetime import date

import pytest

from yibao_desktop.domain.agreements import (
    AGREEMENT_ACTIONS,
    GROUND_CITATIONS,
    SUSPENSION_GROUNDS,
    TERMINATION_GROUNDS,
    GuidanceAction,
    GuidanceOutcome,
    agreement_term_end,
    check_institution_request,
    check_request_lead,
    ground_text,
    guidance_end,
    guidance_violation,
    info_change_due,
    renewal_apply_by,
    request_lead_ok,
    suspension_auto_termination,
    suspension_last_day,
    suspensions_force_termination,
)
from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementType, Ownership

CAL = WorkCalendar()

# --- guidance period -------------------------------------------------------------------------------


def test_guidance_period_signed_2026_08_31_ends_2027_02_28():
    assert guidance_end(date(2026, 8, 31)) == date(2027, 2, 28)


def test_guidance_period_extended_once_runs_six_more_months_to_2027_08_31():
    assert guidance_end(date(2026, 8, 31), extensions=1) == date(2027, 8, 31)


def test_guidance_period_signed_2026_03_15_ends_2026_09_14():
    assert guidance_end(date(2026, 3, 15)) == date(2026, 9, 14)


def test_negative_extensions_are_refused():
    with pytest.raises(DomainError):
        guidance_end(date(2026, 3, 15), extensions=-1)


def test_minor_violation_in_first_guidance_period_extends_it():
    outcome = guidance_violation("minor", 0, False)
    assert outcome.action is GuidanceAction.EXTEND
    assert outcome.action == GuidanceOutcome.EXTEND
    assert "延长6个月" in outcome.reason


def test_fraud_in_guidance_period_terminates_the_agreement():
    outcome = guidance_violation("fraud", 0, False)
    assert outcome.action == GuidanceOutcome.TERMINATE
    assert "欺诈骗保" in outcome.reason


def test_same_violation_unrectified_during_extension_means_no_renewal():
    outcome = guidance_violation("minor", 1, True)
    assert outcome.action == GuidanceOutcome.NO_RENEWAL
    assert "整改不到位" in outcome.reason


def test_violation_of_another_type_during_extension_means_no_renewal():
    outcome = guidance_violation("minor", 1, False)
    assert outcome.action == GuidanceOutcome.NO_RENEWAL
    assert "其他类型" in outcome.reason


def test_unknown_violation_kind_is_refused():
    with pytest.raises(DomainError):
        guidance_violation("medium", 0, False)  # type: ignore[arg-type]


# --- information change, renewal, requests --------------------------------------------------------


def test_major_change_approved_2026_09_15_must_be_filed_by_2026_11_02():
    # 30 working days across Mid-Autumn, National Day and the 9-20 / 10-10 working weekends
    assert info_change_due(CAL, date(2026, 9, 15)).due == date(2026, 11, 2)


def test_renewal_of_agreement_expiring_2026_12_31_must_be_applied_for_by_2026_09_30():
    assert renewal_apply_by(date(2026, 12, 31)) == date(2026, 9, 30)


def test_renewal_of_agreement_expiring_2026_11_30_must_be_applied_for_by_2026_08_31():
    assert renewal_apply_by(date(2026, 11, 30)) == date(2026, 8, 31)


def test_request_on_2026_07_01_for_2026_10_01_is_three_months_ahead():
    assert request_lead_ok(date(2026, 7, 1), date(2026, 10, 1))


def test_request_on_2026_07_02_for_2026_10_01_is_too_late_with_chinese_message():
    assert not request_lead_ok(date(2026, 7, 2), date(2026, 10, 1))
    with pytest.raises(DomainError) as caught:
        check_request_lead(date(2026, 7, 2), date(2026, 10, 1))
    assert "提前3个月" in caught.value.message
    assert "2026-07-01" in caught.value.message


def test_public_institution_request_to_suspend_is_refused_in_chinese():
    with pytest.raises(DomainError) as caught:
        check_institution_request(Ownership.PUBLIC, "suspend")
    assert caught.value.message == "公立医疗机构不得主动提出中止医保协议（第四十三条）"


def test_public_institution_request_to_terminate_is_refused_but_not_renewing_is_allowed():
    with pytest.raises(DomainError, match="不得主动提出解除医保协议"):
        check_institution_request(Ownership.PUBLIC, "terminate")
    check_institution_request(Ownership.PUBLIC, "not_renew")
    check_institution_request(Ownership.PRIVATE, "terminate")


def test_unknown_ownership_code_raises():
    with pytest.raises(DomainError):
        check_institution_request("state", "suspend")


# --- suspension and termination --------------------------------------------------------------------


def test_requested_suspension_from_2026_03_01_may_last_through_2026_08_27():
    assert suspension_last_day(date(2026, 3, 1)) == date(2026, 8, 27)


def test_requested_suspension_from_2026_03_01_not_resumed_terminates_on_2026_08_28():
    assert suspension_auto_termination(date(2026, 3, 1)) == date(2026, 8, 28)


def test_two_suspensions_in_one_term_force_termination():
    assert suspensions_force_termination([date(2026, 2, 1), date(2026, 9, 1)])


def test_one_suspension_in_a_term_does_not_force_termination():
    assert not suspensions_force_termination([date(2026, 2, 1)])


def test_suspension_outside_the_term_is_not_counted():
    dates = [date(2025, 11, 1), date(2026, 9, 1)]
    assert not suspensions_force_termination(dates, date(2026, 1, 1), date(2026, 12, 31))


def test_annual_agreement_from_2026_01_01_ends_2026_12_31():
    assert agreement_term_end(date(2026, 1, 1), AgreementType.ANNUAL) == date(2026, 12, 31)


def test_fixed_agreement_defaults_to_two_years_and_refuses_one():
    assert agreement_term_end(date(2026, 3, 1), "fixed") == date(2028, 2, 29)
    assert agreement_term_end(date(2026, 3, 1), AgreementType.FIXED, 3) == date(2029, 2, 28)
    with pytest.raises(DomainError, match="不少于2年"):
        agreement_term_end(date(2026, 3, 1), AgreementType.FIXED, 1)


def test_annual_agreement_of_two_years_is_refused():
    with pytest.raises(DomainError):
        agreement_term_end(date(2026, 3, 1), AgreementType.ANNUAL, 2)


def test_agreement_actions_are_the_six_of_article_37():
    assert len(AGREEMENT_ACTIONS) == 6
    assert AGREEMENT_ACTIONS[0] == ("interview", "约谈医疗机构法定代表人、主要负责人或实际控制人")
    assert AGREEMENT_ACTIONS[5][1] == "中止或解除医保协议"


def test_termination_grounds_hold_the_fourteen_of_guangdong_article_42_and_the_items_of_notice_14():
    codes = [code for code, _ in TERMINATION_GROUNDS]
    assert len(codes) == len(set(codes)) == 18
    assert TERMINATION_GROUNDS[0][1] == "协议有效期内累计2次及以上被中止协议或中止协议期间未按要求整改或整改不到位的"
    assert TERMINATION_GROUNDS[13][1] == "法律、法规、规章规定的应当解除协议的其他情形"


def test_every_ground_has_a_citation():
    for code, _ in SUSPENSION_GROUNDS:
        assert f"suspension:{code}" in GROUND_CITATIONS
    for code, _ in TERMINATION_GROUNDS:
        assert f"termination:{code}" in GROUND_CITATIONS


def test_ground_text_prefixes_the_article_and_item():
    assert ground_text("termination", "change_not_filed") == "第四十二条（六）被发现重大信息发生变更但未办理变更的"
    assert ground_text("termination", "requested").startswith("第四十二条（十二）")
    assert ground_text("suspension", "major_risk").startswith("第四十一条根据日常检查")
    with pytest.raises(DomainError):
        ground_text("suspension", "nope")


# --- Tianjin thresholds ----------------------------------------------------------------------------
