"""The 医保协议 tab's use cases: sign, record an event (or approve another user's proposal), the event history and
the printed agreement notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ask
from .actions_base import AGREEMENTS, DASHBOARD, INSTITUTIONS, PERSONNEL, Shell, TabActions

if TYPE_CHECKING:
    from .actions_documents import FileActions
    from .agreements_tab import AgreementsTab


class AgreementActions(TabActions["AgreementsTab"]):
    """Typed dependencies: the shell, the 医保协议 tab and the file actions (its export button)."""

    noun = "一份协议"
    # the institution's agreement status and, for suspension/termination, its responsible persons' standing change
    refreshes = (AGREEMENTS, INSTITUTIONS, PERSONNEL, DASHBOARD)

    def __init__(self, shell: Shell, tab: AgreementsTab, files: FileActions):
        super().__init__(shell, tab)
        self.files = files

    def wire(self) -> None:
        """The tab's buttons and the double-click (→ 协议事项)."""
        tab = self.tab
        tab.activated.connect(self.record_agreement_event)
        tab.button("btn_sign").clicked.connect(lambda: self.sign_agreement())
        tab.button("btn_event").clicked.connect(lambda: self.record_agreement_event())
        tab.button("btn_history").clicked.connect(lambda: self.show_agreement_history())
        tab.button("btn_print_notice").clicked.connect(lambda: self.print_agreement_notice())
        tab.button("btn_export").clicked.connect(lambda: self.files.export_current())

    def new(self) -> None:
        """Ctrl+N on 医保协议: sign an agreement."""
        self.sign_agreement()

    def sign_agreement(self) -> None:
        """Sign an agreement."""
        from .dialogs.agreement import AgreementDialog

        AgreementDialog(self.shell).open().saved.connect(
            lambda _i: self.done("协议已签订。", (AGREEMENTS, INSTITUTIONS, DASHBOARD))
        )

    def record_agreement_event(self, row=None) -> None:
        """Record an event of the selected agreement."""
        from .dialogs.agreement import EventDialog

        if (row := self.selected(row)) is None:
            return
        if self._approve_proposal(row):
            return
        dlg = EventDialog(self.shell, row=row)
        dlg.saved.connect(
            lambda summary: (ask.info(self.qwindow, "协议事项", summary), self.done(f"{row.number}：{summary}"))
        )
        dlg.open()

    def _approve_proposal(self, row) -> bool:
        """A suspension/termination entered by another user awaits approval: offer it first (one service call)."""
        from yibao_desktop.services.agreements import approve_event
        from yibao_desktop.services.agreements_query import proposed_events

        theirs = [e for e in proposed_events(self.ctx, row.id) if e.entered_by != self.ctx.username]
        if not theirs:
            return False
        e = theirs[0]
        text = f"{e.on}　{e.kind_label}　{e.decision_no}\n{e.detail}\n\n由{e.entered_by}录入。审核通过并生效吗？"
        if not ask.confirm(self.qwindow, "协议事项待审核", text):
            return False
        self.guard(lambda: approve_event(self.ctx, e.id, e.version))
        return True

    def show_agreement_history(self, row=None) -> None:
        """List the events of an agreement."""
        from yibao_desktop.services.agreements_query import agreement_events

        if (row := self.selected(row)) is None:
            return
        lines = [f"{e.on}　{e.kind_label}　{e.decision_no}　{e.detail}" for e in agreement_events(self.ctx, row.id)]
        ask.info(self.qwindow, f"协议事项记录 — {row.number}", "\n".join(lines) or "无")

    def print_agreement_notice(self, row=None):
        """Pick a suspension / termination / guidance-extension event of the agreement and preview its notice."""
        from yibao_desktop.domain.errors import DomainError
        from yibao_desktop.services.institution_notices import agreement_event_pdf, printable_events

        if (row := self.selected(row)) is None:
            return None
        events = printable_events(self.ctx, row.id)
        if not events:
            ask.info(self.qwindow, "打印协议通知", "该协议没有中止、解除或政策辅导期延长事项，没有可打印的通知书。")
            return None
        labels = [e.label for e in events]
        chosen = ask.choose(self.qwindow, f"打印协议通知 — {row.number}", "协议事项：", labels)
        if not chosen:
            return None
        event = events[labels.index(chosen)]
        try:
            pdf = agreement_event_pdf(self.ctx, event.id)
        except DomainError as err:
            self.shell.show_error("无法打印", err.message)
            return None
        from .print_preview import PrintPreviewDialog

        return PrintPreviewDialog(self.shell, pdf, f"{event.title} — {row.institution_name}").open()
