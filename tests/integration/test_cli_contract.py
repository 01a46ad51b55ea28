"""The CLI contract scripts rely on: --db before or after the subcommand, `--` before odd file names, --version."""

from __future__ import annotations

import pytest

from yibao_desktop import __version__
from yibao_desktop.cli import hoist_global_options, run


def test_db_option_after_the_subcommand_moves_in_front():
    argv = ["import", "personnel", "F.xlsx", "--db", "postgresql+psycopg://u@h/db", "--dry-run"]
    assert hoist_global_options(argv) == [
        "--db",
        "postgresql+psycopg://u@h/db",
        "import",
        "personnel",
        "F.xlsx",
        "--dry-run",
    ]
    assert hoist_global_options(["export", "scores", "o.xlsx", "--db=x.sqlite3"]) == [
        "--db=x.sqlite3",
        "export",
        "scores",
        "o.xlsx",
    ]


def test_arguments_after_a_double_dash_stay_file_names():
    argv = ["import", "personnel", "--", "--db", "-roster.xlsx"]
    assert hoist_global_options(argv) == argv


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as stop:
        run(["--version"])
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_db_given_after_the_subcommand_is_the_database_used(tmp_path, capsys):
    db = tmp_path / "office data.sqlite3"
    assert run(["migrate", "--db", str(db)]) == 0
    assert db.exists()
    assert str(db) in capsys.readouterr().out


def test_a_file_name_starting_with_a_dash_works_after_double_dash(tmp_path, monkeypatch):
    db = tmp_path / "x.sqlite3"
    assert run(["migrate", "--db", str(db)]) == 0
    monkeypatch.chdir(tmp_path)
    assert run(["template", "personnel", "--db", str(db), "--", "-模板.xlsx"]) == 0
    assert (tmp_path / "-模板.xlsx").stat().st_size > 0
