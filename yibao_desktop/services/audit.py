"""The append-only, SHA-256-chained audit log written by every service that changes data.

`audit()` queues an entry in the unit of work; every change of an ORM record in the same unit of work is captured
(table, id, field, old, new) and written with it when the unit of work commits, each entry chained to the one
before. A reading of the log lives in services.audit_log.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING

from sqlalchemy import event, func, inspect, select

from yibao_desktop.adapters.db.models import AuditEntry, Setting
from yibao_desktop.domain.audit_chain import GENESIS, ChainEntry, entry_hash

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

HEAD_KEY = "audit_head"
MAX_CHANGES = 400  # per unit of work; a whole-table recalculation is summarised, not copied into the log
_SKIPPED = {"version", "updated_at"}
_SECRET = {"password_hash"}


def audit(uow: UnitOfWork, action: str, entity: str, entity_id: int | None, detail: str = "") -> None:
    """Record one action of the current user inside the unit of work (written, chained, on commit)."""
    if not hasattr(uow, "audit_pending"):  # a bare UnitOfWork (not from AppContext.uow)
        start_capture(uow)
    uow.audit_pending.append(
        dict(username=uow.username, action=action, entity=entity, entity_id=entity_id, detail=detail[:2000])
    )


def start_capture(uow: UnitOfWork) -> None:
    """Collect the field changes of this unit of work and write the queued entries before it commits."""
    uow.audit_pending, uow.audit_changes, uow.audit_more = [], [], 0
    event.listen(uow.session, "after_flush", lambda session, _ctx: _capture(uow, session))
    uow.before_commit.append(_write_entries)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def _capture(uow: UnitOfWork, session: Session) -> None:
    """After a flush (ids known, history still there): every inserted, updated or deleted field."""
    for kind, objs in (("新增", session.new), ("修改", session.dirty), ("删除", session.deleted)):
        for obj in objs:
            if isinstance(obj, AuditEntry) or (isinstance(obj, Setting) and obj.key == HEAD_KEY):
                continue
            state = inspect(obj)
            for attr in state.mapper.column_attrs:
                if attr.key in _SKIPPED:
                    continue
                hist = state.attrs[attr.key].history
                if not hist.has_changes() and kind != "删除":
                    continue
                old = (
                    hist.deleted[0]
                    if hist.deleted
                    else (hist.unchanged[0] if kind == "删除" and hist.unchanged else None)
                )
                new = None if kind == "删除" else (hist.added[0] if hist.added else None)
                if attr.key in _SECRET:
                    old, new = ("******" if old else old), ("******" if new else new)
                _add_change(uow, [obj.__tablename__, _row_id(state), attr.key, _plain(old), _plain(new)])


def _row_id(state):
    """The row's id; a row inserted by this flush has no identity key yet, but its primary key is set."""
    if state.identity:
        return state.identity[0]
    key = state.mapper.primary_key_from_instance(state.obj())
    return key[0] if len(key) == 1 else None


def _add_change(uow: UnitOfWork, change: list) -> None:
    if len(uow.audit_changes) < MAX_CHANGES:
        uow.audit_changes.append(change)
    else:
        uow.audit_more += 1


def _changes_for(uow: UnitOfWork, entry: dict, last: bool) -> str:
    """The captured changes of the entry's own record; the last entry takes every other change too."""
    own = [c for c in uow.audit_changes if c[1] == entry["entity_id"] and c[0].rstrip("s") == entry["entity"]]
    if last:
        own += [
            c
            for c in uow.audit_changes
            if c not in own
            and not any(c[1] == e["entity_id"] and c[0].rstrip("s") == e["entity"] for e in uow.audit_pending)
        ]
        if uow.audit_more:
            own.append(["", None, "", None, f"另有{uow.audit_more}处修改未逐项记录"])
    return json.dumps(own, ensure_ascii=False) if own else ""


def _write_entries(uow: UnitOfWork) -> None:
    """Chain the queued entries to the head (locked, so two writers never fork the chain) and move the head."""
    if not uow.audit_pending:
        return
    s = uow.session
    s.flush()
    uow.lock_for_writing()
    head = s.scalar(select(Setting).where(Setting.key == HEAD_KEY).with_for_update())
    if head is None:
        head = Setting(key=HEAD_KEY, value=f"0:{GENESIS}")
        s.add(head)
    head_id, prev = head.value.split(":", 1)
    next_id = max(int(head_id), s.scalar(select(func.max(AuditEntry.id))) or 0) + 1
    at = datetime.now().replace(microsecond=0)
    pending = uow.audit_pending
    for n, e in enumerate(pending):
        changes = _changes_for(uow, e, n == len(pending) - 1)
        entry = ChainEntry(
            next_id, at, e["username"], e["action"], e["entity"], e["entity_id"], e["detail"], changes, prev
        )
        digest = entry_hash(entry)
        s.add(AuditEntry(id=next_id, at=at, prev_hash=prev, hash=digest, changes=changes, **e))
        prev, next_id = digest, next_id + 1
    head.value = f"{next_id - 1}:{prev}"
    uow.audit_pending = []
    uow.audit_changes = []
