"""Institution notices from the database: supplement, refusal, evaluation result and publicity list of the
designation workflow, and agreement suspension / termination / guidance-extension notices of agreement events.
Each notice takes its number once and is archived and hashed on first print; reprints return the archived file."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import Agreement, AgreementEvent, Application, Institution
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.adapters.pdf import render_batch, render_form
from yibao_desktop.domain.agreements import SUSPENSION_GROUNDS, TERMINATION_GROUNDS, guidance_end
from yibao_desktop.domain.errors import DomainError, NotFound
from yibao_desktop.domain.institutions import InstitutionKind

from . import designation as dsg

# The archive helpers of printing.py are private there; imported, not copied, so both notices archive alike.
from .archive import archive_path, archived, register_entry, store
from .context import AppContext
from .labels import enum_label
from .printing import fonts_for, office_data

APPLICATION_NOTICES = {
    "supplement": "材料补正一次性告知书",
    "refusal": "不予受理定点申请通知书",
    "evaluation": "定点评估结果通知书",
    "publicity": "拟签订医保协议医药机构名单公示",
}
EVENT_FORMS = {
    "suspension": ("agreement_suspension", "agreement_suspension", "中止医保协议通知书"),
    "termination": ("agreement_termination", "agreement_termination", "解除医保协议通知书"),
    "guidance_extension": ("guidance_extension", "guidance_extension", "政策辅导期延长通知书"),
}


@dataclass(frozen=True)
class EventNoticeRow:
    """An agreement event that has a printable notice."""

    id: int
    kind: str
    title: str
    on: date
    decision_no: str

    @property
    def label(self) -> str:
        """How the clerk picks it: date, notice title, decision number."""
        return f"{self.on.isoformat()}　{self.title}" + (f"（{self.decision_no}）" if self.decision_no else "")


# -- shared issue-and-archive ---------------------------------------------------------------------------------------


def _issue(
    ctx: AppContext,
    form_id: str,
    doc_type: str,
    on: date,
    subject: str,
    ref: tuple[str, int | None],
    build: Callable[[object], dict],
    attachments: dict[str, str] | None = None,
) -> bytes:
    """Number once (in the same unit of work as the rendering, so a failed render consumes no number), archive once.
    `attachments` (form id → data key) print after the notice, each on its own pages, when the data has the key."""
    with ctx.uow() as uow:
        doc_no = dsg.number_once(ctx, uow, doc_type, on, subject, ref[0], ref[1])
        # a number taken just now is not committed yet: the register (another session) does not know it
        year, recorded = register_entry(ctx, doc_no) or (on.year, "")
        path = archive_path(doc_no, year)
        pdf = archived(path, recorded)
        if pdf is not None:
            return pdf
        data = {**build(uow.session), "doc_no": doc_no}
        pdf = render_form(form_id, data, fonts_for(ctx), office=office_data(ctx), issued=True)  # refuses blanks
        extra = [(fid, data, 1) for fid, key in (attachments or {}).items() if data.get(key)]
        if extra:  # the notice checked above, then printed again with its attachments in one file
            pdf = render_batch([(form_id, data, 1), *extra], fonts_for(ctx), office=office_data(ctx), attached=True)
        uow.commit()
    store(ctx, doc_no, path, pdf)
    return pdf


def _app(s, application_id: int) -> Application:
    app = s.get(Application, application_id)
    if app is None:
        raise NotFound("定点申请不存在。")
    return app


def _formal(label: str) -> str:
    """The ground as the paper states it: the law's words without the article prefix, as a 情形."""
    text = re.sub(r"^第[一二三四五六七八九十]+条（[一二三四五六七八九十]+）", "", label)
    text = text.rstrip("。；;")
    return (text if text.endswith("情形") else text + ("情形" if text.endswith("的") else "的情形")) + "。"


def _legal(ctx: AppContext, notice: str, grounds: Sequence[str] = ()) -> dict:
    """basis (title and articles of the profile for this notice and its grounds) and the relief wording."""
    legal = ctx.profile.legal
    return {
        "basis": legal.citation([f"notice.{notice}", *grounds]),
        "remedy": legal.relief(ctx.settings.admin_department.strip()),
    }


# -- application notices --------------------------------------------------------------------------------------------


def supplement_data(ctx: AppContext, s, application_id: int) -> dict:
    """Data of the one-time supplement notice (the items requested when it was issued)."""
    app = _app(s, application_id)
    names = ctx.profile.materials
    asked = [m.item for m in app.items if m.requested] or dsg.missing_materials(app)
    return {
        "institution_name": app.applicant_name,
        "received_date": app.received_on,
        "materials": [names.get(code, code) for code in asked],
        "deadline": app.supplement_deadline,
        "issue_date": app.supplement_notice_on,
        "basis": _legal(ctx, "supplement")["basis"],
    }


