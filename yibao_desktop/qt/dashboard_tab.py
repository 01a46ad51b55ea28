"""工作台 tab: tiles that open the filtered list behind them, the deadlines grouped 已逾期/今天/本周/以后 with the
days left and the reviewer's 待审核 queue, a line opening its exact record, and a chart."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QWidget

from yibao_desktop.domain.worklist import GROUPS

from . import layout_memory
from .table_model import ROW_ROLE, Column, RowTableModel
from .uiload import child, load_ui

URGENCY = {"overdue": "#c0392b", "soon": "#d35400"}
TILE_TEXT = {
    "institutions": "定点机构",
    "agreements": "有效协议",
    "registrations": "登记备案人员",
    "no_commitment": "未签承诺书",
    "drafts": "待审核处理意见",
    "suspended": "暂停人员",
    "terminated": "终止人员",
    "appeals": "待办申诉",
}
# tile → (tab key, {filter combo: value}) of the list it opens; 待审核 opens the queue on this tab
TILE_OPENS = {
    "institutions": ("institutions", {}),
    "agreements": ("agreements", {}),
    "registrations": ("personnel", {}),
    "no_commitment": ("personnel", {"f_commitment": False}),
    "suspended": ("personnel", {"f_status": "suspended"}),
    "terminated": ("personnel", {"f_status": "terminated"}),
    "appeals": ("appeals", {}),
}
REVIEW = "待审核"
ALL = "全部"


def days_text(n: int) -> str:
    """“还剩3天”, “今天到期”, “逾期2天” (calendar days)."""
    if n == 0:
        return "今天到期"
    return f"还剩{n}天" if n > 0 else f"逾期{-n}天"


class DashboardTab(QObject):
    """Tiles, the grouped deadline list and the chart."""

    key = "dashboard"
    activated = Signal(object)  # a work-list line was double-clicked: its TodoRow
    tile_opened = Signal(str, dict)  # a tile asks for its list: tab key, filters

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.widget = load_ui("dashboard_tab", parent)
        self.table: QTableView = child(self.widget, QTableView, "table")
        self.model = RowTableModel(
            [
                Column(
                    "分组",
                    lambda r: r.group,
                    56,
                    sort=lambda r: (GROUPS.index(r.group) if r.group in GROUPS else 9, r.due),
                    color=lambda r: URGENCY.get(r.urgency),
                ),
                Column("到期日", lambda r: r.due, 90, color=lambda r: URGENCY.get(r.urgency)),
                Column(
                    "剩余",
                    lambda r: days_text(r.days_left),
                    70,
                    sort=lambda r: r.days_left,
                    align_right=True,
                    color=lambda r: URGENCY.get(r.urgency),
                ),
                Column("事项", lambda r: r.kind, 86),
                Column("对象", lambda r: r.subject, 150),
                Column("说明", lambda r: r.detail, 330),
            ],
            self,
        )
        self.table.setModel(self.model)
        for i, c in enumerate(self.model.columns):
            self.table.setColumnWidth(i, c.width)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # overdue first (Qt defaults to descending)
        self.table.doubleClicked.connect(lambda idx: self.activated.emit(idx.data(ROW_ROLE)))
        child(self.widget, QLabel, "title").setStyleSheet("font-size: 18px; font-weight: bold;")
        self.tiles = {k: child(self.widget, QPushButton, f"tile_{k}") for k in TILE_TEXT}
        for k, b in self.tiles.items():
            b.setMinimumHeight(52)
            b.setToolTip("待审核的处理意见（在下方列表中显示）" if k == "drafts" else f"打开{TILE_TEXT[k]}列表")
            b.clicked.connect(lambda _=False, k=k: self.open_tile(k))
        self.warnings = child(self.widget, QLabel, "warnings")
        self.warnings.setStyleSheet("color: #b9770e;")
        self.flagged = child(self.widget, QLabel, "flagged")
        self.empty = child(self.widget, QLabel, "empty")
        self._group_buttons()
        self.splitter: QSplitter = child(self.widget, QSplitter, "splitter")
        self.chart_box: QWidget = child(self.widget, QWidget, "chart_box")
        self.chart = None
        self.splitter.setSizes([820, 500])
        self.search = None
        self.all_rows: list = []
        self.counts: dict[str, int] = {}
        self._shown_once = False

    def _group_buttons(self) -> None:
        """全部 / 已逾期 / 今天 / 本周 / 以后 / 待审核, each with its count; one is chosen at a time."""
        bar: QHBoxLayout = self.widget.findChild(QHBoxLayout, "groups")
        self.group_buttons: dict[str, QPushButton] = {}
        self.group_choice = QButtonGroup(self)
        self.group_choice.setExclusive(True)
        for name in (ALL, *GROUPS, REVIEW):
            b = QPushButton(name, self.widget)
            b.setObjectName(f"group_{len(self.group_buttons)}")
            b.setCheckable(True)
            b.setFlat(False)
            b.clicked.connect(lambda _=False, name=name: self.show_group(name))
            self.group_choice.addButton(b)
            bar.addWidget(b)
            self.group_buttons[name] = b
        bar.addStretch(1)
        self.group_buttons[ALL].setChecked(True)
        self.group = ALL

    def refresh(self) -> None:
        """Reload counts, deadlines and chart figures in the background."""
        from yibao_desktop.services.charts import chart_data
        from yibao_desktop.services.dashboard import load_dashboard

        ctx = self.window.ctx
        if ctx is not None:
            self.window.runner.start(
                self.key,
                lambda _p, _c: (load_dashboard(ctx), chart_data(ctx)),
                on_result=lambda pair: self.show(*pair),
                on_error=lambda m: self.window.show_error("读取失败", m),
            )

    def show(self, dash, charts=None) -> None:
        """Fill tiles, group counts, the deadline list, warnings, the flagged institutions and the chart."""
        for k, b in self.tiles.items():
            b.setText(f"{dash.counts.get(k, 0)}\n{TILE_TEXT[k]}")
        self.counts = dict(dash.groups)
        self.counts[ALL] = len(dash.todos)
        for name, b in self.group_buttons.items():
            n = self.counts.get(name, 0)
            b.setText(f"{name} {n}")
            colour = "#c0392b" if name == GROUPS[0] and n else "#d35400" if name in (GROUPS[1], REVIEW) and n else ""
            b.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        self.warnings.setText("\n".join(dash.warnings))
        self.warnings.setVisible(bool(dash.warnings))
        self.all_rows = dash.todos
        if not self._shown_once:
            self._shown_once = True
            ctx = self.window.ctx
            if self.counts.get(REVIEW) and ctx is not None and getattr(ctx, "role", "") == "reviewer":
                self.group_buttons[REVIEW].setChecked(True)  # a reviewer starts at the queue
                self.group = REVIEW
        self.show_group(self.group)
        text = "；".join(f"{n}（{c}）：{k}人次/{r}人" for c, n, k, r in dash.flagged_institutions) or "无。"
        if self.window.ctx.profile.watch_threshold:
            text += (
                f"\n本年度累计记分达到{self.window.ctx.profile.watch_threshold}分、须约谈并列入重点监管的人员："
                f"{dash.counts.get('watch', 0)}人。"
            )
        self.flagged.setText(text)
        if charts is not None:
            self._chart().show_data(charts)

    def _chart(self):
        if self.chart is None:
            from .charts_panel import ChartPanel

            self.chart = ChartPanel(self.window, self.chart_box)
            self.chart_box.layout().addWidget(self.chart)
        return self.chart

    def show_group(self, name: str) -> None:
        """Show one group of deadlines (or the 待审核 queue, or all)."""
        self.group = name
        self.group_buttons[name].setChecked(True)
        if name == ALL:
            rows = list(self.all_rows)
        elif name == REVIEW:
            rows = [r for r in self.all_rows if r.awaiting == "review"]
        else:
            rows = [r for r in self.all_rows if r.group == name]
        self.model.set_rows(rows)
        if not self.all_rows:
            self.empty.setText(
                "目前没有需要处理的法定期限事项：通知书签发、送达、申诉办结、暂停期满、协议续签和"
                "辅导期届满会在这里按到期日列出。"
            )
        elif not rows:
            self.empty.setText(f"“{name}”中没有事项。")
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))

    def open_tile(self, key: str) -> None:
        """A tile opens the list behind it, filtered as the tile counts."""
        if key == "drafts":
            self.show_group(REVIEW)
            return
        tab_key, filters = TILE_OPENS[key]
        self.tile_opened.emit(tab_key, filters)

    def current_row(self):
        """The selected deadline line."""
        idx = self.table.currentIndex()
        return idx.data(ROW_ROLE) if idx.isValid() else None

    def save_layout(self, scope: str) -> None:
        """Remember column widths (per database)."""
        layout_memory.save_header(scope, self.key, self.table.horizontalHeader())

    def restore_layout(self, scope: str) -> None:
        """Column widths as last left with this database."""
        layout_memory.restore_header(scope, self.key, self.table.horizontalHeader())

    def visible_rows(self):
        """The deadline rows shown (for export)."""
        return self.model.rows

    def export_rows(self):
        """Headers and values of the deadline list."""
        cols = self.model.columns
        return [c.header for c in cols], [[c.get(r) for c in cols] for r in self.model.rows]

    def focus_search(self) -> None:
        """No search box on the dashboard: Ctrl+F goes to the deadline list."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
