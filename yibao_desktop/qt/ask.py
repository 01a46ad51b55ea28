"""Every message box and file dialog goes through here, so tests replace these functions."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


def info(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the clerk something."""
    QMessageBox.information(parent, title, text)


def error(parent: QWidget | None, title: str, text: str) -> None:
    """Show a refusal or failure in Chinese."""
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question, default No."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def save_path(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """Ask where to save; None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def open_path(parent: QWidget | None, title: str, filters: str) -> str | None:
    """Ask which file to open; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path or None


def choose(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """Pick one of several items; None when cancelled."""
    item, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return item if ok else None


def password(parent: QWidget | None, title: str, label: str) -> str | None:
    """Ask for a password (not echoed); None when cancelled."""
    from PySide6.QtWidgets import QLineEdit

    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return value if ok else None


def text(parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
    """Ask for one line of text; None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=default)
    return value if ok else None
