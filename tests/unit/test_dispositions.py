"""Dispositions: what a yearly total leads to, status periods and the notice / appeal / restoration deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.dispositions import (
    DispositionKind,
    appeal_result_due,
    apply_repair,
    institution_flagged,
    notice_deadlines,
    propose_disposition,
    repair_points_for,
    restoration_decision_due,
    restoration_window,
    status_period,
)
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.policy import resolve_profile
from yibao_desktop.domain.scoring import ScoreFact, decision_points, yearly_total
from yibao_desktop.paths import resources_dir

K = DispositionKind


def load(name):
    return resolve_profile(name, lambda n: (resources_dir() / "profiles" / f"{n}.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def national():
    return load("national")


@pytest.fixture(scope="module")
def tianjin():
    return load("tianjin")


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


def test_multi_site_doctor_reaching_nine_in_2026_is_proposed_for_suspension(national):
    facts = [
        ScoreFact(1, "D-A", date(2026, 4, 8), "A", "B2-03", 5),
        ScoreFact(2, "D-B", date(2026, 6, 15), "B", "B2-02", 4),
    ]
    total = yearly_total(facts, 2026)
    d = propose_disposition(5, total, decision_points(facts, "D-B"), False, False, national)
    assert d.kind == K.SUSPENSION
    assert d.months == national.suspension_months[9] == 2
    assert d.months_choices == (1, 6)
    assert "首次达到9分未达12分" in d.reason and "第二十九条" in d.reason


def test_points_of_december_2025_do_not_suspend_in_january_2026(national):
    facts = [
        ScoreFact(1, "D1", date(2025, 12, 20), "", "B2-01", 8),
        ScoreFact(2, "D2", date(2026, 1, 10), "", "B2-02", 5),
    ]
    d = propose_disposition(0, yearly_total(facts, 2026), 5, False, False, national)
    assert d.kind == K.NOTICE
    assert K.REMINDER in d.alternatives
    assert not d.watch


def test_one_decision_of_twelve_terminates_with_a_three_year_ban(national):
    d = propose_disposition(0, 12, 12, False, False, national)
    assert d.kind == K.TERMINATION and d.ban_years == 3
    assert "一次性记满12分" in d.reason
    assert status_period(d.kind, date(2026, 5, 11), None, d.ban_years) == (
        date(2026, 5, 11),
        date(2029, 5, 10),
    )


def test_accumulated_twelve_terminates_with_a_one_year_ban(national):
    d = propose_disposition(9, 12, 3, True, False, national)
    assert d.kind == K.TERMINATION and d.ban_years == 1
    assert "累计满12分" in d.reason


def test_already_suspended_this_year_and_still_below_twelve_is_only_notified(national):
    d = propose_disposition(9, 11, 2, True, False, national)
    assert d.kind == K.NOTICE
    assert "已因累计达到9分被暂停" in d.reason


def test_already_terminated_person_is_only_notified(national):
    d = propose_disposition(12, 12, 4, True, True, national)
    assert d.kind == K.NOTICE and "已终止" in d.reason


def test_tianjin_watch_line_of_six_asks_for_interview_and_key_supervision(tianjin, national):
    d = propose_disposition(3, 6, 3, False, False, tianjin)
    assert d.kind == K.NOTICE and d.watch
    assert "约谈" in d.reason and "重点监管" in d.reason
    assert not propose_disposition(3, 5, 2, False, False, tianjin).watch
    assert not propose_disposition(3, 6, 3, False, False, national).watch


def test_totals_outside_zero_to_twelve_are_refused(national):
    with pytest.raises(DomainError, match="0 至 12"):
        propose_disposition(0, 13, 13, False, False, national)


def test_three_month_suspension_from_nov_30_ends_feb_28():
    assert status_period(K.SUSPENSION, date(2026, 11, 30), 3, None) == (date(2026, 11, 30), date(2027, 2, 28))


def test_suspension_months_outside_one_to_six_are_refused():
    with pytest.raises(DomainError, match="1 至 6 个月"):
        status_period(K.SUSPENSION, date(2026, 3, 1), 7, None)
    with pytest.raises(DomainError):
        status_period(K.NOTICE, date(2026, 3, 1), None, None)


def test_notice_for_a_decision_of_feb_13_2026_is_due_feb_27_across_spring_festival(cal, national):
    # 2-14 (Sat, 调休 working day) = 1; 2-15..2-23 holidays; 2-24 = 2, 2-25 = 3, 2-26 = 4, 2-27 = 5.
    dl = notice_deadlines(cal, national, date(2026, 2, 13), None, None)
    assert dl.issue_due.due == date(2026, 2, 27)
    assert dl.delivery_due is None and dl.appeal_due is None


def test_delivery_is_due_three_working_days_after_issue(cal, national):
    # issued Thu 2026-04-30; 5-1..5-5 holidays; 5-6 = 1, 5-7 = 2, 5-8 = 3.
    dl = notice_deadlines(cal, national, date(2026, 4, 27), date(2026, 4, 30), None)
    assert dl.delivery_due.due == date(2026, 5, 8)


def test_appeal_for_receipt_on_sep_18_2026_is_due_oct_9(cal, national):
    # 9-20 (Sun, working) = 1, 9-21..24 = 2..5, 9-25..27 holidays, 9-28..30 = 6..8, 10-1..7 holidays, 10-8 = 9, 10-9 = 10.
    dl = notice_deadlines(cal, national, date(2026, 9, 8), date(2026, 9, 15), date(2026, 9, 18))
    assert dl.appeal_due.due == date(2026, 10, 9)


def test_appeal_for_receipt_on_sep_24_2026_is_due_oct_15(cal, national):
    # 9-28..30 = 1..3, 10-8 = 4, 10-9 = 5, 10-10 (Sat, working) = 6, 10-12..15 = 7..10.
    dl = notice_deadlines(cal, national, date(2026, 9, 14), date(2026, 9, 17), date(2026, 9, 24))
    assert dl.appeal_due.due == date(2026, 10, 15)


def test_appeal_result_is_due_twenty_working_days_plus_expert_days(cal, national):
    # received Mon 2026-03-02: 3-3..6 = 1..4, 3-9..13 = 5..9, 3-16..20 = 10..14, 3-23..27 = 15..19, 3-30 = 20;
    # plus 5 expert working days: 3-31, 4-1, 4-2, 4-3, (4-4..6 清明) 4-7.
    assert appeal_result_due(cal, national, date(2026, 3, 2)).due == date(2026, 3, 30)
    assert appeal_result_due(cal, national, date(2026, 3, 2), expert_days=5).due == date(2026, 4, 7)


def test_restoration_may_be_filed_from_fifteen_working_days_before_the_period_end(cal, national):
    # period ends Tue 2026-06-30 (counted): June 30..10 are 15 working days (6-19 is 端午 holiday) → 2026-06-09.
    assert restoration_window(cal, national, date(2026, 6, 30)) == (date(2026, 6, 9), date(2026, 6, 30))


def test_restoration_is_decided_within_ten_working_days(cal, national):
    # filed Wed 2026-09-23: 9-24 = 1, 9-28..30 = 2..4, 10-8 = 5, 10-9 = 6, 10-10 = 7, 10-12..14 = 8..10.
    assert restoration_decision_due(cal, national, date(2026, 9, 23)).due == date(2026, 10, 14)


def test_tianjin_repair_is_one_point_per_activity_and_four_a_year(tianjin):
    assert repair_points_for(3, tianjin) == 3
    assert apply_repair(9, 3, 0, tianjin) == 3
    assert apply_repair(9, 3, 2, tianjin) == 2
    assert apply_repair(9, 3, 4, tianjin) == 0
    assert apply_repair(1, 3, 0, tianjin) == 1


def test_institution_is_flagged_when_the_share_is_exceeded(national):
    assert institution_flagged(11, 100, national)
    assert not institution_flagged(10, 100, national)
    assert not institution_flagged(0, 0, national)


def test_points_level_follows_the_profile_not_fixed_numbers():
    from yibao_desktop.domain.attention import points_level

    national = load("national")
    tianjin = load("tianjin")
    assert [points_level(p, national) for p in (5, 6, 8, 9, 12)] == [None, None, None, "suspend", "suspend"]
    assert [points_level(p, tianjin) for p in (5, 6, 8, 9)] == [None, "watch", "watch", "suspend"]
