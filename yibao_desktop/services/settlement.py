"""Settlement check (《规程》第四十五至四十八条) of a file where it lies: the engine narrows millions of lines to the few
that need a look, the domain rule judges each, and only the run and its findings are stored."""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import insert, select

from yibao_desktop.adapters.claims import engine, source
from yibao_desktop.adapters.db.models import ClaimCheckRun, ClaimFinding, ClaimMapping
from yibao_desktop.adapters.excel import Problem
from yibao_desktop.adapters.excel.cells import too_long
from yibao_desktop.domain.errors import Cancelled, DomainError
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.settlement import (
    CLAIM_FIELDS,
    FlaggedClaim,
    header_key,
    mapping_gaps,
    own_layout_mapping,
    summarize,
    unmaintained_institutions,
)

from .audit import audit
from .context import AppContext
from .settlement_reference import CLAIM_LIMITS, judge, load_ledger

if TYPE_CHECKING:
    from sqlalchemy import String
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

OWN_LAYOUT = "本系统模板"
_REJECT_LABELS = {
    "MISSING COLUMNS": "列数少于表头",
    "TOO MANY COLUMNS": "列数多于表头",
    "UNQUOTED VALUE": "引号不成对",
    "LINE SIZE OVER MAXIMUM": "一行过长",
    "INVALID UNICODE": "含有无法识别的字符",
}


@dataclass(frozen=True)
class FileLook:
    """A claims file before its check: headers, the mapping found for them (or None) and earlier runs of it."""

    name: str
    size: int
    encoding: str
    headers: list[str]
    mapping: dict[str, str] | None
    mapping_name: str
    earlier: list[tuple[int, datetime]]


@dataclass
class CheckOutcome:
    """One check: the stored run (None when refused), every problem row, the findings and their totals."""

    run_id: int | None
    file_name: str
    lines: int
    lines_checked: int
    problems: list[Problem]
    findings: list[FlaggedClaim]
    person_ids: list[int | None]
    rows: list[int]
    earlier: list[tuple[int, datetime]] = field(default_factory=list)
    refused: str = ""
    problem_values: dict[int, dict] = field(default_factory=dict)  # row → the mapped cells, for the error report
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def recoverable_fen(self) -> int:
        """All money to recover, in fen."""
        return sum(f.claim.fund_fen for f in self.findings if f.recoverable)

    @property
    def totals(self):
        """Findings per institution and person."""
        return summarize(self.findings)

    @property
    def unmaintained(self) -> list[str]:
        """Institutions that billed services of suspended/terminated persons (《规程》第四十六条)."""
        return unmaintained_institutions(self.findings)

    @property
    def problem_rows(self) -> int:
        """How many rows had a problem (a row may have several)."""
        return len({p.row for p in self.problems if p.severity == "error"})


def _known_mapping(session: Session, headers: list[str], name: str | None) -> tuple[dict[str, str] | None, str]:
    """The named mapping, else the one remembered for this header set, else the program's own layout."""
    if name:
        row = session.scalar(select(ClaimMapping).where(ClaimMapping.name == name))
        if row is None:
            raise DomainError(f"没有名为“{name}”的列对应关系。")
        return json.loads(row.mapping), row.name
    row = session.scalar(
        select(ClaimMapping).where(ClaimMapping.header_key == header_key(headers)).order_by(ClaimMapping.id.desc())
    )
    if row is not None:
        return json.loads(row.mapping), row.name
    own = own_layout_mapping(headers)
    return (own, OWN_LAYOUT) if own else (None, "")


def inspect_file(ctx: AppContext, path: Path, mapping_name: str | None = None) -> FileLook:
    """Headers and encoding of a claims file, the mapping remembered for its header set, earlier runs of the file."""
    require(ctx, Permission.IMPORT)
    src = source.inspect(Path(path))
    digest = source.sha256(src.path)
    with ctx.uow() as uow:
        mapping, name = _known_mapping(uow.session, src.headers, mapping_name)
        earlier = _earlier_runs(uow.session, digest)
    return FileLook(src.name, src.size, src.encoding or "xlsx", src.headers, mapping, name, earlier)


def _earlier_runs(session: Session, digest: str) -> list[tuple[int, datetime]]:
    return [
        (r[0], r[1])
        for r in session.execute(
            select(ClaimCheckRun.id, ClaimCheckRun.checked_at)
            .where(ClaimCheckRun.sha256 == digest)
            .order_by(ClaimCheckRun.id)
        )
    ]


