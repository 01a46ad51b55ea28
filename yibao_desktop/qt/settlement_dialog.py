"""结算核查与追回清单: choose a settlement file, map its columns once, check it in the background with progress and
cancel, then save the recovery list and the error report or print the 追回通知 per institution."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
)

from yibao_desktop.domain.errors import DomainError

from . import ask
from .fields import DateField
from .import_dialog import PROBLEM_COLUMNS
from .table_model import RowTableModel, show_model
from .uiload import child, load_ui

NOT_MAPPED = "（无此列）"
FILE_FILTER = "结算明细 (*.csv *.txt *.tsv *.xlsx);;所有文件 (*)"
SHOWN_PROBLEMS = 2000


class SettlementDialog(QObject):
    """One window for the whole check; the work runs in the main window's TaskRunner (its own unit of work)."""

    def __init__(self, window):
        super().__init__(window.qwindow)
        self.window, self.ctx = window, window.ctx
        self.dialog: QDialog = load_ui("settlement_dialog", window.qwindow)
        d = self.dialog
        self.path_edit: QLineEdit = child(d, QLineEdit, "file_path")
        self.info: QLabel = child(d, QLabel, "file_info")
        self.summary: QLabel = child(d, QLabel, "summary")
        self.grid: QGridLayout = d.findChild(QGridLayout, "mapping_grid")
        self.mapping_name: QLineEdit = child(d, QLineEdit, "mapping_name")
        self.date_from: DateField = child(d, DateField, "date_from")
        self.date_to: DateField = child(d, DateField, "date_to")
        for field in (self.date_from, self.date_to):
            field.setPlaceholderText("不限")
            field.today = self.ctx.today
        self.strict: QCheckBox = child(d, QCheckBox, "strict")
        self.bar: QProgressBar = child(d, QProgressBar, "progress")
        self.buttons = {
            name: child(d, QPushButton, name)
            for name in (
                "choose_file",
                "template",
                "save_mapping",
                "start",
                "cancel",
                "save_list",
                "save_errors",
                "print_notices",
                "close",
            )
        }
        self.model = RowTableModel(PROBLEM_COLUMNS, d)
        table: QTableView = child(d, QTableView, "problems")
        show_model(table, self.model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        from yibao_desktop.services.settlement_outputs import required_columns_text

        child(d, QLabel, "required").setText(required_columns_text())
        self.combos: dict[str, QComboBox] = {}
        self.path: Path | None = None
        self.look = None
        self.outcome = None
        self.task = None
        b = self.buttons
        b["choose_file"].clicked.connect(lambda: self.choose_file())
        b["template"].clicked.connect(self.save_template)
        b["save_mapping"].clicked.connect(self.save_mapping)
        b["start"].clicked.connect(self.start)
        b["cancel"].clicked.connect(self.cancel)
        b["save_list"].clicked.connect(self.save_list)
        b["save_errors"].clicked.connect(self.save_errors)
        b["print_notices"].clicked.connect(self.print_notices)
        b["close"].clicked.connect(d.close)
        self._build_grid([])

    def open(self) -> SettlementDialog:
        """Show the window (non-blocking)."""
        self.dialog.show()
        return self

    # -- file and mapping
    def choose_file(self, path: str | None = None) -> None:
        """Pick the file; its headers, encoding, SHA-256 (earlier runs) and remembered mapping are read in the
        background (a 300 MB file takes a moment to hash)."""
        path = path or ask.open_path(self.dialog, "选择结算明细文件", FILE_FILTER)
        if not path:
            return
        from yibao_desktop.services.settlement import inspect_file

        ctx, chosen = self.ctx, Path(path)
        self.look, self.path = None, None
        self.buttons["start"].setEnabled(False)
        self.info.setText(f"正在读取 {chosen.name} …")
        self.window.runner.start(
            "settlement_inspect",
            lambda _p, _c: inspect_file(ctx, chosen),
            on_result=lambda look: self._inspected(chosen, look),
            on_error=self._unreadable,
        )

    def _unreadable(self, message: str) -> None:
        self.info.setText("")
        self.buttons["start"].setEnabled(True)
        self.window.show_error("无法读取结算明细", message)

    def _inspected(self, path: Path, look) -> None:
        self.look, self.path = look, path
        self.buttons["start"].setEnabled(True)
        self.path_edit.setText(str(path))
        size = f"{look.size / 1048576:,.1f} MB" if look.size >= 1048576 else f"{max(look.size / 1024, 0.1):,.1f} KB"
        encoding = {"gb18030": "GBK/GB18030", "utf-8-sig": "UTF-8（带 BOM）", "utf-8": "UTF-8"}.get(
            look.encoding, look.encoding
        )
        text = f"{look.name}：{size}，编码 {encoding}，{len(look.headers)} 列。"
        if look.mapping_name:
            text += f"已套用列对应关系“{look.mapping_name}”。"
        else:
            text += "表头与本系统字段不同：请在下面指明各列的含义并保存。"
        for run_id, when in look.earlier:
            text += f"\n注意：该文件已于 {when:%Y-%m-%d %H:%M} 核查过（第 {run_id} 次），再次核查会另记一次。"
        self.info.setText(text)
        self.mapping_name.setText(look.mapping_name if look.mapping_name != "本系统模板" else "")
        self._build_grid(look.headers, look.mapping or {})

    def _build_grid(self, headers: list[str], mapping: dict[str, str] | None = None) -> None:
        from yibao_desktop.services.settlement import program_fields

        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.combos = {}
        for i, (key, label, required) in enumerate(program_fields()):
            row, col = divmod(i, 2)
            self.grid.addWidget(QLabel(label + ("（必需）" if required else "")), row, col * 2)
            combo = QComboBox()
            combo.addItems([NOT_MAPPED, *headers])
            if mapping and mapping.get(key) in headers:
                combo.setCurrentIndex(headers.index(mapping[key]) + 1)
            combo.setEnabled(bool(headers))
            self.grid.addWidget(combo, row, col * 2 + 1)
            self.combos[key] = combo

    def mapping(self) -> dict[str, str]:
        """field → file header as chosen in the combos."""
        return {k: c.currentText() for k, c in self.combos.items() if c.currentIndex() > 0}

    def save_mapping(self) -> None:
        """Remember the chosen mapping under its name and the file's header set."""
        if self.look is None:
            self.window.show_error("保存对应关系", "请先选择结算明细文件。")
            return
        from yibao_desktop.services.settlement import save_mapping

        try:
            save_mapping(self.ctx, self.mapping_name.text(), self.look.headers, self.mapping())
        except DomainError as err:
            self.window.show_error("保存对应关系", err.message)
            return
        self.info.setText(self.info.text() + f"\n已保存列对应关系“{self.mapping_name.text().strip()}”。")

    def save_template(self) -> None:
        """下载模板: the program's own layout as .xlsx."""
        out = ask.save_path(self.dialog, "保存结算明细模板", "结算明细模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if out:
            from yibao_desktop.services.settlement_outputs import template

            Path(out).write_bytes(template(self.ctx))

    # -- the check
    def start(self) -> None:
        """Check the file in the background; progress in the bar, 取消核查 stops it."""
        if self.path is None:
            self.window.show_error("结算核查", "请先选择结算明细文件。")
            return
        try:
            start, end = self.date_from.date(), self.date_to.date()
        except DomainError as err:
            self.window.show_error("结算核查", err.message)
            return
        from yibao_desktop.services.settlement import check_file

        ctx, path, mapping, strict = self.ctx, self.path, self.mapping(), self.strict.isChecked()

        def work(progress, cancelled):
            return check_file(
                ctx, path, mapping=mapping, start=start, end=end, strict=strict, progress=progress, cancelled=cancelled
            )

        self._running(True)
        self.summary.setText("正在核查…")
        self.task = self.window.runner.start(
            "settlement",
            work,
            on_result=self._done,
            on_error=self._failed,
            on_progress=self._progressed,
            on_finished=lambda: self._running(False),
        )

    def cancel(self) -> None:
        """Stop the running check (nothing is stored)."""
        if self.task is not None:
            self.task.cancel()

    def _running(self, on: bool) -> None:
        for name in ("start", "choose_file", "save_mapping"):
            self.buttons[name].setEnabled(not on)
        self.buttons["cancel"].setEnabled(on)
        if on:
            self.bar.setValue(0)
            for name in ("save_list", "save_errors", "print_notices"):
                self.buttons[name].setEnabled(False)

    def _progressed(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _failed(self, message: str) -> None:
        self.summary.setText(f"<span style='color:#c0392b'>未完成：{message}</span>")

    def _done(self, outcome) -> None:
        self.outcome = outcome
        self.bar.setValue(self.bar.maximum())
        self.model.set_rows(outcome.problems[:SHOWN_PROBLEMS])
        if outcome.refused:
            text = f"<span style='color:#c0392b'>{outcome.refused}</span>"
        else:
            text = (
                f"第 {outcome.run_id} 次核查：文件 {outcome.lines:,} 行，核查 {outcome.lines_checked:,} 行；"
                f"发现问题 {len(outcome.findings):,} 条，应追回基金 {outcome.recoverable_fen / 100:,.2f} 元。"
            )
            if outcome.unmaintained:
                codes = outcome.unmaintained
                more = f"等 {len(codes)} 家" if len(codes) > 8 else ""
                text += f"<br>未及时维护人员状态的机构（第四十六条）：{'、'.join(codes[:8])}{more}"
        if outcome.problems:
            cut = "，仅列前 2000 个" if len(outcome.problems) > SHOWN_PROBLEMS else ""
            text += f"<br>有问题的行 {outcome.problem_rows:,} 行（见下表{cut}；完整清单请保存错误报告）。"
        self.summary.setText(text)
        self.buttons["save_errors"].setEnabled(bool(outcome.problems))
        self.buttons["save_list"].setEnabled(outcome.run_id is not None)
        self.buttons["print_notices"].setEnabled(bool(outcome.findings) and outcome.run_id is not None)

    # -- outputs
    def save_list(self) -> None:
        """The recovery list of the run as .xlsx."""
        out = ask.save_path(
            self.dialog, "保存追回清单", f"追回清单_第{self.outcome.run_id}次.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if out:
            from yibao_desktop.services.settlement_outputs import recovery_list

            data = self.window.guard(lambda: recovery_list(self.ctx, self.outcome.run_id), f"追回清单已保存到 {out}")
            if data:
                Path(out).write_bytes(data)

    def save_errors(self) -> None:
        """Every problem row (row, column, message, the row's cells) as .xlsx."""
        out = ask.save_path(self.dialog, "保存错误报告", "结算明细_错误报告.xlsx", "Excel 工作簿 (*.xlsx)")
        if out:
            from yibao_desktop.services.settlement_outputs import error_report

            Path(out).write_bytes(error_report(self.outcome))

    def print_notices(self) -> None:
        """追回医保基金通知书 of every institution with findings, in the print preview."""
        from yibao_desktop.services.settlement_notices import recovery_notices_pdf

        run_id = self.outcome.run_id
        self.window.preview_pdf(lambda: recovery_notices_pdf(self.ctx, run_id), "追回医保基金通知书")
