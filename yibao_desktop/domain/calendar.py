"""Working-day arithmetic: statutory holidays, 调休 working weekends and the office's own table."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from yibao_desktop.domain.errors import DomainError

# A deadline search that finds no working day within ten years means the office table is broken.
_MAX_SCAN_DAYS = 3660
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """The last allowed day of a working-day period, with a warning when a year had no holiday schedule."""

    due: date
    warning: str | None


@lru_cache(maxsize=64)
def _library_knows(year: int) -> bool:
    """True when chinesecalendar has the official schedule of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Working days from chinesecalendar, overridden and extended by the office's own holiday table."""

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        office_years: Iterable[int] = (),
    ):
        self._holidays = frozenset(extra_holidays)
        self._workdays = frozenset(extra_workdays)
        both = self._holidays & self._workdays
        if both:
            first = min(both)
            raise DomainError(f"{first.isoformat()} 同时被设为休息日和工作日，请检查节假日安排", field="holidays")
        self._office_years = frozenset(office_years)

    @classmethod
    def from_table(cls, text: str) -> WorkCalendar:
        """Build a calendar from the office settings text (see parse_holiday_table)."""
        holidays, workdays, years = parse_holiday_table(text)
        return cls(holidays, workdays, years)

    def has_schedule(self, year: int) -> bool:
        """True when the holidays of `year` are known, from the library or from the office table."""
        return year in self._office_years or _library_knows(year)

    def is_working_day(self, d: date) -> bool:
        """True for Mon–Fri that are not holidays, and for 调休 working weekend days."""
        if d in self._workdays:
            return True
        if d in self._holidays:
            return False
        if _library_knows(d.year):
            return chinese_calendar.is_workday(d)
        # No official data for this year: plain Mon–Fri (deadline() warns about it).
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """`d` itself when it is a working day, else the first working day after it."""
        day = d
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += _ONE_DAY
        raise DomainError(f"{d.isoformat()} 之后十年内没有工作日，请检查节假日安排", field="holidays")

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (`d` itself not counted); n = 0 returns `d`."""
        return self._walk(d, n)[0]

    def deadline(self, d: date, n: int) -> Deadline:
        """Last day of "within n working days of d", warning when a counted day lies in a year without schedule."""
        due, unknown_years = self._walk(d, n)
        return Deadline(due, _missing_schedule_warning(unknown_years))

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in (a, b]; negative when b is before a (for "还剩N个工作日")."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + _ONE_DAY
        while day <= b:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count

    def _walk(self, d: date, n: int) -> tuple[date, frozenset[int]]:
        """Step forward to the n-th working day, collecting years crossed that have no schedule."""
        if n < 0:
            raise DomainError(f"工作日数不能为负数：{n}")
        day, found = d, 0
        unknown: set[int] = set()
        for _ in range(n * 7 + _MAX_SCAN_DAYS):
            if found == n:
                return day, frozenset(unknown)
            day += _ONE_DAY
            if not self.has_schedule(day.year):
                unknown.add(day.year)
            found += self.is_working_day(day)
        raise DomainError(f"自{d.isoformat()}起找不到第{n}个工作日，请检查节假日安排", field="holidays")


def _missing_schedule_warning(years: frozenset[int]) -> str | None:
    """Chinese warning naming the years whose holiday schedule is missing, or None."""
    if not years:
        return None
    names = "、".join(f"{y}年" for y in sorted(years))
    return (
        f"尚未录入{names}的法定节假日安排，期限暂按周一至周五计算，可能不准确；请在“设置—节假日安排”中录入后重新核对。"
    )


_DATE = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
_LINE = re.compile(rf"^{_DATE}(?:\s*[~～至]\s*{_DATE})?\s*(休|班)$")


def _make_date(parts: tuple[str, str, str], line_no: int) -> date:
    """A date from regex groups, or a DomainError naming the line."""
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise DomainError(f"节假日安排第{line_no}行：日期“{'-'.join(parts)}”不存在", field="holidays") from None


def _parse_line(line: str, line_no: int) -> tuple[list[date], bool]:
    """Dates of one table line and whether they are holidays (休) rather than working days (班)."""
    match = _LINE.match(line)
    if match is None:
        raise DomainError(
            f"节假日安排第{line_no}行格式不对：“{line}”。应写作“2027-01-01 休”“2027-02-07 班”"
            "或“2027-02-06~2027-02-12 休”",
            field="holidays",
        )
    groups = match.groups()
    start = _make_date((groups[0], groups[1], groups[2]), line_no)
    end = _make_date((groups[3], groups[4], groups[5]), line_no) if groups[3] else start
    if end < start:
        raise DomainError(f"节假日安排第{line_no}行：结束日期早于开始日期", field="holidays")
    if (end - start).days > 60:
        raise DomainError(f"节假日安排第{line_no}行：一段假期超过60天，请检查日期", field="holidays")
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return days, groups[6] == "休"


def parse_holiday_table(text: str) -> tuple[set[date], set[date], set[int]]:
    """Parse the office table ("2027-01-01 休", "2027-02-07 班", ranges with ~, # comments) into sets."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    years: set[int] = set()
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip().replace("\u3000", " ")
        if not line:
            continue
        days, is_holiday = _parse_line(line, line_no)
        mine, other = (holidays, workdays) if is_holiday else (workdays, holidays)
        clash = [d for d in days if d in other]
        if clash:
            raise DomainError(
                f"节假日安排第{line_no}行：{clash[0].isoformat()} 已在前面被设为{'工作日' if is_holiday else '休息日'}",
                field="holidays",
            )
        mine.update(days)
        years.update(d.year for d in days)
    return holidays, workdays, years
