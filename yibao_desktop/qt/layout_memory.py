"""Remembers window geometry, splitter positions and column widths between runs (QSettings), per database: an
office that opens its county database and a test copy gets each one's own layout."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

# Bump when a table's columns change order, so a layout stored for the old columns is not applied to the new.
LAYOUT_VERSION = 2


def settings() -> QSettings:
    """Per-user settings store of the program."""
    return QSettings("yibao-desktop", "yibao-desktop")


def scope_of(db_label: str) -> str:
    """The settings group of one database (its URL hashed: no paths or server names in the key)."""
    digest = hashlib.sha256(db_label.encode("utf-8")).hexdigest()[:16]
    return f"layout{LAYOUT_VERSION}/{digest}"


def save_window(scope: str, window: QMainWindow) -> None:
    """Store geometry and toolbar/dock state."""
    s = settings()
    s.setValue(f"{scope}/main/geometry", window.saveGeometry())
    s.setValue(f"{scope}/main/state", window.saveState())


def restore_window(scope: str, window: QMainWindow) -> bool:
    """Restore geometry; False when this database has none stored yet."""
    s = settings()
    geo = s.value(f"{scope}/main/geometry")
    if geo is None:
        return False
    window.restoreGeometry(geo)
    state = s.value(f"{scope}/main/state")
    if state is not None:
        window.restoreState(state)
    return True


def save_header(scope: str, key: str, header: QHeaderView) -> None:
    """Store column widths and order of a table."""
    settings().setValue(f"{scope}/header/{key}", header.saveState())


def restore_header(scope: str, key: str, header: QHeaderView) -> bool:
    """Restore column widths and order; False when none were stored."""
    state = settings().value(f"{scope}/header/{key}")
    return bool(state is not None and header.restoreState(state))


def save_splitter(scope: str, key: str, splitter: QSplitter) -> None:
    """Store splitter sizes."""
    settings().setValue(f"{scope}/splitter/{key}", splitter.saveState())


def restore_splitter(scope: str, key: str, splitter: QSplitter) -> bool:
    """Restore splitter sizes when stored."""
    state = settings().value(f"{scope}/splitter/{key}")
    return bool(state is not None and splitter.restoreState(state))
