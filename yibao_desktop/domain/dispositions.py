"""Consequences of yearly totals and their deadlines (规程第二十九至四十四条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from yibao_desktop.domain.calendar import Deadline, WorkCalendar
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.periods import period_last_day, period_last_day_years
from yibao_desktop.domain.policy import PolicyProfile

SUSPENSION_MONTH_CHOICES = (1, 6)
_SUSPEND_AT, _TERMINATE_AT = 9, 12


class DispositionKind(StrEnum):
    """What the office does after a score entry."""

    NOTICE = "notice"
    REMINDER = "reminder"
    SUSPENSION = "suspension"
    TERMINATION = "termination"

    @property
    def label(self) -> str:
        """Chinese label (annex 3 wording)."""
        return {
            "notice": "通报所在机构",
            "reminder": "提醒谈话",
            "suspension": "暂停医保支付资格",
            "termination": "终止医保支付资格",
        }[self.value]


@dataclass(frozen=True)
class ProposedDisposition:
    """The proposal shown to the clerk, who confirms or changes it."""

    kind: DispositionKind
    months: int | None = None
    months_choices: tuple[int, int] | None = None
    ban_years: int | None = None
    watch: bool = False
    reason: str = ""
    alternatives: tuple[DispositionKind, ...] = ()


def _watch_note(total: int, profile: PolicyProfile) -> tuple[bool, str]:
    """Whether the local watch line is reached, and the sentence that says so."""
    line = profile.watch_threshold
    if line is None or total < line:
        return False, ""
    return True, f"；已达到{line}分，定点医药机构应对其约谈并列入重点监管名单（{profile.name}实施细则）"


def propose_disposition(
    total_before: int,
    total_after: int,
    decision_points: int,
    suspended_this_year: bool,
    terminated: bool,
    profile: PolicyProfile,
) -> ProposedDisposition:
    """Propose the consequence of a yearly total (规程第二十九条); the clerk confirms."""
    for name, value in (("total_before", total_before), ("total_after", total_after)):
        if not 0 <= value <= 12:
            raise DomainError(f"年度累计记分应在 0 至 12 分之间，现为 {value}", field=name)
    watch, note = _watch_note(total_after, profile)
    head = f"本年度累计记分{total_after}分"
    if terminated:
        return _notice(watch, f"{head}，该人员医保支付资格已终止，本次仅向所在机构通报记分情况{note}", False)
    if total_after >= _TERMINATE_AT:
        return _termination(head, decision_points, watch, note, profile)
    if total_after >= _SUSPEND_AT and not suspended_this_year:
        months = profile.suspension_months[total_after]
        first = "首次" if total_before < _SUSPEND_AT else ""
        return ProposedDisposition(
            DispositionKind.SUSPENSION,
            months=months,
            months_choices=SUSPENSION_MONTH_CHOICES,
            watch=watch,
            reason=f"{head}，{first}达到9分未达12分，拟暂停医保支付资格{months}个月（可在1至6个月内选择，"
            f"规程第二十九条）{note}",
        )
    if total_after >= _SUSPEND_AT:
        why = "本年度已因累计达到9分被暂停医保支付资格，未达12分，不再暂停，向所在机构通报记分情况（规程第二十九条）"
        return _notice(watch, f"{head}，{why}{note}")
    why = "未达到9分，向所在机构通报记分情况，可予以提醒谈话（规程第二十九条、第三十六条）"
    return _notice(watch, f"{head}，{why}{note}")


def _notice(watch: bool, reason: str, reminder_allowed: bool = True) -> ProposedDisposition:
    """A notice to the institution; the clerk may turn it into a reminder talk where one makes sense."""
    alternatives = (DispositionKind.NOTICE, DispositionKind.REMINDER) if reminder_allowed else ()
    return ProposedDisposition(DispositionKind.NOTICE, watch=watch, reason=reason, alternatives=alternatives)


def _termination(
    head: str, decision_points: int, watch: bool, note: str, profile: PolicyProfile
) -> ProposedDisposition:
    """Termination with the 1-year or (一次性记满12分) 3-year re-registration ban."""
    if decision_points >= _TERMINATE_AT:
        years, why = (
            profile.ban_years_single_decision,
            f"本次处理一次性记满12分，终止之日起{profile.ban_years_single_decision}年内",
        )
    else:
        years, why = (
            profile.ban_years_accumulated,
            f"累计满12分，终止之日起{profile.ban_years_accumulated}年内",
        )
    return ProposedDisposition(
        DispositionKind.TERMINATION,
        ban_years=years,
        watch=watch,
        reason=f"{head}，达到12分，拟终止医保支付资格；{why}不得再次登记备案（规程第二十九条）{note}",
    )


def status_period(kind: DispositionKind, effective: date, months: int | None, years: int | None) -> tuple[date, date]:
    """First and last day of a suspension (months) or termination ban (years) effective on `effective`."""
    kind = DispositionKind(kind)
    if kind == DispositionKind.SUSPENSION:
        if months is None or not SUSPENSION_MONTH_CHOICES[0] <= months <= SUSPENSION_MONTH_CHOICES[1]:
            raise DomainError(f"暂停期限应为 1 至 6 个月，现为 {months}", field="months")
        return effective, period_last_day(effective, months)
    if kind == DispositionKind.TERMINATION:
        if years is None or years < 1:
            raise DomainError(f"终止期限应为至少 1 年，现为 {years}", field="years")
        return effective, period_last_day_years(effective, years)
    raise DomainError(f"“{kind.label}”没有暂停或终止期限", field="kind")


@dataclass(frozen=True)
class NoticeDeadlines:
    """Deadlines of one disposition notice; later ones exist once the earlier step happened."""

    issue_due: Deadline
    delivery_due: Deadline | None
    appeal_due: Deadline | None


def notice_deadlines(
    calendar: WorkCalendar,
    profile: PolicyProfile,
    decision_date: date,
    issued: date | None,
    received: date | None,
) -> NoticeDeadlines:
    """Issue within 5 wd of the decision (第三十一条), deliver within 3 wd of issue (第三十三条), appeal within 10 wd of
    receipt (第四十一条); the numbers of working days come from the profile."""
    return NoticeDeadlines(
        issue_due=calendar.deadline(decision_date, profile.notice_issue_working_days),
        delivery_due=calendar.deadline(issued, profile.notice_delivery_working_days) if issued else None,
        appeal_due=calendar.deadline(received, profile.appeal_working_days) if received else None,
    )


def appeal_result_due(calendar: WorkCalendar, profile: PolicyProfile, received: date, expert_days: int = 0) -> Deadline:
    """Appeal result within 20 wd of receipt (第四十四条); expert review time (in working days) is added on top.

    The rule excludes expert time from the 20 days; counting the expert's working days after the 20 is the
    same as pausing the clock while the experts work, which is what 除外 means.
    """
    if expert_days < 0:
        raise DomainError(f"专家评估鉴定用时不能为负数：{expert_days}", field="expert_days")
    return calendar.deadline(received, profile.appeal_result_working_days + expert_days)


def restoration_window(calendar: WorkCalendar, profile: PolicyProfile, period_end: date) -> tuple[date, date]:
    """(earliest filing day, period end) for restoration (第三十九条: 期满前15个工作日).

    `period_end` is the last day of the period; the period expires at the start of the next day, so the
    earliest filing day is the 15th working day counted backwards from that next day (period_end itself counts
    when it is a working day). Filing after period_end stays allowed (annex 3: 期满后提出申请); the second value
    only marks the end of the early-filing window.
    """
    n = profile.restoration_lead_working_days
    day = period_end + timedelta(days=1)
    while n:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day, period_end


def restoration_effective(period_end: date, decided_on: date) -> date:
    """First day of restored qualification (第三十九条): the period printed on the notice stands, so a pass decided
    before it ends takes effect the day after its last day; a pass decided later takes effect on its day."""
    return max(period_end + timedelta(days=1), decided_on)


def restoration_decision_due(calendar: WorkCalendar, profile: PolicyProfile, filed: date) -> Deadline:
    """Restoration decided within 10 wd of filing (第三十九条)."""
    return calendar.deadline(filed, profile.restoration_decision_working_days)


def repair_points_for(activities: int, profile: PolicyProfile) -> int:
    """Points a number of qualifying repair activities is worth (Tianjin: 1 per activity)."""
    if activities < 0:
        raise DomainError(f"修复活动次数不能为负数：{activities}", field="activities")
    return activities * profile.repair_points_per_activity


def apply_repair(total: int, requested_points: int, already_repaired_this_year: int, profile: PolicyProfile) -> int:
    """Points that may be removed now: no more than requested, the current total, or what the yearly cap leaves."""
    for name, value in (
        ("total", total),
        ("requested_points", requested_points),
        ("already_repaired_this_year", already_repaired_this_year),
    ):
        if value < 0:
            raise DomainError(f"修复计算的数值不能为负数：{value}", field=name)
    left = max(0, profile.repair_yearly_cap - already_repaired_this_year)
    return min(requested_points, total, left)


def institution_flagged(suspended_terminated_person_times: int, registrations: int, profile: PolicyProfile) -> bool:
    """True when the year's suspended + terminated person-times exceed the profile share of registrations (第三十条)."""
    if registrations <= 0:
        return False
    return suspended_terminated_person_times / registrations > profile.institution_flag_share


def repair_ends_period(status: str, total_after_repair: int) -> bool:
    """Whether a granted repair ends a running score period of its year (《规程》第三十八条: repair may "缩减暂停或终止
    期限"; 第二十九条: a suspension needs 9 points in the year). A suspension ends once the repaired total is below 9;
    a termination only once it is below 9 too (9–11 points would call for a suspension, which a repair cannot
    impose, so the termination then stands and the office decides by a new notice)."""
    return status in ("suspended", "terminated") and total_after_repair < _SUSPEND_AT
