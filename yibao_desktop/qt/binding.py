"""Moves values between form widgets (found by objectName = field name) and plain Python values."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
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
# A field's message floats over the form just under the field (the form never moves under the cursor).
BUBBLE_STYLE = (
    "QLabel { color: #a93226; background: #fdedec; border: 1px solid #e6b0aa; border-radius: 3px; padding: 1px 4px; }"
)


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


def _host(widget: QWidget, root: QWidget) -> QWidget:
    """The widget a field's message floats in: the scrolled form (so it scrolls with its field), else the root."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        viewport = parent.parentWidget()
        if viewport is not None and isinstance(viewport.parentWidget(), QAbstractScrollArea):
            return parent
        parent = viewport
    return root


class FormBinder:
    """Field widgets and their error labels (err_<field>) in one loaded dialog.

    A message floats just under its field, over the rows below (a bubble that lets clicks through): showing or
    hiding it never moves a field, so the form does not jump under the clerk's cursor."""

    def __init__(self, root: QWidget, fields: list[str]):
        self.root = root
        self.widgets = {f: root.findChild(QWidget, f) for f in fields}
        self.errors = {f: root.findChild(QLabel, f"err_{f}") for f in fields}
        for f, lab in self.errors.items():
            if lab is not None and self.widgets.get(f) is not None:
                self.errors[f] = self._float(lab, self.widgets[f])
            elif lab is not None:
                lab.setStyleSheet(ERROR_STYLE)
        for w in self.widgets.values():
            if isinstance(w, QLabel) and not w.objectName().startswith("err_"):
                # a read-only line filled later (birth date and sex, the rule's result): room for it from the start
                shown = w.text()
                w.setText("样")
                w.setMinimumHeight(w.sizeHint().height())
                w.setText(shown)
        for f, w in self.widgets.items():
            self._watch(f, w)

    def _float(self, slot: QLabel, field: QWidget) -> QLabel:
        """A message label floating over the form under the field, in place of the layout's own err_ label.

        Made here (a widget the bindings track) rather than moving the layout's label: re-parenting a widget the
        .ui loader made leaves the bindings a stale wrapper when the dialog goes."""
        slot.setObjectName(f"{slot.objectName()}_slot")
        slot.hide()  # stays in the layout, hidden: it takes no room
        bubble = QLabel(_host(field, self.root))
        bubble.setObjectName(slot.objectName().removesuffix("_slot"))
        bubble.setStyleSheet(BUBBLE_STYLE)
        bubble.setWordWrap(True)
        bubble.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        bubble.hide()
        return bubble

    @staticmethod
    def _place(lab: QLabel, field: QWidget | None) -> None:
        if field is None or lab.parentWidget() is None:
            return
        host = lab.parentWidget()
        top_left = field.mapTo(host, QPoint(0, field.height() - 1))
        width = max(field.width(), 160)
        lab.setFixedWidth(width)
        lab.setFixedHeight(lab.heightForWidth(width) if lab.hasHeightForWidth() else lab.sizeHint().height())
        lab.move(top_left)
        lab.raise_()

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
        self._place(lab, self.widgets.get(field or ""))
        w = self.widgets.get(field or "")
        if w is not None and focus:
            w.setFocus()
