"""Designation rules: materials, deadlines, refusal grounds (《广东办法》第九条); the basic conditions
(第六条, 002) are in designation_conditions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from yibao_desktop.domain.calendar import Deadline, WorkCalendar
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.domain.periods import add_months, civil_period_end, format_period

MANUAL = "需人工核实"
NAME_MATCH_NOTE = "按姓名匹配，请核实"


@dataclass(frozen=True)
class Ground:
    """One refusal ground or admission condition shown to the clerk; `hit` = this item stands against the applicant,
    `manual` = the data cannot answer it (open until the clerk verifies it). `question` asks it plainly; answering
    是 puts it against the applicant when `yes_means_hit` (a refusal ground), 否 does for a condition."""

    code: str
    label: str
    hit: bool
    evidence: str
    manual: bool = False
    question: str = ""
    yes_means_hit: bool = True
    not_applicable: bool = False


# The six items of 第八条, by code; what each is called (the application form carries the province's name) comes
# from the profile's [designation.materials] (PolicyProfile.materials).
MATERIALS: tuple[str, ...] = (
    "application_form",
    "licence",
    "management_rules",
    "information_system",
    "fund_forecast",
    "provincial_other",
)


@dataclass(frozen=True)
class MaterialState:
    """One 第八条 item of an application: handed in at intake, asked for by the supplement notice, arrived when."""

    code: str
    at_intake: bool = False
    requested: bool = False
    received_on: date | None = None

    @property
    def outstanding(self) -> bool:
        """Asked for and not yet arrived."""
        return self.requested and self.received_on is None


def supplement_complete_on(items: Sequence[MaterialState]) -> date | None:
    """The day the last requested item arrived (None while any is still outstanding or nothing was asked for)."""
    requested = [m for m in items if m.requested]
    if not requested or any(m.outstanding for m in requested):
        return None
    return max(m.received_on for m in requested if m.received_on is not None)


def supplement_wait_days(accepted_on: date | None, notice_on: date | None, complete_on: date | None) -> int:
    """Days the applicant spent supplementing after acceptance: from the notice (or the acceptance, if later) to the
    day the last requested item arrived. Not counted toward the evaluation limit (《广东办法》第十二条)."""
    if accepted_on is None or notice_on is None or complete_on is None:
        return 0
    return max(0, (complete_on - max(notice_on, accepted_on)).days)


NON_BASIC_BUSINESS: tuple[str, ...] = ("医疗美容", "辅助生殖", "生活照护", "种植牙")
LEADER_ROLES: tuple[str, ...] = ("法定代表人", "主要负责人", "实际控制人")

TerminationReason = Literal["violation", "serious_breach", "serious_violation"]


def supplement_notice_due(calendar: WorkCalendar, received: date, days: int = 5) -> Deadline:
    """Last day for the one-time supplement notice: within `days` working days of receipt (《广东办法》第十条)."""
    return calendar.deadline(received, days)


def evaluation_due(
    received: date, supplement_days: int = 0, months: int = 3, calendar: WorkCalendar | None = None
) -> date:
    """Last day of the evaluation: `months` from acceptance plus the days spent waiting for supplements (第十二条)."""
    if supplement_days < 0:
        raise DomainError("补充材料天数不能为负数", field="supplement_days")
    return civil_period_end(received, months=months, days=supplement_days, calendar=calendar)


def publicity_end(calendar: WorkCalendar, start: date, days: int = 7) -> Deadline:
    """Last day of the publicity of `days` working days published on `start` (that day itself not counted)."""
    return calendar.deadline(start, days)


@dataclass(frozen=True)
class PublicityPeriod:
    """The publicity of an evaluated applicant: published on one day, running `working_days` working days after it."""

    published_on: date
    first_day: date
    last_day: date
    working_days: int
    warning: str | None = None

    @property
    def text(self) -> str:
        """The phrase printed and shown, e.g. "自2026年2月13日起至2026年2月28日止（7个工作日）"."""
        return f"{format_period(self.first_day, self.last_day)}（{self.working_days}个工作日）"


def publicity_period(calendar: WorkCalendar, published_on: date, days: int = 7) -> PublicityPeriod:
    """Exact first and last day of the publicity (《广东办法》第十二条): the day of publication is not counted, so the period
    runs from the first working day after it through the `days`-th working day after it."""
    end = publicity_end(calendar, published_on, days)
    return PublicityPeriod(
        published_on, calendar.next_working_day(published_on + timedelta(days=1)), end.due, days, end.warning
    )


def reevaluation_earliest(failed_on: date, months: int = 3) -> date:
    """First day a failed applicant may be evaluated again: after `months` of rectification from delivery."""
    return add_months(failed_on, months) + timedelta(days=1)


def reapply_ban_end(second_fail: date, years: int = 1) -> date:
    """Last day of the ban on a new application after failing the re-evaluation ("1 年内不得再次申请")."""
    return add_months(second_fail, 12 * years)


def window_end(since: date, months: int) -> date:
    """Last day still "未满" `months` after `since` (the day of the event itself is not counted)."""
    return add_months(since, months)


@dataclass(frozen=True)
class TerminationFact:
    """A past termination of the applicant's own agreement."""

    terminated_on: date
    reason: TerminationReason
    penalty_fulfilled: bool = True


