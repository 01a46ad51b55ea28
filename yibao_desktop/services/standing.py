"""A person's standing, shared by the scoring, notice, appeal, procedure and agreement use cases: yearly totals net
of repairs, and the status ledger (every suspension/termination a dated period; statuses derive from it).

This module sits below those services so that none of them imports another for these helpers.

Reading the ledger: `read_ledger` (every reader goes through it). A period holds as `domain/persons.py: held_span`
says — from `start` through `ended_on` when that is set, else it is still open; `end` is the last day printed on
its document (`doc_no`), `source` says what made it (domain.persons.PeriodSource).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from yibao_desktop.adapters.db.models import Disposition, Person, Registration, Repair, ScoreEntry, StatusPeriod
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.domain.persons import PeriodFact, PeriodSource, Status, held_span, standing_on
from yibao_desktop.domain.scoring import ScoreFact, yearly_total

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .context import AppContext


def _year(year: int):
    return date(year, 1, 1), date(year, 12, 31)


# the columns of a ScoreFact, in its field order
_FACT_COLUMNS = (
    ScoreEntry.id,
    ScoreEntry.decision_no,
    ScoreEntry.decision_date,
    ScoreEntry.batch,
    ScoreEntry.violation_code,
    ScoreEntry.points,
)


def score_facts(session: Session, person_id: int, year: int) -> list[ScoreFact]:
    """Active score facts of a person in a natural year (all institutions together)."""
    lo, hi = _year(year)
    rows = session.execute(
        select(*_FACT_COLUMNS).where(
            ScoreEntry.person_id == person_id,
            ScoreEntry.state == "active",
            ScoreEntry.decision_date >= lo,
            ScoreEntry.decision_date <= hi,
        )
    )
    return [ScoreFact(i, no, d, b, v, p) for i, no, d, b, v, p in rows]


def repaired_points(session: Session, person_id: int, year: int) -> int:
    """Points removed by granted repairs decided in the year."""
    lo, hi = _year(year)
    return (
        session.scalar(
            select(func.coalesce(func.sum(Repair.points_granted), 0)).where(
                Repair.person_id == person_id,
                Repair.state == "granted",
                Repair.decided_on >= lo,
                Repair.decided_on <= hi,
            )
        )
        or 0
    )


def repairs_by_person(session: Session, year: int) -> dict[int, int]:
    """Points removed by granted repairs decided in the year, per person."""
    lo, hi = _year(year)
    return {
        pid: int(n or 0)
        for pid, n in session.execute(
            select(Repair.person_id, func.sum(Repair.points_granted))
            .where(Repair.state == "granted", Repair.decided_on >= lo, Repair.decided_on <= hi)
            .group_by(Repair.person_id)
        )
    }


def year_total(session: Session, person_id: int, year: int) -> int:
    """A person's yearly total: counted points less granted repairs, then capped at 12."""
    return yearly_total(score_facts(session, person_id, year), year, repaired_points(session, person_id, year))


def refresh_year_points(session: Session, person_id: int, year: int, current_year: int) -> int:
    """Recompute a person's yearly total and store the current year's on every registration."""
    total = year_total(session, person_id, year)
    if year == current_year:
        session.execute(
            update(Registration)
            .where(Registration.person_id == person_id)
            .values(year_points=total)
            .execution_options(synchronize_session=False)
        )
    return total


def year_totals_all(session: Session, year: int) -> dict[int, int]:
    """Yearly total of every person scored in `year` (counted points less granted repairs, capped at 12)."""
    lo, hi = _year(year)
    facts: dict[int, list[ScoreFact]] = defaultdict(list)
    for pid, i, no, d, b, v, p in session.execute(
        select(ScoreEntry.person_id, *_FACT_COLUMNS).where(
            ScoreEntry.state == "active", ScoreEntry.decision_date >= lo, ScoreEntry.decision_date <= hi
        )
    ):
        facts[pid].append(ScoreFact(i, no, d, b, v, p))
    repaired = repairs_by_person(session, year)
    return {pid: yearly_total(f, year, repaired.get(pid, 0)) for pid, f in facts.items()}


