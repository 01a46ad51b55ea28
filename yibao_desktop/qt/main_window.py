"""The main window: the tabs (found by key), menus and shortcuts, status bar, and one actions object per tab.

The window is the `Shell` the actions stand on (context, task runner, message boxes, PDF preview, reloading the
tabs a change touched); it builds each tab's actions with their typed dependencies and routes the window-wide
shortcuts (Ctrl+N, Ctrl+P, …) to the actions of the tab in front."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.paths import user_data_dir

from . import ask, layout_memory
from .actions_accounts import AccountActions
from .actions_agreements import AgreementActions
from .actions_appeals import AppealActions
from .actions_base import AGREEMENTS, APPEALS, DASHBOARD, INSTITUTIONS, PERSONNEL, TabActions
from .actions_documents import FileActions
from .actions_institutions import InstitutionActions
from .actions_people import PersonnelActions
from .actions_work import WorkActions
from .agreements_tab import AgreementsTab
from .appeals_tab import AppealsTab
from .dashboard_tab import DashboardTab
from .institutions_tab import InstitutionsTab
from .personnel_tab import PersonnelTab
from .screen import available, fit_to_screen
from .tasks import TaskRunner
from .uiload import child, load_ui

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

TAB_TITLES = {  # tab key → title, in the order the tabs are shown
    DASHBOARD: "工作台",
    INSTITUTIONS: "定点机构",
    AGREEMENTS: "医保协议",
    PERSONNEL: "人员记分",
    APPEALS: "申诉处理",
}
ROLE_LABELS = {"admin": "管理员", "clerk": "经办", "reviewer": "审核", "auditor": "只读稽核"}


def database_place(url: str) -> str:
    """Where the data lives, as a clerk reads it: the SQLite file path, or the PostgreSQL server and database."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///") or "内存数据库"
    if url.startswith("postgresql"):
        rest = url.split("://", 1)[-1]
        server = rest.rsplit("@", 1)[-1]
        host, _, name = server.partition("/")
        return f"PostgreSQL 服务器 {host}，数据库 {name.split('?')[0]}"
    return url


class _CloseWatcher(QObject):
    """Saves layout and stops background threads when the window closes."""

    def __init__(self, owner: MainWindow):
        super().__init__(owner.qwindow)
        self.owner = owner

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Close:
            self.owner.shutdown()
        return False


