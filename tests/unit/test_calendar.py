"""Working days and deadlines against the 2026 schedule (国办 notice of 2025-11-04) and the office table."""

from __future__ import annotations

from datetime import date

import pytest

from yibao_desktop.domain.calendar import Deadline, WorkCalendar, parse_holiday_table
from yibao_desktop.domain.errors import DomainError

D = date

HOLIDAYS_2026 = [
    *(D(2026, 1, d) for d in (1, 2, 3)),
    *(D(2026, 2, d) for d in range(15, 24)),
    *(D(2026, 4, d) for d in (4, 5, 6)),
    *(D(2026, 5, d) for d in range(1, 6)),
    *(D(2026, 6, d) for d in (19, 20, 21)),
    *(D(2026, 9, d) for d in (25, 26, 27)),
    *(D(2026, 10, d) for d in range(1, 8)),
]
WORKING_WEEKENDS_2026 = [
    D(2026, 1, 4),
    D(2026, 2, 14),
    D(2026, 2, 28),
    D(2026, 5, 9),
    D(2026, 9, 20),
    D(2026, 10, 10),
]

OFFICE_2027 = """
# 2027 年安排（示例，办公室自行录入）
2027-01-01 休
2027-02-06~2027-02-12 休   # 春节
2027-02-14 班
"""


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.mark.parametrize("day", HOLIDAYS_2026, ids=str)
def test_every_2026_holiday_is_not_a_working_day(cal, day):
    assert not cal.is_working_day(day)


@pytest.mark.parametrize("day", WORKING_WEEKENDS_2026, ids=str)
def test_every_2026_adjusted_weekend_is_a_working_day(cal, day):
    assert day.weekday() >= 5
    assert cal.is_working_day(day)


def test_2026_has_exactly_the_published_rest_days_and_working_weekends(cal):
    rest_weekdays, working_weekends = [], []
    day = D(2026, 1, 1)
    while day.year == 2026:
        if day.weekday() < 5 and not cal.is_working_day(day):
            rest_weekdays.append(day)
        if day.weekday() >= 5 and cal.is_working_day(day):
            working_weekends.append(day)
        day = day.fromordinal(day.toordinal() + 1)
    assert working_weekends == WORKING_WEEKENDS_2026
    assert rest_weekdays == [d for d in HOLIDAYS_2026 if d.weekday() < 5]


def test_an_ordinary_weekend_is_not_a_working_day_and_the_monday_after_is(cal):
    assert not cal.is_working_day(D(2026, 3, 14))
    assert cal.is_working_day(D(2026, 3, 16))


def test_notice_due_five_working_days_after_a_decision_on_friday_feb_13_2026_is_feb_27(cal):
    # 2-14 (working Sat) = 1, 2-15..2-23 holidays, 2-24 = 2, 2-25 = 3, 2-26 = 4, 2-27 = 5
    assert cal.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert cal.deadline(D(2026, 2, 13), 5) == Deadline(D(2026, 2, 27), None)


def test_delivery_three_working_days_after_issue_on_feb_13_2026_is_feb_25(cal):
    assert cal.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_one_working_day_after_feb_13_2026_is_the_working_saturday_feb_14(cal):
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_working_saturday_feb_28_2026_counts(cal):
    assert cal.add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert cal.add_working_days(D(2026, 2, 26), 3) == D(2026, 3, 2)


def test_appeal_ten_working_days_from_receipt_on_sep_18_2026_ends_oct_9(cal):
    # 9-20 (Sun, working) 9-21 9-22 9-23 9-24 | 中秋 9-25..27 | 9-28 9-29 9-30 | 国庆 10-1..7 | 10-8 10-9
    assert cal.add_working_days(D(2026, 9, 18), 10) == D(2026, 10, 9)


def test_appeal_ten_working_days_from_receipt_on_sep_24_2026_ends_oct_15(cal):
    # 9-28 9-29 9-30 | 10-8 10-9 10-10 (Sat, working) | 10-12 10-13 10-14 10-15
    assert cal.add_working_days(D(2026, 9, 24), 10) == D(2026, 10, 15)


def test_new_year_2026_skips_jan_1_to_3_and_counts_sunday_jan_4(cal):
    assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert cal.add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 5)


def test_qingming_2026_skips_apr_4_to_6(cal):
    assert cal.add_working_days(D(2026, 4, 3), 1) == D(2026, 4, 7)


def test_labour_day_2026_skips_may_1_to_5_and_counts_saturday_may_9(cal):
    assert cal.add_working_days(D(2026, 4, 30), 1) == D(2026, 5, 6)
    assert cal.add_working_days(D(2026, 4, 30), 4) == D(2026, 5, 9)
    assert cal.add_working_days(D(2026, 4, 30), 5) == D(2026, 5, 11)


def test_dragon_boat_2026_skips_jun_19_to_21(cal):
    assert cal.add_working_days(D(2026, 6, 18), 1) == D(2026, 6, 22)


def test_publicity_of_seven_working_days_from_sep_30_2026_ends_oct_15(cal):
    # 10-8 10-9 10-10 10-12 10-13 10-14 10-15
    assert cal.add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)


