"""Use cases of the 医保协议 tab: sign, list, record events (actions, suspension, termination, extension)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import (
    Agreement,
    AgreementEvent,
    AgreementEventPerson,
    Institution,
    Person,
)
from yibao_desktop.domain.agreements import (
    AGREEMENT_ACTIONS,
    agreement_term_end,
    guidance_end,
    suspensions_force_termination,
)
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementStatus, AgreementType
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.persons import Status, check_not_before

from .audit import audit
from .context import AppContext
from .labels import enum_label, search_text
from .notices import set_person_status
from .rows import AgreementRow

EVENT_KINDS = {
    "sign": "签订", "guidance_extension": "辅导期延长", "info_change": "重大信息变更", "renewal": "续签",
    "action": "协议处理", "suspension": "中止协议", "resume": "恢复协议", "termination": "解除协议",
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
    responsible_ids: list[int] = field(default_factory=list)


def list_agreements(ctx: AppContext) -> list[AgreementRow]:
    """Every agreement with its institution and number of suspensions in the term."""
    susp = (select(AgreementEvent.agreement_id, func.count().label("n"))
            .where(AgreementEvent.kind == "suspension").group_by(AgreementEvent.agreement_id)).subquery()
    stmt = (select(Agreement, Institution.name, Institution.code, Institution.name_initials, susp.c.n)
            .join(Institution).outerjoin(susp, susp.c.agreement_id == Agreement.id).order_by(Agreement.number))
    with ctx.uow() as uow:
        return [AgreementRow(
            a.id, a.number, a.institution_id, name, code, enum_label(AgreementType, a.agreement_type), a.start, a.end,
            a.status, enum_label(AgreementStatus, a.status), a.guidance_end, n or 0, a.version,
            search_text(a.number, name, code, ini)) for a, name, code, ini, n in uow.session.execute(stmt)]


def sign_agreement(ctx: AppContext, institution_id: int, number: str, agreement_type: str, start: date,
                   years: int | None = None, newly_designated: bool = True) -> int:
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
        ag = Agreement(institution_id=institution_id, number=number.strip(), agreement_type=agreement_type,
                       start=start, end=end, signed_on=start, guidance_end=g_end,
                       status=AgreementStatus.GUIDANCE if newly_designated else AgreementStatus.ACTIVE)
        s.add(ag)
        s.flush()
        s.add(AgreementEvent(agreement_id=ag.id, kind="sign", on=start, detail=f"协议期限至{format_cn_date(end)}"))
        audit(uow, "agreement.sign", "agreement", ag.id, number)
        uow.commit()
        return ag.id


def _load(uow, agreement_id: int, version: int | None) -> Agreement:
    return uow.get(Agreement, agreement_id, "协议不存在。", version,
                   "该协议已被其他经办人员修改，请刷新后重试（本次操作未保存）。")


def record_event(ctx: AppContext, agreement_id: int, ev: EventInput, version: int | None = None) -> str:
    """Record an event; suspension/termination change the agreement and link the responsible persons.

    Returns a Chinese summary of what changed (shown to the clerk).
    """
    require(ctx, Permission.AGREEMENT_ACTION)
    if ev.kind not in EVENT_KINDS:
        raise DomainError("事项类型不正确。", field="kind")
    if ev.kind == "action" and ev.action_code not in dict(AGREEMENT_ACTIONS):
        raise DomainError("请选择协议处理方式。", field="action_code")
    if ev.kind in ("action", "suspension", "termination") and not ev.decision_no.strip():
        raise DomainError("请填写决定文书号。", field="decision_no")
    with ctx.uow() as uow:
        s = uow.session
        ag = _load(uow, agreement_id, version)
        check_not_before(ag.start, ev.on, "协议开始日期", "事项日期", "on")
        row = AgreementEvent(agreement_id=ag.id, kind=ev.kind, on=ev.on, decision_no=ev.decision_no.strip(),
                             action_code=ev.action_code, ground_code=ev.ground_code, amount_fen=ev.amount_fen,
                             effective=ev.effective or ev.on, until=ev.until, assessment_score=ev.assessment_score,
                             department=ev.department, detail=ev.detail)
        s.add(row)
        s.flush()
        for pid in ev.responsible_ids:
            s.add(AgreementEventPerson(event_id=row.id, person_id=pid))
        summary = _apply(ctx, uow, ag, ev)
        audit(uow, f"agreement.{ev.kind}", "agreement", ag.id, ev.decision_no)
        uow.commit()
        return summary


def _apply(ctx: AppContext, uow, ag: Agreement, ev: EventInput) -> str:
    """State changes of an event (004 第三十四条 linkage for responsible persons only)."""
    s = uow.session
    if ev.kind == "guidance_extension":
        ag.guidance_extensions += 1
        ag.guidance_end = guidance_end(ag.start, ctx.profile.guidance_months, ag.guidance_extensions,
                                       ctx.profile.guidance_extension_months)
        return f"政策辅导期延长至{format_cn_date(ag.guidance_end)}。"
    if ev.kind == "suspension":
        dates = list(s.scalars(select(AgreementEvent.on).where(AgreementEvent.agreement_id == ag.id,
                                                               AgreementEvent.kind == "suspension")))
        ag.status = AgreementStatus.SUSPENDED
        linked = _link(uow, ev, Status.SUSPENDED)
        note = f"协议已中止，{linked}名责任人员同步暂停。"
        if suspensions_force_termination(dates, ag.start, ag.end):
            note += "注意：本协议期内已中止两次及以上，依规应解除协议。"
        return note
    if ev.kind == "resume":
        ag.status = AgreementStatus.ACTIVE if ev.on <= ag.end else AgreementStatus.EXPIRED
        return "协议已恢复。" if ev.on <= ag.end else "协议期已届满，协议终止。"
    if ev.kind == "termination":
        ag.status = AgreementStatus.TERMINATED
        return f"协议已解除，{_link(uow, ev, Status.TERMINATED)}名责任人员同步终止。"
    if ev.kind == "renewal":
        ag.end = agreement_term_end(ag.end + timedelta(days=1), ag.agreement_type)
        if ag.status == AgreementStatus.EXPIRED:
            ag.status = AgreementStatus.ACTIVE
        return f"已续签，协议期限延至{format_cn_date(ag.end)}。"
    return "已记录。"


def _link(uow, ev: EventInput, status: Status) -> int:
    """Set the responsible persons' status; persons not named stay active."""
    n = 0
    for pid in ev.responsible_ids:
        person = uow.session.get(Person, pid)
        if person is not None:
            set_person_status(uow, person, status, ev.effective or ev.on, ev.until,
                              ev.until if status == Status.TERMINATED else None)
            n += 1
    return n
