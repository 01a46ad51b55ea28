"""Shared pieces of the roster import: labels, the planned row, batched look-ups and the row-planning loop."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import (
    Agreement,
    Base,
    ClaimFinding,
    Institution,
    Person,
    Registration,
    ScoreEntry,
)
from yibao_desktop.adapters.excel import Problem, columns
from yibao_desktop.adapters.excel.columns import INSTITUTION_CLASS_TEXTS
from yibao_desktop.domain.institutions import AgreementStatus

if TYPE_CHECKING:
    from sqlalchemy import Row
    from sqlalchemy.orm import Session

    # Rows of columns chosen at run time, as the import's batched look-ups read them.
    AnyRow: TypeAlias = Row[*tuple[Any, ...]]

ROSTER_LABELS = {"institutions": "机构名册", "personnel": "人员登记备案名册", "scores": "记分名册"}
CHUNK = 500  # keys per IN (...) query: far below every engine's parameter limit

# Export labels of agreement statuses; the roster's own choices name 正常 rather than 履行中.
AGREEMENT_STATUS_EXPORT = {
    "active": "正常",
    "suspended": "中止",
    "terminated": "解除",
    "expired": "到期终止",
    "guidance": "政策辅导期",
    "draft": "待签订",
}
# Roster key → Registration column, for the registration cells of a 人员登记备案名册.
REG_FIELDS = (
    ("person_code", "person_code"),
    ("region_code", "region_code"),
    ("practice_type", "practice_type"),
    ("practice_category", "practice_category"),
    ("practice_scope", "practice_scope"),
    ("title", "title"),
    ("commitment_signed", "commitment"),
    ("commitment_date", "commitment_on"),
)
# Roster key → Institution column, for the institution cells of a 机构名册.
INST_FIELDS = (
    ("name", "name"),
    ("credit_code", "credit_code"),
    ("kind", "kind"),
    ("ownership", "ownership"),
    ("payment_level", "payment_level"),
    ("beds", "beds"),
    ("address", "address"),
    ("longitude", "longitude"),
    ("latitude", "latitude"),
    ("area", "area"),
    ("legal_representative", "legal_rep"),
    ("legal_representative_id_number", "legal_rep_id"),
    ("principal", "principal"),
    ("actual_controller", "controller"),
    ("phone", "phone"),
)


_AS_CODES = ("kind", "ownership")  # stored as codes, not as the roster's text
# Roster key → the database column its text is stored in (name compared, not stored, are left out).
_STORED_IN = {
    "personnel": {
        "name": Person.name,
        "person_code": Registration.person_code,
        "id_number": Person.id_number,
        "sex": Person.sex,
        "phone": Person.phone,
        "institution_code": Institution.code,
        **{k: getattr(Registration, f) for k, f in REG_FIELDS[1:6]},
    },
    "institutions": {
        **{k: getattr(Institution, f) for k, f in INST_FIELDS if k not in _AS_CODES},
        "institution_code": Institution.code,
        "agreement_no": Agreement.number,
    },
    "scores": {
        "id_number": Person.id_number,
        "institution_code": Institution.code,
        "decision_no": ScoreEntry.decision_no,
        "inspection_batch": ScoreEntry.batch,
        "violation_code": ScoreEntry.violation_code,
        "notes": ScoreEntry.notes,
    },
    # a claim line itself is never stored; these cells are, on a finding of the settlement check
    "claims": {
        "claim_id": ClaimFinding.claim_id,
        "institution_code": ClaimFinding.institution_code,
        "person_code": ClaimFinding.person_code,
        "id_number": ClaimFinding.id_number,
    },
}


def text_limits(kind: str) -> dict[str, int]:
    """Column key → the most characters its database column holds (String(n)); Text columns have no limit.

    Read from the models, the one home of the sizes, and checked while reading: SQLite would store any length
    and PostgreSQL would refuse the whole commit, so both engines get the same rule before anything is written.
    """
    limits = {}
    for key, column in _STORED_IN[kind].items():
        length = getattr(column.type, "length", None)
        if length is not None:
            limits[key] = length
    return limits


class StoredPerson(NamedTuple):
    """A stored person as the import's look-ups read it. Plain tuples, not SQLAlchemy rows: a row's attribute costs
    ten times a tuple's, and the planner reads several for each of 100,000 roster rows."""

    id_number: str
    id: int
    name: str
    phone: str
    status: str
    status_end: date | None
    ban_end: date | None


