"""Form rows at their natural height: a label level with its field's first line, spare height below the form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QPlainTextEdit, QVBoxLayout


def compact_rows(dialog: QDialog, text_height: int = 110, spacing: int | None = 8) -> None:
    """Rows one under the other at their natural height, labels top-aligned with their field; multi-line text
    boxes `text_height` px; `spacing` between rows (None: the style's); spare height goes below the form, not
    between a label and its box."""
    for form in dialog.findChildren(QFormLayout):
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if spacing is not None:
            form.setVerticalSpacing(spacing)
    for text in dialog.findChildren(QPlainTextEdit):
        text.setFixedHeight(text_height)
    layout = dialog.findChild(QVBoxLayout, "scrollLayout")
    if layout is not None:
        layout.addStretch(1)
