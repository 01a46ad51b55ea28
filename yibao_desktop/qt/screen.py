"""Windows and dialogs fit the screen they open on (an office 1366×768 screen included): never larger than the
available area, centred on it; forms scroll inside, their button rows stay visible."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the window manager's title bar and frame, which Qt cannot measure before the window is shown.
FRAME_ALLOWANCE = QSize(16, 40)


def available(widget: QWidget | None = None) -> QRect:
    """The usable area (without task bar) of the screen the widget is on, else of the primary screen."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(wanted: QSize, area: QRect) -> QSize:
    """`wanted`, shrunk so that it plus the window frame fits `area`."""
    return QSize(
        min(wanted.width(), area.width() - FRAME_ALLOWANCE.width()),
        min(wanted.height(), area.height() - FRAME_ALLOWANCE.height()),
    )


def fit_to_screen(widget: QWidget, area: QRect | None = None, wanted: QSize | None = None) -> QSize:
    """Resize to `wanted` (default: the current size) at most the available area, and centre it there."""
    area = area or available(widget.parentWidget() or widget)
    size = fitted_size(wanted or widget.size(), area)
    size = size.expandedTo(QSize(min(widget.minimumWidth(), size.width()), min(widget.minimumHeight(), size.height())))
    widget.resize(size)
    centre = area.center()
    widget.move(
        max(area.left(), centre.x() - size.width() // 2),
        max(area.top(), centre.y() - (size.height() + FRAME_ALLOWANCE.height()) // 2),
    )
    return size
