"""Use cases of appeals (陈述申辩/异议申诉, annex 5): file within the window, decide, re-apply linkage."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Appeal, Disposition, Institution, Person, ScoreEntry
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.domain.dispositions import appeal_result_due
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, check_not_maker, require
from yibao_desktop.domain.persons import NoticeState, check_not_after, check_not_before
from yibao_desktop.domain.scoring import Circumstance, changed_points, check_points

from . import notices
from .audit import audit
from .context import AppContext
from .labels import search_text
from .rows import AppealRow
from .scoring import ScoreInput, record_scores

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

APPEAL_STATES = {
    "received": "已受理",
    "explained": "已解释说明",
    "transferred": "已移交行政部门",
    "expert": "专家评审中",
    "decided": "已办结",
}
OUTCOMES = {"upheld": "维持原处理", "changed": "变更处理"}


def appeal_rows(ctx: AppContext, session: Session, person_id: int | None = None) -> list[AppealRow]:
    """Appeals (optionally of one person) with their result deadline."""
    stmt = (
        select(Appeal, Disposition.doc_no, Person.name, Person.id_number)
        .join(Disposition, Disposition.id == Appeal.disposition_id)
        .join(Person, Person.id == Disposition.person_id)
        .order_by(Appeal.received_on.desc())
    )
    if person_id is not None:
        stmt = stmt.where(Disposition.person_id == person_id)
    out = []
    for a, doc_no, name, idn in session.execute(stmt):
        due = appeal_result_due(ctx.calendar, ctx.profile, a.received_on, a.expert_days).due
        out.append(
            AppealRow(
                a.id,
                a.disposition_id,
                doc_no or "",
                name,
                idn,
                "相关人员" if a.filed_by == "person" else "定点医药机构",
                a.received_on,
                due,
                a.state,
                APPEAL_STATES.get(a.state, a.state),
                OUTCOMES.get(a.outcome, ""),
                a.decided_on,
                a.version,
                search_text(name, idn, doc_no),
            )
        )
    return out


def list_appeals(ctx: AppContext) -> list[AppealRow]:
    """Every appeal for the 申诉处理 tab."""
    with ctx.uow() as uow:
        return appeal_rows(ctx, uow.session)


def file_appeal(ctx: AppContext, disposition_id: int, filed_by: str, received_on: date, content: str) -> int:
    """Record an appeal; one filed after 10 working days from receipt of the notice is refused (no objection)."""
    require(ctx, Permission.APPEAL_FILE)
    if filed_by not in ("person", "institution"):
        raise DomainError("请选择申诉人（相关人员/定点医药机构）。", field="filed_by")
    if not content.strip():
        raise DomainError("请填写陈述申辩内容。", field="content")
    with ctx.uow() as uow:
        disp = uow.session.get(Disposition, disposition_id)
        if disp is None or disp.doc_no is None:
            raise DomainError("只能对已签发的处理通知书提出申诉。", field="disposition")
        if disp.state == NoticeState.VOIDED:
            raise DomainError("该通知书已作废。", field="disposition")
        receipt = disp.received_on or disp.delivered_on
        if receipt is None:
            raise DomainError("请先登记通知书送达/收到日期，再受理申诉。", field="received_on")
        check_not_before(receipt, received_on, "收到通知书日期", "申诉日期", "received_on")
        check_not_after(received_on, ctx.today(), "申诉日期", "received_on")
        last = ctx.calendar.deadline(receipt, ctx.profile.appeal_working_days).due
        if received_on > last:
            raise DomainError(
                f"申诉期限已于{format_cn_date(last)}届满（收到通知书后{ctx.profile.appeal_working_days}个工作日），"
                "逾期未提出视为无异议。",
                field="received_on",
            )
        appeal = Appeal(
            disposition_id=disp.id,
            filed_by=filed_by,
            received_on=received_on,
            content=content.strip(),
            entered_by=uow.username,
        )
        uow.session.add(appeal)
        uow.session.flush()
        audit(uow, "appeal.file", "appeal", appeal.id, disp.doc_no)
        uow.commit()
        return appeal.id


def advance_appeal(
    ctx: AppContext, appeal_id: int, state: str, expert_days: int = 0, version: int | None = None
) -> None:
    """Explain, transfer to the admin department, or send to expert review (expert days excluded)."""
    require(ctx, Permission.APPEAL_FILE)
    if state not in ("explained", "transferred", "expert"):
        raise DomainError("申诉环节不正确。")
    with ctx.uow() as uow:
        a = _load(uow, appeal_id, version)
        a.state = state
        a.transferred = a.transferred or state == "transferred"
        if state == "expert":
            if expert_days < 0:
                raise DomainError("专家评审天数不能为负数。", field="expert_days")
            a.expert_days = expert_days
        audit(uow, f"appeal.{state}", "appeal", a.id)
        uow.commit()


def _load(uow: UnitOfWork, appeal_id: int, version: int | None) -> Appeal:
    return uow.get(
        Appeal, appeal_id, "申诉记录不存在。", version, "该申诉已被其他经办人员修改，请刷新后重试（本次操作未保存）。"
    )


def decide_appeal(
    ctx: AppContext,
    appeal_id: int,
    outcome: str,
    reason: str,
    decided_on: date,
    new_points: dict[int, int] | None = None,
    version: int | None = None,
    new_total: int | None = None,
) -> int | None:
    """Close an appeal: upheld, or changed (new points → old notice voided, a new draft proposed, linkage redone).

    One transaction: every check (band of each changed point, maker–checker, dates) runs before anything is
    written, so a refusal or a killed process leaves the appeal undecided and the notice standing.
    The changed points come per entry (`new_points`) or as the notice's new total (`new_total`, as the 办结
    dialog asks it), spread over the entries by `domain/scoring.py: changed_points`.
    Returns the id of the new draft disposition when the outcome changed the points.
    """
    require(ctx, Permission.APPEAL_DECIDE)
    if outcome not in OUTCOMES:
        raise DomainError("请选择办理结果（维持/变更）。", field="outcome")
    if not reason.strip():
        raise DomainError("请填写办理理由。", field="outcome_reason")
    with ctx.uow() as uow:
        s = uow.session
        a = _load(uow, appeal_id, version)
        if a.state == "decided":
            raise DomainError("该申诉已办结。")
        check_not_maker(uow.actor, a.entered_by, "该申诉")
        check_not_before(a.received_on, decided_on, "申诉受理日期", "办结日期", "decided_on")
        check_not_after(decided_on, ctx.today(), "办结日期", "decided_on")
        disp = get_row(s, Disposition, a.disposition_id)
        check_not_maker(uow.actor, disp.created_by, "被申诉的处理意见")
        items = []
        if outcome == "changed":
            notices.check_voidable(uow, disp, reason)
            if new_total is not None:
                entries = s.scalars(
                    select(ScoreEntry).where(ScoreEntry.disposition_id == disp.id).order_by(ScoreEntry.id)
                )
                new_points = changed_points([(e.id, e.points) for e in entries], new_total)
            items = _changed_items(s, disp, new_points or {})
        a.outcome, a.outcome_reason, a.decided_on, a.state = outcome, reason.strip(), decided_on, "decided"
        audit(uow, "appeal.decide", "appeal", a.id, OUTCOMES[outcome])
        new_id = None
        if outcome == "changed":
            notices.void_in(ctx, uow, disp, f"申诉变更：{reason.strip()}")
            if items:
                new_id = record_scores(ctx, items, uow=uow)
                get_row(s, Disposition, new_id).supersedes_id = disp.id
        uow.commit()
        return new_id


def _changed_items(session: Session, disp: Disposition, new_points: dict[int, int]) -> list[ScoreInput]:
    """The entries of the new decision with the changed points, each checked against its band (0 drops it)."""
    person = get_row(session, Person, disp.person_id)
    entries = list(
        session.scalars(select(ScoreEntry).where(ScoreEntry.disposition_id == disp.id).order_by(ScoreEntry.id))
    )
    unknown = set(new_points) - {e.id for e in entries}
    if unknown:
        raise DomainError("变更的记分不属于被申诉的通知书。", field="new_points")
    items = []
    for e in entries:
        points = new_points.get(e.id, e.points)
        if points == 0:
            continue
        check_points(points, e.band, Circumstance(e.circumstance))
        code = get_row(session, Institution, e.institution_id).code
        items.append(
            ScoreInput(
                person.id_number,
                code,
                e.decision_kind,
                e.decision_no,
                e.decision_date,
                e.batch,
                e.violation_code,
                e.responsibility,
                e.circumstance,
                points,
                e.amount_fen,
                e.notes,
            )
        )
    return items
