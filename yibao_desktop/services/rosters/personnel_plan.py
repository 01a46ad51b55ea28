"""人员登记备案名册 import, first half: check the rows against the database and the rest of the file, a block at a
time while the file is still being read (personnel.py writes what is planned)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Person, Registration
from yibao_desktop.adapters.excel import Problem
from yibao_desktop.adapters.excel.reader import paused_gc
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import Status, check_may_register
from yibao_desktop.domain.plausibility import check_commitment_date, commitment_date_problem

from ..context import AppContext
from .common import (
    REG_FIELDS,
    PlannedRow,
    RowPlanner,
    accept,
    all_persons,
    chunks,
    headers,
    institutions_by_code,
    not_bigger_than,
    persons_in,
    valid_rows,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .common import StoredInstitution, StoredPerson


# A stored registration as the planner reads it: a plain named tuple (a SQLAlchemy row's attributes cost ten times
# as much, and a re-imported roster compares eight of them on each of its rows).
_REGISTRATION_READ = ("person_id", "institution_id", "id", *(f for _k, f in REG_FIELDS))
_RegistrationRow = namedtuple("_RegistrationRow", _REGISTRATION_READ)  # type: ignore[misc]  # fields from REG_FIELDS


def _registrations(session: Session, person_ids: Iterable[int] | None) -> dict[tuple[int, int], Any]:
    """(person id, institution id) → current (not cancelled) registration values (None: of every person)."""
    cols = [getattr(Registration, f) for f in _REGISTRATION_READ]
    make = _RegistrationRow._make
    out: dict[tuple[int, int], Any] = {}
    current = select(*cols).where(Registration.cancelled_on.is_(None))
    parts = (
        [current] if person_ids is None else [current.where(Registration.person_id.in_(p)) for p in chunks(person_ids)]
    )
    for stmt in parts:
        for row in session.execute(stmt):
            out[(row[0], row[1])] = make(row)
    return out


_CODE_OWNERS = select(Registration.person_code, Person.id_number, Person.name).join(
    Person, Person.id == Registration.person_id
)


def _code_owners(session: Session, codes: Iterable[str] | None) -> dict[str, tuple[str, str]]:
    """Person code → (ID number, name) of the person who holds it (cancelled registrations too); None: every code,
    in one read of the table, else in IN (...) batches."""
    parts = (
        [_CODE_OWNERS]
        if codes is None
        else [_CODE_OWNERS.where(Registration.person_code.in_(p)) for p in chunks(codes)]
    )
    out: dict[str, tuple[str, str]] = {}
    for stmt in parts:
        for code, idn, name in session.execute(stmt):
            out.setdefault(code, (idn, name))
    return out


_ACTIVE_LABEL = Status.ACTIVE.label  # looked up once: the enum property costs a call per row


class PersonnelPlanner(RowPlanner):
    """Checks personnel rows against the database and the rest of the file, a block at a time: the preview hands
    it each block as soon as it is read (adapters.excel.RowSink), so the checks run while the next slice parses.

    The planned rows collect in `planned`, their problems in `problems`."""

    def __init__(self, ctx: AppContext, session: Session):
        self.session = session
        self.h = headers("personnel")
        self.today, self.profile = ctx.today(), ctx.profile
        self.insts = institutions_by_code(session)
        self.start(0)

    def start(self, expected_rows: int) -> None:
        """Begin a pass of about `expected_rows` rows. A table no bigger than that is read whole once (cheaper than
        IN (...) batches: a first import into a young database); otherwise each block looks up its own keys."""
        self.planned: list[PlannedRow] = []
        self.problems: list[Problem] = []
        self.names: dict[str, tuple[str, int]] = {}
        self.codes: dict[str, tuple[str, int]] = {}
        self.persons: dict[str, StoredPerson] = {}
        self.regs: dict[tuple[int, int], Any] = {}
        self.owners: dict[str, tuple[str, str]] = {}
        self.asked_codes: set[str] = set()
        self.regs_of: set[int] = set()  # persons whose registrations are loaded
        s = self.session
        self.all_persons = not_bigger_than(s, Person, expected_rows)
        self.all_regs = not_bigger_than(s, Registration, expected_rows)
        if self.all_persons:
            self.persons = all_persons(s)
        if self.all_regs:
            self.regs = _registrations(s, None)
            self.owners = _code_owners(s, None)

    def take(self, rows: list[dict], problems: list[Problem]) -> None:
        """Plan the rows of one block (those without an error among `problems` so far)."""
        rows = valid_rows(rows, problems)
        if not rows:
            return
        self._look_up(rows)
        planned, found_all, row = self.planned, self.problems, self.row
        inst_of, persons, owners = self.insts.get, self.persons.get, self.owners.get
        first_name, first_id = self.names.setdefault, self.codes.setdefault
        today, profile = self.today, self.profile
        for r in rows:
            # The usual row of a first import, planned here at once: a new person with a code of their own at a
            # known institution, nothing to say about it. Any other row takes row(), which repeats the checks made
            # so far (the first name and ID number noted for this row are the ones row() would note) and says why.
            idn, name, code, n = r["id_number"], r["name"], r["person_code"], r["_row"]
            inst = inst_of(r["institution_code"])
            if (
                inst is not None
                and (not r["institution_name"] or r["institution_name"] == inst.name)
                and first_name(idn, (name, n))[0] == name
                and persons(idn) is None
                and code is not None
                and owners(code) is None
                and first_id(code, (idn, n))[0] == idn
                and r["status"] in (None, _ACTIVE_LABEL)
                and (
                    not r["commitment_signed"]
                    if (on := r["commitment_date"]) is None
                    else commitment_date_problem(on, today=today, profile=profile, birth=r["birth_date"]) is None
                )
            ):
                target = {"institution_id": inst.id, "region_code": inst.region_code, "person_id": None}
                planned.append(PlannedRow("new", r, target))
                continue
            found: list[Problem] = []
            accept(row(r, found), found, planned, found_all)

    def _look_up(self, rows: list[dict]) -> None:
        """Load the persons, registrations and person-code owners these rows need and were not yet loaded."""
        s = self.session
        if not self.all_persons:
            self.persons.update(persons_in(s, {r["id_number"] for r in rows} - self.persons.keys()))
        if self.all_regs:
            return
        fresh = {p.id for r in rows if (p := self.persons.get(r["id_number"])) is not None} - self.regs_of
        self.regs.update(_registrations(s, fresh))
        self.regs_of |= fresh
        codes = {r["person_code"] for r in rows if r["person_code"]} - self.asked_codes
        self.owners.update(_code_owners(s, codes))
        self.asked_codes |= codes

    def row(self, r: dict, out: list[Problem]) -> PlannedRow | None:
        """One row: institution, name against the ID number, person code, then new or existing registration.

        The checks are written out in one method (not one call each): this runs for every row of a 100,000-row
        roster, and the usual row passes every check without a message."""
        n, h, idn, name, code = r["_row"], self.h, r["id_number"], r["name"], r["person_code"]
        # The row's institution must exist; a differing name only warns.
        inst = self.insts.get(r["institution_code"])
        if inst is None:
            out.append(
                Problem(
                    n,
                    h["institution_code"],
                    f"医药机构代码 {r['institution_code']} 在系统中不存在，请先登记或导入该机构",
                )
            )
        elif r["institution_name"] and r["institution_name"] != inst.name:
            out.append(
                Problem(n, h["institution_name"], f"系统中该代码的机构名称为“{inst.name}”，以系统为准", "warning")
            )
        # One ID number carries one name: across the file and against the person already registered.
        first = self.names.setdefault(idn, (name, n))
        if first[0] != name:
            out.append(Problem(n, h["name"], f"与第 {first[1]} 行身份证件号码相同，但姓名不同（“{first[0]}”）"))
        person = self.persons.get(idn)
        if person is not None and person.name != name:
            out.append(
                Problem(n, h["name"], f"身份证件号码 {idn} 已登记为“{person.name}”，与名册中的姓名“{name}”不一致")
            )
        # A person code may belong to one person only (in the database and in the file).
        if code is not None:
            owner = self.owners.get(code)
            if owner is not None and owner[0] != idn:
                out.append(Problem(n, h["person_code"], f"医保相关人员代码 {code} 已属于“{owner[1]}”，不能用于本人"))
            first = self.codes.setdefault(code, (idn, n))
            if first[0] != idn:
                out.append(
                    Problem(n, h["person_code"], f"与第 {first[1]} 行的医保相关人员代码相同，但身份证件号码不同")
                )
        if inst is None or out and any(p.severity == "error" for p in out):
            return None
        reg = self.regs.get((person.id, inst.id)) if person is not None else None
        if person is None or reg is None:
            return self._new(r, person, inst, out)
        return self._existing(r, person, reg, out)

    def _new(self, r: dict, person: StoredPerson | None, inst: StoredInstitution, out: list[Problem]) -> PlannedRow:
        """A new registration: person code required, the person may be registered, commitment dated."""
        n, h = r["_row"], self.h
        if r["person_code"] is None:
            out.append(Problem(n, h["person_code"], "新登记备案须填写医保相关人员代码"))
        if person is not None:
            try:
                check_may_register(person.status, person.status_end, person.ban_end, self.today)
            except DomainError as err:
                out.append(Problem(n, h["id_number"], err.message))
        if r["commitment_signed"] and r["commitment_date"] is None:
            out.append(Problem(n, h["commitment_date"], "已签订承诺书的，请填写承诺日期"))
        self._check_commitment_date(r, out)
        if r["status"] not in (None, _ACTIVE_LABEL):
            out.append(
                Problem(
                    n,
                    h["status"],
                    f"新登记备案的状态为“正常”，“{r['status']}”未导入（暂停、终止由医保支付资格处理决定）",
                    "warning",
                )
            )
        return PlannedRow(
            "new",
            r,
            {
                "institution_id": inst.id,
                "region_code": inst.region_code,
                "person_id": person.id if person is not None else None,
            },
        )

    def _check_commitment_date(self, r: dict, out: list[Problem]) -> None:
        """A 承诺日期 in the row must be plausible: the same rule as the registration form."""
        on = r["commitment_date"]
        if on is None:
            return
        try:
            check_commitment_date(on, today=self.today, profile=self.profile, birth=r["birth_date"])
        except DomainError as err:
            out.append(Problem(r["_row"], self.h["commitment_date"], err.message))

    def _existing(self, r: dict, person: StoredPerson, reg: Any, out: list[Problem]) -> PlannedRow:
        """An existing registration: blank cells keep the stored value; differences are planned updates."""
        values = {f: getattr(reg, f) for _k, f in REG_FIELDS}
        changed = False
        for key, f in REG_FIELDS:
            v = r[key]
            if v is not None and v != values[f]:
                values[f], changed = v, True
        if values["commitment"] and values["commitment_on"] is None:
            out.append(Problem(r["_row"], self.h["commitment_date"], "已签订承诺书的，请填写承诺日期"))
        self._check_commitment_date(r, out)
        phone = r["phone"] if r["phone"] is not None and r["phone"] != person.phone else None
        action = "changed" if changed or phone is not None else "unchanged"
        return PlannedRow(
            action,
            r,
            {"registration_id": reg.id, "person_id": person.id, "values": values, "changed": changed, "phone": phone},
        )


def plan_personnel(ctx: AppContext, session: Session, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
    """Plan a whole 人员登记备案名册 at once (rows with cell errors are left out; their problems are appended)."""
    with paused_gc():
        planner = PersonnelPlanner(ctx, session)
        planner.start(len(rows))
        planner.take(rows, problems)
        problems.extend(planner.problems)
        return planner.planned
