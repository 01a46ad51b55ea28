"""Use cases that follow a person's score record: score repair (annex 4), restoration (annex 6), copy reports
(annex 7) and commendations."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import (
    Commendation,
    CopyReport,
    Document,
    Person,
    Registration,
    Repair,
    Restoration,
    StatusPeriod,
)
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.domain.dispositions import (
    apply_repair,
    repair_ends_period,
    repair_points_for,
    restoration_decision_due,
    restoration_effective,
    restoration_window,
)
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, check_not_maker, require
from yibao_desktop.domain.persons import PeriodSource, Status, check_not_after, check_not_before

from .audit import audit
from .context import AppContext
from .documents import assign_doc_no
from .standing import derive_status, refresh_year_points, repaired_points, year_total

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork

COMMENDATION_TITLES = ("好医师", "好药师")


def apply_for_repair(
    ctx: AppContext,
    person_id: int,
    applied_on: date,
    activities: int,
    content: str,
    institution_opinion: str,
    disposition_id: int | None = None,
) -> int:
    """Record a repair application submitted through the institution."""
    require(ctx, Permission.REPAIR_APPLY)
    if activities < 1:
        raise DomainError("请填写参加的修复活动次数（至少1次）。", field="activities")
    if not institution_opinion.strip():
        raise DomainError("记分修复须经定点医药机构签署意见。", field="institution_opinion")
    check_not_after(applied_on, ctx.today(), "申请日期", "applied_on")
    with ctx.uow() as uow:
        get_row(uow.session, Person, person_id, "人员不存在。")
        rep = Repair(
            person_id=person_id,
            disposition_id=disposition_id,
            applied_on=applied_on,
            activities=activities,
            content=content,
            institution_opinion=institution_opinion,
            entered_by=uow.username,
        )
        uow.session.add(rep)
        uow.session.flush()
        audit(uow, "repair.apply", "repair", rep.id)
        uow.commit()
        return rep.id


def pending_repair(ctx: AppContext, person_id: int) -> tuple[int, str] | None:
    """(id, entered_by) of the person's repair application awaiting a decision, if any."""
    with ctx.uow() as uow:
        row = uow.session.execute(
            select(Repair.id, Repair.entered_by)
            .where(Repair.person_id == person_id, Repair.state == "received")
            .order_by(Repair.id.desc())
        ).first()
        return (row[0], row[1]) if row else None


def decide_repair(ctx: AppContext, repair_id: int, grant: bool, decided_on: date) -> int:
    """Grant (points per activity, yearly cap from the profile) or refuse; returns the points removed."""
    require(ctx, Permission.REPAIR_DECIDE)
    with ctx.uow() as uow:
        s = uow.session
        rep = uow.get(Repair, repair_id, "修复申请不存在。")
        if rep.state != "received":
            raise DomainError("该修复申请已审核。")
        check_not_maker(uow.actor, rep.entered_by, "该修复申请")
        check_not_before(rep.applied_on, decided_on, "申请日期", "审核日期", "decided_on")
        check_not_after(decided_on, ctx.today(), "审核日期", "decided_on")
        points = 0
        if grant:
            total = year_total(s, rep.person_id, decided_on.year)
            requested = repair_points_for(rep.activities, ctx.profile)
            points = apply_repair(total, requested, repaired_points(s, rep.person_id, decided_on.year), ctx.profile)
        rep.points_granted, rep.decided_on = points, decided_on
        rep.state = "granted" if points else "refused"
        s.flush()
        total = refresh_year_points(s, rep.person_id, decided_on.year, ctx.today().year)
        ended = _repair_shortens(ctx, uow, rep, total) if points else ""
        audit(uow, "repair.decide", "repair", rep.id, f"{points}{ended}")
        uow.commit()
        return points


