"""Status list per institution (《规程》第三十三条、第三十七条): the registered persons whose qualification was suspended,
terminated or restored in a period, with dates and document numbers — what each institution must maintain on
receipt and show to patients. Read from the status ledger (every period, whatever its source)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Institution, Person, Registration
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Permission, require

from .context import AppContext
from .settlement_reference import SOURCE_LABELS
from .standing import read_ledger

CHANGE_LABELS = {"suspended": "暂停", "terminated": "终止", "restored": "恢复"}


@dataclass(frozen=True)
class StatusChangeRow:
    """One change of one registered person at one institution."""

    institution_code: str
    institution_name: str
    name: str
    person_code: str
    change: str  # 暂停 / 终止 / 恢复
    start: date
    end: date | None
    doc_no: str
    source: str


def _changes(start: date, end: date, status: str, span: tuple[date, date | None]):
    """(change, on, until) of one period that fall in [start, end]: its beginning and, once a restoration or
    resumption ended it, the day after (恢复). `span` is what the period holds (domain/persons.py: held_span)."""
    first, last = span
    if start <= first <= end:
        yield CHANGE_LABELS[status], first, last
    if status == "suspended" and last is not None and start <= last + timedelta(days=1) <= end:
        yield CHANGE_LABELS["restored"], last + timedelta(days=1), None


def status_changes(ctx: AppContext, start: date, end: date) -> list[StatusChangeRow]:
    """Every change in [start, end] of a person registered (at that time) at each institution, by institution."""
    require(ctx, Permission.EXPORT)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    with ctx.uow() as uow:
        s = uow.session
        regs = s.execute(
            select(
                Registration.person_id,
                Registration.person_code,
                Registration.registered_on,
                Registration.cancelled_on,
                Institution.code,
                Institution.name.label("inst_name"),
                Person.name.label("person_name"),
            )
            .join(Institution, Institution.id == Registration.institution_id)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.registered_on <= end)
        ).all()
        by_person: dict[int, list] = {}
        for r in regs:
            if r.cancelled_on is None or r.cancelled_on >= start:
                by_person.setdefault(r.person_id, []).append(r)
        periods = read_ledger(s, by_person)
    out = []
    for row in periods:
        span = row.held
        if span is None or row.fact.status not in ("suspended", "terminated"):
            continue
        for change, on, until in _changes(start, end, row.fact.status, span):
            for r in by_person.get(row.person_id, []):
                if r.registered_on <= on and (r.cancelled_on is None or on <= r.cancelled_on):
                    out.append(
                        StatusChangeRow(
                            r.code,
                            r.inst_name,
                            r.person_name,
                            r.person_code,
                            change,
                            on,
                            until,
                            row.doc_no,
                            SOURCE_LABELS.get(row.source, row.source),
                        )
                    )
    return sorted(out, key=lambda x: (x.institution_code, x.start, x.person_code))
