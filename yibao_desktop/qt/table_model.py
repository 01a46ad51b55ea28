"""One QAbstractTableModel for all row-DTO tables: columns as data, sorting and filtering in Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QToolTip

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_INDEX = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: header, how to get the shown value, optional sort key and colour."""

    header: str
    get: Callable[[Any], Any]
    width: int = 100
    sort: Callable[[Any], Any] | None = None
    align_right: bool = False
    color: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str | None] | None = None


def shown(value: Any) -> str:
    """Display text of a value (dates ISO, booleans 是/否, None blank)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# room beside a header's text for the sort arrow and the section's padding
HEADER_PADDING = 30


class FullTextTips(QStyledItemDelegate):
    """A cell cut off by its column (…) shows its full text as tooltip; a column's own tooltip comes first."""

    def tip(self, view: QAbstractItemView, index: QModelIndex) -> str | None:
        """The tooltip of a cell as the view shows it now (None: the whole text is in view)."""
        own = index.data(Qt.ItemDataRole.ToolTipRole)
        if own:
            return own
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        room = view.visualRect(index).width() - 8  # the cell's text margins
        return text if text and QFontMetrics(view.font()).horizontalAdvance(text) > room else None

    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = self.tip(view, index)
        if text:
            QToolTip.showText(event.globalPos(), text, view)
        else:
            QToolTip.hideText()
        return True


def show_model(view: QAbstractItemView, model: RowTableModel) -> None:
    """Put a row model into a table: each column at least as wide as its header (with the sort arrow), a cut-off
    cell's full text as its tooltip."""
    view.setModel(model)
    metrics = QFontMetrics(view.font())
    for i, col in enumerate(model.columns):
        view.setColumnWidth(i, max(col.width, metrics.horizontalAdvance(col.header) + HEADER_PADDING))
    view.setItemDelegate(FullTextTips(view))


class RowTableModel(QAbstractTableModel):
    """Rows are frozen DTOs; `set_rows` resets; sort() sorts the Python list by native values."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[Any], presorted: bool = False) -> None:
        """Replace the rows, keeping the clerk's sort order (skip sorting when the caller kept it)."""
        self.beginResetModel()
        self.rows = rows if presorted else list(rows)
        if self._sort is not None and not presorted:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def sort_list(self, rows: list[Any]) -> None:
        """Sort a list in place by the current sort column (filtering a sorted list keeps it sorted)."""
        if self._sort is not None:
            self._apply_sort(*self._sort, rows)

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (
            role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and orientation == Qt.Orientation.Horizontal
        ):
            return self.columns[section].header
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(col.get(row))
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return (col.sort or col.get)(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip(row) if col.tooltip is not None else None  # cut-off text: FullTextTips
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            colour = col.color(row)
            return QBrush(QColor(colour)) if colour else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by the column's native value (numbers as numbers, dates as dates)."""
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder, rows: list[Any] | None = None) -> None:
        rows = self.rows if rows is None else rows
        col = self.columns[column]
        key = col.sort or col.get

        def safe(row):
            v = key(row)
            return (v is None, v if v is not None else 0)

        try:
            rows.sort(key=safe, reverse=order == Qt.SortOrder.DescendingOrder)
        except TypeError:
            rows.sort(key=lambda r: shown(key(r)), reverse=order == Qt.SortOrder.DescendingOrder)

    def row_at(self, row: int) -> Any:
        """The DTO shown in a row."""
        return self.rows[row]
