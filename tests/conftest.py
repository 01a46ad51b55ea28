"""Shared fixtures: offscreen Qt, isolated user data and settings, a migrated database per test."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = tempfile.mkdtemp(prefix="yibao-test-")
os.environ["YIBAO_DATA_DIR"] = os.path.join(_TMP, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_TMP, "config")  # QSettings of the tests never touch the user's

TODAY = date(2026, 11, 23)
PG_URL = os.environ.get("YIBAO_TEST_PG_URL")


def _fresh_pg(url: str) -> None:
    """An empty test PostgreSQL database: the tables emptied (identities restarted) when the schema is already the
    newest, else everything dropped for the test's build_context to migrate (a migration per test costs ~1 s)."""
    from sqlalchemy import create_engine, inspect, text

    from yibao_desktop.adapters.db.migrate import HEAD_REVISION
    from yibao_desktop.adapters.db.models import Base

    eng = create_engine(url)
    try:
        with eng.begin() as conn:
            names = set(inspect(conn).get_table_names())
            tables = set(Base.metadata.tables)
            at_head = (
                "alembic_version" in names
                and conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
            )
            if at_head and names == tables | {"alembic_version"}:
                conn.execute(text(f"TRUNCATE {', '.join(sorted(tables))} RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    finally:
        eng.dispose()


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    """Every test keeps its user data (archive, backups) apart: archived PDFs are keyed by document number, and
    every fresh database numbers from 1 again."""
    monkeypatch.setenv("YIBAO_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def own_archive(own_data_dir):
    """This test's folder of archived documents."""
    return own_data_dir / "documents"


@pytest.fixture(scope="module")
def fonts():
    """The CJK fonts found on this machine (the test is skipped without one)."""
    from yibao_desktop.adapters import pdf

    try:
        return pdf.find_fonts()
    except pdf.FontMissing:
        pytest.skip("no CJK font installed")


@pytest.fixture(params=["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def db_url(request, tmp_path) -> str:
    """A fresh database URL: an SQLite file, and PostgreSQL too when YIBAO_TEST_PG_URL is set."""
    if request.param == "postgresql":
        _fresh_pg(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def ctx(db_url):
    """A migrated database with a fixed 'today' (2026-11-23), signed in as the test office's all-rounder "admin"
    (every permission, so tests of one rule need not know about accounts; maker–checker still applies)."""
    from tests.builders import signed_in
    from yibao_desktop.bootstrap import build_context

    c = signed_in(build_context(db_url))
    c.clock = lambda: TODAY
    # the office's contact data that every institution notice prints (refused at issue without them)
    c.settings = replace(c.settings, contact_person="李四", contact_phone="0663-8888888")
    yield c
    c.engine.dispose()


@pytest.fixture
def make_ctx(ctx):
    """Another user's view of the same database with a real role's permissions (maker–checker, stale edits)."""
    from tests.builders import as_user

    def _make(username: str, role: str):
        return as_user(ctx, username, role)

    return _make


CLI_PASSWORD = "Kaishi2026"


@pytest.fixture
def cli_user(ctx, monkeypatch):
    """An account "clerk1" (经办) in the test database; the CLI signs it in through YIBAO_USER / YIBAO_PASSWORD."""
    from yibao_desktop.services.users import add_user

    add_user(ctx, "clerk1", "经办一", "clerk", CLI_PASSWORD)
    monkeypatch.setenv("YIBAO_USER", "clerk1")
    monkeypatch.setenv("YIBAO_PASSWORD", CLI_PASSWORD)
    return "clerk1"
