"""Batch printing: every notice issued on a day, listed with its copies, rendered in the background into one
PDF (progress, cancel) and opened in the print preview."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QLabel, QProgressDialog, QPushButton, QTableView

from yibao_desktop.domain.persons import NoticeState

from . import ask
from .table_model import Column, RowTableModel, show_model
from .tasks import progress_dialog
from .uiload import child, load_ui

COLUMNS = (
    Column("文号", lambda r: r[0].doc_no, 180),
    Column("姓名", lambda r: r[0].person_name, 90),
    Column(
        "处理",
        lambda r: (
            r[0].kind_label + (f"{r[0].months}个月" if r[0].months else "") + (f"{r[0].years}年" if r[0].years else "")
        ),
        120,
    ),
    Column("状态", lambda r: r[0].state_label, 80),
    Column("份数", lambda r: r[1], 50, align_right=True),
)


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class BatchPrint:
    """start(): ask the day → list its notices → 生成并预览 runs batch_notices_pdf → PrintPreviewDialog."""

    def __init__(self, window):
        self.window, self.ctx = window, window.ctx
        self.day: date | None = None
        self.rows: list = []
        self.dialog: QDialog | None = None
        self.progress: QProgressDialog | None = None
        self.task = None
        self.preview = None
        self.error: str | None = None

    def start(self) -> BatchPrint:
        """Ask for the issue date; an empty day is said plainly, otherwise the list dialog opens."""
        from yibao_desktop.services.notices_query import issued_on_day

        parent = self.window.qwindow
        text = ask.text(parent, "批量打印处理通知书", "签发日期（YYYY-MM-DD）：", self.window.today().isoformat())
        if text is None:
            return self
        self.day = _parse_day(text)
        if self.day is None:
            self.window.show_error("日期有误", f"“{text}”不是有效日期，请按 2026-11-30 的格式填写。")
            return self
        rows = [r for r in issued_on_day(self.ctx, self.day) if r.state != NoticeState.VOIDED]
        if not rows:
            ask.info(
                parent,
                "批量打印处理通知书",
                f"{self.day.year}年{self.day.month}月{self.day.day}日没有签发的处理通知书（已作废的不计），无需打印。",
            )
            return self
        self._open_list(rows)
        return self

    def _open_list(self, rows: list) -> None:
        from yibao_desktop.services.printing import copies_for

        self.rows = [(r, copies_for(self.ctx, r.id)) for r in rows]
        self.dialog = load_ui("batch_print", self.window.qwindow)
        model = RowTableModel(COLUMNS, self.dialog)
        model.set_rows(self.rows)
        table = child(self.dialog, QTableView, "table")
        show_model(table, model)
        d = self.day
        child(self.dialog, QLabel, "summary").setText(
            f"{d.year}年{d.month}月{d.day}日签发的处理通知书 {len(self.rows)} 份，合计打印 {self.total_copies()} 份。"
        )
        child(self.dialog, QPushButton, "generateButton").clicked.connect(lambda _=False: self.generate())
        child(self.dialog, QPushButton, "closeButton").clicked.connect(lambda _=False: self.dialog.reject())
        self.window.last_dialog = self
        self.dialog.open()

    def total_copies(self) -> int:
        """Printed notices in all (each notice × its copies)."""
        return sum(c for _r, c in self.rows)

    def generate(self):
        """Render in the background with a progress dialog whose cancel button stops the task."""
        from yibao_desktop.services.printing import batch_notices_pdf

        ctx, ids = self.ctx, [r.id for r, _c in self.rows]

        def work(progress, cancelled):
            return batch_notices_pdf(ctx, ids, progress, cancelled)

        if self.dialog is not None:
            self.dialog.accept()
        self.progress = progress_dialog(
            self.window.qwindow,
            "批量打印",
            f"正在生成 {len(ids)} 份通知书（合计 {self.total_copies()} 份）…",
            self.cancel,
        )
        self.task = self.window.runner.start(
            "batch_print",
            work,
            on_result=self._show,
            on_error=self._failed,
            on_progress=self._progressed,
            on_finished=self._finished,
        )
        return self.task

    def cancel(self) -> None:
        """The progress dialog's 取消: stop the task between notices."""
        if self.task is not None:
            self.task.cancel()

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))

    def _show(self, pdf: bytes) -> None:
        from .print_preview import PrintPreviewDialog

        d = self.day
        title = f"{d.year}年{d.month}月{d.day}日处理通知书（{len(self.rows)}份）"
        self.preview = PrintPreviewDialog(self.window, pdf, title).open()

    def _failed(self, message: str) -> None:
        self.error = message
        if message == "已取消。":
            self.window.qwindow.statusBar().showMessage("已取消批量打印。", 8000)
        else:
            self.window.show_error("批量打印失败", message)

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)  # closing a QProgressDialog emits canceled
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
