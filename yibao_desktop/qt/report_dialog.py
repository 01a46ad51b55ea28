"""统计报表与状态变更名单: choose the report and its period (month, quarter, year or dates), save the .xlsx or open
the PDF in the print preview. The work runs in the background runner."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton

from yibao_desktop.domain.errors import DomainError

from . import ask
from .fields import DateField
from .uiload import child, load_ui

KINDS = (
    ("stats", "记分与处理情况统计表（报医疗保障行政部门，第四十条）"),
    ("status", "各机构登记备案状态变更名单（第三十三条、第三十七条）"),
)
PRESETS = ("本月", "上月", "本季度", "上季度", "本年", "上年", "自定义")


def preset_period(name: str, today: date) -> tuple[date, date] | None:
    """First and last day of a named period around `today` (None for 自定义)."""
    if name in ("本月", "上月"):
        first = today.replace(day=1)
        if name == "上月":
            first = (first - timedelta(days=1)).replace(day=1)
        nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return first, nxt - timedelta(days=1)
    if name in ("本季度", "上季度"):
        q = (today.month - 1) // 3
        year = today.year
        if name == "上季度":
            q, year = (q - 1) % 4, year - (1 if q == 0 else 0)
        first = date(year, q * 3 + 1, 1)
        nxt = date(year + 1, 1, 1) if q == 3 else date(year, q * 3 + 4, 1)
        return first, nxt - timedelta(days=1)
    if name in ("本年", "上年"):
        year = today.year - (1 if name == "上年" else 0)
        return date(year, 1, 1), date(year, 12, 31)
    return None


class ReportDialog(QObject):
    """The two reports of issue 14, one window."""

    def __init__(self, window):
        super().__init__(window.qwindow)
        self.window, self.ctx = window, window.ctx
        self.dialog: QDialog = load_ui("report_dialog", window.qwindow)
        d = self.dialog
        self.kind: QComboBox = child(d, QComboBox, "kind")
        self.kind.addItems([label for _, label in KINDS])
        self.preset: QComboBox = child(d, QComboBox, "preset")
        self.preset.addItems(PRESETS)
        self.date_from: DateField = child(d, DateField, "date_from")
        self.date_to: DateField = child(d, DateField, "date_to")
        self.hint: QLabel = child(d, QLabel, "hint")
        self.preset.currentTextChanged.connect(self._apply_preset)
        child(d, QPushButton, "save_xlsx").clicked.connect(lambda: self.run("xlsx"))
        child(d, QPushButton, "preview_pdf").clicked.connect(lambda: self.run("pdf"))
        child(d, QPushButton, "close").clicked.connect(d.close)
        self.preset.setCurrentText("上月")
        self._apply_preset("上月")

    def open(self) -> ReportDialog:
        """Show the window (non-blocking)."""
        self.dialog.show()
        return self

    def _apply_preset(self, name: str) -> None:
        span = preset_period(name, self.ctx.today())
        if span:
            self.date_from.setDate(span[0])
            self.date_to.setDate(span[1])

    def period(self) -> tuple[date, date]:
        """The dates chosen; DomainError in Chinese when one is missing or not a date."""
        start, end = self.date_from.date(), self.date_to.date()
        if start is None or end is None:
            raise DomainError("请填写统计期间的开始和结束日期。")
        return start, end

    def run(self, fmt: str) -> None:
        """Build the chosen report in the background; save the .xlsx or preview the PDF."""
        try:
            start, end = self.period()
        except DomainError as err:
            self.window.show_error("报表", err.message)
            return
        kind = KINDS[self.kind.currentIndex()][0]
        out = None
        if fmt == "xlsx":
            name = "统计表" if kind == "stats" else "状态变更名单"
            out = ask.save_path(self.dialog, "保存报表", f"{name}_{start}_{end}.xlsx", "Excel 工作簿 (*.xlsx)")
            if not out:
                return
        ctx = self.ctx

        def work(_progress, _cancelled):
            from yibao_desktop.services.reports import stats_report, status_lists

            if kind == "stats":
                return stats_report(ctx, start, end, fmt)
            xlsx, pdf, _n = status_lists(ctx, start, end)
            return xlsx if fmt == "xlsx" else pdf

        def done(data: bytes) -> None:
            if out:
                Path(out).write_bytes(data)
                self.hint.setText(f"已保存到 {out}")
            else:
                self.window.preview_pdf(lambda: data, KINDS[self.kind.currentIndex()][1].split("（")[0])

        self.hint.setText("正在生成…")
        self.window.runner.start("report", work, on_result=done, on_error=lambda m: self.hint.setText(f"未完成：{m}"))
