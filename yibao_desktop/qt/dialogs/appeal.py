"""Appeal dialogs: file an appeal against an issued notice; decide it."""

from __future__ import annotations

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services.appeals import OUTCOMES, decide_appeal, file_appeal
from yibao_desktop.services.notices_query import appealable_notices

from ..binding import fill_combo
from ..pickers import make_searchable
from .base import FormDialog
from .compact import compact_rows


class AppealDialog(FormDialog):
    """kwargs: disposition_id (optional preselection)."""

    ui_name = "appeal_dialog"
    fields = ["notice", "filed_by", "received_on", "content", "window"]

    def setup(self):
        w = self.form.widgets
        self.notices = appealable_notices(self.ctx)
        fill_combo(w["notice"], [(n.id, f"{n.doc_no} {n.person_name}") for n in self.notices], blank="")
        make_searchable(w["notice"], "输入文号、姓名或拼音首字母查找")
        if self.kwargs.get("disposition_id"):
            w["notice"].setCurrentIndex(max(0, w["notice"].findData(self.kwargs["disposition_id"])))
        fill_combo(w["filed_by"], [("person", "相关人员"), ("institution", "定点医药机构")])
        self.form.load({"received_on": self.ctx.today()})
        w["notice"].currentIndexChanged.connect(self.show_window)
        self.show_window()
        compact_rows(self.dialog)

    def show_window(self, *_a):
        did = self.form.widgets["notice"].currentData()
        n = next((x for x in self.notices if x.id == did), None)
        rec = n and (n.received_on or n.delivered_on)
        text = ""
        if rec:
            due = self.ctx.calendar.deadline(rec, self.ctx.profile.appeal_working_days)
            text = f"收到通知书：{rec}；申诉期限至 {due.due}（{self.ctx.profile.appeal_working_days}个工作日）"
            if due.warning:
                text += f"\n{due.warning}"
        self.form.widgets["window"].setText(text)

    def submit(self, v):
        if not isinstance(v["notice"], int):
            raise DomainError("请选择处理通知书。", field="notice")
        return file_appeal(self.ctx, v["notice"], v["filed_by"], v["received_on"], v["content"])


class DecideDialog(FormDialog):
    """kwargs: row (AppealRow)."""

    ui_name = "decide_dialog"
    fields = ["appeal", "outcome", "decided_on", "new_points", "reason"]

    def setup(self):
        row = self.kwargs["row"]
        self.form.widgets["appeal"].setText(
            f"{row.doc_no}　{row.person_name}　受理：{row.received_on}　办结期限：{row.due}"
        )
        fill_combo(self.form.widgets["outcome"], list(OUTCOMES.items()))
        self.form.load({"decided_on": self.ctx.today()})
        compact_rows(self.dialog)

    def submit(self, v):
        row = self.kwargs["row"]
        new_total = v["new_points"] if v["outcome"] == "changed" else None  # the service spreads it over the entries
        return decide_appeal(
            self.ctx, row.id, v["outcome"], v["reason"], v["decided_on"], version=row.version, new_total=new_total
        )
