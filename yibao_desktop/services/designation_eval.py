"""Evaluation of a designation application (《广东办法》第九条、第六条、第十二条): the items computed from the facts and the
database, the clerk's verification of every item the data cannot answer, and the result — 合格 only when no item is
open and none stands against the applicant. One unit of work per clerk action."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import (
    Agreement,
    AgreementEvent,
    Application,
    ApplicationCheck,
    Document,
    Institution,
)
from yibao_desktop.domain.designation import (
    ApplicantFacts,
    Ground,
    NearbyFact,
    PriorRole,
    RefusalYears,
    reevaluation_earliest,
    refusal_grounds,
)
from yibao_desktop.domain.designation_checks import check_verification, evaluation_outcome, settled
from yibao_desktop.domain.designation_conditions import basic_conditions
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementStatus, InstitutionKind
from yibao_desktop.domain.periods import format_cn_date
from yibao_desktop.domain.permissions import Permission, require

from .audit import audit
from .context import AppContext
from .designation_rows import (
    RESULTS,
    STATES,
    ApplicationRow,
    missing_materials,
    record_of,
    row_of,
    stored_grounds,
    verifications_of,
)
from .designation_rows import load_application as _load
from .documents import EARLIER_TYPES, assign_doc_no

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

# Termination grounds that are "严重违法违规" for 第九条（七）; the other grounds (change not filed, requested …) are not.
SERIOUS_TERMINATION_GROUNDS = frozenset(
    "fraudulent_application fraud settled_for_others obstruction major_violation licence_revoked fraud_confirmed "
    "obstructed_inspection guidance_serious".split()
)
_DESIGNATED = (AgreementStatus.ACTIVE, AgreementStatus.GUIDANCE, AgreementStatus.SUSPENDED)
ROLE_FIELDS = (("法定代表人", "legal_rep"), ("主要负责人", "principal"), ("实际控制人", "controller"))


@dataclass(frozen=True)
class CheckInput:
    """The clerk's verification of one open item: answer yes/no/na to its question, a note and the evidence."""

    code: str
    answer: str
    note: str = ""
    evidence: str = ""


def not_before(on: date | None, earliest: date | None, what: str, field: str = "on") -> date:
    """Refuse a missing date or one before an earlier step of the same application."""
    if on is None:
        raise DomainError("请填写日期。", field=field)
    if earliest is not None and on < earliest:
        raise DomainError(f"日期{format_cn_date(on)}早于{what}（{format_cn_date(earliest)}），请核对。", field=field)
    return on


def number_once(
    ctx: AppContext, uow: UnitOfWork, doc_type: str, on: date, subject: str, ref_table: str, ref_id: int | None
) -> str:
    """The number of the notice of (type, record, date): the one already issued, else the next one (never reused)."""
    ref = Document.ref_id.is_(None) if ref_id is None else Document.ref_id == ref_id
    found = uow.session.scalar(
        select(Document.doc_no)
        .where(
            Document.doc_type.in_((doc_type, *EARLIER_TYPES.get(doc_type, ()))),
            Document.ref_table == ref_table,
            ref,
            Document.issued_on == on,
            Document.voided.is_(False),
        )
        .order_by(Document.id.desc())
    )
    return found or assign_doc_no(ctx, uow, doc_type, on, subject, ref_table, ref_id)


# -- what the database knows ------------------------------------------------------------------------------------


def _prior_roles(s: Session) -> list[PriorRole]:
    """Legal representatives, principals and controllers of every institution whose agreement was terminated."""
    stmt = (
        select(Institution, AgreementEvent)
        .join(Agreement, Agreement.institution_id == Institution.id)
        .join(AgreementEvent, AgreementEvent.agreement_id == Agreement.id)
        .where(AgreementEvent.kind == "termination")
    )
    out = []
    for inst, ev in s.execute(stmt):
        serious = ev.ground_code in SERIOUS_TERMINATION_GROUNDS
        for role, attr in ROLE_FIELDS:
            name, idn = getattr(inst, attr) or "", getattr(inst, f"{attr}_id") or ""
            if name.strip() or idn.strip():
                out.append(PriorRole(name, idn, role, inst.name, ev.effective or ev.on, serious))
    return out


