"""`demo` on 20,000 persons builds every history in time order through the services: no notice is dated before a
decision it counts, every suspended/terminated registration is covered by a period of the ledger, and the scores
export tells one story (本年度累计记分 and 拟处理意见 agree)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from tests.builders import signed_in
from yibao_desktop.adapters.db.models import Disposition, Registration, StatusPeriod
from yibao_desktop.domain.persons import PeriodFact
from yibao_desktop.services.notices import latest_counted_decision

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services import demo

    c = signed_in(build_context(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"))
    c.clock = lambda: TODAY
    counts = demo.generate(c, persons=20000)
    assert counts["persons"] == 20000 and counts["scored"] > 200
    yield c
    c.engine.dispose()


def test_no_notice_is_issued_before_a_decision_it_counts_nor_after_today(demo_ctx):
    with demo_ctx.uow() as uow:
        s = uow.session
        issued = list(s.scalars(select(Disposition).where(Disposition.issued_on.is_not(None))))
        assert len(issued) > 100
        late = [(d.id, d.issued_on) for d in issued if d.issued_on < latest_counted_decision(s, d)]
        future = [d.id for d in issued if d.issued_on > TODAY or (d.delivered_on and d.delivered_on > TODAY)]
    assert late == [] and future == []


def test_no_notice_states_a_yearly_total_that_counts_a_decision_made_after_its_date(demo_ctx):
    """Independent of record order: the total a notice states is at most the total of the entries decided on or
    before its issue date (less repairs decided by then, capped at 12)."""
    from collections import defaultdict

    from yibao_desktop.adapters.db.models import Repair, ScoreEntry

    with demo_ctx.uow() as uow:
        s = uow.session
        entries = defaultdict(list)
        for pid, on, points in s.execute(
            select(ScoreEntry.person_id, ScoreEntry.decision_date, ScoreEntry.points).where(
                ScoreEntry.state == "active"
            )
        ):
            entries[pid].append((on, points))
        repairs = defaultdict(list)
        for pid, on, points in s.execute(
            select(Repair.person_id, Repair.decided_on, Repair.points_granted).where(Repair.state == "granted")
        ):
            repairs[pid].append((on, points))
        issued = list(
            s.execute(
                select(
                    Disposition.id,
                    Disposition.person_id,
                    Disposition.decision_date,
                    Disposition.issued_on,
                    Disposition.total_year,
                ).where(Disposition.issued_on.is_not(None), Disposition.state != "voided")
            )
        )
    assert len(issued) > 100

    def by_date(pid: int, year: int, day: date) -> int:
        counted = sum(p for on, p in entries[pid] if on.year == year and on <= day)
        repaired = sum(p for on, p in repairs[pid] if on.year == year and on <= day)
        return min(max(counted - repaired, 0), 12)

    late = [(did, total) for did, pid, decided, day, total in issued if total > by_date(pid, decided.year, day)]
    assert late == []


def test_every_suspended_or_terminated_registration_is_covered_by_a_period(demo_ctx):
    with demo_ctx.uow() as uow:
        s = uow.session
        stopped = list(
            s.execute(
                select(Registration.person_id, Registration.status).where(
                    Registration.status.in_(["suspended", "terminated"]), Registration.cancelled_on.is_(None)
                )
            )
        )
        periods: dict[int, list[PeriodFact]] = {}
        for sp in s.scalars(select(StatusPeriod)):
            periods.setdefault(sp.person_id, []).append(
                PeriodFact(sp.status, sp.start, sp.end, sp.ban_end, sp.ended_on, sp.voided)
            )
    assert stopped
    uncovered = [
        (pid, st)
        for pid, st in stopped
        if not any(
            p.status == st and not p.voided and (p.ended_on is None or p.ended_on >= TODAY)
            for p in periods.get(pid, [])
        )
    ]
    assert uncovered == []


def test_the_scores_export_tells_one_story(demo_ctx):
    from openpyxl import load_workbook

    from yibao_desktop.services.rosters.exports import export_roster

    ws = load_workbook(BytesIO(export_roster(demo_ctx, "scores", 2026)), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if "本年度累计记分" in r)
    total_col, proposal_col = rows[head].index("本年度累计记分"), rows[head].index("拟处理意见")
    pairs = [(r[total_col], r[proposal_col] or "") for r in rows[head + 1 :] if r[total_col] is not None]
    assert len(pairs) > 100
    wrong = [
        (t, p) for t, p in pairs if (p.startswith("终止") and t != 12) or (p.startswith("暂停") and not 9 <= t <= 11)
    ]
    assert wrong == []
