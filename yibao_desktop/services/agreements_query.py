"""Read-only queries about agreements (event history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from yibao_desktop.adapters.db.models import AgreementEvent

from .agreements import EVENT_KINDS
from .context import AppContext


@dataclass(frozen=True)
class EventRow:
    """One agreement event."""

    on: date
    kind: str
    kind_label: str
    decision_no: str
    detail: str


def agreement_events(ctx: AppContext, agreement_id: int) -> list[EventRow]:
    """Events of an agreement in date order."""
    with ctx.uow() as uow:
        return [EventRow(e.on, e.kind, EVENT_KINDS.get(e.kind, e.kind), e.decision_no, e.detail)
                for e in uow.session.scalars(select(AgreementEvent).where(AgreementEvent.agreement_id == agreement_id)
                                             .order_by(AgreementEvent.on, AgreementEvent.id))]
