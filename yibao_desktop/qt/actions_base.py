"""What every action object of the main window stands on: the window's services it needs (typed as `Shell`), the
selected record of its tab (the one “请先选中…” message), and “done”: say so in the status bar and reload only the
tabs the change touched.

Each data tab has one actions object (`PersonnelActions(shell, tab)` …) holding the use cases its buttons, row
menu and double-click start; window-wide menus (文件, 业务, accounts) have theirs without a tab. An action calls one
service, then `done(message, *tab keys)`; the keys name what the change shows up in (the 工作台 counts included
when they move), so 登记承诺书 reloads 人员记分 and the 工作台, not the institutions or appeals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from yibao_desktop.domain.errors import DomainError

from . import ask

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from yibao_desktop.services.context import AppContext

    from .tasks import TaskRunner

# The tab keys (TableTab.key / DashboardTab.key): tabs are found by these, never by position.
DASHBOARD, INSTITUTIONS, AGREEMENTS, PERSONNEL, APPEALS = (
    "dashboard",
    "institutions",
    "agreements",
    "personnel",
    "appeals",
)


class Shell(Protocol):
    """What the actions and dialogs use of the main window."""

    ctx: AppContext | None
    runner: TaskRunner
    qwindow: QMainWindow
    last_dialog: Any
    actions: dict[str, QAction]

    def show_error(self, title: str, message: str) -> None: ...

    def after_change(self, message: str = "", *keys: str) -> None: ...

    def preview_pdf(self, make: Callable[[], bytes], title: str) -> None: ...

    def today(self) -> date: ...

    def show_tab(self, key: str) -> None: ...

    def front_key(self) -> str: ...


class Actions:
    """Use cases started from the window's menus; `refreshes` are the tabs a change by them reloads by default."""

    refreshes: tuple[str, ...] = ()

    def __init__(self, shell: Shell):
        self.shell = shell

    @property
    def ctx(self) -> AppContext:
        """The open database's context (actions run only after it is attached)."""
        ctx = self.shell.ctx
        if ctx is None:
            raise DomainError("数据库尚未打开。")
        return ctx

    @property
    def qwindow(self) -> QMainWindow:
        """The window dialogs and message boxes belong to."""
        return self.shell.qwindow

    def status(self, message: str) -> None:
        """A message in the status bar (8 s)."""
        self.qwindow.statusBar().showMessage(message, 8000)

    def done(self, message: str, refresh: tuple[str, ...] | None = None) -> None:
        """A change succeeded: say so and reload the tabs it shows up in (None: this object's `refreshes`; ():
        nothing in the database changed, e.g. a file was written)."""
        keys = self.refreshes if refresh is None else refresh
        if keys:
            self.shell.after_change(message, *keys)
        else:
            self.status(message)

    def guard(self, fn: Callable[[], Any], success: str | None = None, refresh: tuple[str, ...] | None = None) -> Any:
        """Run one service call; a DomainError is shown in Chinese; on success `done` with the tabs it touched."""
        try:
            result = fn()
        except DomainError as err:
            self.shell.show_error("未能完成", err.message)
            return None
        self.done(success or (result if isinstance(result, str) else "已保存。"), refresh)
        return result


class HasSelection(Protocol):
    """A tab whose table has a selected row."""

    def current_row(self) -> Any: ...


TabT = TypeVar("TabT", bound=HasSelection)


class TabActions(Actions, Generic[TabT]):
    """The use cases of one data tab; `noun` names its record in “请先选中一名人员。”."""

    noun = "一条记录"

    def __init__(self, shell: Shell, tab: TabT):
        super().__init__(shell)
        self.tab = tab

    def selected(self, row: Any = None, title: str = "提示") -> Any:
        """The record to act on: the one given (a double-clicked row), else the tab's selected row; when there is
        none, the clerk is told to select one first and None comes back."""
        if row is None:
            row = self.tab.current_row()
        if row is None:
            ask.info(self.qwindow, title, f"请先在表格中选中{self.noun}。")
        return row

    def new(self) -> None:
        """Ctrl+N with this tab in front (subclasses: the tab's “new” use case)."""
