"""The 申诉处理 tab's use cases: file an appeal, its steps (解释说明 / 移交 / 专家评审), the decision, annex 5."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ask
from .actions_base import APPEALS, DASHBOARD, PERSONNEL, Shell, TabActions

if TYPE_CHECKING:
    from .actions_documents import FileActions
    from .appeals_tab import AppealsTab


class AppealActions(TabActions["AppealsTab"]):
    """Typed dependencies: the shell, the 申诉处理 tab and the file actions (its export button)."""

    noun = "一条申诉"
    refreshes = (APPEALS, DASHBOARD)

    def __init__(self, shell: Shell, tab: AppealsTab, files: FileActions):
        super().__init__(shell, tab)
        self.files = files

    def wire(self) -> None:
        """The tab's buttons and the double-click (→ 办结)."""
        tab = self.tab
        tab.activated.connect(self.decide_appeal)
        tab.button("btn_new").clicked.connect(lambda: self.file_appeal(None))
        tab.button("btn_advance").clicked.connect(lambda: self.advance_appeal())
        tab.button("btn_decide").clicked.connect(lambda: self.decide_appeal())
        tab.button("btn_print").clicked.connect(lambda: self.print_appeal())
        tab.button("btn_export").clicked.connect(lambda: self.files.export_current())

    def new(self) -> None:
        """Ctrl+N on 申诉处理: 受理申诉."""
        self.file_appeal(None)

    def file_appeal(self, disposition_id: int | None) -> None:
        """受理申诉 (the notice's appeal state shows on the person's notices too)."""
        from .dialogs.appeal import AppealDialog

        AppealDialog(self.shell, disposition_id=disposition_id).open().saved.connect(
            lambda _i: self.done("申诉已受理。", (APPEALS, PERSONNEL, DASHBOARD))
        )

    def advance_appeal(self, row=None) -> None:
        """Explain / transfer / expert review: the steps the service offers for this appeal."""
        from yibao_desktop.services import appeals

        if (row := self.selected(row)) is None:
            return
        steps = {"已解释说明": "explained", "移交医疗保障行政部门": "transferred", "第三方/专家评审": "expert"}
        chosen = ask.choose(self.qwindow, "办理环节", "环节：", list(steps))
        if not chosen:
            return
        days = 0
        if steps[chosen] == "expert":
            text = ask.text(self.qwindow, "专家评审", "专家评审占用工作日数（不计入办结时限）：", "0")
            days = int(text) if text and text.isdigit() else 0
        self.guard(lambda: appeals.advance_appeal(self.ctx, row.id, steps[chosen], days, row.version), "已登记。")

    def decide_appeal(self, row=None) -> None:
        """办结 dialog (a changed or revoked notice changes the person's points and standing)."""
        from .dialogs.appeal import DecideDialog

        if (row := self.selected(row)) is None:
            return
        DecideDialog(self.shell, row=row).open().saved.connect(
            lambda _r: self.done("申诉已办结。", (APPEALS, PERSONNEL, DASHBOARD))
        )

    def print_appeal(self, row=None) -> None:
        """陈述申辩书 (annex 5) of the selected appeal, filled from the database."""
        from yibao_desktop.services.printing_annexes import appeal_form_pdf

        if (row := self.selected(row, "打印陈述申辩书")) is None:
            return
        title = f"陈述申辩书 {row.person_name} {row.doc_no}"
        self.shell.preview_pdf(lambda: appeal_form_pdf(self.ctx, row.id), title)
