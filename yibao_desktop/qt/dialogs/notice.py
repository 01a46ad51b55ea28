"""Notice dialog: the next step of a disposition notice (approve, issue, deliver, receipt, void)."""

from __future__ import annotations

from yibao_desktop.domain.dispositions import notice_deadlines
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.persons import NoticeState
from yibao_desktop.services import notices

from ..binding import fill_combo
from .base import FormDialog

STEPS = {
    NoticeState.DRAFT: [
        ("approve", "审核通过"),
        ("withdraw_draft", "撤回（本人录入、尚未审核的处理意见）"),
        ("void", "作废"),
    ],
    NoticeState.APPROVED: [
        ("issue", "签发（分配文号）"),
        ("withdraw_approval", "撤回审核（退回待审核）"),
        ("void", "作废"),
    ],
    NoticeState.ISSUED: [("deliver", "登记送达机构"), ("receipt", "登记相关人员收到日期"), ("void", "作废")],
    NoticeState.DELIVERED: [("receipt", "登记相关人员收到日期"), ("void", "作废")],
}


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
        fill_combo(self.form.widgets["step"], STEPS.get(NoticeState(d.state), []))
        wanted = self.kwargs.get("step")
        if wanted and self.form.widgets["step"].findData(wanted) >= 0:
            self.form.widgets["step"].setCurrentIndex(self.form.widgets["step"].findData(wanted))
        self.form.load({"on": self.ctx.today(), "effective": self.ctx.today()})
        self.buttons.button(self.buttons.StandardButton.Ok).setText("执行")

    def what(self) -> str:
        """“曾志伟 暂停医保支付资格6个月（本次9分）” — the notice in one line, for questions and the status bar."""
        d = self.disp
        span = (f"{d.months}个月" if d.months else "") + (f"{d.years}年" if d.years else "")
        return f"{d.person_name} {d.kind_label}{span}（本次{d.points_this}分）"

    def confirmation(self, v):
        """签发 and 作废 cannot simply be undone: say what will happen and ask first."""
        d, step = self.disp, v.get("step")
        if step == "issue" and v.get("on") is not None:
            effective = v.get("effective") or v["on"]
            lines = [f"签发处理通知书：{self.what()}", f"签发日期：{v['on']:%Y-%m-%d}"]
            if d.kind in ("suspension", "termination"):
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
        step, on, d = v["step"], v["on"], self.disp
        if step is None:
            raise DomainError("该通知书已无可执行的操作。", field="step")
        if on is None:
            raise DomainError("请填写日期。", field="on")
        if step == "approve":
            notices.approve(self.ctx, d.id, d.version)
            return f"已审核通过：{self.what()}，待签发。"
        if step == "withdraw_draft":
            notices.withdraw_draft(self.ctx, d.id, d.version)
            return f"已撤回处理意见：{self.what()}（记分不再计入）。"
        if step == "withdraw_approval":
            notices.withdraw_approval(self.ctx, d.id, d.version)
            return f"已撤回审核：{self.what()}，退回待审核。"
        if step == "issue":
            doc_no = notices.issue(self.ctx, d.id, on, v["effective"] or on, d.version)
            return f"已签发 {doc_no}（{d.person_name}）。"
        if step == "deliver":
            notices.record_delivery(self.ctx, d.id, on, d.version)
            return f"已登记送达 {d.doc_no}（{on:%Y-%m-%d}）。"
        if step == "receipt":
            notices.record_receipt(self.ctx, d.id, on, d.version)
            return f"已登记 {d.person_name} 收到 {d.doc_no} 的日期 {on:%Y-%m-%d}，申诉期自次日起算。"
        if step == "void":
            notices.void(self.ctx, d.id, v["reason"], d.version)
            return f"已作废：{self.what()}" + (f"，文号 {d.doc_no}。" if d.doc_no else "。")
        raise DomainError("请选择操作。", field="step")