def refusal_data(ctx: AppContext, s, application_id: int) -> dict:
    """Data of the refusal notice: every 第九条 ground found, in the law's words (the evidence stays on screen),
    the articles of the profile for those grounds and the relief wording."""
    app = _app(s, application_id)
    hits = [g for g in dsg.grounds_of(app) if g.hit and g.group == "refusal"]
    return {
        "institution_name": app.applicant_name,
        "received_date": app.received_on,
        "reasons": [_formal(g.label) for g in hits],
        "issue_date": app.evaluated_on,
        **_legal(ctx, "refusal", [f"refusal.{g.code}" for g in hits]),
    }


def evaluation_data(ctx: AppContext, s, application_id: int) -> dict:
    """Data of the evaluation result notice: 合格, or 不合格 with the unmet conditions and rectification advice."""
    app = _app(s, application_id)
    grounds = dsg.grounds_of(app)
    data = {
        "institution_name": app.applicant_name,
        "accepted_date": app.accepted_on,
        "result": dsg.RESULTS.get(app.result, ""),
        "issue_date": app.evaluated_on,
        "checks": [{"item": g.ask, "answer": g.answer, "basis": g.basis} for g in grounds],
        "publicity_days": ctx.profile.publicity_working_days,  # the profile's numbers, never typed into the form
        "reevaluation_months": ctx.profile.reevaluation_wait_months,
        "reapply_ban_years": ctx.profile.reapply_ban_years,
        **_legal(ctx, "evaluation"),
    }
    if app.result == "fail":
        hits = [g for g in grounds if g.hit]
        data["reasons"] = [f"{g.label}（{g.evidence}）" for g in hits]
        data["advice"] = [f"对照“{g.label.split('）', 1)[-1]}”的要求整改到位" for g in hits]
    return data


def publicity_data(ctx: AppContext, s, start: date) -> dict:
    """The publicity list of every application whose publicity starts on `start`."""
    apps = list(s.scalars(select(Application).where(Application.publicity_start == start).order_by(Application.id)))
    if not apps:
        raise DomainError(f"{start.isoformat()}没有开始公示的申请。")
    rows = []
    for app in apps:
        inst = s.get(Institution, app.institution_id) if app.institution_id else None
        info = dsg.record_of(app).get("applicant", {})
        rows.append(
            {
                "name": app.applicant_name,
                "code": inst.code if inst else app.credit_code,
                "kind": enum_label(InstitutionKind, app.kind),
                "address": inst.address if inst else info.get("address", ""),
            }
        )
    period = dsg.publicity_period(ctx.calendar, start, ctx.profile.publicity_working_days)
    return {
        "start_date": start,
        "first_date": period.first_day,
        "end_date": period.last_day,
        "period_text": period.text,
        "institutions": rows,
        "issue_date": start,
        "basis": _legal(ctx, "publicity")["basis"],
    }


def application_notices(ctx: AppContext, application_id: int) -> list[tuple[str, str]]:
    """(key, title) of the notices an application has so far, oldest first."""
    with ctx.uow() as uow:
        app = _app(uow.session, application_id)
        out = []
        if app.supplement_notice_on:
            out.append("supplement")
        if app.result == "refused":
            out.append("refusal")
        elif app.result in ("pass", "fail"):
            out.append("evaluation")
        if app.publicity_start:
            out.append("publicity")
        return [(k, APPLICATION_NOTICES[k]) for k in out]


def application_notice_pdf(ctx: AppContext, application_id: int, which: str) -> bytes:
    """The PDF of one notice of an application (supplement / refusal / evaluation / publicity)."""
    if which not in dict(application_notices(ctx, application_id)):
        raise DomainError(f"该申请没有“{APPLICATION_NOTICES.get(which, which)}”。")
    with ctx.uow() as uow:
        app = _app(uow.session, application_id)
        name = app.applicant_name
        on = {"supplement": app.supplement_notice_on, "publicity": app.publicity_start}.get(which, app.evaluated_on)
    assert on is not None  # a notice the application has (checked above) has its date
    if which == "publicity":
        return publicity_pdf(ctx, on)
    builders = {"supplement": supplement_data, "refusal": refusal_data, "evaluation": evaluation_data}
    return _issue(
        ctx,
        which,
        which,
        on,
        name,
        ("applications", application_id),
        lambda s: builders[which](ctx, s, application_id),
        {"evaluation_checks": "checks"} if which == "evaluation" else None,
    )


def publicity_pdf(ctx: AppContext, start: date) -> bytes:
    """The publicity list of one start day (numbered once; later additions to that day are refused)."""
    with ctx.uow() as uow:
        n = len(publicity_data(ctx, uow.session, start)["institutions"])
    return _issue(
        ctx,
        "publicity",
        "publicity",
        start,
        f"拟签订医保协议医药机构名单公示（{n}家）",
        ("publicity", None),
        lambda s: publicity_data(ctx, s, start),
    )