def mapping_names(ctx: AppContext) -> list[str]:
    """Names of the remembered mappings, for --mapping and the dialog."""
    with ctx.uow() as uow:
        return list(uow.session.scalars(select(ClaimMapping.name).order_by(ClaimMapping.name)))


def save_mapping(ctx: AppContext, name: str, headers: list[str], mapping: dict[str, str]) -> None:
    """Remember a mapping by name and by the file's header set (a new one replaces the old of that name)."""
    require(ctx, Permission.IMPORT)
    name = name.strip()
    if not name:
        raise DomainError("请给这套列对应关系起个名字（如结算系统的名称）。", field="name")
    longer = too_long("名称", name, cast("String", ClaimMapping.__table__.c.name.type).length or 60)
    if longer:
        raise DomainError(longer, field="name")
    gaps = mapping_gaps(mapping, headers)
    if gaps:
        raise DomainError("列对应关系不完整：" + "；".join(gaps) + "。")
    with ctx.uow() as uow:
        row = uow.session.scalar(select(ClaimMapping).where(ClaimMapping.name == name))
        if row is None:
            row = ClaimMapping(name=name, created_by=ctx.username)
            uow.session.add(row)
        row.header_key, row.mapping = header_key(headers), json.dumps(mapping, ensure_ascii=False)
        uow.session.flush()
        audit(uow, "claims.mapping", "claims", row.id, name)
        uow.commit()


def _reject_problems(rejected: list[tuple[int, str, str]]) -> list[Problem]:
    return [Problem(line, "", f"该行{_REJECT_LABELS.get(kind, '格式不对')}，未核查") for line, kind, _ in rejected]


