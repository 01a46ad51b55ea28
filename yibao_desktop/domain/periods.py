"""Calendar periods under 民法典 第二百零一至二百零四条 and Chinese date formatting."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta

from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.errors import DomainError


def _last_day_of_month(year: int, month: int) -> int:
    """Number of days in the given month."""
    return _stdlib_calendar.monthrange(year, month)[1]


def _shift_month(d: date, n: int) -> tuple[int, int]:
    """(year, month) of the month n months after d's month."""
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise DomainError(f"日期超出范围：{d.isoformat()} 加 {n} 个月")
    return year, month0 + 1


def add_months(d: date, n: int) -> date:
    """The corresponding day n months later (n may be negative), clamped to that month's last day."""
    year, month = _shift_month(d, n)
    return date(year, month, min(d.day, _last_day_of_month(year, month)))


def period_last_day(start: date, months: int) -> date:
    """Last day of an N-month suspension/ban effective on `start` (start counted)."""
    if months < 1:
        raise DomainError(f"期限月数必须至少为1个月：{months}")
    year, month = _shift_month(start, months)
    if start.day > _last_day_of_month(year, month):
        # That month has no corresponding day: the period ends on its last day (民法典 第二百零二条).
        return date(year, month, _last_day_of_month(year, month))
    return date(year, month, start.day) - timedelta(days=1)


def period_last_day_years(start: date, years: int) -> date:
    """Last day of an N-year suspension/ban effective on `start`; a year is 12 months."""
    if years < 1:
        raise DomainError(f"期限年数必须至少为1年：{years}")
    return period_last_day(start, 12 * years)


def civil_period_end(
    d: date,
    *,
    days: int = 0,
    months: int = 0,
    years: int = 0,
    calendar: WorkCalendar | None = None,
) -> date:
    """Last day of "N days/months/years from d": d not counted, month ends clamped, rest days moved on."""
    if min(days, months, years) < 0 or days + months + years == 0:
        raise DomainError("期间长度必须为正数")
    end = add_months(d, months + 12 * years) + timedelta(days=days)
    if calendar is not None and not calendar.is_working_day(end):
        # 法定休假日 in 民法典 第二百零三条 includes the weekly rest days as well as festival holidays,
        # while a 调休 working weekend day is a working day; so "not a working day" is the test.
        end = calendar.next_working_day(end)
    return end


def format_cn_date(d: date) -> str:
    """Chinese date without leading zeros, e.g. "2026年3月15日"."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_period(start: date, end: date) -> str:
    """Period phrase printed on notices, e.g. "自2026年3月15日起至2026年6月14日止"."""
    if end < start:
        raise DomainError(f"期限结束日期{format_cn_date(end)}早于开始日期{format_cn_date(start)}")
    return f"自{format_cn_date(start)}起至{format_cn_date(end)}止"
