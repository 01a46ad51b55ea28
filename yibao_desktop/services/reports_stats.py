"""Statistics report for the administrative department (《规程》第四十条、第五十二条): scores, persons, dispositions,
appeals, repairs, restorations, settlement recoveries and the 第三十条 institutions of a period, as plain tables
that the .xlsx (one sheet per table) and the PDF (with charts) are made from."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import (
    Appeal,
    ClaimCheckRun,
    ClaimFinding,
    Disposition,
    Institution,
    Repair,
    Restoration,
    ScoreEntry,
)
from yibao_desktop.domain.dispositions import DispositionKind
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.domain.permissions import Permission, require

from .context import AppContext
from .dashboard import _flagged

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Row
    from sqlalchemy.orm import Session

BAND_LABELS = {1: "第一档（1—3分）", 2: "第二档（4—6分）", 3: "第三档（7—9分）", 4: "第四档（10—12分）"}
ISSUED = ("issued", "delivered")


@dataclass
class ReportTable:
    """One table of the report: its sheet title, headers, rows, column kinds and an optional chart (label column,
    value column)."""

    title: str
    headers: list[str]
    rows: list[list]
    kinds: list[str]
    chart: tuple[int, int] | None = None
    note: str = ""


@dataclass
class StatsReport:
    """The report of one period: the key figures and the tables, in print order."""

    start: date
    end: date
    office: str
    figures: dict[str, int] = field(default_factory=dict)
    tables: list[ReportTable] = field(default_factory=list)


def _kind_label(code: str) -> str:
    try:
        return InstitutionKind(code).label
    except ValueError:
        return code


def _scores(s: Session, start: date, end: date) -> Sequence[Row]:
    """Active score entries decided in the period with their institution."""
    return s.execute(
        select(
            ScoreEntry.person_id,
            ScoreEntry.band,
            ScoreEntry.violation_code,
            ScoreEntry.violation_name,
            ScoreEntry.points,
            Institution.code,
            Institution.name,
            Institution.kind,
        )
        .join(Institution, Institution.id == ScoreEntry.institution_id)
        .where(ScoreEntry.state == "active", ScoreEntry.decision_date >= start, ScoreEntry.decision_date <= end)
    ).all()


def _grouped(rows, key, label) -> list[list]:
    """[label…, entries, persons, points] per key, largest first."""
    out: dict = defaultdict(lambda: [0, set(), 0])
    names: dict = {}
    for r in rows:
        k = key(r)
        names[k] = label(r)
        out[k][0] += 1
        out[k][1].add(r.person_id)
        out[k][2] += r.points
    return [[*names[k], n, len(p), pts] for k, (n, p, pts) in sorted(out.items(), key=lambda kv: (-kv[1][0], kv[0]))]


def _score_tables(rows) -> list[ReportTable]:
    band = [[BAND_LABELS.get(b, str(b)), *_count_band(rows, b)] for b in sorted(BAND_LABELS)]
    return [
        ReportTable(
            "记分按档次", ["档次", "记分条数", "人数", "分值合计"], band, ["text", "int", "int", "int"], chart=(0, 1)
        ),
        ReportTable(
            "记分按违规行为",
            ["违规行为代码", "违规行为", "记分条数", "人数", "分值合计"],
            _grouped(rows, lambda r: r.violation_code, lambda r: (r.violation_code, r.violation_name)),
            ["code", "text", "int", "int", "int"],
        ),
        ReportTable(
            "记分按机构类别",
            ["机构类别", "记分条数", "人数", "分值合计"],
            _grouped(rows, lambda r: r.kind, lambda r: (_kind_label(r.kind),)),
            ["text", "int", "int", "int"],
            chart=(0, 1),
        ),
        ReportTable(
            "记分按机构",
            ["医药机构代码", "医药机构名称", "记分条数", "人数", "分值合计"],
            _grouped(rows, lambda r: r.code, lambda r: (r.code, r.name)),
            ["code", "text", "int", "int", "int"],
        ),
    ]


def _count_band(rows, band: int) -> list[int]:
    hit = [r for r in rows if r.band == band]
    return [len(hit), len({r.person_id for r in hit}), sum(r.points for r in hit)]


def _disposition_table(s: Session, start: date, end: date) -> ReportTable:
    """Notices issued in the period by kind; suspensions by months, terminations by ban years."""
    rows = s.execute(
        select(Disposition.kind, Disposition.months, Disposition.years).where(
            Disposition.state.in_(ISSUED), Disposition.issued_on >= start, Disposition.issued_on <= end
        )
    ).all()
    counts: Counter[tuple[int, int, str]] = Counter()
    for kind, months, years in rows:
        label = DispositionKind(kind).label if kind in DispositionKind._value2member_map_ else kind
        if kind == "suspension":
            label += f"（{months}个月）"
        elif kind == "termination":
            label += f"（{years}年内不得再次登记备案）" if years else ""
        counts[(_KIND_ORDER.get(kind, 9), months or years or 0, label)] += 1
    table = [[label, n] for (_o, _m, label), n in sorted(counts.items())]
    return ReportTable(
        "处理情况",
        ["处理类别", "处理通知书份数"],
        table,
        ["text", "int"],
        chart=(0, 1),
        note="按处理通知书签发日期统计（已签发、已送达）",
    )


_KIND_ORDER = {"notice": 0, "reminder": 1, "suspension": 2, "termination": 3}


def _procedure_tables(s: Session, start: date, end: date) -> list[ReportTable]:
    appeals = s.execute(
        select(Appeal.state, Appeal.outcome).where(Appeal.received_on >= start, Appeal.received_on <= end)
    ).all()
    outcome = Counter(
        ("维持原处理" if o == "upheld" else "变更处理") if st == "decided" else "尚在办理" for st, o in appeals
    )
    repairs = s.execute(
        select(Repair.state, Repair.points_granted).where(Repair.decided_on >= start, Repair.decided_on <= end)
    ).all()
    restorations = Counter(
        d
        for (d,) in s.execute(
            select(Restoration.decision).where(Restoration.decided_on >= start, Restoration.decided_on <= end)
        )
    )
    return [
        ReportTable(
            "申诉",
            ["项目", "件数"],
            [["期间受理", len(appeals)], *[[k, outcome.get(k, 0)] for k in ("维持原处理", "变更处理", "尚在办理")]],
            ["text", "int"],
            note="按受理日期统计；办理结果为这些申诉的结果",
        ),
        ReportTable(
            "记分修复与资格恢复",
            ["项目", "件数", "修复分值"],
            [
                [
                    "记分修复（同意）",
                    sum(1 for st, _ in repairs if st == "granted"),
                    sum(p for st, p in repairs if st == "granted"),
                ],
                ["记分修复（不同意）", sum(1 for st, _ in repairs if st == "refused"), 0],
                ["资格恢复（通过）", restorations.get("passed", 0), 0],
                ["资格恢复（不通过）", restorations.get("failed", 0), 0],
            ],
            ["text", "int", "int"],
            note="按决定日期统计",
        ),
    ]


def _latest_runs(s: Session, start: date, end: date) -> list[int]:
    """The latest run of each distinct file checked in the period (a file checked twice counts once)."""
    lo, hi = datetime.combine(start, time.min), datetime.combine(end, time.max)
    rows = s.execute(
        select(ClaimCheckRun.sha256, func.max(ClaimCheckRun.id))
        .where(ClaimCheckRun.checked_at >= lo, ClaimCheckRun.checked_at <= hi)
        .group_by(ClaimCheckRun.sha256)
    ).all()
    return sorted(i for _, i in rows)


def _recovery_table(s: Session, runs: list[int]) -> ReportTable:
    rows = (
        s.execute(
            select(
                ClaimFinding.institution_code,
                Institution.name,
                func.count(),
                func.coalesce(func.sum(ClaimFinding.fund_fen).filter(ClaimFinding.recoverable), 0),
            )
            .outerjoin(Institution, Institution.code == ClaimFinding.institution_code)
            .where(ClaimFinding.run_id.in_(runs))
            .group_by(ClaimFinding.institution_code, Institution.name)
            .order_by(ClaimFinding.institution_code)
        ).all()
        if runs
        else []
    )
    return ReportTable(
        "结算核查追回",
        ["医药机构代码", "医药机构名称", "问题明细条数", "应追回金额（元）"],
        [[c, n or "", k, int(f)] for c, n, k, f in rows],
        ["code", "text", "int", "money"],
        note=f"期间核查的结算明细文件 {len(runs)} 份（同一文件核查多次的按最后一次计）",
    )


def build_stats(ctx: AppContext, start: date, end: date) -> StatsReport:
    """Every table of the report for [start, end], read in one unit of work."""
    require(ctx, Permission.EXPORT)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    report = StatsReport(start, end, ctx.settings.office_name)
    with ctx.uow() as uow:
        s = uow.session
        scores = _scores(s, start, end)
        report.tables += _score_tables(scores)
        report.tables.append(_disposition_table(s, start, end))
        report.tables += _procedure_tables(s, start, end)
        runs = _latest_runs(s, start, end)
        recovery = _recovery_table(s, runs)
        report.tables.append(recovery)
        flagged = _flagged(ctx, s, end.year)
    report.tables.append(
        ReportTable(
            "第三十条机构",
            ["医药机构代码", "医药机构名称", "暂停终止人次", "登记备案人数"],
            [list(r) for r in flagged],
            ["code", "text", "int", "int"],
            note=f"{end.year}年暂停、终止人次超过登记备案人数的 {ctx.profile.institution_flag_share:.0%}",
        )
    )
    report.figures = {
        "记分条数": len(scores),
        "被记分人数": len({r.person_id for r in scores}),
        "分值合计": sum(r.points for r in scores),
        "处理通知书": sum(r[1] for r in report.tables[4].rows),
        "应追回金额（分）": sum(r[3] for r in recovery.rows),
        "第三十条机构": len(flagged),
    }
    summary = [[k, v] for k, v in report.figures.items() if k != "应追回金额（分）"]
    summary.insert(4, ["应追回金额（元）", round(report.figures["应追回金额（分）"] / 100, 2)])
    report.tables.insert(0, ReportTable("概况", ["项目", "数值"], summary, ["text", "num"]))
    return report
