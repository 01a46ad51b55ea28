"""PostgreSQL: `backup` calls pg_dump and `restore` pg_restore (after dumping the current state); every row back."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution, add_person
from tests.conftest import PG_URL
from yibao_desktop.adapters.db.models import Person, Registration
from yibao_desktop.cli import run

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


def test_pg_dump_then_damage_then_pg_restore_brings_every_row_back(ctx, tmp_path, capsys):
    if ctx.engine.url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
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