class StoredInstitution(NamedTuple):
    """A stored institution as the import's look-ups read it (plain tuple, as StoredPerson)."""

    id: int
    code: str
    name: str
    region_code: str
    kind: str


@dataclass(slots=True)
class PlannedRow:
    """One accepted roster row and what committing it does: action 'new', 'changed' or 'unchanged'."""

    action: str
    row: dict
    target: dict = field(default_factory=dict)


class RowPlanner:
    """Base of the per-roster planners: subclasses check one row in `row(r, found)`."""

    def row(self, r: dict, out: list[Problem]) -> PlannedRow | None:
        """Check one row, appending its problems to `out`; the planned row, or None when refused."""
        raise NotImplementedError

    def plan(self, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
        """Plan every row given; problems are appended, rows with an error are left out of the plan."""
        plan: list[PlannedRow] = []
        for r in rows:
            found: list[Problem] = []
            accept(self.row(r, found), found, plan, problems)
        return plan


def headers(kind: str) -> dict[str, str]:
    """Column key → Chinese header."""
    return {c.key: c.header for c in columns(kind)}


def chunks(values: Iterable, size: int = CHUNK):
    """Successive lists of at most `size` values."""
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def read_choices(kind: str) -> dict[str, list[str]]:
    """Choices accepted on import beyond the roster's own: whole kind classes (older rosters), every status."""
    if kind != "institutions":
        return {}
    return {
        "kind": list(INSTITUTION_CLASS_TEXTS),
        "agreement_status": [s.label for s in AgreementStatus] + list(AGREEMENT_STATUS_EXPORT.values()),
    }


def error_rows(problems: list[Problem]) -> set[int]:
    """Rows that already have an error (from the cells or an earlier check)."""
    return {p.row for p in problems if p.severity == "error"}


def valid_rows(rows: list[dict], problems: list[Problem]) -> list[dict]:
    """The rows without an error so far (cell errors found while reading)."""
    bad = error_rows(problems)
    return [r for r in rows if r["_row"] not in bad]


def accept(planned: PlannedRow | None, found: list[Problem], plan: list, problems: list) -> None:
    """Keep the row's problems; plan it only when none of them is an error."""
    if not found:  # the usual case, kept cheap: 100,000-row rosters pass through here
        if planned is not None:
            plan.append(planned)
        return
    problems.extend(found)
    if planned is not None and not any(p.severity == "error" for p in found):
        plan.append(planned)


_PERSON_READ = (
    Person.id_number,
    Person.id,
    Person.name,
    Person.phone,
    Person.status,
    Person.status_end,
    Person.ban_end,
)


def persons_by_id_number(session: Session, id_numbers: Iterable[str]) -> dict[str, StoredPerson]:
    """ID number → (id_number, id, name, phone, status, status_end, ban_end) of the persons already known."""
    wanted = set(id_numbers)
    if not_bigger_than(session, Person, len(wanted)):
        return {k: v for k, v in all_persons(session).items() if k in wanted}
    return persons_in(session, wanted)


def all_persons(session: Session) -> dict[str, StoredPerson]:
    """persons_by_id_number of every stored person (one read of the whole table)."""
    make = StoredPerson._make
    return {row[0]: make(row) for row in session.execute(select(*_PERSON_READ))}


def persons_in(session: Session, id_numbers: Iterable[str]) -> dict[str, StoredPerson]:
    """persons_by_id_number in IN (...) batches, without first counting the table."""
    make = StoredPerson._make
    out: dict[str, StoredPerson] = {}
    for part in chunks(id_numbers):
        for row in session.execute(select(*_PERSON_READ).where(Person.id_number.in_(part))):
            out[row[0]] = make(row)
    return out


def not_bigger_than(session: Session, model: type[Base], keys: int) -> bool:
    """True when `model`'s table has at most `keys` rows: reading it whole is then cheaper than IN (...) batches
    (a first import of 100,000 rows into a young database spends a second in look-ups otherwise)."""
    return keys > CHUNK and (session.scalar(select(func.count()).select_from(model)) or 0) <= keys


def institutions_by_code(session: Session) -> dict[str, StoredInstitution]:
    """Institution code → (id, code, name, region_code, kind)."""
    stmt = select(Institution.id, Institution.code, Institution.name, Institution.region_code, Institution.kind)
    return {row[1]: StoredInstitution._make(row) for row in session.execute(stmt)}
