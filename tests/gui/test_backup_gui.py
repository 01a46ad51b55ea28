"""文件 → 备份与恢复: back up now (listed with date, reason, size, verified), restore the selected backup after a
change (the change is gone, the state before the restore is itself a backup), the folder can be changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu


@pytest.fixture
def sqlite_window(window, ctx):
    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("SQLite file backups")
    return window


def _dialog(window, ctx):
    from yibao_desktop.qt.backup_dialog import BackupDialog, install_menu

    action = install_menu(window, str(ctx.engine.url.database))
    menu = window.qwindow.findChild(QMenu, "menu_file")
    names = [a.objectName() for a in menu.actions()]
    assert names.index("act_backup") < names.index("act_switch_user") and action.text() == "备份与恢复…"
    return BackupDialog(window, str(ctx.engine.url.database))


def test_backup_now_lists_the_verified_backup_and_restore_brings_the_old_state_back(
    sqlite_window, ctx, asked, qtbot, monkeypatch
):
    from tests.builders import add_person
    from yibao_desktop.qt import app as qt_app

    calls, answers = asked
    dlg = _dialog(sqlite_window, ctx)
    from PySide6.QtWidgets import QLabel

    assert dlg.model.rowCount() == 0 and "备份文件夹" in dlg.dialog.findChild(QLabel, "folder").text()
    made = dlg.backup_now()
    assert made is not None and dlg.model.rowCount() == 1
    row = dlg.model.rows[0]
    assert row.verified and row.reason_label == "手动" and dlg.model.index(0, 3).data() == "已校验"
    add_person(ctx, "H44520200001", "黄伟明", seq=5, code="D445202000005")
    reopened = []
    monkeypatch.setattr(qt_app, "open_database", lambda w, db, demo, create=False: reopened.append(db))
    dlg.table.selectRow(0)
    assert dlg.restore_selected()
    assert reopened == [str(ctx.engine.url.database)]
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services.backup import list_backups

    again = build_context(str(ctx.engine.url.database), backup=False)
    with again.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("select name from persons")}
    again.engine.dispose()
    assert names == {"曾志伟", "林秀英"}
    assert any(b.reason == "restore" for b in list_backups())
    assert any("已从" in str(args) for name, args in calls if name == "info")


def test_the_backup_folder_can_be_changed(sqlite_window, ctx, asked, tmp_path):
    from yibao_desktop import paths

    _calls, answers = asked
    dlg = _dialog(sqlite_window, ctx)
    answers["text"] = [str(tmp_path / "备份 盘")]
    dlg.change_folder()
    assert paths.backup_dir() == tmp_path / "备份 盘"
    assert dlg.backup_now().parent == tmp_path / "备份 盘"
    answers["text"] = [""]
    dlg.change_folder()
    assert paths.backup_dir() == paths.user_data_dir() / "backups"


def test_the_dialog_at_1366x768(sqlite_window, ctx, asked, tmp_path):
    dlg = _dialog(sqlite_window, ctx)
    dlg.backup_now()
    dlg.dialog.show()
    assert dlg.dialog.width() <= 1366 and dlg.dialog.height() <= 768
    shot = Path(tmp_path / "backup_dialog.png")
    dlg.dialog.grab().save(str(shot))
    assert shot.stat().st_size > 0


def test_on_postgresql_the_dumps_are_listed_and_a_clerk_is_refused_before_any_question(window, ctx, asked, make_ctx):
    import shutil

    from PySide6.QtWidgets import QLabel

    from yibao_desktop.qt.backup_dialog import BackupDialog

    if ctx.engine.url.get_backend_name() != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("PostgreSQL with its client tools")
    calls, _answers = asked
    url = ctx.engine.url.render_as_string(hide_password=False)
    dlg = BackupDialog(window, url)
    assert "服务器管理员" in dlg.dialog.findChild(QLabel, "policy").text()
    made = dlg.backup_now()
    assert made is not None and made.suffix == ".dump"
    assert dlg.model.rowCount() == 1 and dlg.model.index(0, 3).data() == "已校验"
    window.ctx = make_ctx("clerk9", "clerk")
    errors = []
    window.show_error = lambda title, text: errors.append(text)
    asked_before = len(calls)
    dlg.table.selectRow(0)
    assert not dlg.restore_selected()
    assert errors and "维护数据库" in errors[0] and len(calls) == asked_before  # refused before the confirmation
