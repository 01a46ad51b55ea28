"""The fast paths of the roster import added for the 100,000-row benchmark give the general path's result: the
whole-block ID number check, the duplicate check written out in the row loop, the planner's checks in one method,
and SQLite's larger page cache during the commit (restored after, also after a failure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import add_institution, add_person, signed_in
from tests.integration.test_import_speedups import H1, many_rows, roster, stored
from yibao_desktop.adapters.excel import read_roster, validator
from yibao_desktop.bootstrap import build_context
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.rosters import bulk as roster_bulk
from yibao_desktop.services.rosters import commit_import, preview_import
from yibao_desktop.services.rosters import personnel as roster_personnel


def _mixed_rows() -> list[list]:
    """2,500 rows over three blocks: clean blocks, and doubtful numbers, duplicates and warnings here and there."""
    rows = many_rows(2500)
    rows[10][2] = rows[10][2][:17] + ("0" if rows[10][2][17] != "0" else "1")  # check digit (block 1)
    rows[1200][2] = " " + rows[1200][2].lower()  # general path trims (block 2)
    rows[2100] = list(rows[2000])  # the same person twice at one institution (block 3)
    rows[2300][2] = make_id_number("445202", date.today() + timedelta(days=1), 5, "女")  # born tomorrow
    rows[2400][2] = make_id_number("999999", date(1990, 6, 1), 5, "女")  # unknown birth place (block 3, a warning)
    rows[2200][1] = rows[2201][1]  # one person code, two persons
    return rows


def _result(read) -> tuple:
    return read.rows, [tuple(p) for p in read.problems], read.total_rows


def test_the_whole_block_id_check_reads_a_roster_exactly_as_the_cell_check(monkeypatch):
    data = roster(_mixed_rows())
    fast = _result(read_roster("personnel", data))
    monkeypatch.setattr(validator, "make_block_parser", lambda key: None)
    general = _result(read_roster("personnel", data))
    assert fast == general
    messages = {(p[0], p[2]) for p in fast[1]}
    assert (12, "身份证件号码校验位错误，请核对号码（可能有数字输错）") in messages
    assert any(row == 2102 and "与第 2002 行重复" in text for row, text in messages)
    assert any(row == 2402 and "999999" in text for row, text in messages)
    assert any(row == 2302 and "晚于今天" in text for row, text in messages)


def test_a_preview_plans_and_reports_the_same_with_and_without_the_whole_block_id_check(tmp_path, monkeypatch):
    ctx = signed_in(build_context(f"sqlite:///{tmp_path / 'plan.sqlite3'}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    _rid, zeng = add_person(ctx, H1, "曾志伟", seq=11, code="D445202000011")
    rows = _mixed_rows()
    rows[100][2] = zeng  # known ID number, other name
    rows[300][1] = "D445202000011"  # Zeng's code on someone else
    rows[400][7] = "H44520299999"  # no such institution
    rows[500][6] = "别的医院"  # another name for the institution: a warning
    rows[600][0] = "林秀"  # the same ID number as row 602 below with another name
    rows[601][2] = rows[600][2]
    data = roster(rows)
    fast = preview_import(ctx, "personnel", data, "名册.xlsx")
    monkeypatch.setattr(validator, "make_block_parser", lambda key: None)
    general = preview_import(ctx, "personnel", data, "名册.xlsx")
    ctx.engine.dispose()
    assert fast.problems == general.problems and fast.counts == general.counts
    assert [(p.action, p.row, p.target) for p in fast.plan] == [(p.action, p.row, p.target) for p in general.plan]
    columns_hit = {(p.row, p.column) for p in fast.problems}
    assert {
        (102, "姓名"),  # the ID number is Zeng's
        (302, "医保相关人员代码"),  # Zeng's code
        (402, "医药机构代码"),
        (502, "医药机构名称"),
        (603, "身份证件号码"),  # the same person at the same institution twice
    } <= columns_hit


def _cache_size(ctx) -> int:
    with ctx.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA cache_size").scalar()


def test_the_commit_runs_with_a_larger_page_cache_and_gives_the_connection_its_own_back(tmp_path, monkeypatch):
    ctx = signed_in(build_context(f"sqlite:///{tmp_path / 'cache.sqlite3'}"))
    ctx.clock = lambda: date(2026, 11, 23)
    add_institution(ctx, H1, "揭阳市人民医院")
    before = _cache_size(ctx)
    seen = []
    insert = roster_personnel._insert_registrations

    def spy(conn, values):
        seen.append(conn.exec_driver_sql("PRAGMA cache_size").scalar())
        insert(conn, values)

    monkeypatch.setattr(roster_personnel, "_insert_registrations", spy)
    commit_import(ctx, preview_import(ctx, "personnel", roster(many_rows(3)), "名册.xlsx"))
    assert seen == [-roster_bulk.BULK_CACHE_KIB] and before != seen[0]
    assert _cache_size(ctx) == before and len(stored(ctx, "registrations")) == 3

    def fail(conn, values):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_personnel, "_insert_registrations", fail)
    with pytest.raises(RuntimeError):
        commit_import(ctx, preview_import(ctx, "personnel", roster(many_rows(5)[3:]), "名册.xlsx"))
    assert _cache_size(ctx) == before and len(stored(ctx, "registrations")) == 3
    ctx.engine.dispose()