@dataclass(frozen=True)
class PersonRole:
    """The applicant's legal representative, principal or actual controller."""

    role: str
    name: str
    id_number: str = ""


@dataclass(frozen=True)
class PriorRole:
    """A person's role at ANOTHER institution whose agreement was terminated (serious = for serious violations)."""

    name: str
    id_number: str
    role: str
    institution_name: str
    terminated_on: date
    serious: bool


@dataclass(frozen=True)
class NearbyFact:
    """A designated institution near the applicant (for the Tianjin 1500 m rule)."""

    name: str
    code: str
    kind_class: int
    level: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ApplicantFacts:
    """What the office's data knows about an applicant; None means "not recorded" (the ground becomes manual)."""

    main_business: str = ""
    fraud_applications: Sequence[date] = ()
    terminations: Sequence[TerminationFact] = ()
    people: Sequence[PersonRole] = ()
    dishonest: bool | None = False
    operating_since: date | None = None
    physicians_first_registered: int = 0
    beds: int = 0
    has_insurance_department: bool | None = False
    has_management_system: bool | None = False
    has_information_system: bool | None = False
    price_policy_violated: bool | None = None
    penalty_unfulfilled: bool | None = None
    name: str = ""
    code: str = ""
    kind: InstitutionKind | None = None
    payment_level: str = ""
    lat: float | None = None
    lon: float | None = None
    departments_lacking_physician: Sequence[str] | None = None
    records_kept_years: int | None = None
    video_kept_months: int | None = None
    uses_city_purchase_platform: bool | None = None


