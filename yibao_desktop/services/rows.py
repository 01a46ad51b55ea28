"""Read DTOs returned by services (plain frozen dataclasses; nothing lazy-loads later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class InstitutionRow:
    """One institution in the 定点机构 table."""

    id: int
    name: str
    code: str
    kind: str
    kind_label: str
    ownership_label: str
    payment_level: str
    beds: int
    area: str
    address: str
    agreement_status: str
    agreement_end: date | None
    registrations: int
    version: int
    search: str = ""
    region: str = ""  # 医保区划 with its county name, "445203 揭东区"


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """One agreement in the 医保协议 table."""

    id: int
    number: str
    institution_id: int
    institution_name: str
    institution_code: str
    agreement_type_label: str
    start: date
    end: date
    status: str
    status_label: str
    guidance_end: date | None
    suspensions: int
    version: int
    search: str = ""


@dataclass(slots=True)  # not frozen: frozen __init__ costs ~3× more at 100k rows
class RegistrationRow:
    """One registration in the 人员记分 table."""

    id: int
    person_id: int
    name: str
    id_number: str
    sex: str
    person_code: str
    institution_id: int
    institution_name: str
    institution_code: str
    practice_type: str
    title: str
    status: str
    status_label: str
    commitment: bool
    year_points: int
    registered_on: date
    cancelled_on: date | None
    version: int
    search: str = ""
    name_sort: str = ""  # pinyin order of the name (persons.name_sort)


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One score entry as shown in a dossier or the scores export."""

    id: int
    person_id: int
    person_name: str
    id_number: str
    institution_name: str
    institution_code: str
    decision_kind: str
    decision_no: str
    decision_date: date
    batch: str
    violation_code: str
    violation_name: str
    responsibility: str
    circumstance: str
    points: int
    counted: int
    total_after: int
    amount_fen: int
    state: str
    notes: str
    disposition_id: int | None


@dataclass(frozen=True, slots=True)
class DispositionRow:
    """A disposition / notice with its deadlines."""

    id: int
    person_id: int
    person_name: str
    kind: str
    kind_label: str
    months: int | None
    years: int | None
    decision_date: date
    points_this: int
    total_year: int
    reason: str
    state: str
    state_label: str
    doc_no: str | None
    effective: date | None
    period_end: date | None
    ban_end: date | None
    issued_on: date | None
    delivered_on: date | None
    received_on: date | None
    approved_by: str
    created_by: str
    version: int


@dataclass(frozen=True, slots=True)
class AppealRow:
    """An appeal in the 申诉处理 table."""

    id: int
    disposition_id: int
    doc_no: str
    person_name: str
    id_number: str
    filed_by: str
    received_on: date
    due: date
    state: str
    state_label: str
    outcome: str
    decided_on: date | None
    version: int
    search: str = ""


@dataclass(frozen=True, slots=True)
class StatusPeriodRow:
    """A suspension or termination period of a person."""

    id: int
    status: str
    start: date
    end: date | None
    ban_end: date | None
    ended_on: date | None
    doc_no: str | None
    source: str = "score"
    source_label: str = ""
    voided: bool = False
    ended_by: str = ""  # what ended it before its printed end: “记分修复 揭医保修〔2026〕1号”, “资格恢复（…决定）”


@dataclass(frozen=True)
class DossierRow:
    """一医一档: everything about one person."""

    person_id: int
    name: str
    id_number: str
    sex: str
    birth_date: date
    phone: str
    status: str
    status_label: str
    status_start: date | None
    status_end: date | None
    ban_end: date | None
    registrations: list[RegistrationRow] = field(default_factory=list)
    scores: list[ScoreRow] = field(default_factory=list)
    yearly_totals: dict[int, int] = field(default_factory=dict)
    dispositions: list[DispositionRow] = field(default_factory=list)
    periods: list[StatusPeriodRow] = field(default_factory=list)
    appeals: list[AppealRow] = field(default_factory=list)
    commendations: list[tuple[int, str]] = field(default_factory=list)
    birthplace: str = ""  # the ID number's birth-place code with its county name, "445202 榕城区"


@dataclass(frozen=True, slots=True)
class TodoRow:
    """One line of the dashboard's deadline list."""

    due: date
    kind: str
    subject: str
    detail: str
    urgency: str  # 'overdue' | 'soon' | 'later'
    ref: str
    ref_id: int
    awaiting: str = ""  # 'review': a draft opinion in the reviewer's 待审核 queue
    group: str = ""  # 已逾期 / 今天 / 本周 / 以后 (domain.worklist), set when the list is built
    days_left: int = 0  # calendar days to the due date (negative: overdue)
