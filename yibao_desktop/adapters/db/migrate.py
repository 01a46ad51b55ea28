"""Bring a database to the newest schema with Alembic, all or nothing.

Every upgrade runs inside ONE transaction: PostgreSQL has transactional DDL, and SQLite does too once pysqlite's
own transaction handling is switched off (it otherwise commits before every CREATE/ALTER/DROP, which is how a killed
first start used to leave tables without a version). A start killed half-way therefore leaves the database exactly
as before, and the next start simply migrates again.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from yibao_desktop.paths import migrations_dir

from .faults import DatabaseUnavailable, explain

# The newest migration shipped (a test keeps it equal to Alembic's head): a database already there opens without
# importing Alembic at all, which saves ~0.2 s of every start.
HEAD_REVISION = "0011"


def _ini(value: str) -> str:
    """Alembic's config is a ConfigParser: a '%' in a path or URL (e.g. %E6… of a Chinese folder) must be doubled."""
    return value.replace("%", "%%")


def alembic_config(engine: Engine):
    """Alembic config pointing at the packaged migration scripts."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _ini(str(migrations_dir())))
    cfg.set_main_option("sqlalchemy.url", _ini(engine.url.render_as_string(hide_password=False)))
    return cfg


def known_revisions(engine: Engine) -> set[str]:
    """Every revision this program ships (a database at another one was made by a newer program)."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()}


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read with one query (None when there is no table yet).

    A file that is no database, a locked or unreadable one raises DatabaseUnavailable (Chinese)."""
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if "alembic_version" not in names:
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as err:
        raise explain(err, engine.url) from err


def atomic_engine(engine: Engine) -> Engine:
    """An engine whose transactions include DDL: for SQLite a separate one with pysqlite's autocommit quirks off
    (BEGIN IMMEDIATE at the start, so a second program waits or is told, never interleaves); PostgreSQL as is."""
    if engine.url.get_backend_name() != "sqlite":
        return engine
    eng = create_engine(engine.url, poolclass=NullPool, connect_args={"timeout": 3})
    on_disk = engine.url.database not in (None, "", ":memory:")

    @event.listens_for(eng, "connect")
    def _connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI connection
        dbapi_conn.isolation_level = None  # no implicit COMMIT before DDL: we say BEGIN and COMMIT ourselves
        if on_disk:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(eng, "begin")
    def _begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return eng


def _drop_half_created(conn) -> None:
    """Tables without a version are what an older program left when killed during its first start. Empty ones are
    dropped (the schema is then created again); any data in them means a person must look: refuse."""
    names = [n for n in inspect(conn).get_table_names() if not n.startswith("sqlite_")]
    if not names:
        return
    filled = [n for n in names if conn.execute(text(f'SELECT 1 FROM "{n}" LIMIT 1')).first() is not None]
    if filled:
        raise DatabaseUnavailable(
            "该数据库缺少结构版本记录，但已有数据（可能由旧版本程序在首次启动时中断造成）。为免损坏数据，程序没有改动它。"
            "请从备份恢复（文件 → 备份与恢复，或命令 yibao-desktop restore 备份文件），或联系系统管理员。"
        )
    cascade = "" if conn.dialect.name == "sqlite" else " CASCADE"
    for name in names:
        conn.execute(text(f'DROP TABLE IF EXISTS "{name}"{cascade}'))


def _check_foreign_keys(conn) -> None:
    """SQLite migrates with foreign keys off (batch mode copies tables); the result must still be consistent."""
    if conn.dialect.name == "sqlite":
        bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise DatabaseUnavailable(
                f"数据库升级后发现 {len(bad)} 处关联不一致（如表 {bad[0][0]}），升级已撤销，数据保持原样。"
                "请联系系统管理员。"
            )


def upgrade(engine: Engine, before: Callable[[str], object] | None = None) -> object | None:
    """Migrate to head in one transaction. `before(revision)` runs first when an existing database is upgraded
    (the caller's backup); its result is returned. A database of a newer program is refused untouched."""
    stored = stored_revision(engine)
    if stored == HEAD_REVISION:
        return None
    from alembic import command

    if stored is not None and stored not in known_revisions(engine):
        raise DatabaseUnavailable(
            f"该数据库由更新版本的程序建立（结构版本 {stored}），本程序（结构版本 {HEAD_REVISION}）不能打开，以免损坏数据。"
            "请安装最新版本的医保定点管理桌面系统，或打开另一个数据库文件。"
        )
    result = before(stored) if (before is not None and stored is not None) else None
    eng = atomic_engine(engine)
    cfg = alembic_config(engine)
    try:
        with eng.begin() as conn:
            if stored is None:
                _drop_half_created(conn)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            _check_foreign_keys(conn)
    except DBAPIError as err:
        raise explain(err, engine.url) from err
    finally:
        if eng is not engine:
            eng.dispose()
    return result
