"""Use cases of the 医保协议 tab: sign, list, record events (actions, suspension, termination, extension)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import (
    Agreement,
    AgreementEvent,
    AgreementEventPerson,
    Institution,
    Person,
    StatusPeriod,
)
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.domain.agreements import (
    AGREEMENT_ACTIONS,
    GuidanceAction,
    agreement_term_end,
    check_institution_request,
    check_request_lead,
    ground_text,
    guidance_end,
    guidance_violation,
    info_change_due,
    suspension_last_day,
    suspensions_force_termination,
)
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementStatus, AgreementType
from yibao_desktop.domain.next_steps import agreement_events, event_required_fields
from yibao_desktop.domain.periods import format_cn_date, period_last_day_years
from yibao_desktop.domain.permissions import Permission, check_not_maker, require
from yibao_desktop.domain.persons import PeriodSource, Status, check_not_after, check_not_before

from .audit import audit
from .context import AppContext
from .labels import enum_label, search_text
from .rows import AgreementRow
from .standing import add_period, derive_status

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork

EVENT_KINDS = {
    "sign": "签订",
    "guidance_extension": "辅导期延长",
    "info_change": "重大信息变更",
    "renewal": "续签",
    "action": "协议处理",
    "suspension": "中止协议",
    "resume": "恢复协议",
    "termination": "解除协议",
    "assessment": "年度考核",
}


@dataclass
class EventInput:
    """An agreement event as the event dialog submits it."""

    kind: str
    on: date
    decision_no: str = ""
    action_code: str = ""
    ground_code: str = ""
    amount_fen: int = 0
    effective: date | None = None
    until: date | None = None
    assessment_score: float | None = None
    department: str = ""
    detail: str = ""
    approval_on: date | None = None
    responsible_ids: list[int] = field(default_factory=list)


def list_agreements(ctx: AppContext) -> list[AgreementRow]:
    """Every agreement with its institution and number of suspensions in the term."""
    susp = (
        select(AgreementEvent.agreement_id, func.count().label("n"))
        .where(AgreementEvent.kind == "suspension", AgreementEvent.state == "done")
        .group_by(AgreementEvent.agreement_id)
    ).subquery()
    stmt = (
        select(Agreement, Institution.name, Institution.code, Institution.name_initials, susp.c.n)
        .join(Institution)
        .outerjoin(susp, susp.c.agreement_id == Agreement.id)
        .order_by(Agreement.number)
    )
    with ctx.uow() as uow:
        return [
            AgreementRow(
                a.id,
                a.number,
                a.institution_id,
                name,
                code,
                enum_label(AgreementType, a.agreement_type),
                a.start,
                a.end,
                a.status,
                enum_label(AgreementStatus, a.status),
                a.guidance_end,
                n or 0,
                a.version,
                search_text(a.number, name, code, ini),
            )
            for a, name, code, ini, n in uow.session.execute(stmt)
        ]


def sign_agreement(
    ctx: AppContext,
    institution_id: int,
    number: str,
    agreement_type: str,
    start: date,
    years: int | None = None,
    newly_designated: bool = True,
) -> int:
    """Sign an agreement; a newly designated institution enters the 6-month guidance period."""
    require(ctx, Permission.AGREEMENT_ACTION)
    if not number.strip():
        raise DomainError("请填写协议编号。", field="number")
    end = agreement_term_end(start, agreement_type, years)
    with ctx.uow() as uow:
        s = uow.session
        uow.get(Institution, institution_id, "机构不存在。")
        if s.scalar(select(Agreement.id).where(Agreement.number == number.strip())):
            raise DomainError(f"协议编号 {number} 已存在。", field="number")
        g_end = guidance_end(start, ctx.profile.guidance_months) if newly_designated else None
        ag = Agreement(
            institution_id=institution_id,
            number=number.strip(),
            agreement_type=agreement_type,
            start=start,
            end=end,
            signed_on=start,
            guidance_end=g_end,
            status=AgreementStatus.GUIDANCE if newly_designated else AgreementStatus.ACTIVE,
        )
        s.add(ag)
        s.flush()
        s.add(AgreementEvent(agreement_id=ag.id, kind="sign", on=start, detail=f"协议期限至{format_cn_date(end)}"))
        audit(uow, "agreement.sign", "agreement", ag.id, number)
        uow.commit()
        return ag.id


def _load(uow: UnitOfWork, agreement_id: int, version: int | None) -> Agreement:
    return uow.get(
        Agreement, agreement_id, "协议不存在。", version, "该协议已被其他经办人员修改，请刷新后重试（本次操作未保存）。"
    )


def record_event(ctx: AppContext, agreement_id: int, ev: EventInput, version: int | None = None) -> str:
    """Record an event; suspension/termination change the agreement and put the responsible persons in the ledger.

    With review on, a suspension or termination is entered as a proposal that another reviewer approves
    (approve_event); the one who entered it cannot. Returns a Chinese summary of what changed.
    """
    require(ctx, Permission.AGREEMENT_ACTION)
    _check_input(ctx, ev)
    with ctx.uow() as uow:
        s = uow.session
        ag = _load(uow, agreement_id, version)
        check_not_before(ag.start, ev.on, "协议开始日期", "事项日期", "on")
        _check_rules(ctx, ag, uow.get(Institution, ag.institution_id, "机构不存在。"), ev)
        for pid in ev.responsible_ids:
            uow.get(Person, pid, "责任人员不存在。")
        proposal = ev.kind in ("suspension", "termination") and ctx.settings.review_required
        row = AgreementEvent(
            agreement_id=ag.id,
            kind=ev.kind,
            on=ev.on,
            decision_no=ev.decision_no.strip(),
            action_code=ev.action_code,
            ground_code=ev.ground_code,
            amount_fen=ev.amount_fen,
            effective=ev.effective or ev.on,
            until=ev.until,
            assessment_score=ev.assessment_score,
            department=ev.department,
            detail=ev.detail,
            approval_on=ev.approval_on,
            state="proposed" if proposal else "done",
            entered_by=uow.username,
            approved_by="" if proposal else uow.username,
        )
        s.add(row)
        s.flush()
        for pid in ev.responsible_ids:
            s.add(AgreementEventPerson(event_id=row.id, person_id=pid))
        s.flush()
        if proposal:
            summary = f"已录入{EVENT_KINDS[ev.kind]}（{ev.decision_no.strip()}），须由另一位审核人员审核后生效。"
        else:
            summary = _apply(ctx, uow, ag, row)
        audit(uow, f"agreement.{ev.kind}", "agreement", ag.id, ev.decision_no)
        uow.commit()
        return summary


def _check_input(ctx: AppContext, ev: EventInput) -> None:
    """Everything about the typed event that needs no database (nothing is written before it passes)."""
    if ev.kind not in EVENT_KINDS:
        raise DomainError("事项类型不正确。", field="kind")
    required = event_required_fields(ev.kind)
    if "action_code" in required and ev.action_code not in dict(AGREEMENT_ACTIONS):
        raise DomainError("请选择协议处理方式。", field="action_code")
    if "decision_no" in required and not ev.decision_no.strip():
        raise DomainError("请填写决定文书号。", field="decision_no")
    check_not_after(ev.on, ctx.today(), "事项日期", "on")
    if "approval_on" in required:
        if ev.approval_on is None:
            raise DomainError(
                "请填写审批部门批准变更的日期（应于批准之日起30个工作日内办理变更）。", field="approval_on"
            )
        check_not_before(ev.approval_on, ev.on, "批准变更日期", "申请变更日期", "on")
    if ev.until is not None and ev.until < (ev.effective or ev.on):
        raise DomainError("截止日期不能早于生效日期。", field="until")


def _check_rules(ctx: AppContext, ag: Agreement, inst: Institution, ev: EventInput) -> None:
    """The agreement rules an event must meet before anything is written."""
    if ev.kind != "guidance_extension" and ev.kind not in agreement_events(ag.status, ag.guidance_extensions):
        raise DomainError(
            f"协议当前为“{AgreementStatus(ag.status).label}”，不能办理“{EVENT_KINDS[ev.kind]}”。", field="kind"
        )
    if ev.kind in ("suspension", "termination") and ev.ground_code == "requested":
        # 《广东办法》第四十三条: a public institution may not ask; a private one asks 3 months ahead
        check_institution_request(inst.ownership, "suspend" if ev.kind == "suspension" else "terminate")
        check_request_lead(ev.on, ev.effective or ev.on, ctx.profile.exit_request_lead_months)
    if ev.kind == "guidance_extension":
        if ag.status != AgreementStatus.GUIDANCE:
            raise DomainError("协议不在政策辅导期内，不能延长辅导期。", field="kind")
        # 《14号文》（四）: a minor violation extends the guidance period once; another one means no renewal
        outcome = guidance_violation("minor", ag.guidance_extensions, False, ctx.profile.guidance_extension_months)
        if outcome.action != GuidanceAction.EXTEND:
            raise DomainError(f"政策辅导期已延长过，{outcome.reason}，不能再次延长。", field="kind")


def approve_event(ctx: AppContext, event_id: int, version: int | None = None) -> str:
    """A second reviewer approves a proposed suspension/termination: it takes effect with its ledger periods."""
    require(ctx, Permission.AGREEMENT_ACTION)
    with ctx.uow() as uow:
        row = uow.get(AgreementEvent, event_id, "协议事项不存在。", version)
        if row.state != "proposed":
            raise DomainError("该协议事项不是待审核状态。")
        check_not_maker(uow.actor, row.entered_by, "该协议事项")
        ag = uow.get(Agreement, row.agreement_id, "协议不存在。")
        row.state, row.approved_by = "done", uow.username
        summary = _apply(ctx, uow, ag, row)
        audit(uow, f"agreement.{row.kind}.approve", "agreement", ag.id, row.decision_no)
        uow.commit()
        return summary


def propose_termination(
    ctx: AppContext, agreement_id: int, ground_code: str, on: date, decision_no: str, detail: str = ""
) -> int:
    """Enter a termination proposal (180 days of suspension, a second suspension in the term); another reviewer
    approves it with approve_event. Returns the event id."""
    require(ctx, Permission.AGREEMENT_ACTION)
    if not decision_no.strip():
        raise DomainError("请填写决定文书号。", field="decision_no")
    check_not_after(on, ctx.today(), "事项日期", "on")
    with ctx.uow() as uow:
        ag = _load(uow, agreement_id, None)
        if ag.status == AgreementStatus.TERMINATED:
            raise DomainError("该协议已解除。")
        pending = uow.session.scalar(
            select(AgreementEvent.id).where(
                AgreementEvent.agreement_id == ag.id,
                AgreementEvent.kind == "termination",
                AgreementEvent.state == "proposed",
            )
        )
        if pending is not None:
            raise DomainError("该协议已有待审核的解除协议，请由另一位审核人员审核，不必再次录入。")
        eid = _proposal(uow, ag, ground_code, on, decision_no.strip(), detail)
        audit(uow, "agreement.termination.propose", "agreement", ag.id, ground_code)
        uow.commit()
        return eid


def _proposal(uow: UnitOfWork, ag: Agreement, ground_code: str, on: date, decision_no: str, detail: str) -> int:
    """A proposed termination naming the responsible persons of the agreement's suspensions."""
    s = uow.session
    persons = set(
        s.scalars(
            select(AgreementEventPerson.person_id)
            .join(AgreementEvent)
            .where(AgreementEvent.agreement_id == ag.id, AgreementEvent.kind == "suspension")
        )
    )
    row = AgreementEvent(
        agreement_id=ag.id,
        kind="termination",
        on=on,
        decision_no=decision_no,
        ground_code=ground_code,
        effective=on,
        detail=detail or ground_text("termination", ground_code),
        state="proposed",
        entered_by=uow.username,
    )
    s.add(row)
    s.flush()
    for pid in sorted(persons):
        s.add(AgreementEventPerson(event_id=row.id, person_id=pid))
    return row.id


