"""The main window: tabs, menus and shortcuts, status bar; dependencies injected into each tab."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.paths import user_data_dir

from . import ask, layout_memory
from .actions_accounts import AccountActions
from .actions_agreements import AgreementActions
from .actions_documents import DocumentActions
from .actions_people import PeopleActions
from .actions_work import WorkActions
from .agreements_tab import AgreementsTab
from .appeals_tab import AppealsTab
from .dashboard_tab import DashboardTab
from .institutions_tab import InstitutionsTab
from .personnel_tab import PersonnelTab
from .screen import available, fit_to_screen
from .tasks import TaskRunner
from .uiload import child, load_ui

TAB_TITLES = ("工作台", "定点机构", "医保协议", "人员记分", "申诉处理")
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


class MainWindow(QObject, PeopleActions, AgreementActions, DocumentActions, AccountActions, WorkActions):
    """Wraps the QMainWindow loaded from ui/main_window.ui; ctx arrives after the first paint."""

    def __init__(self, ctx=None):
        super().__init__()
        self.ctx = ctx
        self.runner = TaskRunner()
        self.last_dialog = None
        self.qwindow: QMainWindow = load_ui("main_window")
        self.tabs_widget: QTabWidget = child(self.qwindow, QTabWidget, "tabs")
        self.tabs = [
            DashboardTab(self),
            InstitutionsTab(self),
            AgreementsTab(self),
            PersonnelTab(self),
            AppealsTab(self),
        ]
        for tab, title in zip(self.tabs, TAB_TITLES, strict=True):
            self.tabs_widget.addTab(tab.widget, title)
        self.dashboard, self.institutions, self.agreements, self.personnel, self.appeals = self.tabs
        self.status_db = QLabel()
        self.status_profile = QLabel()
        self.qwindow.statusBar().addPermanentWidget(self.status_profile)
        self.qwindow.statusBar().addPermanentWidget(self.status_db)
        self._wire_actions()
        self.qwindow.installEventFilter(_CloseWatcher(self))
        self.layout_scope: str | None = None
        self.day_timer = QTimer(self.qwindow, singleShot=True)
        self.day_timer.timeout.connect(self.new_day)
        fit_to_screen(self.qwindow, wanted=QSize(1280, 800))
        if ctx is not None:
            self.set_context(ctx)

    def _wire_actions(self) -> None:
        act = {a.objectName(): a for a in self.qwindow.findChildren(QAction)}
        handlers = {
            "act_new": self.new_record,
            "act_search": lambda: self.current_tab().focus_search(),
            "act_export": self.export_current,
            "act_print": self.print_current,
            "act_import": self.import_current,
            "act_template": self.template_current,
            "act_refresh": self.refresh_all,
            "act_settings": self.open_settings,
            "act_quit": self.qwindow.close,
            "act_documents": self.show_documents,
            "act_batch_print": self.batch_print,
            "act_blank_forms": self.blank_forms,
            "act_about": self.about,
            "act_switch_user": self.switch_user,
            "act_settlement": self.settlement_check,
            "act_reports": self.open_reports,
        }
        for name, fn in handlers.items():
            act[name].triggered.connect(lambda _=False, fn=fn: fn())
        self.actions = act
        self.build_work_menu()  # before the role gate, which keeps the tooltips it finds
        self.install_account_actions()
        self.install_row_menus()  # after the account actions: their 操作记录 joins each row menu

    # -- context
    def set_context(self, ctx) -> None:
        """Attach the AppContext (after bootstrap) and load every tab."""
        self.ctx = ctx
        self.restore_layout(layout_memory.scope_of(ctx.db_label))
        self.update_status()
        self.new_day()

    def new_day(self) -> None:
        """At opening and at every midnight: today's statuses first (a period ended by the calendar), then every
        tab reloads; the one day timer is set again for the coming midnight."""
        from yibao_desktop.services.dashboard import apply_todays_statuses

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
        for tab in self.tabs:
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

    def today(self) -> date:
        """Today as the context sees it."""
        return self.ctx.today() if self.ctx else date.today()

    def refresh_all(self) -> None:
        """Reload every tab in the background, the big 人员记分 list first."""
        for tab in sorted(self.tabs, key=lambda t: t is not self.personnel):
            tab.refresh()

    # -- helpers for actions
    def current_tab(self):
        """The tab object in front."""
        return self.tabs[self.tabs_widget.currentIndex()]

    def show_tab(self, index: int) -> None:
        """Bring a tab to the front."""
        self.tabs_widget.setCurrentIndex(index)

    def show_error(self, title: str, message: str) -> None:
        """A Chinese error box."""
        ask.error(self.qwindow, title, message)

    def after_change(self, message: str = "") -> None:
        """Refresh after a successful change and say so in the status bar."""
        if message:
            self.qwindow.statusBar().showMessage(message, 8000)
        self.refresh_all()

    def guard(self, fn, success: str | None = None):
        """Run a service call; show a DomainError in Chinese; refresh on success."""
        try:
            result = fn()
        except DomainError as err:
            self.show_error("未能完成", err.message)
            return None
        self.after_change(success or (result if isinstance(result, str) else "已保存。"))
        return result

    def new_record(self) -> None:
        """Ctrl+N: new record of the tab in front."""
        index = self.tabs_widget.currentIndex()
        {
            1: lambda: self.edit_institution(None),
            2: self.sign_agreement,
            3: self.register_person,
            4: lambda: self.file_appeal(None),
        }.get(index, lambda: self.show_tab(3))()

    def open_settings(self) -> None:
        """Settings dialog."""
        from .dialogs.settings import SettingsDialog

        dlg = SettingsDialog(self)
        dlg.saved.connect(lambda _s: (self.update_status(), self.after_change("设置已保存。")))
        dlg.open()

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
            for tab in self.tabs:
                tab.save_layout(self.layout_scope)
        self.runner.shutdown()

    def show(self) -> None:
        """Show the window."""
        self.qwindow.show()

    def later(self, fn) -> None:
        """Run fn after the current event (first paint first)."""
        QTimer.singleShot(0, fn)
