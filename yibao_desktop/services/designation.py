"""Designation use cases (《广东办法》第八–十二条): intake, one-time supplement notice, acceptance, evaluation,
publicity and listing for the agreement — one unit of work per clerk action, plain rows back."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Application, ApplicationMaterial, Document, Institution
from yibao_desktop.domain.designation import (
    MATERIALS,
    PublicityPeriod,
    publicity_end,
    publicity_period,
    reapply_ban_end,
    supplement_complete_on,
)
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import check_credit_code, check_institution_code, check_name
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.pinyin import initials_key

from .audit import audit
from .context import AppContext
from .designation_eval import (  # noqa: F401 - the evaluation, re-exported for callers of this module
    ROLE_FIELDS,
    SERIOUS_TERMINATION_GROUNDS,
    CheckInput,
    evaluate,
    not_before,
    number_once,
    verify_items,
)
from .designation_rows import (  # noqa: F401 - the read side, re-exported for callers of this module
    RESULTS,
    STATES,
    ApplicationRow,
    GroundRow,
    grounds_of,
    list_applications,
    material_state,
    missing_materials,
    record_of,
    row_of,
    supplement_days,
)
from .designation_rows import load_application as _load

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork

_OPEN = ("supplement", "received", "accepted", "evaluating", "failed", "passed", "publicity")


# -- reads --------------------------------------------------------------------------------------------------------


def _check_not_banned(ctx: AppContext, s, name: str, credit_code: str, received_on: date) -> None:
    """Refuse an applicant still banned after a failed re-evaluation, or one with an application in progress."""
    same = (Application.credit_code == credit_code) if credit_code else (Application.applicant_name == name)
    for other in s.scalars(select(Application).where(same)):
        if other.state in _OPEN:
            raise DomainError(
                f"该机构已有办理中的定点申请（{format_cn_date(other.received_on)}接收，"
                f"{STATES[other.state]}），不能重复登记。",
                field="credit_code",
            )
        if other.state == "banned":
            end = reapply_ban_end(other.evaluated_on, ctx.profile.reapply_ban_years)
            if received_on <= end:
                raise DomainError(
                    f"该机构{format_cn_date(other.evaluated_on)}再次评估不合格，"
                    f"{format_cn_date(end)}前不得再次申请（第十二条）。",
                    field="received_on",
                )


def receive_application(
    ctx: AppContext, name: str, credit_code: str, kind: str, received_on: date | None, materials_present: list[str]
) -> ApplicationRow:
    """Register an application with its 第八条 checklist; anything missing → state 待补正 with the notice due date."""
    require(ctx, Permission.APPLICATION)
    try:
        name = check_name(name)
    except DomainError as err:
        raise DomainError(err.message.replace("姓名", "机构名称"), field="applicant_name") from None
    credit_code = check_credit_code(credit_code) if (credit_code or "").strip() else ""
    try:
        kind = InstitutionKind(kind).value
    except ValueError:
        raise DomainError("请选择机构类别。", field="kind") from None
    received_on = not_before(received_on, None, "", "received_on")
    if received_on > ctx.today():
        raise DomainError("接收日期不能晚于今天。", field="received_on")
    unknown = [m for m in materials_present if m not in MATERIALS]
    if unknown:
        raise DomainError(f"材料“{unknown[0]}”不在第八条所列材料中。", field="materials")
    with ctx.uow() as uow:
        _check_not_banned(ctx, uow.session, name, credit_code, received_on)
        complete = set(materials_present) >= set(MATERIALS)
        app = Application(
            applicant_name=name,
            credit_code=credit_code,
            kind=kind,
            received_on=received_on,
            state="received" if complete else "supplement",
        )
        app.items = [
            ApplicationMaterial(
                item=m,
                at_intake=m in materials_present,
                requested=False,
                received_on=received_on if m in materials_present else None,
                recorded_by=ctx.username,
            )
            for m in MATERIALS
        ]
        uow.session.add(app)
        uow.flush()
        audit(uow, "application.receive", "application", app.id, name)
        uow.commit()
        return row_of(ctx, app)


def issue_supplement_notice(
    ctx: AppContext,
    application_id: int,
    on: date | None = None,
    deadline: date | None = None,
    version: int | None = None,
) -> str:
    """Issue the one-time supplement notice (一次性告知) of the missing items; returns its number. A second notice is
    refused: what the first one did not ask for cannot be asked for again (《广东办法》第十条)."""
    require(ctx, Permission.APPLICATION)
    from .printing import require_office_fields  # local: reportlab loads only when a paper is made

    with ctx.uow() as uow:
        app = _load(uow, application_id, version)
        if app.supplement_notice_on is not None:
            raise DomainError(
                f"补正告知已于{format_cn_date(app.supplement_notice_on)}一次性发出，依照一次性告知的"
                "要求不能再次告知；请在“收到补正材料”中登记材料到达情况。"
            )
        missing = [m for m in app.items if m.received_on is None]
        if app.state != "supplement" or not missing:
            raise DomainError("该申请材料齐全，无需补正告知。")
        require_office_fields(ctx, "supplement")  # the notice prints the office's 联系人/联系电话 (from settings)
        on = not_before(on or ctx.today(), app.received_on, "接收日期")
        if deadline is not None and deadline <= on:
            raise DomainError("补正期限应晚于告知日期。", field="deadline")
        app.supplement_notice_on, app.supplement_deadline = on, deadline
        for m in missing:
            m.requested = True
        number = number_once(ctx, uow, "supplement", on, app.applicant_name, "applications", app.id)
        audit(uow, "application.supplement_notice", "application", app.id, number)
        uow.commit()
        return number


def record_supplement_received(
    ctx: AppContext, application_id: int, on: date | None, supplied: list[str] | None = None, version: int | None = None
) -> ApplicationRow:
    """Record which requested items arrived on `on` (default: every one still outstanding); once the last one is in,
    the days spent waiting extend the evaluation limit (《广东办法》第十二条) and the application can be evaluated."""
    require(ctx, Permission.APPLICATION)
    with ctx.uow() as uow:
        app = _load(uow, application_id, version)
        outstanding = {m.item: m for m in app.items if m.requested and m.received_on is None}
        if app.state != "supplement" or app.supplement_notice_on is None or not outstanding:
            raise DomainError("该申请没有待收的补正材料（请先发出补正告知）。")
        on = not_before(on, app.supplement_notice_on, "补正告知日期")
        if on > ctx.today():
            raise DomainError("收到日期不能晚于今天。", field="on")
        codes = list(outstanding) if supplied is None else list(dict.fromkeys(supplied))
        if not codes:
            raise DomainError("请勾选本次收到的材料。", field="materials")
        names = ctx.profile.materials
        for code in codes:
            if code not in outstanding:
                done = code in {m.item for m in app.items if m.received_on}
                raise DomainError(
                    f"“{names.get(code, code)}”{'已登记收到' if done else '不在补正告知所列材料中'}。",
                    field="materials",
                )
            outstanding[code].received_on, outstanding[code].recorded_by = on, ctx.username
        complete = supplement_complete_on([material_state(m) for m in app.items])
        if complete is not None:
            app.supplement_received_on = complete
            app.state = "accepted" if app.accepted_on else "received"
        audit(
            uow,
            "application.supplement_received",
            "application",
            app.id,
            f"{on.isoformat()} {'、'.join(names.get(c, c) for c in codes)}",
        )
        uow.commit()
        return row_of(ctx, app)


def accept(ctx: AppContext, application_id: int, on: date | None = None, version: int | None = None) -> ApplicationRow:
    """受理 (即时受理, 第十条): the 3-month evaluation limit runs from this day."""
    require(ctx, Permission.APPLICATION)
    with ctx.uow() as uow:
        app = _load(uow, application_id, version)
        if app.accepted_on is not None:
            raise DomainError(f"该申请已于{format_cn_date(app.accepted_on)}受理。")
        if app.state not in ("received", "supplement"):
            raise DomainError(f"该申请当前为“{STATES.get(app.state, app.state)}”，不能受理。")
        on = not_before(on or ctx.today(), app.received_on, "接收日期")
        app.accepted_on = on
        if app.state == "received":
            app.state = "accepted"
        audit(uow, "application.accept", "application", app.id, on.isoformat())
        uow.commit()
        return row_of(ctx, app)


# -- publicity and listing ----------------------------------------------------------------------------------------


def publicity_notice_no(uow: UnitOfWork, start: date) -> str | None:
    """Number of the publicity list already issued for a start day."""
    return uow.session.scalar(
        select(Document.doc_no).where(
            Document.doc_type == "publicity",
            Document.ref_table == "publicity",
            Document.issued_on == start,
            Document.voided.is_(False),
        )
    )


def start_publicity(ctx: AppContext, application_ids: list[int], start: date | None) -> PublicityPeriod:
    """Publish the passed applications on `start`; returns the publicity period (exact first and last day)."""
    require(ctx, Permission.DESIGNATE)
    if not application_ids:
        raise DomainError("请选择评估合格的申请。")
    start = not_before(start, None, "", "start")
    with ctx.uow() as uow:
        issued = publicity_notice_no(uow, start)
        if issued:
            raise DomainError(
                f"{format_cn_date(start)}的公示已发布（{issued}），不能再加入机构；请另选公示开始日期。", field="start"
            )
        for aid in application_ids:
            app = _load(uow, aid)
            if app.state != "passed":
                raise DomainError(
                    f"“{app.applicant_name}”当前为“{STATES.get(app.state, app.state)}”，只有评估合格的申请才能公示。"
                )
            not_before(start, app.evaluated_on, f"“{app.applicant_name}”的评估日期", "start")
            app.publicity_start, app.state = start, "publicity"
            audit(uow, "application.publicity", "application", app.id, start.isoformat())
        uow.commit()
    return publicity_period(ctx.calendar, start, ctx.profile.publicity_working_days)


def _new_institution(s, app: Application, code: str) -> Institution:
    """The institution record of a listed applicant, filled from the evaluation."""
    kind = InstitutionKind(app.kind)
    if not (code or "").strip():
        raise DomainError("请填写医药机构代码（该机构在本库中尚无记录）。", field="institution_code")
    code = check_institution_code(code, "pharmacy" if kind.is_pharmacy else None)
    if s.scalar(select(Institution.id).where(Institution.code == code)):
        raise DomainError(f"医药机构代码 {code} 已存在。", field="institution_code")
    info = record_of(app).get("applicant", {})
    inst = Institution(
        name=app.applicant_name,
        name_initials=initials_key(app.applicant_name),
        code=code,
        credit_code=app.credit_code or None,
        kind=kind.value,
        payment_level=info.get("payment_level", ""),
        beds=info.get("beds", 0),
        address=info.get("address", ""),
        latitude=info.get("latitude"),
        longitude=info.get("longitude"),
        region_code=code[1:7] if code[1:7].isdigit() else "",
        operating_since=date.fromisoformat(info["operating_since"]) if info.get("operating_since") else None,
    )
    for role, name, idn in info.get("people", []):
        attr = dict(ROLE_FIELDS).get(role)
        if attr:
            setattr(inst, attr, name)
            setattr(inst, f"{attr}_id", idn)
    s.add(inst)
    return inst


def complete_publicity(
    ctx: AppContext, application_id: int, on: date | None, institution_code: str = "", version: int | None = None
) -> int:
    """After the publicity: put the applicant on the list to sign (create or link its institution); returns its id."""
    require(ctx, Permission.DESIGNATE)
    with ctx.uow() as uow:
        s = uow.session
        app = _load(uow, application_id, version)
        if app.state != "publicity":
            raise DomainError(f"该申请当前为“{STATES.get(app.state, app.state)}”，不在公示中。")
        assert app.publicity_start is not None  # an application in publicity has its start day
        end = publicity_end(ctx.calendar, app.publicity_start, ctx.profile.publicity_working_days).due
        on = not_before(on, end, "公示期最后一天")
        if on == end:
            raise DomainError(f"公示期至{format_cn_date(end)}止，期满后方可纳入拟签协议名单。", field="on")
        inst = (
            s.scalar(select(Institution).where(Institution.credit_code == app.credit_code)) if app.credit_code else None
        )
        inst = inst or _new_institution(s, app, institution_code)
        uow.flush()
        app.institution_id, app.state = inst.id, "listed"
        audit(uow, "application.listed", "application", app.id, inst.code)
        uow.commit()
        return inst.id
