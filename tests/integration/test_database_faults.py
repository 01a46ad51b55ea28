"""Every way a database cannot be opened ends in Chinese with the way forward (CLI exit code 2, no traceback) and
nothing written; Chinese characters and % in the data folder and database path work."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time

import pytest
from alembic import command
from sqlalchemy import event
from sqlalchemy.engine import Engine

from yibao_desktop.adapters.db import migrate
from yibao_desktop.adapters.db.engine import is_network_path, make_engine, sqlite_url
from yibao_desktop.adapters.db.faults import DatabaseMissing, DatabaseUnavailable
from yibao_desktop.bootstrap import build_context
from yibao_desktop.cli import run


def _cli(capsys, *argv) -> tuple[int, str]:
    code = run(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _at(path, revision: str) -> None:
    engine = make_engine(sqlite_url(path))
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_a_chinese_data_folder_and_a_database_path_with_percent_are_created_and_upgraded(tmp_path, monkeypatch):
    monkeypatch.setenv("YIBAO_DATA_DIR", str(tmp_path / "用户 张三 100%" / "数据"))
    new = tmp_path / "医保 50% #1" / "定点库?.sqlite3"
    ctx = build_context(str(new))
    assert migrate.stored_revision(ctx.engine) == migrate.HEAD_REVISION and new.is_file()
    ctx.engine.dispose()
    old = tmp_path / "医保 50% #1" / "旧库%20.sqlite3"
    _at(old, "0001")
    ctx = build_context(str(old))
    assert migrate.stored_revision(ctx.engine) == migrate.HEAD_REVISION
    assert (tmp_path / "用户 张三 100%" / "数据" / "backups").is_dir()  # the pre-upgrade backup went there
    ctx.engine.dispose()


def test_a_corrupt_file_is_explained_and_left_alone(tmp_path, capsys):
    bad = tmp_path / "坏.sqlite3"
    bad.write_bytes(b"this is no database " * 500)
    code, err = _cli(capsys, "--db", str(bad), "export", "scores", str(tmp_path / "o.xlsx"))
    assert code == 2 and "已损坏" in err and "备份" in err
    assert bad.read_bytes() == b"this is no database " * 500


def test_a_database_of_a_newer_program_is_refused_untouched(tmp_path, capsys):
    db = tmp_path / "new.sqlite3"
    build_context(str(db)).engine.dispose()
    with sqlite3.connect(db) as con:
        con.execute("update alembic_version set version_num = '0999'")
    code, err = _cli(capsys, "--db", str(db), "migrate")
    assert code == 2 and "更新版本" in err and "0999" in err
    with sqlite3.connect(db) as con:
        assert con.execute("select version_num from alembic_version").fetchone() == ("0999",)


def test_a_directory_given_as_db_is_explained(tmp_path, capsys):
    code, err = _cli(capsys, "--db", str(tmp_path), "migrate")
    assert code == 2 and "是一个文件夹" in err


def test_a_mistyped_db_path_is_refused_unless_create(tmp_path, capsys):
    typo = tmp_path / "yibao.sqlite" / ".." / "yibo.sqlite3"
    code, err = _cli(capsys, "--db", str(typo), "export", "scores", str(tmp_path / "o.xlsx"))
    assert code == 2 and "不存在" in err and "--create" in err
    assert not (tmp_path / "yibo.sqlite3").exists()
    with pytest.raises(DatabaseMissing):
        build_context(str(tmp_path / "x.sqlite3"), create=False)
    code, _ = _cli(
        capsys, "--db", str(tmp_path / "made.sqlite3"), "--create", "export", "scores", str(tmp_path / "o.xlsx")
    )
    assert code == 0
    code, _ = _cli(capsys, "--db", str(tmp_path / "migrated.sqlite3"), "migrate")
    assert code == 0 and (tmp_path / "migrated.sqlite3").is_file()


def _make_unwritable(path) -> bool:
    if os.geteuid() == 0:  # root writes through file modes: use the immutable attribute instead
        chattr = shutil.which("chattr")
        return bool(chattr) and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0
    path.chmod(0o444)
    return True


def _undo_unwritable(path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    else:
        path.chmod(0o644)


def test_a_read_only_or_immutable_file_is_explained(tmp_path, capsys):
    db = tmp_path / "ro.sqlite3"
    _at(db, "0001")
    if not _make_unwritable(db):
        pytest.skip("cannot make a file read-only here (root without chattr support)")
    try:
        code, err = _cli(capsys, "--db", str(db), "migrate")
        assert code == 2 and "只读" in err
    finally:
        _undo_unwritable(db)


def test_a_full_disk_during_the_first_start_is_explained_and_writes_nothing(tmp_path, capsys):
    def tiny(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA max_page_count = 12")  # what a full disk looks like to SQLite: SQLITE_FULL

    event.listen(Engine, "connect", tiny)
    try:
        code, err = _cli(capsys, "--db", str(tmp_path / "full.sqlite3"), "migrate")
    finally:
        event.remove(Engine, "connect", tiny)
    assert code == 2 and "磁盘已满" in err and "没有写入" in err
    with sqlite3.connect(tmp_path / "full.sqlite3") as con:
        assert con.execute("select count(*) from sqlite_master").fetchone() == (0,)


def test_a_locked_database_is_explained_within_seconds_not_after_a_freeze(tmp_path):
    db = tmp_path / "locked.sqlite3"
    _at(db, "0001")  # needs an upgrade, i.e. a write
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable, match="正被其他程序占用"):
            build_context(str(db), backup=False)
        assert time.monotonic() - started < 8
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_network_shares_are_recognised():
    mounts = (
        "/dev/sda1 / ext4 rw 0 0\n//nas/office /mnt/office cifs rw 0 0\n"
        "nas:/export /srv/data nfs4 rw 0 0\ngvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw 0 0\n"
    )
    assert is_network_path("/mnt/office/yibao.sqlite3", mounts)
    assert is_network_path("/srv/data/sub/yibao.sqlite3", mounts)
    assert is_network_path("/run/user/1000/gvfs/smb-share:server=nas,share=d/yibao.sqlite3", mounts)
    assert is_network_path("\\\\SERVER\\share\\yibao.sqlite3", mounts)
    assert is_network_path("//server/share/yibao.sqlite3", mounts)
    assert not is_network_path("/home/clerk/yibao.sqlite3", mounts)
    assert not is_network_path("/mnt/officer/yibao.sqlite3", mounts)


def test_a_postgresql_password_never_appears_in_the_message(capsys):
    code, err = _cli(capsys, "--db", "postgresql+psycopg://yibao:Geheim-2026@127.0.0.1:1/none", "migrate")
    assert code == 2 and "连接不上" in err and "Geheim" not in err
