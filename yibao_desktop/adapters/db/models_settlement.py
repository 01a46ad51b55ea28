"""Settlement checks (《规程》第四十五至四十八条): the runs and their findings; the claim lines stay in the clerk's file."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Versioned


class ClaimMapping(Versioned, Base):
    """A settlement system's header set mapped to the program's fields once, found again by its header set."""

    __tablename__ = "claim_mappings"
    name: Mapped[str] = mapped_column(String(60), unique=True)
    header_key: Mapped[str] = mapped_column(Text)  # the sorted set of headers (domain.settlement.header_key)
    mapping: Mapped[str] = mapped_column(Text)  # JSON: field → header
    created_by: Mapped[str] = mapped_column(String(40), default="")


class ClaimCheckRun(Base):
    """One check of one file: enough to recognise the file again and to reproduce the check."""

    __tablename__ = "claim_check_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    checked_by: Mapped[str] = mapped_column(String(40), default="")
    file_name: Mapped[str] = mapped_column(String(260))
    file_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    encoding: Mapped[str] = mapped_column(String(20), default="")
    mapping: Mapped[str] = mapped_column(Text, default="")  # JSON: field → header, as used
    mapping_name: Mapped[str] = mapped_column(String(60), default="")
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    strict: Mapped[bool] = mapped_column(Boolean, default=False)
    lines: Mapped[int] = mapped_column(Integer, default=0)
    lines_checked: Mapped[int] = mapped_column(Integer, default=0)
    problem_rows: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    fund_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # millions of lines: beyond 2^31 fen
    checked_fund_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # millions of lines: beyond 2^31 fen
    recoverable_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # millions of lines: beyond 2^31 fen


class ClaimFinding(Base):
    """A line of a checked file that should not have been settled (or must be verified), with its reason."""

    __tablename__ = "claim_findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("claim_check_runs.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    claim_id: Mapped[str] = mapped_column(String(60))
    institution_code: Mapped[str] = mapped_column(String(20), index=True)
    person_code: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    person_id: Mapped[int | None] = mapped_column(Integer)
    service_date: Mapped[date] = mapped_column(Date)
    fund_fen: Mapped[int] = mapped_column(Integer)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    reason_code: Mapped[str] = mapped_column(String(20))
    recoverable: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
