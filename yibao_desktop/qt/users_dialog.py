"""用户管理 (administrator): the accounts of this database with role and state; create, change role, reset
password, disable (never delete) and re-enable. Each button is one call of services.users."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QPushButton, QTableView

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Role

from . import ask
from .login import AccountDialog, PasswordDialog
from .table_model import Column, RowTableModel, show_model
from .uiload import child, load_ui

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext


def _state(u, now) -> str:
    if not u.active:
        return "已停用"
    if u.locked_until is not None and u.locked_until > now:
        return f"已锁定（至 {u.locked_until:%H:%M}）"
    return "启用"


class UserAddDialog(AccountDialog):
    """新增用户: username, name, role and the initial password (twice)."""

    ui_name = "user_add_dialog"
    ok_text = "新增"

    def __init__(self, parent, ctx: AppContext):
        super().__init__(parent, ctx)
        self.role: QComboBox = child(self.dialog, QComboBox, "role")
        for role in (Role.CLERK, Role.REVIEWER, Role.AUDITOR, Role.ADMIN):
            self.role.addItem(role.label, role.value)
        self.line("username").setFocus()

    def submit(self):
        from yibao_desktop.services.users import add_user

        secret = self.line("password").text()
        if self.line("confirm").text() != secret:
            self.line("confirm").clear()
            raise DomainError("两次输入的密码不一致，请重新输入。", field="password")
        name = self.line("username").text().strip()
        add_user(self.ctx, name, self.line("display_name").text(), self.role.currentData(), secret)
        return f"已新增用户 {name}（{self.role.currentText()}）。"


class UsersDialog(QObject):
    """The account list and its buttons; `window` is the MainWindow."""

    def __init__(self, window):
        super().__init__(window.qwindow)
        self.window, self.ctx = window, window.ctx
        self.dialog: QDialog = load_ui("users_dialog", window.qwindow)
        from yibao_desktop.services.users import now

        self.model = RowTableModel(
            [
                Column("用户名", lambda u: u.username, 140),
                Column("姓名", lambda u: u.display_name, 140),
                Column("角色", lambda u: u.role_label, 100),
                Column(
                    "状态",
                    lambda u: _state(u, now()),
                    160,
                    color=lambda u: None if _state(u, now()) == "启用" else "#c0392b",
                ),
            ],
            self.dialog,
        )
        self.table: QTableView = child(self.dialog, QTableView, "table")
        show_model(self.table, self.model)
        self.show_disabled: QCheckBox = child(self.dialog, QCheckBox, "show_disabled")
        self.show_disabled.toggled.connect(lambda _on: self.load())
        for name, fn in (
            ("addButton", self.add),
            ("roleButton", self.change_role),
            ("resetButton", self.reset),
            ("disableButton", lambda: self.set_active(False)),
            ("enableButton", lambda: self.set_active(True)),
        ):
            child(self.dialog, QPushButton, name).clicked.connect(lambda _=False, fn=fn: fn())
        child(self.dialog, QPushButton, "closeButton").clicked.connect(lambda _=False: self.dialog.reject())
        self.last_dialog = None
        self.load()

    def load(self) -> None:
        """Read the accounts (one query)."""
        from yibao_desktop.services.users import list_users

        self.model.set_rows(list_users(self.ctx, include_disabled=self.show_disabled.isChecked()), presorted=True)

    def open(self) -> UsersDialog:
        """Show window-modal without blocking."""
        self.window.last_dialog = self
        self.dialog.open()
        return self

    def select(self, username: str) -> bool:
        """Select a user's row (tests)."""
        for i, u in enumerate(self.model.rows):
            if u.username == username:
                self.table.selectRow(i)
                return True
        return False

    def current(self):
        """The selected account, or None after telling the administrator to pick one."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            ask.info(self.dialog, "用户管理", "请先选中一位用户。")
            return None
        return self.model.row_at(rows[0].row())

    def _run(self, fn, success: str) -> None:
        try:
            fn()
        except DomainError as err:
            ask.error(self.dialog, "用户管理", err.message)
            return
        self.done(success)

    def done(self, message: str) -> None:
        """After a change: reload the list, say so in the main window's status bar."""
        self.load()
        self.window.qwindow.statusBar().showMessage(message, 8000)

    def add(self):
        """新增用户… (the small form dialog; its OK is the service call)."""
        dlg = UserAddDialog(self.dialog, self.ctx)
        dlg.done.connect(self.done)
        self.last_dialog = dlg
        return dlg.open()

    def change_role(self) -> None:
        """修改角色…: pick the new role."""
        from yibao_desktop.services.users import set_role

        u = self.current()
        if u is None:
            return
        roles = [Role.CLERK, Role.REVIEWER, Role.AUDITOR, Role.ADMIN]
        chosen = ask.choose(
            self.dialog,
            "修改角色",
            f"{u.display_name}（{u.username}）现为{u.role_label}，改为：",
            [r.label for r in roles],
        )
        if chosen is None:
            return
        role = next(r for r in roles if r.label == chosen)
        self._run(lambda: set_role(self.ctx, u.username, role.value), f"已将 {u.username} 的角色改为{role.label}。")

    def reset(self):
        """重置密码…: a new password for another user (the password dialog without the old password)."""
        u = self.current()
        if u is None:
            return None
        dlg = PasswordDialog(self.dialog, self.ctx, reset_for=u.username)
        dlg.done.connect(self.done)
        self.last_dialog = dlg
        return dlg.open()

    def set_active(self, active: bool) -> None:
        """停用 (asked first) or 重新启用 the selected account."""
        from yibao_desktop.services.users import set_active

        u = self.current()
        if u is None:
            return
        if not active and not ask.confirm(
            self.dialog,
            "停用用户",
            f"停用 {u.display_name}（{u.username}）？停用后不能登录，其操作记录保留；以后可重新启用。",
        ):
            return
        self._run(
            lambda: set_active(self.ctx, u.username, active), f"已{'重新启用' if active else '停用'}用户 {u.username}。"
        )
