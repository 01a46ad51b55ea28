"""Builds the one AppContext: database (migrated), settings, policy profile, calendar."""

from __future__ import annotations

from pathlib import Path

from yibao_desktop.paths import default_db_path


def resolve_db_url(db: str | None) -> str:
    """A --db argument (URL or file path) or the default embedded SQLite file."""
    if not db:
        return f"sqlite:///{default_db_path()}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def build_context(db: str | None = None, *, migrate: bool = True):
    """Open (and migrate) the database and assemble the context for services; nobody is signed in yet."""
    from yibao_desktop.adapters.db import migrate as migrations
    from yibao_desktop.adapters.db.engine import make_engine, make_session_factory
    from yibao_desktop.services.context import AppContext
    from yibao_desktop.services.profiles import load_profile
    from yibao_desktop.services.settings import calendar_from_settings, load_settings

    url = resolve_db_url(db)
    engine = make_engine(url)
    backup = migrations.upgrade(engine) if migrate else None
    factory = make_session_factory(engine)
    with factory() as session:
        settings = load_settings(session)
    ctx = AppContext(engine=engine, session_factory=factory, settings=settings,
                     profile=load_profile(settings.profile), calendar=calendar_from_settings(settings),
                     db_label=engine.url.render_as_string(hide_password=True))
    if backup is not None:
        ctx.extras["backup"] = str(backup)
    return ctx


def is_empty(ctx) -> bool:
    """True when the database holds no institution yet (first run → demo data)."""
    from sqlalchemy import func, select

    from yibao_desktop.adapters.db.models import Institution

    with ctx.uow() as uow:
        return (uow.session.scalar(select(func.count()).select_from(Institution)) or 0) == 0


def lock_database(ctx) -> None:
    """Hold the SQLite file's lock for the life of the window (a second program is refused in Chinese)."""
    url = ctx.engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        from yibao_desktop.adapters.db.lock import DatabaseLock

        ctx.extras["lock"] = DatabaseLock(Path(url.database)).acquire()
