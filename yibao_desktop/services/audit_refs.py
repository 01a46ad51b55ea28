"""What the records an audit entry names are, in words: the 操作日志 shows “处理意见 揭医保记〔2026〕33号” and
“人员：曾志伟（#79）” instead of bare record numbers. Looked up once for a page of entries (one query per kind),
from the records as they are now; a record that no longer exists shows its number only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db import models as m

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# a captured field holding another record's id → that record's kind
REF_FIELDS = {
    "person_id": "person",
    "institution_id": "institution",
    "disposition_id": "disposition",
    "supersedes_id": "disposition",
    "agreement_id": "agreement",
    "registration_id": "registration",
    "appeal_id": "appeal",
    "application_id": "application",
}
# an audited table or entity → the kind of record its rows are
KIND_OF = {
    "persons": "person",
    "institutions": "institution",
    "dispositions": "disposition",
    "agreements": "agreement",
    "registrations": "registration",
    "appeals": "appeal",
    "applications": "application",
    **{kind: kind for kind in REF_FIELDS.values()},
}

Refs = dict[tuple[str, int], str]


def _named(kind: str):
    """The id column and the naming column of a record kind that names itself."""
    return {
        "person": (m.Person.id, m.Person.name),
        "institution": (m.Institution.id, m.Institution.name),
        "agreement": (m.Agreement.id, m.Agreement.number),
        "application": (m.Application.id, m.Application.applicant_name),
    }.get(kind)


def _lookups(s: Session, kind: str, ids: list[int]) -> dict[int, str]:
    """id → words for one kind of record."""
    named = _named(kind)
    if named is not None:
        key, text = named
        return {i: str(t) for i, t in s.execute(select(key, text).where(key.in_(ids)))}
    if kind == "registration":
        regs = s.execute(
            select(m.Registration.id, m.Person.name, m.Institution.name)
            .join(m.Person, m.Person.id == m.Registration.person_id)
            .join(m.Institution, m.Institution.id == m.Registration.institution_id)
            .where(m.Registration.id.in_(ids))
        )
        return {i: f"{person}@{inst}" for i, person, inst in regs}
    if kind not in ("disposition", "appeal"):
        return {}
    # a disposition, or an appeal against one: the person and the notice's number
    key = m.Appeal.id if kind == "appeal" else m.Disposition.id
    stmt = (
        select(key, m.Disposition.doc_no, m.Person.name)
        .select_from(m.Disposition)
        .join(m.Person, m.Person.id == m.Disposition.person_id)
    )
    if kind == "appeal":
        stmt = stmt.join(m.Appeal, m.Appeal.disposition_id == m.Disposition.id)
    return {
        i: f"{name} {doc_no}" if doc_no else f"{name}（未签发）"
        for i, doc_no, name in s.execute(stmt.where(key.in_(ids)))
    }


def wanted(entity: str, entity_id: int | None, changes: list) -> Iterable[tuple[str, int]]:
    """The records one entry names: its own record and every id-valued field of its captured changes."""
    if entity in KIND_OF and isinstance(entity_id, int):
        yield KIND_OF[entity], entity_id
    for change in changes:
        table, rid, field, old, new = change
        if table in KIND_OF and isinstance(rid, int):
            yield KIND_OF[table], rid
        if field in REF_FIELDS:
            for value in (old, new):
                if isinstance(value, int) and not isinstance(value, bool):
                    yield REF_FIELDS[field], value


def describe(s: Session, keys: Iterable[tuple[str, int]]) -> Refs:
    """(kind, id) → words, for every named record that still exists."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, rid in keys:
        by_kind[kind].add(rid)
    refs: Refs = {}
    for kind, ids in by_kind.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):  # keep each IN list short (PostgreSQL and SQLite alike)
            for rid, text in _lookups(s, kind, ordered[start : start + 500]).items():
                refs[(kind, rid)] = text
    return refs


def ref_text(refs: Refs, kind: str, rid) -> str:
    """“曾志伟（#79）”, or “#79” for a record that is gone."""
    text = refs.get((kind, rid)) if isinstance(rid, int) else None
    return f"{text}（#{rid}）" if text else f"#{rid}"
