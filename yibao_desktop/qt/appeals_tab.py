"""申诉处理 tab: appeals with their 20-working-day result deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yibao_desktop.domain.docnumbers import doc_no_sort_key
from yibao_desktop.domain.pinyin import name_sort_key

from .table_model import Column
from .table_tab import TableTab

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext


class AppealsTab(TableTab):
    """Appeals table with a stage filter."""

    ui_name = "appeals_tab"
    key = "appeals"
    empty_text = "暂无申诉。相关人员或机构在收到处理通知书后10个工作日内提出陈述申辩的，点“受理申诉”登记。"

    def columns(self):
        return [
            Column("通知书文号", lambda r: r.doc_no, 170, sort=lambda r: doc_no_sort_key(r.doc_no)),
            Column("姓名", lambda r: r.person_name, 80, sort=lambda r: name_sort_key(r.person_name)),
            Column("身份证件号码", lambda r: r.id_number, 160),
            Column("申诉人", lambda r: r.filed_by, 100),
            Column("受理日期", lambda r: r.received_on, 90),
            Column(
                "办结期限",
                lambda r: r.due,
                90,
                color=lambda r: "#c0392b" if r.state != "decided" and r.due < self.window.today() else None,
            ),
            Column("环节", lambda r: r.state_label, 100),
            Column("结果", lambda r: r.outcome, 90),
            Column("办结日期", lambda r: r.decided_on, 90),
        ]

    def setup(self):
        self.add_filter("f_state", lambda r, v: r.state == v)

    def load_rows(self, ctx: AppContext, limit=None):
        from yibao_desktop.services.appeals import list_appeals

        return list_appeals(ctx)

    def filter_items(self, rows):
        self.set_filter_values("f_state", sorted({(r.state, r.state_label) for r in rows}, key=lambda x: x[1]))