_REFUSAL_LABELS = {
    "non_basic_business": "第九条（一）以医疗美容、辅助生殖、生活照护、种植牙等非基本医疗服务为主要执业范围的",
    "price_policy": "第九条（二）基本医疗服务未执行医疗保障行政部门制定的医药价格政策的",
    "penalty_unfulfilled": "第九条（三）未依法履行行政处罚责任的",
    "fraud_application": "第九条（四）以弄虚作假等不正当手段申请定点医疗机构资格，自发现之日起未满{fraud}年的",
    "terminated_violation": "第九条（五）因违法违规被解除协议未满{violation}年或已满{violation}年但未完全履行行政处罚责任的",
    "terminated_breach": "第九条（六）因严重违反医保协议约定而被解除协议未满{breach}年或已满{breach}年但未完全履行违约责任的",
    "leader_serious_violation": (
        "第九条（七）法定代表人、主要负责人或实际控制人曾因严重违法违规导致原定点医疗机构解除医保协议，未满{leader}年的"
    ),
    "leader_dishonest": "第九条（八）法定代表人、主要负责人或实际控制人被列入失信人名单的",
    "other_law": "第九条（九）法律、法规规定的其他不予受理的情形",
}
# The same grounds as plain questions (no double negatives); False = answering 是 is in the applicant's favour.
_REFUSAL_QUESTIONS = {
    "non_basic_business": ("是否以医疗美容、辅助生殖、生活照护、种植牙等非基本医疗服务为主要执业范围？", True),
    "price_policy": ("基本医疗服务是否执行医疗保障行政部门制定的医药价格政策？", False),
    "penalty_unfulfilled": ("是否已依法履行行政处罚责任？", False),
    "fraud_application": ("是否曾以弄虚作假等不正当手段申请定点资格，且自发现之日起未满{fraud}年？", True),
    "terminated_violation": (
        "是否因违法违规被解除协议未满{violation}年，或已满{violation}年但未完全履行行政处罚责任？",
        True,
    ),
    "terminated_breach": (
        "是否因严重违反医保协议约定被解除协议未满{breach}年，或已满{breach}年但未完全履行违约责任？",
        True,
    ),
    "leader_serious_violation": (
        "法定代表人、主要负责人或实际控制人是否曾因严重违法违规导致原定点医疗机构解除医保协议，且未满{leader}年？",
        True,
    ),
    "leader_dishonest": ("法定代表人、主要负责人或实际控制人是否被列入失信人名单？", True),
    "other_law": ("是否存在法律、法规规定的其他不予受理的情形？", True),
}


@dataclass(frozen=True)
class RefusalYears:
    """The waiting periods of 第九条（四）–（七） in years (from the profile's [admission] section)."""

    fraud: int = 3
    violation: int = 3
    breach: int = 1
    leader: int = 5


def _ground(code: str, hit: bool, evidence: str, manual: bool = False, years: RefusalYears | None = None) -> Ground:
    """A refusal ground with its 第九条 label and its plain question."""
    numbers = vars(years or RefusalYears())
    question, yes_means_hit = _REFUSAL_QUESTIONS[code]
    return Ground(
        code, _REFUSAL_LABELS[code].format(**numbers), hit, evidence, manual, question.format(**numbers), yes_means_hit
    )


def _flag_ground(code: str, flag: bool | None, yes: str, no: str) -> Ground:
    """Ground from a tri-state flag (True = the ground stands): None = not recorded, so the clerk checks it by hand."""
    if flag is None:
        return _ground(code, False, MANUAL, manual=True)
    return _ground(code, flag, yes if flag else no)


def _non_basic(app: ApplicantFacts) -> Ground:
    """第九条（一）: a non-basic service named in the main business."""
    found = [word for word in NON_BASIC_BUSINESS if word in app.main_business]
    if found:
        return _ground("non_basic_business", True, f"主要执业范围“{app.main_business}”含{'、'.join(found)}")
    if not app.main_business.strip():
        return _ground("non_basic_business", False, "未填写主要执业范围，" + MANUAL, manual=True)
    return _ground("non_basic_business", False, f"主要执业范围“{app.main_business}”不含非基本医疗服务")


def _fraud(app: ApplicantFacts, today: date, years: RefusalYears) -> Ground:
    """第九条（四）: fraudulent application discovered less than `years.fraud` years ago."""
    n = years.fraud
    recent = [d for d in app.fraud_applications if d <= today <= window_end(d, 12 * n)]
    if recent:
        d = max(recent)
        return _ground(
            "fraud_application",
            True,
            f"{d.isoformat()}发现弄虚作假申请，至{window_end(d, 12 * n).isoformat()}方满{n}年",
            years=years,
        )
    return _ground("fraud_application", False, f"无{n}年内发现的弄虚作假申请记录", years=years)


