"""Annexes 4–7 filled from the database: repair, appeal and restoration applications, the numbered copy report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import (
    Appeal,
    CopyReport,
    Disposition,
    Institution,
    Person,
    Registration,
    Repair,
    Restoration,
    StatusPeriod,
)
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.adapters.pdf import (
    render_form,
)
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import NoticeState

from .archive import archive_path, archived, register_entry, store
from .context import AppContext
from .printing import (
    _entries,
    _person_codes,
    _unique,
    fonts_for,
    office_data,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# -- annexes 4–7: the application forms and the copy report -------------------------------------------------------

# Office decisions as printed in the 医疗保障经办机构意见 box of each application form.
_REPAIR_DECISION = {"granted": "同意修复，修复记分{points}分。", "refused": "不予修复。"}
_RESTORATION_DECISION = {"passed": "同意恢复医保支付资格。", "failed": "不予恢复医保支付资格。"}
COPY_REPORT_RECIPIENTS = "卫生健康主管部门、药品监管部门"


def _render(ctx: AppContext, form_id: str, data: dict) -> bytes:
    return render_form(form_id, data, fonts_for(ctx), office=office_data(ctx))


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _registered_sites(session: Session, person_id: int) -> list[int]:
    """Institutions of the person's open registrations (all of them when every registration is cancelled)."""
    regs = list(
        session.scalars(
            select(Registration)
            .where(Registration.person_id == person_id)
            .order_by(Registration.cancelled_on.is_not(None), Registration.id)
        )
    )
    return _unique([r.institution_id for r in regs if r.cancelled_on is None] or [r.institution_id for r in regs])


def _person_block(session: Session, person_id: int, disposition_id: int | None) -> dict:
    """Institution, notice number and person fields of annexes 4–6: the institutions where the notice's behaviour
    happened, else those the person is registered at (the institution signs the application)."""
    person = get_row(session, Person, person_id)
    disp = session.get(Disposition, disposition_id) if disposition_id else None
    inst_ids = _unique(e.institution_id for e in _entries(session, disp.id)) if disp else []
    inst_ids = inst_ids or _registered_sites(session, person_id)
    names = {i.id: i.name for i in session.scalars(select(Institution).where(Institution.id.in_(inst_ids)))}
    return {
        "institution_name": "、".join(names[i] for i in inst_ids if i in names),
        "notice_no": (disp.doc_no or "") if disp else "",
        "name": person.name,
        "id_number": person.id_number,
        "person_code": "、".join(_person_codes(session, person_id, inst_ids)),
        "phone": person.phone,
    }


def _latest_notice_id(session: Session, person_id: int, on) -> int | None:
    """The person's latest issued, not voided notice up to a day (for a repair recorded without naming one)."""
    return session.scalar(
        select(Disposition.id)
        .where(
            Disposition.person_id == person_id,
            Disposition.doc_no.is_not(None),
            Disposition.issued_on <= on,
            Disposition.state != NoticeState.VOIDED,
        )
        .order_by(Disposition.issued_on.desc(), Disposition.id.desc())
        .limit(1)
    )


def repair_form_data(ctx: AppContext, repair_id: int) -> dict:
    """Annex 4 data of a repair application: person, notice, activities, institution and office opinions."""
    with ctx.uow() as uow:
        s = uow.session
        rep = uow.get(Repair, repair_id, "修复申请不存在。")
        disp_id = rep.disposition_id or _latest_notice_id(s, rep.person_id, rep.applied_on)
        decided = rep.decided_on is not None and rep.state in _REPAIR_DECISION
        return {
            **_person_block(s, rep.person_id, disp_id),
            "content": [
                *_paragraphs(rep.content),
                f"本人已参加记分修复活动{rep.activities}次，申请修复记分。",
            ],
            "apply_date": rep.applied_on,
            "institution_opinion": _paragraphs(rep.institution_opinion),
            "institution_date": rep.applied_on if rep.institution_opinion.strip() else None,
            "office_opinion": _REPAIR_DECISION[rep.state].format(points=rep.points_granted) if decided else "",
            "office_date": rep.decided_on if decided else None,
        }


def repair_form_pdf(ctx: AppContext, repair_id: int) -> bytes:
    """Annex 4 (记分修复申请书) filled from a repair application; not numbered, rendered fresh each time."""
    return _render(ctx, "annex4", repair_form_data(ctx, repair_id))


