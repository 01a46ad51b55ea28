"""Settlement check (SPEC §6): import claim lines, find those served by suspended, terminated, unregistered or
uncommitted persons, total what must be recovered per institution and person, export the recovery list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select

from yibao_desktop.adapters.db.models import ClaimLine as ClaimRow
from yibao_desktop.adapters.db.models import Institution, Person, Registration, StatusPeriod
from yibao_desktop.adapters.excel import Problem, read_roster, write_table
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.plausibility import check_service_date
from yibao_desktop.domain.settlement import (
    ClaimFinding,
    ClaimLine,
    classify_claim,
    summarize,
    unmaintained_institutions,
)
from yibao_desktop.domain.settlement import StatusPeriod as Period

from .audit import audit
from .context import AppContext


@dataclass(frozen=True)
class CheckResult:
    """Findings of one check, the per-institution/person totals and the institutions that did not update statuses."""

    lines: int
    findings: list[ClaimFinding]
    totals: list
    unmaintained: list[str]

    @property
    def recoverable_fen(self) -> int:
        """All money to recover, in fen."""
        return sum(t.recoverable_fen for t in self.totals)


def import_claims(ctx: AppContext, data: bytes, progress=None, cancelled=None) -> tuple[int, int, list]:
    """Read a 结算明细 file; if any row is bad nothing is written. Returns (new, already there, problems)."""
    require(ctx, Permission.IMPORT)
    read = read_roster("claims", data, progress=progress, cancelled=cancelled)
    _check_service_dates(ctx, read.rows, read.problems)
    if read.errors:
        return 0, 0, read.problems
    with ctx.uow() as uow:
        conn = uow.session.connection()
        known = {c for (c,) in conn.execute(select(ClaimRow.claim_id))}
        new = [dict(claim_id=r["claim_id"], institution_code=r["institution_code"], person_code=r["person_code"] or "",
                    id_number=r["id_number"] or "", service_date=r["service_date"], fund_fen=r["fund_amount"],
                    emergency=bool(r["emergency"])) for r in read.rows if r["claim_id"] not in known]
        if new:
            conn.execute(insert(ClaimRow), new)
        audit(uow, "claims.import", "claim_lines", None, f"{len(new)} new")
        uow.commit()
    return len(new), len(read.rows) - len(new), read.problems


def _check_service_dates(ctx: AppContext, rows: list[dict], problems: list) -> None:
    """A 服务日期 after today or before the profile's floor cannot be true: an error on that row."""
    today = ctx.today()
    for r in rows:
        on = r["service_date"]
        if on is None:
            continue
        try:
            check_service_date(on, today=today, profile=ctx.profile)
        except DomainError as err:
            problems.append(Problem(r["_row"], "服务日期", err.message))


def _people(session) -> tuple[dict[str, int], dict[str, int]]:
    """Person id by ID number and by person code."""
    by_id = dict(session.execute(select(Person.id_number, Person.id)).all())
    by_code = dict(session.execute(select(Registration.person_code, Registration.person_id)).all())
    return by_id, by_code


def _registrations(session) -> dict[tuple[int, str], list[tuple[date, date | None, bool]]]:
    """(person, institution code) → [(registered, cancelled, commitment)]."""
    out: dict[tuple[int, str], list] = defaultdict(list)
    for pid, code, reg_on, canc, commit in session.execute(
            select(Registration.person_id, Institution.code, Registration.registered_on, Registration.cancelled_on,
                   Registration.commitment).join(Institution, Institution.id == Registration.institution_id)):
        out[(pid, code)].append((reg_on, canc, commit))
    return out


def _periods(session) -> dict[int, list[Period]]:
    """Suspension/termination periods per person (voided ones left out)."""
    out: dict[int, list[Period]] = defaultdict(list)
    for pid, status, start, end, ended in session.execute(
            select(StatusPeriod.person_id, StatusPeriod.status, StatusPeriod.start, StatusPeriod.end,
                   StatusPeriod.ended_on)):
        if ended is not None and ended <= start:
            continue  # voided by an appeal
        out[pid].append(Period(status, start, min(end, ended) if ended else end))
    return out


def check_claims(ctx: AppContext, start: date | None = None, end: date | None = None) -> CheckResult:
    """Classify every stored claim line with a service date in [start, end]."""
    if start and end and end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    with ctx.uow() as uow:
        s = uow.session
        by_id, by_code = _people(s)
        regs, periods = _registrations(s), _periods(s)
        c = ClaimRow.__table__.c
        stmt = select(c.claim_id, c.institution_code, c.person_code, c.id_number, c.service_date, c.fund_fen,
                      c.emergency)
        if start:
            stmt = stmt.where(ClaimRow.service_date >= start)
        if end:
            stmt = stmt.where(ClaimRow.service_date <= end)
        findings, n = [], 0
        for values in s.connection().execute(stmt):  # tuples: millions of lines a year
            n += 1
            line = ClaimLine(*values)
            pid = by_id.get(line.id_number.upper()) or by_code.get(line.person_code.upper())
            spans = regs.get((pid, line.institution_code), []) if pid else []
            day = line.service_date
            live = [x for x in spans if x[0] <= day and (x[1] is None or day <= x[1])]
            found = classify_claim(line, bool(live), any(x[2] for x in live), periods.get(pid, []))
            if found is not None:
                findings.append(found)
    return CheckResult(n, findings, summarize(findings), unmaintained_institutions(findings))


def recovery_list(result: CheckResult) -> bytes:
    """The recovery list as .xlsx: one row per finding, then the totals sheet's lines appended below."""
    headers = ["结算流水号", "医药机构代码", "医保相关人员代码", "身份证件号码", "服务日期", "基金支付金额", "是否急诊抢救",
               "问题", "应追回", "说明"]
    kinds = ["code", "code", "code", "id", "date", "money", "bool", "text", "bool", "text"]
    labels = {"suspended": "暂停期内结算", "terminated": "终止期内结算", "unregistered": "未登记备案",
              "no_commitment": "未签服务承诺"}
    rows = [[f.claim.claim_id, f.claim.institution_code, f.claim.person_code, f.claim.id_number, f.claim.service_date,
             f.claim.fund_fen, f.claim.emergency, labels[f.reason_code], f.recoverable, f.reason]
            for f in result.findings]
    return write_table("追回清单", headers, rows, kinds)
