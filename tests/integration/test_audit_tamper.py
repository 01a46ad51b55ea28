"""`audit verify` on a database whose audit table was edited behind the program's back: each kind of tampering on
its own fresh database must break the chain by itself (sqlite3 on the SQLite file, plain SQL on PostgreSQL)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from tests.builders import issue_suspension
from yibao_desktop.domain.audit_chain import ChainEntry, entry_hash


def _execute(db_url: str, ctx, sql: str, params: dict | None = None) -> None:
    """Run one statement outside the program: the sqlite3 module on the file, a bare connection on PostgreSQL."""
    if db_url.startswith("sqlite"):
        con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        con.execute(sql, params or {})
        con.commit()
        con.close()
    else:
        with ctx.engine.begin() as conn:
            conn.execute(text(sql), params or {})


def _rows(ctx) -> list:
    with ctx.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT id, at, username, action, entity, entity_id, detail, changes, prev_hash, hash "
                "FROM audit_entries ORDER BY id"
            )
        ).all()


def _rehashed(row, **changed) -> ChainEntry:
    """The entry as a forger would rewrite it: fields changed and its own hash recomputed."""
    from datetime import datetime

    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    e = ChainEntry(
        row.id, at, row.username, row.action, row.entity, row.entity_id, row.detail, row.changes or "", row.prev_hash
    )
    e = ChainEntry(**{**e.__dict__, **changed})
    return ChainEntry(**{**e.__dict__, "hash": entry_hash(e)})


def _tamper(kind: str, db_url: str, ctx) -> int:
    """Apply one kind of tampering; returns the entry id verify must name."""
    rows = _rows(ctx)
    second, last = rows[1], rows[-1]
    if kind == "update":
        _execute(db_url, ctx, "UPDATE audit_entries SET username = 'nobody' WHERE id = :i", {"i": second.id})
        return second.id
    if kind == "update_rehashed":  # the forger recomputes the row's own hash: the next row no longer fits
        forged = _rehashed(second, username="nobody")
        _execute(
            db_url,
            ctx,
            "UPDATE audit_entries SET username = 'nobody', hash = :h WHERE id = :i",
            {"h": forged.hash, "i": second.id},
        )
        return rows[2].id
    if kind == "delete":
        _execute(db_url, ctx, "DELETE FROM audit_entries WHERE id = :i", {"i": second.id})
        return rows[2].id
    if kind == "delete_last":  # nothing after it to notice, but the recorded head does
        _execute(db_url, ctx, "DELETE FROM audit_entries WHERE id = :i", {"i": last.id})
        return rows[-2].id
    if kind == "insert":  # a well-formed entry appended to the chain: the recorded head does not know it
        forged = _rehashed(last, id=last.id + 1, action="notice.approve", detail="补录", prev_hash=last.hash)
        _execute(
            db_url,
            ctx,
            "INSERT INTO audit_entries (id, at, username, action, entity, entity_id, detail, "
            "changes, prev_hash, hash) VALUES (:id, :at, :u, :a, :e, :eid, :d, :c, :p, :h)",
            {
                "id": forged.id,
                "at": last.at,
                "u": forged.username,
                "a": forged.action,
                "e": forged.entity,
                "eid": forged.entity_id,
                "d": forged.detail,
                "c": forged.changes,
                "p": forged.prev_hash,
                "h": forged.hash,
            },
        )
        return forged.id
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["update", "update_rehashed", "delete", "delete_last", "insert"])
def test_each_kind_of_tampering_alone_breaks_the_chain_and_verify_names_the_entry(
    ctx, make_ctx, db_url, capsys, cli_user, kind
):
    from yibao_desktop.cli import run
    from yibao_desktop.services.audit_log import verify

    issue_suspension(ctx, make_ctx("reviewer", "reviewer"))
    assert len(_rows(ctx)) >= 4
    assert run(["--db", db_url, "audit", "verify"]) == 0
    assert "链条校验通过" in capsys.readouterr().out
    named = _tamper(kind, db_url, ctx)
    assert verify(ctx).broken.entry_id == named
    assert run(["--db", db_url, "audit", "verify"]) == 1  # (its own sign-in is appended, never heals the chain)
    assert "操作日志被改动：第 " in capsys.readouterr().err
    assert verify(ctx).broken is not None


def test_reading_a_shared_postgresql_database_asks_who_you_are(ctx, db_url, capsys, monkeypatch):
    from yibao_desktop.cli import run

    monkeypatch.delenv("YIBAO_USER", raising=False)
    if db_url.startswith("sqlite"):
        assert run(["--db", db_url, "audit", "verify"]) == 0  # read-only on a local file: no user needed
    else:
        assert run(["--db", db_url, "audit", "verify"]) == 2
        assert "查看数据也请用 --user" in capsys.readouterr().err


def test_demo_creates_the_three_accounts_and_its_log_verifies(db_url, capsys, monkeypatch):
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.cli import run
    from yibao_desktop.services.users import authenticate, list_users

    monkeypatch.delenv("YIBAO_USER", raising=False)
    monkeypatch.delenv("YIBAO_PASSWORD", raising=False)
    assert run(["--db", db_url, "demo", "--persons", "60"]) == 0
    out = capsys.readouterr().out
    printed = dict(line.split() for line in out.splitlines() if line.startswith("  "))  # shown once
    assert set(printed) == {"admin", "clerk", "reviewer"}
    ctx = build_context(db_url)
    assert {(u.username, u.role) for u in list_users(ctx)} == {
        ("admin", "admin"),
        ("clerk", "clerk"),
        ("reviewer", "reviewer"),
    }
    for name, password in printed.items():
        assert authenticate(ctx, name, password).username == name
    ctx.engine.dispose()
    monkeypatch.setenv("YIBAO_USER", "admin")
    monkeypatch.setenv("YIBAO_PASSWORD", printed["admin"])
    assert run(["--db", db_url, "audit", "verify"]) == 0
    assert "链条校验通过" in capsys.readouterr().out
