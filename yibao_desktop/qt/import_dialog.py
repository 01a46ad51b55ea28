"""Excel roster import: check in the background with progress, show the preview and problems, commit on accept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLabel, QProgressDialog, QPushButton, QTableView

from yibao_desktop.adapters.excel import Cancelled as ExcelCancelled
from yibao_desktop.adapters.excel.reader import DEFAULT_MAX_ERRORS
from yibao_desktop.services.rosters import (
    ROSTER_LABELS,
    ImportPreview,
    commit_import,
    error_report,
    preview_import,
    summary_text,
)

from . import ask
from .table_model import Column, RowTableModel
from .tasks import Cancelled as TaskCancelled
from .tasks import progress_dialog
from .uiload import child, load_ui

SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}
PROBLEM_COLUMNS = (
    Column("行", lambda p: p.row or "整个文件", 60, sort=lambda p: p.row, align_right=True),
    Column("列", lambda p: p.column, 140),
    Column(
        "类别",
        lambda p: SEVERITY_LABELS.get(p.severity, p.severity),
        50,
        color=lambda p: "#c0392b" if p.severity == "error" else "#b9770e",
    ),
    Column("问题", lambda p: p.message, 480),
)


class ImportDialog(QObject):
    """One import of one file: start() checks it; the preview dialog commits or saves the error report."""

    def __init__(self, window, kind: str, path: str | Path):
        super().__init__(window.qwindow)
        self.window = window
        self.ctx = window.ctx
        self.kind = kind
        self.path = Path(path)
        self.preview: ImportPreview | None = None
        self.dialog: QDialog | None = None
        self.progress: QProgressDialog | None = None
        self.task = None
        self.result: dict | None = None
        self.max_errors: int | None = DEFAULT_MAX_ERRORS  # the check stops beyond this; the clerk may lift it

    # -- step 1: check the file in the background
    def start(self) -> None:
        """Read the file and validate every row in the runner, with a cancellable progress dialog."""
        try:
            data = self.path.read_bytes()
        except OSError as err:
            self.window.show_error("无法读取文件", f"{self.path}：{err.strerror or err}")
            return
        ctx, kind, name, limit = self.ctx, self.kind, self.path.name, self.max_errors

        def work(progress, cancelled):
            try:
                return preview_import(ctx, kind, data, name, progress, cancelled, max_errors=limit)
            except ExcelCancelled as err:  # the runner knows its own Cancelled: "已取消。", no traceback
                raise TaskCancelled() from err

        self._show_progress(f"正在检查 {name}（{ROSTER_LABELS[kind]}）…")
        self.task = self.window.runner.start(
            f"import_{kind}",
            work,
            on_result=self._previewed,
            on_error=self._failed,
            on_progress=self._progressed,
            on_finished=self._close_progress,
        )

    def _show_progress(self, text: str) -> None:
        self.progress = progress_dialog(self.window.qwindow, "导入 Excel", text, self.cancel)

    def cancel(self) -> None:
        """The progress dialog's 取消: stop between rows."""
        if self.task is not None:
            self.task.cancel()

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)  # closing a QProgressDialog emits canceled
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _failed(self, message: str) -> None:
        if message == "已取消。":
            self.window.qwindow.statusBar().showMessage("已取消导入，未写入任何数据。", 8000)
        else:
            self.window.show_error("无法导入", message)

    # -- step 2: the preview
    def _previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.dialog = load_ui("import_dialog", self.window.qwindow)
        d = self.dialog
        d.setWindowTitle(f"导入{ROSTER_LABELS[self.kind]} — {self.path.name}")
        self.summary: QLabel = child(d, QLabel, "summary")
        self.message: QLabel = child(d, QLabel, "message")
        self.accept_valid: QCheckBox = child(d, QCheckBox, "accept_valid")
        self.btn_import: QPushButton = child(d, QPushButton, "btn_import")
        self.btn_report: QPushButton = child(d, QPushButton, "btn_report")
        self.btn_cancel: QPushButton = child(d, QPushButton, "btn_cancel")
        self.btn_check_all: QPushButton = child(d, QPushButton, "btn_check_all")
        self.table: QTableView = child(d, QTableView, "problems")
        self.model = RowTableModel(PROBLEM_COLUMNS, d)
        # Errors first: they decide whether anything can be imported; warnings are for reading afterwards.
        self.problems = sorted(preview.problems, key=lambda p: (p.severity != "error", p.row))
        self.model.set_rows(self.problems)
        self.table.setModel(self.model)
        self.show_filter: QComboBox = child(d, QComboBox, "show")
        self.show_filter.setItemText(1, f"仅错误（{sum(p.severity == 'error' for p in self.problems)}）")
        self.show_filter.setItemText(2, f"仅提醒（{sum(p.severity != 'error' for p in self.problems)}）")
        self.show_filter.currentIndexChanged.connect(self._show_problems)
        for i, col in enumerate(PROBLEM_COLUMNS):
            self.table.setColumnWidth(i, col.width)
        self.table.horizontalHeader().setStretchLastSection(True)  # long messages use the dialog's width
        self._fill_counts(preview)
        self.accept_valid.setVisible(preview.has_errors and preview.read.complete)
        self.accept_valid.toggled.connect(self._update_buttons)
        self.btn_import.clicked.connect(self.commit)
        self.btn_report.clicked.connect(self.save_report)
        self.btn_check_all.setVisible(not preview.read.complete)
        self.btn_check_all.clicked.connect(self.check_all)
        self.btn_cancel.clicked.connect(d.reject)
        self.btn_report.setEnabled(bool(preview.problems))
        self._update_buttons()
        self.window.last_dialog = self
        d.open()

    def _show_problems(self, index: int) -> None:
        """All problems, errors only or warnings only (a city roster can carry tens of thousands of warnings)."""
        wanted = (None, "error", "warning")[index]
        self.model.set_rows(
            [p for p in self.problems if wanted is None or (p.severity == "error") == (wanted == "error")]
        )

    def _fill_counts(self, preview: ImportPreview) -> None:
        c = preview.counts
        for name, label in (
            ("new", "新增"),
            ("changed", "变更"),
            ("unchanged", "不变"),
            ("rejected", "有错误"),
        ):
            widget = child(self.dialog, QLabel, f"count_{name}")
            widget.setText(f"{label} {c[name]}")
            if name == "rejected" and c[name]:
                widget.setStyleSheet("color: #c0392b; font-weight: bold;")
        errors = sum(1 for p in preview.problems if p.severity == "error")
        head = f"{ROSTER_LABELS[self.kind]}“{self.path.name}”共 {preview.read.total_rows} 行。"
        if not preview.read.complete:
            head = (
                f"{ROSTER_LABELS[self.kind]}“{self.path.name}”错误超过 {self.max_errors} 处，检查已提前停止："
                f"已检查 {preview.read.total_rows} 行，发现 {errors - 1} 处错误，其后的行未检查。"
                "请先改正这些错误，或点“不设错误上限，检查全部行”。"
            )
        elif preview.has_errors:
            head += f"发现 {errors} 处错误：改正后重新导入，或勾选“仅导入无错误的行”。"
        elif c["new"] + c["changed"] == 0:
            head += "名册与系统中的数据一致，无需导入。"
        else:
            head += "检查通过，点“导入”写入系统（一次性写入，出错则全部不写入）。"
        self.summary.setText(head)

    def check_all(self) -> None:
        """Check the same file again without an error limit (the preview closes; a new one opens at the end)."""
        self.max_errors = None
        self.dialog.reject()
        self.start()

    def _update_buttons(self, *_args) -> None:
        p = self.preview
        writable = p.counts["new"] + p.counts["changed"] > 0 and p.read.complete
        self.btn_import.setEnabled(writable and (not p.has_errors or self.accept_valid.isChecked()))

    # -- step 3: commit or save the report
    def commit(self) -> None:
        """Write in one transaction in the background; refresh the tabs afterwards."""
        p, ctx, accept = self.preview, self.ctx, self.accept_valid.isChecked()
        self.btn_import.setEnabled(False)
        self.message.setText("正在写入…")
        self.window.runner.start(
            f"import_commit_{self.kind}",
            lambda _p, _c: commit_import(ctx, p, accept),
            on_result=self._committed,
            on_error=self._commit_failed,
        )

    def _committed(self, counts: dict) -> None:
        self.result = counts
        self.dialog.accept()
        self.window.after_change(f"已导入{ROSTER_LABELS[self.kind]}：{summary_text(counts)}")

    def _commit_failed(self, message: str) -> None:
        self.message.setText(f"未导入任何数据：{message}")
        self.message.setStyleSheet("color: #c0392b;")
        self._update_buttons()

    def save_report(self) -> None:
        """Write the error report (.xlsx with the bad cells marked) where the clerk chooses."""
        suggested = str(self.path.with_name(f"{self.path.stem}.错误报告.xlsx"))
        path = ask.save_path(self.dialog, "保存错误报告", suggested, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        mask = ask.confirm(
            self.dialog,
            "保存错误报告",
            "隐去报告中身份证号和手机号的中间位数（如 445202********1234）？\n"
            "报告发往本单位以外时请选“是”；退回原单位核对时可选“否”。",
        )
        try:
            Path(path).write_bytes(error_report(self.preview, mask=mask))
        except OSError as err:
            ask.error(self.dialog, "无法保存", f"{path}：{err.strerror or err}")
            return
        self.message.setText(f"错误报告已保存：{path}")
        self.message.setStyleSheet("")