def _repair_shortens(ctx: AppContext, uow: UnitOfWork, rep: Repair, total: int) -> str:
    """End the person's running score periods of the repair's year that the repaired total no longer reaches
    (domain/dispositions.py: repair_ends_period): in force through the day before the decision, active from the
    decision day; the repair decision takes its number (type repair) and the person's status is derived again."""
    s = uow.session
    on = rep.decided_on
    assert on is not None
    running = [
        sp
        for sp in s.scalars(
            select(StatusPeriod).where(
                StatusPeriod.person_id == rep.person_id,
                StatusPeriod.source == PeriodSource.SCORE,
                StatusPeriod.voided.is_(False),
                StatusPeriod.ended_on.is_(None),
                StatusPeriod.start >= date(on.year, 1, 1),
            )
        )
        if repair_ends_period(sp.status, total)
    ]
    if not running:
        return ""
    person = get_row(s, Person, rep.person_id)
    number = assign_doc_no(ctx, uow, "repair", on, person.name, "repairs", rep.id)
    for sp in running:
        sp.ended_on = on - timedelta(days=1)
    derive_status(s, person, ctx.today())
    return f"，{len(running)}个暂停/终止期至{(on - timedelta(days=1)).isoformat()}止（{number}）"


def file_restoration(ctx: AppContext, period_id: int, filed_on: date, institution_opinion: str) -> int:
    """Record a restoration application (may be filed from 15 working days before the period ends)."""
    require(ctx, Permission.RESTORATION_FILE)
    if not institution_opinion.strip():
        raise DomainError("资格恢复申请须经定点医药机构审核同意。", field="institution_opinion")
    with ctx.uow() as uow:
        s = uow.session
        sp = uow.get(StatusPeriod, period_id, "暂停/终止记录不存在。")
        if sp.voided or sp.ended_on is not None:
            raise DomainError("该暂停/终止期已结束，无需申请恢复。")
        check_not_after(filed_on, ctx.today(), "申请日期", "filed_on")
        if s.scalar(select(Restoration.id).where(Restoration.status_period_id == sp.id, Restoration.decision == "")):
            raise DomainError("该暂停/终止期已有待决定的资格恢复申请。")
        earliest, _ = restoration_window(ctx.calendar, ctx.profile, sp.end)
        if filed_on < earliest:
            raise DomainError(
                f"资格恢复申请最早可于{format_cn_date(earliest)}提出（期满前"
                f"{ctx.profile.restoration_lead_working_days}个工作日）。",
                field="filed_on",
            )
        r = Restoration(
            person_id=sp.person_id,
            status_period_id=sp.id,
            filed_on=filed_on,
            institution_opinion=institution_opinion,
            entered_by=uow.username,
        )
        s.add(r)
        s.flush()
        audit(uow, "restoration.file", "restoration", r.id)
        uow.commit()
        return r.id


def restoration_due(ctx: AppContext, filed_on: date) -> date:
    """Day by which the office must decide a restoration application."""
    return restoration_decision_due(ctx.calendar, ctx.profile, filed_on).due


def pending_restoration(ctx: AppContext, person_id: int) -> tuple[int, str, date] | None:
    """(id, entered_by, filed_on) of the person's restoration application awaiting a decision, if any."""
    with ctx.uow() as uow:
        row = uow.session.execute(
            select(Restoration.id, Restoration.entered_by, Restoration.filed_on)
            .where(Restoration.person_id == person_id, Restoration.decision == "")
            .order_by(Restoration.id.desc())
        ).first()
        return (row[0], row[1], row[2]) if row else None


