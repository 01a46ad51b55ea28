"""Notice dialog: the next step of a disposition notice (approve, issue, deliver, receipt, void)."""

from __future__ import annotations

from yibao_desktop.domain.dispositions import notice_deadlines
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import NoticeState
from yibao_desktop.services import notices

from ..binding import fill_combo
from .base import FormDialog

STEPS = {
    NoticeState.DRAFT: [("approve", "审核通过"), ("void", "作废")],
    NoticeState.APPROVED: [("issue", "签发（分配文号）"), ("void", "作废")],
    NoticeState.ISSUED: [("deliver", "登记送达机构"), ("receipt", "登记相关人员收到日期"), ("void", "作废")],
    NoticeState.DELIVERED: [("receipt", "登记相关人员收到日期"), ("void", "作废")],
}


class NoticeDialog(FormDialog):
    """kwargs: disposition (DispositionRow)."""

    ui_name = "notice_dialog"
    fields = ["summary", "step", "on", "effective", "reason"]

    def setup(self):
        d = self.kwargs["disposition"]
        self.disp = d
        dl = notice_deadlines(self.ctx.calendar, self.ctx.profile, d.decision_date, d.issued_on, d.received_on)
        lines = [f"{d.person_name}：{d.kind_label}" + (f"{d.months}个月" if d.months else "") +
                 (f"{d.years}年" if d.years else "") + f"（本次{d.points_this}分，本年度累计{d.total_year}分）",
                 f"状态：{d.state_label}　文号：{d.doc_no or '签发时分配'}",
                 f"决定日期：{d.decision_date}，应于 {dl.issue_due.due} 前签发"]
        if dl.delivery_due:
            lines.append(f"应于 {dl.delivery_due.due} 前送达机构")
        if dl.appeal_due:
            lines.append(f"申诉期至 {dl.appeal_due.due}")
        if d.effective:
            lines.append(f"执行期：{d.effective} 至 {d.period_end}")
        lines.append(d.reason)
        self.form.widgets["summary"].setText("\n".join(lines))
        fill_combo(self.form.widgets["step"], STEPS.get(NoticeState(d.state), []))
        self.form.load({"on": self.ctx.today(), "effective": self.ctx.today()})
        self.buttons.button(self.buttons.StandardButton.Ok).setText("执行")

    def submit(self, v):
        step, on, d = v["step"], v["on"], self.disp
        if step is None:
            raise DomainError("该通知书已无可执行的操作。", field="step")
        if on is None:
            raise DomainError("请填写日期。", field="on")
        if step == "approve":
            notices.approve(self.ctx, d.id, d.version)
        elif step == "issue":
            return notices.issue(self.ctx, d.id, on, v["effective"] or on, d.version)
        elif step == "deliver":
            notices.record_delivery(self.ctx, d.id, on, d.version)
        elif step == "receipt":
            notices.record_receipt(self.ctx, d.id, on, d.version)
        elif step == "void":
            notices.void(self.ctx, d.id, v["reason"], d.version)
        return step
