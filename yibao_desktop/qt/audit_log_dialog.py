"""文件 → 操作日志: the audit log with filters (date range, user, person or institution, text), the result of the
chain check at the top, every change of the selected entry below, export to Excel. The same view opened for one
person or institution is its 操作记录 (history of the record, oldest first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from yibao_desktop.domain.errors import DomainError

from . import ask
from .fields import DateField
from .table_model import Column, RowTableModel, show_model
from .uiload import child, load_ui

COLUMNS = (
    Column("时间", lambda r: r.at.strftime("%Y-%m-%d %H:%M:%S"), 150),
    Column("用户", lambda r: r.username, 90),
    Column("操作", lambda r: r.action_label, 105),
    Column("对象", lambda r: r.entity_label, 80),
    Column("记录号", lambda r: r.entity_id, 60, align_right=True),
    Column("记录", lambda r: r.entity_text, 215),
    Column("说明", lambda r: r.detail, 160),
    Column("修改内容（原值 → 新值）", lambda r: r.changes_text, 380),
)
ALL_USERS = "全部用户"


class AuditLogDialog(QObject):
    """`record` = (entity, id, title) opens the 操作记录 of one person or institution instead of the whole log."""

    def __init__(self, window, record: tuple[str, int, str] | None = None):
        super().__init__(window.qwindow)
        self.window, self.ctx, self.record = window, window.ctx, record
        self.dialog: QDialog = load_ui("audit_log_dialog", window.qwindow)
        self.model = RowTableModel(COLUMNS, self.dialog)
        self.table: QTableView = child(self.dialog, QTableView, "table")
        show_model(self.table, self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_details(cur.row()))
        self.chain: QLabel = child(self.dialog, QLabel, "chain")
        self.summary: QLabel = child(self.dialog, QLabel, "summary")
        self.details: QPlainTextEdit = child(self.dialog, QPlainTextEdit, "details")
        self.start: DateField = child(self.dialog, DateField, "start")
        self.end: DateField = child(self.dialog, DateField, "end")
        self.user: QComboBox = child(self.dialog, QComboBox, "user")
        self.subject: QLineEdit = child(self.dialog, QLineEdit, "subject")
        self.text: QLineEdit = child(self.dialog, QLineEdit, "text")
        for edit in (self.start, self.end, self.subject, self.text):
            edit.returnPressed.connect(self.load)
        child(self.dialog, QPushButton, "searchButton").clicked.connect(lambda _=False: self.load())
        child(self.dialog, QPushButton, "verifyButton").clicked.connect(lambda _=False: self.verify())
        child(self.dialog, QPushButton, "exportButton").clicked.connect(lambda _=False: self.export())
        child(self.dialog, QPushButton, "closeButton").clicked.connect(lambda _=False: self.dialog.reject())
        self._fill_users()
        if record:
            self.dialog.setWindowTitle(f"操作记录 — {record[2]}")
            child(self.dialog, QWidget, "filters").hide()
        self.fill(self.current_filter())  # a user without the permission is refused here (DomainError)
        self.verify()

    def _fill_users(self) -> None:
        from yibao_desktop.services.users import list_users

        self.user.addItem(ALL_USERS, "")
        for u in list_users(self.ctx, include_disabled=True):
            self.user.addItem(f"{u.display_name}（{u.username}）", u.username)

    def open(self) -> AuditLogDialog:
        """Show window-modal without blocking."""
        self.window.last_dialog = self
        self.dialog.open()
        return self

    def verify(self) -> None:
        """Check the whole chain and say the result at the top (green intact, red with the first broken entry)."""
        from yibao_desktop.services.audit_log import verify

        result = verify(self.ctx)
        if result.broken is None:
            self.chain.setText(f"校验结果：操作日志完整，共 {result.entries} 条，校验链逐条核对无误。")
            self.chain.setStyleSheet("color: #1e8449; font-weight: bold;")
        else:
            self.chain.setText(
                f"校验结果：操作日志被改动！第 {result.broken.entry_id} 条起{result.broken.reason}。"
                "请保留现状并报告单位负责人，可用备份核对。"
            )
            self.chain.setStyleSheet("color: #c0392b; font-weight: bold;")

    def current_filter(self):
        """The filter the fields describe (the record's own when this is a 操作记录); DomainError on a bad date."""
        from yibao_desktop.services.audit_log import AuditFilter

        if self.record:
            return AuditFilter(entity=self.record[0], entity_id=self.record[1])
        return AuditFilter(
            start=self.start.date(),
            end=self.end.date(),
            username=self.user.currentData() or "",
            subject=self.subject.text(),
            text=self.text.text(),
        )

    def load(self) -> None:
        """查询: read the entries the filter describes; a refusal (bad date, unknown person) is shown."""
        try:
            self.fill(self.current_filter())
        except DomainError as err:
            ask.error(self.dialog, "操作日志", err.message)

    def fill(self, flt) -> None:
        """Show the entries of `flt`, newest first (oldest first for one record's history)."""
        from yibao_desktop.services.audit_log import LIMIT, list_entries

        rows = list_entries(self.ctx, flt)
        if self.record:
            rows.reverse()
        self.model.set_rows(rows, presorted=True)
        self.details.setPlainText("")
        more = f"（只显示最近的 {LIMIT} 条，请缩小范围；导出包含全部）" if len(rows) >= LIMIT else ""
        self.summary.setText(f"共 {len(rows)} 条{more}")

    def show_details(self, row: int) -> None:
        """Every change of the selected entry, one per line."""
        if row < 0 or row >= len(self.model.rows):
            self.details.setPlainText("")
            return
        r = self.model.row_at(row)
        lines = [
            f"{r.at:%Y-%m-%d %H:%M:%S}　{r.username}　{r.action_label}　{r.entity_label} {r.entity_id or ''}"
            + (f"（{r.entity_text}）" if r.entity_text else ""),
            *([r.detail] if r.detail else []),
            *r.changes_text.split("；"),
        ]
        self.details.setPlainText("\n".join(line for line in lines if line))

    def export(self) -> None:
        """导出 Excel: what the filter selects (all of it), ID and mobile numbers masked unless asked otherwise."""
        from yibao_desktop.services.audit_log import export_xlsx

        try:
            flt = self.current_filter()
        except DomainError as err:
            ask.error(self.dialog, "导出操作日志", err.message)
            return
        path = ask.save_path(self.dialog, "导出操作日志", "操作日志.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return
        full = ask.confirm(
            self.dialog,
            "导出操作日志",
            "导出完整的身份证号和手机号（仅供办公室内部使用）？\n选“否”则隐去中间位数，如 445202********1234。",
        )
        try:
            Path(path).write_bytes(export_xlsx(self.ctx, flt, mask=not full))
        except DomainError as err:
            ask.error(self.dialog, "导出操作日志", err.message)
            return
        except OSError as err:
            ask.error(self.dialog, "导出操作日志", f"无法写入文件：{err.strerror or err}")
            return
        self.window.qwindow.statusBar().showMessage(f"操作日志已导出到 {path}", 8000)
