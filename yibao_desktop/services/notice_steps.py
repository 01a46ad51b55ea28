"""The next step of a disposition notice, as the 处理通知书 dialog offers and takes it: which steps the signed-in
user may take now (`domain/next_steps.py: notice_steps`, narrowed by role and maker), and taking one — one
service call per 执行, with the Chinese message the status bar shows."""

from __future__ import annotations

from datetime import date

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.next_steps import NoticeStep, notice_steps
from yibao_desktop.domain.permissions import Permission

from . import notices
from .context import AppContext
from .rows import DispositionRow

STEP_PERMISSIONS = {
    "approve": Permission.APPROVE,
    "withdraw_draft": Permission.SCORE_RECORD,
    "withdraw_approval": Permission.APPROVE,
    "issue": Permission.ISSUE,
    "deliver": Permission.DELIVERY,
    "receipt": Permission.DELIVERY,
    "void": Permission.VOID,
}


def next_steps(ctx: AppContext, d: DispositionRow) -> list[NoticeStep]:
    """The steps the signed-in user may take on this notice now, the usual next one first (an unreviewed draft
    is withdrawn only by the user who entered it)."""
    actor = ctx.actor
    return [
        s
        for s in notice_steps(d.state, d.kind)
        if actor is not None
        and actor.can(STEP_PERMISSIONS[s.key])
        and (s.key != "withdraw_draft" or d.created_by == ctx.username)
    ]


def what(d: DispositionRow) -> str:
    """“曾志伟 暂停医保支付资格6个月（本次9分）” — the notice in one line, for questions and messages."""
    span = (f"{d.months}个月" if d.months else "") + (f"{d.years}年" if d.years else "")
    return f"{d.person_name} {d.kind_label}{span}（本次{d.points_this}分）"


def take_step(
    ctx: AppContext, d: DispositionRow, step: str | None, on: date | None, effective: date | None, reason: str
) -> str:
    """Take one step on the notice (checked against `next_steps`) and say what was done."""
    allowed = next_steps(ctx, d)
    chosen = next((s for s in allowed if s.key == step), None)
    if chosen is None:
        raise DomainError("请选择操作。" if allowed else "该通知书已无可执行的操作。", field="step")
    if chosen.asks_date and on is None:
        raise DomainError("请填写日期。", field="on")
    if step == "approve":
        notices.approve(ctx, d.id, d.version)
        return f"已审核通过：{what(d)}，待签发。"
    if step == "withdraw_draft":
        notices.withdraw_draft(ctx, d.id, d.version)
        return f"已撤回处理意见：{what(d)}（记分不再计入）。"
    if step == "withdraw_approval":
        notices.withdraw_approval(ctx, d.id, d.version)
        return f"已撤回审核：{what(d)}，退回待审核。"
    if step == "issue" and on is not None:
        doc_no = notices.issue(ctx, d.id, on, (effective or on) if chosen.asks_effective else on, d.version)
        return f"已签发 {doc_no}（{d.person_name}）。"
    if step == "deliver" and on is not None:
        notices.record_delivery(ctx, d.id, on, d.version)
        return f"已登记送达 {d.doc_no}（{on:%Y-%m-%d}）。"
    if step == "receipt" and on is not None:
        notices.record_receipt(ctx, d.id, on, d.version)
        return f"已登记 {d.person_name} 收到 {d.doc_no} 的日期 {on:%Y-%m-%d}，申诉期自次日起算。"
    notices.void(ctx, d.id, reason, d.version)
    return f"已作废：{what(d)}" + (f"，文号 {d.doc_no}。" if d.doc_no else "。")
