"""Date plausibility: not after today, not before birth, not before the record depended on, not before the floors."""

from __future__ import annotations

from datetime import date

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.plausibility import (
    check_cancellation_date,
    check_commitment_date,
    check_date,
    check_decision_date,
    check_registration_date,
    check_service_date,
    commitment_date_problem,
    date_problem,
)
from yibao_desktop.domain.policy import parse_profile, resolve_profile
from yibao_desktop.paths import resources_dir

TODAY = date(2026, 12, 2)
BIRTH = date(1980, 5, 17)


def _text(name: str) -> str:
    return (resources_dir() / "profiles" / f"{name}.toml").read_text("utf-8")


@pytest.fixture(scope="module")
def national():
    return resolve_profile("national", _text)


def test_the_national_profile_floors_are_the_insurance_system_and_the_scoring_rules(national):
    assert national.earliest_record == date(1998, 12, 14)
    assert national.scoring_start == date(2025, 1, 1)


def test_a_province_may_move_the_scoring_start_earlier():
    profile = parse_profile(_text("national"), "[dates]\nscoring_start = 2024-10-01\n")
    assert profile.scoring_start == date(2024, 10, 1) and profile.earliest_record == date(1998, 12, 14)


def test_a_floor_that_is_not_a_date_is_refused_in_chinese():
    with pytest.raises(DomainError, match="dates.scoring_start 应为日期"):
        parse_profile(_text("national"), '[dates]\nscoring_start = "2025"\n')


def test_a_commitment_date_in_2030_is_refused_naming_the_field_and_today(national):
    with pytest.raises(DomainError) as info:
        check_commitment_date(date(2030, 1, 5), today=TODAY, profile=national, birth=BIRTH)
    assert info.value.field == "commitment_on"
    assert "承诺日期（2030年1月5日）晚于今天（2026年12月2日）" in info.value.message


def test_a_commitment_date_in_1901_before_the_birth_is_refused_with_the_birth_date(national):
    with pytest.raises(DomainError) as info:
        check_commitment_date(date(1901, 3, 1), today=TODAY, profile=national, birth=BIRTH)
    assert "承诺日期（1901年3月1日）早于本人出生日期（1980年5月17日）" in info.value.message


def test_a_commitment_date_before_the_insurance_system_is_refused_even_without_a_birth_date(national):
    with pytest.raises(DomainError, match="早于医保业务记录的最早日期（1998年12月14日）"):
        check_commitment_date(date(1998, 12, 13), today=TODAY, profile=national)
    check_commitment_date(date(1998, 12, 14), today=TODAY, profile=national)


@pytest.mark.parametrize(
    ("on", "birth"),
    [(date(2030, 1, 5), BIRTH), (date(1901, 3, 1), BIRTH), (date(1998, 12, 13), None), (date(2026, 12, 3), None)],
)
def test_the_bulk_form_of_the_commitment_check_gives_the_refusal_message_without_raising(national, on, birth):
    with pytest.raises(DomainError) as info:
        check_commitment_date(on, today=TODAY, profile=national, birth=birth)
    assert commitment_date_problem(on, today=TODAY, profile=national, birth=birth) + "。" == info.value.message


def test_the_bulk_form_of_the_commitment_check_passes_what_the_check_passes(national):
    for on, birth in ((TODAY, BIRTH), (date(1998, 12, 14), None), (date(2000, 1, 1), date(2000, 1, 1))):
        check_commitment_date(on, today=TODAY, profile=national, birth=birth)
        assert commitment_date_problem(on, today=TODAY, profile=national, birth=birth) is None


def test_today_and_the_birth_day_itself_are_plausible(national):
    check_commitment_date(TODAY, today=TODAY, profile=national, birth=BIRTH)
    check_registration_date(date(2026, 12, 2), today=TODAY, profile=national, birth=date(2026, 12, 2))
    with pytest.raises(DomainError, match="晚于今天"):
        check_registration_date(date(2026, 12, 3), today=TODAY, profile=national)


