"""The 工作台: counts of open work and the list of statutory deadlines, colour-coded by urgency."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import (
    Agreement,
    AgreementEvent,
    Appeal,
    Disposition,
    Institution,
    Person,
    Registration,
    Restoration,
    StatusPeriod,
)
from yibao_desktop.domain.agreements import info_change_due, renewal_apply_by, suspension_auto_termination
from yibao_desktop.domain.dispositions import (
    appeal_result_due,
    institution_flagged,
    notice_deadlines,
    restoration_window,
)
from yibao_desktop.domain.persons import NoticeState, Status
from yibao_desktop.domain.worklist import GROUPS, deadline_group

from .context import AppContext
from .designation_rows import designation_work
from .rows import TodoRow
from .standing import apply_todays_statuses

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Dashboard:
    """Counts for the tiles and the deadline list."""

    counts: dict[str, int]
    todos: list[TodoRow]
    warnings: list[str] = field(default_factory=list)
    flagged_institutions: list[tuple[str, str, int, int]] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)  # lines per 已逾期/今天/本周/以后, and 待审核


def _urgency(today: date, due: date, cal) -> str:
    if due < today:
        return "overdue"
    return "soon" if cal.working_days_between(today, due) <= 2 else "later"


def _notice_todos(ctx: AppContext, s: Session, today: date, out: list[TodoRow], warnings: set[str]) -> None:
    """Issue, delivery and appeal-window deadlines of open notices."""
    cal, prof = ctx.calendar, ctx.profile
    rows = s.execute(
        select(Disposition, Person.name)
        .join(Person, Person.id == Disposition.person_id)
        .where(
            Disposition.state.in_([NoticeState.DRAFT, NoticeState.APPROVED, NoticeState.ISSUED, NoticeState.DELIVERED])
        )
    )
    for d, name in rows:
        dls = notice_deadlines(cal, prof, d.decision_date, d.issued_on, d.received_on)
        dl = None
        if d.state in (NoticeState.DRAFT, NoticeState.APPROVED):
            dl = dls.issue_due
            # what is due is the issue; where the opinion stands is the next step towards it
            step = "意见待审核" if d.state == NoticeState.DRAFT else "已审核"
            out.append(
                TodoRow(
                    dl.due,
                    "通知书签发",
                    name,
                    f"应签发处理通知书（{step}，决定日期{d.decision_date:%Y-%m-%d}）",
                    _urgency(today, dl.due, cal),
                    "disposition",
                    d.id,
                    awaiting="review" if d.state == NoticeState.DRAFT else "",
                )
            )
        elif d.state == NoticeState.ISSUED and dls.delivery_due is not None:
            dl = dls.delivery_due
            out.append(
                TodoRow(
                    dl.due,
                    "通知书送达",
                    name,
                    f"{d.doc_no} 待送达机构",
                    _urgency(today, dl.due, cal),
                    "disposition",
                    d.id,
                )
            )
        if dls.appeal_due is not None and d.state in (NoticeState.ISSUED, NoticeState.DELIVERED):
            dl = dls.appeal_due
            if dl.due >= today:
                out.append(TodoRow(dl.due, "申诉期", name, f"{d.doc_no} 申诉期届满", "later", "disposition", d.id))
        if dl is not None and dl.warning:
            warnings.add(dl.warning)


def _period_todos(ctx: AppContext, s: Session, today: date, out: list[TodoRow]) -> None:
    """Suspensions ending soon (restoration window), open appeals and restoration decisions."""
    cal, prof = ctx.calendar, ctx.profile
    horizon = today + timedelta(days=45)
    for sp, name in s.execute(
        select(StatusPeriod, Person.name)
        .join(Person)
        .where(
            StatusPeriod.ended_on.is_(None),
            StatusPeriod.voided.is_(False),
            StatusPeriod.status == Status.SUSPENDED,
            StatusPeriod.end <= horizon,
        )
    ):
        start, _ = restoration_window(cal, prof, sp.end)
        out.append(
            TodoRow(
                sp.end,
                "暂停期满",
                name,
                f"暂停期至{sp.end:%Y-%m-%d}止，{start:%m-%d}起可申请恢复",
                "overdue" if sp.end < today else "later",
                "person",
                sp.person_id,
            )
        )
    for a, name in s.execute(
        select(Appeal, Person.name)
        .join(Disposition, Disposition.id == Appeal.disposition_id)
        .join(Person, Person.id == Disposition.person_id)
        .where(Appeal.state != "decided")
    ):
        due = appeal_result_due(cal, prof, a.received_on, a.expert_days).due
        out.append(
            TodoRow(due, "申诉办结", name, "申诉须在受理后20个工作日内办结", _urgency(today, due, cal), "appeal", a.id)
        )
    for r, name in s.execute(select(Restoration, Person.name).join(Person).where(Restoration.decision == "")):
        due = cal.deadline(r.filed_on, prof.restoration_decision_working_days).due
        out.append(TodoRow(due, "资格恢复", name, "恢复申请待决定", _urgency(today, due, cal), "person", r.person_id))


def _agreement_todos(ctx: AppContext, s: Session, today: date, out: list[TodoRow]) -> None:
    """Agreements whose renewal must be applied for soon, guidance periods ending."""
    horizon = today + timedelta(days=120)
    for ag, name in s.execute(
        select(Agreement, Institution.name)
        .join(Institution)
        .where(Agreement.status.in_(["active", "guidance"]), Agreement.end <= horizon, Agreement.end >= today)
    ):
        by = renewal_apply_by(ag.end, ctx.profile.renewal_lead_months)
        out.append(
            TodoRow(
                by,
                "协议续签",
                name,
                f"协议{ag.number}于{ag.end:%Y-%m-%d}到期",
                "overdue" if by < today else "soon" if by <= today + timedelta(days=14) else "later",
                "agreement",
                ag.id,
            )
        )
    for ag, name in s.execute(
        select(Agreement, Institution.name)
        .join(Institution)
        .where(
            Agreement.status == "guidance",
            Agreement.guidance_end.is_not(None),
            Agreement.guidance_end <= today + timedelta(days=30),
        )
    ):
        end = ag.guidance_end
        if end is None:  # the query leaves these out; the check tells the type checker
            continue
        out.append(
            TodoRow(
                end,
                "辅导期届满",
                name,
                "政策辅导期届满，请评估是否转入正常管理",
                "overdue" if end < today else "later",
                "agreement",
                ag.id,
            )
        )


def _agreement_rule_todos(ctx: AppContext, s: Session, today: date, out: list[TodoRow]) -> None:
    """Suspensions reaching 180 days (《广东办法》第四十一条), proposals awaiting a second reviewer (a termination proposed
    after a second suspension, 第四十二条（一）), information changes filed late (第三十九条)."""
    max_days = ctx.profile.request_suspension_max_days
    for ag, name in s.execute(
        select(Agreement, Institution.name).join(Institution).where(Agreement.status == "suspended")
    ):
        started = s.scalar(
            select(func.max(AgreementEvent.effective)).where(
                AgreementEvent.agreement_id == ag.id,
                AgreementEvent.kind == "suspension",
                AgreementEvent.state == "done",
            )
        )
        if started is None:
            continue
        ends = suspension_auto_termination(started, max_days)
        if ends <= today + timedelta(days=30):
            out.append(
                TodoRow(
                    ends,
                    "中止满期",
                    name,
                    f"协议{ag.number}自{started:%Y-%m-%d}中止，{max_days}日内未恢复的应解除协议（第四十一条），"
                    "请录入解除协议",
                    _urgency(today, ends, ctx.calendar),
                    "agreement",
                    ag.id,
                )
            )
    for ev, number, name in s.execute(
        select(AgreementEvent, Agreement.number, Institution.name)
        .join(Agreement, Agreement.id == AgreementEvent.agreement_id)
        .join(Institution)
        .where(AgreementEvent.state == "proposed")
    ):
        what = "拟解除协议" if ev.kind == "termination" else "拟中止协议"
        why = "（本协议期内中止两次及以上，第四十二条（一））" if ev.ground_code == "suspended_twice" else ""
        out.append(
            TodoRow(
                ev.on,
                "协议待审核",
                name,
                f"协议{number}{what}{why}，待另一位审核人员审核",
                _urgency(today, ev.on, ctx.calendar),
                "agreement",
                ev.agreement_id,
            )
        )
    days = ctx.profile.info_change_working_days
    for ev, name in s.execute(
        select(AgreementEvent, Institution.name)
        .join(Agreement, Agreement.id == AgreementEvent.agreement_id)
        .join(Institution)
        .where(
            AgreementEvent.kind == "info_change",
            AgreementEvent.approval_on.is_not(None),
            AgreementEvent.on >= date(today.year, 1, 1),
        )
    ):
        if ev.approval_on is None:  # left out by the query; the check tells the type checker
            continue
        due = info_change_due(ctx.calendar, ev.approval_on, days).due
        if ev.on > due:
            out.append(
                TodoRow(
                    due,
                    "信息变更逾期",
                    name,
                    f"重大信息变更未在批准后{days}个工作日内办理"
                    f"（{ev.on:%Y-%m-%d}办理），可作为解除协议情形（第四十二条）",
                    "overdue",
                    "agreement",
                    ev.agreement_id,
                )
            )


def _flagged(ctx: AppContext, s: Session, year: int) -> list[tuple[str, str, int, int]]:
    """Institutions whose suspended + terminated person-times in the year exceed the profile share."""
    regs = dict(
        s.execute(
            select(Registration.institution_id, func.count())
            .where(Registration.cancelled_on.is_(None))
            .group_by(Registration.institution_id)
        ).all()
    )
    hit = s.execute(
        select(Registration.institution_id, func.count(func.distinct(StatusPeriod.id)))
        .join(StatusPeriod, StatusPeriod.person_id == Registration.person_id)
        .where(StatusPeriod.start >= date(year, 1, 1), StatusPeriod.start <= date(year, 12, 31))
        .group_by(Registration.institution_id)
    ).all()
    out = []
    names = dict(s.execute(select(Institution.id, Institution.name)).all())
    codes = dict(s.execute(select(Institution.id, Institution.code)).all())
    for iid, n in hit:
        if institution_flagged(n, regs.get(iid, 0), ctx.profile):
            out.append((codes[iid], names[iid], n, regs.get(iid, 0)))
    return sorted(out, key=lambda r: -r[2] / max(r[3], 1))


def load_dashboard(ctx: AppContext) -> Dashboard:
    """Everything the 工作台 shows, as of ctx.today()."""
    today = ctx.today()
    apply_todays_statuses(ctx)
    with ctx.uow() as uow:
        s = uow.session
        counts = {
            "institutions": s.scalar(select(func.count()).select_from(Institution)) or 0,
            "agreements": s.scalar(
                select(func.count()).select_from(Agreement).where(Agreement.status.in_(["active", "guidance"]))
            )
            or 0,
            "registrations": s.scalar(
                select(func.count()).select_from(Registration).where(Registration.cancelled_on.is_(None))
            )
            or 0,
            "no_commitment": s.scalar(
                select(func.count())
                .select_from(Registration)
                .where(Registration.cancelled_on.is_(None), Registration.commitment.is_(False))
            )
            or 0,
            "suspended": s.scalar(select(func.count()).select_from(Person).where(Person.status == Status.SUSPENDED))
            or 0,
            "terminated": s.scalar(select(func.count()).select_from(Person).where(Person.status == Status.TERMINATED))
            or 0,
            "drafts": s.scalar(
                select(func.count()).select_from(Disposition).where(Disposition.state == NoticeState.DRAFT)
            )
            or 0,
            "appeals": s.scalar(select(func.count()).select_from(Appeal).where(Appeal.state != "decided")) or 0,
            "watch": s.scalar(
                select(func.count(func.distinct(Disposition.person_id))).where(
                    Disposition.watch.is_(True),
                    Disposition.state != NoticeState.VOIDED,
                    Disposition.decision_date >= date(today.year, 1, 1),
                )
            )
            or 0,
        }
        designation, designation_todos = designation_work(s, ctx)  # 定点申请 (services/designation_rows.py)
        counts |= designation
        todos: list[TodoRow] = []
        warnings: set[str] = set()
        _notice_todos(ctx, s, today, todos, warnings)
        _period_todos(ctx, s, today, todos)
        _agreement_todos(ctx, s, today, todos)
        _agreement_rule_todos(ctx, s, today, todos)
        todos += designation_todos
        if not ctx.calendar.has_schedule(today.year + 1) and today.month >= 11:
            warnings.add(
                f"尚无{today.year + 1}年节假日安排数据，跨年期限按周一至周五计算；请在“设置”中录入"
                f"{today.year + 1}年放假安排。"
            )
        flagged = _flagged(ctx, s, today.year)
    todos = sorted(
        (replace(t, group=deadline_group(today, t.due), days_left=(t.due - today).days) for t in todos),
        key=lambda t: (t.due, t.kind),
    )
    groups = {g: sum(1 for t in todos if t.group == g) for g in GROUPS}
    groups["待审核"] = sum(1 for t in todos if t.awaiting == "review")
    return Dashboard(counts, todos, sorted(warnings), flagged, groups)
