"""Reading the audit log: verify its chain, filter it (date, user, person or institution), a record's history, export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from yibao_desktop.adapters.db.models import AuditEntry, Setting
from yibao_desktop.domain.audit_chain import ChainBreak, ChainEntry, first_break
from yibao_desktop.domain.errors import NotFound
from yibao_desktop.domain.permissions import Permission, require

from .audit import HEAD_KEY
from .audit_refs import KIND_OF, Refs, describe, wanted
from .context import AppContext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ENTITY_LABELS = {
    "disposition": "处理意见",
    "person": "人员",
    "registration": "登记备案",
    "institution": "定点机构",
    "agreement": "医保协议",
    "appeal": "申诉",
    "repair": "记分修复",
    "restoration": "资格恢复",
    "copy_report": "抄告书",
    "application": "定点申请",
    "settings": "设置",
    "user": "用户",
    "claims": "结算明细",
    "roster": "名册",
}
ACTION_LABELS = {
    "agreement.sign": "签订医保协议",
    "appeal.decide": "办结申诉",
    "appeal.file": "受理申诉",
    "application.accept": "受理定点申请",
    "application.evaluate": "定点评估",
    "application.listed": "确定定点",
    "application.publicity": "定点公示",
    "application.receive": "接收定点申请",
    "application.supplement_notice": "通知补充材料",
    "application.supplement_received": "收到补充材料",
    "application.verify": "核实定点申请材料",
    "agreement.termination.propose": "提出解除协议",
    "claims.check": "核查结算明细",
    "claims.mapping": "维护结算明细对照",
    "claims.import": "导入结算明细",
    "commendation.add": "记录表彰",
    "copy_report.create": "制作抄告书",
    "institution.save": "保存定点机构",
    "notice.approve": "审核处理意见",
    "notice.deliver": "登记送达",
    "notice.issue": "签发通知书",
    "notice.receipt": "登记回执",
    "notice.void": "作废文书",
    "notice.withdraw_approval": "撤回审核",
    "notice.withdraw_draft": "撤回草稿",
    "registration.cancel": "注销登记备案",
    "registration.commitment": "登记服务承诺",
    "registration.create": "登记备案",
    "registration.update": "修改登记备案",
    "repair.apply": "受理记分修复申请",
    "repair.decide": "审核记分修复",
    "restoration.decide": "决定资格恢复",
    "restoration.file": "受理资格恢复申请",
    "score.record": "录入记分",
    "settings.save": "修改设置",
    "user.add": "新增用户",
    "user.enable": "启用用户",
    "user.disable": "停用用户",
    "user.first_admin": "建立管理员账户",
    "user.login": "登录",
    "user.login_failed": "登录失败",
    "user.password": "修改密码",
    "user.role": "修改角色",
}
_ACTION_GROUPS = {"agreement": "医保协议", "appeal": "申诉", "import": "导入名册", "application": "定点申请"}
HEADERS = ["序号", "时间", "用户", "操作", "对象", "记录号", "记录", "说明", "修改内容"]
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
    action_label: str
    detail: str
    changes: list
    changes_text: str
    entity_text: str = ""  # the record in words: “曾志伟 揭医保记〔2026〕33号” (services/audit_refs.py)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: a date range, one user, the records of one person or institution, free text."""

    start: date | None = None
    end: date | None = None
    username: str = ""
    entity: str = ""
    entity_id: int | None = None
    text: str = ""
    subject: str = ""  # a person (ID number or name) or an institution (code or name)


@dataclass(frozen=True)
class VerifyResult:
    """How many entries were checked and the first break (None = intact)."""

    entries: int
    broken: ChainBreak | None


def verify(ctx: AppContext) -> VerifyResult:
    """Check the whole chain, oldest entry first, and its end against the recorded head."""
    with ctx.uow() as uow:
        s = uow.session
        rows = s.execute(
            select(
                AuditEntry.id,
                AuditEntry.at,
                AuditEntry.username,
                AuditEntry.action,
                AuditEntry.entity,
                AuditEntry.entity_id,
                AuditEntry.detail,
                AuditEntry.changes,
                AuditEntry.prev_hash,
                AuditEntry.hash,
            ).order_by(AuditEntry.id)
        ).all()
        head_text = s.scalar(select(Setting.value).where(Setting.key == HEAD_KEY))
    entries = [ChainEntry(**r._mapping) for r in rows]
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


def _changes_text(changes: list, refs: Refs) -> str:
    from .audit_labels import change_text

    return "；".join(
        t for t in (change_text(table, rid, field, old, new, refs) for table, rid, field, old, new in changes) if t
    )


def action_label(action: str) -> str:
    """The Chinese name of an audited action, also of those named after a kind or state
    (agreement.suspension.approve → 审核中止协议, appeal.expert → 申诉：专家评审中, import.personnel → 导入人员登记备案名册)."""
    from .agreements import EVENT_KINDS
    from .appeals import APPEAL_STATES
    from .rosters.common import ROSTER_LABELS

    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    group, _, rest = action.partition(".")
    kind, _, step = rest.partition(".")
    if group == "agreement" and kind in EVENT_KINDS:
        return f"审核{EVENT_KINDS[kind]}" if step == "approve" else f"录入{EVENT_KINDS[kind]}"
    if group == "appeal" and kind in APPEAL_STATES:
        return f"申诉：{APPEAL_STATES[kind]}"
    if group == "import" and kind in ROSTER_LABELS:
        return f"导入{ROSTER_LABELS[kind]}"
    return f"{_ACTION_GROUPS.get(group, group)}：{rest}" if rest else action


