"""The SQLite fast path of the personnel import writes exactly the rows the generic SQLAlchemy path writes."""

from __future__ import annotations

import gc
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.builders import add_institution, add_person, signed_in
from tests.fixtures.excel_factory import excel_like
from yibao_desktop.adapters.excel import ROSTER_TITLES, columns, read_roster
from yibao_desktop.adapters.excel.reader import paused_gc
from yibao_desktop.bootstrap import build_context
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.rosters import bulk as roster_bulk
from yibao_desktop.services.rosters import commit_import, preview_import
from yibao_desktop.services.rosters import personnel as roster_personnel

H1 = "H44520200001"
ZENG = make_id_number("445202", date(1980, 5, 17), 11, "男")
LIN = make_id_number("445202", date(1985, 2, 3), 12, "女")


def roster(rows: list[list]) -> bytes:
    """A 人员登记备案名册 with the given rows (all columns, codes and IDs as text)."""
    headers = [c.header for c in columns("personnel")]
    text_cols = [i for i, c in enumerate(columns("personnel")) if c.kind in ("code", "id")]
    return excel_like([headers, *rows], title=ROSTER_TITLES["personnel"], text_columns=text_cols)


ROWS = [
    [
        "曾志伟",
        "D445202000011",
        ZENG,
        "男",
        date(1980, 5, 17),
        "13800138000",
        "揭阳市人民医院",
        H1,
        "445202",
        "执业医师",
        "临床",
        "内科专业",
        "主治医师",
        "正常",
        "是",
        date(2026, 1, 5),
    ],
    ["林秀英", "D445202000012", LIN, None, None, None, None, H1, None, None, None, None, None, None, "否", None],
]


def stored(ctx, table: str) -> list[tuple]:
    """Every row of `table` as the database holds it, without the server-stamped updated_at."""
    with ctx.engine.connect() as conn:
        result = conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
        keys = [k for k in result.keys() if k != "updated_at"]
        return [tuple(m[k] for k in keys) for m in result.mappings()]


def imported(tmp_path, name: str) -> object:
    """A fresh SQLite database with H1 and the two ROWS imported."""
    ctx = signed_in(build_context(f"sqlite:///{tmp_path / name}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    preview = preview_import(ctx, "personnel", roster(ROWS), "名册.xlsx")
    assert not preview.has_errors and preview.counts["new"] == 2
    commit_import(ctx, preview)
    return ctx


@pytest.mark.parametrize("table", ["persons", "registrations"])
def test_sqlite_fast_path_writes_the_same_rows_as_the_sqlalchemy_path(tmp_path, monkeypatch, table):
    fast = imported(tmp_path, "fast.sqlite3")
    monkeypatch.setattr(roster_personnel, "_driver_sqlite", lambda conn: False)
    generic = imported(tmp_path, "generic.sqlite3")
    try:
        assert stored(fast, table) == stored(generic, table)
        assert len(stored(fast, table)) == 2
    finally:
        fast.engine.dispose()
        generic.engine.dispose()


def test_sqlite_fast_path_stores_dates_as_iso_text_and_flags_as_integers(tmp_path):
    ctx = imported(tmp_path, "fast.sqlite3")
    with ctx.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT commitment, commitment_on, is_principal, registered_on, cancel_reason, updated_at "
                "FROM registrations ORDER BY id LIMIT 1"
            )
        ).one()
        birth = conn.execute(text("SELECT birth_date FROM persons WHERE id_number = :i"), {"i": LIN}).scalar()
    ctx.engine.dispose()
    assert tuple(row[:5]) == (1, "2026-01-05", 0, "2026-11-23", "") and row[5] is not None
    assert birth == "1985-02-03"


def many_rows(count: int) -> list[list]:
    """`count` valid minimal rows (name, code, ID, institution) for people born on successive days of 1990."""
    out = []
    for i in range(count):
        idn = make_id_number("445202", date(1990, 1, 1) + timedelta(days=i), 5, "女")
        out.append(["林秀英", f"D445202{700000 + i:06d}", idn, None, None, None, None, H1])
    return out