def _apply(ctx: AppContext, uow: UnitOfWork, ag: Agreement, ev: AgreementEvent) -> str:
    """State changes of an event (《规程》第三十四条 linkage for responsible persons only)."""
    if ev.kind == "guidance_extension":
        ag.guidance_extensions += 1
        ag.guidance_end = guidance_end(
            ag.start, ctx.profile.guidance_months, ag.guidance_extensions, ctx.profile.guidance_extension_months
        )
        return f"政策辅导期延长至{format_cn_date(ag.guidance_end)}。"
    if ev.kind == "info_change" and ev.approval_on is not None:
        due = info_change_due(ctx.calendar, ev.approval_on, ctx.profile.info_change_working_days).due
        if ev.on > due:
            ev.detail = (ev.detail + "；" if ev.detail else "") + f"逾期办理（应于{format_cn_date(due)}前）"
            return (
                f"已记录。注意：应于批准之日起{ctx.profile.info_change_working_days}个工作日内"
                f"（{format_cn_date(due)}前）办理变更，已逾期，可作为解除协议情形（第四十二条）。"
            )
        return "已记录。"
    if ev.kind == "suspension":
        return _suspend(ctx, uow, ag, ev)
    if ev.kind == "resume":
        ended = _end_linked_periods(ctx, uow, ag, ev.on)
        ag.status = AgreementStatus.ACTIVE if ev.on <= ag.end else AgreementStatus.EXPIRED
        done = "协议已恢复" if ev.on <= ag.end else "协议期已届满，协议终止"
        return f"{done}，{ended}名责任人员的暂停期同步结束。"
    if ev.kind == "termination":
        ag.status = AgreementStatus.TERMINATED
        return f"协议已解除，{_link(ctx, uow, ev, Status.TERMINATED)}名责任人员同步终止。"
    if ev.kind == "renewal":
        ag.end = agreement_term_end(ag.end + timedelta(days=1), ag.agreement_type)
        if ag.status == AgreementStatus.EXPIRED:
            ag.status = AgreementStatus.ACTIVE
        return f"已续签，协议期限延至{format_cn_date(ag.end)}。"
    return "已记录。"


