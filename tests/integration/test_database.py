"""The database: migrations from empty and from an older file (with a backup), schema = models, settings."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.builders import signed_in
from yibao_desktop.adapters.db import migrate
from yibao_desktop.adapters.db.engine import make_engine
from yibao_desktop.adapters.db.models import Base
from yibao_desktop.bootstrap import build_context
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services.settings import save_settings


def current_revision(engine) -> str | None:
    """The database's Alembic revision (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine) -> str | None:
    """The newest revision among the shipped migration scripts."""
    return ScriptDirectory.from_config(migrate.alembic_config(engine)).get_current_head()


def test_a_new_database_is_migrated_to_head_and_matches_the_models(ctx):
    assert current_revision(ctx.engine) == head_revision(ctx.engine) == migrate.HEAD_REVISION
    with ctx.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_an_older_sqlite_file_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    ctx = signed_in(build_context(str(path)))
    backup = ctx.extras["backup"]
    assert current_revision(ctx.engine) == migrate.HEAD_REVISION == head_revision(ctx.engine)
    with sqlite3.connect(backup) as con:
        assert con.execute("select version_num from alembic_version").fetchone() == ("0001",)


def test_applications_evaluated_before_the_verification_records_are_their_first_round(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        for n, evaluated in ((1, "2026-05-20"), (2, None)):
            conn.exec_driver_sql(
                "INSERT INTO applications (id, version, applicant_name, credit_code, kind, received_on, materials, "
                "result, reasons, state, evaluated_on) VALUES (?, 1, ?, '', 'clinic', '2026-04-01', '', '', '', "
                "'accepted', ?)",
                (n, f"诊所{n}", evaluated),
            )
        command.upgrade(cfg, "0005")
        rounds = conn.exec_driver_sql("SELECT id, evaluation_round FROM applications ORDER BY id").all()
        assert [tuple(r) for r in rounds] == [(1, 1), (2, 0)]
        assert conn.exec_driver_sql("SELECT count(*) FROM application_checks").scalar() == 0
    engine.dispose()


def test_the_stored_materials_text_becomes_one_row_per_item_with_its_arrival(tmp_path):
    import json

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(engine)
    form, forecast = "广东省医疗保障定点医疗机构申请表", "纳入定点后使用医疗保障基金的预测性分析报告"
    licence = "医疗机构执业许可证、中医诊所备案证或军队医疗机构为民服务许可证复印件"
    supplemented = json.dumps(
        {"present": [form, licence, forecast], "requested": [forecast], "deadline": "2026-10-20"}, ensure_ascii=False
    )
    waiting = json.dumps({"present": [licence], "requested": [form], "deadline": None}, ensure_ascii=False)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        for n, materials, done in ((1, supplemented, "2026-10-15"), (2, waiting, None)):
            conn.exec_driver_sql(
                "INSERT INTO applications (id, version, applicant_name, credit_code, kind, received_on, materials, "
                "result, reasons, state, supplement_notice_on, supplement_received_on) VALUES "
                "(?, 1, ?, '', 'clinic', '2026-10-08', ?, '', '', 'supplement', '2026-10-09', ?)",
                (n, f"诊所{n}", materials, done),
            )
        command.upgrade(cfg, "0007")
        rows = conn.exec_driver_sql(
            "SELECT application_id, item, at_intake, requested, received_on "
            "FROM application_materials ORDER BY application_id, id"
        ).all()
        first = {r[1]: tuple(r[2:]) for r in rows if r[0] == 1}
        assert first["application_form"] == (1, 0, "2026-10-08")
        assert first["fund_forecast"] == (0, 1, "2026-10-15")
        assert first["management_rules"] == (0, 0, None)
        second = {r[1]: tuple(r[2:]) for r in rows if r[0] == 2}
        assert second["application_form"] == (0, 1, None) and second["licence"] == (1, 0, "2026-10-08")
        deadlines = conn.exec_driver_sql("SELECT supplement_deadline FROM applications ORDER BY id").all()
        assert [d[0] for d in deadlines] == ["2026-10-20", None]
        command.downgrade(cfg, "0006")
        back = conn.exec_driver_sql("SELECT materials FROM applications WHERE id = 2").scalar()
        assert json.loads(back) == {"present": [licence], "requested": [form], "deadline": None}
    engine.dispose()


def test_sqlite_runs_with_foreign_keys_and_wal(ctx):
    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("SQLite only")
    with ctx.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_database_on_a_network_share_is_refused_with_a_pointer_to_postgresql():
    with pytest.raises(DomainError, match="PostgreSQL"):
        make_engine("sqlite:////" + "/server/share/yibao.sqlite3")


def test_the_office_2027_holiday_table_removes_the_missing_schedule_warning(ctx):
    from datetime import date

    assert ctx.calendar.deadline(date(2026, 12, 28), 5).warning
    save_settings(ctx, replace(ctx.settings, holiday_table="2027-01-01~2027-01-03 休\n2027-01-04 班"))
    dl = ctx.calendar.deadline(date(2026, 12, 28), 5)
    assert (dl.due, dl.warning) == (date(2027, 1, 5), None)
    again = build_context(str(ctx.engine.url.database)) if ctx.engine.url.get_backend_name() == "sqlite" else None
    if again is not None:
        assert again.settings.holiday_table.startswith("2027-01-01")


def test_a_bad_holiday_line_is_refused_naming_the_line(ctx):
    with pytest.raises(DomainError, match="第2行"):
        save_settings(ctx, replace(ctx.settings, holiday_table="2027-01-01 休\n2027-13-01 休"))


def test_a_second_program_on_the_same_sqlite_file_is_refused(tmp_path):
    import subprocess
    import sys

    from yibao_desktop.adapters.db.lock import DatabaseLock

    db = tmp_path / "one.sqlite3"
    lock = DatabaseLock(db).acquire()
    code = (
        "import sys; from pathlib import Path; from yibao_desktop.adapters.db.lock import DatabaseLock\n"
        "try:\n    DatabaseLock(Path(sys.argv[1])).acquire()\nexcept Exception as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True).stdout
    assert "正被另一个" in out
    lock.release()
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True).stdout
    assert out == ""


def test_duplicate_active_registrations_left_by_old_races_are_cancelled_by_the_upgrade(tmp_path):
    from tests.builders import add_institution, add_person

    path = tmp_path / "dups.sqlite3"
    ctx = signed_in(build_context(str(path)))
    add_institution(ctx)
    add_person(ctx)
    cfg = migrate.alembic_config(ctx.engine)
    with ctx.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        conn.exec_driver_sql(
            "INSERT INTO registrations (person_id, institution_id, person_code, region_code, "
            "practice_type, practice_category, practice_scope, title, status, commitment, "
            "is_principal, registered_on, cancel_reason, year_points, version) SELECT person_id, "
            "institution_id, person_code, region_code, practice_type, practice_category, "
            "practice_scope, title, status, commitment, is_principal, registered_on, cancel_reason, "
            "year_points, version FROM registrations"
        )
    ctx.engine.dispose()
    again = signed_in(build_context(str(path)))
    with again.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, cancelled_on IS NULL, cancel_reason FROM registrations ORDER BY id"
        ).fetchall()
    assert [r[1] for r in rows] == [1, 0] and "重复" in rows[1][2]
    with pytest.raises(DomainError, match="已在"):
        add_person(again)


def test_the_stored_claim_lines_give_way_to_check_runs_and_findings(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(engine)
    from alembic.script import ScriptDirectory

    script = next(
        s for s in ScriptDirectory.from_config(cfg).walk_revisions() if s.path.endswith("_settlement_check_runs.py")
    )  # its number moves as others land theirs
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, script.down_revision)
        conn.exec_driver_sql(
            "INSERT INTO claim_lines (claim_id, institution_code, person_code, id_number, "
            "service_date, fund_fen, emergency) VALUES ('C1', 'H44520200001', '', '', '2026-10-01', "
            "100, 0)"
        )
        command.upgrade(cfg, script.revision)
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "claim_lines" not in tables
        assert {"claim_check_runs", "claim_findings", "claim_mappings"} <= tables
        command.downgrade(cfg, script.down_revision)
        assert conn.exec_driver_sql("SELECT count(*) FROM claim_lines").scalar() == 0
    engine.dispose()
