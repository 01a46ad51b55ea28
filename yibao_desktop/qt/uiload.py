"""Loads the Qt Designer layouts in ui/ (QUiLoader everywhere, no generated code) and makes every loaded layout
safe to work in: date fields instead of QDateEdit, no wheel on unfocused inputs, dialogs that fit the screen."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QWidget

from yibao_desktop.paths import ui_dir


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ui/<name>.ui; raises if the file is missing or broken."""
    path = ui_dir() / f"{name}.ui"
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"界面文件缺失：{path}")
    try:
        widget = QUiLoader().load(f, parent)
    finally:
        f.close()
    if widget is None:
        raise RuntimeError(f"界面文件无法加载：{path}")
    prepare(widget)
    return widget


def prepare(widget: QWidget) -> None:
    """Date fields, the wheel guard and (for dialogs) the screen fit on a freshly built widget tree."""
    from .fields import WheelGuard, guard_entry_widgets, replace_date_edits
    from .screen import fit_to_screen

    replace_date_edits(widget)
    guard_entry_widgets(widget, WheelGuard(widget))
    if isinstance(widget, QDialog):
        fit_to_screen(widget)


def child(root: QWidget, cls: type, name: str):
    """A named child widget (raises with the name when the layout lacks it)."""
    w = root.findChild(cls, name)
    if w is None:
        raise LookupError(f"界面缺少控件 {name}")
    return w
