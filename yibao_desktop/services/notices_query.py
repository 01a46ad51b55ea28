"""Read-only queries about notices used by the notice and appeal dialogs."""

from __future__ import annotations

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Disposition, Person
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import NoticeState

from .context import AppContext
from .dossier import disposition_row
from .rows import DispositionRow


def dispositions_of(ctx: AppContext, person_id: int) -> list[DispositionRow]:
    """A person's dispositions, newest first."""
    with ctx.uow() as uow:
        p = uow.session.get(Person, person_id)
        return [
            disposition_row(d, p.name)
            for d in uow.session.scalars(
                select(Disposition).where(Disposition.person_id == person_id).order_by(Disposition.id.desc())
            )
        ]


def appealable_notices(ctx: AppContext) -> list[DispositionRow]:
    """Issued or delivered notices (the ones an appeal can be filed against)."""
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(Disposition, Person.name)
            .join(Person, Person.id == Disposition.person_id)
            .where(Disposition.state.in_([NoticeState.ISSUED, NoticeState.DELIVERED]))
            .order_by(Disposition.issued_on.desc())
        )
        return [disposition_row(d, name) for d, name in rows]


def issued_on_day(ctx: AppContext, day) -> list[DispositionRow]:
    """Notices issued on a day (batch printing)."""
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(Disposition, Person.name)
            .join(Person, Person.id == Disposition.person_id)
            .where(Disposition.issued_on == day, Disposition.doc_no.is_not(None))
            .order_by(Disposition.doc_no)
        )
        return [disposition_row(d, name) for d, name in rows]


def disposition(ctx: AppContext, disposition_id: int) -> DispositionRow:
    """One disposition by id (the work list opens its exact notice)."""
    with ctx.uow() as uow:
        d = uow.session.get(Disposition, disposition_id)
        if d is None:
            raise DomainError("处理通知不存在（可能已被删除），请刷新。")
        return disposition_row(d, uow.session.get(Person, d.person_id).name)
