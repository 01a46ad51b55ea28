"""Safe entry widgets: a date field (line edit + the roster import's date parser + a Chinese calendar popup) and
the guard that keeps the mouse wheel away from combo boxes, spin boxes and date fields without focus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from yibao_desktop.domain.dates import parse_date_text
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import region_label


class DateField(QLineEdit):
    """A date typed as 2026-03-01, 2026-3-1, 2026.3.1, 2026年3月1日 or 20260301; empty means no date.

    A click only places the cursor (never changes the value); Alt+↓ / F4 or the button opens a calendar at the
    field's date, or at today when it is empty."""

    dateChanged = Signal(object)  # noqa: N815 - Qt naming, like QDateEdit.dateChanged
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.today: Callable[[], date] = date.today
        self._value: date | None = None
        self.setPlaceholderText("如 2026-03-01")
        self.setMaxLength(20)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.popup_action = QAction(_calendar_icon(), "选择日期（Alt+↓）", self)
        self.popup_action.setToolTip("打开日历选择日期（Alt+↓ 或 F4）")
        self.popup_action.triggered.connect(self.show_calendar)
        self.addAction(self.popup_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._normalise)

    # -- value
    def date(self) -> date | None:
        """The date shown (None when empty); raises DomainError when the text is not a date."""
        text = self.text().strip()
        if not text:
            return None
        try:
            return parse_date_text(text)
        except DomainError as err:
            raise DomainError(err.message, field=self.objectName() or None) from None

    def setDate(self, value: date | QDate | None) -> None:  # noqa: N802 - Qt naming, like QDateEdit.setDate
        """Show a date (a QDate or datetime.date; None or an invalid QDate clears the field)."""
        if isinstance(value, QDate):
            value = date(value.year(), value.month(), value.day()) if value.isValid() else None
        self.setText(value.isoformat() if value else "")
        self._emit_if_changed(value)

    def _emit_if_changed(self, value: date | None) -> None:
        if value != self._value:
            self._value = value
            self.dateChanged.emit(value)

    def _typed(self, _text: str) -> None:
        try:
            value = self.date()
        except DomainError:
            return  # still typing: judged when the clerk leaves the field
        self._emit_if_changed(value)

    def _normalise(self) -> None:
        """Leaving the field: show the date the standard way, or say what is wrong with the text."""
        try:
            value = self.date()
        except DomainError as err:
            self.invalid.emit(err.message)
            return
        if value is not None and self.text() != value.isoformat():
            self.setText(value.isoformat())
        self._emit_if_changed(value)

    # -- keyboard and calendar
    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Alt+↓ and F4 open the calendar, as in a combo box."""
        alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> QCalendarWidget:
        """A Chinese month calendar under the field, opened at the field's date or today."""
        if self.calendar is None:
            popup = QWidget(self, Qt.WindowType.Popup)
            layout = QVBoxLayout(popup)
            layout.setContentsMargins(0, 0, 0, 0)
            cal = QCalendarWidget(popup)
            cal.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))  # 十一月, 周一 … on any system
            cal.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            cal.setGridVisible(True)
            cal.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            layout.addWidget(cal)
            cal.clicked.connect(self._picked)
            cal.activated.connect(self._picked)
            self.calendar = cal
        try:
            current = self.date() or self.today()
        except DomainError:
            current = self.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        popup = self.calendar.parentWidget()
        popup.adjustSize()
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        popup.show()
        self.calendar.setFocus()
        return self.calendar

    def _picked(self, qdate: QDate) -> None:
        self.setDate(qdate)
        self.calendar.parentWidget().hide()
        self.setFocus()


def _calendar_icon() -> QIcon:
    """A small calendar sheet (16 px), drawn so no icon file is needed."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setPen(QColor("#4a5a6a"))
    p.drawRect(1, 2, 13, 12)
    p.fillRect(2, 3, 12, 3, QColor("#2e86c1"))
    for x in (4, 7, 10):
        for y in (8, 11):
            p.fillRect(x, y, 2, 2, QColor("#4a5a6a"))
    p.end()
    return QIcon(pix)


class WheelGuard(QObject):
    """Combo and spin boxes and date fields take the wheel only when they have focus; otherwise the notch scrolls
    the form they sit in (one wheel notch while scrolling must never change 情节, points or a date)."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.Wheel or not isinstance(obj, QWidget) or obj.hasFocus():
            return False
        area = _scroll_area_of(obj)
        if area is not None:
            QApplication.sendEvent(area.verticalScrollBar(), event)
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def replace_date_edits(root: QWidget) -> list[DateField]:
    """Swap every QDateEdit of a loaded layout for a DateField of the same name, tooltip and place."""
    out = []
    for old in root.findChildren(QDateEdit):
        parent = old.parentWidget()
        new = DateField(parent)
        new.setObjectName(old.objectName())
        new.setToolTip(old.toolTip())
        new.setEnabled(old.isEnabled())
        layout = parent.layout() if parent is not None else None
        item = layout.replaceWidget(old, new) if layout is not None else None
        if item is None:
            new.setGeometry(old.geometry())
        if old.hasFocus():
            new.setFocus()
        old.setParent(None)
        old.deleteLater()
        out.append(new)
    return out


def guard_entry_widgets(root: QWidget, guard: WheelGuard) -> None:
    """StrongFocus (no focus by wheel) and the wheel guard on every combo, spin box and date field under root."""
    for w in [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox), *root.findChildren(DateField)]:
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        w.installEventFilter(guard)


def shortcut_text(action: QAction) -> str:
    """The action's shortcut as the clerk reads it (for tooltips)."""
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def show_region_name(edit: QLineEdit) -> QLabel:
    """A line under a 区划 field naming the county of the code typed (445203 → 揭东区, GB/T 2260); its room is
    kept while empty, so the form does not move as the name appears."""
    label = QLabel(edit.parentWidget())
    label.setObjectName(f"{edit.objectName()}_name")
    label.setStyleSheet("color: #4a5a6a;")
    label.setMinimumHeight(label.fontMetrics().lineSpacing() + 2)
    layout = edit.parentWidget().layout() if edit.parentWidget() is not None else None
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(layout.indexOf(edit) + 1, label)

    def update(text: str) -> None:
        code = text.strip()
        named = region_label(code)
        label.setText(named[len(code) + 1 :] if named != code else ("（未知区划）" if len(code) == 6 else ""))

    edit.textChanged.connect(update)
    update(edit.text())
    return label
