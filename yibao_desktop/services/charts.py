"""Figures for the 工作台 charts: scores and dispositions per month, persons by status, institutions by points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select

from yibao_desktop.adapters.db.models import Disposition, Institution, Person, ScoreEntry
from yibao_desktop.domain.persons import NoticeState, Status

from .context import AppContext


@dataclass(frozen=True)
class ChartData:
    """Plain figures a chart draws (one year)."""

    year: int
    points_by_month: list[int]  # 12 values, January first
    dispositions_by_month: list[int]
    persons_by_status: list[tuple[str, int]]  # (label, persons)
    top_institutions: list[tuple[str, int]]  # (name, points), highest first


def chart_data(ctx: AppContext, year: int | None = None, top: int = 10) -> ChartData:
    """The figures of `year` (default this year): voided scores and notices do not count."""
    year = year or ctx.today().year
    first, last = date(year, 1, 1), date(year, 12, 31)
    with ctx.uow() as uow:
        s = uow.session
        points = [0] * 12
        month = extract("month", ScoreEntry.decision_date)
        for m, n in s.execute(
            select(month, func.sum(ScoreEntry.points))
            .where(ScoreEntry.state != "voided", ScoreEntry.decision_date.between(first, last))
            .group_by(month)
        ):
            points[int(m) - 1] = int(n or 0)
        disps = [0] * 12
        month = extract("month", Disposition.decision_date)
        for m, n in s.execute(
            select(month, func.count())
            .where(Disposition.state != NoticeState.VOIDED, Disposition.decision_date.between(first, last))
            .group_by(month)
        ):
            disps[int(m) - 1] = int(n)
        by_status = dict(s.execute(select(Person.status, func.count()).group_by(Person.status)).all())
        statuses = [
            (Status(k).label, int(by_status.get(k, 0))) for k in (Status.ACTIVE, Status.SUSPENDED, Status.TERMINATED)
        ]
        total = func.sum(ScoreEntry.points)
        top_rows = s.execute(
            select(Institution.name, total)
            .join(Institution, Institution.id == ScoreEntry.institution_id)
            .where(ScoreEntry.state != "voided", ScoreEntry.decision_date.between(first, last))
            .group_by(Institution.id, Institution.name)
            .order_by(total.desc(), Institution.name)
            .limit(top)
        ).all()
    return ChartData(year, points, disps, statuses, [(name, int(n or 0)) for name, n in top_rows])
