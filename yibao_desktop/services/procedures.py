"""Use cases of score repair (annex 4), restoration (annex 6), copy reports (annex 7) and commendations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import (
    Commendation,
    CopyReport,
    Person,
    Registration,
    Repair,
    Restoration,
    StatusPeriod,
)
from yibao_desktop.domain.dispositions import apply_repair, restoration_decision_due, restoration_window
from yibao_desktop.domain.errors import DomainError, NotFound
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, check_not_maker, require
from yibao_desktop.domain.persons import Status, check_not_before

from .audit import audit
from .context import AppContext
from .documents import assign_doc_no
from .notices import set_person_status

COMMENDATION_TITLES = ("好医师", "好药师")


def repaired_points(session, person_id: int, year: int) -> int:
    """Points removed by granted repairs decided in the year."""
    return session.scalar(select(func.coalesce(func.sum(Repair.points_granted), 0)).where(
        Repair.person_id == person_id, Repair.state == "granted",
        Repair.decided_on >= date(year, 1, 1), Repair.decided_on <= date(year, 12, 31))) or 0


def repairs_by_person(session, year: int) -> dict[int, int]:
    """Points removed by granted repairs decided in the year, per person."""
    return {pid: int(n or 0) for pid, n in session.execute(
        select(Repair.person_id, func.sum(Repair.points_granted)).where(
            Repair.state == "granted", Repair.decided_on >= date(year, 1, 1),
            Repair.decided_on <= date(year, 12, 31)).group_by(Repair.person_id))}


def apply_for_repair(ctx: AppContext, person_id: int, applied_on: date, activities: int, content: str,
                     institution_opinion: str, disposition_id: int | None = None) -> int:
    """Record a repair application submitted through the institution."""
    require(ctx, Permission.REPAIR_APPLY)
    if activities < 1:
        raise DomainError("请填写参加的修复活动次数（至少1次）。", field="activities")
    if not institution_opinion.strip():
        raise DomainError("记分修复须经定点医药机构签署意见。", field="institution_opinion")
    with ctx.uow() as uow:
        if uow.session.get(Person, person_id) is None:
            raise NotFound("人员不存在。")
        rep = Repair(person_id=person_id, disposition_id=disposition_id, applied_on=applied_on,
                     activities=activities, content=content, institution_opinion=institution_opinion,
                     entered_by=uow.username)
        uow.session.add(rep)
        uow.session.flush()
        audit(uow, "repair.apply", "repair", rep.id)
        uow.commit()
        return rep.id


def decide_repair(ctx: AppContext, repair_id: int, grant: bool, decided_on: date) -> int:
    """Grant (points per activity, yearly cap from the profile) or refuse; returns the points removed."""
    require(ctx, Permission.REPAIR_DECIDE)
    from .scoring import refresh_year_points, year_total

    with ctx.uow() as uow:
        s = uow.session
        rep = uow.get(Repair, repair_id, "修复申请不存在。")
        check_not_maker(uow.actor, rep.entered_by, "该修复申请")
        check_not_before(rep.applied_on, decided_on, "申请日期", "审核日期", "decided_on")
        points = 0
        if grant:
            total = year_total(s, rep.person_id, decided_on.year)
            requested = rep.activities * ctx.profile.repair_points_per_activity
            points = apply_repair(total, requested, repaired_points(s, rep.person_id, decided_on.year), ctx.profile)
        rep.points_granted, rep.decided_on = points, decided_on
        rep.state = "granted" if points else "refused"
        s.flush()
        refresh_year_points(s, rep.person_id, decided_on.year, ctx.today().year)
        audit(uow, "repair.decide", "repair", rep.id, str(points))
        uow.commit()
        return points


def file_restoration(ctx: AppContext, period_id: int, filed_on: date, institution_opinion: str) -> int:
    """Record a restoration application (may be filed from 15 working days before the period ends)."""
    require(ctx, Permission.RESTORATION_FILE)
    with ctx.uow() as uow:
        sp = uow.get(StatusPeriod, period_id, "暂停/终止记录不存在。")
        earliest, _ = restoration_window(ctx.calendar, ctx.profile, sp.end)
        if filed_on < earliest:
            raise DomainError(f"资格恢复申请最早可于{format_cn_date(earliest)}提出（期满前"
                              f"{ctx.profile.restoration_lead_working_days}个工作日）。", field="filed_on")
        r = Restoration(person_id=sp.person_id, status_period_id=sp.id, filed_on=filed_on,
                        institution_opinion=institution_opinion, entered_by=uow.username)
        uow.session.add(r)
        uow.session.flush()
        audit(uow, "restoration.file", "restoration", r.id)
        uow.commit()
        return r.id


def restoration_due(ctx: AppContext, filed_on: date) -> date:
    """Day by which the office must decide a restoration application."""
    return restoration_decision_due(ctx.calendar, ctx.profile, filed_on).due


def decide_restoration(ctx: AppContext, restoration_id: int, passed: bool, decided_on: date) -> None:
    """Passed: suspension → active again; termination → person free to re-register (old registrations closed)."""
    require(ctx, Permission.RESTORATION_DECIDE)
    with ctx.uow() as uow:
        s = uow.session
        r = uow.get(Restoration, restoration_id, "恢复申请不存在。")
        check_not_maker(uow.actor, r.entered_by, "该恢复申请")
        check_not_before(r.filed_on, decided_on, "申请日期", "决定日期", "decided_on")
        sp = s.get(StatusPeriod, r.status_period_id)
        if passed and decided_on <= sp.end and sp.status == Status.TERMINATED:
            raise DomainError(f"终止期至{format_cn_date(sp.end)}止，期满后方可恢复。", field="decided_on")
        r.decision, r.decided_on = ("passed" if passed else "failed"), decided_on
        if passed:
            person = s.get(Person, r.person_id)
            sp.ended_on = max(decided_on, sp.start)
            if sp.status == Status.TERMINATED:
                for reg in s.scalars(select(Registration).where(Registration.person_id == person.id,
                                                                Registration.cancelled_on.is_(None))):
                    reg.cancelled_on, reg.cancel_reason = decided_on, "资格终止后恢复，须重新承诺并登记备案"
                person.status, person.status_start, person.status_end = Status.ACTIVE, None, None
            else:
                set_person_status(uow, person, Status.ACTIVE, None, None, person.ban_end)
        audit(uow, "restoration.decide", "restoration", r.id, r.decision)
        uow.commit()


def add_commendation(ctx: AppContext, person_id: int, year: int, title: str, note: str = "") -> None:
    """Record a 好医师/好药师 commendation (once per person, year and title)."""
    require(ctx, Permission.COMMENDATION)
    if title not in COMMENDATION_TITLES:
        raise DomainError("请选择表彰类型（好医师/好药师）。", field="title")
    with ctx.uow() as uow:
        dup = uow.session.scalar(select(Commendation.id).where(
            Commendation.person_id == person_id, Commendation.year == year, Commendation.title == title))
        if dup:
            raise DomainError(f"该人员{year}年度已记录“{title}”。", field="title")
        uow.session.add(Commendation(person_id=person_id, year=year, title=title, note=note))
        audit(uow, "commendation.add", "person", person_id, f"{year}{title}")
        uow.commit()


def create_copy_report(ctx: AppContext, person_id: int, recipients: str, findings: str, on: date) -> str:
    """Issue a 记分情况抄告书 with the next number."""
    require(ctx, Permission.ISSUE)
    if not recipients.strip():
        raise DomainError("请填写抄告单位（卫生健康主管部门、药品监管部门）。", field="recipients")
    with ctx.uow() as uow:
        person = uow.session.get(Person, person_id)
        if person is None:
            raise NotFound("人员不存在。")
        rep = CopyReport(person_id=person_id, recipients=recipients, findings=findings, on=on)
        uow.session.add(rep)
        uow.session.flush()
        rep.doc_no = assign_doc_no(ctx, uow, "copy_report", on, person.name, "copy_reports", rep.id)
        audit(uow, "copy_report.create", "copy_report", rep.id, rep.doc_no)
        uow.commit()
        return rep.doc_no
