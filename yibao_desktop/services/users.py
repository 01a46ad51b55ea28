"""Users of the office (clerks and reviewers for maker–checker)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from yibao_desktop.adapters.db.models import User

from .context import AppContext


@dataclass(frozen=True)
class UserRow:
    """A user."""

    username: str
    display_name: str
    role: str


def list_users(ctx: AppContext) -> list[UserRow]:
    """Active users."""
    with ctx.uow() as uow:
        return [UserRow(u.username, u.display_name, u.role)
                for u in uow.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))]
