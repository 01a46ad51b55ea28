"""Searchable pickers: a combo box the clerk types into — code, any part of the name or the pinyin initials
(“rmyy” finds 揭阳市人民医院) — and picks from a filtered list, as in WPS's drop-downs."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from yibao_desktop.domain.pinyin import initials_key, normalize_query

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 20


def search_text(label: str) -> str:
    """What a picker item is found by: its label (code and name) and every reading of the name's initials."""
    chinese = "".join(c for c in label if not c.isascii())
    return f"{label.lower()} {initials_key(chinese) if chinese else ''}"


class _Filter(QSortFilterProxyModel):
    """Rows whose search text contains the typed text (or, as ASCII letters/digits, the typed initials)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.typed = ""
        self.ascii = ""

    def set_typed(self, text: str) -> None:
        if not hasattr(self, "beginFilterChange"):  # Qt < 6.10
            self.typed, self.ascii = text.strip().lower(), normalize_query(text)
            self.invalidateFilter()
            return
        self.beginFilterChange()  # Qt ≥ 6.10 deprecates invalidateRowsFilter for this pair
        self.typed, self.ascii = text.strip().lower(), normalize_query(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):  # noqa: N802 - Qt API
        if not self.typed:
            return True
        key = self.sourceModel().index(row, 0, parent).data(SEARCH_ROLE) or ""
        return self.typed in key or (bool(self.ascii) and self.ascii in key)


def make_searchable(combo: QComboBox, placeholder: str = "输入代码、名称或拼音首字母查找") -> QCompleter:
    """Turn a filled combo into a searchable picker; the clerk's pick sets the combo's item (and its data)."""
    model = combo.model()
    for row in range(combo.count()):
        model.setData(model.index(row, 0), search_text(combo.itemText(row)), SEARCH_ROLE)
    current = combo.currentIndex()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText(placeholder)
    proxy = _Filter(combo)
    proxy.setSourceModel(model)
    completer = QCompleter(proxy, combo)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(12)
    combo.setCompleter(completer)
    combo.setCurrentIndex(current)

    def typed(text: str) -> None:
        proxy.set_typed(text)
        if text.strip():
            completer.complete()

    def picked(text: str) -> None:
        i = combo.findText(text, Qt.MatchFlag.MatchExactly)
        if i >= 0:
            combo.setCurrentIndex(i)

    def left() -> None:
        """Leaving the field with one match left: that is the clerk's pick."""
        if combo.findText(combo.currentText(), Qt.MatchFlag.MatchExactly) < 0 and proxy.rowCount() == 1:
            combo.setCurrentIndex(proxy.mapToSource(proxy.index(0, 0)).row())

    combo.lineEdit().textEdited.connect(typed)
    completer.activated[str].connect(picked)
    combo.lineEdit().editingFinished.connect(left)
    combo.setProperty("searchable", True)
    combo.setToolTip((combo.toolTip() + "\n" if combo.toolTip() else "") + placeholder)
    return completer