class MainWindow(QObject):
    """Wraps the QMainWindow loaded from ui/main_window.ui; ctx arrives after the first paint."""

    def __init__(self, ctx: AppContext = None):
        super().__init__()
        self.ctx = ctx
        self.runner = TaskRunner()
        self.last_dialog = None
        self.qwindow: QMainWindow = load_ui("main_window")
        self.tabs_widget: QTabWidget = child(self.qwindow, QTabWidget, "tabs")
        self.dashboard = DashboardTab(self)
        self.institutions = InstitutionsTab(self)
        self.agreements = AgreementsTab(self)
        self.personnel = PersonnelTab(self)
        self.appeals = AppealsTab(self)
        self.tabs: dict[str, Any] = {
            t.key: t for t in (self.dashboard, self.institutions, self.agreements, self.personnel, self.appeals)
        }
        for key, title in TAB_TITLES.items():
            self.tabs_widget.addTab(self.tabs[key].widget, title)
        self.status_db = QLabel()
        self.status_profile = QLabel()
        self.qwindow.statusBar().addPermanentWidget(self.status_profile)
        self.qwindow.statusBar().addPermanentWidget(self.status_db)
        self.actions: dict[str, QAction] = {a.objectName(): a for a in self.qwindow.findChildren(QAction)}
        self.files = FileActions(self, self.front)
        self.accounts = AccountActions(self, self.update_status)
        self.institution_actions = InstitutionActions(self, self.institutions, self.files)
        self.agreement_actions = AgreementActions(self, self.agreements, self.files)
        self.personnel_actions = PersonnelActions(self, self.personnel, self.files)
        self.appeal_actions = AppealActions(self, self.appeals, self.files)
        self.work = WorkActions(self, self.tabs, self.personnel_actions, self.institution_actions)
        self.tab_actions: dict[str, TabActions] = {
            INSTITUTIONS: self.institution_actions,
            AGREEMENTS: self.agreement_actions,
            PERSONNEL: self.personnel_actions,
            APPEALS: self.appeal_actions,
        }
        self._wire_actions()
        self.qwindow.installEventFilter(_CloseWatcher(self))
        self.layout_scope: str | None = None
        self.day_timer = QTimer(self.qwindow, singleShot=True)
        self.day_timer.timeout.connect(self.new_day)
        fit_to_screen(self.qwindow, wanted=QSize(1280, 800))
        if ctx is not None:
            self.set_context(ctx)

    def _wire_actions(self) -> None:
        files, accounts = self.files, self.accounts
        handlers = {
            "act_new": self.new_record,
            "act_search": lambda: self.current_tab().focus_search(),
            "act_export": files.export_current,
            "act_print": self.print_current,
            "act_import": files.import_current,
            "act_template": files.template_current,
            "act_refresh": self.refresh_all,
            "act_settings": self.open_settings,
            "act_quit": self.qwindow.close,
            "act_documents": files.show_documents,
            "act_batch_print": files.batch_print,
            "act_blank_forms": files.blank_forms,
            "act_about": self.about,
            "act_switch_user": accounts.switch_user,
            "act_settlement": files.settlement_check,
            "act_reports": files.open_reports,
        }
        for name, fn in handlers.items():
            self.actions[name].triggered.connect(lambda _=False, fn=fn: fn())
        self.work.build_work_menu()  # before the role gate, which keeps the tooltips it finds
        self.work.wire()
        accounts.install()
        for actions in self.tab_actions.values():
            actions.wire()  # the 操作记录 entries join the rows' actions before the row menus copy them
        from .row_menu import install_row_menu

        for key in self.tab_actions:
            install_row_menu(self.tabs[key])
        self.apply_role()

    # -- context
    def set_context(self, ctx: AppContext) -> None:
        """Attach the AppContext (after bootstrap) and load every tab."""
        self.ctx = ctx
        self.personnel.use_profile(ctx.profile)
        self.restore_layout(layout_memory.scope_of(ctx.db_label))
        self.update_status()
        self.new_day()

    def new_day(self) -> None:
        """At opening and at every midnight: today's statuses first (a period ended by the calendar), then every
        tab reloads; the one day timer is set again for the coming midnight."""
        from yibao_desktop.services.standing import apply_todays_statuses

        try:
            apply_todays_statuses(self.ctx)
        except DomainError as err:
            self.show_error("未能更新今日状态", err.message)
        self.refresh_all()
        now = datetime.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), time(0, 0, 5))
        self.day_timer.start(int((midnight - now).total_seconds() * 1000))

    def restore_layout(self, scope: str) -> None:
        """Window size and column layout as last left with this database, within the screen it opens on."""
        self.layout_scope = scope
        if layout_memory.restore_window(scope, self.qwindow):
            area = available(self.qwindow)
            if not area.contains(self.qwindow.geometry()):
                fit_to_screen(self.qwindow, area)  # remembered on a larger screen: shrink to this one
        for tab in self.tabs.values():
            tab.restore_layout(scope)

    def update_status(self) -> None:
        """Database location, policy profile and user in the status bar."""
        c = self.ctx
        self.status_db.setText(f"数据库：{database_place(c.db_label)}")
        self.status_db.setToolTip(f"数据库位置：{database_place(c.db_label)}")
        role = ROLE_LABELS.get(c.role, c.role) if c.actor else "未登录"
        self.status_profile.setText(
            f"政策配置：{c.profile.name}　用户：{c.username}（{role}）　{c.settings.office_name}"
        )
        self.qwindow.setWindowTitle(f"医保定点管理桌面系统 — {c.settings.office_name}")
        self.apply_role()

    def apply_role(self) -> None:
        """Grey out what the signed-in user's role may not do (the services refuse it anyway)."""
        from .role_gate import apply_role

        apply_role(self)

    def today(self) -> date:
        """Today as the context sees it."""
        return self.ctx.today() if self.ctx else date.today()

    def refresh_all(self) -> None:
        """Reload every tab in the background, the big 人员记分 list first."""
        self.refresh(*self.tabs)

    def refresh(self, *keys: str) -> None:
        """Reload the named tabs in the background (人员记分 first: the biggest list)."""
        for key in sorted(keys, key=lambda k: k != PERSONNEL):
            self.tabs[key].refresh()

    # -- the Shell the actions stand on
    def front_key(self) -> str:
        """The key of the tab in front."""
        front = self.tabs_widget.currentWidget()
        return next(k for k, t in self.tabs.items() if t.widget is front)

    def front(self) -> tuple[str, str, Any]:
        """The tab in front: key, title, tab object."""
        key = self.front_key()
        return key, TAB_TITLES[key], self.tabs[key]

    def current_tab(self):
        """The tab object in front."""
        return self.tabs[self.front_key()]

    def show_tab(self, key: str) -> None:
        """Bring the tab with this key to the front."""
        self.tabs_widget.setCurrentWidget(self.tabs[key].widget)

    def show_error(self, title: str, message: str) -> None:
        """A Chinese error box."""
        ask.error(self.qwindow, title, message)

    def after_change(self, message: str = "", *keys: str) -> None:
        """A change succeeded: say so in the status bar and reload the tabs it touched (none named: all of them,
        for a change that reaches everywhere, such as an import or the settings)."""
        if message:
            self.qwindow.statusBar().showMessage(message, 8000)
        self.refresh(*(keys or tuple(self.tabs)))

    def guard(self, fn, success: str | None = None):
        """Run a service call for a dialog that is not a tab's (e.g. the settlement check); show a DomainError in
        Chinese; say so on success (nothing reloads: such calls write files or their own records)."""
        try:
            result = fn()
        except DomainError as err:
            self.show_error("未能完成", err.message)
            return None
        self.qwindow.statusBar().showMessage(success or (result if isinstance(result, str) else "已保存。"), 8000)
        return result

    def preview_pdf(self, make, title: str) -> None:
        """Render (errors in Chinese, e.g. a missing glyph) and open the preview that prints the same PDF."""
        try:
            pdf = make()
        except DomainError as err:
            self.show_error("无法打印", err.message)
            return
        from .print_preview import PrintPreviewDialog

        PrintPreviewDialog(self, pdf, title).open()

    # -- window-wide shortcuts, routed to the actions of the tab in front
    def new_record(self) -> None:
        """Ctrl+N: new record of the tab in front (on the 工作台: go to 人员记分)."""
        actions = self.tab_actions.get(self.front_key())
        if actions is None:
            self.show_tab(PERSONNEL)
        else:
            actions.new()

    def print_current(self) -> None:
        """Ctrl+P: print the selected person's latest notice, or the registration form."""
        if self.front_key() != PERSONNEL:
            ask.info(self.qwindow, "打印", "请在“人员记分”中选中人员后打印其通知书或登记表；批量打印见“文件”菜单。")
            return
        self.personnel_actions.print_latest()

    def open_settings(self) -> None:
        """Settings dialog."""
        from .dialogs.settings import SettingsDialog

        dlg = SettingsDialog(self)
        dlg.saved.connect(lambda _s: self.settings_saved())
        dlg.open()

    def settings_saved(self) -> None:
        """After 设置: the profile may have changed (its thresholds colour the points) and everything reloads."""
        self.personnel.use_profile(self.ctx.profile)
        self.update_status()
        self.after_change("设置已保存。")

    def about(self) -> None:
        """About box."""
        from yibao_desktop import __version__

        where = database_place(self.ctx.db_label) if self.ctx else "（尚未打开）"
        ask.info(
            self.qwindow,
            "关于",
            f"医保定点管理桌面系统　版本 {__version__}\n"
            "定点医药机构、医保协议与相关人员医保支付资格记分管理。\n\n"
            f"数据库：{where}\n用户数据文件夹：{user_data_dir()}",
        )

    def shutdown(self) -> None:
        """Remember layout and stop background work."""
        if self.layout_scope is not None:
            layout_memory.save_window(self.layout_scope, self.qwindow)
            for tab in self.tabs.values():
                tab.save_layout(self.layout_scope)
        self.runner.shutdown()

    def show(self) -> None:
        """Show the window."""
        self.qwindow.show()

    def later(self, fn) -> None:
        """Run fn after the current event (first paint first)."""
        QTimer.singleShot(0, fn)
