"""The CLI acts as a user: --user / YIBAO_USER with the password from the terminal or YIBAO_PASSWORD; the users,
audit and demo-account commands. Argument parsing and prompting only; the rules live in the services."""

from __future__ import annotations

import getpass
import os
import secrets
import string
import sys
from typing import TYPE_CHECKING

from yibao_desktop.domain.errors import PermissionDenied

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

# Commands that only read (no user needed on SQLite; a shared PostgreSQL database always asks who is there).
READ_ONLY = {
    ("template", None),
    ("export", None),
    ("print", "blank"),
    ("print", "notice"),
    ("migrate", None),
    ("users", "list"),
    ("audit", "verify"),
    ("claims", "template"),
    ("claims", "mappings"),
}


def add_arguments(parser, sub) -> None:
    """--user and the users / audit subcommands (demo's --password is added by the caller's demo parser)."""
    parser.add_argument(
        "--user", default=None, help="以该用户身份操作（或环境变量 YIBAO_USER；密码从终端或 YIBAO_PASSWORD 读取）"
    )
    u = sub.add_parser("users", help="用户管理（管理员）")
    us = u.add_subparsers(dest="what", required=True)
    a = us.add_parser("add", help="新增用户（新用户的密码从终端或 YIBAO_NEW_PASSWORD 读取）")
    a.add_argument("name")
    a.add_argument(
        "--role", required=True, help="clerk（经办）、reviewer（审核）、admin（管理员）或 auditor（只读稽核）"
    )
    a.add_argument("--display-name", default="", help="姓名")
    us.add_parser("list", help="列出用户")
    d = us.add_parser("disable", help="停用用户（不删除）")
    d.add_argument("name")
    p = us.add_parser("passwd", help="修改密码（本人，或管理员重置他人）")
    p.add_argument("name")
    au = sub.add_parser("audit", help="操作日志：校验链条、导出")
    aus = au.add_subparsers(dest="what", required=True)
    aus.add_parser("verify", help="校验操作日志链条（完整退出码0，被改动退出码1）")
    e = aus.add_parser("export", help="导出操作日志为 Excel")
    e.add_argument("out")
    e.add_argument("--from", dest="start", type=_date)
    e.add_argument("--to", dest="end", type=_date)
    e.add_argument("--user-filter", "--by", dest="by", default=None, help="只导出该用户的操作")


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def _secret(env: str, prompt: str, confirm: bool = False) -> str:
    """A password from the environment (scripts) or typed at the terminal (never echoed, never logged)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise PermissionDenied(f"需要密码：请在终端中运行并输入密码，或设置环境变量 {env}。")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入：") != value:
        raise PermissionDenied("两次输入的密码不一致。")
    return value


def sign_in_for(ctx: AppContext, args) -> None:
    """Sign the command's user in when it writes (or on PostgreSQL); refuse without a user or password."""
    from yibao_desktop.services.users import needs_first_admin, sign_in

    key = (args.command, getattr(args, "what", None))
    name = args.user or os.environ.get("YIBAO_USER")
    needs_user = key not in READ_ONLY or ctx.engine.url.get_backend_name() != "sqlite"
    if args.command == "demo" or key == ("users", "add"):
        if not name and needs_first_admin(ctx):
            return  # first start: these commands create the administrator themselves
    if not name:
        if key not in READ_ONLY:
            raise PermissionDenied("该命令会修改数据，请用 --user 用户名（或环境变量 YIBAO_USER）指明操作人员。")
        if needs_user:
            raise PermissionDenied(
                "共用的 PostgreSQL 数据库只对本单位用户开放，查看数据也请用 --user 用户名"
                "（或环境变量 YIBAO_USER）登录。"
            )
        return
    sign_in(ctx, name, _secret("YIBAO_PASSWORD", f"{name} 的密码："))


def users(ctx: AppContext, args) -> int:
    """users add | list | disable | passwd."""
    from yibao_desktop.services import users as svc

    if args.what == "list":
        for u in svc.list_users(ctx, include_disabled=True):
            state = "启用" if u.active else "停用"
            print(f"{u.username}\t{u.display_name}\t{u.role_label}\t{state}")
        return 0
    if args.what == "add":
        password = _secret("YIBAO_NEW_PASSWORD", f"新用户 {args.name} 的密码：", confirm=True)
        if ctx.actor is None:
            if args.role not in ("admin", "管理员"):
                raise PermissionDenied("数据库中还没有用户：请先新增管理员（--role admin）。")
            svc.create_first_admin(ctx, args.name, args.display_name, password)
        else:
            svc.add_user(ctx, args.name, args.display_name, args.role, password)
        print(f"已新增用户 {args.name}。")
        return 0
    if args.what == "disable":
        svc.set_active(ctx, args.name, False)
        print(f"已停用用户 {args.name}。")
        return 0
    new = _secret("YIBAO_NEW_PASSWORD", f"{args.name} 的新密码：", confirm=True)
    if ctx.actor.username == args.name:
        svc.change_own_password(ctx, _secret("YIBAO_PASSWORD", "原密码："), new)
    else:
        svc.reset_password(ctx, args.name, new)
    print(f"已修改 {args.name} 的密码。")
    return 0


def audit(ctx: AppContext, args) -> int:
    """audit verify | export."""
    from pathlib import Path

    from yibao_desktop.services import audit_log

    if args.what == "verify":
        result = audit_log.verify(ctx)
        if result.broken is None:
            print(f"操作日志完整：共 {result.entries} 条，链条校验通过。")
            return 0
        print(f"操作日志被改动：第 {result.broken.entry_id} 条起{result.broken.reason}。", file=sys.stderr)
        return 1
    data = audit_log.export_xlsx(ctx, audit_log.AuditFilter(args.start, args.end, args.by or ""))
    Path(args.out).write_bytes(data)
    print(f"操作日志已导出到 {args.out}")
    return 0


def demo_accounts(ctx: AppContext, password: str | None) -> dict[str, str]:
    """On a database without users: admin (管理员), clerk (经办), reviewer (审核); returns name → password."""
    from yibao_desktop.services import users as svc

    if not svc.needs_first_admin(ctx):
        return {}
    chosen = {name: password or _random_password() for name in ("admin", "clerk", "reviewer")}
    svc.create_first_admin(ctx, "admin", "系统管理员", chosen["admin"])
    svc.add_user(ctx, "clerk", "经办员", "clerk", chosen["clerk"])
    svc.add_user(ctx, "reviewer", "审核员", "reviewer", chosen["reviewer"])
    return chosen


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw
