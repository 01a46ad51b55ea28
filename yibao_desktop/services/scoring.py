"""Use cases of scoring (记分): preview while typing, record a decision's entries, propose the disposition."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, cast

from sqlalchemy import bindparam, select, update

from yibao_desktop.adapters.db.models import (
    Disposition,
    Institution,
    Person,
    Registration,
    ScoreEntry,
)
from yibao_desktop.domain.dispositions import DispositionKind, ProposedDisposition, propose_disposition
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import check_id_number
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.persons import NoticeState, Status
from yibao_desktop.domain.plausibility import check_decision_date
from yibao_desktop.domain.scoring import (
    Circumstance,
    Responsibility,
    ScoreFact,
    allowed_points,
    check_points,
    counted_points,
    decision_points,
    effective_band,
    propose_points,
    yearly_total,
)

from .audit import audit
from .context import AppContext
from .standing import refresh_year_points, repaired_points, score_facts, year_totals_all

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

DECISION_KINDS = {"penalty": "行政处罚", "agreement": "协议处理"}


@dataclass
class ScoreInput:
    """One score entry as typed in the score dialog or read from the 记分名册."""

    id_number: str
    institution_code: str
    decision_kind: str
    decision_no: str
    decision_date: date
    batch: str
    violation_code: str
    responsibility: str
    circumstance: str = "none"
    points: int | None = None
    amount_fen: int = 0
    notes: str = ""


@dataclass(frozen=True)
class ScorePreview:
    """What the dialog shows while typing: band, allowed range, proposal, totals and disposition."""

    violation_name: str
    band: int
    effective_band: int
    allowed: tuple[int, int]
    proposed: int
    points: int
    total_before: int
    total_after: int
    disposition: ProposedDisposition
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _suspended_in(session: Session, person_id: int, year: int) -> bool:
    """Was the person already given a suspension whose decision falls in this year (first time ≥ 9 rule)."""
    return (
        session.scalar(
            select(Disposition.id)
            .where(
                Disposition.person_id == person_id,
                Disposition.kind == DispositionKind.SUSPENSION,
                Disposition.state != NoticeState.VOIDED,
                Disposition.decision_date >= date(year, 1, 1),
                Disposition.decision_date <= date(year, 12, 31),
            )
            .limit(1)
        )
        is not None
    )


def _validate_enums(data: ScoreInput) -> tuple[Responsibility, Circumstance]:
    if data.decision_kind not in DECISION_KINDS:
        raise DomainError("请选择处理类型（行政处罚/协议处理）。", field="decision_kind")
    if not data.decision_no.strip():
        raise DomainError("请填写决定文书号。", field="decision_no")
    try:
        resp = Responsibility(data.responsibility)
    except ValueError as err:
        raise DomainError("请选择责任程度（一般/重要/主要）。", field="responsibility") from err
    try:
        circ = Circumstance(data.circumstance or "none")
    except ValueError as err:
        raise DomainError("情节不正确。", field="circumstance") from err
    return resp, circ


def preview_entries(ctx: AppContext, session: Session, person: Person, items: list[ScoreInput]) -> ScorePreview:
    """Evaluate one decision's entries against the person's year: points, totals, proposed disposition."""
    year = items[0].decision_date.year
    existing = score_facts(session, person.id, year)
    new, last = [], None
    for n, data in enumerate(items):
        resp, circ = _validate_enums(data)
        item = ctx.profile.item(data.violation_code)
        if item is None:
            raise DomainError(f"违规行为代码“{data.violation_code}”不在记分目录中。", field="violation_code")
        proposed = propose_points(item.band, resp, circ, ctx.profile)
        points = proposed if data.points is None else data.points
        check_points(points, item.band, circ)
        if data.decision_date.year != year:
            raise DomainError("同一决定的记分日期须在同一年度。", field="decision_date")
        # the single form, the 记分名册 and the CLI refuse the same dates with the same words
        check_decision_date(data.decision_date, today=ctx.today(), profile=ctx.profile)
        new.append(ScoreFact(-1 - n, data.decision_no, data.decision_date, data.batch, item.code, points))
        last = (item, circ, proposed, points)
    repaired = repaired_points(session, person.id, year)
    before = yearly_total(existing, year, repaired)
    after = yearly_total(existing + new, year, repaired)
    dec_points = decision_points(existing + new, items[0].decision_no)
    disp = propose_disposition(
        before,
        after,
        dec_points,
        _suspended_in(session, person.id, year),
        person.status == Status.TERMINATED,
        ctx.profile,
    )
    assert last is not None  # items[0] above: a decision has at least one entry
    item, circ, proposed, points = last
    return ScorePreview(
        item.name,
        item.band,
        effective_band(item.band, circ),
        allowed_points(item.band, circ),
        proposed,
        points,
        before,
        after,
        disp,
    )


def _person_by_id_number(session: Session, id_number: str) -> Person:
    info = check_id_number(id_number)
    person = session.scalar(select(Person).where(Person.id_number == info.number))
    if person is None:
        raise DomainError(f"身份证件号码 {info.number} 没有登记备案记录。", field="id_number")
    return person


def preview_score(ctx: AppContext, items: list[ScoreInput]) -> ScorePreview:
    """Preview for the dialog (read only)."""
    if not items:
        raise DomainError("至少录入一条记分。")
    with ctx.uow() as uow:
        person = _person_by_id_number(uow.session, items[0].id_number)
        return preview_entries(ctx, uow.session, person, items)


def _institution(session: Session, code: str) -> Institution:
    inst = session.scalar(select(Institution).where(Institution.code == code.strip().upper()))
    if inst is None:
        raise DomainError(f"医药机构代码 {code} 不存在。", field="institution_code")
    return inst


def record_scores(
    ctx: AppContext,
    items: list[ScoreInput],
    kind: str | None = None,
    months: int | None = None,
    uow: UnitOfWork | None = None,
) -> int:
    """Save one decision's entries and a draft disposition (kind/months as the clerk confirmed); returns its id.

    With the caller's `uow` (an appeal decision, a roster import) the caller's service has checked its permission.
    """
    if uow is None:
        require(ctx, Permission.SCORE_RECORD)
    if not items:
        raise DomainError("至少录入一条记分。")
    own = uow is None
    with ctx.uow() if uow is None else nullcontext(uow) as work:
        uow = work
        s = uow.session
        person = _person_by_id_number(s, items[0].id_number)
        dup = s.scalar(
            select(ScoreEntry.id).where(
                ScoreEntry.person_id == person.id,
                ScoreEntry.decision_no == items[0].decision_no.strip(),
                ScoreEntry.violation_code.in_([i.violation_code for i in items]),
                ScoreEntry.state == "active",
            )
        )
        if dup is not None:
            raise DomainError(
                f"决定文书号 {items[0].decision_no} 的该项记分已录入，不能重复记分。", field="decision_no"
            )
        preview = preview_entries(ctx, s, person, items)
        chosen = _confirm_kind(preview.disposition, kind, months)
        disp = Disposition(
            person_id=person.id,
            kind=chosen.kind,
            months=chosen.months,
            years=chosen.ban_years,
            decision_date=items[0].decision_date,
            points_this=sum_points(items, ctx),
            total_year=preview.total_after,
            watch=preview.disposition.watch,
            reason=preview.disposition.reason,
            state=NoticeState.DRAFT,
            created_by=uow.username,
        )
        s.add(disp)
        s.flush()
        s.add_all(_entries(ctx, s, person.id, disp.id, items, uow.username))
        s.flush()
        refresh_year_points(s, person.id, items[0].decision_date.year, ctx.today().year)
        audit(uow, "score.record", "disposition", disp.id, f"{person.id_number} {items[0].decision_no}")
        if own:
            uow.commit()
        return disp.id


def _entries(
    ctx: AppContext, s: Session, person_id: int, disposition_id: int, items: list[ScoreInput], username: str
) -> list[ScoreEntry]:
    """The ScoreEntry rows of one decision (blank points → the rule's proposal)."""
    rows = []
    for data in items:
        item = ctx.profile.item(data.violation_code)
        circ = Circumstance(data.circumstance or "none")
        points = (
            data.points
            if data.points is not None
            else propose_points(item.band, Responsibility(data.responsibility), circ, ctx.profile)
        )
        rows.append(
            ScoreEntry(
                person_id=person_id,
                institution_id=_institution(s, data.institution_code).id,
                decision_kind=data.decision_kind,
                decision_no=data.decision_no.strip(),
                decision_date=data.decision_date,
                batch=data.batch.strip(),
                violation_code=item.code,
                violation_name=item.name,
                band=item.band,
                responsibility=data.responsibility,
                circumstance=circ.value,
                points=points,
                amount_fen=data.amount_fen,
                notes=data.notes,
                entered_by=username,
                disposition_id=disposition_id,
            )
        )
    return rows


def sum_points(items: list[ScoreInput], ctx: AppContext) -> int:
    """Points of this decision after the same-inspection rule."""
    facts = []
    for n, d in enumerate(items):
        item = ctx.profile.item(d.violation_code)
        pts = (
            d.points
            if d.points is not None
            else propose_points(
                item.band, Responsibility(d.responsibility), Circumstance(d.circumstance or "none"), ctx.profile
            )
        )
        facts.append(ScoreFact(n, d.decision_no, d.decision_date, d.batch, item.code, pts))
    return sum(counted_points(facts).values())


def _confirm_kind(proposal: ProposedDisposition, kind: str | None, months: int | None) -> ProposedDisposition:
    """Apply the clerk's choice within what the rules allow (reminder instead of notice; 1–6 months)."""
    if kind is None or kind == proposal.kind:
        if proposal.kind == DispositionKind.SUSPENSION and months is not None:
            lo, hi = proposal.months_choices or (1, 6)
            if not lo <= months <= hi:
                raise DomainError(f"暂停月数须在{lo}至{hi}个月之间。", field="months")
            return replace(proposal, months=months)
        return proposal
    if {kind, proposal.kind} == {DispositionKind.NOTICE, DispositionKind.REMINDER}:
        return replace(proposal, kind=DispositionKind(kind))
    raise DomainError(f"本年度累计记分对应的处理为“{proposal.kind.label}”，不能改为其他处理。", field="kind")


def recompute_all(ctx: AppContext, year: int) -> int:
    """Recompute every person's yearly total (after a profile change or import); returns persons touched."""
    require(ctx, Permission.MAINTENANCE)
    with ctx.uow() as uow:
        totals = year_totals_all(uow.session, year)
        conn = uow.session.connection()
        conn.execute(update(Registration).values(year_points=0))
        if totals:
            stmt = (
                update(cast("Table", Registration.__table__))
                .where(Registration.__table__.c.person_id == bindparam("pid"))
                .values(year_points=bindparam("pts"))
            )
            conn.execute(stmt, [{"pid": k, "pts": v} for k, v in totals.items()])
        uow.commit()
        return len(totals)
