"""What the settlement check needs from the records: registrations with commitment and every status period of the
ledger (whatever its source), loaded once as tuples, and the exact rule applied to each candidate line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.claims.engine import Reference
from yibao_desktop.adapters.db.models import Institution, Person, Registration
from yibao_desktop.adapters.excel import Problem
from yibao_desktop.adapters.excel.cells import too_long
from yibao_desktop.domain.dates import parse_date_text
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.plausibility import check_service_date
from yibao_desktop.domain.settlement import (
    EMERGENCY_FALSE,
    EMERGENCY_TRUE,
    FIELD_LABELS,
    ClaimLine,
    FlaggedClaim,
    Segment,
    SpanStatus,
    StatusSpan,
    classify_claim,
    clean_spans,
    merged_spans,
    registration_segments,
    segment_on,
)

from .rosters.common import text_limits
from .standing import read_ledger

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.domain.policy import PolicyProfile

# A finding stores these cells: the roster import's limits of a 结算明细 (read from the findings table, the one
# home of the sizes), checked by the same rule (adapters.excel.cells.too_long).
CLAIM_LIMITS = text_limits("claims")
SOURCE_LABELS = {
    "score": "记分处理通知书",
    "agreement": "协议处理",
    "department": "科室处理",
    "appeal": "申诉结果",
    "repair": "记分修复",
    "restoration": "资格恢复",
}


@dataclass
class Ledger:
    """Persons by ID number and code, registration stretches per (person, institution), periods per person."""

    by_key: dict[str, int] = field(default_factory=dict)
    keys_of: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    segments: dict[tuple[int, str], list[Segment]] = field(default_factory=dict)
    periods: dict[int, list[StatusSpan]] = field(default_factory=lambda: defaultdict(list))
    institutions: dict[str, str] = field(default_factory=dict)  # code → name

    def reference(self) -> Reference:
        """The engine's table: for every key of a person, the days at each institution that are plainly in order."""
        rows = []
        spans_of = {pid: merged_spans(periods) for pid, periods in self.periods.items()}
        for (pid, inst), stretches in self.segments.items():
            clean = clean_spans(stretches, spans_of.get(pid, []))
            for key in self.keys_of.get(pid, ()):
                rows += [(key, inst, start, end) for start, end in clean]
        return Reference(rows)


def load_ledger(session: Session) -> Ledger:
    """Read persons, registrations and status periods (voided periods left out) as tuples."""
    ledger = Ledger()
    ledger.institutions = dict(session.execute(select(Institution.code, Institution.name)).all())
    for pid, idn in session.execute(select(Person.id, Person.id_number)):
        ledger.by_key[idn.upper()] = pid
        ledger.keys_of[pid].add(idn.upper())
    spans: dict[tuple[int, str], list] = defaultdict(list)
    rows = session.execute(
        select(
            Registration.person_id,
            Registration.person_code,
            Institution.code,
            Registration.registered_on,
            Registration.cancelled_on,
            Registration.commitment,
            Registration.commitment_on,
        ).join(Institution, Institution.id == Registration.institution_id)
    )
    for pid, pcode, inst, reg_on, canc, committed, committed_on in rows:
        if pcode:
            ledger.by_key.setdefault(pcode.upper(), pid)
            ledger.keys_of[pid].add(pcode.upper())
        spans[(pid, inst)].append((reg_on, canc, (committed_on or reg_on) if committed else None))
    ledger.segments = {k: registration_segments(v) for k, v in spans.items()}
    for period in _periods(session):
        ledger.periods[period[0]].append(period[1])
    return ledger


# the ledger stores the status as text; only these two bar settlement (every other status is passed over)
_BARRING: dict[str, SpanStatus] = {"suspended": "suspended", "terminated": "terminated"}


def _periods(session: Session) -> Iterator[tuple[int, StatusSpan]]:
    """(person, period) for every suspension/termination of the ledger as it holds (services/standing.py:
    read_ledger, domain/persons.py: held_span): open until a restoration, resumption or appeal ended it."""
    for row in read_ledger(session):
        span = row.held
        status = _BARRING.get(row.fact.status)
        if span is None or status is None:
            continue
        label = SOURCE_LABELS.get(row.source, row.source)
        yield row.person_id, StatusSpan(status, span[0], span[1], label, row.doc_no)


