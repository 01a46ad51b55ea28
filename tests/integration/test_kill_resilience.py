"""A start killed at any moment (SIGKILL of a forked child at its n-th SQL statement, or at a timed offset) leaves the
database all or nothing, and the next start opens it: first start, upgrade of a 0001 database."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command

from yibao_desktop.adapters.db import migrate
from yibao_desktop.adapters.db.engine import make_engine, sqlite_url
from yibao_desktop.bootstrap import build_context

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")


def _start_killed_at(db: str, statement: int | None = None, after_s: float | None = None) -> int:
    """Fork a child that starts the program on `db` and is SIGKILLed at its n-th statement (or after `after_s`);
    returns the child's wait status (a child that finished first exits 0)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            from sqlalchemy import event
            from sqlalchemy.engine import Engine

            count = [0]

            def _maybe_die(*_a):
                count[0] += 1
                if statement is not None and count[0] >= statement:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(Engine, "before_cursor_execute", _maybe_die)
            build_context(db).engine.dispose()
        finally:
            os._exit(0)
    if after_s is not None:
        time.sleep(after_s)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return os.waitpid(pid, 0)[1]


def _revision(path) -> str | None:
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        if "alembic_version" not in tables:
            assert tables <= {"sqlite_sequence"}, f"tables without a version: {sorted(tables)[:5]}"
            return None
        return con.execute("select version_num from alembic_version").fetchone()[0]
    finally:
        con.close()


def _opens(db: str) -> None:
    ctx = build_context(db)
    try:
        assert migrate.stored_revision(ctx.engine) == migrate.HEAD_REVISION
    finally:
        ctx.engine.dispose()


def test_a_first_start_killed_at_any_of_20_points_leaves_nothing_or_everything(tmp_path):
    killed = 0
    for n in range(2, 90, 4):  # a first start runs ~90 statements (DDL of every table, index and the version)
        path = tmp_path / f"first-{n}.sqlite3"
        status = _start_killed_at(str(path), statement=n)
        killed += os.WIFSIGNALED(status)
        assert _revision(path) in (None, migrate.HEAD_REVISION)
        _opens(str(path))
    assert killed >= 20


def _at_0001(path) -> None:
    engine = make_engine(sqlite_url(path))
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into settings (key, value, version) values ('office_name', '揭西县医疗保障事业管理中心', 1)"
        )
    engine.dispose()


def test_an_upgrade_of_a_0001_database_killed_at_any_of_20_points_keeps_the_data_and_finishes_next_time(tmp_path):
    template = tmp_path / "v0001.sqlite3"
    _at_0001(template)
    killed = 0
    for n in range(1, 28):  # an upgrade from 0001 runs ~28 statements (after the backup taken before it)
        path = tmp_path / f"up-{n}.sqlite3"
        path.write_bytes(template.read_bytes())
        status = _start_killed_at(str(path), statement=n)
        killed += os.WIFSIGNALED(status)
        assert _revision(path) in ("0001", migrate.HEAD_REVISION)
        _opens(str(path))
        con = sqlite3.connect(path)
        assert con.execute("select value from settings where key = 'office_name'").fetchall() == [
            ("揭西县医疗保障事业管理中心",)
        ]
        con.close()
    assert killed >= 20


def test_starts_killed_at_timed_offsets_never_brick_the_database(tmp_path):
    path = tmp_path / "timed.sqlite3"
    for offset in (0.02, 0.05, 0.1, 0.15, 0.2):
        _start_killed_at(str(path), after_s=offset)
        assert _revision(path) in (None, migrate.HEAD_REVISION)
    _opens(str(path))


def _roster_killed_at(db: str, roster: bytes, statement: int) -> int:
    """Fork a child that opens the database, previews and commits `roster`, SIGKILLed at its n-th statement
    (0: never; the child then writes its statement count beside the database)."""
    pid = os.fork()
    if pid == 0:
        try:
            from sqlalchemy import event
            from sqlalchemy.engine import Engine

            from tests.builders import signed_in
            from yibao_desktop.services.rosters import commit_import, preview_import

            count = [0]

            def _maybe_die(*_a):
                count[0] += 1
                if statement and count[0] >= statement:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(Engine, "before_cursor_execute", _maybe_die)
            ctx = signed_in(build_context(db, backup=False))
            commit_import(ctx, preview_import(ctx, "personnel", roster, "名册.xlsx"))
            print(count[0], file=open(f"{db}.statements", "w"))
        finally:
            os._exit(0)
    return os.waitpid(pid, 0)[1]


