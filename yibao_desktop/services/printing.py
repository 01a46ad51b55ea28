"""Printing use cases: annex 3 notices from the database (archived once, reprinted identically), registration
forms, the filled annexes 4–7 (repair, appeal, restoration, copy report), blank application forms and the batch of
one day's notices with the right number of copies."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from yibao_desktop import paths
from yibao_desktop.adapters.db.models import (
    Appeal,
    CopyReport,
    Disposition,
    Document,
    Institution,
    Person,
    Registration,
    Repair,
    Restoration,
    ScoreEntry,
    StatusPeriod,
)
from yibao_desktop.adapters.pdf import (
    Cancelled,
    FontSet,
    MissingGlyph,
    find_fonts,
    form_title,
    render_batch,
    render_form,
)
from yibao_desktop.domain.errors import DomainError, NotFound
from yibao_desktop.domain.persons import NoticeState

from .context import AppContext
from .labels import enum_label

__all__ = [
    "BLANK_FORMS",
    "COPY_REPORT_RECIPIENTS",
    "Cancelled",
    "MissingGlyph",
    "appeal_form_pdf",
    "archive_path",
    "batch_notices_pdf",
    "blank_form_pdf",
    "copies_for",
    "copy_report_findings",
    "copy_report_pdf",
    "copy_report_pdf_by_number",
    "draft_copy_report_pdf",
    "fonts_for",
    "latest_repair_id",
    "notice_data",
    "notice_pdf",
    "notice_pdf_by_number",
    "office_data",
    "registration_form_pdf",
    "repair_form_pdf",
    "restoration_form_pdf",
    "restoration_form_pdf_for_period",
    "restoration_form_source",
]

# Annexes 4–6 are the application forms clerks hand out blank; 1, 2, 3 and 7 are offered blank as well.
BLANK_FORMS: dict[str, str] = {f"annex{n}": form_title(f"annex{n}") for n in range(1, 8)}

# Disposition kinds → the box ticked on annex 3. A plain 'notice' (below 9 points, no talk) ticks no box:
# the three boxes are reminder / suspension / termination and none of them was decided.
_TICKED_BOX = {"reminder": "reminder", "suspension": "suspension", "termination": "termination"}
_REG_STATUS = {"active": "正常", "suspended": "暂停", "terminated": "终止"}
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]')


def fonts_for(ctx: AppContext) -> FontSet:
    """The CJK fonts of the configured path (or the system's); find_fonts caches them per path."""
    return find_fonts(ctx.settings.font_path or None)


def office_data(ctx: AppContext) -> dict:
    """The office block every form may print (name in signatures, seal text)."""
    return {"name": ctx.settings.office_name, "seal_text": ctx.settings.seal_text}


# -- annex 3 data ---------------------------------------------------------------------------------------------


def _entries(session, disposition_id: int) -> list[ScoreEntry]:
    """Entries of the decision, highest points first; voided entries only when nothing else is left."""
    entries = list(
        session.scalars(
            select(ScoreEntry)
            .where(ScoreEntry.disposition_id == disposition_id)
            .order_by(ScoreEntry.points.desc(), ScoreEntry.id)
        )
    )
    live = [e for e in entries if e.state != "voided"]
    return live or entries


def _unique(values) -> list:
    return list(dict.fromkeys(v for v in values if v))


def _person_codes(session, person_id: int, institution_ids: list[int]) -> list[str]:
    """Person codes of the registrations at the institutions where the behaviour happened (any as fallback)."""
    regs = list(
        session.scalars(
            select(Registration)
            .where(Registration.person_id == person_id)
            .order_by(Registration.cancelled_on.is_not(None), Registration.id)
        )
    )
    at_site = [r.person_code for r in regs if r.institution_id in institution_ids]
    return _unique(at_site or [r.person_code for r in regs[:1]])


def _period_fields(disp: Disposition) -> dict:
    if disp.kind == "suspension":
        return {
            "suspend_months": disp.months,
            "suspend_start": disp.effective,
            "suspend_end": disp.period_end,
        }
    if disp.kind == "termination":
        return {
            "terminate_years": disp.years,
            "terminate_start": disp.effective,
            "terminate_end": disp.period_end,
        }
    return {}


def _load_disposition(session, disposition_id: int) -> Disposition:
    disp = session.get(Disposition, disposition_id)
    if disp is None:
        raise NotFound("处理通知不存在。")
    return disp


def notice_data(ctx: AppContext, disposition_id: int) -> dict:
    """Annex 3 data of a disposition: number, institution(s), person, violations, points, decision, dates."""
    with ctx.uow() as uow:
        s = uow.session
        disp = _load_disposition(s, disposition_id)
        person = s.get(Person, disp.person_id)
        entries = _entries(s, disposition_id)
        inst_ids = _unique(e.institution_id for e in entries)
        names = {i.id: i.name for i in s.scalars(select(Institution).where(Institution.id.in_(inst_ids)))}
        return {
            "doc_no": disp.doc_no or "",
            "institution_name": "、".join(names[i] for i in inst_ids),
            "name": person.name,
            "sex": person.sex,
            "id_number": person.id_number,
            "person_code": "、".join(_person_codes(s, person.id, inst_ids)),
            "violations": _unique(e.violation_name for e in entries),
            "points": disp.points_this,
            "year_total": disp.total_year,
            "disposition": _TICKED_BOX.get(disp.kind, ""),
            **_period_fields(disp),
            "issue_date": disp.issued_on,
        }


def copies_for(ctx: AppContext, disposition_id: int) -> int:
    """Office + person + each institution where the person is registered or the behaviour happened (SPEC §4.4)."""
    with ctx.uow() as uow:
        s = uow.session
        disp = _load_disposition(s, disposition_id)
        registered = s.scalars(
            select(Registration.institution_id).where(
                Registration.person_id == disp.person_id, Registration.cancelled_on.is_(None)
            )
        )
        scored = s.scalars(
            select(ScoreEntry.institution_id).where(ScoreEntry.disposition_id == disposition_id)
        )
        return 2 + len({*registered, *scored})


# -- archive ----------------------------------------------------------------------------------------------------


def archive_path(doc_no: str, year: int) -> Path:
    """Where the PDF of an issued document is kept: <user data>/documents/<year>/<doc_no>.pdf."""
    return paths.user_data_dir() / "documents" / str(year) / f"{_UNSAFE_FILE_CHARS.sub('_', doc_no)}.pdf"


def _register_entry(ctx: AppContext, doc_no: str) -> tuple[int, str] | None:
    """(year, recorded SHA-256) of a registered document."""
    with ctx.uow() as uow:
        doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no))
        return (doc.year, doc.file_hash or "") if doc is not None else None


