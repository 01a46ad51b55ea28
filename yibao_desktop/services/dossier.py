"""一医一档: every registration, score, total, disposition, period, appeal and commendation of one person."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import (
    Commendation,
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
from yibao_desktop.domain.dispositions import DispositionKind
from yibao_desktop.domain.ids import region_label
from yibao_desktop.domain.persons import NoticeState, PeriodSource, standing_on, status_label
from yibao_desktop.domain.scoring import ScoreFact, counted_points, running_totals, yearly_total

from .context import AppContext
from .labels import enum_label
from .rows import AppealRow, DispositionRow, DossierRow, RegistrationRow, ScoreRow, StatusPeriodRow
from .standing import read_ledger, repaired_points

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def disposition_row(d: Disposition, person_name: str) -> DispositionRow:
    """DTO of a disposition."""
    return DispositionRow(
        d.id,
        d.person_id,
        person_name,
        d.kind,
        enum_label(DispositionKind, d.kind),
        d.months,
        d.years,
        d.decision_date,
        d.points_this,
        d.total_year,
        d.reason,
        d.state,
        enum_label(NoticeState, d.state),
        d.doc_no,
        d.effective,
        d.period_end,
        d.ban_end,
        d.issued_on,
        d.delivered_on,
        d.received_on,
        d.approved_by,
        d.created_by,
        d.version,
    )


def score_rows(session: Session, person: Person) -> tuple[list[ScoreRow], dict[int, int]]:
    """Score entries of a person with counted points and running totals, plus the total of each year."""
    entries = session.execute(
        select(ScoreEntry, Institution.name, Institution.code)
        .join(Institution)
        .where(ScoreEntry.person_id == person.id)
        .order_by(ScoreEntry.decision_date, ScoreEntry.id)
    ).all()
    by_year: dict[int, list[ScoreFact]] = defaultdict(list)
    for e, _n, _c in entries:
        by_year[e.decision_date.year].append(
            ScoreFact(e.id, e.decision_no, e.decision_date, e.batch, e.violation_code, e.points, e.state == "active")
        )
    counted, running, totals = {}, {}, {}
    for year, facts in by_year.items():
        counted.update(counted_points(facts))
        running.update(running_totals(facts, year))
        totals[year] = yearly_total(facts, year, repaired_points(session, person.id, year))
    rows = [
        ScoreRow(
            e.id,
            person.id,
            person.name,
            person.id_number,
            iname,
            icode,
            e.decision_kind,
            e.decision_no,
            e.decision_date,
            e.batch,
            e.violation_code,
            e.violation_name,
            e.responsibility,
            e.circumstance,
            e.points,
            counted.get(e.id, 0),
            running.get(e.id, 0),
            e.amount_fen,
            e.state,
            e.notes,
            e.disposition_id,
        )
        for e, iname, icode in entries
    ]
    return rows, totals


def period_endings(session: Session, person_id: int) -> dict[int, str]:
    """What ended each of a person's periods before it ran out, in words: a passed restoration application
    (“资格恢复（2026-10-08决定）”) or a granted repair with the number of its decision (“记分修复 揭医保修〔2026〕1号”;
    services/score_followups.py ends the year's score periods the day before the repair decision)."""
    ended: dict[int, str] = {}
    for period_id, decided_on in session.execute(
        select(Restoration.status_period_id, Restoration.decided_on).where(
            Restoration.person_id == person_id, Restoration.decision == "passed"
        )
    ):
        ended[period_id] = f"资格恢复（{decided_on:%Y-%m-%d}决定）"
    repairs = session.execute(
        select(Repair.decided_on, Document.doc_no)
        .join(Document, (Document.ref_table == "repairs") & (Document.ref_id == Repair.id))
        .where(Repair.person_id == person_id, Repair.state == "granted", Document.doc_type == "repair")
    ).all()
    if repairs:
        for sp_id, sp_ended in session.execute(
            select(StatusPeriod.id, StatusPeriod.ended_on).where(
                StatusPeriod.person_id == person_id,
                StatusPeriod.source == PeriodSource.SCORE,
                StatusPeriod.ended_on.is_not(None),
            )
        ):
            for decided_on, doc_no in repairs:
                if sp_id not in ended and decided_on is not None and sp_ended == decided_on - timedelta(days=1):
                    ended[sp_id] = f"记分修复 {doc_no}"
    return ended


def load_dossier(ctx: AppContext, person_id: int) -> DossierRow:
    """The whole file of one person across institutions and years."""
    with ctx.uow() as uow:
        s = uow.session
        p = uow.get(Person, person_id, "人员不存在。")
        regs = s.execute(
            select(Registration, Institution.name, Institution.code)
            .join(Institution)
            .where(Registration.person_id == person_id)
            .order_by(Registration.registered_on)
        ).all()
        ledger = read_ledger(s, [person_id])  # the one reading of the ledger (services/standing.py)
        st = standing_on([row.fact for row in ledger], ctx.today())  # as of today, whatever was stored last
        reg_rows = [
            RegistrationRow(
                r.id,
                p.id,
                p.name,
                p.id_number,
                p.sex,
                r.person_code,
                r.institution_id,
                n,
                c,
                r.practice_type,
                r.title,
                "cancelled" if r.cancelled_on else st.status,
                status_label("cancelled" if r.cancelled_on else st.status),
                r.commitment,
                r.year_points,
                r.registered_on,
                r.cancelled_on,
                r.version,
            )
            for r, n, c in regs
        ]
        scores, totals = score_rows(s, p)
        disps = [
            disposition_row(d, p.name)
            for d in s.scalars(
                select(Disposition).where(Disposition.person_id == person_id).order_by(Disposition.decision_date)
            )
        ]
        ended_by = period_endings(s, person_id)
        periods = [
            StatusPeriodRow(
                row.id,
                row.fact.status,
                row.fact.start,
                row.fact.end,
                row.fact.ban_end,
                row.fact.ended_on,
                row.doc_no or None,
                row.source,
                enum_label(PeriodSource, row.source),
                row.fact.voided,
                ended_by.get(row.id, "") if row.fact.ended_on and not row.fact.voided else "",
            )
            for row in ledger
        ]
        from .appeals import appeal_rows

        appeals = appeal_rows(ctx, s, person_id=person_id)
        comm = [
            (c.year, c.title)
            for c in s.scalars(
                select(Commendation).where(Commendation.person_id == person_id).order_by(Commendation.year)
            )
        ]
        return DossierRow(
            p.id,
            p.name,
            p.id_number,
            p.sex,
            p.birth_date,
            p.phone,
            st.status,
            st.status.label,
            st.start,
            st.end,
            st.ban_end,
            reg_rows,
            scores,
            totals,
            disps,
            periods,
            appeals,
            comm,
            region_label(p.id_number[:6]),
        )


__all__ = ["load_dossier", "disposition_row", "score_rows", "AppealRow"]
