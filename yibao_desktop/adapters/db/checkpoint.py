"""SQLite in WAL mode: a bulk write's pages are copied back into the database file after its commit, on a thread of
their own, instead of inside the COMMIT the clerk waits for.

A commit in WAL mode appends the transaction's pages to the -wal file; once that file passes 1,000 pages, the
committing connection copies them into the database file at once ("automatic checkpoint"). For a 100,000-row
roster that copy and its fsync were a seventh of the import. The data are committed (and read by every connection)
as soon as they are in the WAL; the copy is housekeeping, and SQLite's documentation suggests running it apart.
It is crash-safe wherever it stops: an interrupted copy is simply made again by the next checkpoint.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_pending: list[threading.Thread] = []
_lock = threading.Lock()


def checkpoint_after_commit(session: Session, conn: Connection) -> None:
    """For the transaction open on `conn` (the session's connection): its COMMIT makes no automatic checkpoint, and
    a background thread checkpoints the file right after it; a rollback only restores the connection's setting.
    Nothing on other engines, in-memory databases or a journal mode other than WAL."""
    if conn.dialect.name != "sqlite":
        return
    path = conn.engine.url.database
    dbapi = conn.connection.dbapi_connection
    if not path or path == ":memory:" or dbapi is None:
        return
    if str(dbapi.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return
    pages = int(dbapi.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    if pages <= 0:
        return
    dbapi.execute("PRAGMA wal_autocheckpoint = 0")

    def restore() -> None:
        dbapi.execute(f"PRAGMA wal_autocheckpoint = {pages}")

    def committed(_session: Session) -> None:  # the session still holds the connection here
        restore()
        _start(path)

    event.listen(session, "after_commit", committed, once=True)
    event.listen(conn, "rollback", lambda _conn: restore(), once=True)


def _start(path: str) -> None:
    """Checkpoint `path` on a daemon thread (an exit meanwhile only leaves the copy to the next checkpoint)."""
    thread = threading.Thread(target=_checkpoint, args=(path,), name="sqlite-checkpoint", daemon=True)
    with _lock:
        _pending[:] = [t for t in _pending if t.is_alive()]
        _pending.append(thread)
    thread.start()


def _checkpoint(path: str) -> None:
    """Copy what the WAL holds into the database file (PASSIVE: never waits for, nor blocks, other connections)."""
    try:
        conn = sqlite3.connect(path, timeout=0)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        log.warning("后台检查点未完成，将由下次检查点完成", exc_info=True)


def wait_for_checkpoints() -> None:
    """Wait until every background checkpoint has ended (before a database file is replaced or removed)."""
    with _lock:
        threads = list(_pending)
    for thread in threads:
        thread.join()