def _archived(path: Path, recorded: str) -> bytes | None:
    """The archived file, only when it is the one the register names (a file of another database is not)."""
    if not recorded or not path.is_file():
        return None
    pdf = path.read_bytes()
    return pdf if hashlib.sha256(pdf).hexdigest() == recorded else None


def _store(ctx: AppContext, doc_no: str, path: Path, pdf: bytes) -> None:
    """Write atomically (a half-written archive must never look valid), then record the hash."""
    from .documents import set_file_hash

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    set_file_hash(ctx, doc_no, hashlib.sha256(pdf).hexdigest())


def _issued_disposition(ctx: AppContext, disposition_id: int) -> tuple[str, str]:
    """(doc_no, state) of an issued notice; refuses drafts and approved-but-unissued notices."""
    with ctx.uow() as uow:
        disp = _load_disposition(uow.session, disposition_id)
        if not disp.doc_no or disp.issued_on is None:
            label = enum_label(NoticeState, disp.state)
            raise DomainError(
                f"该处理通知尚未签发（当前状态：{label}），没有文号，不能打印通知书。请审核并签发后再打印。"
            )
        return disp.doc_no, disp.state


def _render_notice(ctx: AppContext, disposition_id: int) -> bytes:
    return render_form("annex3", notice_data(ctx, disposition_id), fonts_for(ctx), office=office_data(ctx))


def notice_pdf(ctx: AppContext, disposition_id: int) -> bytes:
    """The annex 3 PDF of an issued notice: the archived file when present, else rendered, archived and hashed."""
    doc_no, state = _issued_disposition(ctx, disposition_id)
    year, recorded = _register_entry(ctx, doc_no) or (ctx.today().year, "")
    path = archive_path(doc_no, year)
    pdf = _archived(path, recorded)
    if pdf is not None:
        return pdf
    if state == NoticeState.VOIDED:
        raise DomainError(f"通知书 {doc_no} 已作废，且没有存档的PDF，不能重新生成。")
    pdf = _render_notice(ctx, disposition_id)  # MissingGlyph leaves before anything is written
    _store(ctx, doc_no, path, pdf)
    return pdf


def notice_pdf_by_number(ctx: AppContext, doc_no: str) -> bytes:
    """The notice PDF by its number (CLI `print notice`, document register reprint)."""
    with ctx.uow() as uow:
        did = uow.session.scalar(select(Disposition.id).where(Disposition.doc_no == doc_no.strip()))
    if did is None:
        raise DomainError(f"找不到文号为“{doc_no}”的处理通知书。")
    return notice_pdf(ctx, did)


# -- other forms ------------------------------------------------------------------------------------------------


