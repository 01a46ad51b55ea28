"""Rules of user accounts: names, password strength, lockout after repeated failed logins."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .errors import DomainError

MAX_FAILED_LOGINS = 5  # consecutive wrong passwords before the account locks
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,39}$")


def check_username(username: str) -> str:
    """The username, stripped; letters first, then letters, digits, _ . - (2–40 characters)."""
    name = username.strip()
    if not _USERNAME.match(name):
        raise DomainError("用户名须以英文字母开头，由2至40位英文字母、数字或 _ . - 组成。", field="username")
    return name


def check_password(password: str, username: str = "") -> None:
    """At least MIN_PASSWORD_LENGTH characters, not only digits or only letters, not the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"密码至少{MIN_PASSWORD_LENGTH}位。", field="password")
    if password.isdigit() or password.isalpha():
        raise DomainError("密码须同时包含字母和数字（或符号）。", field="password")
    if username and password.lower() == username.lower():
        raise DomainError("密码不能与用户名相同。", field="password")


def lock_after_failure(failures: int, now: datetime) -> datetime | None:
    """When `failures` consecutive wrong passwords lock the account: until when; else None."""
    return now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILED_LOGINS else None


def locked_message(locked_until: datetime | None, now: datetime) -> str | None:
    """The refusal while an account is locked, else None."""
    if locked_until is None or locked_until <= now:
        return None
    return f"密码连续输错{MAX_FAILED_LOGINS}次，账户已锁定，请于{locked_until:%H:%M}后再试，或请管理员重置密码。"
