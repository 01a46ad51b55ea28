"""Migration 0009: persons already in a database get their pinyin sort key; new ones get it on insert."""

from __future__ import annotations

from alembic import command

from yibao_desktop.adapters.db import migrate
from yibao_desktop.adapters.db.engine import make_engine


def test_existing_persons_get_their_pinyin_sort_key(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        for n, name in ((1, "曾志伟"), (2, "陈晓"), (3, "单田芳")):
            conn.exec_driver_sql(
                "INSERT INTO persons (id, version, id_number, name, name_initials, birth_date, sex, phone, status) "
                "VALUES (?, 1, ?, ?, '', '1980-05-17', '男', '', 'active')",
                (n, f"44520219800517{n:04d}", name),
            )
        command.upgrade(cfg, "0009")
        rows = conn.exec_driver_sql("SELECT name FROM persons ORDER BY name_sort").all()
        assert [r[0] for r in rows] == ["陈晓", "单田芳", "曾志伟"]  # chen, shan (surname reading), zeng
        command.downgrade(cfg, "0008")
    engine.dispose()


def test_a_registered_person_is_stored_with_the_sort_key(ctx):
    from tests.builders import add_institution, add_person
    from yibao_desktop.services.registrations import list_registrations

    add_institution(ctx)
    add_person(ctx, name="曾志伟", seq=3)
    assert list_registrations(ctx)[0].name_sort == "zeng zhi wei\t曾志伟"


def test_migration_0011_recomputes_the_keys_written_with_v_for_u_umlaut(db_url):
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    if engine.dialect.name == "postgresql":  # the shared test database is kept at the newest schema between tests
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0010")
        # keys as the program before 0011 stored them: ü as 'v', so 吕 (lv) sorted after 罗 (luo)
        for n, name, key in (
            (1, "罗安", "luo an"),
            (2, "吕伟", "lv wei"),
            (3, "卢伟", "lu wei"),
            (4, "栾安", "luan an"),
        ):
            conn.execute(
                text(
                    "INSERT INTO persons (id, version, id_number, name, name_initials, name_sort, birth_date, sex, "
                    "phone, status) VALUES (:id, 1, :idn, :name, '', :key, '1980-05-17', '男', '', 'active')"
                ),
                {"id": n, "idn": f"44520219800517{n:04d}", "name": name, "key": f"{key}\t{name}"},
            )
        command.upgrade(cfg, "0011")
        rows = conn.execute(text("SELECT name, name_sort FROM persons")).all()
        assert [r[0] for r in sorted(rows, key=lambda r: r[1])] == ["卢伟", "吕伟", "栾安", "罗安"]
        assert dict(rows)["吕伟"] == "lu: wei\t吕伟"
    engine.dispose()
