"""The document register: every issued number (voided ones stay listed) with the fingerprint of its archived
PDF; any document can be reprinted from the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QTableView

from yibao_desktop.domain.docnumbers import doc_no_sort_key
from yibao_desktop.domain.errors import DomainError

from . import ask
from .table_model import Column, RowTableModel, show_model
from .uiload import child, load_ui


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of the register as the table shows it."""

    doc_no: str
    type_label: str
    subject: str
    issued_on: date
    voided: bool
    void_reason: str
    file_hash: str


COLUMNS = (
    Column("文号", lambda r: r.doc_no, 165, sort=lambda r: doc_no_sort_key(r.doc_no)),
    Column("类型", lambda r: r.type_label, 170),
    Column("对象", lambda r: r.subject, 110),
    Column("日期", lambda r: r.issued_on, 90),
    Column(
        "状态",
        lambda r: "已作废" if r.voided else "有效",
        60,
        color=lambda r: "#c0392b" if r.voided else None,
    ),
    Column("作废原因", lambda r: r.void_reason, 110),
    Column(
        "存档",
        lambda r: "已存档" if r.file_hash else "未存档",
        70,
        color=lambda r: None if r.file_hash else "#7f8c8d",
        tooltip=lambda r: f"存档文件校验码（SHA-256）：{r.file_hash}" if r.file_hash else "重新打印时生成存档",
    ),
)


class DocumentsDialog(QObject):
    """Non-blocking register window: search, sort by column, 重新打印 of an archived score notice."""

    def __init__(self, window):
        super().__init__(window.qwindow)
        self.window, self.ctx = window, window.ctx
        self.dialog: QDialog = load_ui("documents_dialog", window.qwindow)
        self.model = RowTableModel(COLUMNS, self.dialog)
        self.table: QTableView = child(self.dialog, QTableView, "table")
        show_model(self.table, self.model)
        self.search: QLineEdit = child(self.dialog, QLineEdit, "search")
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        self.summary: QLabel = child(self.dialog, QLabel, "summary")
        child(self.dialog, QPushButton, "reprintButton").clicked.connect(lambda _=False: self.reprint())
        child(self.dialog, QPushButton, "closeButton").clicked.connect(lambda _=False: self.dialog.reject())
        self.table.doubleClicked.connect(lambda _i: self.reprint())
        self.all_rows: list[DocumentRow] = []
        self.load()

    def load(self) -> None:
        """Read the register (a few thousand lines a year: one query, filtered in Python)."""
        from yibao_desktop.services.documents import list_documents

        self.all_rows = [DocumentRow(*row) for row in list_documents(self.ctx)]
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show the rows whose number, type or subject contains the search text."""
        needle = self.search.text().strip().lower()
        rows = [r for r in self.all_rows if not needle or needle in f"{r.doc_no} {r.type_label} {r.subject}".lower()]
        self.model.set_rows(rows)
        voided = sum(r.voided for r in rows)
        self.summary.setText(f"共 {len(rows)} 件，其中已作废 {voided} 件")

    def open(self) -> DocumentsDialog:
        """Show window-modal without blocking (tests drive it through window.last_dialog)."""
        self.window.last_dialog = self
        self.dialog.open()
        return self

    def select(self, doc_no: str) -> bool:
        """Select the row of a number (tests and 'jump to' links)."""
        for i, r in enumerate(self.model.rows):
            if r.doc_no == doc_no:
                self.table.selectRow(i)
                return True
        return False

    def current(self) -> DocumentRow | None:
        """The selected register line."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def reprint(self):
        """Open the archived PDF of the selected document (any type) in the print preview."""
        from yibao_desktop.services.reprint import document_pdf

        row = self.current()
        if row is None:
            ask.info(self.dialog, "重新打印", "请先选中一件文书。")
            return None
        from yibao_desktop.services.archive import ArchiveMismatch

        try:
            pdf = document_pdf(self.ctx, row.doc_no)
        except ArchiveMismatch as err:  # the original is never rendered again; a marked copy only on purpose
            if not ask.confirm(
                self.dialog,
                "存档原件无法核实",
                f"{err.message}\n\n是否依当前数据重新生成一份标明“重新生成件”的副本（不覆盖原件）？",
            ):
                return None
            pdf = document_pdf(self.ctx, row.doc_no, regenerate=True)
        except DomainError as err:
            self.window.show_error("无法打印", err.message)
            return None
        self.load()  # the fingerprint column shows the archive just written, if it was missing
        from .print_preview import PrintPreviewDialog

        return PrintPreviewDialog(self.window, pdf, f"{row.type_label} {row.doc_no}").open()
