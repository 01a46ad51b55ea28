"""Settlement check (SPEC §6, 004 第四十五至四十八条): claims by suspended, terminated or unregistered persons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from yibao_desktop.domain.errors import DomainError

ReasonCode = Literal["suspended", "terminated", "unregistered", "no_commitment"]

REASON_LABELS: dict[str, str] = {
    "suspended": "医保支付资格暂停期间",
    "terminated": "医保支付资格终止期间",
    "unregistered": "未登记备案",
    "no_commitment": "未作出服务承诺",
}

_EMERGENCY_NOTE = "急诊、抢救等特殊情形，不予追回（请核实病历）"


@dataclass(frozen=True)
class StatusPeriod:
    """A span in which a person's payment qualification was suspended or terminated; end None = still running."""

    status: Literal["suspended", "terminated"]
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        """Reject unknown statuses and reversed spans."""
        if self.status not in ("suspended", "terminated"):
            raise DomainError(f"状态“{self.status}”无法识别，应为暂停或终止", field="status")
        if self.end is not None and self.end < self.start:
            raise DomainError(
                f"期间结束日期{self.end.isoformat()}早于开始日期{self.start.isoformat()}", field="end"
            )

    def contains(self, d: date) -> bool:
        """True when `d` falls in the span, both ends included (the effective day is already suspended)."""
        return self.start <= d and (self.end is None or d <= self.end)


@dataclass(frozen=True)
class ClaimLine:
    """One imported settlement line (结算明细)."""

    claim_id: str
    institution_code: str
    person_code: str
    id_number: str
    service_date: date
    fund_fen: int
    emergency: bool = False


@dataclass(frozen=True)
class ClaimFinding:
    """A claim line that should not have been settled (or needs checking), with its Chinese reason."""

    claim: ClaimLine
    reason_code: ReasonCode
    recoverable: bool
    reason: str


class RecoverySummary(NamedTuple):
    """Findings of one person at one institution: count of lines and the recoverable fund amount in fen."""

    institution_code: str
    person_key: str
    count: int
    recoverable_fen: int


def person_key(claim: ClaimLine) -> str:
    """Key that identifies the person of a claim: the ID number when present, else the person code."""
    return claim.id_number.strip().upper() or claim.person_code.strip().upper()


def _period_finding(claim: ClaimLine, periods: Sequence[StatusPeriod]) -> ClaimFinding | None:
    """Finding for a service date inside a suspension or termination; termination wins when both apply."""
    hits = [p for p in periods if p.contains(claim.service_date)]
    if not hits:
        return None
    period = next((p for p in hits if p.status == "terminated"), hits[0])
    until = period.end.isoformat() if period.end else "今"
    span = f"{period.start.isoformat()}至{until}"
    base = f"服务日期{claim.service_date.isoformat()}在{REASON_LABELS[period.status]}（{span}）"
    if claim.emergency:
        return ClaimFinding(claim, period.status, False, f"{base}，{_EMERGENCY_NOTE}")
    return ClaimFinding(claim, period.status, True, f"{base}，医保基金不予支付，已支付的应追回")


def classify_claim(
    claim: ClaimLine,
    registered: bool,
    has_commitment: bool,
    periods: Sequence[StatusPeriod],
    *,
    recover_unregistered: bool = False,
) -> ClaimFinding | None:
    """Why a claim line is not payable (004 第四十五、四十八条), or None when it is in order."""
    finding = _period_finding(claim, periods)
    if finding is not None:
        return finding
    if registered and has_commitment:
        return None
    code: ReasonCode = "unregistered" if not registered else "no_commitment"
    if code == "unregistered":
        base = f"服务日期{claim.service_date.isoformat()}该人员未在本机构登记备案（疑似冒名结算）"
    else:
        base = f"服务日期{claim.service_date.isoformat()}该人员未作出服务承诺，不得开展涉及医保基金使用的医药服务"
    if claim.emergency:
        return ClaimFinding(claim, code, False, f"{base}，{_EMERGENCY_NOTE}")
    tail = "，应追回" if recover_unregistered else "，请核实后决定是否追回"
    return ClaimFinding(claim, code, recover_unregistered, base + tail)


def summarize(findings: Iterable[ClaimFinding]) -> list[RecoverySummary]:
    """Totals per institution and person, sorted by institution code then person key."""
    totals: dict[tuple[str, str], list[int]] = {}
    for finding in findings:
        key = (finding.claim.institution_code, person_key(finding.claim))
        entry = totals.setdefault(key, [0, 0])
        entry[0] += 1
        if finding.recoverable:
            entry[1] += finding.claim.fund_fen
    return [RecoverySummary(inst, person, n, fen) for (inst, person), (n, fen) in sorted(totals.items())]


def unmaintained_institutions(findings: Iterable[ClaimFinding]) -> list[str]:
    """Institutions that billed non-emergency services of suspended/terminated persons (004 第四十六条), sorted."""
    codes = {
        f.claim.institution_code
        for f in findings
        if f.reason_code in ("suspended", "terminated") and not f.claim.emergency
    }
    return sorted(codes)