def _terminated(app: ApplicantFacts, today: date, reasons: tuple[str, ...], code: str, years: RefusalYears) -> Ground:
    """第九条（五）/（六）: terminated within the years of the ground, or the penalty / liability still unfulfilled."""
    n = years.breach if code == "terminated_breach" else years.violation
    notes = []
    for t in app.terminations:
        if t.reason not in reasons or t.terminated_on > today:
            continue
        end = window_end(t.terminated_on, 12 * n)
        if today <= end:
            notes.append(f"{t.terminated_on.isoformat()}被解除协议，至{end.isoformat()}方满{n}年")
        elif not t.penalty_fulfilled:
            liability = "违约责任" if code == "terminated_breach" else "行政处罚责任"
            notes.append(f"{t.terminated_on.isoformat()}被解除协议，已满{n}年但未完全履行{liability}")
    if notes:
        return _ground(code, True, "；".join(notes), years=years)
    return _ground(code, False, "无相关解除协议记录", years=years)


def _same_person(person: PersonRole, prior: PriorRole) -> str | None:
    """'id' or 'name' when `person` is `prior`'s person: by ID number where both are known, else by name."""
    mine, theirs = person.id_number.strip().upper(), prior.id_number.strip().upper()
    if mine and theirs:
        return "id" if mine == theirs else None
    if person.name.strip() and "".join(person.name.split()) == "".join(prior.name.split()):
        return "name"
    return None


def _leaders(app: ApplicantFacts, prior_roles: Sequence[PriorRole], today: date, years: RefusalYears) -> Ground:
    """第九条（七）: a leader of the applicant led an institution terminated for serious violations < n years ago."""
    n = years.leader
    notes = []
    for person in app.people:
        if person.role not in LEADER_ROLES:
            continue
        for prior in prior_roles:
            if not prior.serious or prior.role not in LEADER_ROLES or prior.terminated_on > today:
                continue
            if today > window_end(prior.terminated_on, 12 * n):
                continue
            how = _same_person(person, prior)
            if how is None:
                continue
            note = (
                f"本机构{person.role}{person.name}曾任{prior.institution_name}{prior.role}，"
                f"该机构{prior.terminated_on.isoformat()}因严重违法违规被解除医保协议，未满{n}年"
            )
            notes.append(note + ("（按身份证号匹配）" if how == "id" else f"（{NAME_MATCH_NOTE}）"))
    if notes:
        return _ground("leader_serious_violation", True, "；".join(notes), years=years)
    return _ground(
        "leader_serious_violation", False, f"未发现{n}年内因严重违法违规被解除协议机构的相关人员", years=years
    )


def _dishonest(app: ApplicantFacts) -> Ground:
    """第九条（八）: a leader on a dishonesty list (None = not checked yet: the clerk checks the credit platform)."""
    if app.dishonest is None:
        return _ground("leader_dishonest", False, "尚未查询信用平台，" + MANUAL, manual=True)
    return _ground(
        "leader_dishonest", app.dishonest, "已查询，列入失信人名单" if app.dishonest else "已查询，未列入失信人名单"
    )


def refusal_grounds(
    app: ApplicantFacts, prior_roles: Sequence[PriorRole], today: date, years: RefusalYears | None = None
) -> list[Ground]:
    """All nine grounds of 《广东办法》第九条, the checkable ones evaluated, the rest open for the clerk to verify."""
    years = years or RefusalYears()
    return [
        _non_basic(app),
        _flag_ground("price_policy", app.price_policy_violated, "已记录未执行医药价格政策", "已执行医药价格政策"),
        _flag_ground("penalty_unfulfilled", app.penalty_unfulfilled, "已记录未依法履行行政处罚", "已履行行政处罚责任"),
        _fraud(app, today, years),
        _terminated(app, today, ("violation", "serious_violation"), "terminated_violation", years),
        _terminated(app, today, ("serious_breach",), "terminated_breach", years),
        _leaders(app, prior_roles, today, years),
        _dishonest(app),
        _ground("other_law", False, MANUAL, manual=True),
    ]
