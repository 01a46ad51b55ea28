"""医保协议 tab: agreements with status, guidance period and suspensions; sign and record events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yibao_desktop.domain.docnumbers import doc_no_sort_key
from yibao_desktop.domain.pinyin import name_sort_key

from .table_model import Column
from .table_tab import TableTab

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext


class AgreementsTab(TableTab):
    """Agreements table with status / year filters."""

    ui_name = "agreements_tab"
    key = "agreements"
    empty_text = "还没有医保协议。先在“定点机构”录入机构，再点“签订协议”。"

    def columns(self):
        return [
            Column("协议编号", lambda r: r.number, 170, sort=lambda r: doc_no_sort_key(r.number)),
            Column("机构名称", lambda r: r.institution_name, 230, sort=lambda r: name_sort_key(r.institution_name)),
            Column("医药机构代码", lambda r: r.institution_code, 120),
            Column("协议类型", lambda r: r.agreement_type_label, 80),
            Column("开始日期", lambda r: r.start, 90),
            Column("结束日期", lambda r: r.end, 90),
            Column(
                "状态",
                lambda r: r.status_label,
                90,
                color=lambda r: (
                    "#c0392b"
                    if r.status in ("suspended", "terminated")
                    else "#2471a3"
                    if r.status == "guidance"
                    else None
                ),
            ),
            Column("辅导期至", lambda r: r.guidance_end, 90),
            Column(
                "本期中止次数",
                lambda r: r.suspensions,
                90,
                align_right=True,
                color=lambda r: "#c0392b" if r.suspensions >= 2 else None,
            ),
        ]

    def setup(self):
        self.add_filter("f_status", lambda r, v: r.status == v)
        self.add_filter("f_year", lambda r, v: r.start.year == v)

    def load_rows(self, ctx: AppContext, limit=None):
        from yibao_desktop.services.agreements import list_agreements

        return list_agreements(ctx)

    def filter_items(self, rows):
        self.set_filter_values("f_status", sorted({(r.status, r.status_label) for r in rows}, key=lambda x: x[1]))
        self.set_filter_values("f_year", [(y, f"{y}年") for y in sorted({r.start.year for r in rows}, reverse=True)])