def check_file(
    ctx: AppContext,
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    mapping_name: str | None = None,
    start: date | None = None,
    end: date | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckOutcome:
    """Check a claims file against registrations, commitments and every status period; store the run and findings.

    A refused file (no usable mapping, or any problem row in strict mode) stores nothing and says why."""
    require(ctx, Permission.IMPORT)
    if start and end and end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    progress = progress or (lambda _d, _t: None)
    src = source.inspect(Path(path))
    digest: dict[str, str] = {}
    hasher = threading.Thread(target=lambda: digest.setdefault("v", source.sha256(src.path)), daemon=True)
    hasher.start()  # hashlib releases the GIL: the hash runs beside DuckDB's scan
    with ctx.uow() as uow:
        used, used_name = (mapping, "") if mapping else _known_mapping(uow.session, src.headers, mapping_name)
        ledger = load_ledger(uow.session)
    if used is None or mapping_gaps(used, src.headers):
        gaps = mapping_gaps(used or {}, src.headers)
        raise DomainError("无法确定各列的含义：" + "；".join(gaps) + "。请先设置列对应关系（或使用下载模板的表头）。")
    result, verdicts = _scan(ctx, src, used, ledger, start, end, progress, cancelled or (lambda: False))
    outcome = _collect(src.name, used, result, verdicts)
    hasher.join()
    if cancelled and cancelled():
        raise Cancelled()  # nothing stored: the clerk stopped the check
    with ctx.uow() as uow:
        outcome.earlier = _earlier_runs(uow.session, digest["v"])
        if strict and outcome.problem_rows:
            outcome.refused = f"严格模式：有 {outcome.problem_rows} 行数据有错误，未核查。"
            return outcome
        outcome.run_id = _store_run(ctx, uow, src, digest["v"], used, used_name, (start, end), strict, result, outcome)
    progress(1000, 1000)
    return outcome


def _scan(ctx: AppContext, src, used: dict[str, str], ledger, start, end, progress, cancelled):
    """The engine over the file (transcoded first when it must be) and the domain's verdict on every candidate."""
    index = {key: src.headers.index(header) for key, header in used.items()}
    today, verdicts = ctx.today(), {}

    def wants_row(cand) -> bool:  # judged once, while the scan's connection is open: problem rows get numbers
        verdict = judge(
            ledger,
            cand.values,
            0,
            used,
            today=today,
            profile=ctx.profile,
            start=start,
            end=end,
            scanned=(cand.service_date, cand.fund_fen),
        )
        verdicts[id(cand)] = verdict
        return bool(verdict.problems)

    with tempfile.TemporaryDirectory(prefix="yibao-claims-") as tmp:
        share = 200 if src.kind == "xlsx" or src.encoding == "gb18030" else 0
        csv_path = source.duckdb_input(src, Path(tmp), lambda d, t: progress(d * share // t, 1000), cancelled)
        result = engine.check_file(
            csv_path,
            "," if src.kind == "xlsx" else src.delimiter,
            len(src.headers),
            index,
            ledger.reference(),
            today=today,
            floor=ctx.profile.earliest_record,
            start=start,
            end=end,
            cancelled=cancelled,
            wants_row=wants_row,
            max_lengths=CLAIM_LIMITS,
            progress=lambda f: progress(share + int(f * (950 - share)), 1000),
        )
    return result, verdicts


def _collect(file_name: str, used: dict[str, str], result, verdicts: dict) -> CheckOutcome:
    """Problems (with their record numbers), findings and the count of lines checked."""
    outcome = CheckOutcome(
        None,
        file_name,
        result.lines,
        result.in_window,
        _reject_problems(result.rejected),
        [],
        [],
        [],
        mapping=dict(used),
    )
    for cand in result.candidates:
        verdict = verdicts[id(cand)]
        if verdict.problems:
            outcome.problems += [p._replace(row=cand.row) for p in verdict.problems]
            outcome.problem_values[cand.row] = cand.values
        if cand.inside and (verdict.line is None or verdict.problems):
            outcome.lines_checked -= 1  # a bad row, or a line of an institution the records do not hold
        if verdict.finding is not None:
            outcome.findings.append(verdict.finding)
            outcome.person_ids.append(verdict.person_id)
            outcome.rows.append(cand.row)
    return outcome


def _store_run(
    ctx: AppContext,
    uow: UnitOfWork,
    src,
    digest: str,
    used: dict[str, str],
    used_name: str,
    span: tuple,
    strict: bool,
    result,
    outcome: CheckOutcome,
) -> int:
    """The run (enough to recognise the file and reproduce the check) and its findings, in one transaction."""
    now = datetime.combine(ctx.today(), datetime.now().time().replace(microsecond=0))
    run = ClaimCheckRun(
        checked_at=now,
        checked_by=ctx.username,
        file_name=src.name,
        file_size=src.size,
        sha256=digest,
        encoding=src.encoding or "xlsx",
        mapping=json.dumps(used, ensure_ascii=False),
        mapping_name=used_name,
        period_from=span[0],
        period_to=span[1],
        first_day=result.first_day,
        last_day=result.last_day,
        strict=strict,
        lines=result.lines,
        lines_checked=outcome.lines_checked,
        problem_rows=outcome.problem_rows,
        findings=len(outcome.findings),
        fund_fen=result.fund_fen,
        checked_fund_fen=result.window_fund_fen,
        recoverable_fen=outcome.recoverable_fen,
    )
    uow.session.add(run)
    uow.session.flush()
    _store_findings(
        uow.session.connection(),
        [
            _finding_row(run.id, row, f, pid)
            for f, pid, row in zip(outcome.findings, outcome.person_ids, outcome.rows, strict=True)
        ],
    )
    audit(
        uow,
        "claims.check",
        "claims",
        run.id,
        f"{src.name}：{result.lines} 行，问题 {len(outcome.findings)} 条，应追回 {outcome.recoverable_fen / 100:.2f} 元",
    )
    uow.commit()
    return run.id


def _store_findings(conn: Connection, rows: list[dict]) -> None:
    """Insert the findings; on SQLite one driver-level executemany (SQLAlchemy's per-row binding costs 2.5× as
    much: 60,000 findings 0.77 s against 0.30 s measured), elsewhere SQLAlchemy's batched insert."""
    if not rows:
        return
    if conn.engine.url.get_backend_name() == "sqlite":
        cols = list(rows[0])
        conn.exec_driver_sql(
            f"INSERT INTO claim_findings ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(r[c] for c in cols) for r in rows],
        )
    else:
        conn.execute(insert(ClaimFinding), rows)


def _finding_row(run_id: int, row: int, f: FlaggedClaim, pid: int | None) -> dict:
    c = f.claim
    return dict(
        run_id=run_id,
        row=row,
        claim_id=c.claim_id,
        institution_code=c.institution_code,
        person_code=c.person_code,
        id_number=c.id_number,
        person_id=pid,
        service_date=c.service_date,
        fund_fen=c.fund_fen,
        emergency=c.emergency,
        reason_code=f.reason_code,
        recoverable=f.recoverable,
        reason=f.reason,
    )


def program_fields() -> list[tuple[str, str, bool]]:
    """(key, label, required) of the program's layout, for the mapping step."""
    return [(f.key, f.label, f.required) for f in CLAIM_FIELDS]
