"""Engine and session factory: SQLite with foreign keys, WAL and busy timeout; PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from yibao_desktop.domain.errors import DomainError


def sqlite_url(path: Path) -> str:
    """URL of an SQLite file."""
    return f"sqlite:///{path}"


def _refuse_network_path(path: str) -> None:
    """SQLite on a network share corrupts under concurrent use; point the office to PostgreSQL instead."""
    if path.startswith(("\\\\", "//")) or "/mnt/smb" in path:
        raise DomainError(
            f"数据库文件“{path}”位于网络共享上，SQLite 不能在网络共享上安全使用。"
            "多台电脑共用数据时，请在设置中填写 PostgreSQL 服务器地址。",
            field="db",
        )


def make_engine(url: str) -> Engine:
    """Build the engine for a database URL, configuring SQLite connections for safe local use."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            _refuse_network_path(path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI connection
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=15000")
            if path and path != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker:
    """Session factory bound to the engine; objects stay readable after commit (DTOs are built inside anyway)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