def _nearby(s: Session) -> list[NearbyFact]:
    """Designated institutions (agreement in force, in guidance or suspended) with coordinates."""
    designated = select(Agreement.institution_id).where(Agreement.status.in_([st.value for st in _DESIGNATED]))
    stmt = select(Institution).where(
        Institution.id.in_(designated), Institution.latitude.is_not(None), Institution.longitude.is_not(None)
    )
    out = []
    for inst in s.scalars(stmt):
        try:
            kind_class = InstitutionKind(inst.kind).kind_class
        except ValueError:
            continue
        lat, lon = inst.latitude, inst.longitude
        if lat is not None and lon is not None:  # the query asks for both; the check tells the type checker
            out.append(NearbyFact(inst.name, inst.code, kind_class, inst.payment_level, lat, lon))
    return out


def _all_grounds(ctx: AppContext, s: Session, facts: ApplicantFacts, on: date) -> list[tuple[str, Ground]]:
    """第九条 grounds against the database's terminated institutions, then 第六条 (+ Tianjin) conditions."""
    p = ctx.profile
    tianjin = p.tianjin_admission_conditions
    years = RefusalYears(
        p.fraud_application_ban_years,
        p.violation_termination_ban_years,
        p.breach_termination_ban_years,
        p.controller_ban_years,
    )
    refusal = refusal_grounds(facts, _prior_roles(s), on, years)
    conditions = basic_conditions(
        facts,
        on,
        tianjin=tianjin,
        nearby=_nearby(s) if tianjin else (),
        operating_months=p.min_operating_months,
        beds_threshold=p.department_bed_threshold,
        distance_rule_m=p.distance_rule_m or 1500,
        record_years=p.records_keep_years or 3,
        video_months=p.video_keep_months or 6,
    )
    return [("refusal", g) for g in refusal] + [("condition", g) for g in conditions]


def _applicant_info(facts: ApplicantFacts, address: str) -> dict:
    """What the new institution record is created from after publicity."""
    return {
        "address": address.strip(),
        "payment_level": facts.payment_level,
        "beds": facts.beds,
        "latitude": facts.lat,
        "longitude": facts.lon,
        "operating_since": facts.operating_since.isoformat() if facts.operating_since else None,
        "people": [[p.role, p.name.strip(), p.id_number.strip().upper()] for p in facts.people],
    }


# -- evaluation ---------------------------------------------------------------------------------------------------


def _check_can_evaluate(ctx: AppContext, app: Application, on: date | None) -> date:
    if app.accepted_on is None:
        raise DomainError("该申请尚未受理，不能评估（请先受理）。")
    if missing_materials(app):
        raise DomainError("补正材料尚未收齐，不能评估。")
    if app.state not in ("accepted", "failed", "evaluating"):
        raise DomainError(f"该申请当前为“{STATES.get(app.state, app.state)}”，不能评估。")
    on = not_before(
        on or ctx.today(),
        max(app.accepted_on, app.supplement_received_on or app.accepted_on),
        "受理或收到补正材料的日期",
    )
    if on > ctx.today():
        raise DomainError("评估日期不能晚于今天。", field="on")
    failed_on = app.evaluated_on if app.state == "failed" else record_of(app).get("failed_on")
    if failed_on:
        failed_on = date.fromisoformat(failed_on) if isinstance(failed_on, str) else failed_on
        earliest = reevaluation_earliest(failed_on, ctx.profile.reevaluation_wait_months)
        if on < earliest:
            raise DomainError(
                f"评估不合格后应整改{ctx.profile.reevaluation_wait_months}个月，"
                f"{format_cn_date(earliest)}起方可再次评估。",
                field="on",
            )
    return on


def _conclude(ctx: AppContext, uow: UnitOfWork, app: Application, on: date) -> str | None:
    """Set the result from the items (verifications applied); an open item leaves the evaluation open (no result,
    no notice number). Returns the notice number of a concluded evaluation."""
    checks = verifications_of(app)
    items = [(group, settled(g, checks.get(g.code))) for group, g in stored_grounds(app)]
    outcome = evaluation_outcome(items)
    if outcome == "open":
        app.result, app.state = "", "evaluating"
        return None
    app.evaluated_on = on
    if outcome == "refused":
        app.result, app.state, doc_type = "refused", "refused", "refusal"
    elif outcome == "fail":
        app.result, doc_type = "fail", "evaluation"
        app.state = "banned" if app.evaluation_round >= 2 else "failed"
    else:
        app.result, app.state, doc_type = "pass", "passed", "evaluation"
    return number_once(ctx, uow, doc_type, on, app.applicant_name, "applications", app.id)


