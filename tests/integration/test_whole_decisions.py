"""One user action = one transaction: an appeal decision is written whole or not at all, even when the process
is killed in the middle (subprocess + SIGKILL at several points)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.builders import entry_ids_of, issue_suspension
from yibao_desktop.adapters.db.models import Appeal, Disposition, ScoreEntry, StatusPeriod
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services import appeals, notices

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def appealed(ctx, make_ctx):
    """A 9-point suspension issued 2026-09-14, received 09-18, appealed by the institution on 09-21."""
    did, idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))
    notices.record_delivery(ctx, did, date(2026, 9, 16))
    notices.record_receipt(ctx, did, date(2026, 9, 18))
    aid = appeals.file_appeal(ctx, did, "institution", date(2026, 9, 21), "责任认定有误")
    return did, aid


def _state(ctx, did: int, aid: int) -> tuple:
    """(appeal state, old notice state, active entries of the old notice, new drafts, voided periods)."""
    with ctx.uow() as uow:
        s = uow.session
        return (
            s.get(Appeal, aid).state,
            s.get(Disposition, did).state,
            s.scalar(
                select(func.count())
                .select_from(ScoreEntry)
                .where(ScoreEntry.disposition_id == did, ScoreEntry.state == "active")
            ),
            s.scalar(select(func.count()).select_from(Disposition).where(Disposition.supersedes_id == did)),
            s.scalar(select(func.count()).select_from(StatusPeriod).where(StatusPeriod.voided.is_(True))),
        )


NONE = ("received", "delivered", 1, 0, 0)
WHOLE = ("decided", "voided", 0, 1, 1)


def test_changed_points_outside_the_band_are_refused_with_nothing_written(ctx, make_ctx, appealed):
    did, aid = appealed
    entry = entry_ids_of(ctx, did)[0]
    reviewer = make_ctx("reviewer", "reviewer")
    with pytest.raises(DomainError, match="7 至 9 分"):
        appeals.decide_appeal(reviewer, aid, "changed", "责任认定改为一般", date(2026, 10, 12), {entry: 3})
    assert _state(ctx, did, aid) == NONE
    new = appeals.decide_appeal(reviewer, aid, "changed", "责任认定改为一般", date(2026, 10, 12), {entry: 7})
    assert _state(ctx, did, aid) == WHOLE and new is not None  # the retry is not refused as 已作废


def test_a_decision_dated_after_today_is_refused(ctx, make_ctx, appealed):
    did, aid = appealed
    with pytest.raises(DomainError, match="不能晚于今天"):
        appeals.decide_appeal(make_ctx("reviewer", "reviewer"), aid, "upheld", "维持", date(2026, 11, 24))
    assert _state(ctx, did, aid) == NONE


_CHILD = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    from tests.builders import signed_in
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services import appeals

    url, aid, entry, point = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    ctx = signed_in(build_context(url), "reviewer2")
    ctx.clock = lambda: date(2026, 11, 23)
    flushes = [0]

    def die(*_a):
        os.kill(os.getpid(), signal.SIGKILL)

    if point.startswith("flush"):
        n = int(point[5:])

        def count(*_a):
            flushes[0] += 1
            if flushes[0] == n:
                die()
        event.listen(Session, "after_flush", count)
    else:
        event.listen(Session, point, die)
    appeals.decide_appeal(ctx, aid, "changed", "责任认定改为一般", date(2026, 10, 12), {entry: 7})
""")


def _run(db_url: str, aid: int, entry: int, point: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _CHILD, db_url, str(aid), str(entry), point],
        env=env,
        cwd=ROOT,
        timeout=120,
        capture_output=True,
    ).returncode


def test_an_appeal_decision_killed_at_any_point_is_found_whole_or_not_at_all(ctx, db_url, appealed):
    did, aid = appealed
    entry = entry_ids_of(ctx, did)[0]
    ctx.engine.dispose()
    for point in ("flush1", "flush3", "flush6", "flush9", "before_commit"):
        assert _run(db_url, aid, entry, point) == -signal.SIGKILL, point
        assert _state(ctx, did, aid) == NONE, point
    assert _run(db_url, aid, entry, "after_commit") == -signal.SIGKILL
    assert _state(ctx, did, aid) == WHOLE
