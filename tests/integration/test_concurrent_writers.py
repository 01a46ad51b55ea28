"""Two programs writing the same thing at the same moment (forked processes released by one barrier): the database
makes duplicates impossible and the loser is told in Chinese or simply waits its turn. Runs on SQLite, and on
PostgreSQL when YIBAO_TEST_PG_URL is set (the case that used to duplicate)."""

from __future__ import annotations

import multiprocessing
import os
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution, signed_in
from tests.fixtures.excel_factory import roster_file
from yibao_desktop.adapters.db.models import Person, Registration
from yibao_desktop.bootstrap import build_context
from yibao_desktop.domain.ids import make_id_number

pytestmark = [pytest.mark.pg, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FORK = multiprocessing.get_context("fork")


def _open(url: str):
    from tests.conftest import TODAY

    ctx = signed_in(build_context(url, backup=False))
    ctx.clock = lambda: TODAY
    return ctx


def _race(url: str, job, rounds: int) -> list[list]:
    """Run job(ctx, round) in two processes, both released together each round; their results per process."""
    barrier = FORK.Barrier(2)
    results = FORK.Queue()

    def worker(me: int) -> None:
        out: list = []
        try:
            ctx = _open(url)
            for r in range(rounds):
                barrier.wait(timeout=60)
                try:
                    out.append(("ok", job(ctx, r, me)))
                except Exception as err:  # noqa: BLE001 - reported to the parent, which asserts on it
                    out.append((type(err).__name__, getattr(err, "message", str(err))))
            ctx.engine.dispose()
        except BaseException as err:  # noqa: BLE001 - a broken worker is reported, not hung on
            out.append(("worker", repr(err)))
        finally:
            results.put((me, out))
            results.close()
            results.join_thread()  # the queue's feeder thread must deliver before the hard exit
            os._exit(0)

    procs = [FORK.Process(target=worker, args=(i,)) for i in (0, 1)]
    for p in procs:
        p.start()
    got = dict(results.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    return [got[0], got[1]]


@pytest.fixture
def shared(db_url, tmp_path):
    """A migrated database with one institution; the parent's connections closed before the fork."""
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    ctx = _open(db_url)
    add_institution(ctx)
    ctx.engine.dispose()
    return db_url


def test_the_same_person_registered_by_two_clerks_at_once_is_registered_once(shared):
    from yibao_desktop.services.registrations import RegistrationInput, register_person

    def register(ctx, r, _me):
        idn = make_id_number("445202", date(1980, 5, 17), 100 + r, "男")
        return register_person(
            ctx,
            RegistrationInput(
                name="曾志伟",
                id_number=idn,
                person_code=f"D445202{100 + r:06d}",
                institution_code="H44520200001",
                commitment=True,
                commitment_on=date(2025, 1, 2),
                registered_on=date(2025, 1, 2),
            ),
            today=date(2025, 1, 2),
        )

    a, b = _race(shared, register, 10)
    for r in range(10):
        outcomes = sorted([a[r][0], b[r][0]])
        assert outcomes[0] != "ok" or outcomes[1] != "ok", f"round {r}: both registered"
        assert "ok" in outcomes, f"round {r}: nobody registered: {a[r]} {b[r]}"
        loser = a[r] if a[r][0] != "ok" else b[r]
        assert loser[0] in ("DomainError", "ConcurrentWrite") and CHINESE.search(loser[1]), loser
    ctx = _open(shared)
    with ctx.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).select_from(Person)) == 10
        assert s.scalar(select(func.count()).select_from(Registration).where(Registration.cancelled_on.is_(None))) == 10
    ctx.engine.dispose()


def test_40_notices_numbered_by_two_processes_get_40_distinct_numbers(shared):
    from yibao_desktop.services.documents import assign_doc_no

    def issue(ctx, _r, me):
        with ctx.uow() as uow:
            number = assign_doc_no(ctx, uow, "score_notice", date(2027, 1, 4), f"测试{me}", "dispositions", None)
            uow.commit()
        return number

    a, b = _race(shared, issue, 20)
    assert all(kind == "ok" for kind, _ in a + b), [x for x in a + b if x[0] != "ok"][:3]
    numbers = [n for _, n in a + b]
    assert len(set(numbers)) == 40
    assert sorted(int(re.search(r"〕(\d+)号", n).group(1)) for n in numbers) == list(range(1, 41))


def test_the_same_roster_imported_twice_at_once_creates_no_duplicate(shared, tmp_path):
    from yibao_desktop.services.rosters import commit_import, preview_import

    records = [
        {
            "name": f"测试{i:03d}",
            "person_code": f"D445202{i:06d}",
            "id_number": make_id_number("445202", date(1980, 1, 1), i, "男"),
            "institution_code": "H44520200001",
            "practice_type": "执业医师",
            "title": "主治医师",
            "commitment_signed": "是",
            "commitment_date": date(2026, 1, 5),
        }
        for i in range(1, 201)
    ]
    path = Path(tmp_path / "名册.xlsx")
    path.write_bytes(roster_file("personnel", records))

    def load(ctx, _r, _me):
        preview = preview_import(ctx, "personnel", path.read_bytes(), path.name)
        assert not preview.has_errors, preview.problems[:3]
        return commit_import(ctx, preview)

    a, b = _race(shared, load, 1)
    outcomes = [a[0], b[0]]
    assert any(kind == "ok" for kind, _ in outcomes), outcomes
    for kind, detail in outcomes:
        assert kind in ("ok", "DomainError", "ConcurrentWrite"), (kind, detail)
    ctx = _open(shared)
    with ctx.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).select_from(Person)) == 200
        assert (
            s.scalar(select(func.count()).select_from(Registration).where(Registration.cancelled_on.is_(None))) == 200
        )
    ctx.engine.dispose()
