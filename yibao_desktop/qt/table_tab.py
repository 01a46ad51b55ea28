"""Shared behaviour of the data tabs: load rows in the background, search, filters, sort, export, layout memory."""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QWidget

from . import layout_memory
from .table_model import ROW_ROLE, Column, RowTableModel, show_model
from .uiload import child, load_ui

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

Predicate = Callable[[Any, Any], bool]


class TableTab(QObject):
    """One tab = one .ui file + this view class; subclasses name columns, filters, loader and actions."""

    selection_changed = Signal(object)
    activated = Signal(object)  # double-click / Enter on a row: its DTO (the tab's actions object acts on it)
    ui_name = ""
    key = ""
    empty_text = "暂无数据。"
    first_page = 0

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent)
        self.window = window
        self.widget = load_ui(self.ui_name, parent)
        self.table: QTableView = child(self.widget, QTableView, "table")
        self.search: QLineEdit = child(self.widget, QLineEdit, "search")
        self.count: QLabel = child(self.widget, QLabel, "count")
        self.empty: QLabel = child(self.widget, QLabel, "empty")
        # why the tab's buttons are greyed for the signed-in role (role_gate fills it), above the buttons
        self.role_note = QLabel(self.widget)
        self.role_note.setObjectName("role_note")
        self.role_note.setWordWrap(True)
        self.role_note.setStyleSheet("color: #7d5a00; background: #fff8e1; padding: 3px 6px;")
        self.role_note.hide()
        top = self.widget.layout()
        if top is not None:
            top.insertWidget(1, self.role_note)
        self.model = RowTableModel(self.columns(), self)
        show_model(self.table, self.model)
        vh = self.table.verticalHeader()
        vh.setDefaultSectionSize(24)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: a reset stays O(visible rows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        # Qt's default indicator is descending; a first-time clerk expects the first column A→Z / oldest first
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.all_rows: list[Any] = []
        self._complete = False
        self._last_search: tuple[str, list[Any], list[str]] = ("", [], [])
        self._keys: list[str] = []
        self.filters: dict[str, tuple[QComboBox, Predicate]] = {}
        self.search.textChanged.connect(self.apply_filter)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._resort)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.data(ROW_ROLE)))
        self.table.installEventFilter(self)  # keyboard users open a row with Enter
        self.search.returnPressed.connect(self.table.setFocus)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.selection_changed.emit(cur.data(ROW_ROLE) if cur.isValid() else None)
        )
        self.setup()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        """Enter on the table opens the current row (a filter, not a shortcut: dialogs keep their Enter)."""
        if (
            obj is self.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_row(self.current_row())
            return True
        return False

    # -- for subclasses
    def columns(self) -> list[Column]:
        """Column definitions."""
        raise NotImplementedError

    def setup(self) -> None:
        """Connect buttons, add filters."""

    def load_rows(self, ctx: AppContext, limit: int | None = None) -> list[Any]:
        """Fetch rows through a service (runs in a worker thread); `limit` for the first page."""
        raise NotImplementedError

    def open_row(self, row: Any) -> None:
        """Double-click / Enter on a row: tell the tab's actions."""
        if row is not None:
            self.activated.emit(row)

    def filter_items(self, rows: list[Any]) -> None:
        """Refill filter combos from the loaded rows."""

    # -- shared
    def button(self, name: str) -> QPushButton:
        """A named button of the tab."""
        return child(self.widget, QPushButton, name)

    def add_filter(self, name: str, predicate: Predicate) -> QComboBox:
        """Register a filter combo (item data = value; None = all)."""
        combo = child(self.widget, QComboBox, name)
        combo.currentIndexChanged.connect(self.apply_filter)
        self.filters[name] = (combo, predicate)
        return combo

    def set_filter_values(self, name: str, values: list[tuple[Any, str]]) -> None:
        """Fill a filter combo, keeping the chosen value if it still exists."""
        combo = self.filters[name][0]
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部", None)
        for v, label in values:
            combo.addItem(label, v)
        i = combo.findData(current)
        combo.setCurrentIndex(i if i >= 0 else 0)
        combo.blockSignals(False)

    def refresh(self) -> None:
        """Reload rows in the background; the newest request wins. Big tables paint a first page first."""
        ctx = self.window.ctx
        if ctx is None:
            return
        self.count.setText("正在读取…")
        self._complete = False
        if self.first_page:
            self.window.runner.start(
                f"{self.key}-first", lambda _p, _c: self.load_rows(ctx, self.first_page), on_result=self._first_rows
            )
        self.window.runner.start(
            self.key,
            lambda _p, _c: self.load_rows(ctx),
            on_result=self._all_rows,
            on_error=lambda m: self.window.show_error("读取失败", m),
        )

    def _first_rows(self, rows: list[Any]) -> None:
        if not self._complete:
            self.set_all_rows(rows)
            self.count.setText(f"已显示前 {len(rows)} 条，正在读取全部…")

    def _all_rows(self, rows: list[Any]) -> None:
        self._complete = True
        self.set_all_rows(rows)

    def set_all_rows(self, rows: list[Any]) -> None:
        """Rows arrived: sort once, refill filters and show."""
        self.all_rows = list(rows)
        self.model.sort_list(self.all_rows)
        self._index_keys()
        self.filter_items(rows)
        self.apply_filter()

    def _resort(self, *_args) -> None:
        """The clerk sorted a column: keep the full list in that order so filtering never re-sorts."""
        self.model.sort_list(self.all_rows)
        self._index_keys()

    def _index_keys(self) -> None:
        """Fresh copies of the search keys in display order: a scan then walks memory in order (≈8× faster
        at 100k rows than following sorted row objects scattered over the heap)."""
        self._keys = [r.search + " " for r in self.all_rows]
        self._last_search = ("", [], [])

    def visible_rows(self) -> list[Any]:
        """Rows matching search and filters (what the table shows, what export writes)."""
        q = self.search.text().strip().lower()
        active = [(c.currentData(), p) for c, p in self.filters.values() if c.currentData() is not None]
        rows = self.all_rows
        if q:
            last_q, last_rows, last_keys = self._last_search
            # typing on: the new query extends the last one, so only its matches need checking
            base, keys = (last_rows, last_keys) if last_q and q.startswith(last_q) else (self.all_rows, self._keys)
            mask = [q in k for k in keys]
            rows, keys = list(compress(base, mask)), list(compress(keys, mask))
            self._last_search = (q, rows, keys)
        for value, pred in active:
            rows = [r for r in rows if pred(r, value)]
        return rows

    def apply_filter(self, *_args) -> None:
        """Filter in Python and reset the model (fast at 100k rows, unlike QSortFilterProxyModel)."""
        keep = self.row_key(self.current_row())
        rows = self.visible_rows()
        self.model.set_rows(rows if rows is not self.all_rows else list(rows), presorted=True)
        if keep is not None:
            self.select_key(keep)
        self.count.setText(
            f"共 {len(rows)} 条" + (f"（全部 {len(self.all_rows)} 条）" if len(rows) != len(self.all_rows) else "")
        )
        if not self.all_rows:
            self.empty.setText(self.empty_text)
        elif not rows:
            self.empty.setText("没有符合条件的记录：请减少搜索字词或把筛选改为“全部”。")
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))

    def row_key(self, row: Any | None) -> Any | None:
        """What identifies a row across reloads (its record id)."""
        return getattr(row, "id", None) if row is not None else None

    def select_key(self, key: Any) -> bool:
        """Select the row with this key again (after a save the same row stays selected and its details reload)."""
        for i, r in enumerate(self.model.rows):
            if self.row_key(r) == key:
                self.table.selectRow(i)
                self.table.setCurrentIndex(self.model.index(i, 0))
                return True
        return False

    def current_row(self) -> Any | None:
        """The selected DTO."""
        idx = self.table.currentIndex()
        return idx.data(ROW_ROLE) if idx.isValid() else None

    def export_rows(self) -> tuple[list[str], list[list[Any]]]:
        """Headers and values of what is shown, for Excel export."""
        cols = self.model.columns
        return [c.header for c in cols], [[c.get(r) for c in cols] for r in self.model.rows]

    def save_layout(self, scope: str) -> None:
        """Remember the column widths (per database)."""
        layout_memory.save_header(scope, self.key, self.table.horizontalHeader())

    def restore_layout(self, scope: str) -> None:
        """Column widths, order and sort as last left with this database."""
        layout_memory.restore_header(scope, self.key, self.table.horizontalHeader())

    def show_filtered(self, filters: dict) -> None:
        """Show what a 工作台 tile counted: search cleared, the named filters set, every other filter 全部."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for name, (combo, _pred) in self.filters.items():
            combo.blockSignals(True)
            i = combo.findData(filters[name]) if name in filters else 0
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)
        self.apply_filter()

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