def test_zero_working_days_returns_the_start_and_negative_is_refused(cal):
    assert cal.add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)
    with pytest.raises(DomainError):
        cal.add_working_days(D(2026, 2, 15), -1)


def test_deadline_from_late_december_2026_into_2027_falls_back_to_weekdays_with_a_warning(cal):
    # 12-29 12-30 12-31, then 2027 unknown: Fri 1-1 counts, Mon 1-4
    result = cal.deadline(D(2026, 12, 28), 5)
    assert result.due == D(2027, 1, 4)
    assert result.warning is not None
    assert "2027年" in result.warning


def test_deadline_ending_dec_31_2026_has_no_warning(cal):
    assert cal.deadline(D(2026, 12, 28), 3) == Deadline(D(2026, 12, 31), None)


def test_office_2027_table_removes_the_warning_and_skips_new_year_2027():
    holidays, workdays, years = parse_holiday_table(OFFICE_2027)
    cal = WorkCalendar(holidays, workdays, years)
    assert cal.has_schedule(2027)
    assert not cal.is_working_day(D(2027, 1, 1))
    # 12-29 12-30 12-31 | 1-1 off | 1-4 1-5
    assert cal.deadline(D(2026, 12, 28), 5) == Deadline(D(2027, 1, 5), None)


def test_office_2027_table_handles_spring_festival_and_working_sunday():
    cal = WorkCalendar.from_table(OFFICE_2027)
    # 2027-02-05 Fri; 2-6..2-12 off; 2-14 Sun working; 2-15 Mon
    assert cal.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 14)
    assert cal.add_working_days(D(2027, 2, 5), 2) == D(2027, 2, 15)


def test_unknown_year_without_office_table_uses_monday_to_friday(cal):
    assert not cal.has_schedule(2027)
    assert cal.is_working_day(D(2027, 1, 1))
    assert not cal.is_working_day(D(2027, 1, 2))


def test_library_years_have_a_schedule(cal):
    assert cal.has_schedule(2026)
    assert cal.has_schedule(2010)


def test_office_override_beats_the_library_for_a_known_year():
    cal = WorkCalendar(extra_holidays=[D(2026, 3, 16)], extra_workdays=[D(2026, 3, 14)])
    assert not cal.is_working_day(D(2026, 3, 16))
    assert cal.is_working_day(D(2026, 3, 14))


def test_a_day_both_holiday_and_workday_is_refused():
    with pytest.raises(DomainError):
        WorkCalendar(extra_holidays=[D(2027, 1, 1)], extra_workdays=[D(2027, 1, 1)])


def test_working_days_between_counts_the_half_open_interval(cal):
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert cal.working_days_between(D(2026, 9, 18), D(2026, 10, 9)) == 10
    assert cal.working_days_between(D(2026, 10, 9), D(2026, 9, 18)) == -10
    assert cal.working_days_between(D(2026, 2, 15), D(2026, 2, 15)) == 0
    assert cal.working_days_between(D(2026, 2, 15), D(2026, 2, 23)) == 0


def test_next_working_day_of_a_holiday_is_the_first_day_back(cal):
    assert cal.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert cal.next_working_day(D(2026, 10, 8)) == D(2026, 10, 8)
    assert cal.next_working_day(D(2026, 2, 14)) == D(2026, 2, 14)
    assert cal.next_working_day(D(2026, 3, 14)) == D(2026, 3, 16)


def test_parse_holiday_table_returns_holidays_workdays_and_years():
    holidays, workdays, years = parse_holiday_table(OFFICE_2027)
    assert holidays == {D(2027, 1, 1), *(D(2027, 2, d) for d in range(6, 13))}
    assert workdays == {D(2027, 2, 14)}
    assert years == {2027}


def test_parse_holiday_table_accepts_blank_text_and_comments_only():
    assert parse_holiday_table("") == (set(), set(), set())
    assert parse_holiday_table("# nothing yet\n\n   \n") == (set(), set(), set())


def test_parse_holiday_table_accepts_full_width_tilde_and_single_digit_months():
    holidays, _, years = parse_holiday_table("2027-10-1～2027-10-3 休")
    assert holidays == {D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)}
    assert years == {2027}


def test_parse_holiday_table_range_across_new_year_mentions_both_years():
    holidays, _, years = parse_holiday_table("2027-12-31~2028-01-01 休")
    assert holidays == {D(2027, 12, 31), D(2028, 1, 1)}
    assert years == {2027, 2028}


@pytest.mark.parametrize(
    ("text", "line_no"),
    [
        ("2027-01-01", 1),
        ("2027-01-01 放假", 1),
        ("# ok\n2027-02-30 休", 2),
        ("2027-01-01 休\n\n2027-01-03~2027-01-02 休", 3),
        ("2027-01-01 休\n2027-01-01 班", 2),
        ("2027-13-01 班", 1),
        ("2027-01-01~2027-06-01 休", 1),
    ],
)
def test_parse_holiday_table_bad_line_names_its_line_number(text, line_no):
    with pytest.raises(DomainError) as err:
        parse_holiday_table(text)
    assert f"第{line_no}行" in err.value.message
