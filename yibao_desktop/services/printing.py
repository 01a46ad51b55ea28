"""Printing use cases: annex 3 notices from the database (archived once, reprinted identically), registration
forms, blank application forms (annexes 4–7 filled: printing_annexes) and the batch of
one day's notices with the right number of copies."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import (
    Disposition,
    Institution,
    Person,
    Registration,
    ScoreEntry,
)
from yibao_desktop.adapters.pdf import (
    Cancelled,
    FontSet,
    MissingGlyph,
    find_fonts,
    form_title,
    load_form,
    render_batch,
    render_form,
)
from yibao_desktop.adapters.pdf.layout import check_required
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import NoticeState
from yibao_desktop.domain.scoring import YEARLY_CAP, counted_points

from .archive import archive_path, archived, register_entry, store
from .context import AppContext
from .labels import enum_label
from .standing import repaired_points, score_facts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "BLANK_FORMS",
    "Cancelled",
    "MissingGlyph",
    "archive_path",
    "batch_notices_pdf",
    "blank_form_pdf",
    "check_notice_complete",
    "copies_for",
    "fonts_for",
    "notice_data",
    "notice_pdf",
    "office_data",
    "registration_form_pdf",
    "require_office_fields",
]

# Annexes 4–6 are the application forms clerks hand out blank; 1, 2, 3 and 7 are offered blank as well.
BLANK_FORMS: dict[str, str] = {f"annex{n}": form_title(f"annex{n}") for n in range(1, 8)}

# Disposition kinds → the box ticked on annex 3. A plain 'notice' (below 9 points, no talk) ticks no box:
# the three boxes are reminder / suspension / termination and none of them was decided.
_TICKED_BOX = {"reminder": "reminder", "suspension": "suspension", "termination": "termination"}
_REG_STATUS = {"active": "正常", "suspended": "暂停", "terminated": "终止"}


def fonts_for(ctx: AppContext) -> FontSet:
    """The CJK fonts of the configured path (or the system's); find_fonts caches them per path."""
    return find_fonts(ctx.settings.font_path or None)


def office_data(ctx: AppContext) -> dict:
    """The office block every form may print (name in signatures, seal text, contact person, phone, address)."""
    st = ctx.settings
    return {
        "name": st.office_name,
        "seal_text": st.seal_text,
        "contact": st.contact_person.strip(),
        "contact_phone": st.contact_phone.strip(),
        "address": st.office_address.strip(),
    }


def require_office_fields(ctx: AppContext, form_id: str) -> None:
    """Refuse to issue a document while the office data it prints (联系人, 联系电话 …) are missing from settings;
    called before a number is taken, so a refused issue uses no number."""
    form = load_form(form_id)
    office = {k: v for k, v in _office_keys(office_data(ctx)).items() if k in form.get("required", [])}
    check_required({**form, "required": list(office)}, office)


def _office_keys(office: dict) -> dict:
    """Office data under the keys the forms use (as the renderer merges them)."""
    return {
        "office_name": office["name"],
        "contact": office["contact"],
        "contact_phone": office["contact_phone"],
        "office_address": office["address"],
    }


# -- annex 3 data ---------------------------------------------------------------------------------------------


def _entries(session: Session, disposition_id: int) -> list[ScoreEntry]:
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


def _person_codes(session: Session, person_id: int, institution_ids: list[int]) -> list[str]:
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


def _cap_note(uncapped: int) -> str:
    """Why the yearly total is lower than the points add up to: printed only when the cap actually cut points
    (a total of exactly 12 cut nothing; 《规程》第二十八条: the year counts at most YEARLY_CAP)."""
    return f"本年度累计记分以{YEARLY_CAP}分为限，超出部分不再累计。" if uncapped > YEARLY_CAP else ""


def _uncapped_total(s: Session, disp: Disposition) -> int:
    """The yearly total the notice's entries add up to before the cap: counted points of the person's active
    entries of the decision's year recorded with or before this notice's, less the points repaired in the year."""
    if (disp.total_year or 0) < YEARLY_CAP:  # the cap was not reached: nothing cut
        return disp.total_year or 0
    last = max((e.id for e in _entries(s, disp.id)), default=0)
    year = disp.decision_date.year
    facts = [f for f in score_facts(s, disp.person_id, year) if f.entry_id <= last]
    return sum(counted_points(facts).values()) - repaired_points(s, disp.person_id, year)


def notice_data(ctx: AppContext, disposition_id: int) -> dict:
    """Annex 3 data of a disposition: number, institution(s), person, violations, points, decision, dates."""
    with ctx.uow() as uow:
        return notice_data_in(uow.session, uow.get(Disposition, disposition_id, "处理通知不存在。"))


def notice_data_in(s: Session, disp: Disposition) -> dict:
    """notice_data inside the caller's session (the issue use case checks the notice before it commits)."""
    person = s.get(Person, disp.person_id)
    entries = _entries(s, disp.id)
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
        "cap_note": _cap_note(_uncapped_total(s, disp)),
        "disposition": _TICKED_BOX.get(disp.kind, ""),
        **_period_fields(disp),
        "issue_date": disp.issued_on,
        "approved_by": approver_name(s, disp.approved_by),
    }


