"""Print preview: shows the very PDF bytes that are archived (QtPdf), prints them page by page as images at the
printer's resolution on A4 with the office's printer offset, saves them as a file, and offers a calibration page."""

from __future__ import annotations

import re

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QMarginsF,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QFont,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from . import ask
from .uiload import child, load_ui

MM_PER_INCH = 25.4
# Rendering a page as one image costs width×height×4 bytes: 600 dpi A4 is ~140 MB, 1200 dpi would be ~560 MB.
MAX_PRINT_DPI = 600
A4_MM = (210.0, 297.0)
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 5.0


def choose_printer(parent: QWidget | None) -> QPrinter | None:
    """The system print dialog (tests replace this function); None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def a4_layout() -> QPageLayout:
    """A4 portrait without margins (the forms place everything themselves)."""
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def apply_a4(printer: QPrinter) -> None:
    """A4 portrait, full page: the print dialog may have switched paper or margins, the form needs exact A4."""
    printer.setFullPage(True)
    printer.setPageLayout(a4_layout())


def print_document(doc: QPdfDocument, printer: QPrinter, offset_x_mm: float = 0.0, offset_y_mm: float = 0.0) -> int:
    """Paint every page of `doc` onto `printer`, shifted by the offsets (mm, + = right/down); returns pages."""
    apply_a4(printer)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    scale = printer.resolution() / dpi
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印（打印机不可用或输出文件无法写入）。")
    try:
        for page in range(doc.pageCount()):
            if page:
                printer.newPage()
            points = doc.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = _on_white(doc.render(page, size), printer.colorMode() == QPrinter.ColorMode.GrayScale)
            origin = QPointF(
                offset_x_mm / MM_PER_INCH * printer.resolution(),
                offset_y_mm / MM_PER_INCH * printer.resolution(),
            )
            painter.drawImage(QRectF(origin.x(), origin.y(), size.width() * scale, size.height() * scale), image)
    finally:
        painter.end()
    return doc.pageCount()


def _on_white(image: QImage, gray: bool) -> QImage:
    """Flatten the transparent page image onto white paper; grayscale quarters the data spooled to the printer."""
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat.convertToFormat(QImage.Format.Format_Grayscale8) if gray else flat


def calibration_pdf() -> bytes:
    """A4 test page: mm rulers along the top and left edges and crosses at known positions."""
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setPageLayout(a4_layout())
    writer.setResolution(720)
    writer.setTitle("打印机校准测试页")
    painter = QPainter(writer)
    dots = 720 / MM_PER_INCH
    painter.scale(dots, dots)  # from here on one unit = 1 mm from the paper's top-left corner
    painter.setPen(QPen(Qt.GlobalColor.black, 0.2))
    _draw_rulers(painter)
    for x, y in ((30, 40), (105, 148.5), (180, 257)):
        painter.drawLine(QPointF(x - 8, y), QPointF(x + 8, y))
        painter.drawLine(QPointF(x, y - 8), QPointF(x, y + 8))
        painter.drawEllipse(QPointF(x, y), 3, 3)
        _text(painter, x + 4, y - 3, f"({x:g}, {y:g}) mm", 3)
    lines = [
        "打印机校准测试页",
        "十字中心应距纸张左边、上边分别为括号中的毫米数；刻度数字也是到纸边的毫米数。",
        "若实测偏右 d 毫米，在“设置”的打印偏移 X 中填 −d；偏下 d 毫米，在偏移 Y 中填 −d。",
        "偏移只用于打印，不改变存档的PDF。",
    ]
    for i, line in enumerate(lines):
        _text(painter, 30, 70 + i * 8, line, 4.2 if i == 0 else 3.2)
    painter.end()
    buf.close()
    return bytes(buf.data().data())


def _draw_rulers(painter: QPainter) -> None:
    """Rulers 12 mm inside the top and left edges (the paper edge itself is outside most printers' reach)."""
    edge = 12.0
    painter.drawLine(QPointF(10, edge), QPointF(A4_MM[0] - 10, edge))
    painter.drawLine(QPointF(edge, 10), QPointF(edge, A4_MM[1] - 10))
    for mm in range(10, int(A4_MM[0]) - 9):
        tick = 5 if mm % 10 == 0 else 3.5 if mm % 5 == 0 else 2
        painter.drawLine(QPointF(mm, edge), QPointF(mm, edge + tick))
        if mm % 10 == 0 and mm >= 30:  # 10 and 20 would collide in the corner
            _text(painter, mm - 1.5, edge + 8, str(mm), 2.2)
    for mm in range(10, int(A4_MM[1]) - 9):
        tick = 5 if mm % 10 == 0 else 3.5 if mm % 5 == 0 else 2
        painter.drawLine(QPointF(edge, mm), QPointF(edge + tick, mm))
        if mm % 10 == 0 and mm >= 30:  # 10 and 20 would collide in the corner
            _text(painter, edge + 6, mm + 0.8, str(mm), 2.2)


def _text(painter: QPainter, x: float, y: float, text: str, size_mm: float) -> None:
    # point sizes would be scaled by the painter's mm transform; pixel size in mm units keeps text to scale
    font = QFont()
    font.setPixelSize(max(1, round(size_mm * 10)))
    painter.save()
    painter.translate(x, y)
    painter.scale(0.1, 0.1)
    painter.setFont(font)
    painter.drawText(QPointF(0, 0), text)
    painter.restore()


def _file_name(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", title).strip("_") or "文书"


class PrintPreviewDialog(QObject):
    """Non-blocking preview of PDF bytes with 打印… / 另存为 PDF… / 校准测试页 / 关闭."""

    def __init__(self, window, pdf: bytes, title: str):
        super().__init__(window.qwindow)
        self.window, self.pdf, self.title = window, pdf, title
        self.dialog: QDialog = load_ui("print_preview", window.qwindow)
        self.dialog.setWindowTitle(f"打印预览 — {title}")
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)
        self.view = QPdfView(self.dialog)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self.document)
        child(self.dialog, QWidget, "viewHost").layout().addWidget(self.view)
        self.page_info: QLabel = child(self.dialog, QLabel, "pageInfo")
        self.page_info.setText(f"共 {self.page_count()} 页")
        self.zoom_info: QLabel = child(self.dialog, QLabel, "zoomInfo")
        self._wire_zoom()
        for name, slot in (
            ("printButton", self.print_pdf),
            ("saveButton", self.save_pdf),
            ("calibrateButton", self.calibration_page),
            ("closeButton", self.dialog.reject),
        ):
            child(self.dialog, QPushButton, name).clicked.connect(lambda _=False, slot=slot: slot())
        self.dialog.finished.connect(self._dispose)

    def _wire_zoom(self) -> None:
        """Toolbar and keys: Ctrl+加号/减号 zoom, Ctrl+0 whole page, Ctrl+9 page width."""
        for name, slot, keys in (
            ("zoomInButton", lambda: self.zoom_by(ZOOM_STEP), ("Ctrl++", "Ctrl+=")),
            ("zoomOutButton", lambda: self.zoom_by(1 / ZOOM_STEP), ("Ctrl+-",)),
            ("fitPageButton", lambda: self.fit(QPdfView.ZoomMode.FitInView), ("Ctrl+0",)),
            ("fitWidthButton", lambda: self.fit(QPdfView.ZoomMode.FitToWidth), ("Ctrl+9",)),
        ):
            child(self.dialog, QPushButton, name).clicked.connect(lambda _=False, slot=slot: slot())
            for key in keys:
                QShortcut(QKeySequence(key), self.dialog, slot)
        self.view.zoomFactorChanged.connect(lambda _f: self._show_zoom())
        self.view.viewport().installEventFilter(self)  # a fit mode's percentage changes with the window size
        self.fit(QPdfView.ZoomMode.FitToWidth)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        """Keep the zoom percentage right while the clerk resizes the preview."""
        if event.type() == QEvent.Type.Resize:
            self._show_zoom()
        return False

    def fit(self, mode: QPdfView.ZoomMode) -> None:
        """Whole page (FitInView) or page width (FitToWidth)."""
        self.view.setZoomMode(mode)
        self._show_zoom()

    def zoom_by(self, factor: float) -> float:
        """Zoom in or out from what is shown now (a fit mode switches to a fixed zoom); returns the new factor."""
        current = self._effective_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(MAX_ZOOM, max(MIN_ZOOM, current * factor)))
        self._show_zoom()
        return self.view.zoomFactor()

    def _effective_zoom(self) -> float:
        """The zoom shown: in fit modes QPdfView keeps zoomFactor at 1, so compute it from page and viewport."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or not self.page_count():
            return self.view.zoomFactor()
        page = self.document.pagePointSize(0)
        dpi = self.view.logicalDpiX() / 72.0
        vp = self.view.viewport().size()
        margins = 2 * self.view.documentMargins().left()
        width_factor = (vp.width() - margins) / max(1.0, page.width() * dpi)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return width_factor
        return min(width_factor, (vp.height() - margins) / max(1.0, page.height() * dpi))

    def _show_zoom(self) -> None:
        mode = self.view.zoomMode()
        child(self.dialog, QPushButton, "fitPageButton").setChecked(mode == QPdfView.ZoomMode.FitInView)
        child(self.dialog, QPushButton, "fitWidthButton").setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.zoom_info.setText(f"{round(self._effective_zoom() * 100)}%")

    def _dispose(self, _result: int = 0) -> None:
        # a closed preview frees its rendered pages and PDF; many previews in a day must not pile up
        self.view.setDocument(None)
        self.document.close()
        self.dialog.deleteLater()
        self.deleteLater()

    def page_count(self) -> int:
        """Pages of the loaded PDF."""
        return self.document.pageCount()

    def open(self) -> PrintPreviewDialog:
        """Show window-modal without blocking (tests drive it through window.last_dialog)."""
        self.window.last_dialog = self
        self.dialog.open()
        return self

    def print_pdf(self) -> bool:
        """Choose a printer, then paint the pages with the office's printer offset."""
        printer = choose_printer(self.dialog)
        if printer is None:
            return False
        settings = self.window.ctx.settings
        try:
            pages = print_document(self.document, printer, settings.printer_offset_x_mm, settings.printer_offset_y_mm)
        except OSError as err:
            ask.error(self.dialog, "打印失败", str(err))
            return False
        self.window.qwindow.statusBar().showMessage(f"已发送打印：{self.title}，{pages} 页", 8000)
        return True

    def save_pdf(self) -> str | None:
        """Write the same bytes to a file the clerk chooses."""
        path = ask.save_path(self.dialog, "另存为 PDF", f"{_file_name(self.title)}.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return None
        try:
            with open(path, "wb") as f:
                f.write(self.pdf)
        except OSError as err:
            ask.error(self.dialog, "保存失败", f"无法写入 {path}：{err.strerror or err}")
            return None
        self.window.qwindow.statusBar().showMessage(f"已保存：{path}", 8000)
        return path

    def calibration_page(self) -> PrintPreviewDialog:
        """Open the printer calibration page in its own preview (printed through the same offset)."""
        return PrintPreviewDialog(self.window, calibration_pdf(), "打印机校准测试页").open()
