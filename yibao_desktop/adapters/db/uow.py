"""Unit of work: one per user action; leaving the block without commit rolls back."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from yibao_desktop.domain.errors import DomainError, NotFound, StaleEdit

# pg_advisory_xact_lock key of "a write that reads what it depends on first" (the PostgreSQL twin of SQLite's
# BEGIN IMMEDIATE): held until the transaction ends, so two programs never plan on the same state.
WRITE_LOCK_KEY = 7_420_001
Model = TypeVar("Model")


class ConcurrentWrite(DomainError):
    """Another clerk saved the same thing at the same moment; nothing of this action was saved."""


LOST_RACE = (
    "其他经办人员刚刚同时保存了相同的数据（例如同一人员、同一名册或同一文号），本次操作没有保存。"
    "请刷新后查看；如仍需要，再做一次即可。"
)


def _lost_race(err: BaseException) -> ConcurrentWrite | None:
    """A unique constraint (or a deadlock / serialization failure) hit by a concurrent writer, in Chinese."""
    if isinstance(err, IntegrityError) and "unique" in str(err.orig).lower():
        return ConcurrentWrite(LOST_RACE)
    if isinstance(err, DBAPIError) and any(w in str(err.orig).lower() for w in ("deadlock", "could not serialize")):
        return ConcurrentWrite(LOST_RACE)
    return None


def get_row(session: Session, model: type[Model], record_id: int | None, missing: str = "记录不存在。") -> Model:
    """The row of `model` with this id, typed as the model (never None), or NotFound(missing) in Chinese."""
    record = session.get(model, record_id) if record_id is not None else None
    if record is None:
        raise NotFound(missing)
    return record


class UnitOfWork:
    """`with uow: ...; uow.commit()` — the session lives only inside the block."""

    # set by services/audit.py: start_capture (declared here for the type check; absent on a bare unit of work)
    audit_pending: list[dict[str, Any]]
    audit_changes: list[list[Any]]
    audit_more: int

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

    def __exit__(self, kind, exc, tb) -> None:
        self.session.close()  # rolls back anything not committed; loaded objects keep their values
        self._session = None
        told = _lost_race(exc) if exc is not None else None
        if told is not None:
            raise told from exc

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
        before it could be overtaken by another connection. PostgreSQL takes the program's advisory write lock for
        the rest of the transaction: two clerks importing the same roster or registering the same person at once
        then run one after the other, and the second sees the first's rows.
        """
        conn = self.session.connection()
        dbapi = conn.connection.dbapi_connection
        if conn.dialect.name == "sqlite" and dbapi is not None and not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    def flush(self) -> None:
        """Flush pending changes (catching stale versions like commit)."""
        try:
            self.session.flush()
        except StaleDataError as err:
            raise StaleEdit("该记录已被其他经办人员修改，请关闭后重新打开再编辑（本次修改未保存）。") from err

    def get(
        self,
        model: type[Model],
        record_id: int | None,
        missing: str,
        version: int | None = None,
        stale: str = "该记录已被其他经办人员修改，请刷新后重试（本次操作未保存）。",
    ) -> Model:
        """The record, or NotFound(missing); with `version`, a record changed since the clerk opened it is refused."""
        record = get_row(self.session, model, record_id, missing)
        if version is not None and cast(Any, record).version != version:
            raise StaleEdit(stale)
        return record