@dataclass
class Verdict:
    """What the exact rule says of one candidate line: its problems, or its finding (None = in order)."""

    problems: list[Problem]
    line: ClaimLine | None = None
    person_id: int | None = None
    finding: FlaggedClaim | None = None
    outside: bool = False


_CODES = ("claim_id", "institution_code", "person_code", "id_number")
_FLAGS = frozenset(EMERGENCY_TRUE + EMERGENCY_FALSE)
_TRUE = frozenset(EMERGENCY_TRUE)


ClaimValues = dict[str, str | None]  # a candidate line's raw text per mapped field (adapters/claims/engine.py)
Scanned = tuple[date | None, int | None]  # (service date, fund fen) as the scan read them, None = not readable


def _text(values: ClaimValues, key: str) -> str:
    value = values.get(key)
    return value.strip().upper() if value else ""


def _money_fen(text: str) -> int:
    """基金支付金额 in yuan (thousands separators allowed) → fen; DomainError when it is not an amount."""
    try:
        amount = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise DomainError(f"金额格式不对：“{text}”") from None
    if not amount.is_finite():
        raise DomainError(f"金额格式不对：“{text}”")
    return int((amount * 100).quantize(Decimal(1)))


def _parse(
    values: ClaimValues, row: int, headers: dict[str, str], today: date, profile: PolicyProfile, scanned: Scanned
) -> tuple[ClaimLine | None, list[Problem]]:
    """The line's values checked one by one; every bad cell is a problem naming the file's own column.

    `scanned` is (date, fen) as the scan read them: a date inside the plausible range and an amount are taken
    as they are (the usual candidate), anything else is parsed again here and explained."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(row, headers.get(key, FIELD_LABELS[key]), message))

    claim_id, inst, pcode, idn = (_text(values, k) for k in _CODES)
    for key, text in zip(_CODES, (claim_id, inst, pcode, idn), strict=True):
        if len(text) > CLAIM_LIMITS[key]:
            bad(key, too_long(headers.get(key, FIELD_LABELS[key]), text, CLAIM_LIMITS[key]) or "")
    if not claim_id:
        bad("claim_id", "结算流水号为空")
    if not inst:
        bad("institution_code", "医药机构代码为空")
    if not pcode and not idn:
        bad("id_number" if "id_number" in headers else "person_code", "医保相关人员代码和身份证件号码都为空")
    day, fen = scanned
    if day is None or not profile.earliest_record <= day <= today:
        try:
            day = parse_date_text(values.get("service_date") or "")
            check_service_date(day, today=today, profile=profile)
        except DomainError as err:
            bad("service_date", err.message.rstrip("。") if values.get("service_date") else "服务日期为空")
            day = None
    if fen is None:
        try:
            fen = _money_fen((values.get("fund_amount") or "").strip())
        except DomainError as err:
            bad("fund_amount", err.message if values.get("fund_amount") else "基金支付金额为空")
    flag = _text(values, "emergency")
    if flag not in _FLAGS:
        bad("emergency", f"只能填写“是”或“否”，现在是“{values.get('emergency')}”")
    if problems or day is None or fen is None:
        return None, problems
    return ClaimLine(claim_id, inst, pcode, idn, day, fen, flag in _TRUE), problems


def judge(
    ledger: Ledger,
    values: ClaimValues,
    row: int,
    headers: dict[str, str],
    *,
    today: date,
    profile: PolicyProfile,
    start: date | None,
    end: date | None,
    scanned: Scanned = (None, None),
) -> Verdict:
    """Check one candidate exactly: its cells, then registration, commitment and every status period."""
    line, problems = _parse(values, row, headers, today, profile, scanned)
    if line is None:
        return Verdict(problems)
    if (start and line.service_date < start) or (end and line.service_date > end):
        return Verdict([], line, outside=True)
    if line.institution_code not in ledger.institutions:
        note = Problem(
            row,
            headers.get("institution_code", "医药机构代码"),
            f"医药机构代码“{line.institution_code}”不在本系统的定点医药机构中，该行未核查",
            "warning",
        )
        return Verdict([note], line)
    pid = ledger.by_key.get(line.id_number) if line.id_number else None
    pid = pid or (ledger.by_key.get(line.person_code) if line.person_code else None)
    seg = segment_on(ledger.segments.get((pid, line.institution_code), []), line.service_date) if pid else None
    periods = ledger.periods.get(pid, []) if pid is not None else []
    finding = classify_claim(line, seg is not None, bool(seg and seg.committed), periods)
    return Verdict([], line, pid, finding)
