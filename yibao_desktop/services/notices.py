"""Use cases of the disposition notice (annex 3): approve, issue with a number, deliver, receive, void."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import Disposition, Person, ScoreEntry, StatusPeriod
from yibao_desktop.domain.dispositions import DispositionKind, status_period
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, check_not_maker, require
from yibao_desktop.domain.persons import NoticeState, PeriodSource, Status, check_not_after, check_not_before

from .audit import audit
from .context import AppContext
from .documents import assign_doc_no, void_document
from .standing import add_period, derive_status, refresh_year_points

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork


def _load(uow: UnitOfWork, disposition_id: int, version: int | None) -> Disposition:
    return uow.get(
        Disposition,
        disposition_id,
        "处理通知不存在。",
        version,
        "该处理通知已被其他经办人员修改，请刷新后重试（本次操作未保存）。",
    )


def approve(ctx: AppContext, disposition_id: int, version: int | None = None) -> None:
    """Reviewer approves a draft (maker–checker: not the user who entered it, unless the administrator switched
    review off — then the notice names the issuer as approver)."""
    require(ctx, Permission.APPROVE)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        if disp.state != NoticeState.DRAFT:
            raise DomainError(f"当前状态为“{NoticeState(disp.state).label}”，不能审核。")
        if ctx.settings.review_required:
            check_not_maker(uow.actor, disp.created_by, "该处理意见")
        disp.state, disp.approved_by = NoticeState.APPROVED, uow.username
        audit(uow, "notice.approve", "disposition", disp.id)
        uow.commit()


def latest_counted_decision(session: Session, disp: Disposition) -> date:
    """The latest decision date among the entries a disposition's yearly total counts (entries recorded with or
    before it in its year): its notice cannot be dated earlier."""
    last_id = session.scalar(select(func.max(ScoreEntry.id)).where(ScoreEntry.disposition_id == disp.id))
    if last_id is None:
        return disp.decision_date
    year = disp.decision_date.year
    latest = session.scalar(
        select(func.max(ScoreEntry.decision_date)).where(
            ScoreEntry.person_id == disp.person_id,
            ScoreEntry.id <= last_id,
            ScoreEntry.state == "active",
            ScoreEntry.decision_date >= date(year, 1, 1),
            ScoreEntry.decision_date <= date(year, 12, 31),
        )
    )
    return max(disp.decision_date, latest or disp.decision_date)


def issue(
    ctx: AppContext, disposition_id: int, issued_on: date, effective: date | None = None, version: int | None = None
) -> str:
    """Issue the notice: next document number, and for suspension/termination the status period and linkage;
    refused (IncompleteDocument naming the fields) when the notice would print with an empty required blank."""
    require(ctx, Permission.ISSUE)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        if disp.state == NoticeState.DRAFT and not ctx.settings.review_required:
            disp.state, disp.approved_by = NoticeState.APPROVED, uow.username  # review off: issuer approves
        elif ctx.settings.review_required:
            check_not_maker(uow.actor, disp.created_by, "该处理意见")
        if disp.state != NoticeState.APPROVED:
            raise DomainError("处理意见须经审核后才能签发通知书。")
        check_not_after(issued_on, ctx.today(), "签发日期", "issued_on")
        latest = latest_counted_decision(uow.session, disp)
        if issued_on < latest:
            raise DomainError(
                f"签发日期（{format_cn_date(issued_on)}）不能早于本通知计入的最晚一项记分决定日期"
                f"（{format_cn_date(latest)}）。",
                field="issued_on",
            )
        effective = effective or issued_on
        check_not_before(issued_on, effective, "签发日期", "生效日期", "effective")
        person = uow.session.get(Person, disp.person_id)
        disp.doc_no = assign_doc_no(ctx, uow, "score_notice", issued_on, person.name, "dispositions", disp.id)
        disp.issued_on, disp.state = issued_on, NoticeState.ISSUED
        if disp.kind in (DispositionKind.SUSPENSION, DispositionKind.TERMINATION):
            _start_period(ctx, uow, disp, person, effective)
        from .printing import check_notice_complete  # local: reportlab loads only when a paper is made

        check_notice_complete(uow.session, disp)  # an empty required blank: nothing written, no number used
        audit(uow, "notice.issue", "disposition", disp.id, disp.doc_no)
        uow.commit()
        return disp.doc_no


def _start_period(ctx: AppContext, uow: UnitOfWork, disp: Disposition, person: Person, effective: date) -> None:
    """The notice's period in the ledger; the person and every registration follow it (linkage, 《规程》第三十四条)."""
    start, end = status_period(DispositionKind(disp.kind), effective, disp.months, disp.years)
    status = Status.SUSPENDED if disp.kind == DispositionKind.SUSPENSION else Status.TERMINATED
    disp.effective, disp.period_end = start, end
    disp.ban_end = end if status == Status.TERMINATED else None
    source = PeriodSource.APPEAL if disp.supersedes_id else PeriodSource.SCORE
    add_period(
        uow.session,
        person,
        status,
        start,
        end,
        source,
        disp.doc_no,
        ctx.today(),
        ban_end=disp.ban_end,
        disposition_id=disp.id,
    )


