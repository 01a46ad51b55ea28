"""Tables of persons, registrations, score entries, dispositions, status periods and the follow-ups of a score
record (repairs, restorations, copy reports, commendations)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yibao_desktop.domain.pinyin import name_sort_key

from .base import Base, Versioned


def _name_sort(context) -> str:
    return name_sort_key(context.get_current_parameters().get("name") or "")


class Person(Versioned, Base):
    """One related person per ID number, with the qualification status that links all registrations."""

    __tablename__ = "persons"
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    # Names and initials are searched in memory (any substring, every reading), never through an index.
    name: Mapped[str] = mapped_column(String(50))
    name_initials: Mapped[str] = mapped_column(String(120), default="")
    # pinyin (dictionary) order of the name, filled by the database layer on insert
    name_sort: Mapped[str] = mapped_column(String(400), default=_name_sort, server_default="")
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    status_start: Mapped[date | None] = mapped_column(Date)
    status_end: Mapped[date | None] = mapped_column(Date)
    ban_end: Mapped[date | None] = mapped_column(Date)

    registrations: Mapped[list[Registration]] = relationship(back_populates="person")


class Registration(Versioned, Base):
    """A person registered (登记备案) at one institution; cancelled ones stay as history."""

    __tablename__ = "registrations"
    # The (person, institution) index also serves every look-up by person alone.
    # One active registration per person and institution, enforced by the database (two clerks may import the same
    # roster at the same moment); cancelled ones stay as history.
    __table_args__ = (
        Index("ix_registrations_person_institution", "person_id", "institution_id"),
        Index(
            "uq_registrations_active_person_institution",
            "person_id",
            "institution_id",
            unique=True,
            sqlite_where=text("cancelled_on IS NULL"),
            postgresql_where=text("cancelled_on IS NULL"),
        ),
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    person_code: Mapped[str] = mapped_column(String(20), index=True)
    region_code: Mapped[str] = mapped_column(String(6), default="")
    practice_type: Mapped[str] = mapped_column(String(40), default="")
    practice_category: Mapped[str] = mapped_column(String(40), default="")
    practice_scope: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    commitment: Mapped[bool] = mapped_column(Boolean, default=False)
    commitment_on: Mapped[date | None] = mapped_column(Date)
    is_principal: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_on: Mapped[date] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str] = mapped_column(String(100), default="")
    year_points: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="registrations")


class ScoreEntry(Versioned, Base):
    """One score (记分) resting on a decision; score date = decision date."""

    __tablename__ = "score_entries"
    __table_args__ = (Index("ix_score_entries_person_year", "person_id", "decision_date"),)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    decision_kind: Mapped[str] = mapped_column(String(20))
    decision_no: Mapped[str] = mapped_column(String(60), index=True)
    decision_date: Mapped[date] = mapped_column(Date, index=True)
    batch: Mapped[str] = mapped_column(String(60), default="")
    violation_code: Mapped[str] = mapped_column(String(20))
    violation_name: Mapped[str] = mapped_column(String(200))
    band: Mapped[int] = mapped_column(Integer)
    responsibility: Mapped[str] = mapped_column(String(12))
    circumstance: Mapped[str] = mapped_column(String(12), default="none")
    points: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="active", index=True)
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    reviewed_by: Mapped[str] = mapped_column(String(40), default="")
    disposition_id: Mapped[int | None] = mapped_column(ForeignKey("dispositions.id"), index=True)


class Disposition(Versioned, Base):
    """A disposition and its notice (annex 3): draft → approved → issued → delivered (or voided)."""

    __tablename__ = "dispositions"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    months: Mapped[int | None] = mapped_column(Integer)
    years: Mapped[int | None] = mapped_column(Integer)
    decision_date: Mapped[date] = mapped_column(Date)
    points_this: Mapped[int] = mapped_column(Integer, default=0)
    total_year: Mapped[int] = mapped_column(Integer, default=0)
    watch: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    doc_no: Mapped[str | None] = mapped_column(String(60), unique=True)
    effective: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    ban_end: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    approved_by: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("dispositions.id"))


class StatusPeriod(Versioned, Base):
    """The status ledger: one suspension or termination of a person's payment qualification, whatever its source.

    In force from `start` through `ended_on` (resumed / restored), or while `ended_on` is empty; `end` is the last
    day printed on the document (`doc_no`); a voided period never counted. `source` is a domain PeriodSource.
    """

    __tablename__ = "status_periods"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    disposition_id: Mapped[int | None] = mapped_column(ForeignKey("dispositions.id"))
    agreement_event_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_events.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    ban_end: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="score")
    doc_no: Mapped[str] = mapped_column(String(60), default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)


class Appeal(Versioned, Base):
    """陈述申辩/异议申诉 against a notice (annex 5)."""

    __tablename__ = "appeals"
    disposition_id: Mapped[int] = mapped_column(ForeignKey("dispositions.id"), index=True)
    filed_by: Mapped[str] = mapped_column(String(12), default="person")
    received_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    transferred: Mapped[bool] = mapped_column(Boolean, default=False)
    expert_days: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(12), default="")
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    new_points: Mapped[int | None] = mapped_column(Integer)
    decided_on: Mapped[date | None] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(40), default="")  # maker–checker: may not decide it


class Repair(Versioned, Base):
    """记分修复 application (annex 4)."""

    __tablename__ = "repairs"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    disposition_id: Mapped[int | None] = mapped_column(ForeignKey("dispositions.id"))
    applied_on: Mapped[date] = mapped_column(Date)
    activities: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text, default="")
    institution_opinion: Mapped[str] = mapped_column(Text, default="")
    points_granted: Mapped[int] = mapped_column(Integer, default=0)
    decided_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="received")
    entered_by: Mapped[str] = mapped_column(String(40), default="")  # maker–checker: may not decide it


class Restoration(Versioned, Base):
    """资格恢复 application (annex 6)."""

    __tablename__ = "restorations"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    status_period_id: Mapped[int] = mapped_column(ForeignKey("status_periods.id"))
    filed_on: Mapped[date] = mapped_column(Date)
    institution_opinion: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(12), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(40), default="")  # maker–checker: may not decide it


class CopyReport(Versioned, Base):
    """记分情况抄告书 (annex 7) to health / drug regulators."""

    __tablename__ = "copy_reports"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    recipients: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text, default="")
    doc_no: Mapped[str | None] = mapped_column(String(60), unique=True)
    on: Mapped[date] = mapped_column(Date)


class Commendation(Versioned, Base):
    """好医师/好药师 per person and year."""

    __tablename__ = "commendations"
    __table_args__ = (UniqueConstraint("person_id", "year", "title"),)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
