"""What may be done next with a record: the steps of a disposition notice in each state, the events an agreement
in each status admits. The dialogs show exactly these; the services refuse anything else.

Notice (《规程》 annex 3, the life of a 处理通知书): a draft is approved (or withdrawn by its maker before review),
an approved notice is issued with a number (or sent back to review), an issued one is delivered to the institution
and its receipt by the person recorded (the appeal period runs from receipt), and a notice that is not void may be
voided. Only the issue of a suspension or termination has an effective date (the period starts on it)."""

from __future__ import annotations

from dataclasses import dataclass

from .institutions import AgreementStatus
from .persons import NoticeState


@dataclass(frozen=True, slots=True)
class NoticeStep:
    """One step a notice admits: its key (the service's name for it), the label a clerk reads, and which dates or
    text the step asks for."""

    key: str
    label: str
    asks_date: bool = True  # 日期 (of approval, issue, delivery, receipt)
    asks_effective: bool = False  # 生效日期: only the issue of a suspension or termination
    asks_reason: bool = False  # 作废原因


_VOID = NoticeStep("void", "作废", asks_date=False, asks_reason=True)
_RECEIPT = NoticeStep("receipt", "登记相关人员收到日期")
_NOTICE_STEPS: dict[NoticeState, tuple[NoticeStep, ...]] = {
    NoticeState.DRAFT: (
        NoticeStep("approve", "审核通过", asks_date=False),
        NoticeStep("withdraw_draft", "撤回（本人录入、尚未审核的处理意见）", asks_date=False),
        _VOID,
    ),
    NoticeState.APPROVED: (
        NoticeStep("issue", "签发（分配文号）"),
        NoticeStep("withdraw_approval", "撤回审核（退回待审核）", asks_date=False),
        _VOID,
    ),
    NoticeState.ISSUED: (NoticeStep("deliver", "登记送达机构"), _RECEIPT, _VOID),
    NoticeState.DELIVERED: (_RECEIPT, _VOID),
    NoticeState.VOIDED: (),
}
PERIOD_KINDS = ("suspension", "termination")  # the dispositions whose issue starts a period


def notice_steps(state: NoticeState | str, kind: str) -> tuple[NoticeStep, ...]:
    """The steps a notice in `state` admits, in the order a clerk takes them (the first is the usual next one);
    the issue of a suspension or termination also asks its effective date."""
    steps = _NOTICE_STEPS[NoticeState(state)]
    if kind in PERIOD_KINDS:
        steps = tuple(
            NoticeStep(s.key, s.label, s.asks_date, True, s.asks_reason) if s.key == "issue" else s for s in steps
        )
    return steps


# Agreement events (《广东办法》第四十一条 中止, 第四十二条 解除; 《14号文》（四） 辅导期): only a suspended agreement
# is resumed (a further suspension in the term proposes termination, services/agreements.py); a terminated one
# admits no further event; only an agreement in its guidance period has that period extended, and only once.
_ALWAYS = ("info_change", "action", "assessment")
_AGREEMENT_EVENTS: dict[AgreementStatus, tuple[str, ...]] = {
    AgreementStatus.DRAFT: ("renewal", *_ALWAYS, "suspension", "termination"),
    AgreementStatus.ACTIVE: ("renewal", *_ALWAYS, "suspension", "termination"),
    AgreementStatus.GUIDANCE: ("guidance_extension", "renewal", *_ALWAYS, "suspension", "termination"),
    AgreementStatus.SUSPENDED: ("resume", *_ALWAYS, "suspension", "termination"),
    AgreementStatus.EXPIRED: ("renewal", *_ALWAYS, "termination"),
    AgreementStatus.TERMINATED: (),
}


# What the event form asks for each kind, beyond 事项日期, 决定文书号 and 说明 (asked of every kind), by the
# service's names (services/agreements.py: EventInput), in the form's order: 协议处理 its measure (《广东办法》第三十七条),
# an amount (违约金, 追回) and the department concerned; 中止/解除 their ground (第四十一、四十二条), the dates of the
# period and the responsible persons who share it (《规程》第三十四条); 重大信息变更 the day the change was approved
# (its working-day limit runs from it). 续签, 恢复, 年度考核 and 辅导期延长 need nothing more.
EVENT_COMMON_FIELDS = ("on", "decision_no", "detail")
_PERIOD_FIELDS = ("ground_code", "effective", "until", "responsible_ids")
_EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "action": ("action_code", "amount_fen", "department"),
    "suspension": _PERIOD_FIELDS,
    "termination": _PERIOD_FIELDS,
    "info_change": ("approval_on",),
}


def event_fields(kind: str | None) -> tuple[str, ...]:
    """The fields an agreement event of `kind` asks for (none chosen yet: only the ones every kind asks)."""
    return EVENT_COMMON_FIELDS + _EVENT_FIELDS.get(kind or "", ())


def agreement_events(status: AgreementStatus | str, guidance_extensions: int) -> tuple[str, ...]:
    """The event kinds an agreement in `status` admits (the guidance period extends once only)."""
    kinds = _AGREEMENT_EVENTS[AgreementStatus(status)]
    if guidance_extensions > 0:
        kinds = tuple(k for k in kinds if k != "guidance_extension")
    return kinds