def test_a_large_roster_read_against_a_small_database_still_finds_known_names_and_codes(tmp_path):
    # 600 rows > CHUNK: the look-ups read the (smaller) tables whole instead of batching IN (...) queries.
    ctx = signed_in(build_context(f"sqlite:///{tmp_path / 'small.sqlite3'}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    _rid, zeng = add_person(ctx, H1, "曾志伟", seq=11, code="D445202000011")
    rows = many_rows(600)
    rows[100][2] = zeng  # known ID number, other name
    rows[200][1] = "D445202000011"  # Zeng's code on someone else
    preview = preview_import(ctx, "personnel", roster(rows), "名册.xlsx")
    ctx.engine.dispose()
    errors = sorted((p.row, p.column) for p in preview.problems if p.severity == "error")
    assert errors == [(102, "姓名"), (202, "医保相关人员代码")]
    assert preview.counts == {"new": 598, "changed": 0, "unchanged": 0, "rejected": 2}


def test_paused_gc_turns_the_collector_back_on_only_when_it_was_on():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def index_sql(ctx) -> dict[str, str]:
    """Name → CREATE INDEX text of every named index on persons and registrations."""
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('persons', 'registrations')"
            )
        ).all()
    return dict(rows)


def test_a_bulk_import_rebuilds_the_secondary_indexes_exactly_as_they_were(tmp_path, monkeypatch):
    monkeypatch.setattr(roster_bulk, "BULK_REINDEX_ROWS", 2)
    ctx = signed_in(build_context(f"sqlite:///{tmp_path / 'bulk.sqlite3'}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    before = index_sql(ctx)
    preview = preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx")
    commit_import(ctx, preview)
    after = index_sql(ctx)
    with ctx.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM registrations INDEXED BY ix_registrations_person_code "
                "WHERE person_code = 'D445202700001'"
            )
        ).scalar()
    ctx.engine.dispose()
    assert len(before) == 6 and {"ix_registrations_person_code", "uq_registrations_active_person_institution"} <= set(
        before
    )
    assert after == before and found == 1


def test_a_failed_bulk_import_leaves_the_persons_indexes_and_no_persons(tmp_path, monkeypatch):
    monkeypatch.setattr(roster_bulk, "BULK_REINDEX_ROWS", 2)

    def fail(conn, values):
        raise RuntimeError("disk full")

    ctx = signed_in(build_context(f"sqlite:///{tmp_path / 'failed.sqlite3'}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    before = index_sql(ctx)
    preview = preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx")
    monkeypatch.setattr(roster_personnel, "_insert_registrations", fail)
    with pytest.raises(RuntimeError):
        commit_import(ctx, preview)
    after = index_sql(ctx)
    ctx.engine.dispose()
    assert after == before and stored(ctx, "persons") == []


def test_cells_after_a_thousand_unique_ids_are_still_checked_one_by_one():
    # past the first block the ID column stops caching (its values never repeat); errors must still show
    rows = many_rows(1100)
    rows[1048][2] = rows[1048][2][:17] + ("0" if rows[1048][2][17] != "0" else "1")  # Excel row 1050
    rows[1058][0] = "  "  # Excel row 1060
    read = read_roster("personnel", roster(rows))
    errors = [(p.row, p.column, p.message) for p in read.problems if p.severity == "error"]
    assert errors == [
        (1050, "身份证件号码", "身份证件号码校验位错误，请核对号码（可能有数字输错）"),
        (1060, "姓名", "“姓名”不能为空"),
    ]
    assert len(read.rows) == 1100 and read.rows[1099]["id_number"] == rows[1099][2]


def test_a_boolean_cell_and_a_number_one_in_the_same_column_are_parsed_apart():
    rows = many_rows(3)
    for row in rows:
        row.extend([None] * 7)
    rows[0][14], rows[1][14], rows[2][14] = True, 1, "是"
    read = read_roster("personnel", roster(rows))
    errors = [(p.row, p.column) for p in read.problems if p.severity == "error"]
    assert errors == [(3, "是否签订承诺书")]
    assert [r["commitment_signed"] for r in read.rows] == [True, None, True]


def test_a_second_connection_cannot_take_person_ids_while_an_import_commits(tmp_path, monkeypatch):
    # commit_import locks the file before reading max(id): another writer waits (here: gives up) instead of
    # taking an id the import is about to use
    import sqlite3

    path = tmp_path / "race.sqlite3"
    ctx = signed_in(build_context(f"sqlite:///{path}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    preview = preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx")
    outcome = []
    real_initials = roster_personnel.initials_key

    def meanwhile(name):
        if not outcome:
            other = sqlite3.connect(path, timeout=0.2)
            try:
                other.execute(
                    "INSERT INTO persons (id_number, name, name_initials, birth_date, sex, phone, status, "
                    "version) VALUES ('x', 'y', '', '1980-01-01', '男', '', 'active', 1)"
                )
                other.commit()
                outcome.append("inserted")
            except sqlite3.OperationalError as exc:
                outcome.append(str(exc))
            finally:
                other.close()
        return real_initials(name)

    monkeypatch.setattr(roster_personnel, "initials_key", meanwhile)
    counts = commit_import(ctx, preview)
    ctx.engine.dispose()
    assert outcome == ["database is locked"] and counts["new"] == 3
