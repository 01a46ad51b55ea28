"""A bulk personnel import commits without copying the WAL back into the database file (adapters/db/checkpoint.py):
the rows are committed and visible at once, a background thread copies them after, the connection keeps its own
automatic-checkpoint setting, a failed import starts no copy, and a restore waits for a copy still running."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date, datetime

import pytest
from sqlalchemy import event, func, select

from tests.builders import add_institution, signed_in
from tests.integration.test_import_speedups import H1, many_rows, roster
from yibao_desktop.adapters.db import checkpoint
from yibao_desktop.adapters.db.models import Person
from yibao_desktop.bootstrap import build_context
from yibao_desktop.services import backup
from yibao_desktop.services.rosters import bulk as roster_bulk
from yibao_desktop.services.rosters import commit_import, preview_import
from yibao_desktop.services.rosters import personnel as roster_personnel


@pytest.fixture
def started(monkeypatch):
    """The paths background checkpoints were started for (none is run: the tests run them when they choose)."""
    paths: list[str] = []
    monkeypatch.setattr(checkpoint, "_start", paths.append)
    return paths


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setattr(roster_bulk, "BULK_REINDEX_ROWS", 2)  # three rows count as a bulk import
    context = signed_in(build_context(f"sqlite:///{tmp_path / 'wal.sqlite3'}"))
    context.clock = lambda: date(2026, 11, 23)
    add_institution(context, H1, "揭阳市人民医院")
    # every commit of one page or more would copy the WAL back at once (the usual bar is 1,000 pages)
    event.listen(context.engine, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA wal_autocheckpoint = 1"))
    context.engine.dispose()
    yield context
    context.engine.dispose()


def persons_in_main_file(tmp_path) -> int:
    """Persons the database file holds without its WAL (a copy of the file alone, opened on its own)."""
    alone = tmp_path / "alone.sqlite3"
    shutil.copyfile(tmp_path / "wal.sqlite3", alone)
    conn = sqlite3.connect(alone)
    try:
        return conn.execute("SELECT count(*) FROM persons").fetchone()[0]
    finally:
        conn.close()
        alone.unlink()


def autocheckpoint_of_every_pooled_connection(ctx) -> set[int]:
    conns = [ctx.engine.raw_connection() for _ in range(ctx.engine.pool.checkedin())]
    try:
        return {c.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] for c in conns}
    finally:
        for c in conns:
            c.close()


def test_a_bulk_import_is_committed_at_once_and_copied_into_the_file_by_the_checkpoint_after(ctx, tmp_path, started):
    at_commit = []
    event.listen(
        ctx.engine,
        "commit",
        lambda conn: at_commit.append(
            conn.connection.dbapi_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        ),
    )
    preview = preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx")
    at_commit.clear()
    commit_import(ctx, preview)

    assert at_commit == [0] and started == [str(tmp_path / "wal.sqlite3")]
    assert autocheckpoint_of_every_pooled_connection(ctx) == {1}  # the connection's own setting is back
    with ctx.uow() as uow:  # committed: every connection reads the rows from the WAL
        assert uow.session.scalar(select(func.count()).select_from(Person)) == 3
    assert persons_in_main_file(tmp_path) == 0  # not yet copied into the file itself
    checkpoint._checkpoint(started[0])
    assert persons_in_main_file(tmp_path) == 3


def test_without_the_bulk_size_the_commit_checkpoints_as_usual(ctx, tmp_path, started, monkeypatch):
    monkeypatch.setattr(roster_bulk, "BULK_REINDEX_ROWS", 20_000)
    commit_import(ctx, preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx"))
    assert started == [] and persons_in_main_file(tmp_path) == 3


def test_a_failed_bulk_import_restores_the_setting_and_starts_no_checkpoint(ctx, started, monkeypatch):
    def fail(conn, values):
        raise RuntimeError("disk full")

    preview = preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx")
    monkeypatch.setattr(roster_personnel, "_insert_registrations", fail)
    with pytest.raises(RuntimeError):
        commit_import(ctx, preview)
    assert started == [] and autocheckpoint_of_every_pooled_connection(ctx) == {1}


def test_a_restore_waits_for_a_background_checkpoint_still_running(tmp_path, monkeypatch):
    db = tmp_path / "办公室.sqlite3"
    build_context(str(db)).engine.dispose()
    made = backup.backup_sqlite(db, "manual", now=datetime(2026, 11, 20, 9, 0, 0))
    events: list[str] = []

    def slow(path):
        time.sleep(0.3)
        events.append("checkpoint ended")

    monkeypatch.setattr(checkpoint, "_checkpoint", slow)
    checkpoint._start(str(db))
    backup.restore_sqlite(db, made)
    events.append("restored")
    assert events == ["checkpoint ended", "restored"]
