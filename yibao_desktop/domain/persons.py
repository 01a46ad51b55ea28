"""Rules about persons and registrations: statuses, the registration ban, linkage (《规程》第三章)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .errors import DomainError
from .periods import format_cn_date


class Status(StrEnum):
    """登记备案状态 of a registration, and the qualification status of a person."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"active": "正常", "suspended": "暂停", "terminated": "终止", "cancelled": "已注销"}[self.value]


STATUS_BY_LABEL = {s.label: s for s in Status}


class NoticeState(StrEnum):
    """Life of a disposition notice: draft → approved → issued → delivered, or voided."""

    DRAFT = "draft"
    APPROVED = "approved"
    ISSUED = "issued"
    DELIVERED = "delivered"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {
            "draft": "待审核",
            "approved": "已审核待签发",
            "issued": "已签发",
            "delivered": "已送达",
            "voided": "已作废",
        }[self.value]


def status_label(value: str) -> str:
    """Chinese label of a status code (unknown codes shown as they are)."""
    try:
        return Status(value).label
    except ValueError:
        return value


def check_may_register(person_status: str, status_end: date | None, ban_end: date | None, on: date) -> None:
    """Refuse a registration while the person is suspended, terminated or under a re-registration ban."""
    if person_status == Status.SUSPENDED and (status_end is None or on <= status_end):
        until = f"，暂停期至{format_cn_date(status_end)}止" if status_end else ""
        raise DomainError(
            f"该人员医保支付资格处于暂停状态{until}，任何定点医药机构不得为其登记备案。", field="id_number"
        )
    if person_status == Status.TERMINATED:
        if ban_end is not None and on <= ban_end:
            raise DomainError(
                f"该人员医保支付资格已终止，再次登记备案限制期至{format_cn_date(ban_end)}止，期满前不得登记备案。",
                field="id_number",
            )
        if ban_end is None:
            raise DomainError("该人员医保支付资格已终止，须经资格恢复后方可重新登记备案。", field="id_number")


def check_not_before(earlier: date, later: date, earlier_label: str, later_label: str, field: str) -> None:
    """A date that must not precede another (e.g. delivery before issue)."""
    if later < earlier:
        raise DomainError(
            f"{later_label}（{format_cn_date(later)}）不能早于{earlier_label}（{format_cn_date(earlier)}）。",
            field=field,
        )


def check_not_after(d: date, today: date, label: str, field: str) -> None:
    """A decision, issue or delivery date may not lie in the future (it records what happened)."""
    if d > today:
        raise DomainError(f"{label}（{format_cn_date(d)}）不能晚于今天（{format_cn_date(today)}）。", field=field)


class PeriodSource(StrEnum):
    """Where a suspension/termination period of the status ledger comes from."""

    SCORE = "score"
    AGREEMENT = "agreement"
    APPEAL = "appeal"
    REPAIR = "repair"
    RESTORATION = "restoration"

    @property
    def label(self) -> str:
        """Chinese label shown in the 一医一档 and exports."""
        return {
            "score": "记分处理通知书",
            "agreement": "协议处理（中止/解除）",
            "appeal": "申诉变更处理",
            "repair": "记分修复",
            "restoration": "资格恢复",
        }[self.value]


@dataclass(frozen=True)
class PeriodFact:
    """One period of the status ledger as the rules see it.

    In force from `start` through `ended_on` when that is set (resumed, restored, voided), else open: a
    suspension or termination stays in force after its printed end until a restoration is passed (《规程》第三十九条).
    """

    status: str
    start: date
    end: date | None
    ban_end: date | None = None
    ended_on: date | None = None
    voided: bool = False


@dataclass(frozen=True)
class Standing:
    """A person's status on a day, derived from the ledger (the one place statuses come from)."""

    status: Status
    start: date | None = None
    end: date | None = None
    ban_end: date | None = None


def held_span(p: PeriodFact) -> tuple[date, date | None] | None:
    """The days a ledger period holds: (first day, last day), the last None while it is open; None if voided.

    The one rule every reader applies (status, settlement check, status list, 一医一档): a suspension or termination
    holds from its start until `ended_on` (restoration, resumption, appeal or repair); its printed end alone does not
    end it. 《规程》第三十九条 restores the qualification only when a restoration application passes ("通过评估的，恢复
    相关责任人员医保支付资格……将登记备案状态维护为正常"), and the notice (《规程》附件3) tells the person "如需恢复，
    可在暂停期满后向本医疗保障经办机构提出申请" — after the printed end the status stays 暂停/终止 until then.
    """
    if p.voided or (p.ended_on is not None and p.ended_on < p.start):
        return None  # voided, or ended (appeal, repair) before its first day: it never held
    return p.start, p.ended_on


def standing_on(periods: list[PeriodFact], day: date) -> Standing:
    """Status on `day`: termination wins over suspension; the ban is the latest of every termination's.

    A period issued with a later effective date already counts (the notice stands once issued).
    """
    bans = [p.ban_end for p in periods if not p.voided and p.ban_end is not None]
    ban = max(bans) if bans else None
    spans = [(p, held_span(p)) for p in periods]
    held = [p for p, span in spans if span is not None and (span[1] is None or day <= span[1])]
    for status in (Status.TERMINATED, Status.SUSPENDED):
        hits = sorted((p for p in held if p.status == status), key=lambda p: p.start)
        if hits:
            return Standing(status, hits[-1].start, hits[-1].end, ban)
    return Standing(Status.ACTIVE, None, None, ban)