def _suspend(ctx: AppContext, uow: UnitOfWork, ag: Agreement, ev: AgreementEvent) -> str:
    """Suspend the agreement and its responsible persons; a second suspension in the term proposes termination."""
    s = uow.session
    dates = list(
        s.scalars(
            select(AgreementEvent.on).where(
                AgreementEvent.agreement_id == ag.id,
                AgreementEvent.kind == "suspension",
                AgreementEvent.state == "done",
            )
        )
    )
    ag.status = AgreementStatus.SUSPENDED
    note = f"协议已中止，{_link(ctx, uow, ev, Status.SUSPENDED)}名责任人员同步暂停。"
    if suspensions_force_termination(dates, ag.start, ag.end):
        _proposal(uow, ag, "suspended_twice", ev.on, ev.decision_no, "")
        note += "本协议期内已中止两次及以上，已生成解除协议的待审核事项（第四十二条（一））。"
    return note


def _link(ctx: AppContext, uow: UnitOfWork, ev: AgreementEvent, status: Status) -> int:
    """Put each responsible person into the ledger; persons not named stay active (《规程》第三十四条)."""
    s = uow.session
    start = ev.effective or ev.on
    if status == Status.SUSPENDED:
        end = ev.until or suspension_last_day(start, ctx.profile.request_suspension_max_days)
    else:
        end = ev.until or period_last_day_years(start, ctx.profile.ban_years_accumulated)
    n = 0
    for pid in s.scalars(select(AgreementEventPerson.person_id).where(AgreementEventPerson.event_id == ev.id)):
        add_period(
            s,
            get_row(s, Person, pid),
            status,
            start,
            end,
            PeriodSource.AGREEMENT,
            ev.decision_no,
            ctx.today(),
            ban_end=end if status == Status.TERMINATED else None,
            agreement_event_id=ev.id,
        )
        n += 1
    return n


def _end_linked_periods(ctx: AppContext, uow: UnitOfWork, ag: Agreement, resumed_on: date) -> int:
    """Resuming the agreement ends the open suspension periods its suspensions started (the day before)."""
    s = uow.session
    periods = list(
        s.scalars(
            select(StatusPeriod)
            .join(AgreementEvent, AgreementEvent.id == StatusPeriod.agreement_event_id)
            .where(
                AgreementEvent.agreement_id == ag.id,
                AgreementEvent.kind == "suspension",
                StatusPeriod.ended_on.is_(None),
                StatusPeriod.voided.is_(False),
            )
        )
    )
    for sp in periods:
        if resumed_on <= sp.start:
            sp.voided, sp.ended_on = True, sp.start  # resumed before it began: it never held
        else:
            sp.ended_on = resumed_on - timedelta(days=1)
    for pid in {sp.person_id for sp in periods}:
        derive_status(s, get_row(s, Person, pid), ctx.today())
    return len({sp.person_id for sp in periods})
