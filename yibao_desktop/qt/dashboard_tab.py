"""工作台 tab: counts of open work and the statutory deadline list, colour-coded."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView

from . import layout_memory
from .table_model import Column, RowTableModel
from .uiload import child, load_ui

URGENCY = {"overdue": "#c0392b", "soon": "#d35400"}
TILE_TAB = {"institutions": 1, "agreements": 2, "registrations": 3, "no_commitment": 3, "drafts": 3,
            "suspended": 3, "terminated": 3, "appeals": 4}
TILE_TEXT = {"institutions": "定点机构", "agreements": "有效协议", "registrations": "登记备案人员",
             "no_commitment": "未签承诺书", "drafts": "待审核处理意见", "suspended": "暂停人员",
             "terminated": "终止人员", "appeals": "待办申诉"}


class DashboardTab(QObject):
    """Tiles that jump to the tab behind them and the deadline table."""

    key = "dashboard"

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.widget = load_ui("dashboard_tab", parent)
        self.table: QTableView = child(self.widget, QTableView, "table")
        self.model = RowTableModel([
            Column("到期日", lambda r: r.due, 90, color=lambda r: URGENCY.get(r.urgency)),
            Column("事项", lambda r: r.kind, 100, color=lambda r: URGENCY.get(r.urgency)),
            Column("对象", lambda r: r.subject, 160), Column("说明", lambda r: r.detail, 420),
            Column("状态", lambda r: {"overdue": "已逾期", "soon": "即将到期", "later": ""}[r.urgency], 80,
                   color=lambda r: URGENCY.get(r.urgency)),
        ], self)
        self.table.setModel(self.model)
        for i, c in enumerate(self.model.columns):
            self.table.setColumnWidth(i, c.width)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # overdue first (Qt defaults to descending)
        child(self.widget, QLabel, "title").setStyleSheet("font-size: 18px; font-weight: bold;")
        self.tiles = {k: child(self.widget, QPushButton, f"tile_{k}") for k in TILE_TEXT}
        for k, b in self.tiles.items():
            b.setMinimumHeight(56)
            b.clicked.connect(lambda _=False, k=k: window.show_tab(TILE_TAB[k]))
        self.warnings = child(self.widget, QLabel, "warnings")
        self.warnings.setStyleSheet("color: #b9770e;")
        self.flagged = child(self.widget, QLabel, "flagged")
        self.empty = child(self.widget, QLabel, "empty")
        self.table.doubleClicked.connect(lambda idx: window.open_todo(self.model.row_at(idx.row())))
        self.search = None
        self.all_rows: list = []

    def refresh(self) -> None:
        """Reload counts and deadlines in the background."""
        from yibao_desktop.services.dashboard import load_dashboard

        ctx = self.window.ctx
        if ctx is not None:
            self.window.runner.start(self.key, lambda _p, _c: load_dashboard(ctx), on_result=self.show,
                                     on_error=lambda m: self.window.show_error("读取失败", m))

    def show(self, dash) -> None:
        """Fill tiles, warnings, deadline table and the flagged-institution list."""
        for k, b in self.tiles.items():
            b.setText(f"{dash.counts.get(k, 0)}\n{TILE_TEXT[k]}")
        self.warnings.setText("\n".join(dash.warnings))
        self.warnings.setVisible(bool(dash.warnings))
        self.all_rows = dash.todos
        self.model.set_rows(dash.todos)
        self.empty.setText("" if dash.todos else "目前没有需要处理的法定期限事项：通知书签发、送达、申诉办结、暂停期满、"
                           "协议续签和辅导期届满会在这里按到期日列出。")
        text = "；".join(f"{n}（{c}）：{k}人次/{r}人" for c, n, k, r in dash.flagged_institutions) or "无。"
        if self.window.ctx.profile.watch_threshold:
            text += (f"\n本年度累计记分达到{self.window.ctx.profile.watch_threshold}分、须约谈并列入重点监管的人员："
                     f"{dash.counts.get('watch', 0)}人。")
        self.flagged.setText(text)

    def save_layout(self, scope: str) -> None:
        """Remember column widths (per database)."""
        layout_memory.save_header(scope, self.key, self.table.horizontalHeader())

    def restore_layout(self, scope: str) -> None:
        """Column widths as last left with this database."""
        layout_memory.restore_header(scope, self.key, self.table.horizontalHeader())

    def visible_rows(self):
        """The deadline rows (for export)."""
        return self.model.rows

    def export_rows(self):
        """Headers and values of the deadline list."""
        cols = self.model.columns
        return [c.header for c in cols], [[c.get(r) for c in cols] for r in self.model.rows]

    def focus_search(self) -> None:
        """No search box on the dashboard."""