def evaluate(
    ctx: AppContext,
    application_id: int,
    facts: ApplicantFacts,
    on: date | None = None,
    address: str = "",
    version: int | None = None,
) -> ApplicationRow:
    """Evaluate: a 第九条 ground → 不予受理; an unmet condition → 不合格 (second round: 1-year ban); an item the data
    cannot answer → 评估中 until the clerk verifies it (verify_items); else 合格."""
    require(ctx, Permission.APPLICATION)
    with ctx.uow() as uow:
        app = _load(uow, application_id, version)
        on = _check_can_evaluate(ctx, app, on)
        facts = replace(facts, name=app.applicant_name, kind=facts.kind or InstitutionKind(app.kind))
        grounds = _all_grounds(ctx, uow.session, facts, on)
        record = {
            "grounds": [{"group": group, **vars(g)} for group, g in grounds],
            "applicant": _applicant_info(facts, address),
        }
        if app.state == "failed" and app.evaluated_on is not None:
            record["failed_on"] = app.evaluated_on.isoformat()
        elif app.state == "evaluating" and record_of(app).get("failed_on"):
            record["failed_on"] = record_of(app)["failed_on"]
        if app.state != "evaluating":
            app.evaluation_round += 1
        app.evaluated_on = on
        app.reasons = json.dumps(record, ensure_ascii=False)
        number = _conclude(ctx, uow, app, on)
        result = f"{RESULTS[app.result]} {number}" if number else "待核实"
        audit(uow, "application.evaluate", "application", app.id, f"第{app.evaluation_round}次评估 {result}")
        uow.commit()
        return row_of(ctx, app)


def verify_items(
    ctx: AppContext, application_id: int, checks: list[CheckInput], on: date | None = None, version: int | None = None
) -> ApplicationRow:
    """Record the clerk's verification of open items (answer, note, evidence; who and when); once nothing is open,
    or an answer stands against the applicant, the evaluation gets its result and notice number."""
    require(ctx, Permission.APPLICATION)
    with ctx.uow() as uow:
        app = _load(uow, application_id, version)
        if app.state != "evaluating":
            raise DomainError(f"该申请当前为“{STATES.get(app.state, app.state)}”，没有待核实的评估事项。")
        on = not_before(on or ctx.today(), app.evaluated_on, "评估日期")
        if on > ctx.today():
            raise DomainError("核实日期不能晚于今天。", field="on")
        items = {g.code: g for _group, g in stored_grounds(app)}
        answered = [c for c in checks if c.answer]
        if not answered:
            raise DomainError("请至少回答一项待核实事项（是、否或不适用），并填写核实说明和证据材料。")
        rows = []
        for c in answered:
            if c.code not in items:
                raise DomainError("评估事项不存在，请刷新后重试。")
            try:
                answer, note, evidence = check_verification(items[c.code], c.answer, c.note, c.evidence)
            except DomainError as err:
                raise DomainError(err.message, field=f"{err.field}_{c.code}") from None
            rows.append(
                ApplicationCheck(
                    application_id=app.id,
                    round=app.evaluation_round,
                    code=c.code,
                    answer=answer,
                    note=note,
                    evidence=evidence,
                    verified_on=on,
                    verified_by=ctx.username,
                )
            )
        uow.session.add_all(rows)
        uow.flush()
        uow.session.refresh(app, ["checks"])
        number = _conclude(ctx, uow, app, on)
        for r in rows:
            audit(uow, "application.verify", "application", app.id, f"{r.code}={r.answer} {r.evidence}")
        if number:
            audit(
                uow,
                "application.evaluate",
                "application",
                app.id,
                f"第{app.evaluation_round}次评估 {RESULTS[app.result]} {number}",
            )
        uow.commit()
        return row_of(ctx, app)
