"""Remembers window geometry, splitter positions and column widths between runs (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter


def settings() -> QSettings:
    """Per-user settings store of the program."""
    return QSettings("yibao-desktop", "yibao-desktop")


def save_window(window: QMainWindow) -> None:
    """Store geometry and toolbar/dock state."""
    s = settings()
    s.setValue("main/geometry", window.saveGeometry())
    s.setValue("main/state", window.saveState())


def restore_window(window: QMainWindow) -> bool:
    """Restore geometry; False on first run."""
    s = settings()
    geo = s.value("main/geometry")
    if geo is None:
        return False
    window.restoreGeometry(geo)
    state = s.value("main/state")
    if state is not None:
        window.restoreState(state)
    return True


def save_header(key: str, header: QHeaderView) -> None:
    """Store column widths and order of a table."""
    settings().setValue(f"header/{key}", header.saveState())


def restore_header(key: str, header: QHeaderView) -> bool:
    """Restore column widths and order; False when none were stored."""
    state = settings().value(f"header/{key}")
    return bool(state is not None and header.restoreState(state))


def save_splitter(key: str, splitter: QSplitter) -> None:
    """Store splitter sizes."""
    settings().setValue(f"splitter/{key}", splitter.saveState())


def restore_splitter(key: str, splitter: QSplitter) -> None:
    """Restore splitter sizes when stored."""
    state = settings().value(f"splitter/{key}")
    if state is not None:
        splitter.restoreState(state)
