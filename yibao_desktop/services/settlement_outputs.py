"""What a settlement check hands over: the recovery list per institution and person (.xlsx), the error report of
the problem rows (.xlsx), the 追回通知 per institution (PDF) and the template of the program's own layout."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from yibao_desktop.adapters.db.models import ClaimCheckRun, ClaimFinding, Institution, Person
from yibao_desktop.adapters.excel.book import Table, write_book
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.settlement import FIELD_LABELS

from .context import AppContext

REASON_SHORT = {
    "suspended": "暂停期内结算",
    "terminated": "终止期内结算",
    "unregistered": "未登记备案",
    "no_commitment": "未签服务承诺",
}


@dataclass(frozen=True)
class FindingRow:
    """A stored finding with the names the papers need."""

    row: int
    claim_id: str
    institution_code: str
    institution_name: str
    person_code: str
    id_number: str
    person_name: str
    service_date: date
    fund_fen: int
    emergency: bool
    reason_code: str
    recoverable: bool
    reason: str


@dataclass(frozen=True)
class RunRow:
    """A stored check run as shown and printed."""

    id: int
    checked_at: datetime
    checked_by: str
    file_name: str
    file_size: int
    sha256: str
    encoding: str
    mapping_name: str
    period_from: date | None
    period_to: date | None
    first_day: date | None
    last_day: date | None
    lines: int
    lines_checked: int
    problem_rows: int
    findings: int
    fund_fen: int
    checked_fund_fen: int
    recoverable_fen: int


def load_run(ctx: AppContext, run_id: int) -> tuple[RunRow, list[FindingRow]]:
    """A run and its findings (institution and person names joined), ordered by institution, person, row."""
    with ctx.uow() as uow:
        s = uow.session
        run = s.get(ClaimCheckRun, run_id)
        if run is None:
            raise DomainError(f"没有第 {run_id} 次结算核查的记录。")
        head = RunRow(
            run.id,
            run.checked_at,
            run.checked_by,
            run.file_name,
            run.file_size,
            run.sha256,
            run.encoding,
            run.mapping_name,
            run.period_from,
            run.period_to,
            run.first_day,
            run.last_day,
            run.lines,
            run.lines_checked,
            run.problem_rows,
            run.findings,
            run.fund_fen,
            run.checked_fund_fen,
            run.recoverable_fen,
        )
        f = ClaimFinding
        rows = s.execute(
            select(
                f.row,
                f.claim_id,
                f.institution_code,
                Institution.name,
                f.person_code,
                f.id_number,
                Person.name,
                f.service_date,
                f.fund_fen,
                f.emergency,
                f.reason_code,
                f.recoverable,
                f.reason,
            )
            .outerjoin(Institution, Institution.code == f.institution_code)
            .outerjoin(Person, Person.id == f.person_id)
            .where(f.run_id == run_id)
            .order_by(f.institution_code, f.id_number, f.person_code, f.row)
        ).all()
    return head, [
        FindingRow(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6] or "", r[7], r[8], r[9], r[10], r[11], r[12])
        for r in rows
    ]


def _person_totals(rows: list[FindingRow]) -> list[list]:
    """One line per institution and person: lines, recoverable amount, emergency lines listed only."""
    out: dict[tuple, list] = {}
    for r in rows:
        key = (r.institution_code, r.id_number or r.person_code)
        entry = out.setdefault(
            key, [r.institution_code, r.institution_name, r.person_code, r.id_number, r.person_name, 0, 0, 0, set()]
        )
        entry[5] += 1
        entry[6] += r.fund_fen if r.recoverable else 0
        entry[7] += 1 if r.emergency and not r.recoverable else 0
        entry[8].add(REASON_SHORT[r.reason_code])
    return [[*e[:8], "、".join(sorted(e[8]))] for _, e in sorted(out.items())]


def institution_totals(rows: list[FindingRow]) -> list[list]:
    """Per institution: lines, recoverable fen, lines in status periods (《规程》第四十六条), emergency lines."""
    out: dict[str, list] = {}
    for r in rows:
        e = out.setdefault(r.institution_code, [r.institution_code, r.institution_name, 0, 0, 0, 0])
        e[2] += 1
        e[3] += r.fund_fen if r.recoverable else 0
        e[4] += 1 if r.reason_code in ("suspended", "terminated") and not r.emergency else 0
        e[5] += 1 if r.emergency else 0
    return [out[k] for k in sorted(out)]


def recovery_list(ctx: AppContext, run_id: int) -> bytes:
    """The recovery list of a run: totals per institution and person, every line, the 第四十六条 institutions."""
    require(ctx, Permission.EXPORT)
    run, rows = load_run(ctx, run_id)
    per_inst = institution_totals(rows)
    tables = [
        Table(
            "追回汇总",
            [
                "医药机构代码",
                "医药机构名称",
                "医保相关人员代码",
                "身份证件号码",
                "姓名",
                "问题明细条数",
                "应追回金额（元）",
                "急诊抢救条数（不予追回）",
                "问题",
            ],
            _person_totals(rows),
            ["code", "text", "code", "code", "text", "int", "money", "int", "text"],
            note=f"结算核查第 {run.id} 次：{run.file_name}（SHA-256 {run.sha256[:16]}…），依据《医疗保障定点医药机构"
            "相关人员医保支付资格管理经办规程（试行）》第四十五至四十八条",
        ),
        Table(
            "追回明细",
            [
                "结算流水号",
                "医药机构代码",
                "医药机构名称",
                "医保相关人员代码",
                "身份证件号码",
                "姓名",
                "服务日期",
                "基金支付金额（元）",
                "是否急诊抢救",
                "问题",
                "应追回",
                "说明",
            ],
            (
                [
                    r.claim_id,
                    r.institution_code,
                    r.institution_name,
                    r.person_code,
                    r.id_number,
                    r.person_name,
                    r.service_date,
                    r.fund_fen,
                    r.emergency,
                    REASON_SHORT[r.reason_code],
                    r.recoverable,
                    r.reason,
                ]
                for r in rows
            ),
            ["code", "code", "text", "code", "code", "text", "date", "money", "bool", "text", "bool", "text"],
        ),
        Table(
            "未及时维护状态的机构",
            [
                "医药机构代码",
                "医药机构名称",
                "问题明细条数",
                "应追回金额（元）",
                "暂停终止期内非急诊结算条数",
                "急诊抢救条数",
            ],
            [e for e in per_inst if e[4]],
            ["code", "text", "int", "money", "int", "int"],
            note="第四十六条：定点医药机构应在收到处理通知后及时维护相关人员的登记备案状态",
        ),
        Table("核查信息", ["项目", "内容"], _run_facts(run), ["text", "text"]),
    ]
    return write_book(tables)


def _run_facts(run: RunRow) -> list[list]:
    span = f"{run.period_from or '不限'} 至 {run.period_to or '不限'}"
    return [
        ["文件名", run.file_name],
        ["文件大小（字节）", str(run.file_size)],
        ["SHA-256", run.sha256],
        ["编码", run.encoding],
        ["列对应关系", run.mapping_name or "（本次指定）"],
        ["核查期间", span],
        ["文件中服务日期", f"{run.first_day or ''} 至 {run.last_day or ''}"],
        ["明细行数", str(run.lines)],
        ["核查行数", str(run.lines_checked)],
        ["有错误的行数", str(run.problem_rows)],
        ["问题明细条数", str(run.findings)],
        ["基金支付合计（元）", f"{run.fund_fen / 100:,.2f}"],
        ["应追回合计（元）", f"{run.recoverable_fen / 100:,.2f}"],
        ["核查人", run.checked_by],
        ["核查时间", str(run.checked_at)],
    ]


def error_report(outcome) -> bytes:
    """Every problem row of a check: row, the file's column, the problem, and the row's mapped cells."""
    fields = list(outcome.mapping)
    headers = ["行号", "列", "问题", "类别", *[outcome.mapping[k] for k in fields]]
    rows = [
        [
            p.row,
            p.column,
            p.message,
            "错误" if p.severity == "error" else "提醒",
            *[(outcome.problem_values.get(p.row) or {}).get(k) or "" for k in fields],
        ]
        for p in sorted(outcome.problems, key=lambda p: (p.row, p.column))
    ]
    note = f"{outcome.file_name}：共 {len(outcome.problems)} 个问题；行号按文件计（表头为第1行）"
    return write_book(
        [Table("问题清单", headers, rows, ["int", "text", "text", "text", *["code"] * len(fields)], note=note)]
    )


def template(ctx: AppContext) -> bytes:
    """The program's own claims layout as an .xlsx template (codes and ID numbers as text)."""
    from .rosters import template_bytes

    return template_bytes(ctx, "claims")


def required_columns_text() -> str:
    """The columns a file must have, for the dialog and the CLI's refusal."""
    from yibao_desktop.domain.settlement import CLAIM_FIELDS

    need = "、".join(f.label for f in CLAIM_FIELDS if f.required)
    return (
        f"必需列：{need}，以及{FIELD_LABELS['person_code']}或{FIELD_LABELS['id_number']}（至少一项）；可选："
        f"{FIELD_LABELS['emergency']}（不填视为否）。"
    )


def grouped_by_institution(rows: list[FindingRow]) -> dict[str, list[FindingRow]]:
    """Findings per institution code, in code order (the 追回通知 batch)."""
    out: dict[str, list[FindingRow]] = defaultdict(list)
    for r in rows:
        out[r.institution_code].append(r)
    return dict(sorted(out.items()))
