"""A start killed at any moment (SIGKILL of a forked child at its n-th SQL statement, or at a timed offset) leaves the
database all or nothing, and the next start opens it: first start, upgrade of a 0001 database."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

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
        conn.exec_driver_sql("insert into settings (key, value, version) values ('office_name', '揭西县医疗保障事业管理中心', 1)")
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
            ("揭西县医疗保障事业管理中心",)]
        con.close()
    assert killed >= 20


def test_starts_killed_at_timed_offsets_never_brick_the_database(tmp_path):
    path = tmp_path / "timed.sqlite3"
    for offset in (0.02, 0.05, 0.1, 0.15, 0.2):
        _start_killed_at(str(path), after_s=offset)
        assert _revision(path) in (None, migrate.HEAD_REVISION)
    _opens(str(path))
