"""Backups: verified copies (a copy cut short is detected), daily at opening, pruned 7/4/12, restore after damage
brings every row back (and backs the damaged state up first); the CLI commands."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from tests.builders import add_institution, add_person, signed_in
from yibao_desktop.bootstrap import build_context
from yibao_desktop.cli import run
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services import backup


def _rows(path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
        return {t: con.execute(f'select * from "{t}" order by 1').fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture
def filled(tmp_path):
    db = tmp_path / "办公室.sqlite3"
    ctx = signed_in(build_context(str(db)))
    add_institution(ctx)
    add_person(ctx, name="曾志伟", seq=3)
    add_person(ctx, name="林秀英", seq=4, sex="女", code="D445202000004")
    ctx.engine.dispose()
    return db


def test_backup_then_damage_then_restore_brings_every_row_back(filled, capsys):
    before = _rows(filled)
    assert len(before["persons"]) == 2
    assert run(["--db", str(filled), "backup"]) == 0
    made = backup.list_backups()[0]
    assert made.verified and made.reason == "manual" and made.path.parent == backup.paths.backup_dir()
    with open(filled, "r+b") as fh:  # damage: overwrite pages in the middle of the file
        fh.seek(4096)
        fh.write(b"\xde\xad" * 8192)
    assert run(["--db", str(filled), "export", "scores", str(filled.parent / "o.xlsx")]) == 2
    capsys.readouterr()
    assert run(["--db", str(filled), "restore", str(made.path)]) == 0
    out = capsys.readouterr().out
    assert "已从" in out and "恢复前的数据已保存为" in out
    assert _rows(filled) == before
    damaged = [p for p in filled.parent.iterdir() if ".damaged-" in p.name]
    assert damaged, "the damaged file is kept aside, never thrown away"


def test_restore_backs_the_current_state_up_first(filled):
    first = backup.backup_sqlite(filled, "manual", now=datetime(2026, 11, 20, 9, 0, 0))
    ctx = signed_in(build_context(str(filled)))
    add_person(ctx, name="黄伟明", seq=5, code="D445202000005")
    ctx.engine.dispose()
    saved = backup.restore_sqlite(filled, first)
    assert saved is not None and saved.name.endswith("-restore.sqlite3")
    assert len(_rows(saved)["persons"]) == 3 and len(_rows(filled)["persons"]) == 2


def test_a_backup_cut_short_is_never_taken_for_a_backup(filled, tmp_path):
    made = backup.backup_sqlite(filled, "manual")
    data = made.read_bytes()
    made.write_bytes(data[: len(data) // 2])  # what a kill or a full disk during the copy would leave
    with pytest.raises(DomainError, match="不完整"):
        backup.verify_backup(made)
    assert not backup.list_backups()[0].verified
    # an empty database passes integrity_check, but is no backup of ours
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with pytest.raises(DomainError, match="不是本程序的完整数据库"):
        backup.verify_backup(empty)
    # unfinished copies are removed by prune
    (made.parent / "x-20261120-090000-daily.sqlite3.part").write_bytes(b"half")
    backup.prune()
    assert not list(made.parent.glob("*.part"))


def test_a_daily_backup_is_taken_at_opening_once_a_day(filled):
    assert backup.list_backups() == []
    build_context(str(filled)).engine.dispose()
    build_context(str(filled)).engine.dispose()
    daily = [b for b in backup.list_backups() if b.reason == "daily"]
    assert len(daily) == 1 and daily[0].verified and daily[0].taken_at.date() == date.today()


def test_the_prune_policy_keeps_7_daily_4_weekly_12_monthly():
    start = datetime(2025, 1, 1, 8, 0)
    taken = [start + timedelta(days=d, hours=h) for d in range(700) for h in (0, 9)]  # two a day for 700 days
    keep = backup.to_keep(taken)
    newest = taken[-1]
    assert newest in keep
    days = sorted({t.date() for t in keep}, reverse=True)
    assert days[:7] == [newest.date() - timedelta(days=i) for i in range(7)]
    # 7 days + weekly ones outside them + 12 months: never more than 7 + 4 + 12
    assert len(keep) <= 23
    assert {(t.year, t.month) for t in keep} >= {(2026, 12), (2026, 11), (2026, 10), (2026, 1)}
    assert min(keep) >= datetime(2026, 1, 1)
    assert all(t.hour == 17 for t in keep)  # always the newest backup of its day


def test_prune_deletes_files_the_policy_drops(filled):
    made = [
        backup.backup_sqlite(filled, "daily", now=datetime(2026, 11, 23, 8, 0) - timedelta(days=d)) for d in range(40)
    ]
    gone = backup.prune()
    left = backup.list_backups()
    assert len(left) < 40 and set(gone) == set(made) - {b.path for b in left}
    assert all(
        json.loads((b.path.with_name(b.path.name + ".json")).read_text(encoding="utf-8"))["sha256"] for b in left
    )
    assert not any(p.exists() for p in gone)


def test_backup_to_a_chosen_file_and_the_list(filled, capsys, tmp_path):
    out = tmp_path / "U盘" / "备份.sqlite3"
    assert run(["--db", str(filled), "backup", str(out)]) == 0
    assert out.is_file() and backup.verify_backup(out) == backup.check_sqlite_copy(out)
    assert run(["--db", str(filled), "backup"]) == 0
    capsys.readouterr()
    assert run(["--db", str(filled), "backup", "--list"]) == 0
    assert "手动" in capsys.readouterr().out


def test_postgresql_backup_without_the_tools_says_what_to_do(monkeypatch, tmp_path):
    from sqlalchemy.engine import make_url

    from yibao_desktop.services import backup_pg

    monkeypatch.setattr(backup_pg.shutil, "which", lambda _name: None)
    out = tmp_path / "yibao.dump"
    with pytest.raises(DomainError, match="pg_dump") as err:
        backup.backup_postgresql(make_url("postgresql+psycopg://yibao:pw@127.0.0.1/yibao"), "manual", out)
    assert "apt-get install postgresql-client" in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_shared_server_is_not_backed_up_or_restored_without_a_maintainer(capsys, tmp_path):
    url = "postgresql+psycopg://yibao:pw@127.0.0.1/yibao"
    for call in (lambda: backup.backup_database(url), lambda: backup.restore_database(url, tmp_path / "x.dump")):
        with pytest.raises(DomainError, match="维护数据库") as err:
            call()
        assert "--user" in err.value.message
    backup.check_may_maintain(f"sqlite:///{tmp_path / 'a.sqlite3'}")  # the file is the gate of an SQLite database


def test_a_postgresql_dump_is_not_restored_into_an_sqlite_file(filled, tmp_path, capsys):
    dump = tmp_path / "yibao-20261201-101500-manual.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 200)
    before = filled.read_bytes()
    assert run(["--db", str(filled), "restore", str(dump)]) == 2
    assert "PostgreSQL 数据库的备份，不能恢复到 SQLite" in capsys.readouterr().err
    assert filled.read_bytes() == before


def test_prune_keeps_each_databases_backups_by_its_own_policy(filled, tmp_path):
    other = tmp_path / "other.sqlite3"
    other.write_bytes(filled.read_bytes())
    for d in range(10):
        backup.backup_sqlite(filled, "daily", now=datetime(2026, 11, 23, 8, 0) - timedelta(days=d))
    old = backup.backup_sqlite(other, "daily", now=datetime(2026, 1, 5, 8, 0))
    backup.prune()
    assert old.exists()  # the only backup of the other database is never pruned for the first one's sake
    assert len([b for b in backup.list_backups() if backup.database_of(b.path) == filled.stem]) < 10