def _registration_data(ctx: AppContext, registration_id: int) -> dict:
    with ctx.uow() as uow:
        s = uow.session
        reg = s.get(Registration, registration_id)
        if reg is None:
            raise NotFound("登记备案记录不存在。")
        person, inst = s.get(Person, reg.person_id), s.get(Institution, reg.institution_id)
        return {
            "name": person.name,
            "id_number": person.id_number,
            "person_code": reg.person_code,
            "birth_date": person.birth_date,
            "sex": person.sex,
            "phone": person.phone,
            "institution_name": inst.name,
            "institution_code": inst.code,
            "region_code": reg.region_code or inst.region_code,
            "practice_type": reg.practice_type,
            "practice_category": reg.practice_category,
            "practice_scope": reg.practice_scope,
            "professional_title": reg.title,
            "status": _REG_STATUS.get(reg.status, ""),
            "commitment": "是" if reg.commitment else "否",
            "sign_date": reg.commitment_on,
        }


def registration_form_pdf(ctx: AppContext, form_id: str, registration_id: int) -> bytes:
    """Annex 1 (commitment) or annex 2 (registration form) filled from one registration."""
    if form_id not in ("annex1", "annex2"):
        raise DomainError(f"登记表格只能是附件1或附件2，不是“{form_id}”。")
    data = _registration_data(ctx, registration_id)
    return render_form(form_id, data, fonts_for(ctx), office=office_data(ctx))


def blank_form_pdf(ctx: AppContext, form_id: str) -> bytes:
    """A blank annex for hand filling (annex 4–6 are the application forms)."""
    if form_id not in BLANK_FORMS:
        raise DomainError(f"没有名为“{form_id}”的空白表格；可选：{'、'.join(BLANK_FORMS)}。")
    return render_form(form_id, {}, fonts_for(ctx), blank=True, office=office_data(ctx))


# -- annexes 4–7: the application forms and the copy report -------------------------------------------------------

# Office decisions as printed in the 医疗保障经办机构意见 box of each application form.
_REPAIR_DECISION = {"granted": "同意修复，修复记分{points}分。", "refused": "不予修复。"}
_RESTORATION_DECISION = {"passed": "同意恢复医保支付资格。", "failed": "不予恢复医保支付资格。"}
COPY_REPORT_RECIPIENTS = "卫生健康主管部门、药品监管部门"


def _render(ctx: AppContext, form_id: str, data: dict) -> bytes:
    return render_form(form_id, data, fonts_for(ctx), office=office_data(ctx))


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _registered_sites(session, person_id: int) -> list[int]:
    """Institutions of the person's open registrations (all of them when every registration is cancelled)."""
    regs = list(
        session.scalars(
            select(Registration)
            .where(Registration.person_id == person_id)
            .order_by(Registration.cancelled_on.is_not(None), Registration.id)
        )
    )
    return _unique(
        [r.institution_id for r in regs if r.cancelled_on is None] or [r.institution_id for r in regs]
    )


def _person_block(session, person_id: int, disposition_id: int | None) -> dict:
    """Institution, notice number and person fields of annexes 4–6: the institutions where the notice's behaviour
    happened, else those the person is registered at (the institution signs the application)."""
    person = session.get(Person, person_id)
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


def _latest_notice_id(session, person_id: int, on) -> int | None:
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
        rep = s.get(Repair, repair_id)
        if rep is None:
            raise NotFound("修复申请不存在。")
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
            "office_opinion": _REPAIR_DECISION[rep.state].format(points=rep.points_granted)
            if decided
            else "",
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
        a = s.get(Appeal, appeal_id)
        if a is None:
            raise NotFound("申诉记录不存在。")
        disp = _load_disposition(s, a.disposition_id)
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


def _period_block(session, sp: StatusPeriod) -> dict:
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


def _load_period(session, period_id: int) -> StatusPeriod:
    sp = session.get(StatusPeriod, period_id)
    if sp is None:
        raise NotFound("暂停/终止记录不存在。")
    return sp


