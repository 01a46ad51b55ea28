"""Read-only queries about agreements (event history, proposals awaiting a second reviewer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Agreement, AgreementEvent
from yibao_desktop.domain.next_steps import agreement_events as allowed_kinds
from yibao_desktop.domain.next_steps import event_fields

from .agreements import EVENT_KINDS
from .context import AppContext


@dataclass(frozen=True)
class EventRow:
    """One agreement event (state "proposed" = awaiting another reviewer's approval)."""

    on: date
    kind: str
    kind_label: str
    decision_no: str
    detail: str
    id: int = 0
    state: str = "done"
    entered_by: str = ""
    version: int = 1


def _row(e: AgreementEvent) -> EventRow:
    label = EVENT_KINDS.get(e.kind, e.kind) + ("（待审核）" if e.state == "proposed" else "")
    return EventRow(e.on, e.kind, label, e.decision_no, e.detail, e.id, e.state, e.entered_by, e.version)


def agreement_events(ctx: AppContext, agreement_id: int) -> list[EventRow]:
    """Events of an agreement in date order."""
    with ctx.uow() as uow:
        return [
            _row(e)
            for e in uow.session.scalars(
                select(AgreementEvent)
                .where(AgreementEvent.agreement_id == agreement_id)
                .order_by(AgreementEvent.on, AgreementEvent.id)
            )
        ]


def proposed_events(ctx: AppContext, agreement_id: int | None = None) -> list[EventRow]:
    """Suspensions and terminations entered but not yet approved (maker–checker)."""
    stmt = select(AgreementEvent).where(AgreementEvent.state == "proposed").order_by(AgreementEvent.on)
    if agreement_id is not None:
        stmt = stmt.where(AgreementEvent.agreement_id == agreement_id)
    with ctx.uow() as uow:
        return [_row(e) for e in uow.session.scalars(stmt)]


@dataclass(frozen=True, slots=True)
class EventChoice:
    """One event kind the agreement admits now: its key, its label and the fields its form asks for
    (services/agreements.py: EventInput names; `domain/next_steps.py: event_fields`)."""

    kind: str
    label: str
    fields: tuple[str, ...]


def event_choices(ctx: AppContext, agreement_id: int) -> list[EventChoice]:
    """The events the agreement admits now, in the order the dialog offers them, each with the fields it asks
    (`domain/next_steps.py: agreement_events, event_fields`); empty for a terminated agreement."""
    with ctx.uow() as uow:
        ag = uow.get(Agreement, agreement_id, "协议不存在。")
        kinds = allowed_kinds(ag.status, ag.guidance_extensions)
        return [EventChoice(k, EVENT_KINDS[k], event_fields(k)) for k in kinds]
