"""Main-window actions about institutions, agreements and appeals."""

from __future__ import annotations

from . import ask


class AgreementActions:
    """Mixin of MainWindow."""

    def edit_institution(self, institution_id: int | None) -> None:
        """New or edit institution dialog."""
        from .dialogs.institution import InstitutionDialog

        InstitutionDialog(self, institution_id=institution_id).open().saved.connect(
            lambda _i: self.after_change("机构已保存。")
        )

    def sign_agreement(self) -> None:
        """Sign an agreement."""
        from .dialogs.agreement import AgreementDialog

        AgreementDialog(self).open().saved.connect(lambda _i: self.after_change("协议已签订。"))

    def record_agreement_event(self, row) -> None:
        """Record an event of the selected agreement."""
        from .dialogs.agreement import EventDialog

        if row is None:
            ask.info(self.qwindow, "提示", "请先选中一份协议。")
            return
        if self._approve_proposal(row):
            return
        dlg = EventDialog(self, row=row)
        dlg.saved.connect(
            lambda summary: (ask.info(self.qwindow, "协议事项", summary), self.after_change(f"{row.number}：{summary}"))
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

    def show_agreement_history(self, row) -> None:
        """List the events of an agreement."""
        from yibao_desktop.services.agreements_query import agreement_events

        if row is None:
            ask.info(self.qwindow, "提示", "请先选中一份协议。")
            return
        lines = [f"{e.on}　{e.kind_label}　{e.decision_no}　{e.detail}" for e in agreement_events(self.ctx, row.id)]
        ask.info(self.qwindow, f"协议事项记录 — {row.number}", "\n".join(lines) or "无")

    def file_appeal(self, disposition_id: int | None) -> None:
        """受理申诉."""
        from .dialogs.appeal import AppealDialog

        AppealDialog(self, disposition_id=disposition_id).open().saved.connect(
            lambda _i: self.after_change("申诉已受理。")
        )

    def advance_appeal(self, row) -> None:
        """Explain / transfer / expert review."""
        from yibao_desktop.services import appeals

        if row is None:
            ask.info(self.qwindow, "提示", "请先选中一条申诉。")
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

    def decide_appeal(self, row) -> None:
        """办结 dialog."""
        from .dialogs.appeal import DecideDialog

        if row is None:
            ask.info(self.qwindow, "提示", "请先选中一条申诉。")
            return
        DecideDialog(self, row=row).open().saved.connect(lambda _r: self.after_change("申诉已办结。"))

    def applications(self):
        """定点申请: the designation workflow window."""
        from .applications_dialog import ApplicationsDialog

        return ApplicationsDialog(self).open()

    def print_agreement_notice(self, row):
        """Pick a suspension / termination / guidance-extension event of the agreement and preview its notice."""
        from yibao_desktop.domain.errors import DomainError
        from yibao_desktop.services.institution_notices import agreement_event_pdf, printable_events

        if row is None:
            ask.info(self.qwindow, "提示", "请先选中一份协议。")
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
            self.show_error("无法打印", err.message)
            return None
        from .print_preview import PrintPreviewDialog

        return PrintPreviewDialog(self, pdf, f"{event.title} — {row.institution_name}").open()