def decide_restoration(ctx: AppContext, restoration_id: int, passed: bool, decided_on: date) -> date | None:
    """Decide a restoration (《规程》第三十九条); returns the day the person is active again when passed.

    The period printed on the notice stands: a pass decided before it ends takes effect the day after it ends
    (shortening a period is a repair, 第三十八条). After a termination the old registrations close on that day
    and the person must commit and register anew.
    """
    require(ctx, Permission.RESTORATION_DECIDE)
    with ctx.uow() as uow:
        s = uow.session
        r = uow.get(Restoration, restoration_id, "恢复申请不存在。")
        if r.decision:
            raise DomainError("该恢复申请已作出决定。")
        check_not_maker(uow.actor, r.entered_by, "该恢复申请")
        check_not_before(r.filed_on, decided_on, "申请日期", "决定日期", "decided_on")
        check_not_after(decided_on, ctx.today(), "决定日期", "decided_on")
        sp = get_row(s, StatusPeriod, r.status_period_id)
        if sp.voided or sp.ended_on is not None:
            raise DomainError("该暂停/终止期已结束，无需恢复。")
        r.decision, r.decided_on = ("passed" if passed else "failed"), decided_on
        effect = None
        if passed:
            effect = restoration_effective(sp.end, decided_on)
            sp.ended_on = effect - timedelta(days=1)
            if sp.status == Status.TERMINATED:
                for reg in s.scalars(
                    select(Registration).where(
                        Registration.person_id == r.person_id, Registration.cancelled_on.is_(None)
                    )
                ):
                    reg.cancelled_on, reg.cancel_reason = effect, "资格终止后恢复，须重新承诺并登记备案"
            derive_status(s, get_row(s, Person, r.person_id), ctx.today())
        audit(uow, "restoration.decide", "restoration", r.id, "通过评估，恢复资格" if passed else "未通过评估")
        uow.commit()
        return effect


def add_commendation(ctx: AppContext, person_id: int, year: int, title: str, note: str = "") -> None:
    """Record a 好医师/好药师 commendation (once per person, year and title)."""
    require(ctx, Permission.COMMENDATION)
    if title not in COMMENDATION_TITLES:
        raise DomainError("请选择表彰类型（好医师/好药师）。", field="title")
    with ctx.uow() as uow:
        dup = uow.session.scalar(
            select(Commendation.id).where(
                Commendation.person_id == person_id, Commendation.year == year, Commendation.title == title
            )
        )
        if dup:
            raise DomainError(f"该人员{year}年度已记录“{title}”。", field="title")
        uow.session.add(Commendation(person_id=person_id, year=year, title=title, note=note))
        audit(uow, "commendation.add", "person", person_id, f"{year}{title}")
        uow.commit()


def create_copy_report(ctx: AppContext, person_id: int, recipients: str, on: date) -> str:
    """Issue a 记分情况抄告书 (annex 7) in one transaction: the findings from the year's scores, the number, the
    rendered PDF and its hash; the file is archived after the commit (a lost file is rendered again on reprint)."""
    require(ctx, Permission.ISSUE)
    if not recipients.strip():
        raise DomainError("请填写抄告单位（卫生健康主管部门、药品监管部门）。", field="recipients")
    check_not_after(on, ctx.today(), "抄告日期", "on")
    from . import printing_annexes as annexes

    with ctx.uow() as uow:
        s = uow.session
        person = uow.get(Person, person_id, "人员不存在。")
        findings = annexes.findings_of(s, person, on)
        annexes.render_copy_report(ctx, s, person, recipients, findings, on, None)  # unprintable → refused now
        rep = CopyReport(person_id=person_id, recipients=recipients, findings=findings, on=on)
        s.add(rep)
        s.flush()
        rep.doc_no = assign_doc_no(ctx, uow, "copy_report", on, person.name, "copy_reports", rep.id)
        pdf = annexes.render_copy_report(ctx, s, person, recipients, findings, on, rep.doc_no)
        s.flush()
        s.scalars(select(Document).where(Document.doc_no == rep.doc_no)).one().file_hash = hashlib.sha256(
            pdf
        ).hexdigest()
        audit(uow, "copy_report.create", "copy_report", rep.id, rep.doc_no)
        uow.commit()
        doc_no = rep.doc_no
    annexes.archive_copy_report(ctx, doc_no, on.year, pdf)
    return doc_no
