"""Right-click on a row: the row's actions — the tab's own buttons (greyed out as they are), its 更多 menu and the
table's extra entries such as 操作记录 — so a clerk acts on the row under the mouse as in WPS."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QPushButton

ROW_BUTTONS = {  # tab key → the buttons that act on the selected row, in menu order
    "personnel": ("btn_score", "btn_notices", "btn_commitment", "btn_cancel"),
    "institutions": ("btn_edit",),
    "agreements": ("btn_event", "btn_history", "btn_print_notice"),
    "appeals": ("btn_advance", "btn_decide", "btn_print"),
}


def build_row_menu(tab) -> QMenu:
    """The menu for the selected row, built as the buttons are now (a button the role may not use stays grey)."""
    menu = QMenu(tab.table)
    for name in ROW_BUTTONS.get(tab.key, ()):
        button = tab.widget.findChild(QPushButton, name)
        if button is None:
            continue
        action = menu.addAction(button.text().replace("&", ""))
        action.setEnabled(button.isEnabled())
        action.setToolTip(button.toolTip())
        action.triggered.connect(button.click)
    more = tab.widget.findChild(QPushButton, "btn_more")
    if more is not None and more.menu() is not None:
        sub = menu.addMenu("更多")
        for action in more.menu().actions():
            sub.addAction(action)
    extra = tab.table.actions()
    if extra:
        menu.addSeparator()
        for action in extra:
            menu.addAction(action)
    menu.setToolTipsVisible(True)
    return menu


def install_row_menu(tab) -> None:
    """Right-click selects the row under the mouse and shows its actions."""
    table = tab.table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def popup(pos: QPoint) -> None:
        index = table.indexAt(pos)
        if not index.isValid():
            return
        table.setCurrentIndex(index)
        build_row_menu(tab).popup(table.viewport().mapToGlobal(pos))

    table.customContextMenuRequested.connect(popup)