def record_delivery(ctx: AppContext, disposition_id: int, delivered_on: date, version: int | None = None) -> None:
    """The notice reached the institution (due within 3 working days of issue)."""
    require(ctx, Permission.DELIVERY)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        if disp.state != NoticeState.ISSUED:
            raise DomainError("只有已签发的通知书才能登记送达。")
        check_not_before(disp.issued_on, delivered_on, "签发日期", "送达日期", "delivered_on")
        check_not_after(delivered_on, ctx.today(), "送达日期", "delivered_on")
        disp.delivered_on, disp.state = delivered_on, NoticeState.DELIVERED
        disp.received_on = disp.received_on or delivered_on
        audit(uow, "notice.deliver", "disposition", disp.id, delivered_on.isoformat())
        uow.commit()


def record_receipt(ctx: AppContext, disposition_id: int, received_on: date, version: int | None = None) -> None:
    """The person's receipt date: the 10-working-day appeal window runs from it."""
    require(ctx, Permission.DELIVERY)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        if disp.issued_on is None:
            raise DomainError("通知书尚未签发。")
        check_not_before(disp.issued_on, received_on, "签发日期", "收到日期", "received_on")
        check_not_after(received_on, ctx.today(), "收到日期", "received_on")
        disp.received_on = received_on
        audit(uow, "notice.receipt", "disposition", disp.id, received_on.isoformat())
        uow.commit()


def void(ctx: AppContext, disposition_id: int, reason: str, version: int | None = None) -> None:
    """Void a notice: the number stays visible as voided, entries stop counting, linkage is undone."""
    require(ctx, Permission.VOID)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        void_in(ctx, uow, disp, reason)
        uow.commit()


def check_voidable(uow: UnitOfWork, disp: Disposition, reason: str) -> None:
    """Everything that must hold before a notice is voided (nothing written)."""
    if not reason.strip():
        raise DomainError("请填写作废原因。", field="reason")
    if disp.state == NoticeState.VOIDED:
        raise DomainError("该通知已作废。")
    check_not_maker(uow.actor, disp.created_by, "该处理意见")


def void_in(ctx: AppContext, uow: UnitOfWork, disp: Disposition, reason: str) -> None:
    """Void inside the caller's unit of work (an appeal decision composes it); the caller commits."""
    check_voidable(uow, disp, reason)
    s = uow.session
    if disp.doc_no:
        void_document(uow, disp.doc_no, reason)
    _void_entries(uow, disp)
    for p in s.scalars(select(StatusPeriod).where(StatusPeriod.disposition_id == disp.id)):
        p.voided, p.ended_on = True, p.start
    person = s.get(Person, disp.person_id)
    derive_status(s, person, ctx.today())
    refresh_year_points(s, person.id, disp.decision_date.year, ctx.today().year)
    audit(uow, "notice.void", "disposition", disp.id, reason)


def _void_entries(uow: UnitOfWork, disp: Disposition) -> None:
    """The disposition no longer stands: its score entries stop counting."""
    disp.state = NoticeState.VOIDED
    for e in uow.session.scalars(select(ScoreEntry).where(ScoreEntry.disposition_id == disp.id)):
        e.state = "voided"


def withdraw_draft(ctx: AppContext, disposition_id: int, version: int | None = None) -> None:
    """撤回: the clerk who entered a not-yet-reviewed opinion takes it back (no number, no period: nothing left
    outside the office); its points stop counting, the record stays in the dossier as withdrawn."""
    require(ctx, Permission.SCORE_RECORD)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        if disp.state != NoticeState.DRAFT:
            raise DomainError("只有待审核的处理意见可以撤回；已审核或已签发的请由审核人员作废。")
        if disp.created_by and disp.created_by != uow.username:
            raise DomainError(f"该处理意见由{disp.created_by}录入，只能由录入人撤回。")
        _void_entries(uow, disp)
        uow.session.flush()
        refresh_year_points(uow.session, disp.person_id, disp.decision_date.year, ctx.today().year)
        audit(uow, "notice.withdraw_draft", "disposition", disp.id)
        uow.commit()


def withdraw_approval(ctx: AppContext, disposition_id: int, version: int | None = None) -> None:
    """撤回审核: an approved notice not yet issued (no number yet) goes back to 待审核."""
    require(ctx, Permission.APPROVE)
    with ctx.uow() as uow:
        disp = _load(uow, disposition_id, version)
        if disp.state != NoticeState.APPROVED:
            raise DomainError("只有已审核、尚未签发的通知书可以撤回审核。")
        disp.state, disp.approved_by = NoticeState.DRAFT, ""
        audit(uow, "notice.withdraw_approval", "disposition", disp.id)
        uow.commit()
