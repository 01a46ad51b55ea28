"""The window never stays empty and silent: a database that cannot be opened is explained in Chinese with the way
forward, a mistyped --db is created only when the clerk says so, and a second program on the file is refused
before anything is migrated."""

from __future__ import annotations

import pytest


@pytest.fixture
def bare(qtbot):
    from yibao_desktop.qt.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w.qwindow)
    w.show()
    yield w
    w.runner.shutdown()


def _errors(calls) -> list[str]:
    return [f"{args[1]}\n{args[2]}" for name, args in calls if name == "error"]


def test_a_corrupt_database_is_explained_and_the_window_says_none_is_open(bare, asked, tmp_path):
    from yibao_desktop.qt.app import open_database

    calls, _answers = asked
    bad = tmp_path / "坏.sqlite3"
    bad.write_bytes(b"not a database at all " * 300)
    open_database(bare, str(bad), 0)
    (message,) = _errors(calls)
    assert "无法打开数据库" in message and "已损坏" in message and "从备份恢复" in message
    assert "Traceback" not in message and "sqlite3" not in message.split("“")[0]
    assert bare.ctx is None and bare.qwindow.statusBar().currentMessage() == "没有打开数据库。"


def test_a_missing_db_file_is_created_only_when_the_clerk_says_so(bare, asked, tmp_path, monkeypatch):
    from yibao_desktop.qt import app, login

    calls, answers = asked
    typo = tmp_path / "yibo.sqlite3"
    answers["confirm"] = [False]
    app.open_database(bare, str(typo), 0)
    assert not typo.exists() and any("不存在" in m for m in _errors(calls))
    started = []
    monkeypatch.setattr(login, "start_session", lambda window, ctx, then: started.append(ctx))
    answers["confirm"] = [True]
    app.open_database(bare, str(typo), 0)
    assert typo.is_file() and len(started) == 1
    started[0].extras["lock"].release()
    started[0].engine.dispose()


def test_a_second_program_is_refused_before_the_database_is_touched(bare, asked, tmp_path):
    from yibao_desktop.adapters.db.lock import DatabaseLock
    from yibao_desktop.qt.app import open_database

    calls, _answers = asked
    db = tmp_path / "one.sqlite3"
    db.write_bytes(b"")  # an empty file: opening it would create the schema
    held = DatabaseLock(db).acquire()
    try:
        open_database(bare, str(db), 0)
    finally:
        held.release()
    assert any("正被另一个" in m for m in _errors(calls))
    assert db.read_bytes() == b""
