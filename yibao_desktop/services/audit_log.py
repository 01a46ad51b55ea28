"""Reading the audit log: verify its chain, filter it (date, user, person or institution), a record's history, export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select

from yibao_desktop.adapters.db.models import AuditEntry, Setting
from yibao_desktop.domain.audit_chain import ChainBreak, ChainEntry, first_break
from yibao_desktop.domain.permissions import Permission, require

from .audit import HEAD_KEY
from .context import AppContext

ENTITY_LABELS = {"disposition": "处理意见", "person": "人员", "registration": "登记备案", "institution": "定点机构",
                 "agreement": "医保协议", "appeal": "申诉", "repair": "记分修复", "restoration": "资格恢复",
                 "copy_report": "抄告书", "application": "定点申请", "settings": "设置", "user": "用户",
                 "claims": "结算明细"}
HEADERS = ["序号", "时间", "用户", "操作", "对象", "记录号", "说明", "修改内容"]
LIMIT = 5000


@dataclass(frozen=True)
class AuditRow:
    """One audit entry for the 操作日志 view."""

    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_label: str
    entity_id: int | None
    detail: str
    changes: list
    changes_text: str


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: a date range, one user, the records of one person or institution, free text."""

    start: date | None = None
    end: date | None = None
    username: str = ""
    entity: str = ""
    entity_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class VerifyResult:
    """How many entries were checked and the first break (None = intact)."""

    entries: int
    broken: ChainBreak | None


def verify(ctx: AppContext) -> VerifyResult:
    """Check the whole chain, oldest entry first, and its end against the recorded head."""
    with ctx.uow() as uow:
        s = uow.session
        rows = s.execute(select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.action,
                                AuditEntry.entity, AuditEntry.entity_id, AuditEntry.detail, AuditEntry.changes,
                                AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.id)).all()
        head_text = s.scalar(select(Setting.value).where(Setting.key == HEAD_KEY))
    entries = [ChainEntry(*r) for r in rows]
    head = None
    if head_text is None:
        if entries:
            return VerifyResult(len(entries), ChainBreak(entries[-1].id, "日志末尾的校验记录丢失"))
    else:
        head_id, head_hash = head_text.split(":", 1)
        head = (int(head_id), head_hash)
        if head[0] == 0 and not entries:
            head = None
    return VerifyResult(len(entries), first_break(entries, head))


def _changes_text(changes: list) -> str:
    parts = []
    for table, rid, field, old, new in changes:
        where = f"{table}#{rid} " if table else ""
        parts.append(f"{where}{field}：{'' if old is None else old} → {'' if new is None else new}" if field
                     else str(new))
    return "；".join(parts)


def _row(e: AuditEntry) -> AuditRow:
    changes = json.loads(e.changes) if e.changes else []
    return AuditRow(e.id, e.at, e.username, e.action, e.entity, ENTITY_LABELS.get(e.entity, e.entity), e.entity_id,
                    e.detail, changes, _changes_text(changes))


def list_entries(ctx: AppContext, flt: AuditFilter = AuditFilter(), limit: int = LIMIT) -> list[AuditRow]:
    """Entries matching the filter, newest first (at most `limit`)."""
    require(ctx, Permission.AUDIT)
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if flt.start:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(flt.start, time.min))
    if flt.end:
        stmt = stmt.where(AuditEntry.at <= datetime.combine(flt.end, time.max))
    if flt.username.strip():
        stmt = stmt.where(AuditEntry.username == flt.username.strip())
    if flt.entity:
        stmt = stmt.where(_of_record(flt.entity, flt.entity_id))
    if flt.text.strip():
        like = f"%{flt.text.strip()}%"
        stmt = stmt.where(or_(AuditEntry.detail.like(like), AuditEntry.action.like(like),
                              AuditEntry.changes.like(like)))
    with ctx.uow() as uow:
        return [_row(e) for e in uow.session.scalars(stmt)]


def _of_record(entity: str, entity_id: int | None):
    """Entries about the record, or whose captured changes touched it (e.g. a person's status set by a notice)."""
    table = {"copy_report": "copy_reports"}.get(entity, entity + "s")
    own = AuditEntry.entity == entity
    if entity_id is None:
        return own
    return or_((own) & (AuditEntry.entity_id == entity_id),
               AuditEntry.changes.like(f'%["{table}", {entity_id}, %'))


def record_history(ctx: AppContext, entity: str, entity_id: int) -> list[AuditRow]:
    """Every entry about one record (person, institution, agreement …), oldest first."""
    return list(reversed(list_entries(ctx, AuditFilter(entity=entity, entity_id=entity_id))))


def export_xlsx(ctx: AppContext, flt: AuditFilter = AuditFilter()) -> bytes:
    """The filtered log as an Excel sheet (all matching entries, oldest first)."""
    from .rosters.exports import export_table

    rows = list(reversed(list_entries(ctx, flt, limit=10**9)))
    return export_table("操作日志", HEADERS, [[r.id, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.username, r.action,
                                               r.entity_label, r.entity_id or "", r.detail, r.changes_text]
                                              for r in rows])
