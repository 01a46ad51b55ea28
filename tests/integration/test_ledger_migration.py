"""Migration 0005 converts existing data into the status ledger (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Boolean, Date, Integer, MetaData, Table, create_engine, insert, text

from yibao_desktop.adapters.db import migrate


def test_agreement_suspensions_of_before_become_periods_and_voided_notices_stay_voided(db_url):
    engine = create_engine(db_url)
    if engine.dialect.name == "postgresql":  # the shared test database is kept at the newest schema between tests
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    with engine.begin() as conn:
        put = _inserter(conn)
        put("institutions", id=1, name="揭阳康华医院", code="H44520200009", ownership="private")
        for pid, idn in ((1, "445202198005170011"), (2, "445202198005170038")):
            put(
                "persons",
                id=pid,
                id_number=idn,
                name="某某",
                birth_date=date(1980, 5, 17),
                sex="男",
                status="suspended",
            )
        put(
            "agreements",
            id=1,
            institution_id=1,
            number="揭医保协〔2026〕1号",
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            status="active",
        )
        for eid, kind, on, until, no in (
            (1, "suspension", date(2026, 5, 6), date(2026, 8, 5), "揭医保协处〔2026〕3号"),
            (2, "resume", date(2026, 7, 1), None, ""),
            (3, "suspension", date(2026, 9, 1), None, "揭医保协处〔2026〕9号"),
        ):
            put("agreement_events", id=eid, agreement_id=1, kind=kind, on=on, effective=on, until=until, decision_no=no)
        put("agreement_event_persons", event_id=1, person_id=1)
        put("agreement_event_persons", event_id=3, person_id=2)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                'SELECT person_id, status, start, "end", ended_on, source, doc_no, voided '
                "FROM status_periods ORDER BY person_id"
            )
        ).all()
        ev_state = conn.execute(text("SELECT DISTINCT state FROM agreement_events")).scalars().all()
    engine.dispose()
    got = [
        (p, st, _as_date(s), _as_date(e), _as_date(x) if x else None, src, no, bool(v))
        for p, st, s, e, x, src, no, v in rows
    ]
    assert got == [
        (
            1,
            "suspended",
            date(2026, 5, 6),
            date(2026, 8, 5),
            date(2026, 6, 30),
            "agreement",
            "揭医保协处〔2026〕3号",
            False,
        ),
        (2, "suspended", date(2026, 9, 1), date(2027, 2, 27), None, "agreement", "揭医保协处〔2026〕9号", False),
    ]
    assert ev_state == ["done"]


def _inserter(conn):
    """Insert rows into the tables as they stood at revision 0004 (not the current models): every NOT NULL column
    without a default gets a neutral value."""
    meta = MetaData()

    def put(table_name: str, /, **values) -> None:
        table = meta.tables[table_name] if table_name in meta.tables else Table(table_name, meta, autoload_with=conn)
        for col in table.columns:
            if col.name in values or col.nullable or col.server_default is not None or col.primary_key:
                continue
            values[col.name] = (
                1
                if col.name == "version"
                else 0
                if isinstance(col.type, Integer)
                else False
                if isinstance(col.type, Boolean)
                else date(2026, 1, 1)
                if isinstance(col.type, Date)
                else ""
            )
        conn.execute(insert(table).values(**values))

    return put


def _as_date(v):
    return date.fromisoformat(v) if isinstance(v, str) else v
