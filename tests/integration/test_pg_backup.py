"""PostgreSQL: `backup` calls pg_dump and `restore` pg_restore (after dumping the current state); every row back.
Only a signed-in user with the maintenance permission backs a shared server up or restores it; the dumps are listed
with their checksum like SQLite copies, and a damaged or foreign file is refused before anything changes."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution, add_person
from tests.conftest import CLI_PASSWORD, PG_URL
from yibao_desktop.adapters.db.models import Person, Registration
from yibao_desktop.cli import run
from yibao_desktop.services import backup

pytestmark = [
    pytest.mark.pg,
    pytest.mark.skipif(
        not PG_URL or not shutil.which("pg_dump"), reason="needs YIBAO_TEST_PG_URL and the PostgreSQL client tools"
    ),
]


def _counts(ctx) -> tuple[int, int]:
    with ctx.uow() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(Person)),
            uow.session.scalar(select(func.count()).select_from(Registration)),
        )


@pytest.fixture
def pg(ctx, monkeypatch):
    """The PostgreSQL test database with an administrator "wei1" the CLI signs in (YIBAO_USER / YIBAO_PASSWORD)."""
    if ctx.engine.url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
    from yibao_desktop.services.users import add_user

    add_user(ctx, "wei1", "维护员", "admin", CLI_PASSWORD)
    monkeypatch.setenv("YIBAO_USER", "wei1")
    monkeypatch.setenv("YIBAO_PASSWORD", CLI_PASSWORD)
    return ctx


def test_pg_dump_then_damage_then_pg_restore_brings_every_row_back(pg, tmp_path, capsys):
    ctx = pg
    add_institution(ctx)
    add_person(ctx, name="曾志伟", seq=3)
    add_person(ctx, name="林秀英", seq=4, sex="女", code="D445202000004")
    dump = tmp_path / "办公室.dump"
    assert run(["--db", PG_URL, "backup", str(dump)]) == 0 and dump.stat().st_size > 0
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_entries")
        conn.exec_driver_sql("DELETE FROM registrations")
        conn.exec_driver_sql("DELETE FROM persons")
    assert _counts(ctx) == (0, 0)
    ctx.engine.dispose()
    assert run(["--db", PG_URL, "restore", str(dump)]) == 0
    out = capsys.readouterr().out
    assert "pg_restore" not in out or "恢复" in out
    assert _counts(ctx) == (2, 2)
    assert "恢复前的数据已保存为" in out


def test_a_clerk_or_nobody_may_not_dump_or_restore_the_shared_server(pg, tmp_path, capsys, monkeypatch):
    from yibao_desktop.services.users import add_user

    add_user(pg, "clerk1", "经办一", "clerk", CLI_PASSWORD)
    add_institution(pg)
    add_person(pg, name="曾志伟", seq=3)
    dump = tmp_path / "x.dump"
    monkeypatch.setenv("YIBAO_USER", "clerk1")
    assert run(["--db", PG_URL, "backup", str(dump)]) == 2
    assert "维护数据库" in capsys.readouterr().err and not dump.exists()
    monkeypatch.delenv("YIBAO_USER")
    assert run(["--db", PG_URL, "backup", str(dump)]) == 2
    assert "--user" in capsys.readouterr().err and not dump.exists()
    monkeypatch.setenv("YIBAO_USER", "wei1")
    assert run(["--db", PG_URL, "backup", str(dump)]) == 0
    monkeypatch.setenv("YIBAO_USER", "clerk1")
    pg.engine.dispose()
    assert run(["--db", PG_URL, "restore", str(dump)]) == 2
    assert "维护数据库" in capsys.readouterr().err
    assert _counts(pg) == (1, 1)


def test_the_folder_lists_pg_dumps_and_a_damaged_or_foreign_file_changes_nothing(pg, tmp_path, capsys):
    add_institution(pg)
    add_person(pg, name="曾志伟", seq=3)
    assert run(["--db", PG_URL, "backup"]) == 0
    (made,) = backup.list_backups()
    assert made.path.suffix == ".dump" and made.verified and made.reason_label == "手动"
    assert backup.verify_backup(made.path) == "postgresql"
    cut = tmp_path / "cut.dump"
    cut.write_bytes(made.path.read_bytes()[:200])
    sqlite_file = tmp_path / "办公室.sqlite3"
    sqlite_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    add_person(pg, name="林秀英", seq=4, sex="女", code="D445202000004")
    pg.engine.dispose()
    capsys.readouterr()
    assert run(["--db", PG_URL, "restore", str(cut)]) == 2
    assert "已损坏" in capsys.readouterr().err
    assert run(["--db", PG_URL, "restore", str(sqlite_file)]) == 2
    assert "不是 PostgreSQL 数据库的备份" in capsys.readouterr().err
    assert _counts(pg) == (2, 2) and len(backup.list_backups()) == 1  # nothing restored, no restore backup taken