def check_notice_complete(s: Session, disp: Disposition) -> None:
    """Refuse (IncompleteDocument, the missing fields named in Chinese) a notice that would print with an empty
    required blank; called by the issue use case after the number and period are set and before it commits, so
    a refused issue writes nothing and uses no number."""
    check_required(load_form("annex3"), notice_data_in(s, disp))


def approver_name(s, username: str) -> str:
    """Who approved a notice, from its review record: “姓名（用户名）” (the issuer when review was switched off)."""
    if not username:
        return ""
    from yibao_desktop.adapters.db.models import User

    shown = s.scalar(select(User.display_name).where(User.username == username))
    return f"{shown}（{username}）" if shown and shown != username else username


def copies_for(ctx: AppContext, disposition_id: int) -> int:
    """Office + person + each institution where the person is registered or the behaviour happened."""
    with ctx.uow() as uow:
        s = uow.session
        disp = uow.get(Disposition, disposition_id, "处理通知不存在。")
        registered = s.scalars(
            select(Registration.institution_id).where(
                Registration.person_id == disp.person_id, Registration.cancelled_on.is_(None)
            )
        )
        scored = s.scalars(select(ScoreEntry.institution_id).where(ScoreEntry.disposition_id == disposition_id))
        return 2 + len({*registered, *scored})


# -- notices ---------------------------------------------------------------------------------------------------


def _issued_disposition(ctx: AppContext, disposition_id: int) -> tuple[str, str]:
    """(doc_no, state) of an issued notice; refuses drafts and approved-but-unissued notices."""
    with ctx.uow() as uow:
        disp = uow.get(Disposition, disposition_id, "处理通知不存在。")
        if not disp.doc_no or disp.issued_on is None:
            label = enum_label(NoticeState, disp.state)
            raise DomainError(
                f"该处理通知尚未签发（当前状态：{label}），没有文号，不能打印通知书。请审核并签发后再打印。"
            )
        return disp.doc_no, disp.state


def _render_notice(ctx: AppContext, disposition_id: int) -> bytes:
    return render_form("annex3", notice_data(ctx, disposition_id), fonts_for(ctx), office=office_data(ctx), issued=True)


def notice_pdf(ctx: AppContext, disposition_id: int) -> bytes:
    """The annex 3 PDF of an issued notice: the archived file when present, else rendered, archived and hashed."""
    doc_no, state = _issued_disposition(ctx, disposition_id)
    year, recorded = register_entry(ctx, doc_no) or (ctx.today().year, "")
    path = archive_path(doc_no, year)
    pdf = archived(path, recorded)
    if pdf is not None:
        return pdf
    if state == NoticeState.VOIDED:
        raise DomainError(f"通知书 {doc_no} 已作废，且没有存档的PDF，不能重新生成。")
    pdf = _render_notice(ctx, disposition_id)  # MissingGlyph leaves before anything is written
    store(ctx, doc_no, path, pdf)
    return pdf


# -- other forms ------------------------------------------------------------------------------------------------


def _registration_data(ctx: AppContext, registration_id: int) -> dict:
    with ctx.uow() as uow:
        s = uow.session
        reg = uow.get(Registration, registration_id, "登记备案记录不存在。")
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
