"""Roster templates and exports: blank templates, any table view, rosters in their import layout."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import case, select

from yibao_desktop.adapters.db.models import (
    Agreement,
    Disposition,
    Institution,
    Person,
    Registration,
    ScoreEntry,
)
from yibao_desktop.adapters.excel import Column, write_roster, write_table, write_template
from yibao_desktop.domain.dispositions import DispositionKind
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementType, InstitutionKind, Ownership
from yibao_desktop.domain.masking import mask_personal
from yibao_desktop.domain.persons import Status
from yibao_desktop.domain.scoring import Circumstance, Responsibility, ScoreFact, running_totals

from ..context import AppContext
from ..scoring import DECISION_KINDS
from ..standing import apply_todays_statuses, year_totals_all
from .common import AGREEMENT_STATUS_EXPORT, INST_FIELDS, REG_FIELDS, read_choices

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_ID_TEXT = re.compile(r"\d{17}[\dX]")
_CODE_TEXT = re.compile(r"(?=.*\d)[0-9A-Z][0-9A-Z\-]{4,}")
KIND_SAMPLE = 2000

_PERSONNEL_EXTRA = (
    Column("year_points", "本年度累计记分", "int", width=16),
    Column("status_start", "资格状态起始日期", "date", width=18),
    Column("status_end", "资格状态截止日期", "date", width=18),
    Column("ban_end", "再次登记备案限制截止日期", "date", width=26),
)
_SCORES_EXTRA = (
    Column("year_total", "本年度累计记分", "int", width=16),
    Column("proposal", "拟处理意见", "text", width=36),
)


def _institution_codes(session: Session) -> list[str]:
    """Every institution code, sorted."""
    return list(session.scalars(select(Institution.code).order_by(Institution.code)))


def template_bytes(ctx: AppContext, kind: str) -> bytes:
    """A blank roster template with drop-downs of this database (institution codes, violation codes)."""
    extra = read_choices(kind)
    if kind in ("personnel", "scores"):
        with ctx.uow() as uow:
            extra["institution_code"] = _institution_codes(uow.session)
    if kind == "scores":
        extra["violation_code"] = [it.code for it in ctx.profile.catalog]
    return write_template(kind, extra_choices=extra)


def _infer_kind(values: list) -> str:
    """Column kind from its values: dates, numbers, booleans, ID numbers and codes (as text), else text."""
    seen = [v for v in values if v is not None and v != ""]
    if not seen:
        return "text"
    if all(isinstance(v, date) for v in seen):
        return "date"
    if all(isinstance(v, bool) for v in seen):
        return "bool"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return "float"
    if all(isinstance(v, str) for v in seen):
        if all(_ID_TEXT.fullmatch(v) for v in seen):
            return "id"
        if all(_CODE_TEXT.fullmatch(v) for v in seen):
            return "code"
    return "text"


def export_table(title: str, headers: list[str], rows: list, mask: bool = False) -> bytes:
    """Export what a table view shows; column kinds are inferred from the values. `mask` hides the middle of ID
    numbers and mobile numbers (for whole tables sent outside the office; roster exports stay complete)."""
    rows = [[mask_personal(v) for v in r] for r in rows] if mask else list(rows)
    sample = rows[:KIND_SAMPLE]
    kinds = [_infer_kind([r[i] for r in sample if i < len(r)]) for i in range(len(headers))]
    return write_table(title, headers, rows, kinds)


def export_roster(ctx: AppContext, kind: str, year: int | None = None) -> bytes:
    """A roster in its import layout (re-importing it changes nothing) plus read-only extra columns.

    The stored statuses are first brought to today's (a period the calendar ended yesterday), so a batch export that
    runs before any window was opened today tells the same as the ledger."""
    if kind == "personnel":
        apply_todays_statuses(ctx)
    with ctx.uow() as uow:
        if kind == "personnel":
            return write_roster(kind, _personnel_rows(ctx, uow.session), _PERSONNEL_EXTRA, ordered=True)
        if kind == "institutions":
            return write_roster(kind, _institution_rows(uow.session))
        if kind == "scores":
            return write_roster(kind, _score_rows(uow.session, year), _SCORES_EXTRA)
    raise DomainError(f"不支持导出该名册：{kind}")


def _current_totals(session: Session, year: int) -> dict[int, int]:
    """Yearly total of every person scored in `year` (the scoring service's rule)."""
    return year_totals_all(session, year)


def _personnel_rows(ctx: AppContext, session: Session):
    """Current registrations as value lists in the order of the roster columns and _PERSONNEL_EXTRA, with this
    year's total and the qualification dates (lists, not dicts: 100,000 rows are exported at a time).

    Institution names and codes come from one small look-up rather than as two strings on every row, and the
    qualification dates are asked only of suspended or terminated persons: the export spends a sixth less
    time reading."""
    totals = _current_totals(session, ctx.today().year)
    labels = {s.value: s.label for s in Status}
    insts = {i: (n, c) for i, n, c in session.execute(select(Institution.id, Institution.name, Institution.code))}
    stopped = Person.status.in_((Status.SUSPENDED, Status.TERMINATED))
    stmt = (
        select(
            Person.id,
            Person.name,
            Person.id_number,
            Person.sex,
            Person.birth_date,
            Person.phone,
            case((stopped, Person.status_start)),
            case((stopped, Person.status_end)),
            Person.ban_end,
            Registration.institution_id,
            *(getattr(Registration, f) for _k, f in REG_FIELDS),
            Registration.status,
        )
        .join(Registration, Registration.person_id == Person.id)
        .join(Institution, Institution.id == Registration.institution_id)
        .where(Registration.cancelled_on.is_(None))
        .order_by(Institution.code, Registration.id)
    )
    for (
        pid,
        name,
        idn,
        sex,
        birth,
        phone,
        start,
        end,
        ban,
        iid,
        pcode,
        region,
        ptype,
        pcat,
        scope,
        title,
        commit,
        commit_on,
        rstatus,
    ) in session.connection().execute(stmt):  # Core: no ORM rows
        iname, icode = insts[iid]
        yield [
            name,
            pcode,
            idn,
            sex,
            birth,
            phone or None,
            iname,
            icode,
            region or None,
            ptype or None,
            pcat or None,
            scope or None,
            title or None,
            labels.get(rstatus, rstatus),
            commit,
            commit_on,
            totals.get(pid, 0),
            start,
            end,
            ban,
        ]


def _institution_rows(session: Session) -> list[dict]:
    """Institutions as roster dicts with their latest agreement."""
    latest: dict[int, Agreement] = {}
    for agreement in session.scalars(select(Agreement).order_by(Agreement.end, Agreement.id)):
        latest[agreement.institution_id] = agreement
    rows = []
    for inst in session.scalars(select(Institution).order_by(Institution.code)):
        row = {k: (getattr(inst, f) if getattr(inst, f) not in ("", None) else None) for k, f in INST_FIELDS}
        row.update(
            institution_code=inst.code,
            kind=InstitutionKind(inst.kind).label,
            ownership=Ownership(inst.ownership).label,
            beds=inst.beds,
        )
        a = latest.get(inst.id)
        if a is not None:
            row.update(
                agreement_no=a.number,
                agreement_type=AgreementType(a.agreement_type).label,
                agreement_start=a.start,
                agreement_end=a.end,
                agreement_status=AGREEMENT_STATUS_EXPORT.get(a.status, a.status),
            )
        rows.append(row)
    return rows


def proposal_text(kind: str | None, months: int | None, years: int | None) -> str:
    """拟处理意见 of a disposition, e.g. '暂停医保支付资格4个月'."""
    if not kind:
        return ""
    k = DispositionKind(kind)
    if k == DispositionKind.SUSPENSION and months:
        return f"{k.label}{months}个月"
    if k == DispositionKind.TERMINATION and years:
        return f"{k.label}，{years}年内不得再次登记备案"
    return k.label


def _running_totals_by_entry(entries: list[ScoreEntry]) -> dict[int, int]:
    """Score entry id → the person's running yearly total after that entry."""
    facts: dict[tuple[int, int], list[ScoreFact]] = defaultdict(list)
    for e in entries:
        facts[(e.person_id, e.decision_date.year)].append(
            ScoreFact(e.id, e.decision_no, e.decision_date, e.batch, e.violation_code, e.points)
        )
    running: dict[int, int] = {}
    for (_pid, y), fs in facts.items():
        running.update(running_totals(fs, y))
    return running


def _score_rows(session: Session, year: int | None) -> list[dict]:
    """Active score entries as roster dicts with the decision's disposition and the yearly total it rests on.

    本年度累计记分 is the total the disposition was proposed on (stored with it, net of repairs at the time), so
    the two columns tell one story; an entry without a disposition shows its running total."""
    circ = {c.value: c.label for c in Circumstance}
    resp = {r.value: r.label for r in Responsibility}
    stmt = (
        select(
            ScoreEntry,
            Person.id_number,
            Person.name,
            Institution.code,
            Disposition.kind,
            Disposition.months,
            Disposition.years,
            Disposition.total_year,
        )
        .join(Person, Person.id == ScoreEntry.person_id)
        .join(Institution, Institution.id == ScoreEntry.institution_id)
        .outerjoin(Disposition, Disposition.id == ScoreEntry.disposition_id)
        .where(ScoreEntry.state == "active")
        .order_by(ScoreEntry.decision_date, ScoreEntry.id)
    )
    if year is not None:
        stmt = stmt.where(ScoreEntry.decision_date >= date(year, 1, 1), ScoreEntry.decision_date <= date(year, 12, 31))
    found = session.execute(stmt).all()
    running = _running_totals_by_entry([e for e, *_rest in found])
    return [
        dict(
            id_number=idn,
            name=name,
            institution_code=icode,
            decision_kind=DECISION_KINDS.get(e.decision_kind),
            decision_no=e.decision_no,
            decision_date=e.decision_date,
            inspection_batch=e.batch or None,
            violation_code=e.violation_code,
            violation=e.violation_name,
            responsibility=resp.get(e.responsibility),
            circumstance=circ.get(e.circumstance),
            points=e.points,
            amount=e.amount_fen or None,
            notes=e.notes or None,
            year_total=running.get(e.id, 0) if total is None else total,
            proposal=proposal_text(kind, months, years),
        )
        for e, idn, name, icode, kind, months, years, total in found
    ]
