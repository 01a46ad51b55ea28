"""用户管理: the administrator creates users, changes a role, resets a password, disables and re-enables."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from yibao_desktop.domain.errors import PermissionDenied

PASSWORD = "Mima2026ok"


def press_ok(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)


def fill(dlg, **values) -> None:
    for name, value in values.items():
        dlg.line(name).setText(value)


def rows(users_dialog) -> list[tuple[str, str, str]]:
    return [
        (u.username, u.role_label, users_dialog.model.data(users_dialog.model.index(i, 3)))
        for i, u in enumerate(users_dialog.model.rows)
    ]


def test_the_administrator_adds_a_user_changes_the_role_and_resets_the_password(window, qtbot, asked, ctx):
    from yibao_desktop.services.users import authenticate

    users = window.accounts.manage_users()
    assert rows(users) == []
    dlg = users.add()
    fill(dlg, username="lisi", display_name="李四", password=PASSWORD, confirm="Mima2026xx")
    dlg.role.setCurrentIndex(dlg.role.findText("审核"))
    press_ok(qtbot, dlg)
    assert "不一致" in dlg.message.text() and rows(users) == []
    fill(dlg, password=PASSWORD, confirm=PASSWORD)
    press_ok(qtbot, dlg)
    assert not dlg.dialog.isVisible(), dlg.message.text()
    assert rows(users) == [("lisi", "审核", "启用")]
    assert "已新增用户 lisi（审核）" in window.qwindow.statusBar().currentMessage()

    _calls, answers = asked
    answers["choose"] = ["经办"]
    assert users.select("lisi")
    users.change_role()
    assert rows(users) == [("lisi", "经办", "启用")]

    for _ in range(5):  # lisi locks themself out …
        with pytest.raises(PermissionDenied):
            authenticate(ctx, "lisi", "Falsch2026")
    users.load()
    assert rows(users)[0][2].startswith("已锁定")
    users.select("lisi")
    reset = users.reset()
    assert not reset.line("old_password").isVisibleTo(reset.dialog)
    fill(reset, password="Chongzhi2026", confirm="Chongzhi2026")
    press_ok(qtbot, reset)
    assert not reset.dialog.isVisible(), reset.message.text()
    assert rows(users) == [("lisi", "经办", "启用")]  # … and the reset lifts the lock
    assert authenticate(ctx, "lisi", "Chongzhi2026").username == "lisi"


def test_a_user_is_disabled_never_deleted_and_can_be_enabled_again(window, asked, ctx):
    from yibao_desktop.services.users import add_user, authenticate

    add_user(ctx, "wangwu", "王五", "clerk", PASSWORD)
    users = window.accounts.manage_users()
    users.select("wangwu")
    users.set_active(False)
    assert rows(users) == []
    users.show_disabled.setChecked(True)
    assert rows(users) == [("wangwu", "经办", "已停用")]
    with pytest.raises(PermissionDenied, match="已停用"):
        authenticate(ctx, "wangwu", PASSWORD)
    users.select("wangwu")
    users.set_active(True)
    assert rows(users) == [("wangwu", "经办", "启用")]


def test_the_last_administrator_cannot_be_disabled_and_a_clerk_is_refused_by_the_service(
    window, qtbot, asked, ctx, make_ctx
):
    from yibao_desktop.services.users import add_user

    add_user(ctx, "boss", "老板", "admin", PASSWORD)
    calls, _answers = asked
    users = window.accounts.manage_users()
    users.select("boss")
    users.set_active(False)
    assert calls[-1][0] == "error" and "唯一的管理员" in calls[-1][1][2]
    window.ctx = users.ctx = make_ctx("clerk", "clerk")
    dlg = users.add()
    fill(dlg, username="zhaoliu", password=PASSWORD, confirm=PASSWORD)
    press_ok(qtbot, dlg)
    assert "没有“管理用户”的权限" in dlg.message.text()
