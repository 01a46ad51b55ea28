"""Calendar periods (民法典 201–204) with literal dates."""

from __future__ import annotations

from datetime import date

import pytest

from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.periods import (
    add_months,
    civil_period_end,
    format_cn_date,
    format_period,
    period_last_day,
    period_last_day_years,
)

D = date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 3, 15), 3, D(2026, 6, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 1, 31), 3, D(2026, 4, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 10, 31), 14, D(2027, 12, 31)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
    ],
)
def test_add_months_gives_the_corresponding_day_clamped_to_month_end(start, n, expected):
    assert add_months(start, n) == expected


def test_suspension_of_three_months_from_mar_15_ends_jun_14():
    assert period_last_day(D(2026, 3, 15), 3) == D(2026, 6, 14)


def test_suspension_of_one_month_from_mar_1_ends_mar_31():
    assert period_last_day(D(2026, 3, 1), 1) == D(2026, 3, 31)


def test_suspension_of_three_months_from_jan_31_ends_apr_30():
    assert period_last_day(D(2026, 1, 31), 3) == D(2026, 4, 30)


def test_suspension_of_three_months_from_nov_30_ends_feb_28():
    assert period_last_day(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_ban_of_twelve_months_from_leap_day_2024_ends_feb_28_2025():
    assert period_last_day(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_ban_of_one_year_from_leap_day_2024_ends_feb_28_2025():
    assert period_last_day_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_ban_of_three_years_from_jun_10_2026_ends_jun_9_2029():
    assert period_last_day_years(D(2026, 6, 10), 3) == D(2029, 6, 9)


def test_ban_of_one_year_from_jan_1_2026_ends_dec_31_2026():
    assert period_last_day_years(D(2026, 1, 1), 1) == D(2026, 12, 31)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 30), 1, D(2026, 2, 28)),
        (D(2026, 1, 29), 1, D(2026, 2, 28)),
        (D(2028, 1, 29), 1, D(2028, 2, 28)),
        (D(2028, 1, 30), 1, D(2028, 2, 29)),
        (D(2026, 1, 28), 1, D(2026, 2, 27)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 7, 31), 6, D(2027, 1, 30)),
        (D(2026, 12, 1), 1, D(2026, 12, 31)),
        (D(2026, 10, 15), 6, D(2027, 4, 14)),
        (D(2026, 3, 31), 2, D(2026, 5, 30)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
    ],
)
def test_period_last_day_edge_cases(start, months, expected):
    assert period_last_day(start, months) == expected


@pytest.mark.parametrize("months", [0, -1])
def test_period_of_no_months_is_refused(months):
    with pytest.raises(DomainError):
        period_last_day(D(2026, 3, 15), months)


def test_period_of_no_years_is_refused():
    with pytest.raises(DomainError):
        period_last_day_years(D(2026, 3, 15), 0)


def test_civil_period_of_three_months_from_jan_31_ends_apr_30():
    assert civil_period_end(D(2026, 1, 31), months=3) == D(2026, 4, 30)


def test_civil_period_of_one_month_from_mar_15_ends_apr_15():
    assert civil_period_end(D(2026, 3, 15), months=1) == D(2026, 4, 15)


def test_civil_period_of_one_year_from_leap_day_ends_feb_28():
    assert civil_period_end(D(2024, 2, 29), years=1) == D(2025, 2, 28)


def test_civil_period_of_seven_days_does_not_count_the_first_day():
    assert civil_period_end(D(2026, 3, 10), days=7) == D(2026, 3, 17)


def test_civil_period_ending_in_national_day_moves_to_oct_8():
    cal = WorkCalendar()
    # 2026-07-01 + 3 months = 2026-10-01, a holiday; first day back is 10-8.
    assert civil_period_end(D(2026, 7, 1), months=3, calendar=cal) == D(2026, 10, 8)
    assert civil_period_end(D(2026, 7, 1), months=3) == D(2026, 10, 1)


def test_civil_period_ending_on_a_sunday_moves_to_monday():
    # 2026-03-15 is a Sunday: 法定休假日 includes the weekly rest day.
    assert civil_period_end(D(2026, 3, 8), days=7, calendar=WorkCalendar()) == D(2026, 3, 16)


def test_civil_period_ending_on_a_working_saturday_stays():
    # 2026-02-14 is a 调休 working Saturday.
    assert civil_period_end(D(2026, 1, 14), months=1, calendar=WorkCalendar()) == D(2026, 2, 14)


def test_civil_period_ending_in_spring_festival_moves_to_feb_24():
    assert civil_period_end(D(2026, 2, 5), days=10, calendar=WorkCalendar()) == D(2026, 2, 24)


@pytest.mark.parametrize("kwargs", [{}, {"days": -1}, {"months": 0, "years": 0, "days": 0}])
def test_civil_period_without_a_positive_length_is_refused(kwargs):
    with pytest.raises(DomainError):
        civil_period_end(D(2026, 3, 1), **kwargs)


def test_format_cn_date_has_no_leading_zeros():
    assert format_cn_date(D(2026, 3, 5)) == "2026年3月5日"
    assert format_cn_date(D(2026, 12, 31)) == "2026年12月31日"


def test_format_period_prints_the_notice_phrase():
    assert format_period(D(2026, 3, 15), D(2026, 6, 14)) == "自2026年3月15日起至2026年6月14日止"


def test_format_period_refuses_an_end_before_the_start():
    with pytest.raises(DomainError):
        format_period(D(2026, 6, 14), D(2026, 3, 15))