def appeal_form_data(ctx: AppContext, appeal_id: int) -> dict:
    """Annex 5 data of an appeal: person, notice, content, and the outcome with its reason once decided."""
    from .appeals import OUTCOMES

    with ctx.uow() as uow:
        s = uow.session
        a = uow.get(Appeal, appeal_id, "申诉记录不存在。")
        disp = uow.get(Disposition, a.disposition_id, "处理通知不存在。")
        decided = a.decided_on is not None and a.outcome in OUTCOMES
        by_site = a.filed_by == "institution"  # only then is the institution's own opinion on record
        return {
            **_person_block(s, disp.person_id, disp.id),
            "content": _paragraphs(a.content),
            "apply_date": a.received_on,
            "institution_opinion": "本机构对处理通知书提出陈述申辩，理由如上。" if by_site else "",
            "institution_date": a.received_on if by_site else None,
            "office_opinion": [f"{OUTCOMES[a.outcome]}。", *_paragraphs(a.outcome_reason)] if decided else "",
            "office_date": a.decided_on if decided else None,
        }


def appeal_form_pdf(ctx: AppContext, appeal_id: int) -> bytes:
    """Annex 5 (陈述申辩书) filled from an appeal; not numbered, rendered fresh each time."""
    return _render(ctx, "annex5", appeal_form_data(ctx, appeal_id))


def _period_block(session: Session, sp: StatusPeriod) -> dict:
    """Annex 6 fields of a suspension/termination: person, violations, decision and notice numbers, the period."""
    entries = _entries(session, sp.disposition_id) if sp.disposition_id else []
    disp = session.get(Disposition, sp.disposition_id) if sp.disposition_id else None
    return {
        **_person_block(session, sp.person_id, sp.disposition_id),
        "violation": _unique(e.violation_name for e in entries),
        "notice_no": _unique([*(e.decision_no for e in entries), disp.doc_no if disp else None]),
        "period_start": sp.start,
        "period_end": sp.end,
    }


def restoration_form_data(ctx: AppContext, restoration_id: int) -> dict:
    """Annex 6 data of a restoration application: the period's facts, the institution opinion, the decision."""
    with ctx.uow() as uow:
        s = uow.session
        r = uow.get(Restoration, restoration_id, "恢复申请不存在。")
        decided = r.decided_on is not None and r.decision in _RESTORATION_DECISION
        return {
            **_period_block(s, uow.get(StatusPeriod, r.status_period_id, "暂停/终止记录不存在。")),
            "apply_date": r.filed_on,
            "institution_opinion": _paragraphs(r.institution_opinion),
            "institution_date": r.filed_on if r.institution_opinion.strip() else None,
            "office_opinion": _RESTORATION_DECISION[r.decision] if decided else "",
            "office_date": r.decided_on if decided else None,
        }


def restoration_form_pdf(ctx: AppContext, restoration_id: int) -> bytes:
    """Annex 6 (医保支付资格恢复申请书) filled from a restoration application; not numbered, rendered fresh."""
    return _render(ctx, "annex6", restoration_form_data(ctx, restoration_id))


def restoration_form_pdf_for_period(ctx: AppContext, period_id: int) -> bytes:
    """Annex 6 prefilled from a suspension/termination before any application exists (opinions left blank)."""
    with ctx.uow() as uow:
        data = _period_block(uow.session, uow.get(StatusPeriod, period_id, "暂停/终止记录不存在。"))
    return _render(ctx, "annex6", data)


def latest_repair_id(ctx: AppContext, person_id: int) -> int | None:
    """The person's latest repair application (None when there is none)."""
    with ctx.uow() as uow:
        return uow.session.scalar(
            select(Repair.id)
            .where(Repair.person_id == person_id)
            .order_by(Repair.applied_on.desc(), Repair.id.desc())
            .limit(1)
        )


def restoration_form_source(ctx: AppContext, person_id: int) -> tuple[str, int] | None:
    """What the person's annex 6 prints: ("restoration", id) of the running period's pending or passed application,
    ("period", id) of a running period still to apply for (or refused once), else the latest application, else None."""
    with ctx.uow() as uow:
        s = uow.session
        latest = (
            select(Restoration)
            .where(Restoration.person_id == person_id)
            .order_by(Restoration.filed_on.desc(), Restoration.id.desc())
            .limit(1)
        )
        running = s.scalar(
            select(StatusPeriod.id)
            .where(StatusPeriod.person_id == person_id, StatusPeriod.ended_on.is_(None))
            .order_by(StatusPeriod.start.desc(), StatusPeriod.id.desc())
            .limit(1)
        )
        if running is not None:
            r = s.scalar(latest.where(Restoration.status_period_id == running))
            return ("restoration", r.id) if r is not None and r.decision != "failed" else ("period", running)
        r = s.scalar(latest)
        return ("restoration", r.id) if r is not None else None


