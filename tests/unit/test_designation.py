"""Tests for designation deadlines, refusal grounds (《广东办法》第九条) and basic conditions (第六条, 002)."""

from datetime import date

import pytest

from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.designation import (
    MATERIALS,
    NAME_MATCH_NOTE,
    ApplicantFacts,
    NearbyFact,
    PersonRole,
    PriorRole,
    TerminationFact,
    evaluation_due,
    publicity_end,
    publicity_period,
    reapply_ban_end,
    reevaluation_earliest,
    refusal_grounds,
    supplement_notice_due,
)
from yibao_desktop.domain.designation_conditions import basic_conditions
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import InstitutionKind

CAL = WorkCalendar()
TODAY = date(2026, 5, 10)


def grounds_by_code(grounds):
    return {g.code: g for g in grounds}


# --- deadlines -------------------------------------------------------------------------------------


def test_supplement_notice_from_2026_09_29_crosses_national_day_and_is_due_oct_12():
    # 9-30 (1), 10-1…10-7 holiday, 10-8 (2), 10-9 (3), Sat 10-10 working (4), Mon 10-12 (5)
    deadline = supplement_notice_due(CAL, date(2026, 9, 29))
    assert deadline.due == date(2026, 10, 12)
    assert deadline.warning is None


def test_supplement_notice_from_a_plain_tuesday_is_due_the_next_tuesday():
    assert supplement_notice_due(CAL, date(2026, 3, 10)).due == date(2026, 3, 17)


def test_publicity_from_2026_02_12_spans_spring_festival_and_ends_on_working_saturday_feb_28():
    # 2-13 (1), Sat 2-14 working (2), 2-15…2-23 holiday, 2-24…2-27 (3–6), Sat 2-28 working (7)
    assert publicity_end(CAL, date(2026, 2, 12)).due == date(2026, 2, 28)


def test_publicity_period_names_its_first_and_last_day_spring_festival():
    period = publicity_period(CAL, date(2026, 2, 12))
    assert (period.first_day, period.last_day) == (date(2026, 2, 13), date(2026, 2, 28))
    assert period.text == "自2026年2月13日起至2026年2月28日止（7个工作日）"


def test_publicity_published_on_new_years_eve_starts_on_the_working_sunday_jan_4():
    # 2026-01-01…03 holiday, Sun 01-04 调休 working (1), 01-05…01-09 (2–6), Mon 01-12 (7)
    period = publicity_period(CAL, date(2025, 12, 31))
    assert (period.first_day, period.last_day) == (date(2026, 1, 4), date(2026, 1, 12))


def test_publicity_published_on_friday_before_mid_autumn_starts_on_working_sunday_sep_20():
    # Sat 09-19 rest, Sun 09-20 调休 working (1), 09-21…09-24 (2–5), 09-25…27 holiday, 09-28 (6), 09-29 (7)
    period = publicity_period(CAL, date(2026, 9, 18), 7)
    assert (period.first_day, period.last_day) == (date(2026, 9, 20), date(2026, 9, 29))


def test_publicity_in_a_year_without_schedule_warns():
    assert publicity_end(CAL, date(2031, 3, 3)).warning is not None


def test_evaluation_due_three_months_after_acceptance():
    assert evaluation_due(date(2026, 3, 10)) == date(2026, 6, 10)


def test_evaluation_due_is_extended_by_supplement_waiting_days():
    assert evaluation_due(date(2026, 3, 10), supplement_days=12) == date(2026, 6, 22)


def test_evaluation_due_from_nov_30_clamps_to_feb_28():
    assert evaluation_due(date(2026, 11, 30)) == date(2027, 2, 28)


def test_evaluation_due_on_national_day_moves_to_oct_8_when_a_calendar_is_given():
    assert evaluation_due(date(2026, 7, 3), calendar=CAL) == date(2026, 10, 8)


def test_negative_supplement_days_are_refused():
    with pytest.raises(DomainError):
        evaluation_due(date(2026, 3, 10), supplement_days=-1)


def test_reevaluation_possible_the_day_after_three_months_of_rectification():
    assert reevaluation_earliest(date(2026, 3, 15)) == date(2026, 6, 16)
    assert reevaluation_earliest(date(2026, 11, 30)) == date(2027, 3, 1)


def test_second_failure_on_2026_05_20_bans_applications_through_2027_05_20():
    assert reapply_ban_end(date(2026, 5, 20)) == date(2027, 5, 20)


def test_materials_are_the_six_items_of_article_8():
    assert MATERIALS == (
        "application_form",
        "licence",
        "management_rules",
        "information_system",
        "fund_forecast",
        "provincial_other",
    )


# --- refusal grounds -------------------------------------------------------------------------------


def test_clean_applicant_hits_no_refusal_ground_and_lists_all_nine():
    grounds = refusal_grounds(ApplicantFacts(main_business="内科、外科"), [], TODAY)
    assert len(grounds) == 9
    assert not any(g.hit for g in grounds)
    assert all(g.label.startswith("第九条（") for g in grounds)


