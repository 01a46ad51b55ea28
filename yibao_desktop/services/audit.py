"""The append-only audit log written by every service that changes data."""

from __future__ import annotations

from yibao_desktop.adapters.db.models import AuditEntry


def audit(uow, action: str, entity: str, entity_id: int | None, detail: str = "") -> None:
    """Record one action of the current user inside the unit of work."""
    uow.session.add(AuditEntry(username=uow.username, action=action, entity=entity, entity_id=entity_id,
                               detail=detail[:2000]))