def _rows(s: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    """The view's rows, with the records they name in words (looked up once for all of them)."""
    parsed = [(e, json.loads(e.changes) if e.changes else []) for e in entries]
    refs = describe(s, (key for e, changes in parsed for key in wanted(e.entity, e.entity_id, changes)))
    return [
        AuditRow(
            e.id,
            e.at,
            e.username,
            e.action,
            e.entity,
            ENTITY_LABELS.get(e.entity, e.entity),
            e.entity_id,
            action_label(e.action),
            e.detail,
            changes,
            _changes_text(changes, refs),
            refs.get((KIND_OF[e.entity], e.entity_id), "") if e.entity in KIND_OF and e.entity_id else "",
        )
        for e, changes in parsed
    ]


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
    if flt.text.strip():
        like = f"%{flt.text.strip()}%"
        stmt = stmt.where(
            or_(AuditEntry.detail.like(like), AuditEntry.action.like(like), AuditEntry.changes.like(like))
        )
    with ctx.uow() as uow:
        s = uow.session
        if flt.entity:
            stmt = stmt.where(record_condition(s, flt.entity, flt.entity_id))
        if flt.subject.strip():
            subjects = find_subjects(s, flt.subject)
            if not subjects:
                raise NotFound(f"没有找到“{flt.subject.strip()}”：请输入人员的身份证号或姓名、机构的编码或名称。")
            stmt = stmt.where(or_(*(record_condition(s, entity, rid) for entity, rid in subjects)))
        return _rows(s, list(s.scalars(stmt)))


def find_subjects(s: Session, text: str) -> list[tuple[str, int]]:
    """Persons whose ID number or name is `text`, institutions whose code or name is it (or contains it)."""
    from yibao_desktop.adapters.db.models import Institution, Person

    t = text.strip()
    persons = s.scalars(select(Person.id).where(or_(Person.id_number == t.upper(), Person.name == t)).limit(20))
    insts = s.scalars(
        select(Institution.id)
        .where(or_(Institution.code == t.upper(), Institution.name == t, Institution.name.like(f"%{t}%")))
        .limit(20)
    )
    return [("person", i) for i in persons] + [("institution", i) for i in insts]


def _related(s: Session, entity: str, rid: int) -> dict[str, list[int]]:
    """The records that belong to a person or institution (its registrations, dispositions, agreements …)."""
    from yibao_desktop.adapters.db import models as m

    def ids(col, *where) -> list[int]:
        return list(s.scalars(select(col).where(*where)))

    if entity == "person":
        dispositions = ids(m.Disposition.id, m.Disposition.person_id == rid)
        return {
            "registration": ids(m.Registration.id, m.Registration.person_id == rid),
            "disposition": dispositions,
            "appeal": ids(m.Appeal.id, m.Appeal.disposition_id.in_(dispositions)) if dispositions else [],
            "repair": ids(m.Repair.id, m.Repair.person_id == rid),
            "restoration": ids(m.Restoration.id, m.Restoration.person_id == rid),
            "copy_report": ids(m.CopyReport.id, m.CopyReport.person_id == rid),
        }
    if entity == "institution":
        return {
            "agreement": ids(m.Agreement.id, m.Agreement.institution_id == rid),
            "application": ids(m.Application.id, m.Application.institution_id == rid),
            "registration": ids(m.Registration.id, m.Registration.institution_id == rid),
        }
    return {}


def record_condition(s: Session, entity: str, entity_id: int | None):
    """Entries about the record or the records that belong to it, or whose captured changes touched it (e.g. a
    person's status set by a notice, a person created by a roster import)."""
    table = {"copy_report": "copy_reports"}.get(entity, entity + "s")
    own = AuditEntry.entity == entity
    if entity_id is None:
        return own
    parts = [
        own & (AuditEntry.entity_id == entity_id),
        AuditEntry.changes.like(f'%["{table}", {entity_id}, %'),
        AuditEntry.changes.like(f'%"{entity}_id", null, {entity_id}]%'),
    ]
    for kind, ids in _related(s, entity, entity_id).items():
        if ids:
            parts.append((AuditEntry.entity == kind) & AuditEntry.entity_id.in_(ids))
    return or_(*parts)


def export_xlsx(ctx: AppContext, flt: AuditFilter = AuditFilter(), mask: bool = False) -> bytes:
    """The filtered log as an Excel sheet (all matching entries, oldest first); `mask` hides the middle of every ID
    number and mobile number in the texts (for a copy that leaves the office)."""
    from yibao_desktop.domain.masking import mask_in_text

    from .rosters.exports import export_table

    hide = mask_in_text if mask else (lambda t: t)
    rows = list(reversed(list_entries(ctx, flt, limit=10**9)))
    return export_table(
        "操作日志",
        HEADERS,
        [
            [
                r.id,
                r.at.strftime("%Y-%m-%d %H:%M:%S"),
                r.username,
                r.action_label,
                r.entity_label,
                r.entity_id or "",
                hide(r.entity_text),
                hide(r.detail),
                hide(r.changes_text),
            ]
            for r in rows
        ],
    )
