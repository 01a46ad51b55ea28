"""Who may be registered: suspension, termination and the re-registration ban (§4.3)."""

from __future__ import annotations

from datetime import date

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import (
    NoticeState,
    Status,
    check_may_register,
    check_not_before,
    status_label,
)


def test_a_suspended_person_cannot_be_registered_until_the_day_after_the_period():
    with pytest.raises(DomainError, match="2027年2月28日"):
        check_may_register("suspended", date(2027, 2, 28), None, date(2027, 2, 28))
    check_may_register("suspended", date(2027, 2, 28), None, date(2027, 3, 1))


def test_a_terminated_person_is_banned_through_the_last_day_of_the_ban():
    with pytest.raises(DomainError, match="2029年5月10日"):
        check_may_register("terminated", date(2029, 5, 10), date(2029, 5, 10), date(2029, 5, 10))
    check_may_register("terminated", date(2029, 5, 10), date(2029, 5, 10), date(2029, 5, 11))


def test_a_termination_without_a_recorded_ban_needs_restoration_first():
    with pytest.raises(DomainError, match="资格恢复"):
        check_may_register("terminated", None, None, date(2026, 11, 23))


def test_an_active_person_may_be_registered():
    check_may_register("active", None, None, date(2026, 1, 1))


def test_a_date_before_the_decision_date_is_refused_with_both_dates():
    with pytest.raises(DomainError, match="签发日期（2026年2月12日）不能早于决定日期（2026年2月13日）"):
        check_not_before(date(2026, 2, 13), date(2026, 2, 12), "决定日期", "签发日期", "issued_on")
    check_not_before(date(2026, 2, 13), date(2026, 2, 13), "决定日期", "签发日期", "issued_on")


def test_labels_are_chinese_and_unknown_codes_pass_through():
    assert [s.label for s in Status] == ["正常", "暂停", "终止", "已注销"]
    assert NoticeState("issued").label == "已签发"
    assert status_label("retired") == "retired"
