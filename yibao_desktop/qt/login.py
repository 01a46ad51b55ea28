"""Account dialogs: sign-in at start and 切换用户 (one dialog), the first start's administrator account (no default
password, with an explicit choice of demo data on an empty database) and password changes.

The last username is remembered in QSettings, never the password. Each OK is one service call."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGroupBox, QLabel, QLineEdit, QRadioButton, QWidget

from yibao_desktop.domain.errors import DomainError

from .uiload import child, load_ui

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

LAST_USER_KEY = "login/last_user"


class AccountDialog(QObject):
    """A small dialog from ui/: OK runs `submit`; a refusal shows in red below the fields and keeps the dialog."""

    done = Signal(object)
    ui_name = ""
    ok_text = "确定"

    def __init__(self, parent: QWidget | None, ctx: AppContext):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog = load_ui(self.ui_name, parent)
        self.message: QLabel = child(self.dialog, QLabel, "message")
        buttons: QDialogButtonBox = child(self.dialog, QDialogButtonBox, "buttons")
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.ok_text)
        self.ok.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.ok.clicked.connect(self.accept)
        buttons.rejected.connect(self.dialog.reject)

    def line(self, name: str) -> QLineEdit:
        """A named line edit of the layout."""
        return child(self.dialog, QLineEdit, name)

    def fail(self, text: str, focus: str | None = None) -> None:
        """Show a refusal and put the cursor where the clerk fixes it."""
        self.message.setText(text)
        if focus:
            self.line(focus).setFocus()
            self.line(focus).selectAll()

    def submit(self):
        """Validate and call the service; return what `done` carries; raise DomainError to keep the dialog open."""
        raise NotImplementedError

    def accept(self) -> None:
        """OK: the service call; closes on success."""
        self.message.setText("")
        try:
            result = self.submit()
        except DomainError as err:
            self.fail(
                err.message,
                {"password": "password", "old_password": "old_password", "username": "username"}.get(err.field or ""),
            )
            return
        self.dialog.accept()
        self.done.emit(result)

    def open(self) -> AccountDialog:
        """Show window-modal without blocking (tests fill the fields and press OK)."""
        self.dialog.open()
        return self


def _place(ctx: AppContext) -> str:
    from .main_window import database_place

    return f"数据库：{database_place(ctx.db_label)}"


class LoginDialog(AccountDialog):
    """Username and password; `done` carries the signed-in Actor. Used at start and for 切换用户."""

    ui_name = "login_dialog"
    ok_text = "登录"

    def __init__(self, parent, ctx: AppContext, switching: bool = False):
        super().__init__(parent, ctx)
        self.switching = switching
        child(self.dialog, QLabel, "place").setText(_place(ctx))
        if switching:
            self.dialog.setWindowTitle("切换用户")
            child(self.dialog, QLabel, "heading").setText(f"当前用户：{ctx.actor.label}" if ctx.actor else "切换用户")
            self.ok.setText("切换")
        last = "" if switching else str(QSettings().value(LAST_USER_KEY, "") or "")
        self.line("username").setText(last)
        (self.line("password") if last else self.line("username")).setFocus()

    def submit(self):
        from yibao_desktop.services.users import sign_in

        name, secret = self.line("username").text().strip(), self.line("password").text()
        if not name:
            raise DomainError("请输入用户名。", field="username")
        try:
            actor = sign_in(self.ctx, name, secret)  # a refusal leaves the signed-in user as it was
        except DomainError:
            self.line("password").clear()
            raise
        QSettings().setValue(LAST_USER_KEY, actor.username)
        return actor


class FirstAdminDialog(AccountDialog):
    """First start: the administrator's account; on an empty database the clerk must choose demo data or not.
    `done` carries True when demo data is to be loaded."""

    ui_name = "first_admin_dialog"
    ok_text = "建立并登录"

    def __init__(self, parent, ctx: AppContext, offer_demo: bool):
        super().__init__(parent, ctx)
        child(self.dialog, QLabel, "place").setText(_place(ctx))
        self.demo_group: QGroupBox = child(self.dialog, QGroupBox, "demo_group")
        self.demo_group.setVisible(offer_demo)
        self.offer_demo = offer_demo
        self.line("username").setText("admin")
        self.line("display_name").setFocus()

    def radio(self, name: str) -> QRadioButton:
        """One of the two demo-data choices."""
        return child(self.dialog, QRadioButton, name)

    def submit(self):
        from yibao_desktop.services.users import create_first_admin

        secret = self.line("password").text()
        if self.line("confirm").text() != secret:
            self.line("confirm").clear()
            raise DomainError("两次输入的密码不一致，请重新输入。", field="password")
        load_demo = self.offer_demo and self.radio("load_demo").isChecked()
        if self.offer_demo and not (load_demo or self.radio("start_empty").isChecked()):
            raise DomainError("请选择从空数据库开始，或载入演示数据。")
        actor = create_first_admin(self.ctx, self.line("username").text(), self.line("display_name").text(), secret)
        QSettings().setValue(LAST_USER_KEY, actor.username)
        return load_demo


class PasswordDialog(AccountDialog):
    """Change one's own password (the old one asked again) or, for the administrator, reset another user's."""

    ui_name = "password_dialog"
    ok_text = "修改"

    def __init__(self, parent, ctx: AppContext, reset_for: str | None = None):
        super().__init__(parent, ctx)
        self.reset_for = reset_for
        heading = child(self.dialog, QLabel, "heading")
        if reset_for:
            self.dialog.setWindowTitle("重置密码")
            heading.setText(f"为用户 {reset_for} 设定新密码（同时解除锁定）。请当面告知本人，并请其登录后自行修改。")
            self.line("old_password").hide()
            child(self.dialog, QLabel, "lbl_old_password").hide()
            self.line("password").setFocus()
        else:
            heading.setText(f"修改 {ctx.actor.label if ctx.actor else ''} 的密码。")
            self.line("old_password").setFocus()

    def submit(self):
        from yibao_desktop.services.users import change_own_password, reset_password

        secret = self.line("password").text()
        if self.line("confirm").text() != secret:
            self.line("confirm").clear()
            raise DomainError("两次输入的新密码不一致，请重新输入。", field="password")
        if self.reset_for:
            reset_password(self.ctx, self.reset_for, secret)
            return f"已重置用户 {self.reset_for} 的密码。"
        change_own_password(self.ctx, self.line("old_password").text(), secret)
        return "密码已修改，下次登录请使用新密码。"


def start_session(window, ctx: AppContext, on_ready: Callable[[bool], None]):
    """GUI start: the first-run dialog (no user yet) or the login dialog; `on_ready(load_demo)` once someone is
    signed in; cancelling closes the program. Returns the dialog (tests fill it in), or None when YIBAO_USER and
    YIBAO_PASSWORD signed the user in (scripted starts)."""
    from yibao_desktop.bootstrap import is_empty
    from yibao_desktop.services.users import needs_first_admin, sign_in

    refusal = ""
    if needs_first_admin(ctx):
        dlg: AccountDialog = FirstAdminDialog(window.qwindow, ctx, offer_demo=is_empty(ctx))
        dlg.done.connect(lambda load_demo: on_ready(bool(load_demo)))
    else:
        name, secret = os.environ.get("YIBAO_USER", ""), os.environ.get("YIBAO_PASSWORD", "")
        if name and secret:  # a scripted start (smoke test, benchmark), as the CLI's --user / YIBAO_PASSWORD
            try:
                sign_in(ctx, name, secret)
            except DomainError as err:
                refusal = err.message
            else:
                on_ready(False)
                return None
        dlg = LoginDialog(window.qwindow, ctx)
        dlg.done.connect(lambda _actor: on_ready(False))
        dlg.message.setText(refusal)
    dlg.dialog.rejected.connect(window.qwindow.close)
    window.last_dialog = dlg
    return dlg.open()
