"""Unit of work: one per user action; leaving the block without commit rolls back."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from yibao_desktop.domain.errors import NotFound, StaleEdit


class UnitOfWork:
    """`with uow: ...; uow.commit()` — the session lives only inside the block."""

    def __init__(self, session_factory: sessionmaker, username: str = "system", actor=None, on_enter=()):
        self._factory = session_factory
        self.username = username
        self.actor = actor  # domain.permissions.Actor of the signed-in user (None: nobody)
        self._session: Session | None = None
        self._on_enter = tuple(on_enter)
        self.before_commit: list = []  # callables(uow) run inside the transaction just before it commits

    @property
    def session(self) -> Session:
        """The open session; only inside the `with` block."""
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        self.before_commit = []
        for hook in self._on_enter:
            hook(self)
        return self

    def __exit__(self, *exc) -> None:
        self.session.close()  # rolls back anything not committed; loaded objects keep their values
        self._session = None

    def commit(self) -> None:
        """Commit; a stale version becomes a Chinese StaleEdit message."""
        try:
            for hook in self.before_commit:
                hook(self)
            self.session.commit()
        except StaleDataError as err:
            self.session.rollback()
            raise StaleEdit("该记录已被其他经办人员修改，请关闭后重新打开再编辑（本次修改未保存）。") from err

    def lock_for_writing(self) -> None:
        """Take the database's write lock now, before reading what the writes depend on.

        SQLite (pysqlite) otherwise opens the transaction only at the first INSERT, so a check or a max(id) read
        before it could be overtaken by another connection. PostgreSQL locks row by row; nothing to do there.
        """
        conn = self.session.connection()
        dbapi = conn.connection.dbapi_connection
        if conn.dialect.name == "sqlite" and dbapi is not None and not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    def flush(self) -> None:
        """Flush pending changes (catching stale versions like commit)."""
        try:
            self.session.flush()
        except StaleDataError as err:
            raise StaleEdit("该记录已被其他经办人员修改，请关闭后重新打开再编辑（本次修改未保存）。") from err

    def get(self, model, record_id: int | None, missing: str, version: int | None = None,
            stale: str = "该记录已被其他经办人员修改，请刷新后重试（本次操作未保存）。"):
        """The record, or NotFound(missing); with `version`, a record changed since the clerk opened it is refused."""
        record = self.session.get(model, record_id) if record_id is not None else None
        if record is None:
            raise NotFound(missing)
        if version is not None and record.version != version:
            raise StaleEdit(stale)
        return record