def _year_scores(session: Session, person: Person, on) -> list:
    """Counted score rows of the person in the year of `on`, up to that day, each with its running yearly total."""
    from .dossier import score_rows

    rows, _totals = score_rows(session, person)
    return [
        r
        for r in rows
        if r.decision_date.year == on.year and r.decision_date <= on and r.state == "active" and r.counted > 0
    ]


def findings_of(session: Session, person: Person, on) -> str:
    """The 发现… text of a copy report (institutions, person and the violations scored in the year up to `on`),
    composed inside the caller's session by `score_followups.create_copy_report`."""
    rows = _year_scores(session, person, on)
    if not rows:
        raise DomainError(f"{person.name}在{on.year}年度没有记分，无需抄告。")
    sites = "、".join(_unique(r.institution_name for r in rows))
    violations = "、".join(f"“{v}”" for v in _unique(r.violation_name for r in rows))
    return f"{sites}相关人员{person.name}存在{violations}的违规行为"


def render_copy_report(
    ctx: AppContext, session: Session, person: Person, recipients: str, findings: str, on, doc_no: str | None
) -> bytes:
    """Annex 7 rendered inside the caller's session as an issued paper: MissingGlyph, or IncompleteDocument for an
    empty required blank (e.g. no 医疗保障行政部门 in the settings), leaves before anything is committed.
    doc_no None: the check before the number is taken (rendered with a stand-in number, never stored)."""
    data = _copy_report_data(ctx, session, person, recipients, findings, on, doc_no or "（待编号）")
    return render_form("annex7", data, fonts_for(ctx), office=office_data(ctx), issued=True)


def archive_copy_report(ctx: AppContext, doc_no: str, year: int, pdf: bytes) -> None:
    """Write an issued copy report's PDF to the archive (its hash is already in the register)."""
    path = archive_path(doc_no, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(pdf)
    tmp.replace(path)


def _copy_report_data(
    ctx: AppContext, session: Session, person: Person, recipients: str, findings: str, on, doc_no: str | None
) -> dict:
    """Annex 7 data: the letter (scoring = the latest decision's points and the yearly total) and the score table."""
    rows = _year_scores(session, person, on)
    total = max((r.total_after for r in rows), default=0)
    this = sum(r.counted for r in rows if rows and r.decision_no == rows[-1].decision_no)
    disp_ids = _unique(r.disposition_id for r in rows)
    notice_nos = _unique(
        session.scalars(
            select(Disposition.doc_no)
            .where(Disposition.id.in_(disp_ids), Disposition.state != NoticeState.VOIDED)
            .order_by(Disposition.issued_on, Disposition.id)
        )
    )
    return {
        "doc_no": doc_no or "",
        "recipient": recipients,
        "findings": findings,
        "scoring": f"{total}分" if this in (0, total) else f"{this}分，本年度累计记分{total}分",
        "materials": ["相关人员记分情况（见附件）", *(f"医保支付资格处理通知书（{n}）" for n in notice_nos)],
        "issuer": ctx.settings.admin_department,
        "issue_date": on,
        "scores": [
            {
                "name": person.name,
                "id_number": person.id_number,
                "institution_name": r.institution_name,
                "violation": r.violation_name,
                "points": r.counted,
                "year_total": r.total_after,
            }
            for r in rows
        ],
    }


def copy_report_data(ctx: AppContext, copy_report_id: int) -> dict:
    """Annex 7 data of a recorded copy report."""
    with ctx.uow() as uow:
        s = uow.session
        rep = uow.get(CopyReport, copy_report_id, "抄告书不存在。")
        return _copy_report_data(
            ctx, s, get_row(s, Person, rep.person_id), rep.recipients, rep.findings, rep.on, rep.doc_no
        )


def copy_report_pdf(ctx: AppContext, copy_report_id: int) -> bytes:
    """Annex 7 of an issued copy report: the archived file when present, else rendered, archived and hashed."""
    data = copy_report_data(ctx, copy_report_id)
    doc_no = data["doc_no"]
    if not doc_no:
        raise DomainError("该抄告书没有文号，不能打印。")
    year, recorded = register_entry(ctx, doc_no) or (data["issue_date"].year, "")
    path = archive_path(doc_no, year)
    pdf = archived(path, recorded)
    if pdf is None:
        pdf = _render(ctx, "annex7", data)  # MissingGlyph leaves before anything is written
        store(ctx, doc_no, path, pdf)
    return pdf