def test_unrecorded_grounds_are_marked_for_manual_checking():
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="内科"), [], TODAY))
    assert g["other_law"].evidence == "需人工核实" and g["other_law"].manual
    assert g["price_policy"].manual and not g["price_policy"].hit


def test_medical_cosmetology_main_business_is_a_refusal_ground():
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="医疗美容、皮肤科"), [], TODAY))
    assert g["non_basic_business"].hit
    assert "医疗美容" in g["non_basic_business"].evidence


def test_dental_implant_main_business_is_a_refusal_ground():
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="种植牙"), [], TODAY))
    assert g["non_basic_business"].hit


def test_fraudulent_application_found_2023_05_10_still_hits_on_2026_05_10():
    app = ApplicantFacts(main_business="内科", fraud_applications=[date(2023, 5, 10)])
    assert grounds_by_code(refusal_grounds(app, [], date(2026, 5, 10)))["fraud_application"].hit


def test_fraudulent_application_found_2023_05_10_no_longer_hits_on_2026_05_11():
    app = ApplicantFacts(main_business="内科", fraud_applications=[date(2023, 5, 10)])
    assert not grounds_by_code(refusal_grounds(app, [], date(2026, 5, 11)))["fraud_application"].hit


def test_termination_for_violations_two_years_ago_hits():
    app = ApplicantFacts(main_business="内科", terminations=[TerminationFact(date(2024, 6, 1), "violation")])
    g = grounds_by_code(refusal_grounds(app, [], TODAY))
    assert g["terminated_violation"].hit
    assert "2027-06-01" in g["terminated_violation"].evidence


def test_termination_for_violations_four_years_ago_with_unfulfilled_penalty_still_hits():
    fact = TerminationFact(date(2022, 1, 5), "violation", penalty_fulfilled=False)
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="内科", terminations=[fact]), [], TODAY))
    assert g["terminated_violation"].hit
    assert "未完全履行行政处罚责任" in g["terminated_violation"].evidence


def test_termination_for_violations_four_years_ago_with_penalty_fulfilled_does_not_hit():
    fact = TerminationFact(date(2022, 1, 5), "violation")
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="内科", terminations=[fact]), [], TODAY))
    assert not g["terminated_violation"].hit


def test_serious_breach_eleven_months_ago_hits_but_not_the_violation_ground():
    fact = TerminationFact(date(2025, 6, 15), "serious_breach")
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="内科", terminations=[fact]), [], TODAY))
    assert g["terminated_breach"].hit
    assert not g["terminated_violation"].hit


def test_serious_breach_thirteen_months_ago_with_liability_fulfilled_does_not_hit():
    fact = TerminationFact(date(2025, 4, 1), "serious_breach")
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="内科", terminations=[fact]), [], TODAY))
    assert not g["terminated_breach"].hit


def _controller_app(id_number=""):
    people = [PersonRole("实际控制人", "陈大文", id_number), PersonRole("法定代表人", "李明", "")]
    return ApplicantFacts(main_business="内科", people=people)


def _prior(name="陈大文", id_number="445202198001011234", on=date(2022, 3, 1), serious=True, role="法定代表人"):
    return PriorRole(name, id_number, role, "揭阳某某医院", on, serious)


def test_controller_matched_by_id_number_at_an_institution_terminated_four_years_ago_hits():
    g = grounds_by_code(refusal_grounds(_controller_app("445202198001011234"), [_prior(name="陈达文")], TODAY))
    ground = g["leader_serious_violation"]
    assert ground.hit
    assert "按身份证号匹配" in ground.evidence
    assert "揭阳某某医院" in ground.evidence


def test_controller_with_different_id_number_and_same_name_does_not_match():
    g = grounds_by_code(refusal_grounds(_controller_app("445202198202021111"), [_prior()], TODAY))
    assert not g["leader_serious_violation"].hit


def test_controller_without_id_number_is_matched_by_name_and_asks_to_verify():
    g = grounds_by_code(refusal_grounds(_controller_app(""), [_prior()], TODAY))
    assert g["leader_serious_violation"].hit
    assert NAME_MATCH_NOTE in g["leader_serious_violation"].evidence


def test_termination_more_than_five_years_ago_no_longer_counts():
    g = grounds_by_code(refusal_grounds(_controller_app(""), [_prior(on=date(2021, 5, 9))], TODAY))
    assert not g["leader_serious_violation"].hit


def test_termination_exactly_five_years_before_today_still_counts():
    g = grounds_by_code(refusal_grounds(_controller_app(""), [_prior(on=date(2021, 5, 10))], TODAY))
    assert g["leader_serious_violation"].hit


def test_non_serious_prior_termination_does_not_count():
    g = grounds_by_code(refusal_grounds(_controller_app(""), [_prior(serious=False)], TODAY))
    assert not g["leader_serious_violation"].hit


