"""Tables of the office itself: settings, users, audit log, document numbers and register."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Versioned


class Setting(Versioned, Base):
    """One office setting (key → text value)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str] = mapped_column(Text, default="")


class User(Versioned, Base):
    """An account of this database: role clerk / reviewer / admin / auditor; disabled, never deleted."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(12), default="clerk")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(200), default="")  # argon2id, never the password
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """Who did what, when, to which record, with old and new values; chained by SHA-256 (append only)."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp(), index=True)
    username: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="")  # JSON: [[table, id, field, old, new], …]
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")


class DocSerial(Base):
    """Last serial used per document type and year; numbers are never reused."""

    __tablename__ = "doc_serials"
    __table_args__ = (UniqueConstraint("doc_type", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    """The register of every issued document; voided ones stay listed."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(30), index=True)
    doc_no: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200), default="")
    ref_table: Mapped[str] = mapped_column(String(30), default="")
    ref_id: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    file_hash: Mapped[str] = mapped_column(String(64), default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(String(200), default="")
