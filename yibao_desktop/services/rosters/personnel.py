"""人员登记备案名册 import, second half: bulk-write the planned registrations in the import's one transaction
(personnel_plan.py checks and plans the rows)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from sqlalchemy import bindparam, insert, select, update

from yibao_desktop.adapters.db.checkpoint import checkpoint_after_commit
from yibao_desktop.adapters.db.models import Base, Person, Registration
from yibao_desktop.adapters.excel.reader import paused_gc
from yibao_desktop.domain.persons import Status
from yibao_desktop.domain.pinyin import initials_key, name_sort_key

from ..context import AppContext
from . import bulk
from .common import (
    REG_FIELDS,
    PlannedRow,
    chunks,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from yibao_desktop.adapters.db.uow import UnitOfWork


T = TypeVar("T")
_PERSONS = Base.metadata.tables["persons"]
_REGISTRATIONS = Base.metadata.tables["registrations"]


def commit_personnel(ctx: AppContext, uow: UnitOfWork, plan: list[PlannedRow]) -> None:
    """Bulk-insert new persons and registrations, then update the changed ones (Core statements)."""
    uow.lock_for_writing()  # ids are assigned from max(id), and SQLite DDL must run inside the transaction
    conn = uow.session.connection()
    if len(plan) >= bulk.BULK_REINDEX_ROWS:
        checkpoint_after_commit(uow.session, conn)  # the clerk does not wait for the WAL to be copied back
    with paused_gc(), bulk.bulk_page_cache(conn):
        _commit_personnel(ctx, conn, plan)


def _commit_personnel(ctx: AppContext, conn: Connection, plan: list[PlannedRow]) -> None:
    """The inserts and updates of commit_personnel."""
    new = [p for p in plan if p.action == "new"]
    stamp = _stamp(conn)
    ids = _insert_persons(conn, new, stamp)
    values = _registration_values(new, ids, _driver_sqlite(conn))
    _insert_registrations(conn, NewRegistrations(values, {**_registration_constants(ctx.today()), **stamp}))
    _update_registrations(conn, [p for p in plan if p.action == "changed"])


def _stamp(conn: Connection) -> dict[str, object]:
    """SQLite: the updated_at every row of this import gets, read once from the database's own clock in the form
    its server default writes (evaluating the default for each of 200,000 rows cost about 0.04 s); other
    engines: nothing (their default stamps the transaction's time anyway)."""
    if not _driver_sqlite(conn):
        return {}
    return {"updated_at": conn.exec_driver_sql("SELECT CURRENT_TIMESTAMP").scalar_one()}


def _driver_sqlite(conn: Connection) -> bool:
    """True when bulk inserts go straight to pysqlite (tests switch it off to compare with the generic path)."""
    return conn.dialect.name == "sqlite"


# Insert column orders; every column without a server default is written, so both paths store identical rows. The
# bound columns differ from row to row; the constant ones are the same for every new row.
PERSON_COLUMNS = ("id_number", "name", "name_initials", "birth_date", "sex", "phone", "name_sort")
PERSON_CONSTANTS = {
    "status": Status.ACTIVE.value,
    "status_start": None,
    "status_end": None,
    "ban_end": None,
    "version": 1,
}
REGISTRATION_COLUMNS = (
    "person_id",
    "institution_id",
    "person_code",
    "region_code",
    "practice_type",
    "practice_category",
    "practice_scope",
    "title",
    "commitment",
    "commitment_on",
)


def _registration_constants(today: date) -> dict[str, object]:
    """The values every new registration gets (registered today, active, no principal, nothing cancelled)."""
    return {
        "status": Status.ACTIVE.value,
        "is_principal": False,
        "registered_on": today,
        "cancelled_on": None,
        "cancel_reason": "",
        "year_points": 0,
        "version": 1,
    }


def _insert_persons(conn: Connection, new: list[PlannedRow], stamp: dict[str, object]) -> dict[str, int]:
    """Insert the persons not yet known (once per ID number); their ID number → new id."""
    people: dict[str, dict] = {}
    for p in new:
        if p.target["person_id"] is None:
            people.setdefault(p.row["id_number"], p.row)
    if not people:
        return {}
    if _driver_sqlite(conn):
        return _insert_persons_sqlite(conn, people, stamp)
    conn.execute(
        insert(Person),
        [
            dict(
                zip(
                    PERSON_COLUMNS,
                    (
                        idn,
                        r["name"],
                        initials_key(r["name"]),
                        r["birth_date"],
                        r["sex"],
                        r["phone"] or "",
                        name_sort_key(r["name"]),
                    ),
                    strict=True,
                ),
                **PERSON_CONSTANTS,
            )
            for idn, r in people.items()
        ],
    )
    ids: dict[str, int] = {}
    for part in chunks(people):
        ids.update(conn.execute(select(Person.id_number, Person.id).where(Person.id_number.in_(part))).all())
    return ids


def _insert_persons_sqlite(conn: Connection, people: dict[str, dict], stamp: dict[str, object]) -> dict[str, int]:
    """SQLite: one driver-level executemany with the ids given explicitly (SQLAlchemy's per-row binding is slow,
    and reading 100,000 new ids back cost a third of a second). commit_personnel holds SQLite's write lock
    (UnitOfWork.lock_for_writing), so nobody else can take these ids in between."""
    before: int = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM persons").scalar_one()
    ids = dict(zip(people, range(before + 1, before + 1 + len(people)), strict=True))
    rows = [
        (
            ids[idn],
            idn,
            r["name"],
            initials_key(r["name"]),
            r["birth_date"].isoformat(),
            r["sex"],
            r["phone"] or "",
            name_sort_key(r["name"]),
        )
        for idn, r in people.items()
    ]
    insert_sql = bulk.sqlite_insert("persons", ("id", *PERSON_COLUMNS), {**PERSON_CONSTANTS, **stamp})
    with bulk.indexes_rebuilt(conn, _PERSONS, len(rows)):
        conn.exec_driver_sql(insert_sql, rows)
    return ids


def _iso(value: date | None) -> str | None:
    """A date as SQLAlchemy binds it on SQLite ('YYYY-MM-DD')."""
    return None if value is None else value.isoformat()


def _registration_values(new: list[PlannedRow], ids: dict[str, int], sqlite: bool) -> list[tuple]:
    """Column values (REGISTRATION_COLUMNS order) of every new registration; SQLite's stored forms when asked."""
    day, flag = (_iso, int) if sqlite else (_same, bool)
    out = []
    for p in new:
        r, t = p.row, p.target
        out.append(
            (
                t["person_id"] or ids[r["id_number"]],
                t["institution_id"],
                r["person_code"],
                r["region_code"] or t["region_code"] or "",
                r["practice_type"] or "",
                r["practice_category"] or "",
                r["practice_scope"] or "",
                r["title"] or "",
                flag(bool(r["commitment_signed"])),
                day(r["commitment_date"]),
            )
        )
    return out


def _same(value: T) -> T:
    """The value itself (the generic path lets SQLAlchemy bind dates and booleans)."""
    return value


class NewRegistrations(NamedTuple):
    """The new registrations of one commit: each row's own values (REGISTRATION_COLUMNS), and those they share."""

    rows: list[tuple]
    constants: dict[str, object]


def _insert_registrations(conn: Connection, values: NewRegistrations) -> None:
    """One executemany for every new registration (kept apart so tests can make it fail)."""
    rows, fixed = values
    if not rows:
        return
    if _driver_sqlite(conn):
        fixed = {k: _iso(v) if isinstance(v, date) else v for k, v in fixed.items()}
        with bulk.indexes_rebuilt(conn, _REGISTRATIONS, len(rows)):
            conn.exec_driver_sql(bulk.sqlite_insert("registrations", REGISTRATION_COLUMNS, fixed), rows)
    else:
        conn.execute(insert(Registration), [dict(zip(REGISTRATION_COLUMNS, v, strict=True), **fixed) for v in rows])


def _update_registrations(conn: Connection, changed: list[PlannedRow]) -> None:
    """Changed registrations and phones, one executemany each; versions rise so open editors see the change."""
    regs = _REGISTRATIONS
    rows = [
        dict(rid=p.target["registration_id"], **{f"v_{k}": v for k, v in p.target["values"].items()})
        for p in changed
        if p.target["changed"]
    ]
    if rows:
        stmt = (
            update(regs)
            .where(regs.c.id == bindparam("rid"))
            .values(version=regs.c.version + 1, **{f: bindparam(f"v_{f}") for _k, f in REG_FIELDS})
        )
        conn.execute(stmt, rows)
    phones = {p.target["person_id"]: p.target["phone"] for p in changed if p.target["phone"] is not None}
    if phones:
        persons = _PERSONS
        stmt = (
            update(persons)
            .where(persons.c.id == bindparam("pid"))
            .values(phone=bindparam("v_phone"), version=persons.c.version + 1)
        )
        conn.execute(stmt, [{"pid": k, "v_phone": v} for k, v in phones.items()])