def test_dishonesty_flag_hits_ground_eight():
    g = grounds_by_code(refusal_grounds(ApplicantFacts(main_business="内科", dishonest=True), [], TODAY))
    assert g["leader_dishonest"].hit


# --- basic conditions ------------------------------------------------------------------------------


def _good_app(**changes):
    base = dict(
        main_business="内科",
        operating_since=date(2026, 1, 10),
        physicians_first_registered=2,
        beds=120,
        has_insurance_department=True,
        has_management_system=True,
        has_information_system=True,
        code="H12010100001",
        kind=InstitutionKind.GENERAL_HOSPITAL,
        payment_level="二级",
        lat=39.1200,
        lon=117.2000,
        departments_lacking_physician=(),
        records_kept_years=3,
        video_kept_months=6,
        uses_city_purchase_platform=True,
    )
    base.update(changes)
    return ApplicantFacts(**base)


def test_applicant_meeting_every_national_condition_has_no_hit():
    grounds = basic_conditions(_good_app(), TODAY)
    assert len(grounds) == 6
    assert not any(g.hit for g in grounds)


def test_operating_since_jan_10_is_three_months_only_from_apr_11():
    assert grounds_by_code(basic_conditions(_good_app(), date(2026, 4, 10)))["operating_months"].hit
    assert not grounds_by_code(basic_conditions(_good_app(), date(2026, 4, 11)))["operating_months"].hit


def test_no_first_registered_physician_is_a_failed_condition():
    g = grounds_by_code(basic_conditions(_good_app(physicians_first_registered=0), TODAY))
    assert g["first_registered_physician"].hit


def test_120_beds_without_insurance_department_fails_but_80_beds_need_none():
    assert grounds_by_code(basic_conditions(_good_app(has_insurance_department=False), TODAY))[
        "insurance_department"
    ].hit
    assert not grounds_by_code(basic_conditions(_good_app(beds=80, has_insurance_department=False), TODAY))[
        "insurance_department"
    ].hit


def test_tianjin_adds_six_conditions():
    grounds = basic_conditions(_good_app(), TODAY, tianjin=True)
    assert len(grounds) == 12
    assert not any(g.hit for g in grounds)


def test_tianjin_departments_without_physician_are_listed():
    g = grounds_by_code(basic_conditions(_good_app(departments_lacking_physician=["儿科"]), TODAY, tianjin=True))
    assert g["departments_physician"].hit
    assert "儿科" in g["departments_physician"].evidence


def test_tianjin_video_kept_three_months_fails():
    g = grounds_by_code(basic_conditions(_good_app(video_kept_months=3), TODAY, tianjin=True))
    assert g["video_kept"].hit


def test_same_level_same_class_hospital_1112_m_away_fails_the_1500_m_rule():
    other = NearbyFact("天津某医院", "H12010100009", 1, "二级", 39.1300, 117.2000)
    g = grounds_by_code(basic_conditions(_good_app(), TODAY, tianjin=True, nearby=[other]))
    assert g["nearby_same_level"].hit
    assert "天津某医院（H12010100009）相距1112米" in g["nearby_same_level"].evidence


def test_same_level_same_class_hospital_1668_m_away_passes_the_1500_m_rule():
    other = NearbyFact("天津某医院", "H12010100009", 1, "二级", 39.1350, 117.2000)
    g = grounds_by_code(basic_conditions(_good_app(), TODAY, tianjin=True, nearby=[other]))
    assert not g["nearby_same_level"].hit


def test_nearby_institution_of_another_level_or_class_does_not_count():
    others = [
        NearbyFact("三级医院", "H12010100008", 1, "三级", 39.1201, 117.2001),
        NearbyFact("门诊部", "H12010100007", 3, "二级", 39.1201, 117.2001),
    ]
    g = grounds_by_code(basic_conditions(_good_app(), TODAY, tianjin=True, nearby=others))
    assert not g["nearby_same_level"].hit


def test_applicant_itself_in_the_nearby_list_is_ignored():
    me = NearbyFact("本院", "H12010100001", 1, "二级", 39.1200, 117.2000)
    g = grounds_by_code(basic_conditions(_good_app(), TODAY, tianjin=True, nearby=[me]))
    assert not g["nearby_same_level"].hit


def test_missing_coordinates_make_the_1500_m_rule_manual():
    g = grounds_by_code(basic_conditions(_good_app(lat=None), TODAY, tianjin=True))
    assert g["nearby_same_level"].manual and not g["nearby_same_level"].hit


def test_distance_rule_is_a_parameter():
    other = NearbyFact("天津某医院", "H12010100009", 1, "二级", 39.1300, 117.2000)
    g = grounds_by_code(basic_conditions(_good_app(), TODAY, tianjin=True, nearby=[other], distance_rule_m=1000))
    assert not g["nearby_same_level"].hit
