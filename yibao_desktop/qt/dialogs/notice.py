"""Notice dialog: the next step of a disposition notice (approve, issue, deliver, receipt, void), as the service
offers them for this notice and user (`services/notice_steps.py`); the dialog shows a step's dates and reason only
where the step asks for them."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from yibao_desktop.domain.dispositions import notice_deadlines
from yibao_desktop.services.notice_steps import next_steps, take_step, what

from ..binding import fill_combo
from .base import FormDialog


class NoticeDialog(FormDialog):
    """kwargs: disposition (DispositionRow), step (optional: the step to preselect, e.g. "issue")."""

    ui_name = "notice_dialog"
    fields = ["summary", "step", "on", "effective", "reason"]

    def setup(self):
        d = self.kwargs["disposition"]
        self.disp = d
        dl = notice_deadlines(self.ctx.calendar, self.ctx.profile, d.decision_date, d.issued_on, d.received_on)
        lines = [
            f"{d.person_name}：{d.kind_label}"
            + (f"{d.months}个月" if d.months else "")
            + (f"{d.years}年" if d.years else "")
            + f"（本次{d.points_this}分，本年度累计{d.total_year}分）",
            f"状态：{d.state_label}　文号：{d.doc_no or '签发时分配'}",
            f"决定日期：{d.decision_date}，应于 {dl.issue_due.due} 前签发",
        ]
        if dl.delivery_due:
            lines.append(f"应于 {dl.delivery_due.due} 前送达机构")
        if dl.appeal_due:
            lines.append(f"申诉期至 {dl.appeal_due.due}")
        if d.effective:
            lines.append(f"执行期：{d.effective} 至 {d.period_end}")
        lines.append(d.reason)
        self.form.widgets["summary"].setText("\n".join(lines))
        self.steps = {s.key: s for s in next_steps(self.ctx, d)}
        combo = self.form.widgets["step"]
        fill_combo(combo, [(s.key, s.label) for s in self.steps.values()])
        wanted = self.kwargs.get("step")
        if wanted and combo.findData(wanted) >= 0:
            combo.setCurrentIndex(combo.findData(wanted))
        self.form.load({"on": self.ctx.today(), "effective": self.ctx.today()})
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        ok.setText("执行")
        if not self.steps:
            ok.setEnabled(False)
            self.message.setText("该通知书已无可执行的操作（或须由其他角色办理）。")
        self.dialog.findChild(QLabel, "lbl_reason").setText("作废原因*")
        combo.currentIndexChanged.connect(self.show_step_fields)
        self.show_step_fields()

    def show_step_fields(self, *_a) -> None:
        """日期, 生效日期 and 作废原因 only where the chosen step asks for them."""
        step = self.steps.get(self.form.widgets["step"].currentData())
        for name, shown in (
            ("on", step is not None and step.asks_date),
            ("effective", step is not None and step.asks_effective),
            ("reason", step is not None and step.asks_reason),
        ):
            self.show_row(name, shown)

    def what(self) -> str:
        """The notice in one line, for the questions."""
        return what(self.disp)

    def confirmation(self, v):
        """签发 and 作废 cannot simply be undone: say what will happen and ask first."""
        d, step = self.disp, v.get("step")
        if step == "issue" and v.get("on") is not None:
            effective = v.get("effective") or v["on"]
            lines = [f"签发处理通知书：{self.what()}", f"签发日期：{v['on']:%Y-%m-%d}"]
            if self.steps["issue"].asks_effective:
                lines.append(f"自 {effective:%Y-%m-%d} 起执行，该人员在各机构的登记同时变更状态")
            lines.append("签发后分配文号，不能撤回（只能由审核人员作废）。确定签发？")
            return "\n".join(lines)
        if step == "void":
            lines = [
                f"作废：{self.what()}" + (f"，文号 {d.doc_no}" if d.doc_no else ""),
                f"作废原因：{v.get('reason') or '（未填写）'}",
                "作废后本次记分不再计入"
                + ("，文号保留并标注“已作废”" if d.doc_no else "")
                + ("，已执行的暂停/终止同时撤销" if d.effective else "")
                + "。确定作废？",
            ]
            return "\n".join(lines)
        return None

    def submit(self, v):
        return take_step(self.ctx, self.disp, v["step"], v["on"], v["effective"], v["reason"] or "")
