"""Sign-in at GUI start, the first start's administrator account with its demo-data choice, own password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

PASSWORD = "Mima2026ok"


def press_ok(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)


@pytest.fixture
def bare_window(qtbot, asked, monkeypatch):
    """The main window as at start: painted, no database yet (and no scripted sign-in in the environment)."""
    from yibao_desktop.qt.main_window import MainWindow

    monkeypatch.delenv("YIBAO_USER", raising=False)
    monkeypatch.delenv("YIBAO_PASSWORD", raising=False)
    w = MainWindow()
    qtbot.addWidget(w.qwindow)
    w.show()
    yield w
    w.runner.shutdown()


def fill(dlg, **values) -> None:
    for name, value in values.items():
        dlg.line(name).setText(value)


def test_the_first_start_creates_the_administrator_with_a_confirmed_password_and_an_explicit_demo_choice(
    bare_window, qtbot, ctx
):
    from yibao_desktop.qt.login import FirstAdminDialog, start_session
    from yibao_desktop.services.users import list_users, needs_first_admin

    ctx.actor = None
    ready: list[bool] = []
    dlg = start_session(bare_window, ctx, ready.append)
    assert isinstance(dlg, FirstAdminDialog) and dlg.demo_group.isVisibleTo(dlg.dialog)
    assert dlg.line("password").text() == ""  # no default password
    fill(dlg, username="zhangsan", display_name="张三", password=PASSWORD, confirm="Mima2026no")
    dlg.radio("start_empty").setChecked(True)
    press_ok(qtbot, dlg)
    assert "两次输入的密码不一致" in dlg.message.text() and needs_first_admin(ctx)
    fill(dlg, password="short1", confirm="short1")
    press_ok(qtbot, dlg)
    assert "密码至少8位" in dlg.message.text() and needs_first_admin(ctx)
    fill(dlg, password=PASSWORD, confirm=PASSWORD)
    dlg.radio("start_empty").setAutoExclusive(False)
    dlg.radio("start_empty").setChecked(False)  # neither choice made
    press_ok(qtbot, dlg)
    assert dlg.message.text() == "请选择从空数据库开始，或载入演示数据。" and needs_first_admin(ctx)
    dlg.radio("load_demo").setChecked(True)
    press_ok(qtbot, dlg)
    assert not dlg.dialog.isVisible() and ready == [True]
    assert [(u.username, u.display_name, u.role) for u in list_users(ctx)] == [("zhangsan", "张三", "admin")]
    assert ctx.actor.username == "zhangsan"
    assert QSettings().value("login/last_user") == "zhangsan"


def test_a_database_with_data_but_no_user_asks_for_the_administrator_without_offering_demo_data(
    bare_window, qtbot, ctx
):
    from tests.builders import add_institution
    from yibao_desktop.qt.login import start_session

    add_institution(ctx)
    ctx.actor = None
    ready: list[bool] = []
    dlg = start_session(bare_window, ctx, ready.append)
    assert not dlg.demo_group.isVisibleTo(dlg.dialog)
    fill(dlg, username="admin", password=PASSWORD, confirm=PASSWORD)
    press_ok(qtbot, dlg)
    assert ready == [False], dlg.message.text()


def test_login_remembers_the_username_never_the_password_and_says_when_the_account_is_locked(bare_window, qtbot, ctx):
    from yibao_desktop.qt.login import LoginDialog, start_session
    from yibao_desktop.services.users import add_user

    add_user(ctx, "clerk", "经办员", "clerk", PASSWORD)
    add_user(ctx, "reviewer", "审核员", "reviewer", PASSWORD)
    ctx.actor = None
    QSettings().setValue("login/last_user", "clerk")
    ready: list[bool] = []
    dlg = start_session(bare_window, ctx, ready.append)
    assert isinstance(dlg, LoginDialog) and dlg.line("username").text() == "clerk"
    assert dlg.line("password").echoMode() == dlg.line("password").EchoMode.Password
    fill(dlg, username="reviewer")
    for _ in range(4):
        fill(dlg, password="Falsch2026")
        press_ok(qtbot, dlg)
        assert dlg.message.text() == "用户名或密码不正确。" and dlg.line("password").text() == ""
    fill(dlg, password="Falsch2026")
    press_ok(qtbot, dlg)
    assert "账户已锁定" in dlg.message.text() and ctx.actor is None
    fill(dlg, password=PASSWORD)  # even the right password waits out the lock
    press_ok(qtbot, dlg)
    assert "账户已锁定" in dlg.message.text() and dlg.dialog.isVisible() and ready == []
    fill(dlg, username="clerk", password=PASSWORD)
    press_ok(qtbot, dlg)
    assert ready == [False] and ctx.actor.username == "clerk"
    settings = QSettings()
    assert settings.value("login/last_user") == "clerk"
    assert not any(PASSWORD in str(settings.value(k)) for k in settings.allKeys())


def test_cancelling_the_login_closes_the_program(bare_window, qtbot, ctx):
    from yibao_desktop.qt.login import start_session
    from yibao_desktop.services.users import add_user

    add_user(ctx, "clerk", "经办员", "clerk", PASSWORD)
    ctx.actor = None
    dlg = start_session(bare_window, ctx, lambda _demo: None)
    dlg.dialog.reject()
    qtbot.waitUntil(lambda: not bare_window.qwindow.isVisible())


def test_the_gui_start_opens_the_database_then_the_login_then_the_data(bare_window, qtbot, ctx, db_url):
    from tests.builders import add_institution
    from yibao_desktop.qt.app import open_database
    from yibao_desktop.services.users import add_user

    add_institution(ctx)
    add_user(ctx, "clerk", "经办员", "clerk", PASSWORD)
    open_database(bare_window, db_url, demo_persons=50)
    dlg = bare_window.last_dialog
    assert bare_window.ctx is None  # nothing shown before sign-in
    fill(dlg, username="clerk", password=PASSWORD)
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: len(bare_window.institutions.all_rows) == 1)
    assert bare_window.ctx.username == "clerk" and "clerk（经办）" in bare_window.status_profile.text()
    bare_window.ctx.engine.dispose()


def test_a_user_changes_their_own_password_with_the_old_one(window, qtbot, ctx):
    from yibao_desktop.services.users import add_user, authenticate, sign_in

    add_user(ctx, "clerk", "经办员", "clerk", PASSWORD)
    sign_in(ctx, "clerk", PASSWORD)
    assert window.actions["act_change_password"].text() == "修改密码…"
    dlg = window.accounts.change_password()
    fill(dlg, old_password="Falsch2026", password="Neu2026mima", confirm="Neu2026mima")
    press_ok(qtbot, dlg)
    assert dlg.message.text() == "原密码不正确。" and dlg.dialog.isVisible()
    fill(dlg, old_password=PASSWORD, password="Neu2026mima", confirm="Neu2026mimb")
    press_ok(qtbot, dlg)
    assert "不一致" in dlg.message.text()
    fill(dlg, password="Neu2026mima", confirm="Neu2026mima")
    press_ok(qtbot, dlg)
    assert not dlg.dialog.isVisible()
    assert authenticate(ctx, "clerk", "Neu2026mima").username == "clerk"


def test_a_scripted_start_signs_in_from_the_environment_and_a_wrong_password_falls_back_to_the_dialog(
    bare_window, ctx, monkeypatch
):
    from yibao_desktop.qt.login import start_session
    from yibao_desktop.services.users import add_user

    add_user(ctx, "clerk", "经办员", "clerk", PASSWORD)
    ctx.actor = None
    monkeypatch.setenv("YIBAO_USER", "clerk")
    monkeypatch.setenv("YIBAO_PASSWORD", "Falsch2026")
    ready: list[bool] = []
    dlg = start_session(bare_window, ctx, ready.append)
    assert dlg is not None and dlg.message.text() == "用户名或密码不正确。" and ctx.actor is None
    dlg.dialog.close()
    monkeypatch.setenv("YIBAO_PASSWORD", PASSWORD)
    assert start_session(bare_window, ctx, ready.append) is None
    assert ready == [False] and ctx.actor.username == "clerk"


def test_the_first_start_on_an_empty_database_loads_demo_data_only_when_chosen(bare_window, qtbot, tmp_path):
    from yibao_desktop.qt.app import open_database

    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    open_database(bare_window, url, demo_persons=60)
    dlg = bare_window.last_dialog
    fill(dlg, username="admin", display_name="系统管理员", password=PASSWORD, confirm=PASSWORD)
    dlg.radio("load_demo").setChecked(True)
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: len(bare_window.personnel.all_rows) >= 60, timeout=30000)
    assert bare_window.ctx.username == "admin"
    assert "已生成演示数据" in bare_window.qwindow.statusBar().currentMessage()
    bare_window.ctx.engine.dispose()
