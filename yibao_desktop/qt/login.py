"""Sign-in at start: the first start creates the administrator's account (no default password), later starts ask
for username and password (the last username is remembered, never the password)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from yibao_desktop.domain.errors import DomainError

from . import ask


def sign_in_at_start(parent, ctx) -> bool:
    """Sign a user in to ctx (through ask.*, which tests replace); False when the clerk gave up."""
    from yibao_desktop.services.users import create_first_admin, needs_first_admin, sign_in

    memory = QSettings()
    while True:
        first = needs_first_admin(ctx)
        title = "首次使用：建立管理员账户" if first else "登录"
        name = ask.text(parent, title, "用户名：", str(memory.value("login/last_user", "admin" if first else "")))
        if name is None:
            return False
        secret = ask.password(parent, title, "密码（至少8位，含字母和数字）：" if first else "密码：")
        if secret is None:
            return False
        try:
            if first:
                if ask.password(parent, title, "再次输入密码：") != secret:
                    ask.error(parent, title, "两次输入的密码不一致。")
                    continue
                create_first_admin(ctx, name, "系统管理员", secret)
            else:
                sign_in(ctx, name, secret)
        except DomainError as err:
            ask.error(parent, title, err.message)
            continue
        memory.setValue("login/last_user", name.strip())
        return True