@dataclass(frozen=True)
class LedgerPeriod:
    """One period of the ledger with what readers print: its source and its document number."""

    id: int
    person_id: int
    fact: PeriodFact
    source: str
    doc_no: str

    @property
    def held(self) -> tuple[date, date | None] | None:
        """The days it holds (domain/persons.py: held_span, the one rule); None if voided."""
        return held_span(self.fact)


def read_ledger(session: Session, person_ids: Collection[int] | None = None) -> list[LedgerPeriod]:
    """The status ledger, read in this one place by the status derivation, the settlement check, the status list
    and the 一医一档: every period (all sources, voided ones flagged), of the given persons or of everyone."""
    stmt = select(StatusPeriod, Disposition.doc_no).outerjoin(
        Disposition, Disposition.id == StatusPeriod.disposition_id
    )
    if person_ids is not None:
        stmt = stmt.where(StatusPeriod.person_id.in_(list(person_ids)))
    return [
        LedgerPeriod(
            sp.id,
            sp.person_id,
            PeriodFact(sp.status, sp.start, sp.end, sp.ban_end, sp.ended_on, sp.voided),
            sp.source or "",
            sp.doc_no or disp_no or "",  # an agreement action's period carries its decision number itself
        )
        for sp, disp_no in session.execute(stmt.order_by(StatusPeriod.start, StatusPeriod.id))
    ]


def period_facts(session: Session, person_id: int) -> list[PeriodFact]:
    """Every period of the person's ledger, whatever its source."""
    return [row.fact for row in read_ledger(session, [person_id])]


def add_period(
    session: Session,
    person: Person,
    status: Status,
    start: date,
    end: date,
    source: PeriodSource,
    doc_no: str,
    today: date,
    ban_end: date | None = None,
    disposition_id: int | None = None,
    agreement_event_id: int | None = None,
) -> StatusPeriod:
    """Write one period of the ledger and derive the person's and registrations' statuses from it."""
    sp = StatusPeriod(
        person_id=person.id,
        status=status,
        start=start,
        end=end,
        ban_end=ban_end,
        source=PeriodSource(source),
        doc_no=doc_no,
        disposition_id=disposition_id,
        agreement_event_id=agreement_event_id,
        voided=False,
    )
    session.add(sp)
    session.flush()
    derive_status(session, person, today)
    return sp


def derive_status(session: Session, person: Person, today: date) -> Status:
    """Set the person's status, period and ban, and every open registration's status, from the ledger."""
    session.flush()
    st = standing_on(period_facts(session, person.id), today)
    person.status, person.status_start, person.status_end, person.ban_end = st.status, st.start, st.end, st.ban_end
    session.execute(
        update(Registration)
        .where(Registration.person_id == person.id, Registration.cancelled_on.is_(None))
        .values(status=st.status)
        .execution_options(synchronize_session="fetch")
    )
    return st.status


def sync_statuses(session: Session, today: date) -> int:
    """Re-derive the status of persons whose stored status no longer matches the ledger on `today` (a period that
    a restoration ended on its last day, a resumption); returns persons changed."""
    stale = set(
        session.scalars(
            select(StatusPeriod.person_id)
            .join(Person, Person.id == StatusPeriod.person_id)
            .where(Person.status != Status.ACTIVE, StatusPeriod.ended_on.is_not(None), StatusPeriod.ended_on < today)
        )
    )
    n = 0
    for pid in stale:
        person = get_row(session, Person, pid)
        before = person.status
        if derive_status(session, person, today) != before:
            n += 1
    return n


def apply_todays_statuses(ctx: AppContext) -> int:
    """Bring the stored statuses to today's: periods a restoration or resumption ended yesterday or before end
    (the calendar changes a status without any action). The window calls it when it opens and at every midnight,
    the 工作台 on every load, the personnel export before it reads; returns the persons changed."""
    with ctx.uow() as uow:
        n = sync_statuses(uow.session, ctx.today())
        if n:
            uow.commit()
        return n
