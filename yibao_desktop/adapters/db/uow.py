"""Unit of work: one per user action; leaving the block without commit rolls back."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from yibao_desktop.domain.errors import StaleEdit


class UnitOfWork:
    """`with uow: ...; uow.commit()` — the session lives only inside the block."""

    def __init__(self, session_factory: sessionmaker, username: str = "system"):
        self._factory = session_factory
        self.username = username
        self.session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(self, *exc) -> None:
        assert self.session is not None
        self.session.close()  # rolls back anything not committed; loaded objects keep their values
        self.session = None

    def commit(self) -> None:
        """Commit; a stale version becomes a Chinese StaleEdit message."""
        assert self.session is not None
        try:
            self.session.commit()
        except StaleDataError as err:
            self.session.rollback()
            raise StaleEdit("该记录已被其他经办人员修改，请关闭后重新打开再编辑（本次修改未保存）。") from err

    def flush(self) -> None:
        """Flush pending changes (catching stale versions like commit)."""
        assert self.session is not None
        try:
            self.session.flush()
        except StaleDataError as err:
            raise StaleEdit("该记录已被其他经办人员修改，请关闭后重新打开再编辑（本次修改未保存）。") from err
