"""Menu actions of accounts and the audit log (文件 menu): 操作日志, 用户管理, 修改密码, 切换用户; and the
record history (操作记录) of a person or institution. Mixed into MainWindow; the actions are added in code so
the main window's layout file stays the main window's."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

ACCOUNT_ACTIONS = (  # object name, menu text
    ("act_users", "用户管理…"),
    ("act_change_password", "修改密码…"),
)


class AccountActions:
    """Needs self.qwindow, self.ctx, self.actions (name → QAction), self.update_status, self.after_change."""

    def install_account_actions(self) -> None:
        """Put 操作日志, 用户管理 and 修改密码 into the 文件 menu, before 切换用户."""
        menu = self.qwindow.findChild(QMenu, "menu_file")
        before = self.actions["act_switch_user"]
        handlers = {"act_users": self.manage_users,
                    "act_change_password": self.change_password}
        for name, text in ACCOUNT_ACTIONS:
            action = QAction(text, self.qwindow)
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, fn=handlers[name]: fn())
            menu.insertAction(before, action)
            self.actions[name] = action

    def switch_user(self):
        """切换用户: the other user signs in with their own password in the login dialog (a wrong one changes
        nothing)."""
        from .login import LoginDialog

        dlg = LoginDialog(self.qwindow, self.ctx, switching=True)
        dlg.done.connect(lambda actor: self.signed_in_as(actor))
        self.last_dialog = dlg
        return dlg.open()

    def signed_in_as(self, actor) -> None:
        """After 切换用户: the status bar and what the new user may do."""
        self.update_status()
        self.qwindow.statusBar().showMessage(f"已切换为 {actor.label}。", 8000)

    def change_password(self):
        """文件 → 修改密码: the signed-in user's own password (the old one asked again)."""
        from .login import PasswordDialog

        dlg = PasswordDialog(self.qwindow, self.ctx)
        dlg.done.connect(lambda text: self.qwindow.statusBar().showMessage(text, 8000))
        self.last_dialog = dlg
        return dlg.open()

    def manage_users(self):
        """文件 → 用户管理 (administrator)."""
        from .users_dialog import UsersDialog

        return UsersDialog(self).open()

    def show_audit_log(self):
        """文件 → 操作日志: the whole log with filters, its chain check and export."""
        from .audit_log_dialog import AuditLogDialog

        return AuditLogDialog(self).open()

    def show_record_history(self, entity: str, entity_id: int, title: str):
        """操作记录 of one person or institution: every audit entry about it, oldest first."""
        from .audit_log_dialog import AuditLogDialog

        return AuditLogDialog(self, record=(entity, entity_id, title)).open()
