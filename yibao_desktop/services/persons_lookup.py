"""Small person look-ups shared by dialogs and importers."""

from __future__ import annotations

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Person
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import check_id_number

from .context import AppContext


def person_ids_by_id_numbers(ctx: AppContext, id_numbers: list[str]) -> list[int]:
    """Person ids for ID numbers; an unknown or invalid number is refused by name."""
    out = []
    with ctx.uow() as uow:
        for raw in id_numbers:
            info = check_id_number(raw)
            pid = uow.session.scalar(select(Person.id).where(Person.id_number == info.number))
            if pid is None:
                raise DomainError(f"身份证件号码 {info.number} 没有登记备案记录。", field="responsible")
            out.append(pid)
    return out


def persons_at_institution(ctx: AppContext, institution_id: int) -> list[tuple[str, str, str]]:
    """(ID number, name, person code) of everyone registered at an institution, for the responsible-person picker."""
    from yibao_desktop.adapters.db.models import Registration

    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(Person.id_number, Person.name, Registration.person_code)
            .join(Registration, Registration.person_id == Person.id)
            .where(Registration.institution_id == institution_id, Registration.cancelled_on.is_(None))
            .order_by(Registration.person_code)
        )
        return [(idn, name, code) for idn, name, code in rows]
