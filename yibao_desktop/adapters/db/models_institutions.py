"""Tables of institutions, agreements, agreement events and designation applications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned


class Institution(Versioned, Base):
    """A designated institution (hospital-type or retail pharmacy) with every field of the rules (docs/RULES.md)"""

    __tablename__ = "institutions"
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_initials: Mapped[str] = mapped_column(String(200), default="", index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    ownership: Mapped[str] = mapped_column(String(10), default="private")
    payment_level: Mapped[str] = mapped_column(String(20), default="")
    beds: Mapped[int] = mapped_column(Integer, default=0)
    address: Mapped[str] = mapped_column(String(300), default="")
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    area: Mapped[str] = mapped_column(String(20), default="")
    region_code: Mapped[str] = mapped_column(String(6), default="")
    legal_rep: Mapped[str] = mapped_column(String(50), default="")
    legal_rep_id: Mapped[str] = mapped_column(String(18), default="")
    principal: Mapped[str] = mapped_column(String(50), default="")
    principal_id: Mapped[str] = mapped_column(String(18), default="")
    controller: Mapped[str] = mapped_column(String(50), default="")
    controller_id: Mapped[str] = mapped_column(String(18), default="")
    bank_account: Mapped[str] = mapped_column(String(60), default="")
    licence_no: Mapped[str] = mapped_column(String(60), default="")
    licence_expiry: Mapped[date | None] = mapped_column(Date)
    departments: Mapped[str] = mapped_column(Text, default="")
    service_categories: Mapped[str] = mapped_column(String(200), default="")
    operating_since: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    dishonest: Mapped[bool] = mapped_column(Boolean, default=False)
    regional_centre: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    agreements: Mapped[list[Agreement]] = relationship(back_populates="institution")


class Agreement(Versioned, Base):
    """A service agreement between the office and an institution."""

    __tablename__ = "agreements"
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    agreement_type: Mapped[str] = mapped_column(String(10), default="annual")
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True, default="active")
    guidance_end: Mapped[date | None] = mapped_column(Date)
    guidance_extensions: Mapped[int] = mapped_column(Integer, default=0)
    internet_plus: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    institution: Mapped[Institution] = relationship(back_populates="agreements")
    events: Mapped[list[AgreementEvent]] = relationship(back_populates="agreement", order_by="AgreementEvent.on")


class AgreementEvent(Versioned, Base):
    """Signing, guidance extension, info change, renewal, action, suspension, resumption, termination, assessment."""

    __tablename__ = "agreement_events"
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    on: Mapped[date] = mapped_column(Date)
    decision_no: Mapped[str] = mapped_column(String(60), default="")
    action_code: Mapped[str] = mapped_column(String(30), default="")
    ground_code: Mapped[str] = mapped_column(String(30), default="")
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    effective: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    assessment_score: Mapped[float | None] = mapped_column(Float)
    department: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    approval_on: Mapped[date | None] = mapped_column(Date)  # info change: the approving authority's date
    state: Mapped[str] = mapped_column(String(12), default="done")  # proposed → done (maker–checker)
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    approved_by: Mapped[str] = mapped_column(String(40), default="")

    agreement: Mapped[Agreement] = relationship(back_populates="events")
    responsible: Mapped[list[AgreementEventPerson]] = relationship(cascade="all, delete-orphan")


class AgreementEventPerson(Base):
    """A person named responsible in an agreement event (scored and status-linked, 《规程》第三十四条)."""

    __tablename__ = "agreement_event_persons"
    event_id: Mapped[int] = mapped_column(ForeignKey("agreement_events.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)


class Application(Versioned, Base):
    """A designation application: intake, supplements, evaluation, publicity."""

    __tablename__ = "applications"
    applicant_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    kind: Mapped[str] = mapped_column(String(40), default="")
    received_on: Mapped[date] = mapped_column(Date)
    supplement_deadline: Mapped[date | None] = mapped_column(Date)  # the day asked for in the supplement notice
    supplement_notice_on: Mapped[date | None] = mapped_column(Date)
    supplement_received_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(10), default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    publicity_start: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    # 1 for the first evaluation, 2 for the re-evaluation after rectification; verifications belong to one round
    evaluation_round: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    checks: Mapped[list[ApplicationCheck]] = relationship(order_by="ApplicationCheck.id")
    items: Mapped[list[ApplicationMaterial]] = relationship(
        order_by="ApplicationMaterial.id", cascade="all, delete-orphan"
    )


class ApplicationMaterial(Base):
    """One 第八条 item of an application (code from domain.designation.MATERIALS): handed in at intake, asked for by
    the supplement notice, and the day it arrived, recorded by whom."""

    __tablename__ = "application_materials"
    __table_args__ = (UniqueConstraint("application_id", "item"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    item: Mapped[str] = mapped_column(String(40))
    at_intake: Mapped[bool] = mapped_column(Boolean, default=False)
    requested: Mapped[bool] = mapped_column(Boolean, default=False)
    received_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(40), default="")


class ApplicationCheck(Base):
    """The clerk's verification of one open evaluation item (append-only: the latest per item and round counts)."""

    __tablename__ = "application_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(4))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    verified_on: Mapped[date] = mapped_column(Date)
    verified_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
