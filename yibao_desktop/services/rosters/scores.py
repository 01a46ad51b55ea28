"""记分名册 import: check each entry like the score dialog, hold back whole decisions, record via record_scores."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import ScoreEntry
from yibao_desktop.adapters.excel import Problem
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.plausibility import check_decision_date
from yibao_desktop.domain.scoring import Circumstance, Responsibility, check_points, propose_points

from ..context import AppContext
from ..scoring import DECISION_KINDS, ScoreInput, record_scores
from .common import (
    PlannedRow,
    RowPlanner,
    chunks,
    error_rows,
    headers,
    institutions_by_code,
    persons_by_id_number,
    valid_rows,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

_DECISION_BY_LABEL = {v: k for k, v in DECISION_KINDS.items()}
_RESP_BY_LABEL = {r.label: r.value for r in Responsibility}
_CIRC_BY_LABEL = {c.label: c.value for c in Circumstance}


def _recorded(session: Session, person_ids: list[int]) -> dict[tuple[int, str, str], int]:
    """(person id, decision number, violation code) → points of the active entries already recorded."""
    out = {}
    for part in chunks(person_ids):
        stmt = select(ScoreEntry.person_id, ScoreEntry.decision_no, ScoreEntry.violation_code, ScoreEntry.points).where(
            ScoreEntry.person_id.in_(part), ScoreEntry.state == "active"
        )
        for pid, no, code, points in session.execute(stmt):
            out[(pid, no, code)] = points
    return out


class _ScorePlanner(RowPlanner):
    """Checks score rows: institution, person and name, catalog, band, date, entries already recorded."""

    def __init__(self, ctx: AppContext, session: Session, rows: list[dict]):
        self.ctx, self.h, self.today = ctx, headers("scores"), ctx.today()
        self.insts = institutions_by_code(session)
        self.persons = persons_by_id_number(session, {r["id_number"] for r in rows if r["id_number"]})
        self.recorded = _recorded(session, [p.id for p in self.persons.values()])

    def plan(self, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
        """Plan every valid row, then reject whole decisions: one decision's entries are scored together."""
        plan = super().plan(valid_rows(rows, problems), problems)
        bad_rows = error_rows(problems)
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in rows:
            groups[(r["id_number"], r["decision_no"])].append(r)
        refused: set[int] = set()
        for (_idn, number), members in groups.items():
            refused |= self._check_group(number, members, bad_rows, problems)
        return [p for p in plan if p.row["_row"] not in refused]

    def _check_group(self, number: str, members: list[dict], bad_rows: set[int], problems: list) -> set[int]:
        """Rows of one decision share the decision date; an error in one row holds back the others."""
        h, first = self.h, members[0]
        refused = set()
        for r in members[1:]:
            if r["decision_date"] != first["decision_date"]:
                problems.append(
                    Problem(
                        r["_row"],
                        h["decision_date"],
                        f"与第 {first['_row']} 行同一决定文书号"
                        f"（{number}），决定日期却不同（{first['decision_date']}）",
                    )
                )
                refused.add(r["_row"])
        wrong = sorted(({r["_row"] for r in members} & bad_rows) | refused)
        if wrong:
            for r in members:
                if r["_row"] not in bad_rows and r["_row"] not in refused:
                    problems.append(
                        Problem(
                            r["_row"],
                            h["decision_no"],
                            f"同一决定（{number}）的第 {'、'.join(map(str, wrong))} 行有错误，本行一并不导入",
                        )
                    )
                    refused.add(r["_row"])
        return refused

    def row(self, r: dict, out: list[Problem]) -> PlannedRow | None:
        """One score row → a ScoreInput for record_scores, or 'unchanged' when already recorded."""
        person = self._check_who_and_when(r, out)
        data = self._input(r, out)
        if data is None or person is None or out:
            return None
        done = self.recorded.get((person.id, data.decision_no, data.violation_code))
        if done is None:
            return PlannedRow("new", r, {"input": data, "person_id": person.id})
        if data.points is not None and data.points != done:
            out.append(
                Problem(
                    r["_row"],
                    self.h["points"],
                    f"该项记分已录入（{done} 分），与名册中的 {data.points} 分不同；更正请通过申诉或更正流程办理",
                    "warning",
                )
            )
        return PlannedRow("unchanged", r, {"person_id": person.id})

    def _check_who_and_when(self, r: dict, out: list[Problem]):
        """Institution and person must be registered, the name must match, the date not be in the future."""
        n, h = r["_row"], self.h
        if r["institution_code"] not in self.insts:
            out.append(Problem(n, h["institution_code"], f"医药机构代码 {r['institution_code']} 在系统中不存在"))
        person = self.persons.get(r["id_number"])
        if person is None:
            out.append(
                Problem(n, h["id_number"], f"身份证件号码 {r['id_number']} 没有登记备案记录，请先导入人员登记备案名册")
            )
        elif person.name != r["name"]:
            out.append(
                Problem(
                    n,
                    h["name"],
                    f"身份证件号码 {r['id_number']} 登记的姓名为“{person.name}”，与名册中的“{r['name']}”不一致",
                )
            )
        try:
            check_decision_date(r["decision_date"], today=self.today, profile=self.ctx.profile)
        except DomainError as err:
            out.append(Problem(n, h["decision_date"], err.message))
        return person

    def _input(self, r: dict, out: list[Problem]) -> ScoreInput | None:
        """Labels → codes; the violation must be in the catalog and the points must fit its band."""
        n, h = r["_row"], self.h
        try:
            item = self.ctx.profile.item(r["violation_code"])
        except DomainError as err:
            out.append(Problem(n, h["violation_code"], err.message))
            return None
        if r["violation"] and r["violation"] != item.name:
            out.append(Problem(n, h["violation"], f"目录中该代码为“{item.name}”，以目录为准", "warning"))
        resp = Responsibility(_RESP_BY_LABEL[r["responsibility"]])
        circ = Circumstance(_CIRC_BY_LABEL.get(r["circumstance"] or "无", "none"))
        points = r["points"]
        try:
            check_points(
                points if points is not None else propose_points(item.band, resp, circ, self.ctx.profile),
                item.band,
                circ,
            )
        except DomainError as err:
            out.append(Problem(n, h["points"], f"{err.message}（{item.code} {item.name}）"))
            return None
        return ScoreInput(
            r["id_number"],
            r["institution_code"],
            _DECISION_BY_LABEL[r["decision_kind"]],
            r["decision_no"],
            r["decision_date"],
            r["inspection_batch"] or "",
            item.code,
            resp.value,
            circ.value,
            points,
            r["amount"] or 0,
            r["notes"] or "",
        )


def plan_scores(ctx: AppContext, session: Session, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
    """Plan a 记分名册 (all rows are passed: a decision with a bad row is held back whole)."""
    return _ScorePlanner(ctx, session, rows).plan(rows, problems)


def commit_scores(ctx: AppContext, uow: UnitOfWork, plan: list[PlannedRow]) -> None:
    """Each decision through record_scores, oldest first, exactly as if typed in the score dialog."""
    groups: dict[tuple[str, str], list[PlannedRow]] = defaultdict(list)
    for p in plan:
        if p.action == "new":
            groups[(p.row["id_number"], p.row["decision_no"])].append(p)
    for members in sorted(groups.values(), key=lambda g: (g[0].row["decision_date"], g[0].row["_row"])):
        record_scores(ctx, [p.target["input"] for p in members], uow=uow)
