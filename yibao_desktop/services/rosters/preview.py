"""Roster import flow: validate-every-row preview, one-transaction commit, error report."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import Agreement, Institution, Person, Registration, ScoreEntry
from yibao_desktop.adapters.excel import Problem, RosterRead, read_roster, write_error_report
from yibao_desktop.adapters.excel.reader import DEFAULT_MAX_ERRORS, paused_gc
from yibao_desktop.domain import ids
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.pinyin import warm_up as warm_up_pinyin

from ..audit import audit
from ..context import AppContext
from .common import ROSTER_LABELS, PlannedRow, error_rows, read_choices, text_limits
from .institutions import commit_institutions, plan_institutions
from .personnel import commit_personnel
from .personnel_plan import PersonnelPlanner, plan_personnel
from .scores import commit_scores, plan_scores

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WATCHED = (Institution, Agreement, Person, Registration, ScoreEntry)

_PLANNERS = {"personnel": plan_personnel, "institutions": plan_institutions, "scores": plan_scores}
# Rosters planned block by block while the file is read (the others are planned once it has been read).
_STREAMED = {"personnel": PersonnelPlanner}
_COMMITTERS = {"personnel": commit_personnel, "institutions": commit_institutions, "scores": commit_scores}


@dataclass
class ImportPreview:
    """Everything the clerk sees before accepting: the read rows, the plan, every problem and the counts."""

    kind: str
    file_name: str
    read: RosterRead = field(repr=False)
    plan: list[PlannedRow] = field(repr=False)
    problems: list[Problem] = field(repr=False)
    counts: dict[str, int]
    data: bytes = field(default=b"", repr=False)
    fingerprint: tuple = field(default=(), repr=False)

    @property
    def has_errors(self) -> bool:
        """True when at least one row (or the file) has an error."""
        return any(p.severity == "error" for p in self.problems)

    @property
    def error_rows(self) -> set[int]:
        """Excel rows with at least one error."""
        return error_rows(self.problems)


def _fingerprint(session: Session) -> tuple:
    """Counts, last ids and version sums of the tables an import reads: any change between preview and commit
    shows here (versions rise on every edit)."""
    return tuple(
        tuple(session.execute(select(func.count(), func.max(m.id), func.sum(m.version))).one()) for m in WATCHED
    )


def _warm_up() -> None:
    """Load the tables the import needs later (pypinyin's, stdnum's birth places) while calamine parses."""
    warm_up_pinyin()
    ids.warm_up()


def preview_import(
    ctx: AppContext,
    kind: str,
    data: bytes,
    file_name: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_errors: int | None = DEFAULT_MAX_ERRORS,
) -> ImportPreview:
    """Validate every row (cells, then the database) and plan each one; writes nothing.

    The check stops once more than `max_errors` errors are found (None: no limit); such a preview is incomplete
    and cannot be committed."""
    if kind not in ROSTER_LABELS:
        raise DomainError(f"不支持导入该名册：{kind}")
    if kind in ("personnel", "institutions"):
        # Committed names get pinyin initials. calamine parses the sheet without holding the GIL, so pypinyin's
        # tables load on the other core meanwhile instead of delaying the commit.
        threading.Thread(target=_warm_up, name="pinyin-warm-up", daemon=True).start()
    with paused_gc(), ctx.uow() as uow:  # paused: bulk allocation of acyclic rows (see paused_gc)
        fingerprint = _fingerprint(uow.session)
        sink = _STREAMED[kind](ctx, uow.session) if kind in _STREAMED else None
        # Rows with errors are never imported; only the 记分名册 needs them, to hold back a decision's other rows.
        read = read_roster(
            kind,
            data,
            progress=progress,
            cancelled=cancelled,
            extra_choices=read_choices(kind),
            max_lengths=text_limits(kind),
            max_errors=max_errors,
            keep_rows_with_errors=kind == "scores",
            sink=sink,
        )
        problems = list(read.problems)
        if sink is None:
            plan = _PLANNERS[kind](ctx, uow.session, read.rows, problems)
        else:
            plan = sink.planned
            problems.extend(sink.problems)
        problems.sort(key=lambda p: (p.row, p.severity != "error"))
    return ImportPreview(kind, file_name, read, plan, problems, _counts(plan, problems), data, fingerprint)


def _counts(plan: list[PlannedRow], problems: list[Problem]) -> dict[str, int]:
    """new / changed / unchanged planned rows and rejected (erroneous) data rows."""
    counts = dict.fromkeys(("new", "changed", "unchanged"), 0)
    for p in plan:
        counts[p.action] += 1
    counts["rejected"] = len({p.row for p in problems if p.severity == "error" and p.row > 0})
    return counts


def commit_import(ctx: AppContext, preview: ImportPreview, accept_valid: bool = False) -> dict[str, int]:
    """Write the planned rows in ONE transaction; any failure rolls everything back. Returns the counts."""
    require(ctx, Permission.IMPORT)
    if not preview.read.complete:
        raise DomainError(
            "错误太多，检查已提前停止，其后的行未检查，未导入任何数据。请改正后重新导入，或提高错误上限后重新检查。"
        )
    if preview.has_errors and not accept_valid:
        raise DomainError("名册中有错误，未导入任何数据。请按错误报告修改后重新导入，或选择“仅导入无错误的行”。")
    with paused_gc(), ctx.uow() as uow:
        uow.lock_for_writing()  # the fingerprint below and every id the commit assigns stay valid until it ends
        plan = preview.plan
        if _fingerprint(uow.session) != preview.fingerprint:
            plan = _replan(ctx, uow.session, preview)
        _COMMITTERS[preview.kind](ctx, uow, plan)
        counts = _counts(plan, preview.problems)
        audit(
            uow,
            f"import.{preview.kind}",
            "roster",
            None,
            f"{ROSTER_LABELS[preview.kind]} {preview.file_name}：{summary_text(counts)}",
        )
        uow.commit()
    return counts


def _replan(ctx: AppContext, session: Session, preview: ImportPreview) -> list[PlannedRow]:
    """The database changed since the preview: plan again inside this transaction; new errors refuse."""
    problems = list(preview.read.problems)
    plan = _PLANNERS[preview.kind](ctx, session, preview.read.rows, problems)
    fresh = sorted(error_rows(problems) - preview.error_rows)
    if fresh:
        rows = "、".join(map(str, fresh[:10])) + ("等" if len(fresh) > 10 else "")
        raise DomainError(f"检查之后数据库已有变化，第 {rows} 行现在不能导入；未导入任何数据，请重新导入该名册。")
    return plan


def summary_text(counts: dict[str, int]) -> str:
    """新增 a，变更 b，不变 c，有错误 d."""
    return (
        f"新增 {counts.get('new', 0)}，变更 {counts.get('changed', 0)}，不变 {counts.get('unchanged', 0)}，"
        f"有错误 {counts.get('rejected', 0)}"
    )


def error_report(preview: ImportPreview, mask: bool = False) -> bytes:
    """The original file with every bad cell marked, plus the problem list (.xlsx bytes); `mask` hides the middle
    of ID and mobile numbers (a report sent outside the office)."""
    return write_error_report(preview.kind, preview.data, preview.problems, mask=mask)