def test_a_roster_import_killed_at_any_point_leaves_all_or_none_of_its_rows(tmp_path):
    from datetime import date

    from tests.builders import add_institution, signed_in
    from tests.fixtures.excel_factory import roster_file
    from yibao_desktop.domain.ids import make_id_number

    template = tmp_path / "base.sqlite3"
    ctx = signed_in(build_context(str(template)))
    add_institution(ctx)
    ctx.engine.dispose()
    records = [
        {
            "name": f"测试{i:03d}",
            "person_code": f"D445202{i:06d}",
            "institution_code": "H44520200001",
            "id_number": make_id_number("445202", date(1980, 1, 1), i, "男"),
        }
        for i in range(1, 301)
    ]
    roster = roster_file("personnel", records)
    probe = tmp_path / "probe.sqlite3"
    probe.write_bytes(template.read_bytes())
    _roster_killed_at(str(probe), roster, 0)  # not killed: how many statements opening and importing take
    total = int(Path(f"{probe}.statements").read_text())
    outcomes = set()
    killed = 0
    # 22 points spread over opening, reading and planning, and every one of the commit's last ~14 statements
    for n in sorted({1 + (total - 1) * k // 21 for k in range(22)} | set(range(max(1, total - 14), total + 1))):
        path = tmp_path / f"import-{n}.sqlite3"
        path.write_bytes(template.read_bytes())
        killed += os.WIFSIGNALED(_roster_killed_at(str(path), roster, n))
        con = sqlite3.connect(path)
        persons, regs = (con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("persons", "registrations"))
        con.close()
        assert (persons, regs) in ((0, 0), (300, 300)), (n, persons, regs)
        outcomes.add(persons)
        _opens(str(path))
    assert killed >= 20 and outcomes == {0}  # every kill came before the COMMIT, which is not a statement
    con = sqlite3.connect(probe)
    assert con.execute("select count(*) from registrations").fetchone() == (300,)  # the unkilled run: all
    con.close()


def _decision_state(path) -> tuple:
    """What an appeal decision changes: the appeal, the dispositions, the persons' status, the entries' points."""
    con = sqlite3.connect(path)
    try:
        return tuple(
            con.execute(q).fetchall()
            for q in (
                "select id, state, outcome, decided_on from appeals order by id",
                "select id, state, kind, points_this from dispositions order by id",
                "select id, status, status_end from persons order by id",
                "select count(*), sum(version) from score_entries",
            )
        )
    finally:
        con.close()


def _decide_killed_at(db: str, appeal_id: int, entry: int, statement: int) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            from datetime import date

            from sqlalchemy import event
            from sqlalchemy.engine import Engine

            from tests.builders import as_user
            from yibao_desktop.services import appeals

            count = [0]

            def _maybe_die(*_a):
                count[0] += 1
                if statement and count[0] >= statement:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(Engine, "before_cursor_execute", _maybe_die)
            ctx = as_user(build_context(db, backup=False), "reviewer", "reviewer")
            ctx.clock = lambda: date(2026, 11, 23)
            appeals.decide_appeal(ctx, appeal_id, "changed", "责任认定改为一般", date(2026, 10, 12), {entry: 7})
            print(count[0], file=open(f"{db}.statements", "w"))
        finally:
            os._exit(0)
    return os.waitpid(pid, 0)[1]


def test_an_appeal_decision_killed_at_any_point_is_all_or_nothing(tmp_path):
    from datetime import date

    from tests.builders import as_user, entry_ids_of, issue_suspension, signed_in
    from yibao_desktop.services import appeals, notices

    template = tmp_path / "appeal.sqlite3"
    ctx = signed_in(build_context(str(template)))
    ctx.clock = lambda: date(2026, 11, 23)
    did, _ = issue_suspension(ctx, as_user(ctx, "reviewer", "reviewer"))
    notices.record_delivery(ctx, did, date(2026, 9, 16))
    notices.record_receipt(ctx, did, date(2026, 9, 18))
    aid = appeals.file_appeal(ctx, did, "institution", date(2026, 9, 21), "责任认定有误")
    entry = entry_ids_of(ctx, did)[0]
    ctx.engine.dispose()
    before = _decision_state(template)
    probe = tmp_path / "probe.sqlite3"
    probe.write_bytes(template.read_bytes())
    _decide_killed_at(str(probe), aid, entry, 0)
    after, total = _decision_state(probe), int(Path(f"{probe}.statements").read_text())
    assert after != before
    killed = 0
    for n in sorted({1 + (total - 1) * k // 21 for k in range(22)}):
        path = tmp_path / f"decide-{n}.sqlite3"
        path.write_bytes(template.read_bytes())
        killed += os.WIFSIGNALED(_decide_killed_at(str(path), aid, entry, n))
        assert _decision_state(path) == before, n  # killed before its COMMIT: nothing of the decision
        _opens(str(path))
    assert killed >= 20
