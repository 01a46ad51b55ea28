"""Menu actions of accounts and the audit log (文件 menu): 操作日志, 用户管理, 修改密码, 切换用户; and the
record history (操作记录) of a person or institution. Mixed into MainWindow; the actions are added in code so
the main window's layout file stays the main window's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

ACCOUNT_ACTIONS = (  # object name, menu text
    ("act_audit_log", "操作日志…"),
    ("act_users", "用户管理…"),
    ("act_change_password", "修改密码…"),
)


class AccountActions:
    """Needs self.qwindow, self.ctx, self.actions (name → QAction), self.update_status, self.after_change."""

    def install_account_actions(self) -> None:
        """Put 操作日志, 用户管理 and 修改密码 into the 文件 menu, before 切换用户."""
        menu = self.qwindow.findChild(QMenu, "menu_file")
        before = self.actions["act_switch_user"]
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
            self.actions[name] = action
        self._install_history_actions()
        self.apply_role()

    def apply_role(self) -> None:
        """Grey out what the signed-in user's role may not do (the services refuse it anyway)."""
        from .role_gate import apply_role

        apply_role(self)

    def _install_history_actions(self) -> None:
        """操作记录… in the right-click menu of the 人员记分 and 定点机构 tables (and the 人员 tab's 更多 menu)."""
        for tab, name, fn in (
            (self.personnel, "act_person_history", self.person_history),
            (self.institutions, "act_institution_history", self.institution_history),
        ):
            action = QAction("操作记录…", tab.table)
            action.setObjectName(name)
            action.setToolTip("这条记录的全部操作：谁在何时做了什么，改了哪些内容")
            action.triggered.connect(lambda _=False, tab=tab, fn=fn: fn(tab.current_row()))
            tab.table.addAction(action)
            tab.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.actions[name] = action
        more = self.personnel.button("btn_more").menu()
        if more is not None:
            more.addAction(self.actions["act_person_history"])

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
        return self._open_log(None)

    def person_history(self, row):
        """操作记录 of the person in the selected 人员记分 row."""
        if row is None:
            self.show_error("操作记录", "请先选中一名人员。")
            return None
        return self.show_record_history("person", row.person_id, f"{row.name}")

    def institution_history(self, row):
        """操作记录 of the selected institution."""
        if row is None:
            self.show_error("操作记录", "请先选中一家定点机构。")
            return None
        return self.show_record_history("institution", row.id, f"{row.name}（{row.code}）")

    def show_record_history(self, entity: str, entity_id: int, title: str):
        """操作记录 of one person or institution: every audit entry about it, oldest first."""
        return self._open_log((entity, entity_id, title))

    def _open_log(self, record):
        from yibao_desktop.domain.errors import DomainError

        from .audit_log_dialog import AuditLogDialog

        try:
            dlg = AuditLogDialog(self, record=record)
        except DomainError as err:
            self.show_error("操作日志", err.message)
            return None
        return dlg.open()
