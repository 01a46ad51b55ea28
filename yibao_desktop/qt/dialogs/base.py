"""A form dialog loaded from ui/: OK runs the service; a DomainError shows next to its field, nothing is lost."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from yibao_desktop.domain.errors import DomainError

from .. import ask
from ..binding import FormBinder
from ..fields import DateField
from ..uiload import child, load_ui


class FormDialog(QObject):
    """Subclasses set ui_name and fields, fill choices in setup(), and implement submit(values)."""

    saved = Signal(object)
    ui_name = ""
    fields: list[str] = []

    def __init__(self, window, **kwargs):
        super().__init__(window.qwindow)
        self.window = window
        self.ctx = window.ctx
        self.kwargs = kwargs
        self.dialog: QDialog = load_ui(self.ui_name, window.qwindow)
        self.form = FormBinder(self.dialog, self.fields)
        for field in self.dialog.findChildren(DateField):
            field.today = self.ctx.today  # the calendar of an empty field opens at the office's today
        self.message: QLabel = child(self.dialog, QLabel, "message")
        self.buttons: QDialogButtonBox = child(self.dialog, QDialogButtonBox, "buttons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("保存")
        ok.setDefault(True)  # Enter anywhere in the form saves: keyboard-only entry
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ok.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        self.setup()

    def setup(self) -> None:
        """Fill combos and initial values."""

    def show_row(self, name: str, shown: bool) -> None:
        """Show or hide the form row of field `name`, its label with it (a step or kind that does not ask it)."""
        box = self.dialog.findChild(QWidget, f"box_{name}")
        for form in self.dialog.findChildren(QFormLayout):
            if form.indexOf(box) >= 0:
                form.setRowVisible(box, shown)

    def confirmation(self, values: dict) -> str | None:
        """A summary the clerk must confirm before an action that cannot simply be undone (None: no question)."""
        return None

    def submit(self, values: dict):
        """Call the service; return what `saved` carries. Raise DomainError to keep the dialog open."""
        raise NotImplementedError

    def accept(self) -> None:
        """Validate through the service; on success close, else show the message at its field."""
        self.form.clear_errors()
        self.message.setText("")
        try:
            values = self.form.read()
            question = self.confirmation(values)
            if question and not ask.confirm(self.dialog, self.dialog.windowTitle(), question):
                return
            result = self.submit(values)
        except DomainError as err:
            self.form.show_error(err.field, err.message, fallback=self.message)
            if err.field not in self.form.errors or self.form.errors.get(err.field) is None:
                self.message.setText(err.message)
                self.message.setStyleSheet("color: #c0392b;")
            return
        self.dialog.accept()
        self.saved.emit(result)

    def open(self) -> FormDialog:
        """Show window-modal without blocking (tests drive it through window.last_dialog)."""
        self.window.last_dialog = self
        self.dialog.open()
        first = self.first_field()
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)
        return self

    def first_field(self) -> QWidget | None:
        """The first field the clerk can type into (keyboard-only entry starts there)."""
        for name in self.fields:
            w = self.form.widgets.get(name)
            if (
                w is not None
                and w.isEnabled()
                and not isinstance(w, QLabel)
                and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            ):
                return w
        return None
