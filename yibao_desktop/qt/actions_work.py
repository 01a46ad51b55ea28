"""The 业务 menu: the everyday steps with keyboard shortcuts (shown in the menu and in the buttons' tooltips), the
notice steps 审核/签发/送达 on the selected person or work-list line, and the way from a work-list line or tile to
its exact record or filtered list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from . import ask
from .actions_base import AGREEMENTS, APPEALS, DASHBOARD, PERSONNEL, Actions, Shell
from .fields import shortcut_text

if TYPE_CHECKING:
    from .actions_institutions import InstitutionActions
    from .actions_people import PersonnelActions
    from .dashboard_tab import DashboardTab

# (object name, menu text, shortcut, what it does)
WORK_STEPS = (
    ("act_score", "录入记分(&J)…", "Ctrl+J", "score"),
    ("act_notice", "处理通知书(&T)…", "Ctrl+T", "notice"),
    ("act_approve", "审核处理意见(&S)…", "Ctrl+Shift+S", "approve"),
    ("act_issue", "签发通知书(&F)…", "Ctrl+Shift+F", "issue"),
    ("act_deliver", "登记送达(&D)…", "Ctrl+Shift+D", "deliver"),
)
STEP_STATES = {"approve": ("draft",), "issue": ("approved",), "deliver": ("issued",)}
STEP_WORDS = {"approve": "待审核", "issue": "待签发", "deliver": "待送达"}
TODO_TABS = {"person": PERSONNEL, "agreement": AGREEMENTS, "appeal": APPEALS}  # work-list line → its tab


def plain(text: str) -> str:
    """Menu text without its accelerator and dots: “录入记分(&J)…” → “录入记分”."""
    return text.split("(&")[0].rstrip("…")


class WorkActions(Actions):
    """Typed dependencies: the shell, the tabs by key (the 工作台 among them), and the actions a work-list line or
    a 业务 step leads to (the person's, the institution's for 定点申请)."""

    refreshes = (PERSONNEL, APPEALS, DASHBOARD)  # a notice step shows in the person's row, appeals and work list

    def __init__(
        self,
        shell: Shell,
        tabs: Mapping[str, Any],
        people: PersonnelActions,
        institutions: InstitutionActions,
    ):
        super().__init__(shell)
        self.tabs = tabs
        self.dashboard: DashboardTab = tabs[DASHBOARD]
        self.people = people
        self.institutions = institutions

    def wire(self) -> None:
        """A double-click or Enter on a work-list line opens its record; a tile opens its filtered list."""
        self.dashboard.activated.connect(self.open_todo)
        self.dashboard.tile_opened.connect(self.open_filtered)

    def build_work_menu(self) -> QMenu:
        """业务 menu before 帮助, with the shortcuts; the tab buttons' tooltips name the same keys."""
        bar = self.qwindow.menuBar()
        menu = QMenu("业务(&B)", bar)
        menu.setObjectName("menu_work")
        help_menu = self.qwindow.findChild(QMenu, "menu_help")
        bar.insertMenu(help_menu.menuAction(), menu)
        for name, text, keys, what in WORK_STEPS:
            act = QAction(text, self.qwindow)
            act.setObjectName(name)
            act.setShortcut(QKeySequence(keys))
            act.setToolTip(f"{plain(text)}（{shortcut_text(act)}）")
            act.triggered.connect(lambda _=False, what=what: self.work_step(what))
            menu.addAction(act)
            self.shell.actions[name] = act
        manual = QAction("使用手册(&M)", self.qwindow)
        manual.setObjectName("act_manual")
        manual.setShortcut(QKeySequence("F1"))
        manual.triggered.connect(lambda _=False: self.show_manual())
        help_menu.insertAction(help_menu.actions()[0] if help_menu.actions() else None, manual)
        self.shell.actions["act_manual"] = manual
        tab = self.people.tab
        for button, name in (("btn_score", "act_score"), ("btn_notices", "act_notice")):
            tab.button(button).setToolTip(self.shell.actions[name].toolTip())
        return menu

    def work_step(self, what: str) -> None:
        """One of the 业务 menu's steps on what is selected."""
        if what == "score":
            self.people.enter_score()
        elif what == "notice":
            self.people.notice_actions()
        else:
            self.notice_step(what)

    def _selected_disposition_id(self) -> int | None:
        """The notice of the work-list line in front, if the 工作台 is in front and a notice line is selected."""
        if self.shell.front_key() == DASHBOARD:
            todo = self.dashboard.current_row()
            if todo is not None and todo.ref == "disposition":
                return todo.ref_id
        return None

    def notice_step(self, step: str) -> None:
        """审核 / 签发 / 送达: open the notice dialog at that step for the selected line or person."""
        from yibao_desktop.domain.errors import DomainError
        from yibao_desktop.services.notices_query import disposition, dispositions_of

        from .dialogs.notice import NoticeDialog

        did = self._selected_disposition_id()
        try:
            if did is not None:
                candidates = [disposition(self.ctx, did)]
            else:
                row = self.people.tab.current_row()
                if row is None:
                    ask.info(self.qwindow, "提示", "请先在“人员记分”中选中一名人员，或在“工作台”中选中一条通知书事项。")
                    return
                candidates = [d for d in dispositions_of(self.ctx, row.person_id) if d.state in STEP_STATES[step]]
                if not candidates:
                    ask.info(self.qwindow, "处理通知书", f"{row.name} 没有{STEP_WORDS[step]}的处理通知书。")
                    return
        except DomainError as err:
            self.shell.show_error("处理通知书", err.message)
            return
        labels = [f"{d.person_name} {d.doc_no or '（未签发）'} {d.kind_label} {d.state_label}" for d in candidates]
        chosen = labels[0] if len(labels) == 1 else ask.choose(self.qwindow, "处理通知书", "选择通知书：", labels)
        if chosen is None:
            return
        d = candidates[labels.index(chosen)]
        NoticeDialog(self.shell, disposition=d, step=step).open().saved.connect(lambda message: self.done(message))

    def open_filtered(self, key: str, filters: dict) -> None:
        """Bring a tab to the front showing only what a tile counted (search cleared, other filters 全部)."""
        self.shell.show_tab(key)
        self.tabs[key].show_filtered(filters)

    def open_todo(self, todo) -> None:
        """A work-list line opens its exact record: the notice at its next step, or the row in its tab; a suspension
        reaching its limit first offers to enter the termination proposal."""
        if todo is None:
            return
        if todo.kind == "中止满期" and self.propose_expired_termination(todo):
            return
        if todo.ref == "disposition":
            from yibao_desktop.domain.errors import DomainError
            from yibao_desktop.services.notices_query import disposition

            from .dialogs.notice import NoticeDialog

            try:
                d = disposition(self.ctx, todo.ref_id)
            except DomainError as err:
                self.shell.show_error("处理通知书", err.message)
                return
            step = "approve" if todo.awaiting == "review" else None
            NoticeDialog(self.shell, disposition=d, step=step).open().saved.connect(lambda message: self.done(message))
            return
        if todo.ref == "application":
            self.institutions.open_application(todo.ref_id)
            return
        key = TODO_TABS.get(todo.ref)
        if key is None:
            return
        self.open_filtered(key, {})
        tab = self.tabs[key]
        if todo.ref == "person":
            row = next((r for r in tab.model.rows if r.person_id == todo.ref_id), None)
            found = row is not None and tab.select_key(tab.row_key(row))
        else:
            found = tab.select_key(todo.ref_id)
        if found:
            tab.table.setFocus()

    def show_manual(self):
        """F1: the Chinese manual in a window of the program (non-modal, beside the work)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

        from yibao_desktop.paths import resources_dir

        from .screen import fit_to_screen

        dlg = QDialog(self.qwindow)
        dlg.setWindowTitle("使用手册 — 医保定点管理桌面系统")
        browser = QTextBrowser(dlg)
        browser.setObjectName("manual")
        browser.setOpenExternalLinks(False)
        browser.setSource(QUrl.fromLocalFile(str(resources_dir() / "manual" / "index.html")))
        QVBoxLayout(dlg).addWidget(browser)
        dlg.resize(760, 640)
        fit_to_screen(dlg)
        dlg.show()
        self.shell.last_dialog = dlg
        return dlg

    def propose_expired_termination(self, todo) -> bool:
        """《广东办法》第四十一条: a suspension not resumed within the profile's days ends the agreement — enter the
        termination proposal (another reviewer approves it). False when the clerk declines (the agreement opens)."""
        from yibao_desktop.services.agreements import propose_termination

        days = self.ctx.profile.request_suspension_max_days
        no = ask.text(
            self.qwindow,
            "拟解除协议",
            f"{todo.subject}：协议中止超过{days}日仍未提出继续履行协议申请的，协议自动终止（第四十一条）。\n"
            "录入解除协议（须另一位审核人员审核），请填写决定文书号（取消则打开该协议）：",
        )
        if no is None:
            return False
        detail = f"协议中止超过{days}日仍未提出继续履行协议申请，协议自动终止（《广东办法》第四十一条）"
        self.guard(
            lambda: propose_termination(self.ctx, todo.ref_id, "by_law", self.ctx.today(), no, detail),
            refresh=(AGREEMENTS, DASHBOARD),
        )
        return True
