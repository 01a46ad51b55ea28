"""Moves values between form widgets (found by objectName = field name) and plain Python values."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from .fields import DateField

ERROR_STYLE = "color: #c0392b;"


def fill_combo(combo: QComboBox, items: list[tuple[object, str]], blank: str | None = None) -> None:
    """Items as (value, label); an optional blank first item with value None."""
    combo.clear()
    if blank is not None:
        combo.addItem(blank, None)
    for value, label in items:
        combo.addItem(label, value)


def set_value(w: QWidget, value) -> None:
    """Show a Python value in a widget."""
    if isinstance(w, QComboBox):
        i = w.findData(value)
        if i < 0 and w.isEditable():
            w.setEditText("" if value is None else str(value))
        else:
            w.setCurrentIndex(max(i, 0))
    elif isinstance(w, DateField):
        w.setDate(value)
    elif isinstance(w, QLineEdit):
        w.setText("" if value is None else str(value))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText("" if value is None else str(value))
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, QDoubleSpinBox):
        w.setValue(float(value or 0))
    elif isinstance(w, QSpinBox):
        w.setValue(int(value or 0))
    elif isinstance(w, QLabel):
        w.setText("" if value is None else str(value))


def get_value(w: QWidget):
    """Read a widget's value as plain Python (dates as date, combos as their data or typed text); a date field
    holding no date raises DomainError naming its field."""
    if isinstance(w, QComboBox):
        data = w.currentData()
        if w.isEditable() and (data is None or w.currentText() != w.itemText(w.currentIndex())):
            return w.currentText().strip()
        return data
    if isinstance(w, DateField):
        return w.date()
    if isinstance(w, QLineEdit):
        return w.text().strip()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QDoubleSpinBox):
        return w.value()
    if isinstance(w, QSpinBox):
        return w.value()
    if isinstance(w, QLabel):
        return w.text()
    raise TypeError(type(w))


class FormBinder:
    """Field widgets and their error labels (err_<field>) in one loaded dialog."""

    def __init__(self, root: QWidget, fields: list[str]):
        self.root = root
        self.widgets = {f: root.findChild(QWidget, f) for f in fields}
        self.errors = {f: root.findChild(QLabel, f"err_{f}") for f in fields}
        for lab in self.errors.values():
            if lab is not None:
                lab.setStyleSheet(ERROR_STYLE)
        for f, w in self.widgets.items():
            self._watch(f, w)

    def _watch(self, field: str, w: QWidget | None) -> None:
        """A field's message disappears as soon as the clerk changes the field; a date field that holds no date
        says so next to itself when the clerk leaves it."""
        if self.errors.get(field) is None or w is None:
            return
        if isinstance(w, DateField):
            w.invalid.connect(lambda message, f=field: self.show_error(f, message, focus=False))
        signal = next(
            (
                getattr(w, s)
                for s in ("textEdited", "currentIndexChanged", "valueChanged", "textChanged", "toggled")
                if hasattr(w, s)
            ),
            None,
        )
        if signal is not None:
            signal.connect(lambda *_a, f=field: self.clear_error(f))

    def clear_error(self, field: str) -> None:
        """Hide one field's message (it was fixed or changed)."""
        lab = self.errors.get(field)
        if lab is not None and lab.isVisible():
            lab.setText("")
            lab.setVisible(False)

    def load(self, values: dict) -> None:
        """Put values into the widgets."""
        for f, w in self.widgets.items():
            if w is not None and f in values:
                set_value(w, values[f])

    def read(self) -> dict:
        """Values of all bound widgets."""
        return {f: get_value(w) for f, w in self.widgets.items() if w is not None}

    def clear_errors(self) -> None:
        """Hide every error label."""
        for lab in self.errors.values():
            if lab is not None:
                lab.setText("")
                lab.setVisible(False)

    def show_error(self, field: str | None, message: str, fallback: QLabel | None = None, focus: bool = True) -> None:
        """Show a Chinese message under the field at fault (or in the dialog's message line) and focus it."""
        lab = self.errors.get(field or "")
        if lab is None:
            if fallback is not None:
                fallback.setText(message)
                fallback.setStyleSheet(ERROR_STYLE)
            return
        lab.setText(message)
        lab.setVisible(True)
        w = self.widgets.get(field or "")
        if w is not None and focus:
            w.setFocus()