def test_a_registration_on_new_year_after_today_is_refused_at_the_year_boundary(national):
    with pytest.raises(DomainError) as info:
        check_registration_date(date(2027, 1, 1), today=date(2026, 12, 31), profile=national)
    assert info.value.field == "registered_on" and "登记备案日期（2027年1月1日）" in info.value.message


def test_a_score_decision_dated_1995_is_refused_before_the_scoring_rules(national):
    with pytest.raises(DomainError) as info:
        check_decision_date(date(1995, 6, 1), today=TODAY, profile=national)
    assert info.value.field == "decision_date"
    assert "决定日期（1995年6月1日）早于记分制度施行之日（2025年1月1日）" in info.value.message


def test_a_decision_on_new_years_eve_2024_is_refused_and_on_new_years_day_2025_accepted(national):
    with pytest.raises(DomainError, match="记分制度施行之日"):
        check_decision_date(date(2024, 12, 31), today=TODAY, profile=national)
    check_decision_date(date(2025, 1, 1), today=TODAY, profile=national)


def test_a_future_decision_is_refused(national):
    with pytest.raises(DomainError, match="决定日期（2028年3月1日）晚于今天"):
        check_decision_date(date(2028, 3, 1), today=TODAY, profile=national)


def test_a_settlement_service_date_in_2031_is_refused(national):
    with pytest.raises(DomainError) as info:
        check_service_date(date(2031, 1, 1), today=TODAY, profile=national)
    assert info.value.field == "service_date" and "服务日期（2031年1月1日）晚于今天" in info.value.message
    check_service_date(date(2019, 1, 1), today=TODAY, profile=national)


def test_a_cancellation_before_the_registration_names_both_dates(national):
    with pytest.raises(DomainError) as info:
        check_cancellation_date(date(2024, 12, 31), date(2025, 1, 2), today=TODAY, profile=national)
    assert info.value.field == "cancelled_on"
    assert "注销日期（2024年12月31日）不能早于登记备案日期（2025年1月2日）" in info.value.message


def test_a_delivery_before_the_issue_and_a_delivery_after_today_are_refused(national):
    issued = date(2026, 9, 30)  # the last working day before the National Day holiday
    with pytest.raises(DomainError, match="送达日期（2026年9月29日）不能早于签发日期（2026年9月30日）"):
        check_date(
            date(2026, 9, 29),
            "送达日期",
            "delivered_on",
            today=TODAY,
            profile=national,
            after=issued,
            after_label="签发日期",
        )
    with pytest.raises(DomainError, match="晚于今天"):
        check_date(
            date(2026, 12, 3),
            "送达日期",
            "delivered_on",
            today=TODAY,
            profile=national,
            after=issued,
            after_label="签发日期",
        )
    check_date(
        date(2026, 10, 8),
        "送达日期",
        "delivered_on",
        today=TODAY,
        profile=national,
        after=issued,
        after_label="签发日期",
    )


def test_the_future_is_reported_before_the_other_reasons():
    message = date_problem(
        date(2030, 1, 1), "某日期", today=TODAY, floor=date(2031, 1, 1), after=date(2032, 1, 1), after_label="前一日期"
    )
    assert message is not None and "晚于今天" in message


def test_a_plausible_date_has_no_problem():
    assert (
        date_problem(
            date(2026, 2, 28),
            "某日期",
            today=TODAY,
            floor=date(1998, 12, 14),
            birth=BIRTH,
            after=date(2026, 2, 28),
            after_label="前一日期",
        )
        is None
    )


def test_check_date_ends_the_message_with_a_full_stop(national):
    with pytest.raises(DomainError) as info:
        check_date(date(2027, 2, 1), "收到日期", "received_on", today=TODAY, profile=national)
    assert info.value.message.endswith("请核对。") and info.value.field == "received_on"
