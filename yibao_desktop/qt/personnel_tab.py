"""人员记分 tab: registrations with this year's points; the person dossier beside; scoring and notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QSplitter, QTextBrowser

from yibao_desktop.domain.attention import points_level
from yibao_desktop.domain.pinyin import name_sort_key
from yibao_desktop.domain.policy import PolicyProfile

from . import layout_memory
from .dossier_view import dossier_html
from .table_model import Column
from .table_tab import TableTab
from .uiload import child

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

STATUS_COLOURS = {"suspended": "#d35400", "terminated": "#c0392b", "cancelled": "#7f8c8d"}
POINTS_COLOURS = {"suspend": "#c0392b", "watch": "#d35400"}  # levels from domain/attention.py: points_level


class PersonnelTab(TableTab):
    """Registrations table with status / institution / commitment filters and the dossier pane."""

    ui_name = "personnel_tab"
    key = "personnel"
    first_page = 1000
    empty_text = "还没有登记备案的相关人员。点“登记备案”录入，或点“导入 Excel”按人员登记备案名册导入。"

    def columns(self):
        # the columns a clerk decides by (状态, 承诺书, 本年记分) come right after the person, visible on 1366 px
        return [
            Column("姓名", lambda r: r.name, 72, sort=lambda r: r.name_sort or r.name),  # pinyin order
            Column("身份证件号码", lambda r: r.id_number, 150),
            Column("性别", lambda r: r.sex, 36),
            Column("状态", lambda r: r.status_label, 48, color=lambda r: STATUS_COLOURS.get(r.status)),
            Column(
                "承诺书",
                lambda r: "已签" if r.commitment else "未签",
                52,
                color=lambda r: None if r.commitment else "#c0392b",
            ),
            Column(
                "本年记分",
                lambda r: r.year_points,
                64,
                align_right=True,
                color=lambda r: POINTS_COLOURS.get(self._points_level(r.year_points)),
            ),
            Column("医药机构", lambda r: r.institution_name, 190, sort=lambda r: name_sort_key(r.institution_name)),
            Column("医保相关人员代码", lambda r: r.person_code, 124),
            Column("执业类型", lambda r: r.practice_type, 80),
            Column("专业技术职务", lambda r: r.title, 90),
        ]

    def use_profile(self, profile: PolicyProfile) -> None:
        """The policy profile whose thresholds colour 本年记分 (given when a database opens and after 设置)."""
        self.profile = profile
        self.model.layoutChanged.emit()  # recolour what is shown

    def _points_level(self, points: int) -> str | None:
        """The colour level of a yearly total under the profile given (none before a database is open)."""
        return points_level(points, self.profile) if self.profile is not None else None

    def setup(self):
        self.profile: PolicyProfile | None = None
        self.dossier: QTextBrowser = child(self.widget, QTextBrowser, "dossier")
        self.dossier.setHtml("<p style='color:#777'>选中一名人员，这里显示其“一医一档”。</p>")
        self.splitter: QSplitter = child(self.widget, QSplitter, "splitter")
        self.splitter.setChildrenCollapsible(True)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([1000, 330])  # on 1366 px the key columns stay in view beside the dossier
        self.dossier_toggle = QPushButton("一医一档", self.widget)
        self.dossier_toggle.setObjectName("btn_dossier")
        self.dossier_toggle.setCheckable(True)
        self.dossier_toggle.setToolTip("显示或收起右侧的“一医一档”（收起后表格占满宽度）")
        self.dossier_toggle.setChecked(self.splitter.sizes()[1] > 0)
        self.dossier_toggle.toggled.connect(self.show_dossier_pane)
        self.splitter.splitterMoved.connect(lambda *_a: self.dossier_toggle.setChecked(self.splitter.sizes()[1] > 0))
        self.widget.findChild(QHBoxLayout, "actions").insertWidget(6, self.dossier_toggle)
        self.add_filter("f_status", lambda r, v: r.status == v)
        self.add_filter("f_institution", lambda r, v: r.institution_id == v)
        self.add_filter("f_commitment", lambda r, v: r.commitment == v)
        # 已注销 registrations are hidden until asked for; the flag is read by the loader's worker thread
        self.include_cancelled = False
        self.show_cancelled: QCheckBox = child(self.widget, QCheckBox, "show_cancelled")
        self.show_cancelled.toggled.connect(self.toggle_cancelled)
        self.selection_changed.connect(self.show_dossier)

    def show_dossier_pane(self, visible: bool) -> None:
        """Collapse the dossier to give the table the whole width, or bring it back."""
        total = sum(self.splitter.sizes())
        pane = 330 if visible else 0
        self.splitter.setSizes([total - pane, pane])

    def toggle_cancelled(self, shown: bool) -> None:
        """Show or hide the 已注销 registrations (read again from the database)."""
        self.include_cancelled = shown
        self.refresh()

    def load_rows(self, ctx: AppContext, limit=None):
        from yibao_desktop.services.registrations import list_registrations

        return list_registrations(ctx, include_cancelled=self.include_cancelled, limit=limit)

    def filter_items(self, rows):
        statuses = [("active", "正常"), ("suspended", "暂停"), ("terminated", "终止")]
        self.set_filter_values("f_status", statuses + ([("cancelled", "已注销")] if self.include_cancelled else []))
        insts = {(r.institution_id, r.institution_name) for r in rows}
        self.set_filter_values("f_institution", sorted(insts, key=lambda x: x[1]))
        self.set_filter_values("f_commitment", [(True, "已签"), (False, "未签")])

    def show_dossier(self, row) -> None:
        """Load the selected person's dossier (fast path: one person's rows)."""
        from yibao_desktop.services.dossier import load_dossier

        if row is None or self.window.ctx is None:
            return
        ctx = self.window.ctx
        self.window.runner.start(
            "dossier",
            lambda _p, _c: load_dossier(ctx, row.person_id),
            on_result=lambda d: self.dossier.setHtml(dossier_html(d, ctx.today())),
            on_error=lambda m: self.dossier.setPlainText(m),
        )

    def save_layout(self, scope: str) -> None:
        super().save_layout(scope)
        layout_memory.save_splitter(scope, "personnel", self.splitter)

    def restore_layout(self, scope: str) -> None:
        super().restore_layout(scope)
        if layout_memory.restore_splitter(scope, "personnel", self.splitter):
            self.dossier_toggle.setChecked(self.splitter.sizes()[1] > 0)
