"""The 定点机构 tab's use cases: new and edit institution, 定点申请, the institution's 操作记录, its roster files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actions_accounts import add_history_action, open_record_history
from .actions_base import AGREEMENTS, DASHBOARD, INSTITUTIONS, PERSONNEL, Shell, TabActions

if TYPE_CHECKING:
    from .actions_documents import FileActions
    from .institutions_tab import InstitutionsTab


class InstitutionActions(TabActions["InstitutionsTab"]):
    """Typed dependencies: the shell, the 定点机构 tab and the file actions (its import/template buttons)."""

    noun = "一家定点机构"
    # an institution's name and code show in the agreements and the persons' rows too
    refreshes = (INSTITUTIONS, AGREEMENTS, PERSONNEL, DASHBOARD)

    def __init__(self, shell: Shell, tab: InstitutionsTab, files: FileActions):
        super().__init__(shell, tab)
        self.files = files

    def wire(self) -> None:
        """The tab's buttons, the row history entry and the double-click (→ edit)."""
        tab = self.tab
        tab.activated.connect(self.edit_selected)
        tab.button("btn_new").clicked.connect(lambda: self.edit_institution(None))
        tab.button("btn_edit").clicked.connect(lambda: self.edit_selected())
        tab.button("btn_export").clicked.connect(lambda: self.files.export_current())
        tab.button("btn_import").clicked.connect(lambda: self.files.import_roster("institutions"))
        tab.button("btn_template").clicked.connect(lambda: self.files.save_template("institutions"))
        tab.button("btn_applications").clicked.connect(lambda: self.applications())
        add_history_action(self.shell, tab, "act_institution_history", self.institution_history)

    def new(self) -> None:
        """Ctrl+N on 定点机构: a new institution."""
        self.edit_institution(None)

    def edit_selected(self, row=None) -> None:
        """Edit the selected (or double-clicked) institution."""
        if (row := self.selected(row)) is not None:
            self.edit_institution(row.id)

    def edit_institution(self, institution_id: int | None) -> None:
        """New or edit institution dialog."""
        from .dialogs.institution import InstitutionDialog

        InstitutionDialog(self.shell, institution_id=institution_id).open().saved.connect(
            lambda _i: self.done("机构已保存。")
        )

    def applications(self):
        """定点申请: the designation workflow window (a new designation adds institutions and agreements)."""
        from .applications_dialog import ApplicationsDialog

        return ApplicationsDialog(self.shell).open()

    def open_application(self, application_id: int):
        """A 工作台 line about an application opens the window at that application."""
        dlg = self.applications()
        dlg.select(application_id)
        return dlg

    def institution_history(self, row=None):
        """操作记录 of the selected institution."""
        if (row := self.selected(row, "操作记录")) is None:
            return None
        return open_record_history(self.shell, "institution", row.id, f"{row.name}（{row.code}）")
