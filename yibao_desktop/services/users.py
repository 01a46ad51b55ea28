"""User accounts of this database: first administrator, sign-in with lockout, passwords (argon2id), administration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import User
from yibao_desktop.domain.accounts import check_password, check_username, lock_after_failure, locked_message
from yibao_desktop.domain.errors import DomainError, NotFound, PermissionDenied
from yibao_desktop.domain.permissions import Actor, Permission, Role, parse_role, require

from .audit import audit
from .context import AppContext

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork

_HASHER = PasswordHasher()  # argon2id with the library's recommended cost
_WRONG = "用户名或密码不正确。"


@dataclass(frozen=True)
class UserRow:
    """A user account (never the password hash)."""

    username: str
    display_name: str
    role: str
    role_label: str
    active: bool
    locked_until: datetime | None
    version: int


def now() -> datetime:
    """The clock of sign-in and lockout (tests replace it)."""
    return datetime.now().replace(microsecond=0)


def hash_password(password: str, username: str = "") -> str:
    """The argon2id hash of an acceptable password."""
    check_password(password, username)
    return _HASHER.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return bool(stored) and _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _actor(u: User) -> Actor:
    return Actor(u.username, Role(u.role), u.display_name)


def needs_first_admin(ctx: AppContext) -> bool:
    """True while the database has no active account (first start): the administrator must be created."""
    with ctx.uow() as uow:
        return not uow.session.scalar(select(func.count()).select_from(User).where(User.active.is_(True)))


def create_first_admin(ctx: AppContext, username: str, display_name: str, password: str) -> Actor:
    """First start only: the administrator's account (no default password); signs it in."""
    name = check_username(username)
    digest = hash_password(password, name)
    with ctx.uow() as uow:
        uow.lock_for_writing()
        s = uow.session
        if s.scalar(select(func.count()).select_from(User).where(User.active.is_(True))):
            raise PermissionDenied("本数据库已有用户，请由管理员登录后在“用户管理”中新增用户。")
        user = s.scalar(select(User).where(User.username == name)) or User(username=name)
        user.display_name, user.role, user.active = display_name.strip() or name, Role.ADMIN.value, True
        user.password_hash, user.failed_logins, user.locked_until = digest, 0, None
        s.add(user)
        uow.username = name
        s.flush()
        audit(uow, "user.first_admin", "user", user.id, name)
        uow.commit()
        ctx.actor = _actor(user)
        return ctx.actor


def authenticate(ctx: AppContext, username: str, password: str) -> Actor:
    """The account's actor if the password is right; counts failures and locks after too many (saved either way)."""
    with ctx.uow() as uow:
        s = uow.session
        user = s.scalar(select(User).where(User.username == username.strip()))
        if user is None or not user.active:
            raise PermissionDenied(_WRONG if user is None else "该账户已停用，请联系管理员。")
        at = now()
        if (msg := locked_message(user.locked_until, at)) is not None:
            raise PermissionDenied(msg)
        uow.username = user.username
        if not _verify(user.password_hash, password):
            user.failed_logins += 1
            user.locked_until = lock_after_failure(user.failed_logins, at)
            audit(uow, "user.login_failed", "user", user.id, f"第{user.failed_logins}次")
            uow.commit()
            raise PermissionDenied(locked_message(user.locked_until, at) or _WRONG)
        user.failed_logins, user.locked_until = 0, None
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
        audit(uow, "user.login", "user", user.id)
        uow.commit()
        return _actor(user)


def sign_in(ctx: AppContext, username: str, password: str) -> Actor:
    """Authenticate and make the account the context's actor (login, 切换用户, the CLI's --user)."""
    ctx.actor = authenticate(ctx, username, password)
    return ctx.actor


def change_own_password(ctx: AppContext, old: str, new: str) -> None:
    """The signed-in user changes their own password (the old one is asked again)."""
    actor = require(ctx, Permission.VIEW)
    digest = hash_password(new, actor.username)
    with ctx.uow() as uow:
        user = _get(uow, actor.username)
        if not _verify(user.password_hash, old):
            raise DomainError("原密码不正确。", field="old_password")
        user.password_hash = digest
        audit(uow, "user.password", "user", user.id, "本人修改")
        uow.commit()


def list_users(ctx: AppContext, include_disabled: bool = False) -> list[UserRow]:
    """Accounts in creation order (active only unless asked)."""
    stmt = select(User).order_by(User.id)
    if not include_disabled:
        stmt = stmt.where(User.active.is_(True))
    with ctx.uow() as uow:
        return [
            UserRow(u.username, u.display_name, u.role, Role(u.role).label, u.active, u.locked_until, u.version)
            for u in uow.session.scalars(stmt)
        ]


def _get(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"用户“{username}”不存在。")
    return user


def add_user(ctx: AppContext, username: str, display_name: str, role: str, password: str) -> None:
    """Administrator: a new account with a role."""
    require(ctx, Permission.USERS)
    name, role_ = check_username(username), parse_role(role)
    digest = hash_password(password, name)
    with ctx.uow() as uow:
        if uow.session.scalar(select(User.id).where(User.username == name)):
            raise DomainError(f"用户名“{name}”已存在（停用的用户可重新启用）。", field="username")
        user = User(
            username=name,
            display_name=display_name.strip() or name,
            role=role_.value,
            active=True,
            password_hash=digest,
        )
        uow.session.add(user)
        uow.session.flush()
        audit(uow, "user.add", "user", user.id, f"{name} {role_.label}")
        uow.commit()


def set_active(ctx: AppContext, username: str, active: bool) -> None:
    """Administrator: disable (never delete) or re-enable an account; never yourself or the last administrator."""
    actor = require(ctx, Permission.USERS)
    with ctx.uow() as uow:
        user = _get(uow, username)
        if not active and user.username == actor.username:
            raise DomainError("不能停用当前登录的账户。")
        if not active and user.role == Role.ADMIN.value and _active_admins(uow) <= 1:
            raise DomainError("这是唯一的管理员账户，不能停用。")
        user.active = active
        audit(uow, "user.enable" if active else "user.disable", "user", user.id, user.username)
        uow.commit()


def _active_admins(uow: UnitOfWork) -> int:
    return (
        uow.session.scalar(
            select(func.count()).select_from(User).where(User.active.is_(True), User.role == Role.ADMIN.value)
        )
        or 0
    )


def set_role(ctx: AppContext, username: str, role: str) -> None:
    """Administrator: change an account's role (the last administrator keeps theirs)."""
    require(ctx, Permission.USERS)
    role_ = parse_role(role)
    with ctx.uow() as uow:
        user = _get(uow, username)
        if user.role == Role.ADMIN.value and role_ != Role.ADMIN and _active_admins(uow) <= 1:
            raise DomainError("这是唯一的管理员账户，不能改为其他角色。")
        user.role = role_.value
        audit(uow, "user.role", "user", user.id, f"{user.username} {role_.label}")
        uow.commit()


def reset_password(ctx: AppContext, username: str, password: str) -> None:
    """Administrator: set another account's password (and lift a lockout)."""
    require(ctx, Permission.USERS)
    with ctx.uow() as uow:
        user = _get(uow, username)
        user.password_hash = hash_password(password, user.username)
        user.failed_logins, user.locked_until = 0, None
        audit(uow, "user.password", "user", user.id, "管理员重置")
        uow.commit()
