"""Settlement check (《规程》第四十五至四十八条): claims by suspended, terminated or unregistered persons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from yibao_desktop.domain.errors import DomainError

ReasonCode = Literal["suspended", "terminated", "unregistered", "no_commitment"]
SpanStatus = Literal["suspended", "terminated"]  # the ledger statuses that bar settlement

REASON_LABELS: dict[str, str] = {
    "suspended": "医保支付资格暂停期间",
    "terminated": "医保支付资格终止期间",
    "unregistered": "未登记备案",
    "no_commitment": "未作出服务承诺",
}

_EMERGENCY_NOTE = "急诊、抢救等特殊情形，不予追回（请核实病历）"


@dataclass(frozen=True)
class ClaimField:
    """A field of the program's own claim-line layout (the 下载模板 headers are these labels)."""

    key: str
    label: str
    required: bool


# The program's layout. A person is named by 医保相关人员代码 or 身份证件号码: at least one of them is mapped.
CLAIM_FIELDS: tuple[ClaimField, ...] = (
    ClaimField("claim_id", "结算流水号", True),
    ClaimField("institution_code", "医药机构代码", True),
    ClaimField("person_code", "医保相关人员代码", False),
    ClaimField("id_number", "身份证件号码", False),
    ClaimField("service_date", "服务日期", True),
    ClaimField("fund_amount", "基金支付金额", True),
    ClaimField("emergency", "是否急诊抢救", False),
)
FIELD_LABELS = {f.key: f.label for f in CLAIM_FIELDS}
PERSON_FIELDS = ("person_code", "id_number")
# Values of 是否急诊抢救 (upper-cased, trimmed); an empty cell is 否.
EMERGENCY_TRUE = ("是", "Y", "YES", "TRUE", "1", "√", "急诊", "抢救")
EMERGENCY_FALSE = ("否", "N", "NO", "FALSE", "0", "×", "")


def normalise_header(text: str) -> str:
    """A header without whitespace (full-width too), BOM or required marks, so 'B 列 *' and 'B列' are the same."""
    return "".join(text.replace("\ufeff", "").split()).strip("*＊")


def header_key(headers: Sequence[str]) -> str:
    """The key a mapping is remembered by: the file's set of (normalised, non-empty) headers, sorted."""
    return "|".join(sorted({normalise_header(h) for h in headers} - {""}))


def own_layout_mapping(headers: Sequence[str]) -> dict[str, str] | None:
    """field → header when the file uses the program's own labels for every required field, else None."""
    present = {normalise_header(h): h for h in headers}
    mapping = {f.key: present[f.label] for f in CLAIM_FIELDS if f.label in present}
    return mapping if not mapping_gaps(mapping, headers) else None


def mapping_gaps(mapping: dict[str, str], headers: Sequence[str]) -> list[str]:
    """What a mapping lacks before a file can be checked, in Chinese (empty list = complete)."""
    gaps = []
    known = set(headers)
    for key, header in mapping.items():
        if key not in FIELD_LABELS:
            gaps.append(f"未知字段“{key}”")
        elif header not in known:
            gaps.append(f"“{FIELD_LABELS[key]}”对应的列“{header}”不在文件中")
    for f in CLAIM_FIELDS:
        if f.required and f.key not in mapping:
            gaps.append(f"缺少“{f.label}”")
    if not any(k in mapping for k in PERSON_FIELDS):
        gaps.append("缺少“医保相关人员代码”或“身份证件号码”（至少一项）")
    return gaps


@dataclass(frozen=True)
class StatusSpan:
    """A span in which a person's payment qualification was suspended or terminated; end None = still running."""

    status: SpanStatus
    start: date
    end: date | None = None
    source: str = ""  # score notice, agreement or department action, appeal …: named on the finding
    doc_no: str = ""

    def __post_init__(self) -> None:
        """Reject unknown statuses and reversed spans."""
        if self.status not in ("suspended", "terminated"):
            raise DomainError(f"状态“{self.status}”无法识别，应为暂停或终止", field="status")
        if self.end is not None and self.end < self.start:
            raise DomainError(f"期间结束日期{self.end.isoformat()}早于开始日期{self.start.isoformat()}", field="end")

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
class FlaggedClaim:
    """A claim line that should not have been settled (or needs checking), with its Chinese reason."""

    claim: ClaimLine
    reason_code: ReasonCode
    recoverable: bool
    reason: str


class RecoverySummary(NamedTuple):
    """Findings of one person at one institution: number of lines and the recoverable fund amount in fen."""

    institution_code: str
    person_key: str
    lines: int  # not `count`: that name is tuple.count
    recoverable_fen: int


def person_key(claim: ClaimLine) -> str:
    """Key that identifies the person of a claim: the ID number when present, else the person code."""
    return claim.id_number.strip().upper() or claim.person_code.strip().upper()


def _period_finding(claim: ClaimLine, periods: Sequence[StatusSpan]) -> FlaggedClaim | None:
    """Finding for a service date inside a suspension or termination; termination wins when both apply."""
    hits = [p for p in periods if p.contains(claim.service_date)]
    if not hits:
        return None
    period = next((p for p in hits if p.status == "terminated"), hits[0])
    until = period.end.isoformat() if period.end else "今"
    span = f"{period.start.isoformat()}至{until}"
    for note in (period.source, period.doc_no):
        if note:
            span += f"，{note}"
    base = f"服务日期{claim.service_date.isoformat()}在{REASON_LABELS[period.status]}（{span}）"
    if claim.emergency:
        return FlaggedClaim(claim, period.status, False, f"{base}，{_EMERGENCY_NOTE}")
    return FlaggedClaim(claim, period.status, True, f"{base}，医保基金不予支付，已支付的应追回")


def classify_claim(
    claim: ClaimLine,
    registered: bool,
    has_commitment: bool,
    periods: Sequence[StatusSpan],
    *,
    recover_unregistered: bool = False,
) -> FlaggedClaim | None:
    """Why a claim line is not payable (《规程》第四十五、四十八条), or None when it is in order."""
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
        return FlaggedClaim(claim, code, False, f"{base}，{_EMERGENCY_NOTE}")
    tail = "，应追回" if recover_unregistered else "，请核实后决定是否追回"
    return FlaggedClaim(claim, code, recover_unregistered, base + tail)


def summarize(findings: Iterable[FlaggedClaim]) -> list[RecoverySummary]:
    """Totals per institution and person, sorted by institution code then person key."""
    totals: dict[tuple[str, str], list[int]] = {}
    for finding in findings:
        key = (finding.claim.institution_code, person_key(finding.claim))
        entry = totals.setdefault(key, [0, 0])
        entry[0] += 1
        if finding.recoverable:
            entry[1] += finding.claim.fund_fen
    return [RecoverySummary(inst, person, n, fen) for (inst, person), (n, fen) in sorted(totals.items())]


def unmaintained_institutions(findings: Iterable[FlaggedClaim]) -> list[str]:
    """Institutions that billed non-emergency services of suspended/terminated persons (《规程》第四十六条), sorted."""
    codes = {
        f.claim.institution_code
        for f in findings
        if f.reason_code in ("suspended", "terminated") and not f.claim.emergency
    }
    return sorted(codes)


_ONE_DAY = timedelta(days=1)


class Segment(NamedTuple):
    """A stretch of days at one institution during which the person was registered, committed or not."""

    start: date
    end: date | None  # None = still registered
    committed: bool


def registration_segments(spans: Iterable[tuple[date, date | None, date | None]]) -> list[Segment]:
    """Disjoint, sorted stretches from a person's registrations at one institution.

    Each span is (registered on, cancelled on or None, commitment from or None); a day is registered when any
    registration covers it and committed when a registration covering it had its commitment by then (《规程》第十五条:
    without commitment no fund-settled service)."""
    spans = list(spans)
    if len(spans) == 1:  # the usual case, without the general cut-and-merge below
        start, end, committed = spans[0]
        if committed is None or (end is not None and committed > end):
            return [Segment(start, end, False)]
        if committed <= start:
            return [Segment(start, end, True)]
        return [Segment(start, committed - _ONE_DAY, False), Segment(committed, end, True)]
    cuts: set[date] = set()
    for start, end, committed in spans:
        cuts.add(start)
        if end is not None:
            cuts.add(end + _ONE_DAY)
        if committed is not None and (end is None or committed <= end):
            cuts.add(max(committed, start))
    points = sorted(cuts)
    out: list[Segment] = []
    for i, day in enumerate(points):
        until = points[i + 1] - _ONE_DAY if i + 1 < len(points) else None
        live = [s for s in spans if s[0] <= day and (s[1] is None or day <= s[1])]
        if not live:
            continue
        signed = any(c is not None and c <= day for _, _, c in live)
        if out and out[-1].committed == signed and out[-1].end is not None and out[-1].end + _ONE_DAY == day:
            out[-1] = Segment(out[-1].start, until, signed)
        else:
            out.append(Segment(day, until, signed))
    return out


def segment_on(segments: Sequence[Segment], day: date) -> Segment | None:
    """The stretch that covers `day`, or None when the person was not registered there that day."""
    return next((s for s in segments if s.start <= day and (s.end is None or day <= s.end)), None)


def merged_spans(periods: Iterable[StatusSpan]) -> list[tuple[date, date | None]]:
    """The days covered by any of the periods, as disjoint sorted spans (end None = still running)."""
    out: list[tuple[date, date | None]] = []
    for p in sorted(periods, key=lambda p: p.start):
        if out and (out[-1][1] is None or p.start <= out[-1][1] + _ONE_DAY):
            last_end = out[-1][1]
            end = None if last_end is None or p.end is None else max(last_end, p.end)
            out[-1] = (out[-1][0], end)
        else:
            out.append((p.start, p.end))
    return out


def clean_spans(
    segments: Sequence[Segment], blocked: Sequence[tuple[date, date | None]]
) -> list[tuple[date, date | None]]:
    """The committed stretches with every blocked span (a merged suspension or termination) cut out: the days on
    which a line of that person at that institution is plainly in order."""
    out: list[tuple[date, date | None]] = []
    for seg in segments:
        if not seg.committed:
            continue
        pieces: list[tuple[date, date | None]] = [(seg.start, seg.end)]
        for b_start, b_end in blocked:
            cut: list[tuple[date, date | None]] = []
            for p_start, p_end in pieces:
                if (p_end is not None and p_end < b_start) or (b_end is not None and b_end < p_start):
                    cut.append((p_start, p_end))
                    continue
                if p_start < b_start:
                    cut.append((p_start, b_start - _ONE_DAY))
                if b_end is not None and (p_end is None or b_end < p_end):
                    cut.append((b_end + _ONE_DAY, p_end))
            pieces = cut
        out += pieces
    return out
