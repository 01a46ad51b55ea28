"""The template / import / export commands of the CLI on a real database file: exit codes, reports, dry run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution
from tests.integration.test_rosters import GOOD, LIN, person, roster
from yibao_desktop.adapters.db.models import Registration
from yibao_desktop.cli import run

ROOT = Path(__file__).resolve().parents[2]


def registrations(ctx) -> int:
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Registration))


@pytest.fixture
def db(ctx, db_url, cli_user):
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    add_institution(ctx, "H44520200002", "榕城区中医医院", kind="tcm_hospital")
    return db_url


def test_template_command_writes_the_personnel_template_with_the_exact_headers(db, tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    assert run(["--db", db, "template", "personnel", str(out)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out)["人员登记备案名册"]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "医保相关人员代码", "身份证件号码"]
    assert "模板已写入" in capsys.readouterr().out


def test_a_clean_file_imports_with_exit_0_and_a_chinese_summary(ctx, db, tmp_path, capsys):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", GOOD))
    assert run(["--db", db, "import", "personnel", str(path)]) == 0
    out = capsys.readouterr().out
    assert "共 3 行，新增 3，变更 0，不变 0，有错误 0" in out and registrations(ctx) == 3
    assert run(["--db", db, "import", "personnel", str(path)]) == 0
    assert "新增 0，变更 0，不变 3" in capsys.readouterr().out and registrations(ctx) == 3


def test_a_file_with_a_bad_row_exits_1_writes_nothing_and_prints_the_report_path(ctx, db, tmp_path, capsys):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", [*GOOD, person("林秀英", LIN, "D445202000099", "H44520299999")]))
    assert run(["--db", db, "import", "personnel", str(path)]) == 1
    report = tmp_path / "名册.错误报告.xlsx"
    assert f"错误报告：{report}" in capsys.readouterr().out and report.exists()
    assert registrations(ctx) == 0
    assert run(["--db", db, "import", "personnel", str(path), "--accept-valid"]) == 1
    assert registrations(ctx) == 3


def test_dry_run_checks_but_writes_nothing(ctx, db, tmp_path, capsys):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", GOOD))
    assert run(["--db", db, "import", "personnel", str(path), "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().out and registrations(ctx) == 0


def test_export_command_writes_the_roster_that_reimports_unchanged(ctx, db, tmp_path, capsys):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", GOOD))
    run(["--db", db, "import", "personnel", str(path)])
    out = tmp_path / "导出.xlsx"
    assert run(["--db", db, "export", "personnel", str(out)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet.max_row == 4 and sheet["C2"].value in {r["身份证件号码"] for r in GOOD}
    capsys.readouterr()
    assert run(["--db", db, "import", "personnel", str(out)]) == 0
    assert "不变 3" in capsys.readouterr().out


def test_a_renamed_csv_exits_2_with_the_reason_on_stderr(db, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_text("姓名,身份证件号码\n曾志伟,445202198005170011\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "yibao_desktop", "--db", db, "import", "personnel", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "无法导入" in done.stderr and done.stdout == ""