def restoration_form_data(ctx: AppContext, restoration_id: int) -> dict:
    """Annex 6 data of a restoration application: the period's facts, the institution opinion, the decision."""
    with ctx.uow() as uow:
        s = uow.session
        r = s.get(Restoration, restoration_id)
        if r is None:
            raise NotFound("恢复申请不存在。")
        decided = r.decided_on is not None and r.decision in _RESTORATION_DECISION
        return {
            **_period_block(s, _load_period(s, r.status_period_id)),
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
        data = _period_block(uow.session, _load_period(uow.session, period_id))
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


def _year_scores(session, person: Person, on) -> list:
    """Counted score rows of the person in the year of `on`, up to that day, each with its running yearly total."""
    from .dossier import score_rows

    rows, _totals = score_rows(session, person)
    return [
        r
        for r in rows
        if r.decision_date.year == on.year and r.decision_date <= on and r.state == "active" and r.counted > 0
    ]


def copy_report_findings(ctx: AppContext, person_id: int, on) -> str:
    """The 发现… text of a copy report: institutions, person and the violations scored in the year up to `on`."""
    with ctx.uow() as uow:
        person = uow.session.get(Person, person_id)
        if person is None:
            raise NotFound("人员不存在。")
        rows = _year_scores(uow.session, person, on)
        if not rows:
            raise DomainError(f"{person.name}在{on.year}年度没有记分，无需抄告。")
        sites = "、".join(_unique(r.institution_name for r in rows))
        violations = "、".join(f"“{v}”" for v in _unique(r.violation_name for r in rows))
        return f"{sites}相关人员{person.name}存在{violations}的违规行为"


def _copy_report_data(
    ctx: AppContext, session, person: Person, recipients: str, findings: str, on, doc_no: str | None
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
        rep = s.get(CopyReport, copy_report_id)
        if rep is None:
            raise NotFound("抄告书不存在。")
        return _copy_report_data(
            ctx, s, s.get(Person, rep.person_id), rep.recipients, rep.findings, rep.on, rep.doc_no
        )


def draft_copy_report_pdf(ctx: AppContext, person_id: int, recipients: str, findings: str, on) -> bytes:
    """Annex 7 before a number is taken, so an unprintable name is refused before anything is issued."""
    with ctx.uow() as uow:
        person = uow.session.get(Person, person_id)
        if person is None:
            raise NotFound("人员不存在。")
        data = _copy_report_data(ctx, uow.session, person, recipients, findings, on, None)
    return _render(ctx, "annex7", data)


def copy_report_pdf(ctx: AppContext, copy_report_id: int) -> bytes:
    """Annex 7 of an issued copy report: the archived file when present, else rendered, archived and hashed."""
    data = copy_report_data(ctx, copy_report_id)
    doc_no = data["doc_no"]
    if not doc_no:
        raise DomainError("该抄告书没有文号，不能打印。")
    year, recorded = _register_entry(ctx, doc_no) or (data["issue_date"].year, "")
    path = archive_path(doc_no, year)
    pdf = _archived(path, recorded)
    if pdf is None:
        pdf = _render(ctx, "annex7", data)  # MissingGlyph leaves before anything is written
        _store(ctx, doc_no, path, pdf)
    return pdf


def copy_report_pdf_by_number(ctx: AppContext, doc_no: str) -> bytes:
    """The copy report PDF by its number (as create_copy_report returns it)."""
    with ctx.uow() as uow:
        rid = uow.session.scalar(select(CopyReport.id).where(CopyReport.doc_no == doc_no.strip()))
    if rid is None:
        raise DomainError(f"找不到文号为“{doc_no}”的记分情况抄告书。")
    return copy_report_pdf(ctx, rid)


# -- batch ------------------------------------------------------------------------------------------------------


def _batch_items(
    ctx: AppContext,
    disposition_ids: list[int],
    tick: Callable[[int], None],
    cancelled: Callable[[], bool] | None,
) -> list[tuple[str, dict, int]]:
    """Data and copies of each notice; archives any notice not archived yet (so every printed notice is kept)."""
    items = []
    for i, did in enumerate(disposition_ids):
        if cancelled is not None and cancelled():
            raise Cancelled("已取消打印。")
        doc_no, _state = _issued_disposition(ctx, did)
        try:
            notice_pdf(ctx, did)
            items.append(("annex3", notice_data(ctx, did), copies_for(ctx, did)))
        except MissingGlyph as err:
            raise MissingGlyph(f"通知书 {doc_no}：{err.message}", field=err.field) from err
        tick(i + 1)
    return items


def batch_notices_pdf(
    ctx: AppContext,
    disposition_ids: list[int],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """One PDF of many notices, each copies_for() times; progress(i, n) as it goes, Cancelled when asked to stop."""
    ids = list(disposition_ids)
    if not ids:
        raise DomainError("没有要打印的通知书。")
    # progress runs over two phases: preparing/archiving each notice, then laying out every copy
    state = {"total": len(ids) * 2}

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, state["total"])

    items = _batch_items(ctx, ids, tick, cancelled)
    copies = sum(c for _f, _d, c in items)
    state["total"] = len(ids) + copies

    def layout(i: int, _n: int) -> None:
        tick(len(ids) + i)

    return render_batch(items, fonts_for(ctx), progress=layout, cancelled=cancelled, office=office_data(ctx))
