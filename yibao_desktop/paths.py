"""The only place that knows where ui/, forms/, resources/ and the user's data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "yibao-desktop"


def bundle_root() -> Path:
    """Folder holding ui/, forms/, resources/: the PyInstaller bundle, else the source tree or install prefix."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent, here / "_data"):
        if (candidate / "resources").is_dir():
            return candidate
    return here.parent


def ui_dir() -> Path:
    """Qt Designer layouts."""
    return bundle_root() / "ui"


def forms_dir() -> Path:
    """Printable form definitions (TOML)."""
    return bundle_root() / "forms"


def resources_dir() -> Path:
    """Policy profiles, stylesheet, icons."""
    return bundle_root() / "resources"


def translations_dir() -> Path:
    """Qt's Chinese translation copied into the frozen bundle (build.spec); PySide6's own folder otherwise."""
    return bundle_root() / "translations"


def migrations_dir() -> Path:
    """Alembic scripts (inside the package so wheels and bundles carry them)."""
    return Path(__file__).resolve().parent / "adapters" / "db" / "migrations"


def user_data_dir() -> Path:
    """Per-user data folder (database, settings, archived PDFs); YIBAO_DATA_DIR overrides it."""
    override = os.environ.get("YIBAO_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The embedded SQLite database file."""
    return user_data_dir() / "yibao.sqlite3"


def log_dir() -> Path:
    """The rotating log files (tracebacks go there, never in front of the clerk)."""
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _backup_choice_file() -> Path:
    return user_data_dir() / "backup-folder.txt"


def backup_dir() -> Path:
    """Where backups are kept: YIBAO_BACKUP_DIR, else the folder chosen in 备份与恢复, else <user data>/backups
    (never beside the database, which is where a broken disk or a deleted folder would take both)."""
    override = os.environ.get("YIBAO_BACKUP_DIR")
    chosen = _backup_choice_file()
    if override:
        path = Path(override)
    elif chosen.is_file() and chosen.read_text(encoding="utf-8").strip():
        path = Path(chosen.read_text(encoding="utf-8").strip())
    else:
        path = user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def choose_backup_dir(folder: Path | None) -> None:
    """Remember another backup folder on this computer (None: back to the default)."""
    choice = _backup_choice_file()
    if folder is None:
        choice.unlink(missing_ok=True)
    else:
        choice.write_text(str(folder), encoding="utf-8")
