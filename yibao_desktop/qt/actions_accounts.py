"""Accounts and the audit log (文件 menu): 操作日志, 用户管理, 修改密码, 切换用户; and the 操作记录 entry of a tab's
rows (a person's or an institution's history). The actions are added in code so the main window's layout file
stays the main window's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from .actions_base import Actions, Shell

ACCOUNT_ACTIONS = (  # object name, menu text
    ("act_audit_log", "操作日志…"),
    ("act_users", "用户管理…"),
    ("act_change_password", "修改密码…"),
)


def add_history_action(shell: Shell, tab: Any, name: str, fn: Callable[[], Any]) -> QAction:
    """操作记录… in the right-click menu of a tab's table (registered in shell.actions for the role gate)."""
    action = QAction("操作记录…", tab.table)
    action.setObjectName(name)
    action.setToolTip("这条记录的全部操作：谁在何时做了什么，改了哪些内容")
    action.triggered.connect(lambda _=False: fn())
    tab.table.addAction(action)
    tab.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    shell.actions[name] = action
    return action


def open_record_history(shell: Shell, entity: str, entity_id: int, title: str):
    """操作记录 of one person or institution: every audit entry about it, oldest first."""
    return _open_log(shell, (entity, entity_id, title))


def _open_log(shell: Shell, record):
    from yibao_desktop.domain.errors import DomainError

    from .audit_log_dialog import AuditLogDialog

    try:
        dlg = AuditLogDialog(shell, record=record)
    except DomainError as err:
        shell.show_error("操作日志", err.message)
        return None
    return dlg.open()


class AccountActions(Actions):
    """Typed dependencies: the shell and `user_changed`, what the window redoes after 切换用户 (status bar, role)."""

    def __init__(self, shell: Shell, user_changed: Callable[[], None]):
        super().__init__(shell)
        self.user_changed = user_changed

    def install(self) -> None:
        """Put 操作日志, 用户管理 and 修改密码 into the 文件 menu, before 切换用户."""
        menu = self.qwindow.findChild(QMenu, "menu_file")
        before = self.shell.actions["act_switch_user"]
        handlers = {
            "act_audit_log": self.show_audit_log,
            "act_users": self.manage_users,
            "act_change_password": self.change_password,
        }
        for name, text in ACCOUNT_ACTIONS:
            action = QAction(text, self.qwindow)
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, fn=handlers[name]: fn())
            menu.insertAction(before, action)
            self.shell.actions[name] = action

    def switch_user(self):
        """切换用户: the other user signs in with their own password in the login dialog (a wrong one changes
        nothing)."""
        from .login import LoginDialog

        dlg = LoginDialog(self.qwindow, self.ctx, switching=True)
        dlg.done.connect(lambda actor: self.signed_in_as(actor))
        self.shell.last_dialog = dlg
        return dlg.open()

    def signed_in_as(self, actor) -> None:
        """After 切换用户: the status bar and what the new user may do."""
        self.user_changed()
        self.status(f"已切换为 {actor.label}。")

    def change_password(self):
        """文件 → 修改密码: the signed-in user's own password (the old one asked again)."""
        from .login import PasswordDialog

        dlg = PasswordDialog(self.qwindow, self.ctx)
        dlg.done.connect(lambda text: self.status(text))
        self.shell.last_dialog = dlg
        return dlg.open()

    def manage_users(self):
        """文件 → 用户管理 (administrator)."""
        from .users_dialog import UsersDialog

        return UsersDialog(self.shell).open()

    def show_audit_log(self):
        """文件 → 操作日志: the whole log with filters, its chain check and export."""
        return _open_log(self.shell, None)