# -- agreement event notices ----------------------------------------------------------------------------------------


def _ground_line(kind: str, code: str) -> tuple[str, str] | None:
    """(citation key, text) of a stored ground code (stored without the dialog's s:/t: prefix); the other family
    as fallback. The text is the law's words; the article goes into the basis."""
    if not code:
        return None
    families = ("suspension", "termination") if kind == "suspension" else ("termination", "suspension")
    for family in families:
        grounds = SUSPENSION_GROUNDS if family == "suspension" else TERMINATION_GROUNDS
        text = dict(grounds).get(code)
        if text is not None:
            return f"{family}.{code}", text
    return None


def _reasons(ev: AgreementEvent) -> list[str]:
    ground = _ground_line(ev.kind, ev.ground_code)
    lines = [_formal(ground[1])] if ground else []
    lines += [x.strip() for x in (ev.detail or "").splitlines() if x.strip()]
    return lines


def _event_legal(ctx: AppContext, ev: AgreementEvent) -> dict:
    """Basis of an agreement notice: the profile's articles for it and its ground, plus the office's decision."""
    ground = _ground_line(ev.kind, ev.ground_code)
    legal = _legal(ctx, ev.kind, [ground[0]] if ground else [])
    if ev.decision_no:
        legal["basis"] += f"、本机构处理决定（{ev.decision_no}）"
    return legal


def _guidance_dates(ctx: AppContext, s, ag: Agreement, ev: AgreementEvent) -> dict:
    """Start of the guidance period and the extension this event granted (n-th extension in date order)."""
    n = s.scalar(
        select(func.count()).where(
            AgreementEvent.agreement_id == ag.id,
            AgreementEvent.kind == "guidance_extension",
            (AgreementEvent.on < ev.on) | ((AgreementEvent.on == ev.on) & (AgreementEvent.id <= ev.id)),
        )
    )
    p = ctx.profile
    before = guidance_end(ag.start, p.guidance_months, n - 1, p.guidance_extension_months)
    return {
        "guidance_start": ag.start,
        "extension_start": before + timedelta(days=1),
        "extension_end": guidance_end(ag.start, p.guidance_months, n, p.guidance_extension_months),
        "extension_months": p.guidance_extension_months,
    }


def event_notice_data(ctx: AppContext, s, event_id: int) -> dict:
    """Data of the notice of a suspension, termination or guidance-extension event."""
    ev = s.get(AgreementEvent, event_id)
    if ev is None or ev.kind not in EVENT_FORMS:
        raise NotFound("该协议事项没有可打印的通知书。")
    ag = s.get(Agreement, ev.agreement_id)
    inst = s.get(Institution, ag.institution_id)
    data = {
        "institution_name": inst.name,
        "institution_code": inst.code,
        "agreement_no": ag.number,
        "reasons": _reasons(ev),
        "issue_date": ev.on,
        **_event_legal(ctx, ev),
    }
    if ev.kind == "suspension":
        data |= {"start_date": ev.effective or ev.on, "end_date": ev.until}
    elif ev.kind == "termination":
        data["effective_date"] = ev.effective or ev.on
    else:
        data |= _guidance_dates(ctx, s, ag, ev)
    return data


def printable_events(ctx: AppContext, agreement_id: int) -> list[EventNoticeRow]:
    """Suspension, termination and guidance-extension events of an agreement that took effect (a proposal awaiting
    the second reviewer has no notice yet), newest first."""
    with ctx.uow() as uow:
        evs = uow.session.scalars(
            select(AgreementEvent)
            .where(
                AgreementEvent.agreement_id == agreement_id,
                AgreementEvent.kind.in_(list(EVENT_FORMS)),
                AgreementEvent.state == "done",
            )
            .order_by(AgreementEvent.on.desc(), AgreementEvent.id.desc())
        )
        return [EventNoticeRow(e.id, e.kind, EVENT_FORMS[e.kind][2], e.on, e.decision_no) for e in evs]


def agreement_event_pdf(ctx: AppContext, event_id: int) -> bytes:
    """The notice PDF of one agreement event (numbered and archived on first print)."""
    with ctx.uow() as uow:
        ev = uow.session.get(AgreementEvent, event_id)
        if ev is None or ev.kind not in EVENT_FORMS:
            raise NotFound("该协议事项没有可打印的通知书。")
        if ev.state != "done":
            raise DomainError("该协议事项尚待另一位审核人员审核，审核通过后才能打印通知书。")
        form_id, doc_type, title = EVENT_FORMS[ev.kind]
        subject = f"{get_row(uow.session, Agreement, ev.agreement_id).number} {title}"
        on = ev.on
    return _issue(
        ctx,
        form_id,
        doc_type,
        on,
        subject,
        ("agreement_events", event_id),
        lambda s: event_notice_data(ctx, s, event_id),
    )
