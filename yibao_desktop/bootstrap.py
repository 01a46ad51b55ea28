"""Builds the one AppContext: database (checked, backed up, migrated), settings, policy profile, calendar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from yibao_desktop.paths import default_db_path

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

log = logging.getLogger(__name__)


def resolve_db_url(db: str | None) -> str:
    """A --db argument (URL or file path) or the default embedded SQLite file."""
    from yibao_desktop.adapters.db.engine import sqlite_url

    if not db:
        return sqlite_url(default_db_path())
    if "://" in db:
        return db
    return sqlite_url(Path(db).expanduser().resolve())


def sqlite_path(url) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database)
    return None


def db_label(url) -> str:
    """How the database is named to the clerk and in the layout memory: the file, or the URL without password."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    path = sqlite_path(u)
    if path is not None:
        return f"sqlite:///{path}"
    return u.render_as_string(hide_password=True)


def build_context(
    db: str | None = None, *, migrate: bool = True, create: bool = True, backup: bool = True, lock: bool = False
):
    """Open (and migrate) the database and assemble the context for services; nobody is signed in yet.

    `create=False` refuses a missing SQLite file (a mistyped --db); `backup` takes the day's backup of an existing
    file and one before any migration; `lock` takes the SQLite file's lock first (the GUI), so a second program is
    refused before anything is backed up or migrated. Every fault raises DatabaseUnavailable in Chinese."""
    from yibao_desktop.adapters.db.faults import check_sqlite_file

    url = resolve_db_url(db)
    path = sqlite_path(url)
    existed = path is not None and path.exists()
    held = None
    if path is not None:
        check_sqlite_file(path, create=create or db is None)
        if lock:
            from yibao_desktop.adapters.db.lock import DatabaseLock

            path.parent.mkdir(parents=True, exist_ok=True)
            held = DatabaseLock(path).acquire()
    try:
        ctx = _assemble(url, path, existed, migrate=migrate, backup=backup)
    except BaseException:
        if held is not None:
            held.release()
        raise
    if held is not None:
        ctx.extras["lock"] = held
    return ctx


def _assemble(url: str, path: Path | None, existed: bool, *, migrate: bool, backup: bool):
    """Engine, migration (after its backup), the day's backup, settings, profile and calendar."""
    from sqlalchemy.exc import DBAPIError

    from yibao_desktop.adapters.db import migrate as migrations
    from yibao_desktop.adapters.db.engine import make_engine, make_session_factory
    from yibao_desktop.adapters.db.faults import explain
    from yibao_desktop.services import backup as backups
    from yibao_desktop.services.context import AppContext
    from yibao_desktop.services.profiles import load_profile
    from yibao_desktop.services.settings import calendar_from_settings, load_settings

    engine = make_engine(url)
    before = (lambda _rev: backups.backup_sqlite(path, "migrate")) if (path is not None and backup) else None
    made = migrations.upgrade(engine, before=before) if migrate else None
    if path is not None and existed and backup and made is None:
        try:
            backups.daily_backup(path)
        except Exception:  # noqa: BLE001 - a failed daily backup must not lock the office out; it is logged
            log.exception("daily backup failed")
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            settings = load_settings(session)
    except DBAPIError as err:
        raise explain(err, engine.url) from err
    ctx = AppContext(
        engine=engine,
        session_factory=factory,
        settings=settings,
        profile=load_profile(settings.profile),
        calendar=calendar_from_settings(settings),
        db_label=db_label(url),
    )
    if made is not None:
        ctx.extras["backup"] = str(made)
    return ctx


def is_empty(ctx: AppContext) -> bool:
    """True when the database holds no institution yet (first run → demo data)."""
    from sqlalchemy import func, select

    from yibao_desktop.adapters.db.models import Institution

    with ctx.uow() as uow:
        return (uow.session.scalar(select(func.count()).select_from(Institution)) or 0) == 0


def lock_database(ctx: AppContext) -> None:
    """Hold the SQLite file's lock for the life of the window (a second program is refused in Chinese)."""
    path = sqlite_path(ctx.engine.url)
    if path is not None and "lock" not in ctx.extras:
        from yibao_desktop.adapters.db.lock import DatabaseLock

        ctx.extras["lock"] = DatabaseLock(path).acquire()
