"""SQLite bulk writing for the roster imports: a larger page cache and secondary indexes rebuilt once, both inside
the import's own transaction; other engines write as usual."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Connection, Table
from sqlalchemy.schema import CreateIndex, DropIndex

# SQLite's page cache during a bulk import (KiB; the default is 2 MiB): the unique index of 100,000 ID numbers is
# filled in random order, and with the default cache its pages were read back over and over (a sixth of the commit).
BULK_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_page_cache(conn: Connection) -> Iterator[None]:
    """SQLite: a larger page cache for the connection during a bulk write, the connection's own size restored after
    (it is not part of the transaction: a failure restores it too). Durability is untouched (synchronous and the
    journal stay as the engine set them). Other engines: nothing."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


# From this many rows on, building a secondary index once after the insert beats updating it row by row.
BULK_REINDEX_ROWS = 20_000


@contextmanager
def indexes_rebuilt(conn: Connection, table: Table, count: int) -> Iterator[None]:
    """SQLite: drop `table`'s secondary indexes (as the metadata defines them) around a bulk insert, then recreate.

    Everything happens inside the import's transaction, open since commit_personnel took the write lock (SQLite
    DDL is transactional), so a failure rolls the indexes back too. Only indexes the database really has are
    touched, under their metadata names.
    """
    if count < BULK_REINDEX_ROWS:
        yield
        return
    present = {
        name
        for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table.name,)
        )
    }
    indexes = sorted((ix for ix in table.indexes if ix.name in present), key=lambda ix: str(ix.name))
    for ix in indexes:
        conn.execute(DropIndex(ix))
    yield
    for ix in indexes:
        conn.execute(CreateIndex(ix))


def sqlite_insert(table: str, cols: tuple[str, ...], constants: Mapping[str, object] | None = None) -> str:
    """INSERT with qmark placeholders for the pysqlite driver; `constants` (column → the value every row gets) are
    written into the statement as SQL literals, so 100,000 rows do not bind the same values 100,000 times (a third
    of the registrations' insert)."""
    fixed = constants or {}
    names = (*cols, *fixed)
    values = ("?",) * len(cols) + tuple(map(sql_literal, fixed.values()))
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})"


def sql_literal(value: object) -> str:
    """A constant as SQLite stores what pysqlite binds: NULL, 0/1 for flags, integers, quoted text (ISO dates)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")
